from django.core.paginator import Paginator
from django.shortcuts import render

from core.caching import cache_public_page
from core.opening import local_now
from facilities import selectors
from facilities.filters import PublicCentreFilter

PAGE_SIZE = 20


@cache_public_page
def centre_list(request):
    moment = local_now()
    filterset = PublicCentreFilter(request.GET or None, queryset=selectors.public_centres(), moment=moment)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    special = selectors.special_day(moment.date())
    centres = selectors.with_today(page.object_list, moment, special)
    return render(
        request,
        "facilities/centre_list.html",
        {"filter": filterset, "page": page, "centres": centres, "moment": moment, "special": special},
    )


@cache_public_page
def centre_detail(request, pk):
    moment = local_now()
    centre = selectors.public_centre(pk)
    week = selectors.centre_week(centre, moment.date())
    today = week[0]
    return render(
        request,
        "facilities/centre_detail.html",
        {
            "centre": centre,
            "week": week,
            "today": today,
            "is_open": selectors.with_today([centre], moment, today["special"])[0].is_open,
            "moment": moment,
        },
    )

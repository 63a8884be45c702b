from django.shortcuts import render

from core.caching import cache_public_page, depends_on, division_scope, record_scope
from core.opening import annotate_today, local_now, next_change, next_minute, special_day
from core.public_lists import filtered_list
from facilities import selectors
from facilities.filters import PublicCentreFilter

PAGE_SIZE = 20


@cache_public_page
def centre_list(request):
    moment = local_now()
    special = special_day(moment.date())  # read once: the "open now" filter uses it too

    def filters(data=None):
        return PublicCentreFilter(data, queryset=selectors.public_centres(), moment=moment, special=special)

    filterset, paginator = filtered_list(
        request, "facilities", PublicCentreFilter, filters, selectors.with_names, PAGE_SIZE,
        total="facilities.centre.operating")
    depends_on(request, division_scope("facilities", filterset.chosen()))
    page = paginator.get_page(request.GET.get("page"))
    centres = annotate_today(page.object_list, moment, special)
    # "Open now" on the rows shown changes at their next opening or closing; the rows that pass an
    # "open now" filter can change at any minute.
    depends_on(request, until=next_minute(moment) if filterset.open_now_chosen()
               else next_change(centres, moment, special))
    return render(
        request,
        "facilities/centre_list.html",
        {"filter": filterset, "page": page, "centres": centres, "moment": moment, "special": special},
    )


@cache_public_page
def centre_detail(request, pk):
    moment = local_now()
    depends_on(request, record_scope("facilities", pk))
    centre = selectors.public_centre(pk)
    week = selectors.centre_week(centre, moment.date())
    today = week[0]
    depends_on(request, until=next_change([centre], moment, today["special"]))
    return render(
        request,
        "facilities/centre_detail.html",
        {
            "centre": centre,
            "week": week,
            "today": today,
            "is_open": annotate_today([centre], moment, today["special"])[0].is_open,
            "moment": moment,
        },
    )

from django.shortcuts import render

from core.caching import cache_public_page, depends_on, division_scope, record_scope
from core.opening import annotate_today, local_now, next_change, next_minute, special_day
from core.places import CappedPaginator
from core.public_lists import Unfiltered, unfiltered
from facilities import selectors
from facilities.filters import PublicCentreFilter

PAGE_SIZE = 20


@cache_public_page
def centre_list(request):
    moment = local_now()
    special = special_day(moment.date())  # read once: the "open now" filter uses it too

    def filters(data=None):
        return PublicCentreFilter(data, queryset=selectors.public_centres(), moment=moment, special=special)

    prepared_as = unfiltered(request, "facilities")
    filterset = Unfiltered(PublicCentreFilter, filters) if prepared_as else filters(request.GET)
    depends_on(request, division_scope("facilities", filterset.chosen()))
    if prepared_as:  # the statements are compiled once a process: the querysets are built only for that
        paginator = CappedPaginator(lambda: selectors.with_names(filterset.built.qs), PAGE_SIZE,
                                    counted=lambda: filterset.built.qs, prepared_as=prepared_as)
    else:
        paginator = CappedPaginator(selectors.with_names(filterset.qs), PAGE_SIZE, counted=filterset.qs)
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

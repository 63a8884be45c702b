"""Reads of the eldercare app: the public facility pages and the clerk's monthly to-do.

Each function owns its ``select_related``/``prefetch_related`` so that page
query counts stay independent of the number of rows.
"""

from datetime import timedelta
from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from core import scoping
from core.geo import describe_distance, haversine_m
from core.models import Division, Holiday, Level
from core.opening import filter_open_at, local_now
from eldercare.models import Elder, Facility, FacilityKind, Visit

NEAREST_LIMIT = 10
#: The kinds a resident can walk to; they are also the ones E7 measures.
NEAREST_KINDS = (FacilityKind.DAYCARE, FacilityKind.STREET_CENTRE)


# --- public -----------------------------------------------------------------------------------------------


def public_facilities(*, kind=None, district=None, street=None, service=None, open_now=False, text="", moment=None):
    """Operating facilities matching the resident's filters, ready to list."""
    queryset = Facility.objects.operating().select_related("division", "division__street", "division__district")
    if kind:
        queryset = queryset.filter(kind=kind)
    if street is not None:
        queryset = queryset.filter(scoping.division_q(Facility, street))
    elif district is not None:
        queryset = queryset.filter(scoping.division_q(Facility, district))
    if service is not None:
        queryset = queryset.filter(services=service)
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(address__icontains=text))
    if open_now:
        queryset = filter_open_at(queryset, moment)
    return queryset.prefetch_related("services").order_by("kind", "division__code", "code")


def todays_special_day():
    """Today's Holiday row, or None (one query, shared by every row of a page)."""
    return Holiday.objects.filter(date=local_now().date()).first()


def public_facility(pk):
    """A facility as a resident sees it (any status: an old link still says it is closed)."""
    return (
        Facility.objects.select_related("division", "division__street", "division__district")
        .prefetch_related("services")
        .filter(pk=pk)
        .first()
    )


def streets_by_district():
    """``[(district name, [(code, name), …]), …]`` for a grouped <select> of streets, one query."""
    streets = Division.objects.streets().select_related("district").order_by("district__code", "code")
    return [
        (district.name if district else "", [(street.code, street.name) for street in rows])
        for district, rows in groupby(streets, key=lambda street: street.district)
    ]


def communities_of_street(code):
    """``[(code, name), …]`` of one street's communities, one query."""
    return list(Division.objects.communities().filter(street__code=code).order_by("code").values_list("code", "name"))


def community_by_code(code):
    return Division.objects.communities().select_related("street").filter(code=code).first()


def nearest_facilities(community, limit=NEAREST_LIMIT):
    """Operating day-care and street centres nearest to ``community``, straight-line (haversine, as E7).

    Returns ``(rows, unlocated)``: rows of ``{"facility", "metres", "distance"}`` nearest first, and how
    many candidate facilities have no coordinates and so cannot be placed.
    """
    candidates = list(
        Facility.objects.operating()
        .filter(kind__in=NEAREST_KINDS)
        .select_related("division", "division__street")
        .order_by("code")
    )
    located = [f for f in candidates if f.latitude is not None and f.longitude is not None]
    rows = []
    for facility in located:
        metres = haversine_m(community.latitude, community.longitude, facility.latitude, facility.longitude)
        rows.append({"facility": facility, "metres": metres, "distance": describe_distance(metres)})
    rows.sort(key=lambda row: (row["metres"], row["facility"].code))
    return rows[:limit], len(candidates) - len(located)


# --- staff: the monthly visit to-do -----------------------------------------------------------------------


def local_today():
    """Today's date in Asia/Shanghai: the calendar the visit month follows."""
    return local_now().date()


def month_bounds(day):
    """``(first day of the month, first day of the next month)`` — a half-open range."""
    start = day.replace(day=1)
    return start, (start + timedelta(days=32)).replace(day=1)


def visits_in_month(day):
    start, end = month_bounds(day)
    return Visit.objects.filter(visited_on__gte=start, visited_on__lt=end)


def street_elders(user, street):
    """Elders registered in ``street``'s communities that ``user`` may see."""
    return scoping.scope(user, Elder.objects.filter(community__street=street))


def visit_rate(user, street, today):
    """Registered, visited this month, and the rate — E5's rule: any visit dated in the month, phone included."""
    visited = Exists(visits_in_month(today).filter(elder=OuterRef("pk")))
    figures = street_elders(user, street).aggregate(registered=Count("pk"), visited=Count("pk", filter=visited))
    registered = figures["registered"]
    figures["rate"] = figures["visited"] * 100 / registered if registered else None
    return figures


def unvisited_elders(user, street, today, category=None):
    """The elders of ``street`` with no visit dated in ``today``'s month, with their last visit date.

    ``category``: only the elders who have it among their categories.
    """
    visited = Exists(visits_in_month(today).filter(elder=OuterRef("pk")))
    last_visit = Visit.objects.filter(elder=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1]
    elders = street_elders(user, street)
    if category is not None:
        elders = elders.filter(categories=category)
    return (
        elders.filter(~visited)
        .annotate(last_visited_on=Subquery(last_visit))
        .select_related("community")
        .prefetch_related("categories")
        .order_by("community__code", "code")
    )


def streets_for(user):
    """Streets whose to-do ``user`` may open: a clerk's own, every street for bureau staff."""
    return scoping.divisions_for(user, levels=(Level.STREET,)).select_related("district").order_by("code")

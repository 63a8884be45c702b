"""Reads of the eldercare app: the public facility pages and the clerk's monthly to-do.

Each function owns its ``select_related``/``prefetch_related`` so that page
query counts stay independent of the number of rows.
"""

from math import cos, radians
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value

from core import scoping
from core.compiled import (
    BOX_STAND_INS,
    ORIGIN_STAND_INS,
    PLANNED_PER_RUN,
    STAND_IN,
    STAND_INS,
    TEXT_STAND_IN,
    Prepared,
    boxed,
    compiled,
    for_ids,
    placed,
)
from core.geo import (
    ROWS_PER_DEGREE,
    SPHERE_TIES,
    describe_distance,
    haversine_m,
    latitude_row,
    settled_nearest,
    sphere_distance,
    unit_sphere,
)
from core.hours import WEEKDAY_FIELDS
from core.models import Division, Level
from core.opening import filter_open_at, local_now
from core.public_lists import choice_labels
from core.search_text import containing
from eldercare.models import CareService, Elder, Facility, FacilityKind, Visit

NEAREST_LIMIT = 10
#: The kinds a resident can walk to; they are also the ones E7 measures.
NEAREST_KINDS = (FacilityKind.DAYCARE, FacilityKind.STREET_CENTRE)


# --- public -----------------------------------------------------------------------------------------------


# What a row of the list shows: name, kind, place, phone, services and the week's hours ("open now").
LIST_FIELDS = ("name", "kind", "address", "phone", *WEEKDAY_FIELDS, "hours_holiday", "open_on_holidays")
# Its community (or street), street and district by name: columns of the row, not three more records per row.
LIST_NAMES = {
    "division_name": F("division__name"),
    "street_name": F("division__street__name"),
    "district_name": F("division__district__name"),
}


def public_facilities(*, kind=None, district=None, street=None, service=None, open_now=False, text="", moment=None,
                      special=None):
    """Operating facilities matching the resident's filters, ready to list (only the columns a row shows).

    ``moment`` and ``special`` (its calendar row, ``core.opening.special_day``) are the page's "now"."""
    queryset = Facility.objects.operating().only(*LIST_FIELDS)
    if kind:
        queryset = queryset.filter(kind=kind)
    if street is not None:
        queryset = queryset.filter(scoping.division_q(Facility, street))
    elif district is not None:
        queryset = queryset.filter(scoping.division_q(Facility, district))
    if service is not None:
        queryset = queryset.filter(services=service)
    if text:  # every word in the kept text (name, address, its division's names), as the one search finds it
        queryset = queryset.filter(containing(text))
    if open_now:
        queryset = filter_open_at(queryset, moment, special, lookup=moment is None)
    # By kind, then code: an index walk (facility_public_order) that stops at the page; ordering by the
    # division's code would sort every operating facility of the city for each page.
    return queryset.order_by("kind", "code")


def with_names(facilities):
    """The page's rows with their division's, street's and district's names (``division_name`` …): added
    after the count, which needs none of their joins."""
    return facilities.annotate(**LIST_NAMES)


def with_labels(facilities):
    """Each row with ``kind_label`` and ``service_labels`` (its 十助 in the list's order), the closed lists'
    words translated once for the page (``core.public_lists.choice_labels``).

    The page's services are read as ``(facility, code)`` pairs in one query: a prefetch built a service record
    and a related manager per row and service (a third of the uncached list's time)."""
    kinds, helps = choice_labels(FacilityKind.choices), choice_labels(CareService.Code.choices)
    codes = {facility.pk: [] for facility in facilities}
    if codes:  # compiled once a process per page size (core.compiled)
        for facility_id, code in for_ids("eldercare:services", len(codes), _service_pairs).tuples(
                replacing=placed(list(codes))):
            codes[facility_id].append(helps.get(code, code))
    for facility in facilities:
        facility.kind_label = kinds.get(facility.kind, facility.kind)
        facility.service_labels = codes[facility.pk]
    return facilities


def _service_pairs(ids):
    """``(facility, code)`` of the facilities ``ids``' services, in the list's order."""
    return (
        Facility.services.through.objects.filter(facility_id__in=ids)
        .order_by("careservice__ordering", "careservice_id")
        .values_list("facility_id", "careservice__code")
    )


def public_facility(pk):
    """A facility as a resident sees it (any status: an old link still says it is closed), with its division's,
    street's and district's names (``division_name`` …) and its services' labels (``service_labels``), or None:
    two queries compiled once a process (``core.compiled``; compiling the joins took as long as running them)."""
    facility = _FACILITY.instance(Facility, pk)
    if facility is None:
        return None
    helps = choice_labels(CareService.Code.choices)
    facility.service_labels = [helps[service["code"]] for service in _SERVICES.records(replacing={STAND_IN: facility.pk})]
    return facility


_OWN = [field.attname for field in Facility._meta.concrete_fields]
_FACILITY = Prepared(Facility.objects.filter(pk=STAND_IN).values(*_OWN, **LIST_NAMES))
_SERVICES = Prepared(CareService.objects.filter(facilities=STAND_IN).order_by("ordering").values("code"))


def streets_of_district(code):
    """``[(code, name), …]`` of one district's streets, one query (compiled once a process)."""
    return [tuple(row) for row in _STREETS_OF.tuples(replacing={_CODE_STAND_IN: code})]


def around(community):
    """``(streets, communities)``, each ``[(code, name), …]``: the streets of ``community``'s district and the
    communities of its street, for the nearest search's three steps. One statement (compiled once a process) of
    two index-only reads (``division_district_parts``, ``division_street_parts``), by the community's ids."""
    streets, communities = [], []
    if community.district_id or community.street_id:
        ids = placed([community.district_id or 0, community.street_id or 0])
        for level, code, name in _AROUND.tuples(replacing=ids):
            (streets if level == Level.STREET else communities).append((code, name))
    return streets, communities


def district_of_street(code):
    """The district code of the street ``code``, or None."""
    return Division.objects.streets().filter(code=code).values_list("district__code", flat=True).first()


def communities_of_street(code):
    """``[(code, name), …]`` of one street's communities, one query (compiled once a process)."""
    return [tuple(row) for row in _COMMUNITIES_OF.tuples(replacing={_CODE_STAND_IN: code})]


# What /eldercare/nearest/ reads of the chosen community: its place, and its street's and district's codes and names.
COMMUNITY_FIELDS = ("id", "code", "name", "level", "latitude", "longitude", "street_id", "district_id")


def community_by_code(code):
    """The community ``code`` with its street and district (their codes and names), or None: one query compiled
    once a process (compiling its two joins cost more than running them)."""
    found = _COMMUNITY.records(replacing={_CODE_STAND_IN: code})
    if not found:
        return None
    row = found[0]
    community = Division.from_db(Division.objects.db, _COMMUNITY_OWN, [row[name] for name in _COMMUNITY_OWN])
    for relation in ("street", "district"):
        if row[f"{relation}_id"] is not None:
            setattr(community, relation, Division(pk=row[f"{relation}_id"], code=row[f"{relation}__code"],
                                                  name=row[f"{relation}__name"]))
    return community


#: A division code no division has (codes are digits): the queries above are compiled for it.
_CODE_STAND_IN = f"{TEXT_STAND_IN}-code"
_STREETS_OF = Prepared(Division.objects.streets().filter(district__code=_CODE_STAND_IN).order_by("code")
                       .values_list("code", "name"))
_COMMUNITIES_OF = Prepared(Division.objects.communities().filter(street__code=_CODE_STAND_IN).order_by("code")
                           .values_list("code", "name"))
_AROUND = Prepared(
    Division.objects.streets().filter(district_id=STAND_INS[0]).order_by().values_list("level", "code", "name")
    .union(Division.objects.communities().filter(street_id=STAND_INS[1]).order_by()
           .values_list("level", "code", "name"), all=True)
    .order_by("level", "code")  # 'community' before 'street': each list in code order
)
_COMMUNITY_OWN = [field.attname for field in Division._meta.concrete_fields if field.attname in COMMUNITY_FIELDS]
_COMMUNITY = Prepared(Division.objects.communities().filter(code=_CODE_STAND_IN).values(
    *COMMUNITY_FIELDS, "street__code", "street__name", "district__code", "district__name"))


#: The search boxes around a community, in degrees each side: 1.1 km, 4.4 km, 18 km, 36 km (at most 4 queries).
NEAREST_BOXES = (0.01, 0.04, 0.16, 0.32)
METRES_PER_DEGREE = 111_195  # of latitude, on E7's sphere (core.geo.EARTH_RADIUS_M)
#: What a candidate row holds: its place, then what the page shows of it.
_BOX_COLUMNS = ("pk", "latitude", "longitude", "code", "name", "kind", "address")


def _box_query(rows):
    """Operating candidates in a box of ``rows`` grid rows, compiled with stand-ins for the rows and the bounds."""
    south, north, west, east = BOX_STAND_INS
    return (
        Facility.objects.operating()
        .filter(kind__in=NEAREST_KINDS)
        .alias(row=latitude_row(F("latitude")))
        .filter(row__in=STAND_INS[:rows], longitude__range=(west, east), latitude__range=(south, north))
        .order_by()
        .values_list(*_BOX_COLUMNS)
    )


def _in_box(latitude, longitude, degrees):
    """Candidates in a box ``degrees`` high each side, as E7 reads its grid: one short index range per row.
    Compiled once a process per size of box."""
    widest = min(89.0, abs(latitude) + degrees)  # the box's widest longitude span is at its pole-side edge
    half_width = degrees / cos(radians(widest))
    first = int((latitude - degrees) * ROWS_PER_DEGREE) - 1  # one row more each side: the database rounds
    last = int((latitude + degrees) * ROWS_PER_DEGREE) + 1
    rows = list(range(first, last + 1))
    size = max(len(rows), int(2 * degrees * ROWS_PER_DEGREE) + 4)  # the most a box this size spans: one statement
    rows += rows[-1:] * (size - len(rows))  # (a row listed twice is read once)
    query = compiled(("eldercare nearest box", size), lambda: _box_query(size), prepare=PLANNED_PER_RUN)
    bounds = boxed(latitude - degrees, latitude + degrees, longitude - half_width, longitude + half_width)
    return query.tuples(replacing={**bounds, **placed(rows)})


class NearestFacility(NamedTuple):
    """What the nearest search shows of a facility (a model instance would set all of its thirty fields)."""

    pk: int
    code: str
    name: str
    kind: str
    address: str


def nearest_facilities(community, limit=NEAREST_LIMIT):
    """Operating day-care and street centres nearest to ``community``, straight-line (haversine, as E7).

    Returns ``(rows, unlocated)``: rows of ``{"facility", "metres", "distance"}`` nearest first (at most
    ``limit``, within 35 km), and how many candidate facilities of the community's district have no coordinates
    and so cannot be placed.

    On PostgreSQL the nearest come first from the facilities' sphere index (``_nearest_first``): one query at any
    density. Elsewhere, and where the rows read leave a tie at the last place unsettled, E7's grid boxes
    (``_nearest_in_boxes``). Both give the same rows in the same order.
    """
    found = _nearest_first(community, limit) if connection.vendor == "postgresql" else None
    if found is None:
        found = _nearest_in_boxes(community, limit)
    kinds = choice_labels(FacilityKind.choices)  # once for the page, not get_kind_display per row
    rows = [
        {"facility": NearestFacility(pk, code, name, kind, address), "kind": kinds.get(kind, ""),
         "metres": metres, "distance": describe_distance(metres)}
        for metres, code, pk, name, kind, address in found[:limit]
    ]
    # The community's district's (facility_care_unlocated): the same few at any size of city.
    unlocated = _UNLOCATED.column(division_id=community.district_id)[0] if community.district_id else 0
    return rows, unlocated


def _point(community, pk, lat, lon, code, name, kind, address):
    """A candidate as the search sorts it: metres first, then the code (the order of a tie), then what is shown."""
    return haversine_m(community.latitude, community.longitude, lat, lon), code, pk, name, kind, address


def _nearest_in_boxes(community, limit):
    """E7's grid (``facility_care_grid``): a box around the community that grows until it holds ``limit``
    facilities inside the circle it encloses — everything inside that circle is in the box, so those are the
    nearest. Its cost follows the density around the community, not the size of the city (at 40× the 1.1 km box
    holds 40× the facilities the 1× city's does). A box reads what the page shows of its candidates too."""
    found = []
    for degrees in NEAREST_BOXES:
        radius = degrees * METRES_PER_DEGREE
        points = [_point(community, *row) for row in _in_box(community.latitude, community.longitude, degrees)]
        found = sorted(point for point in points if point[0] <= radius)
        if len(found) >= limit:
            break
    return found


NEAREST_TIES = SPHERE_TIES  # rows read past the ``limit`` nearest, to settle a tie at the last place


def _nearest_first(community, limit):
    """The ``limit`` nearest (within the largest box's circle) read nearest first from the sphere index of eldercare
    facilities (``core.geo.sphere_distance``, ``portal`` migration 0006), ``NEAREST_TIES`` more to settle a tie; one
    statement, compiled once a process. None when a row as far as the last one kept may be unread."""
    query = compiled(("eldercare nearest, nearest first", limit), lambda: _sphere_query(limit + NEAREST_TIES))
    read = [_point(community, *row) for row in query.tuples(
        replacing=dict(zip(ORIGIN_STAND_INS, unit_sphere(community.latitude, community.longitude), strict=True)))]
    nearest = settled_nearest(read, limit)
    if nearest is None:
        return None
    radius = NEAREST_BOXES[-1] * METRES_PER_DEGREE
    return [point for point in nearest if point[0] <= radius]


def _sphere_query(count):
    """The ``count`` operating candidates nearest the point ``ORIGIN_STAND_INS`` stands for, by the sphere index
    (its rows are the located ones: the same condition lets PostgreSQL use it)."""
    return (
        Facility.objects.operating()
        .filter(kind__in=NEAREST_KINDS, latitude__isnull=False, longitude__isnull=False)
        .alias(sphere=sphere_distance("latitude", "longitude", *ORIGIN_STAND_INS))
        .order_by("sphere")
        .values_list(*_BOX_COLUMNS)[:count]
    )


_UNLOCATED = Prepared(
    Facility.objects.operating().filter(kind__in=NEAREST_KINDS, division__district_id=STAND_IN)
    .filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
    .order_by().values(whole=Value(1)).annotate(count=Count("pk")).values_list("count"),  # a constant: no GROUP BY
    stand_in=STAND_IN,
)


# --- staff: the monthly visit to-do -----------------------------------------------------------------------


def local_today():
    """Today's date in Asia/Shanghai: the calendar the visit month follows."""
    return local_now().date()


def street_elders(user, street):
    """Elders registered in ``street``'s communities that ``user`` may see."""
    return scoping.scope(user, Elder.objects.filter(community__street=street))


def visit_rate(user, street, today):
    """Registered, visited this month, and the rate — E5's rule: any visit dated in the month, phone included."""
    visited = Exists(Visit.objects.in_month(today).filter(elder=OuterRef("pk")))
    figures = street_elders(user, street).aggregate(registered=Count("pk"), visited=Count("pk", filter=visited))
    registered = figures["registered"]
    figures["rate"] = figures["visited"] * 100 / registered if registered else None
    return figures


def unvisited_elders(user, street, today, category=None):
    """The elders of ``street`` with no visit dated in ``today``'s month, with their last visit date.

    ``category``: only the elders who have it among their categories.
    """
    visited = Exists(Visit.objects.in_month(today).filter(elder=OuterRef("pk")))
    last_visit = Visit.objects.filter(elder=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1]
    elders = street_elders(user, street)
    if category is not None:
        elders = elders.filter(categories=category)
    return (
        elders.filter(~visited)
        .annotate(last_visited_on=Subquery(last_visit))
        .select_related("community")
        .prefetch_related("categories")
        .order_by(F("last_visited_on").asc(nulls_first=True), "community__code", "code")  # 从未探访 first
    )


def streets_for(user):
    """Streets whose to-do ``user`` may open: a clerk's own, every street for bureau staff."""
    return scoping.divisions_for(user, levels=(Level.STREET,)).select_related("district").order_by("code")

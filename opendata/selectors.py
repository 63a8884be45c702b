"""Reads of the open data: the public records of three models as one paged list.

The services are listed kind by kind — centres, then eldercare facilities, then volunteer teams — each by
division code and record code, so a page is at most three slices: one count (unfiltered, the kept totals: one
read for the three) and, per kind, one fetch of its records and one of their services (``opendata.rows``),
whatever ``per_page`` is. The stream, the data package and a record's own page read the ORM's records with
their prefetch (``public_centres`` …).
"""

import math
from dataclasses import dataclass

from django.db.models import Max, Prefetch, Q

from core import kept_figures
from core.geo import EARTH_RADIUS_M, haversine_m
from core.models import Division, Level
from eldercare.models import CareService, Facility, FacilityKind
from facilities.models import Centre, Service
from opendata import rows, taxonomy
from opendata.ids import Resolver
from volunteers.models import ServiceField, Team

# The divisions a record names are read for their names, codes, levels and places: not their bookkeeping and
# figures (each timestamp a parsed datetime: three divisions a record, fifty records a page).
_UNREAD = ("created_at", "updated_at", "version", "households", "population", "population_60plus")


def _unread(*divisions):
    return [f"{division}__{name}" for division in divisions for name in _UNREAD]


# Centres and teams are ordered by their own copy of the community's code (core.community_codes): the order of
# ``community__code``, on the index ``(community_code, code)`` that hands a page's keys over (``opendata.rows``).


def public_centres():
    return (
        Centre.objects.operating()
        .select_related("community__street", "community__district")
        .defer(*_unread("community", "community__street", "community__district"))
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("ordering", "name")))
        .order_by("community_code", "code")
    )


def public_facilities():
    return (
        Facility.objects.operating()
        .select_related("division__street", "division__district")
        .defer(*_unread("division", "division__street", "division__district"))
        .prefetch_related(Prefetch("services", queryset=CareService.objects.order_by("ordering")))
        .order_by("division__code", "code")
    )


def public_teams():
    return (
        Team.objects.select_related("community__street", "community__district")
        .defer(*_unread("community", "community__street", "community__district"))
        .prefetch_related(Prefetch("fields", queryset=ServiceField.objects.order_by("name")))
        .order_by("community_code", "code")
    )


KINDS = (("centre", public_centres), ("facility", public_facilities), ("team", public_teams))
MODELS = {"centre": Centre, "facility": Facility, "team": Team}
RESOLVERS = {kind: Resolver(model._meta.label) for kind, model in MODELS.items()}
SAL_RESOLVERS = {kind: Resolver(model._meta.label, "service_at_location") for kind, model in MODELS.items()}


def highest_pk(kind):
    return MODELS[kind].objects.aggregate(m=Max("pk"))["m"]


@dataclass
class Filters:
    """The HSDS list filters, already parsed (``opendata.params``)."""

    search: str = ""
    selection: taxonomy.Selection | None = None  # from taxonomy_term_id / taxonomy_id
    organization: tuple | None = None  # ("office", street) or ("institution", facility pk) or ("none", None)
    modified_after: object = None
    near: tuple | None = None  # (latitude, longitude, metres)


def _search_q(kind, text):
    if kind == "team":
        return Q(name__icontains=text) | Q(meeting_place__icontains=text)
    return Q(name__icontains=text) | Q(address__icontains=text)


def _organization_q(kind, organization):
    how, value = organization
    if how == "none":
        return None
    if how == "institution":
        return Q(pk=value, kind=FacilityKind.INSTITUTION) if kind == "facility" else None
    street = value
    if kind == "facility":
        return (Q(division=street) | Q(division__street=street)) & ~Q(kind=FacilityKind.INSTITUTION)
    return Q(community__street=street)


def _near_q(kind, near):
    """Records with coordinates within ``metres`` of the point: a bounding box in the database, then haversine."""
    if kind == "team":
        return None  # teams have no coordinates
    latitude, longitude, metres = near
    dlat = math.degrees(metres / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(latitude)), 0.01)
    box = MODELS[kind].objects.operating().filter(
        latitude__range=(latitude - dlat, latitude + dlat), longitude__range=(longitude - dlon, longitude + dlon)
    )
    inside = [
        pk for pk, lat, lon in box.values_list("pk", "latitude", "longitude")
        if haversine_m(latitude, longitude, lat, lon) <= metres
    ]
    return Q(pk__in=inside)


def filtered(kind, make, filters):
    """The public records of one kind that pass ``filters`` (None: none of this kind can)."""
    queryset = make()
    if filters.search:
        queryset = queryset.filter(_search_q(kind, filters.search))
    if filters.selection is not None:
        q = getattr(filters.selection, kind)
        if q is None:
            return None
        if q:
            queryset = queryset.filter(q).distinct()
    if filters.organization is not None:
        q = _organization_q(kind, filters.organization)
        if q is None:
            return None
        queryset = queryset.filter(q)
    if filters.modified_after is not None:
        queryset = queryset.filter(updated_at__gte=filters.modified_after)
    if filters.near is not None:
        q = _near_q(kind, filters.near)
        if q is None:
            return None
        queryset = queryset.filter(q)
    return queryset


@dataclass
class Page:
    records: list
    total_items: int
    page_number: int
    per_page: int

    @property
    def total_pages(self):
        return math.ceil(self.total_items / self.per_page) if self.total_items else 0


#: The whole-deployment total of each kind's public records, as ``core.kept_figures`` names it.
KEPT_TOTALS = {"centre": "facilities.centre.operating", "facility": "eldercare.facility.operating",
               "team": "volunteers.team.all"}


def _counter(make):
    """``count()`` of ``make()``, built only if asked (where no app keeps the total)."""
    return lambda: make().count()


def _counts(querysets):
    """How many records of each kind pass the filters (``querysets``; None: unfiltered, the kept totals: one sum
    of a few thousand rows for the three kinds instead of a count of every record, 92 of the list's 103 ms at 40×)."""
    if querysets is None:
        kept = kept_figures.totals({KEPT_TOTALS[kind]: _counter(make) for kind, make in KINDS})
        return [kept[KEPT_TOTALS[kind]] for kind, _make in KINDS]
    return [0 if queryset is None else queryset.count() for queryset in querysets]


def service_page(filters, page_number, per_page, *, summary=False):
    """One page of public records across the three kinds: a count and a slice per kind, each slice read as
    rows (``opendata.rows``: its records, then their services). Unfiltered, no queryset is built: each slice's
    query was compiled once a process. ``summary``: the page shows no more of a service than its summary (no
    hours, phone or place read)."""
    querysets = None if filters == Filters() else [filtered(kind, make, filters) for kind, make in KINDS]
    counts = _counts(querysets)
    start, stop = (page_number - 1) * per_page, page_number * per_page
    records, offset = [], 0
    for index, ((kind, make), count) in enumerate(zip(KINDS, counts, strict=True)):
        low, high = max(start - offset, 0), min(stop - offset, count)
        if querysets is None and low < high:
            records.extend(rows.unfiltered_page(kind, make, low, high, summary))
        elif low < high and querysets[index] is not None:
            records.extend(rows.filtered_page(kind, querysets[index][low:high], summary))
        offset += count
    return Page(records, sum(counts), page_number, per_page)


def all_records(chunk=500):
    """Every public record, kind by kind (for the data package): a query and its prefetch per chunk."""
    for _kind, make in KINDS:
        queryset = make()
        last = None
        while True:
            rows = list((queryset.filter(pk__gt=last) if last else queryset).order_by("pk")[:chunk])
            yield from rows
            if len(rows) < chunk:
                break
            last = rows[-1].pk


def record_by_id(text):
    """The public record whose service id is ``text``, or None (an aggregate query per kind, then one fetch)."""
    for kind, make in KINDS:
        pk = RESOLVERS[kind].pk(text, highest_pk(kind))
        if pk is not None:
            return make().filter(pk=pk).first()
    return None


# ------------------------------------------------------------------ organizations


def streets():
    return Division.objects.streets().select_related("district").order_by("code")


def institutions():
    return (
        Facility.objects.operating()
        .filter(kind=FacilityKind.INSTITUTION)
        .select_related("division__street", "division__district")
        .order_by("division__code", "code")
    )


def organization_page(search, page_number, per_page):
    """Street offices, then institutions (their own operators): a count and a slice of each."""
    office_qs, institution_qs = streets(), institutions()
    if search:
        office_qs = office_qs.filter(name__icontains=search)
        institution_qs = institution_qs.filter(name__icontains=search)
    counts = [office_qs.count(), institution_qs.count()]
    start, stop = (page_number - 1) * per_page, page_number * per_page
    rows, offset = [], 0
    for kind, queryset, count in (("office", office_qs, counts[0]), ("institution", institution_qs, counts[1])):
        low, high = max(start - offset, 0), min(stop - offset, count)
        if low < high:
            rows.extend((kind, row) for row in queryset[low:high])
        offset += count
    return Page(rows, sum(counts), page_number, per_page)


OFFICE_RESOLVER = Resolver("core.Division", "office")
INSTITUTION_RESOLVER = Resolver("eldercare.Facility", "organization")


def organization_by_id(text):
    """``("office", street)`` or ``("institution", facility)`` whose organization id is ``text``, or None."""
    pk = OFFICE_RESOLVER.pk(text, Division.objects.aggregate(m=Max("pk"))["m"])
    if pk is not None:
        street = streets().filter(pk=pk).first()
        return ("office", street) if street is not None else None
    pk = INSTITUTION_RESOLVER.pk(text, Facility.objects.aggregate(m=Max("pk"))["m"])
    if pk is not None:
        facility = institutions().filter(pk=pk).first()
        return ("institution", facility) if facility is not None else None
    return None


def services_of_organizations(rows):
    """``{organization id: [records]}`` for a page of organizations: a fetch and a prefetch per kind, however
    many organizations the page holds."""
    from opendata.mapping import organization_id

    streets_ = [row for kind, row in rows if kind == "office"]
    institutions_ = [row.pk for kind, row in rows if kind == "institution"]
    grouped = {}
    for kind, make in KINDS:
        if kind == "facility":
            q = Q(pk__in=institutions_, kind=FacilityKind.INSTITUTION) | (
                (Q(division__in=streets_) | Q(division__street__in=streets_)) & ~Q(kind=FacilityKind.INSTITUTION)
            )
        else:
            q = Q(community__street__in=streets_)
        if not streets_ and (kind != "facility" or not institutions_):
            continue
        for record in make().filter(q):
            grouped.setdefault(organization_id(record), []).append(record)
    return grouped


def organization_filter(organization):
    how, value = organization
    return (how, value if how == "office" else value.pk)


def community_point(code):
    """``(latitude, longitude)`` of a community by its 12-digit code, or None."""
    row = Division.objects.filter(code=code, level=Level.COMMUNITY).values_list("latitude", "longitude").first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return row

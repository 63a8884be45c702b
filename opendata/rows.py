"""A page of the services list read as rows: the records with their divisions' columns, then their services.

Why: with ``select_related`` of three divisions and a prefetch of the services, a page of fifty records built
~350 model instances, a related manager and queryset clones per record, and compiled its SQL on every request
(compiling cost as much as running it): 17.5 ms a page against 6.5 for ``/facilities/``. Here a kind's slice is
one query for the records and the columns the mapping reads of their division, its street and its district
(one ``Division`` per distinct division of the page: many records share a street), and one for the
``(record, service)`` pairs of the page's records (one instance per distinct service: closed lists of a few
dozen). The unfiltered list's queries are compiled once a process (``core.compiled``): the records' per slice
(LIMIT and OFFSET are literal in the SQL), the pairs' per number of records (the ids put in place of stand-ins).

Each column costs: a page of summaries reads neither hours nor phone nor place (``SUMMARY_UNREAD``), and each
division only what the mapping reads of it in its place (``PLACES``).

The records come out as ``opendata.mapping`` reads them: their division, its street and its district cached on
the relations, as ``select_related`` leaves them, and the services (a team's fields) as ``record.linked``.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import DEFERRED

from core.compiled import MAX_IDS, STAND_INS, compiled, placed
from core.hours import WEEKDAY_FIELDS
from core.models import Division
from core.places import keyed_slice
from eldercare.models import Facility
from facilities.models import Centre
from volunteers.models import Team

#: A record's own columns that no HSDS object shows (the search text is the longest column of the row; the
#: community's code is read from the community, the record's copy is only for sorting: core.community_codes).
UNREAD = frozenset({"created_at", "version", "search_text", "verified_by_id", "status", "community_code"})
#: What only a whole service reads (its location, address, schedules and phones), not its summary.
SUMMARY_UNREAD = UNREAD | {*WEEKDAY_FIELDS, "hours_holiday", "shortest_day_minutes", "code", "address",
                           "meeting_place", "phone", "latitude", "longitude"}
#: ``(relation from the record's division or None for the division itself, the columns the mapping reads of it)``:
#: of the division its names, codes, level and places, of its street what its office shows, of its district its name.
PLACES = (
    (None, ("id", "name", "code", "kind", "level", "street_id", "district_id")),
    ("street", ("id", "name", "code", "kind", "district_id")),
    ("district", ("id", "name")),
)


def _slots(model, keys):
    """For each of ``model``'s columns, the key of its value in a row (``keys``: ``{attname: key}``), or None for a
    column left deferred: a row's values in the order ``from_db`` takes them, whole, so that it need not look
    each column up among the names (a twentieth of a millisecond per record of thirty columns)."""
    return [keys.get(field.attname) for field in model._meta.concrete_fields]


def _instance(model, db, slots, row):
    return model.from_db(db, slots, [DEFERRED if key is None else row[key] for key in slots])


@dataclass(frozen=True)
class Shape:
    """How one kind is read: its division's relation, its many-to-many and the service columns the mapping uses."""

    model: type
    division: str  # the foreign key to the record's division ("community" or "division")
    many: str  # the many-to-many of its services ("services" or "fields")
    column: str  # the service's column the mapping reads besides its id ("name" or "code")
    order: tuple  # the services' order within a record (the prefetch's)
    in_summary: bool  # whether a summary names the services (a facility's 十助, a team's fields), or only attributes

    def own(self, summary):
        """The record's slots (``_slots``), keyed by attname: what a summary reads, or a whole service."""
        unread = SUMMARY_UNREAD if summary else UNREAD
        return _slots(self.model, {field.attname: field.attname for field in self.model._meta.concrete_fields
                                   if field.attname not in unread})

    @cached_property
    def places(self):
        """The slots of the division, its street and its district (``PLACES``), keyed by lookups from the record."""
        slots = []
        for relation, names in PLACES:
            prefix = self.division if relation is None else f"{self.division}__{relation}"
            keys = {name: f"{prefix}__{name.removesuffix('_id')}" for name in names}
            keys["id"] = f"{self.division}_id" if relation is None else prefix
            slots.append(_slots(Division, keys))
        return slots

    @cached_property
    def slots(self):
        """``{summary: (the record's slots, what values() reads)}``: the record's own columns, then its places'."""
        found = {}
        for summary in (True, False):
            own = self.own(summary)
            found[summary] = own, list(dict.fromkeys(key for slots in (own, *self.places) for key in slots if key))
        return found


SHAPES = {
    "centre": Shape(Centre, "community", "services", "name", ("ordering", "name"), in_summary=False),
    "facility": Shape(Facility, "division", "services", "code", ("ordering", "id"), in_summary=True),
    "team": Shape(Team, "community", "fields", "name", ("name",), in_summary=True),
}
_ID = [field.attname for field in Division._meta.concrete_fields].index("id")


def page_values(kind, queryset, summary):
    """``queryset`` (a slice of one kind's records, filtered or not) as ``values()`` of what a page reads."""
    return queryset.select_related(None).prefetch_related(None).values(*SHAPES[kind].slots[summary][1])


def unfiltered_page(kind, make, low, high, summary):
    """The records ``low:high`` of the unfiltered list of ``kind`` (``make()``), with their places and services: the
    query compiled once a process per slice. Past the first page, the database skips the narrow rows of the
    order's index (centres and teams: ``(community_code, code)``) and joins only the page's (``keyed_slice``; the
    team page 1,250–1,300 at 1× had been a sort of every team joined with its places, 6.5 ms)."""
    prepared = compiled(("opendata:page", kind, summary, low, high),
                        lambda: page_values(kind, keyed_slice(make(), low, high), summary))
    return records(kind, prepared.queryset.db, prepared.records(), summary)


def filtered_page(kind, queryset, summary):
    """The records of a slice of a filtered list, with their places and services: compiled as it comes (the
    filters are part of the SQL), by the ORM (a taxonomy's ``distinct()`` selects the order's columns too)."""
    return records(kind, queryset.db, list(page_values(kind, queryset, summary)), summary)


def records(kind, db, rows, summary):
    """Records from the ``page_values`` rows of a page, with their places and their services (one more query,
    none for a page of centres' summaries: a centre's summary doesn't name its services)."""
    shape = SHAPES[kind]
    own = shape.slots[summary][0]
    relation = shape.model._meta.get_field(shape.division)
    around = [Division._meta.get_field(name) for name, _columns in PLACES[1:]]
    divisions, found = [{} for _place in PLACES], []
    for row in rows:
        record = _instance(shape.model, db, own, row)
        division, *places = (_division(known, db, slots, row) for known, slots in zip(divisions, shape.places,
                                                                                         strict=True))
        if division is not None:
            for field, place in zip(around, places, strict=True):
                field.set_cached_value(division, place)
        relation.set_cached_value(record, division)
        found.append(record)
    if found and (shape.in_summary or not summary):
        _link(shape, db, found)
    return found


def _division(known, db, slots, row):
    """One ``Division`` per division of the page in its place (many records share a street), with the columns
    read there, the others deferred."""
    pk = row[slots[_ID]]
    if pk is None:
        return None
    if pk not in known:
        known[pk] = _instance(Division, db, slots, row)
    return known[pk]


def _pairs(shape, ids):
    """``(record, service, its column)`` of the services of the records ``ids``, in each record's order."""
    field = shape.model._meta.get_field(shape.many)
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    return (
        field.remote_field.through.objects.filter(**{f"{owner}_id__in": ids})
        .order_by(*(f"{target}__{name}" for name in shape.order))
        .values_list(f"{owner}_id", f"{target}_id", f"{target}__{shape.column}")
    )


def _pairs_of(shape, count):
    """The ``_pairs`` query of ``count`` ids, compiled once a process per count: as many stand-ins as ids, not
    ``for_ids``' next power of two, for psycopg keeps its parse of a statement of at most 50 parameters (a page of
    the default size) and parsed the 64 of a page of 50 again each time."""
    return compiled((f"opendata:{shape.model._meta.label}.{shape.many}", count),
                    lambda: _pairs(shape, STAND_INS[:count]))


def _link(shape, db, found):
    """``record.linked``: the services (fields) of each record, in order; one instance per distinct service."""
    linked = {record.pk: [] for record in found}
    target = shape.model._meta.get_field(shape.many).related_model
    targets = {}
    for start in range(0, len(found), MAX_IDS):  # a query is compiled for at most MAX_IDS ids
        ids = list(linked)[start:start + MAX_IDS]
        for owner, pk, value in _pairs_of(shape, len(ids)).tuples(replacing=placed(ids)):
            if pk not in targets:
                targets[pk] = target.from_db(db, ["id", shape.column], [pk, value])
            linked[owner].append(targets[pk])
    for record in found:
        record.linked = linked[record.pk]

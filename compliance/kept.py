"""Kept board figures: every key division's grouped sums, kept up to date in the writer's own transaction.

The board (``compliance.board``) reads, per base table, ``{group: {column: sum}}`` for the district, street or
city groups under a division. Computed from the records, that read grows with the data (1.7 s for the whole
40× province). Kept, it is a sum over rows of ``KeptFigure``: one per *key division* — a record's street, or its
division where it stands in no street — holding what ``board.grouped_querysets(…, by="street")`` gives for that
key. Every group the board asks for (a district, a street, a city) is a union of keys, and every column is a
``Count`` or a ``Sum``, so adding the keys' rows gives exactly the grouped query's figures.

Kept for one month (E5 counts the visits of a month): the month of the row without a division, the *mark*.
Without a mark for the month asked, or inside ``timeline.as_of`` (``bypassed``), the board computes as before.
``rebuild`` writes every row and the mark (``manage.py keep_figures``; ``seed_demo`` and the benchmark's
generator call it); from then on:

- ``post_save``/``post_delete`` of the records the rules read recompute the keys the record stood in before and
  after the write (for an institution also E8's district; for an eldercare facility that E7 starts or stops
  counting at a point — created, moved, closed —, E7's neighbours within 1 km of it) — in the same transaction,
  so no reader ever sees figures that differ from the records;
- the bulk writers that send no signal (the workbook import) go through ``core.kept_figures.writing``.

Two writers of one key are serialised by locking the key's division row (``SELECT … FOR NO KEY UPDATE``) before it is
recomputed: the second then recomputes from what the first committed. ``verify_figures`` recomputes every key.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from compliance.models import KeptFigure, KeptRollup
from core import kept_figures
from core.bulk import chunks
from core.dates import last_full_month
from core.models import Division, Level
from core.scoping import division_q
from eldercare.models import FacilityKind

CHUNK = 500
#: Levels a board is kept for (a board inside a community is not a union of keys).
KEPT_WITHIN = {Level.STREET, Level.DISTRICT, Level.CITY, Level.PROVINCE}
#: Levels whose divisions hold whole districts: a board inside one of them may add districts' roll-ups.
WHOLE_DISTRICTS = {Level.DISTRICT, Level.CITY, Level.PROVINCE}
#: The board's ``by`` → the key division's ancestor that groups it (the key itself where it has none).
GROUP_FIELD = {"street": "division__street", "district": "division__district", "city": "division__city",
               "province": "division__province"}

_BYPASSED = ContextVar("compliance_kept_bypassed", default=False)


@contextmanager
def bypassed():
    """Inside the block the board never reads kept rows (``timeline.as_of``: the tables are a past month's)."""
    token = _BYPASSED.set(True)
    try:
        yield
    finally:
        _BYPASSED.reset(token)


# -- computing -------------------------------------------------------------------------------------------


def _key_q(path, keys):
    """Records of a base whose key division is one of ``keys``: the division itself is a key, or its street is."""
    divisions = Division.objects.filter(Q(pk__in=keys) | Q(street__in=keys)).values("pk")
    return Q(pk__in=divisions) if path == "" else Q(**{f"{path}__in": divisions})


def _dump(value):
    return str(value) if isinstance(value, Decimal) else value


def _load(value):
    return Decimal(value) if isinstance(value, str) else value


_QUERYSETS = {}


def _querysets(month):
    """Every base's grouped query by key for ``month``, built once a process per month (as ``board_queries``)."""
    from compliance.board import grouped_querysets, merge_needs
    from compliance.kinds import Context
    from compliance.rules import INDICATORS

    if month not in _QUERYSETS:
        if len(_QUERYSETS) >= 24:
            _QUERYSETS.clear()
        _QUERYSETS[month] = grouped_querysets(merge_needs(INDICATORS.values(), Context(month=month)), None, "street")
    return _QUERYSETS[month]


def compute(month, keys=None, bases=None):
    """``{key: {base: {column: value}}}`` from the records, for ``keys`` (every key when None) and ``bases``
    (every base table when None)."""
    from compliance.board import BASES

    found = {}
    for name, queryset in _querysets(month).items():
        if bases is not None and name not in bases:
            continue
        batches = [queryset.all()] if keys is None else [  # clones: the cached queryset keeps no rows
            queryset.filter(_key_q(BASES[name].path, chunk)) for chunk in chunks(sorted(keys), CHUNK)]
        for batch in batches:
            for row in batch:
                group = row.pop("group")
                found.setdefault(group, {})[name] = {column: _dump(value) for column, value in row.items()}
    return found


_READING = {}


def bases_reading(model):
    """The base tables whose grouped query reads ``model``'s table (its SQL names it: a join, an ``Exists``):
    those a write of ``model`` can change. Read off the queries themselves, so a new rule needs no list here."""
    if model not in _READING:
        table = connection.ops.quote_name(model._meta.db_table)
        _READING[model] = {name for name, queryset in _querysets(date(2000, 1, 1)).items() if table in str(queryset.query)}
    return _READING[model]


def kept_month():
    """The month the kept rows are for, or None when nothing is kept (the mark's partial unique index)."""
    months = list(KeptFigure.objects.filter(division__isnull=True).order_by().values_list("month", flat=True)[:1])
    return months[0] if months else None


def rebuild(month=None):
    """Every key's rows, the districts' roll-ups and the mark for ``month`` (default: the board's, the last full
    month), in one transaction."""
    month = month or last_full_month()
    with transaction.atomic():
        KeptFigure.objects.all().delete()
        KeptRollup.objects.all().delete()
        rows = [KeptFigure(month=month, division_id=key, sums=sums) for key, sums in compute(month).items()]
        KeptFigure.objects.bulk_create([*rows, KeptFigure(month=month, division=None)], batch_size=1000)
        rollups = []
        _district_rows(month, None, "district", rollups)  # every district's, added from the rows just written
        KeptRollup.objects.bulk_create(rollups, batch_size=1000)
    return len(rows)


def refresh(keys, *, bases=None, month=None):
    """Recompute ``keys``' rows (inside the caller's transaction), if figures are kept; only the ``bases`` given
    (``bases_reading`` of the model written), the others kept as they are."""
    keys = sorted({key for key in keys if key is not None})
    if not keys or _BYPASSED.get():
        return
    month = month or kept_month()
    if month is None:
        return
    with transaction.atomic():
        for chunk in chunks(keys, CHUNK):
            # The keys' division rows locked first (in pk order): a second writer of the same key waits, then
            # recomputes from what this one committed. FOR NO KEY UPDATE: a row that merely references the key
            # (a foreign key's KEY SHARE check, e.g. another writer's KeptFigure row) is not blocked — FOR UPDATE
            # deadlocked a clerk's save against an import in the soak. Keys deleted meanwhile get no row.
            present = set(Division.objects.select_for_update(no_key=True).filter(pk__in=chunk).order_by("pk")
                          .values_list("pk", flat=True))
            found = compute(month, chunk, bases)
            if bases is not None:  # the other bases' sums as they were
                for key, sums in KeptFigure.objects.filter(month=month, division__in=chunk).values_list("division", "sums"):
                    found[key] = {**{name: value for name, value in sums.items() if name not in bases},
                                  **found.get(key, {})}
            found = {key: sums for key, sums in found.items() if key in present and sums}
            KeptFigure.objects.filter(month=month, division__in=[key for key in chunk if key not in found]).delete()
            KeptFigure.objects.bulk_create(
                [KeptFigure(month=month, division_id=key, sums=sums) for key, sums in found.items()],
                update_conflicts=True, unique_fields=["month", "division"], update_fields=["sums", "stamp"],
            )


# -- reading ---------------------------------------------------------------------------------------------


def read(month, within, by):
    """``{base: {group: row}}`` as ``board.board_rows`` gives it, summed from the kept rows; None when the board
    must compute it (nothing kept for ``month``, a past month's tables, a board inside a community).

    A board grouped above the streets (by district, city or province) adds each district's roll-up
    (``KeptRollup``) instead of its streets' rows: one row per district. All is read in one snapshot.
    """
    if _BYPASSED.get() or by not in GROUP_FIELD or (within is not None and within.level not in KEPT_WITHIN):
        return None
    if by == "street" or (within is not None and within.level not in WHOLE_DISTRICTS):
        return _grouped(_key_rows(month, within, by), by)  # one query
    written = []
    with kept_figures.snapshot():
        fetched = _key_rows(month, within, by, division__district__isnull=True)  # with the mark, if kept
        if any(key is None for key, _upper, _level, _sums in fetched):
            fetched += _district_rows(month, within, by, written)
    if written:  # after the snapshot, in the reader's own statement: no writer waits on a roll-up
        KeptRollup.objects.bulk_create(written, update_conflicts=True, unique_fields=["month", "district"],
                                       update_fields=["rows", "stamp", "sums"])
    return _grouped(fetched, by)


def _inside(within):
    return Division.objects.filter(division_q(Division, within)).values("pk")


def _key_rows(month, within, by, **only):
    """``[(key, group, level, sums)]`` of the kept rows under ``within`` (and the mark)."""
    rows = KeptFigure.objects.filter(month=month, **only)
    if within is not None:
        rows = rows.filter(Q(division__isnull=True) | Q(division__in=_inside(within)))
    return list(rows.values_list("division", GROUP_FIELD[by], "division__level", "sums"))


def _district_rows(month, within, by, written):
    """``[(district, group, level, sums)]``: each district's roll-up where the count and the stamps of its streets'
    kept rows are still those it was added from, else added again from them (and appended to ``written``)."""
    keys = KeptFigure.objects.filter(month=month, division__district__isnull=False)
    if within is not None:
        keys = keys.filter(division__in=_inside(within))
    # The group a district adds into: itself, or its city or province (the same on all its streets' rows).
    fields = ["division__district"] if by == "district" else ["division__district", GROUP_FIELD[by]]
    stamps = {}
    for district, *group, count, stamp in (keys.order_by().values(*fields).annotate(count=Count("pk"), stamp=Sum("stamp"))
                                           .values_list(*fields, "count", "stamp")):
        stamps[district] = (group[0] if group else district, count, stamp)
    kept_rollups = {district: (count, stamp, sums) for district, count, stamp, sums in KeptRollup.objects.filter(
        month=month, district__in=list(stamps)).values_list("district", "rows", "stamp", "sums")}
    stale = [district for district, (_group, count, stamp) in stamps.items()
             if kept_rollups.get(district, (None, None))[:2] != (count, stamp)]
    fresh = _added_up(month, stale)
    fetched = []
    for district, (group, count, stamp) in stamps.items():
        if district in fresh:
            count, stamp, sums = fresh[district]
            written.append(KeptRollup(month=month, district_id=district, rows=count, stamp=stamp, sums=sums))
        else:
            sums = kept_rollups[district][2]
        fetched.append((district, group, Level.DISTRICT, sums))
    return fetched


def _added_up(month, districts):
    """``{district: (rows, sum of stamps, sums)}`` from the districts' streets' kept rows."""
    found = {}
    for chunk in chunks(districts, CHUNK):
        rows = KeptFigure.objects.filter(month=month, division__district__in=chunk)
        for district, stamp, sums in rows.values_list("division__district", "stamp", "sums"):
            count, total, added = found.setdefault(district, (0, 0, {}))
            for base, columns in sums.items():
                _add(added.setdefault(base, {}), columns)
            found[district] = (count + 1, total + stamp, added)
    return {district: (count, stamp, {base: {column: _dump(value) for column, value in columns.items()}
                                      for base, columns in added.items()})
            for district, (count, stamp, added) in found.items()}


def _grouped(fetched, by):
    if all(key is not None for key, _upper, _level, _sums in fetched):
        return None  # no mark: this month is not kept
    grouped = {}
    for key, upper, level, sums in fetched:
        if key is None:
            continue
        if upper is None and level == Level.STREET and by != "street":
            # A street with no district (city): the computed board groups its communities' records each by
            # their own community, which its one row cannot split.
            return None
        group = upper or key
        for base, columns in sums.items():
            _add(grouped.setdefault(base, {}).setdefault(group, {"group": group}), columns)
    return grouped


def _add(into, columns):
    """Add one kept row's ``columns`` into ``into``: a ``Sum`` of no value is None, as in SQL; a ``Decimal`` is
    kept as a string (``_dump``). One loop, no call per value: a province at 40× adds 211,000 of them."""
    for column, value in columns.items():
        if value is None:
            into.setdefault(column, None)
            continue
        if value.__class__ is str:
            value = Decimal(value)
        total = into.get(column)
        into[column] = value if total is None else total + value


# -- which keys a write touches ---------------------------------------------------------------------------

KEY = Coalesce(F("street"), F("pk"))


def division_keys(pks, *, with_district=False):
    """The keys of the divisions ``pks`` (their street, or themselves), and their districts if asked."""
    keys = set()
    for chunk in chunks(pks, CHUNK):
        for key, district in Division.objects.filter(pk__in=chunk).annotate(key=KEY).values_list("key", "district"):
            keys.add(key)
            if with_district and district:
                keys.add(district)
    return keys


def record_keys(model, pks):
    """``(keys, points)``, one query a chunk: the keys the records ``pks`` of ``model`` stand in now — the key of
    the record's division; for a division, an institution (E8: its district's row) also the district —, and for
    eldercare facilities ``{pk: (latitude, longitude)}`` of those E7 counts (an operating day-care or street centre
    on the map), whose 1 km neighbours E7 reads."""
    pks = [pk for pk in pks if pk is not None]
    path = model.SCOPE_DIVISION
    if path == "":
        return division_keys(pks, with_district=True), {}
    rows = model._default_manager.all()
    columns = [f"{path}__street", path, f"{path}__district"]
    if model._meta.label == "eldercare.Facility":
        from compliance.rules import INDICATORS

        counted = INDICATORS["E7"].counted_facilities().filter(pk=OuterRef("pk"))
        rows = rows.annotate(e7_counted=Exists(counted))
        columns += ["kind", "pk", "latitude", "longitude", "e7_counted"]
    keys, points = set(), {}
    for chunk in chunks(pks, CHUNK):
        for street, division, district, *facility in rows.filter(pk__in=chunk).values_list(*columns):
            keys.add(street or division)
            if facility:
                kind, pk, latitude, longitude, e7_counted = facility
                if kind == FacilityKind.INSTITUTION and district:
                    keys.add(district)
                if e7_counted and latitude is not None and longitude is not None:
                    points[pk] = (latitude, longitude)
    return keys, points


def moved_points(before, after):
    """The points of the facilities whose place in E7 changed between ``before`` and ``after``
    (``{pk: point}``): where one stopped counting and where it started. A facility edited without moving, or
    that E7 counts neither before nor after (an institution, a closed one), changes no neighbour's figure."""
    changed = {pk for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk)}
    return {points[pk] for pk in changed for points in (before, after) if pk in points}


#: More moved points than this (an import placing hundreds of facilities): E7's rows of every key are recomputed
#: at once, the cost of one whole E7 (0.4 s at 40×), rather than one grid probe per point.
NEAR_POINTS_LIMIT = 200


def neighbour_keys(points):
    """Keys of the communities within E7's 1 km of one of ``points`` (E7 counts a facility that near); of every
    community past ``NEAR_POINTS_LIMIT`` points."""
    from django.db.models import Value

    from compliance.distance import within_circle

    communities = Division.objects.filter(level=Level.COMMUNITY).annotate(key=KEY)
    if len(points) > NEAR_POINTS_LIMIT:
        return set(communities.order_by().values_list("key", flat=True).distinct())
    keys = set()
    for latitude, longitude in points:
        near = within_circle(communities, Value(latitude), Value(longitude))
        keys.update(near.values_list("key", flat=True))
    return keys


# -- keeping: signals and bulk writers -------------------------------------------------------------------

#: The records the rules read (compliance.kinds.BASES and the rules' ``Exists``).
WATCHED = {"core.Division", "facilities.Centre", "eldercare.Facility", "eldercare.Elder", "eldercare.Visit",
           "volunteers.Team", "volunteers.Worker"}


def _keeping():
    return None if kept_figures.deferred() else kept_month()


NOWHERE = (set(), {})


def _before(sender, instance, raw=False, **kwargs):
    """Where the record stands before the write (and the kept month: read once a write)."""
    instance._kept_month = None if raw else _keeping()
    if instance._kept_month is not None and instance.pk is not None:
        instance._kept_keys_before = record_keys(sender, [instance.pk])


def _refresh_records(model, month, before, after):
    """Recompute the keys the records stood in ``before`` the write and stand in ``after`` it (``record_keys``
    pairs) for the bases ``model``'s table is read by, and E7's base around the facilities that moved in E7."""
    keys = before[0] | after[0]
    refresh(keys, bases=bases_reading(model), month=month)
    near = neighbour_keys(moved_points(before[1], after[1])) - keys
    if near:
        from compliance.rules import INDICATORS

        refresh(near, bases={INDICATORS["E7"].base_name}, month=month)


def _saved(sender, instance, raw=False, **kwargs):
    month = getattr(instance, "_kept_month", None) if not raw else None
    if month is not None:
        _refresh_records(sender, month, getattr(instance, "_kept_keys_before", NOWHERE),
                         record_keys(sender, [instance.pk]))


def _deleted(sender, instance, **kwargs):
    if sender is Division:
        # Rows written for it while the records under it were deleted (after the delete collected its rows).
        KeptFigure.objects.filter(division_id=instance.pk).delete()
    month = getattr(instance, "_kept_month", None)
    if month is not None:
        _refresh_records(sender, month, getattr(instance, "_kept_keys_before", NOWHERE), NOWHERE)


def _bulk(model, pks):
    """``core.kept_figures.writing``'s listener: the keys before the write, and after it those of every record."""
    month = _keeping() if model._meta.label in WATCHED else None
    if month is None:
        return lambda written: None
    before = record_keys(model, pks)
    return lambda written: _refresh_records(model, month, before, record_keys(model, written))


def connect():
    """Called by ``ComplianceConfig.ready``."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    for label in sorted(WATCHED):
        model = apps.get_model(label)
        pre_save.connect(_before, sender=model, dispatch_uid=f"kept-before-{label}")
        post_save.connect(_saved, sender=model, dispatch_uid=f"kept-saved-{label}")
        pre_delete.connect(_before, sender=model, dispatch_uid=f"kept-before-delete-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"kept-deleted-{label}")
    kept_figures.register_writer(_bulk)
    kept_figures.register("compliance.board", check)
    kept_figures.register_rebuild("compliance.board", rebuild)


def check():
    """``verify_figures``: every key's kept rows against a recomputation (none when nothing is kept)."""
    month = kept_month()
    if month is None:
        return []
    stored = dict(KeptFigure.objects.filter(month=month, division__isnull=False).values_list("division", "sums"))
    fresh = compute(month)
    names = dict(Division.objects.filter(pk__in=set(stored) | set(fresh)).values_list("pk", "code"))
    return [
        f"{names.get(key, key)} {month:%Y-%m}: 保存 {stored.get(key)}，重算 {fresh.get(key)}"
        for key in sorted(set(stored) | set(fresh))
        if _loaded(stored.get(key)) != _loaded(fresh.get(key))
    ]


def _loaded(sums):
    return {base: {column: _load(value) for column, value in columns.items()} for base, columns in (sums or {}).items()}

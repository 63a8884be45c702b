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
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from compliance.kept_keys import CHUNK, moved_points, neighbour_keys, record_keys
from compliance.models import KeptFigure, KeptRollup
from core import kept_figures
from core.bulk import chunks
from core.compiled import for_ids, placed
from core.dates import last_full_month
from core.models import ANCESTOR_FIELD, Division, Level
from core.scoping import division_q

#: Levels a board is kept for (a board inside a community is not a union of keys).
KEPT_WITHIN = {Level.STREET, Level.DISTRICT, Level.CITY, Level.PROVINCE}
#: Levels whose divisions hold whole districts: a board inside one of them may add districts' roll-ups.
WHOLE_DISTRICTS = {Level.DISTRICT, Level.CITY, Level.PROVINCE}
#: Levels whose divisions hold whole cities: a board by city or province inside one of them adds cities' roll-ups.
WHOLE_CITIES = {Level.CITY, Level.PROVINCE}
#: The board's ``by`` → the key division's ancestor that groups it (the key itself where it has none).
GROUP_FIELD = {"street": "division__street", "district": "division__district", "city": "division__city",
               "province": "division__province"}
#: A roll-up's level → the division a kept row adds into (``KeptRollup``): its district; or its city, and where it
#: stands in no city its district (that roll-up's rows are its district roll-up's: the two are one row).
ROLLUP_KEY = {Level.DISTRICT: F("division__district"), Level.CITY: Coalesce("division__city", "division__district")}

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
    """Records of a base whose key division is one of ``keys``: the division itself is a key, or its street is.

    On the divisions themselves, the two conditions directly (two index scans OR-ed): the same rows as a
    subquery of divisions, which PostgreSQL joined by a scan of all 60,000 of them at 40× (16 of 57 ms)."""
    keyed = Q(pk__in=keys) | Q(street__in=keys)
    return keyed if path == "" else Q(**{f"{path}__in": Division.objects.filter(keyed).values("pk")})


def _dump(value):
    return str(value) if isinstance(value, Decimal) else value


def _load(value):
    return Decimal(value) if isinstance(value, str) else value


_QUERYSETS = {}


def _querysets(month, codes=None):
    """Every base's grouped query by key for ``month`` (only the columns of the indicators ``codes`` when given),
    built once a process per month (as ``board_queries``)."""
    from compliance.board import grouped_querysets, merge_needs
    from compliance.kinds import Context
    from compliance.rules import INDICATORS

    cache_key = (month, codes)
    if cache_key not in _QUERYSETS:
        if len(_QUERYSETS) >= 24:
            _QUERYSETS.clear()
        indicators = INDICATORS.values() if codes is None else [INDICATORS[code] for code in codes]
        _QUERYSETS[cache_key] = grouped_querysets(merge_needs(indicators, Context(month=month)), None, "street")
    return _QUERYSETS[cache_key]


def compute(month, keys=None, bases=None, codes=None):
    """``{key: {base: {column: value}}}`` from the records, for ``keys`` (every key when None), ``bases``
    (every base table when None) and the columns of the indicators ``codes`` (every column when None)."""
    found = {}
    for name, queryset in _querysets(month, codes).items():
        if bases is not None and name not in bases:
            continue
        if keys is None:
            batches = [queryset.all()]  # a clone: the cached queryset keeps no rows
        else:
            batches = [_for_keys(month, codes, name, len(chunk)).rows(replacing=placed(chunk)).values()
                       for chunk in chunks(sorted(keys), CHUNK)]
        for batch in batches:
            for row in batch:
                group = row.pop("group")
                found.setdefault(group, {})[name] = {column: _dump(value) for column, value in row.items()}
    return found


def _for_keys(month, codes, name, count):
    """A base's grouped query for ``count`` keys, compiled once per size (``core.compiled.for_ids``)."""
    from compliance.board import BASES

    return for_ids(("keys", month, codes, name), count,
                   lambda stand_ins: _querysets(month, codes)[name].filter(_key_q(BASES[name].path, stand_ins)),
                   prepare=False)


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
    """Every key's rows, the districts' and cities' roll-ups and the mark for ``month`` (default: the board's, the
    last full month), in one transaction."""
    month = month or last_full_month()
    with transaction.atomic():
        KeptFigure.objects.all().delete()
        KeptRollup.objects.all().delete()
        rows = [KeptFigure(month=month, division_id=key, sums=sums) for key, sums in compute(month).items()]
        KeptFigure.objects.bulk_create([*rows, KeptFigure(month=month, division=None)], batch_size=1000)
        rollups = {}  # a district in no city is both levels' roll-up: one row
        for level, by in ((Level.DISTRICT, "district"), (Level.CITY, "city")):  # added from the rows just written
            _rollup_rows(month, None, by, rollups, level)
        KeptRollup.objects.bulk_create(rollups.values(), batch_size=1000)
    return len(rows)


def refresh(keys, *, bases=None, month=None, codes=None):
    """Recompute ``keys``' rows (inside the caller's transaction), if figures are kept; only the ``bases`` given
    (``bases_reading`` of the model written) and, when ``codes`` is given, only those indicators' columns of
    them — the others kept as they are. A row whose figures come out as they were is not written again."""
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
            stored = dict(KeptFigure.objects.filter(month=month, division__in=chunk).values_list("division", "sums"))
            found = _recomputed(month, chunk, bases, codes, stored)
            found = {key: sums for key, sums in found.items() if key in present and sums}
            KeptFigure.objects.filter(month=month, division__in=[key for key in stored if key not in found]).delete()
            KeptFigure.objects.bulk_create(
                [KeptFigure(month=month, division_id=key, sums=sums) for key, sums in found.items()
                 if sums != stored.get(key)],
                update_conflicts=True, unique_fields=["month", "division"], update_fields=["sums", "stamp"],
            )


def _recomputed(month, keys, bases, codes, stored):
    """``{key: sums}`` of ``keys``: ``bases`` (``codes``' columns of them) recomputed, the rest as ``stored``."""
    found = compute(month, keys, bases, codes)
    if codes is not None:
        # A key without a stored row of a base gets every column of it, not only those of ``codes``.
        partial = {key for key, sums in found.items() for base in sums if base not in stored.get(key, {})}
        whole = compute(month, sorted(partial), set(bases or ()) or None) if partial else {}
        found = {key: {base: {**stored.get(key, {}).get(base, {}), **columns} for base, columns in sums.items()}
                 for key, sums in found.items()}
        for key, sums in whole.items():
            found.setdefault(key, {}).update(sums)
    if bases is not None:  # the other bases' sums as they were
        for key, sums in stored.items():
            found[key] = {**{name: value for name, value in sums.items() if name not in bases}, **found.get(key, {})}
    return found


# -- reading ---------------------------------------------------------------------------------------------


def read(month, within, by, *, groups=None, total=None):
    """``{base: {group: row}}`` as ``board.board_rows`` gives it, summed from the kept rows; None when the board
    must compute it (nothing kept for ``month``, a past month's tables, a board inside a community).

    A board grouped above the streets adds roll-ups (``KeptRollup``) instead of the rows under them: by district,
    one row per district; by city or province over whole cities, one row per city. All is read in one snapshot.
    A page of a city's districts or a province's cities: ``groups``, the districts or cities shown (by district or
    by city), and ``total``, ``within``'s own level: ``(their rows, within's rows as one group)``, so that neither
    read grows with the children not shown.
    """
    if _BYPASSED.get() or by not in GROUP_FIELD or (within is not None and within.level not in KEPT_WITHIN):
        return None
    if by == "street" or (within is not None and within.level not in WHOLE_DISTRICTS):
        return _grouped(_key_rows(month, within, by), by)  # one query
    written = {}
    with kept_figures.snapshot():
        fetched = _fetched(month, within, by, written, groups)
        marked = any(key is None for key, _upper, _level, _sums in fetched)
        whole = _fetched(month, within, total, written, None) if total is not None and marked else []
    if written:  # after the snapshot, in the reader's own statement: no writer waits on a roll-up
        KeptRollup.objects.bulk_create(written.values(), update_conflicts=True, unique_fields=["month", "division"],
                                       update_fields=["rows", "stamp", "sums"])
    if total is None:
        return _grouped(fetched, by)
    found, whole = _grouped(fetched, by), _grouped(whole, total)
    return None if found is None or whole is None else (found, whole)


def _fetched(month, within, by, written, groups):
    """The kept rows (and roll-ups) a board ``by`` reads: of ``groups`` only (the roll-ups' own divisions), if given."""
    whole_cities = by in ("city", "province") and (within is None or within.level in WHOLE_CITIES)
    level = Level.CITY if whole_cities else Level.DISTRICT
    if groups is not None and (by, level) not in (("district", Level.DISTRICT), ("city", Level.CITY)):
        raise ValueError(f"a board by {by} inside {within} is not read by groups (its groups are not roll-ups)")
    fetched = _not_rolled_up(month, within, by, level, groups)  # with the mark, if kept
    if any(key is None for key, _upper, _level, _sums in fetched):
        fetched += _rollup_rows(month, within, by, written, level, groups)
    return fetched


def _inside(within):
    """Kept rows whose key division lies in ``within``, on the joined division's own columns: a subquery of the
    divisions inside (``scoping.division_q``) was planned as a merge over all 66,000 of them at 40× (39 ms for
    the city board's 100 rows; 11 ms so)."""
    field = ANCESTOR_FIELD.get(within.level)
    inside = Q(division=within.pk)
    return inside | Q(**{f"division__{field}": within.pk}) if field else inside


def _key_rows(month, within, by, keys=None, **only):
    """``[(key, group, level, sums)]`` of the kept rows under ``within`` (of ``keys`` only, if given) and the mark."""
    rows = KeptFigure.objects.filter(month=month, **only)
    if within is not None:
        rows = rows.filter(Q(division__isnull=True) | _inside(within))
    if keys is not None:
        rows = rows.filter(Q(division__isnull=True) | Q(division__in=keys))
    return list(rows.values_list("division", GROUP_FIELD[by], "division__level", "sums"))


def _not_rolled_up(month, within, by, level, groups=None):
    """``_key_rows`` of the keys that no roll-up of ``level`` adds, and the mark.

    Above the cities these are a handful (the province, the cities, a district in no city): the mark and the rows
    of those divisions are read as two parts of one statement, each on its index. As one condition (the mark, or
    a key of no district and no city) PostgreSQL scanned every kept row: 4 ms at 40× to find the mark; 0.2 ms so."""
    if level == Level.DISTRICT:
        return _key_rows(month, within, by, groups, division__district__isnull=True)
    divisions = Division.objects.filter(city__isnull=True, district__isnull=True)
    if within is not None:
        divisions = divisions.filter(division_q(Division, within))
    if groups is not None:
        divisions = divisions.filter(pk__in=groups)
    rows, fields = KeptFigure.objects.filter(month=month), ("division", GROUP_FIELD[by], "division__level", "sums")
    return list(rows.filter(division__isnull=True).values_list(*fields).union(
        rows.filter(division__in=divisions.values("pk")).values_list(*fields), all=True))


def _rollup_rows(month, within, by, written, level, groups=None):
    """``[(division, group, level, sums)]``: each district's or city's (``level``) roll-up (of ``groups`` only, if
    given) where the count and the stamps of the kept rows under it are still those it was added from, else added
    again from them (and put in ``written``, by division)."""
    keys = KeptFigure.objects.filter(_rolled_up(level, groups), month=month)
    if within is not None:
        keys = keys.filter(_inside(within))
    # The group a roll-up adds into: its own division, or one above it (the same on all the rows under it).
    stamps = {}
    for division, group, count, stamp in (
            keys.order_by().annotate(rollup=ROLLUP_KEY[level]).values("rollup", GROUP_FIELD[by])
            .annotate(count=Count("pk"), stamp=Sum("stamp")).values_list("rollup", GROUP_FIELD[by], "count", "stamp")):
        stamps[division] = (group or division, count, stamp)
    kept_rollups = {division: (count, stamp, sums) for division, count, stamp, sums in KeptRollup.objects.filter(
        month=month, division__in=list(stamps)).values_list("division", "rows", "stamp", "sums")}
    stale = [division for division, (_group, count, stamp) in stamps.items()
             if kept_rollups.get(division, (None, None))[:2] != (count, stamp)]
    fresh = _added_up(month, stale, level)
    fetched = []
    for division, (group, count, stamp) in stamps.items():
        if division in fresh:
            count, stamp, sums = fresh[division]
            written[division] = KeptRollup(month=month, division_id=division, rows=count, stamp=stamp, sums=sums)
        else:
            sums = kept_rollups[division][2]
        fetched.append((division, group, level, sums))
    return fetched


def _rolled_up(level, divisions=None):
    """The kept rows that the roll-ups of ``level`` add (only those of ``divisions``, if given)."""
    if level == Level.DISTRICT:
        return Q(division__district__isnull=False) if divisions is None else Q(division__district__in=divisions)
    if divisions is None:
        return Q(division__city__isnull=False) | Q(division__district__isnull=False)
    return Q(division__city__in=divisions) | Q(division__city__isnull=True, division__district__in=divisions)


def _added_up(month, divisions, level):
    """``{division: (rows, sum of stamps, sums)}`` from the kept rows the roll-ups of ``divisions`` add."""
    found = {}
    for chunk in chunks(divisions, CHUNK):
        rows = KeptFigure.objects.filter(_rolled_up(level, chunk), month=month).annotate(rollup=ROLLUP_KEY[level])
        for division, stamp, sums in rows.values_list("rollup", "stamp", "sums"):
            count, total, added = found.setdefault(division, (0, 0, {}))
            for base, columns in sums.items():
                _add(added.setdefault(base, {}), columns)
            found[division] = (count + 1, total + stamp, added)
    return {division: (count, stamp, {base: {column: _dump(value) for column, value in columns.items()}
                                      for base, columns in added.items()})
            for division, (count, stamp, added) in found.items()}


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

        refresh(near, bases={INDICATORS["E7"].base_name}, month=month, codes=("E7",))


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

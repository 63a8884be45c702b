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
  after the write (and for an eldercare facility, E7's neighbours within its 1 km box and, for an institution,
  E8's district) — in the same transaction, so no reader ever sees figures that differ from the records;
- the bulk writers that send no signal (the workbook import) go through ``core.kept_figures.writing``.

Two writers of one key are serialised by locking the key's division row (``SELECT … FOR UPDATE``) before it is
recomputed: the second then recomputes from what the first committed. ``verify_figures`` recomputes every key.
"""

import math
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from compliance.models import KeptFigure
from core import kept_figures
from core.bulk import chunks
from core.dates import last_full_month
from core.models import Division, Level
from core.scoping import division_q

CHUNK = 500
#: Levels a board is kept for (a board inside a community is not a union of keys).
KEPT_WITHIN = {Level.STREET, Level.DISTRICT, Level.CITY, Level.PROVINCE}
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


def compute(month, keys=None):
    """``{key: {base: {column: value}}}`` from the records, for ``keys`` (every key when None)."""
    from compliance.board import BASES, grouped_querysets, merge_needs
    from compliance.kinds import Context
    from compliance.rules import INDICATORS

    needs = merge_needs(INDICATORS.values(), Context(month=month))
    found = {}
    for name, queryset in grouped_querysets(needs, None, "street").items():
        batches = [queryset] if keys is None else [
            queryset.filter(_key_q(BASES[name].path, chunk)) for chunk in chunks(sorted(keys), CHUNK)]
        for batch in batches:
            for row in batch:
                group = row.pop("group")
                found.setdefault(group, {})[name] = {column: _dump(value) for column, value in row.items()}
    return found


def kept_month():
    """The month the kept rows are for, or None when nothing is kept."""
    return KeptFigure.objects.filter(division__isnull=True).values_list("month", flat=True).first()


def rebuild(month=None):
    """Every key's rows and the mark for ``month`` (default: the board's, the last full month), in one transaction."""
    month = month or last_full_month()
    with transaction.atomic():
        KeptFigure.objects.all().delete()
        rows = [KeptFigure(month=month, division_id=key, sums=sums) for key, sums in compute(month).items()]
        KeptFigure.objects.bulk_create([*rows, KeptFigure(month=month, division=None)], batch_size=1000)
    return len(rows)


def refresh(keys):
    """Recompute ``keys``' rows (inside the caller's transaction), if figures are kept."""
    keys = sorted({key for key in keys if key is not None})
    if not keys or _BYPASSED.get():
        return
    month = kept_month()
    if month is None:
        return
    with transaction.atomic():
        for chunk in chunks(keys, CHUNK):
            # The keys' division rows locked first (in pk order): a second writer of the same key waits, then
            # recomputes from what this one committed. Keys deleted meanwhile get no row.
            present = set(Division.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
                          .values_list("pk", flat=True))
            found = {key: sums for key, sums in compute(month, chunk).items() if key in present}
            KeptFigure.objects.filter(month=month, division__in=[key for key in chunk if key not in found]).delete()
            KeptFigure.objects.bulk_create(
                [KeptFigure(month=month, division_id=key, sums=sums) for key, sums in found.items()],
                update_conflicts=True, unique_fields=["month", "division"], update_fields=["sums"],
            )


# -- reading ---------------------------------------------------------------------------------------------


def read(month, within, by):
    """``{base: {group: row}}`` as ``board.board_rows`` gives it, summed from the kept rows; None when the board
    must compute it (nothing kept for ``month``, a past month's tables, a board inside a community)."""
    if _BYPASSED.get() or by not in GROUP_FIELD or (within is not None and within.level not in KEPT_WITHIN):
        return None
    rows = KeptFigure.objects.filter(month=month)
    if within is not None:
        inside = Division.objects.filter(division_q(Division, within)).values("pk")
        rows = rows.filter(Q(division__isnull=True) | Q(division__in=inside))
    fetched = list(rows.values_list("division", GROUP_FIELD[by], "division__level", "sums"))
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
            into = grouped.setdefault(base, {}).setdefault(group, {"group": group})
            for column, value in columns.items():
                into[column] = _add(into.get(column), _load(value))
    return grouped


def _add(total, value):
    """A ``Sum`` of no value is None, as in SQL; a ``Count`` is never None."""
    if value is None:
        return total
    return value if total is None else total + value


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
    """The keys the records ``pks`` of ``model`` stand in now (for an eldercare facility, with E7's and E8's)."""
    path = model.SCOPE_DIVISION
    if path == "":
        return division_keys(pks, with_district=True)
    pks = [pk for pk in pks if pk is not None]
    divisions = set(model._default_manager.filter(pk__in=pks).values_list(path, flat=True))
    keys = division_keys(divisions, with_district=model._meta.label == "eldercare.Facility")
    if model._meta.label == "eldercare.Facility":
        keys |= neighbour_keys(model._default_manager.filter(pk__in=pks).values_list("latitude", "longitude"))
    return keys


def neighbour_keys(points):
    """Keys of the communities whose 1 km circle (E7) may hold one of ``points``: the box around each."""
    from compliance.distance import BOX_DEGREES

    margin = 2 * BOX_DEGREES  # twice E7's own box: the community's longitude bound uses its own latitude
    boxes = Q()
    for latitude, longitude in points:
        if latitude is None or longitude is None:
            continue
        dlon = margin / math.cos(math.radians(latitude))
        boxes |= Q(latitude__range=(latitude - margin, latitude + margin),
                   longitude__range=(longitude - dlon, longitude + dlon))
    if not boxes:
        return set()
    return set(Division.objects.filter(level=Level.COMMUNITY).filter(boxes).annotate(key=KEY)
               .values_list("key", flat=True))


# -- keeping: signals and bulk writers -------------------------------------------------------------------

#: The records the rules read (compliance.kinds.BASES and the rules' ``Exists``).
WATCHED = {"core.Division", "facilities.Centre", "eldercare.Facility", "eldercare.Elder", "eldercare.Visit",
           "volunteers.Team", "volunteers.Worker"}


def _keeping():
    return not kept_figures.deferred() and kept_month() is not None


def _before(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or not _keeping():
        return
    instance._kept_keys_before = record_keys(sender, [instance.pk])


def _saved(sender, instance, raw=False, **kwargs):
    if raw or not _keeping():
        return
    refresh(record_keys(sender, [instance.pk]) | getattr(instance, "_kept_keys_before", set()))


def _deleted(sender, instance, **kwargs):
    if sender is Division:
        # Rows written for it while the records under it were deleted (after the delete collected its rows).
        KeptFigure.objects.filter(division_id=instance.pk).delete()
    if _keeping():
        refresh(getattr(instance, "_kept_keys_before", set()))


def _bulk(model, pks):
    """``core.kept_figures.writing``'s listener: the keys before the write, and after it those of every record."""
    if model._meta.label not in WATCHED or not _keeping():
        return lambda written: None
    before = record_keys(model, pks)
    return lambda written: refresh(before | record_keys(model, written))


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

"""The board: every indicator's figures for a division and its parts, with as few queries as possible.

Planning: each indicator declares in ``needs`` the aggregates it wants (``Count``/``Sum`` with ``filter=Q``,
over ``Exists`` aliases) on the base tables of ``kinds.BASES``; they are merged so that every base table is
read by ONE grouped query for all indicators (``compiled.Prepared``, built once per process), and each
indicator's ``pair`` turns its columns into sums. The whole-city figure pools these sums (never a mean).

Evaluation: ``Result`` (one figure against the plan's target) and ``Row`` (an indicator's total and parts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from compliance.figures import cell_class, exact_sum, plain, round2
from compliance.kinds import BASES, PERCENT, Context, compare
from compliance.rules import INDICATORS
from core.compiled import Prepared
from core.models import Division, Level
from core.scoping import division_q


def group_key(path, by):
    """The district (or street) a record of ``path`` counts in; a division record counts in itself."""
    prefix = f"{path}__" if path else ""
    own = path or "pk"
    return Coalesce(F(f"{prefix}{by}"), F(own))


def merge_needs(indicators, ctx):
    """The ``needs`` of several indicators, merged by base (aliases shared by name)."""
    merged = {}
    for indicator in indicators:
        for name, (aliases, columns) in indicator.needs(ctx).items():
            into_aliases, into_columns = merged.setdefault(name, ({}, {}))
            into_aliases.update(aliases)
            into_columns.update(columns)
    return merged


def grouped_querysets(needs, within, by):
    """``{base: QuerySet}``: ONE grouped query per base table for all the ``needs`` of the indicators.

    ``needs`` is ``{base: (aliases, {column: aggregate})}`` (see ``Indicator.needs``), merged by base.
    """
    querysets = {}
    for name, (aliases, columns) in needs.items():
        base = BASES[name]
        querysets[name] = (
            base.queryset().filter(division_q(base.model, within)).order_by()
            .alias(**aliases)
            .annotate(group=group_key(base.path, by))
            .values("group")
            .annotate(**columns)
        )
    return querysets


_BOARDS = {}


def board_queries(codes, month, within, by):
    """``{base: Prepared}`` for the indicators ``codes``, built once per process (at most 512 kept).

    Keyed by the division's id and level, not the instance: a model instance compares by id alone.
    """
    key = (codes, month, None if within is None else (within.pk, within.level), by)
    if key not in _BOARDS:
        if len(_BOARDS) >= 512:
            _BOARDS.clear()
        needs = merge_needs([INDICATORS[code] for code in codes], Context(month=month))
        _BOARDS[key] = {name: Prepared(queryset, prepare=False) for name, queryset in grouped_querysets(needs, within, by).items()}
    return _BOARDS[key]


def board_rows(codes, month, within, by):
    """``{base: {group: row}}``: today's rows of ``board_queries`` — summed from the kept figures
    (``compliance.kept``: one query, whatever the size of the data under ``within``) when ``month`` is kept."""
    from compliance import kept

    found = kept.read(month, within, by)
    return found if found is not None else _computed(codes, month, within, by)


def _computed(codes, month, within, by):
    return {name: query.rows() for name, query in board_queries(codes, month, within, by).items()}


#: A board inside a city or a province (its columns a page of its districts or cities) → its total's grouping.
OWN_GROUP = {Level.CITY: "city", Level.PROVINCE: "province"}


def rows_and_total(codes, month, within, by, parts):
    """``(the parts' rows, the rows the total pools)``. Kept, a page of a city's districts or a province's cities
    reads those children and ``within`` as one group (its roll-up): neither grows with the children not shown,
    both from one snapshot. Otherwise every group, once, for both."""
    from compliance import kept

    if not (parts and within is not None and within.level in OWN_GROUP and by in ("district", "city")):
        rows = board_rows(codes, month, within, by)
        return rows, rows
    found = kept.read(month, within, by, groups=[part.pk for part in parts], total=OWN_GROUP[within.level])
    if found is not None:
        return found
    rows = _computed(codes, month, within, by)  # not kept
    return rows, rows


@dataclass
class Result:
    """An indicator's figure for one division (None = the deployment's whole area) against the plan's target."""

    indicator: object  # kinds.Indicator
    division: Division | None
    numerator: object
    denominator: object
    target: object = None  # compliance.models.Target or None

    def __post_init__(self):
        # Computed once, up front: the matrix reads every figure several times (value, rounding, pass/fail),
        # and a cached_property per figure (its lock, on Python 3.11) cost more than the arithmetic.
        self.value = self.indicator.value(self.numerator, self.denominator)
        self.rounded = round2(self.value)
        # S4's target is the whole city's: the deployment's whole area or a city (of a province), not a district.
        city_only = self.indicator.city_only and self.division is not None and self.division.level != Level.CITY
        self.figure = None if self.target is None or city_only else self.target.figure
        self.exact_figure = None if self.figure is None else Fraction(self.figure)
        self.passed = compare(self.value, self.comparator, self.exact_figure)

    @property
    def comparator(self):
        return self.target.comparator if self.target is not None else self.indicator.comparator

    @property
    def cell_class(self):
        """Pass/fail of its table cell (also said in words by its badge: never colour alone)."""
        return cell_class(self.passed)

    @cached_property
    def shortfall_text(self):
        """What is missing, in words (only for a failing figure)."""
        if self.passed is not False:
            return ""
        gap = self.exact_figure - self.value
        if self.indicator.kind == PERCENT or self.indicator.value_unit == "%":
            return gettext("差 %(gap)s 个百分点") % {"gap": plain(gap)}
        if gap == 0:  # F3 exactly at the figure: ">" needs more
            return gettext("须高于 %(figure)s") % {"figure": plain(Fraction(self.figure))}
        return gettext("差 %(gap)s %(unit)s") % {"gap": plain(gap), "unit": self.indicator.value_unit}


@dataclass
class Row:
    indicator: object  # kinds.Indicator
    target: object
    total: Result
    parts: list = field(default_factory=list)

    @cached_property
    def target_text(self):
        return self.indicator.target_text(self.target)

    @cached_property
    def target_parts(self):
        return self.indicator.target_parts(self.target)


def evaluate(*, targets, ctx=None, within=None, by="district", parts=None, codes=None):
    """Every indicator (or ``codes``) for ``within`` and its parts (districts or streets).

    ``targets``: ``{code: Target}`` of the plan; ``parts``: the divisions to break down by, in order.
    One grouped query per base table (at most seven), whatever the number of indicators and rows.
    """
    ctx = ctx or Context()
    chosen = [INDICATORS[code] for code in codes or INDICATORS]
    # Already restricted to ``within``.
    grouped_rows, total_rows = rows_and_total(tuple(indicator.code for indicator in chosen), ctx.month, within, by,
                                              parts)
    rows = []
    for indicator in chosen:
        target = targets.get(indicator.code)
        sums = indicator.pair(grouped_rows)
        pooled = sums if total_rows is grouped_rows else indicator.pair(total_rows)
        total = Result(indicator, within, *_pool(pooled.values()), target=target)
        breakdown = [Result(indicator, part, *sums.get(part.pk, (None, None)), target=target) for part in parts or []]
        rows.append(Row(indicator, target, total, breakdown))
    return rows


def _pool(pairs):
    """Pool every unit and sum (the ALL row is not a mean of the parts)."""
    pairs = list(pairs)
    if not pairs:
        return (None, None)
    numerator = exact_sum(num for num, _den in pairs if num is not None)
    dens = [den for _num, den in pairs if den is not None]
    denominator = exact_sum(dens) if dens else None
    return numerator, denominator

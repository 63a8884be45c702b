"""What every indicator is, and the kinds of indicator the rules (``compliance.rules``) are written in.

An indicator computes, for the whole city, a district or a street, a numerator and a denominator per
district or street (``needs``: the aggregates it reads from the base tables of ``BASES``; ``pair``: its
columns turned into sums), and lists its units (community, centre, street, elder …) with pass/fail and
the reason in plain Chinese (``units``). ``compliance.board`` plans and runs the queries.

The base tables are the domain apps' own QuerySets (``Centre.objects.operating()`` …): which rows
count is decided there, once.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.figures import month_label, to_fraction
from core.compiled import STAND_IN, Prepared
from core.dates import last_full_month, month_bounds
from core.models import Division, Kind, Level
from core.scoping import division_q
from eldercare.models import Elder, Facility
from facilities.models import Centre
from volunteers.models import Worker

PERCENT, RATIO, COUNT = "percent", "ratio", "count"


def compare(value, comparator, figure):
    """The pass decision on the exact value; None when there is no value or no target."""
    if value is None or figure is None:
        return None
    figure = figure if isinstance(figure, Fraction) else Fraction(figure)
    return value > figure if comparator == ">" else value >= figure


def admin_url(obj):
    """The record's admin change page, or None while that admin is not registered."""
    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


def division_label(division):
    if division.level == Level.COMMUNITY and division.street_id:
        return f"{division.street.name} · {division.name}"
    return division.name


@dataclass
class Context:
    """What an evaluation depends on besides the data: the month for E5."""

    month: date = field(default_factory=last_full_month)

    def __post_init__(self):
        self.month_first, self.month_last = month_bounds(self.month)
        self.month = self.month_first

    @property
    def month_label(self):
        return month_label(self.month)


@dataclass
class Unit:
    """One unit of an indicator: the record, whether it passes and why."""

    obj: object
    label: str
    passed: bool | None
    reason: str
    url: str | None = None


@dataclass(frozen=True)
class Base:
    """A table the indicators count or sum on: the rows that count (the domain app's QuerySet) and the path
    from a row to its Division (the same paths as ``SCOPE_DIVISION``)."""

    rows: object  # () -> QuerySet
    path: str

    @property
    def model(self):
        return self.rows().model

    def queryset(self):
        return self.rows()


#: Which communities are units: urban communities (社区) or villages (村).
URBAN, VILLAGE = Q(kind=Kind.COMMUNITY), Q(kind=Kind.VILLAGE)

BASES = {
    "communities": Base(lambda: Division.objects.communities(), ""),
    "streets": Base(lambda: Division.objects.streets(), ""),
    "districts": Base(lambda: Division.objects.districts(), ""),
    "centres": Base(lambda: Centre.objects.operating(), "community"),
    "workers": Base(lambda: Worker.objects.on_duty(), "workplace"),
    "institutions": Base(lambda: Facility.objects.operating().institutions(), "division"),
    "elders": Base(lambda: Elder.objects.all(), "community"),
}


class Indicator:
    code = ""
    name = ""
    unit_name = ""
    kind = PERCENT
    comparator = ">="
    value_unit = "%"
    scale = 100
    #: S4: a target for the whole city only (no district rows in the export).
    city_only = False
    #: Whether the drill-down lists units (every share indicator, F3 and S2; not the ratios of sums).
    has_units = True
    #: What one unit must do, in words, shown beside the target (F4: 每个设施居民活动面积 ≥ 60%).
    unit_rule = ""
    #: Said wherever the indicator is shown, when what the portal measures is not the plan's own figure.
    note = ""
    #: The heading of the drill-down's list of units, and what it says when the list is empty.
    units_title = _("未达标单位")
    units_empty = _("没有未达标的单位。")

    @property
    def rule(self):
        """The docstring: the plan sentence and the rule, for the drill-down page."""
        return inspect.cleandoc(type(self).__doc__ or "")

    @property
    def value_label(self):
        """What the figure is: “综合服务设施达标率（%）” for a share of units, else its unit (“人/站”)."""
        if self.kind == PERCENT:
            return gettext("%(unit)s达标率（%%）") % {"unit": self.unit_name}
        return str(self.value_unit)

    def unit_rule_for(self, target):
        """The unit rule in words under the plan's ``target`` (F3's follows the target's figure)."""
        return str(self.unit_rule)

    def target_parts(self, target):
        """``(figure, unit rule)`` as a reader takes them: (“综合服务设施达标率 ≥ 100%”, “每个设施居民活动面积 ≥ 60%”)."""
        if target is None or target.figure is None:
            return gettext("不设目标"), ""
        if self.kind == PERCENT:
            text = gettext("%(unit)s达标率 %(symbol)s %(figure)s%%") % {
                "unit": self.unit_name, "symbol": target.symbol, "figure": target.figure_text,
            }
            return text, self.unit_rule_for(target)
        if self.value_unit == "%":
            return f"{target.symbol} {target.figure_text}%", self.unit_rule_for(target)
        return f"{target.symbol} {target.figure_text} {self.value_unit}", self.unit_rule_for(target)

    def target_text(self, target):
        """The target in one line: “综合服务设施达标率 ≥ 100%（每个设施居民活动面积 ≥ 60%）”, “≥ 1 人/站”."""
        figure, rule = self.target_parts(target)
        return f"{figure}（{rule}）" if rule else figure

    def value(self, numerator, denominator):
        """The figure from pooled sums; None where there are no units."""
        if denominator in (None, 0):
            return None
        num, den = to_fraction(numerator), to_fraction(denominator)
        # One Fraction built from integers (three Fraction operations per cell showed in the matrix's profile).
        return Fraction(self.scale * num.numerator * den.denominator, num.denominator * den.numerator)

    # -- units ----------------------------------------------------------------------------

    #: The base table (``BASES``) whose rows are this indicator's units.
    base_name = ""

    @property
    def model(self):
        return BASES[self.base_name].model

    def reason(self, unit, ctx):
        raise NotImplementedError

    def label(self, unit):
        return division_label(unit) if isinstance(unit, Division) else str(unit)

    def related(self, queryset):
        if self.model is Division:
            return queryset.select_related("street", "district")
        return queryset

    def unit_q(self):
        """Which rows of the base are units (all by default)."""
        return Q()

    def aliases(self, ctx):
        """``{name: expression}`` the pass condition refers to (``Exists`` …), defined on the base by name."""
        return {}

    def passes_q(self, ctx):
        """The pass condition of one unit, over the base's fields and ``aliases``."""
        raise NotImplementedError

    def base(self, ctx):
        """Units annotated with ``passes``."""
        return (
            BASES[self.base_name].queryset()
            .filter(self.unit_q())
            .alias(**self.aliases(ctx))
            .annotate(passes=Case(When(self.passes_q(ctx), then=Value(True)), default=Value(False),
                                  output_field=BooleanField()))
        )

    def unit_passed(self, unit):
        """Pass/fail of one annotated unit (S2: a street without a certified worker is a to-do, ``None``)."""
        return unit.passes

    def units(self, ctx, within=None, *, failing_only=False, target=None):
        """The units with pass/fail and the reason; ``target`` matters only where a unit rule follows it (F3)."""
        if failing_only and within is not None:
            queryset = self._failing(ctx, within)
        else:
            queryset = self.related(self.base(ctx).filter(division_q(self.model, within)))
        return [
            Unit(unit, self.label(unit), self.unit_passed(unit), self.reason(unit, ctx), admin_url(unit))
            for unit in queryset
        ]

    def _failing(self, ctx, within):
        """The failing units inside ``within``, in the base's order, each with ``passes`` False.

        Their ids come from a query compiled once per process for every division of ``within``'s level
        (``failing_ids``): compiling the pass condition, dozens of expressions, was most of the street page's
        time. The records are then read by id, with what ``label`` and ``reason`` use.
        """
        ids = failing_ids(self, ctx.month, within.level).column(within.pk)
        if not ids:
            return []
        found = {unit.pk: unit for unit in self.related(self.model._default_manager.filter(pk__in=ids).order_by())}
        units = [found[pk] for pk in ids if pk in found]
        for unit in units:
            unit.passes = False
        return units

    def none_failing(self, rows, group):
        """Whether ``rows`` (``board.board_rows``: ``{base: {group: row}}``) show that no unit of ``group`` fails —
        all pass, or there is none —, so that ``units(failing_only=True)`` is empty without asking. Known only
        where the sums count exactly the units and those that pass (``needs``, ``units`` and ``unit_passed`` as
        written here); False elsewhere (F3's rule follows the target, S2's unit may be a to-do)."""
        kind = type(self)
        if (kind.needs, kind.units, kind.unit_passed) != (Indicator.needs, Indicator.units, Indicator.unit_passed):
            return False
        row = rows.get(self.base_name, {}).get(group)
        return row is None or row[f"{self.code}_num"] == row[f"{self.code}_den"]

    def failing_units(self, ctx, within=None, limit=None):
        """``(count, units)`` of the failing units, at most ``limit`` of them built (all with None)."""
        if limit is None:
            units = self.units(ctx, within, failing_only=True)
            return len(units), units
        queryset = self.base(ctx).filter(division_q(self.model, within)).filter(passes=False)
        listed = self.related(queryset)[:limit]
        return queryset.count(), [Unit(unit, self.label(unit), unit.passes, self.reason(unit, ctx)) for unit in listed]

    # -- sums -----------------------------------------------------------------------------

    def needs(self, ctx):
        """``{base: (aliases, {column: aggregate})}``: what this indicator reads from each base's grouped query.

        Column names start with the code, so every indicator's columns fit in one query per base.
        """
        units = self.unit_q()
        return {self.base_name: (self.aliases(ctx), {
            f"{self.code}_num": Count("pk", filter=units & self.passes_q(ctx)),
            f"{self.code}_den": Count("pk", filter=units) if units else Count("pk"),
        })}

    def pair(self, rows):
        """``{group: (numerator, denominator)}`` from ``{base: {group: row}}``; groups without units are left out."""
        num, den = f"{self.code}_num", f"{self.code}_den"
        return {group: (row[num], row[den]) for group, row in rows.get(self.base_name, {}).items() if row[den]}


_FAILING = {}


def failing_ids(indicator, month, level):
    """``Prepared`` ids of ``indicator``'s failing units in any division of ``level`` in ``month`` (at most 512 kept)."""
    key = (indicator.code, type(indicator), month, level)
    if key not in _FAILING:
        if len(_FAILING) >= 512:
            _FAILING.clear()
        within = Division(pk=STAND_IN, level=level)
        queryset = indicator.base(Context(month=month)).filter(division_q(indicator.model, within)).filter(passes=False)
        _FAILING[key] = Prepared(queryset.values_list("pk", flat=True), stand_in=STAND_IN, prepare=False)
    return _FAILING[key]


class CommunityShare(Indicator):
    """Divisions are the units (communities unless ``base_name`` says streets or districts)."""

    base_name = "communities"


class CentreShare(Indicator):
    """Operating centres are the units; the rule is a plain condition on the centre."""

    unit_name = _("综合服务设施")
    base_name = "centres"

    def related(self, queryset):
        return queryset.select_related("community__street")

    def label(self, unit):
        return f"{unit.community.name} · {unit.name}"


class Ratio(Indicator):
    """A ratio of sums (beds per thousand elders, workers per community …): no units to list."""

    kind = RATIO
    has_units = False

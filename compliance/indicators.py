"""The indicators of the 14th Five-Year Plan, one class each: the only place each rule is computed.

Every indicator computes, for the whole city (``None``), a district or a street:

- ``sums(ctx, within, by)``: numerator and denominator per district (``by="district"``) or per
  street (``by="street"``), in the database. Each indicator declares in ``needs`` the aggregates it
  wants (``Count``/``Sum`` with ``filter=Q``, over ``Exists`` aliases) on the base tables of ``BASES``;
  ``evaluate`` merges them so that every base table is read by ONE grouped query for all indicators,
  and each indicator's ``pair`` turns its columns into sums. The whole-city figure pools these sums
  (never a mean);
- ``units(ctx, within)``: the units (community, centre, street, elder …) with pass/fail and the
  reason in plain Chinese, from one annotated query.

Values are exact (``fractions.Fraction``); the pass decision is taken on the exact value and
rounding to 2 decimals happens only when a value is shown or exported (DOMAIN.md).
"""

from __future__ import annotations

import calendar
import inspect
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cached_property

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ASin, Coalesce, Cos, Least, Power, Radians, Round, Sin, Sqrt
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fields import Status
from core.geo import CIRCLE_RADIUS_M, EARTH_RADIUS_M, latitude_row
from core.hours import FULL_DAY_MINUTES, WEEKDAY_FIELDS, WEEKDAY_LABELS, day_minutes
from core.models import Division, Kind, Level
from core.scoping import division_q

PERCENT, RATIO, COUNT = "percent", "ratio", "count"

#: The plans cited by the rules, by title (DOMAIN.md names them by seed file).
NATIONAL = "国务院办公厅《“十四五”城乡社区服务体系建设规划》（国办发〔2021〕56号）"
JILIN = "《吉林省“十四五”城乡社区服务体系建设规划》（吉政办发〔2022〕18号）"
JIXI = "《鸡西市“十四五”民政事业发展规划》"
SUZHOU = "《苏州市推进基本公共服务均等化行动计划（2017~2020年）（征求意见稿）》"


# ---------------------------------------------------------------------------------------------
# Small helpers


def month_bounds(month):
    """``(first day, last day)`` of a month given as ``date`` or ``"YYYY-MM"``."""
    if isinstance(month, str):
        year, number = (int(part) for part in month.split("-"))
        month = date(year, number, 1)
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def last_full_month(today=None):
    today = today or date.today()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def to_fraction(number):
    if number is None:
        return None
    if isinstance(number, float):
        return Fraction(Decimal(repr(number)))
    return Fraction(number)


def half_up(value, places):
    """A Fraction rounded half-up (away from zero) to ``places`` decimals, exactly, as a Decimal.

    Integer arithmetic: no Decimal context, so no precision limit and no context switch per cell.
    """
    quotient, remainder = divmod(abs(value.numerator) * 10**places, value.denominator)
    if 2 * remainder >= value.denominator:
        quotient += 1
    return Decimal(f"{'-' if value.numerator < 0 else ''}{quotient}E-{places}")


def round2(value):
    """A Fraction rounded half-up to 2 decimals, as shown and exported."""
    return None if value is None else half_up(value, 2)


def plain(number, places=2):
    """A number for a sentence: at most ``places`` decimals, no trailing zeros (52, 7.5, 29.29)."""
    if number is None:
        return "—"
    if isinstance(number, Fraction):
        rounded = half_up(number, places)
    else:
        rounded = Decimal(number).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(rounded, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def hours_text(minutes):
    """“7.5 小时”, “7 小时 59 分”."""
    hours, rest = divmod(minutes, 60)
    if rest in (0, 30):
        return gettext("%(hours)s 小时") % {"hours": plain(Fraction(minutes, 60))}
    return gettext("%(hours)s 小时 %(minutes)s 分") % {"hours": hours, "minutes": rest}


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


def group_key(path, by):
    """The district (or street) a record of ``path`` counts in; a division record counts in itself."""
    prefix = f"{path}__" if path else ""
    own = path or "pk"
    return Coalesce(F(f"{prefix}{by}"), F(own))


@dataclass
class Context:
    """What an evaluation depends on besides the data: the month for E5."""

    month: date = field(default_factory=last_full_month)

    def __post_init__(self):
        self.month_first, self.month_last = month_bounds(self.month)
        self.month = self.month_first

    @property
    def month_label(self):
        return gettext("%(year)s年%(month)s月") % {"year": self.month.year, "month": self.month.month}


@dataclass
class Unit:
    """One unit of an indicator: the record, whether it passes and why."""

    obj: object
    label: str
    passed: bool | None
    reason: str
    url: str | None = None


def division_label(division):
    if division.level == Level.COMMUNITY and division.street_id:
        return f"{division.street.name} · {division.name}"
    return division.name


# ---------------------------------------------------------------------------------------------
# Base tables: every indicator's sums come from one grouped query per base table


@dataclass(frozen=True)
class Base:
    """A table the indicators count or sum on: its model, the path to its Division and which rows count."""

    model_label: str
    path: str
    where: object  # () -> Q

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def queryset(self):
        return self.model.objects.filter(self.where())


def _institution_q():
    from eldercare.models import FacilityKind

    return Q(status=Status.OPERATING, kind=FacilityKind.INSTITUTION)


BASES = {
    "communities": Base("core.Division", "", lambda: Q(level=Level.COMMUNITY)),
    "streets": Base("core.Division", "", lambda: Q(level=Level.STREET)),
    "districts": Base("core.Division", "", lambda: Q(level=Level.DISTRICT)),
    "centres": Base("facilities.Centre", "community", lambda: Q(status=Status.OPERATING)),
    "workers": Base("volunteers.Worker", "workplace", lambda: Q(on_duty=True)),
    "institutions": Base("eldercare.Facility", "division", _institution_q),
    "elders": Base("eldercare.Elder", "community", Q),
}


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


class Prepared:
    """A grouped query compiled to SQL once per database, then run for every request.

    Its SQL depends only on the indicators, the month, the division and the grouping, never on
    the data; compiling it (dozens of filtered aggregates) cost a quarter of the matrix's render.
    Each run reads the data afresh and converts the values as Django would (``results_iter``'s
    converters: decimals on SQLite).
    """

    def __init__(self, queryset):
        self.queryset = queryset
        self._compiled = {}

    def _compile(self, connection):
        query = self.queryset.query
        compiler = query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        converters = compiler.get_converters([column[0] for column in compiler.select[:compiler.col_count]])
        return sql, params, names, [(position, *pair) for position, pair in converters.items()]

    def rows(self):
        """``{group: {column: value}}``."""
        connection = connections[self.queryset.db]
        key = (connection.alias, connection.vendor)
        if key not in self._compiled:
            self._compiled[key] = self._compile(connection)
        if self._compiled[key] is None:
            return {}
        sql, params, names, converters = self._compiled[key]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        rows = {}
        for values in map(list, fetched):
            for position, functions, expression in converters:
                for function in functions:
                    values[position] = function(values[position], expression, connection)
            row = dict(zip(names, values, strict=True))
            rows[row["group"]] = row
        return rows


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
        _BOARDS[key] = {name: Prepared(queryset) for name, queryset in grouped_querysets(needs, within, by).items()}
    return _BOARDS[key]


def board_rows(codes, month, within, by):
    """``{base: {group: row}}``: today's rows of ``board_queries``."""
    return {name: query.rows() for name, query in board_queries(codes, month, within, by).items()}


def merge_needs(indicators, ctx):
    """The ``needs`` of several indicators, merged by base (aliases shared by name)."""
    merged = {}
    for indicator in indicators:
        for name, (aliases, columns) in indicator.needs(ctx).items():
            into_aliases, into_columns = merged.setdefault(name, ({}, {}))
            into_aliases.update(aliases)
            into_columns.update(columns)
    return merged


# ---------------------------------------------------------------------------------------------
# Base classes


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

    #: Model and path from it to its Division (the same paths as ``SCOPE_DIVISION``).
    model = None
    path = ""
    #: Whether the drill-down lists units (every share indicator; F3 and S2 say so themselves).
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

    # -- per-indicator parts -------------------------------------------------------------

    def reason(self, unit, ctx):
        raise NotImplementedError

    def label(self, unit):
        return division_label(unit) if isinstance(unit, Division) else str(unit)

    def related(self, queryset):
        if self.model is Division:
            return queryset.select_related("street", "district")
        return queryset

    # -- computing ----------------------------------------------------------------------

    def sums(self, ctx, within=None, by="district"):
        """``{division id: (numerator, denominator)}`` grouped by district or street (one query per base)."""
        return self.pair(board_rows((self.code,), ctx.month, within, by))

    # -- share indicators: units are the rows of one base table --------------------------

    #: The base table (``BASES``) whose rows are this indicator's units.
    base_name = ""

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

    def units(self, ctx, within=None, *, failing_only=False, target=None):
        """The units with pass/fail and the reason; ``target`` matters only where a unit rule follows it (F3)."""
        queryset = self.related(self.base(ctx).filter(division_q(self.model, within)))
        if failing_only:
            queryset = queryset.filter(passes=False)
        return [
            Unit(unit, self.label(unit), unit.passes, self.reason(unit, ctx), admin_url(unit)) for unit in queryset
        ]


class CommunityShare(Indicator):
    """Divisions are the units (communities unless ``base_name`` says streets or districts)."""

    model = Division
    path = ""
    base_name = "communities"


class CentreShare(Indicator):
    """Operating centres are the units; the rule is a plain condition on the centre."""

    unit_name = _("综合服务设施")
    path = "community"
    base_name = "centres"

    @property
    def model(self):
        from facilities.models import Centre

        return Centre

    def condition(self):
        raise NotImplementedError

    def passes_q(self, ctx):
        return self.condition()

    def related(self, queryset):
        return queryset.select_related("community__street")

    def label(self, unit):
        return f"{unit.community.name} · {unit.name}"


# ---------------------------------------------------------------------------------------------
# Community service centres (F1–F6) and volunteers (V1)


def _operating_centre_in(community_ref="pk"):
    from facilities.models import Centre

    return Exists(Centre.objects.filter(community=OuterRef(community_ref), status=Status.OPERATING))


URBAN, VILLAGE = Q(kind=Kind.COMMUNITY), Q(kind=Kind.VILLAGE)


class F1(CommunityShare):
    """城市社区综合服务设施覆盖率。

    国务院办公厅《“十四五”城乡社区服务体系建设规划》（国办发〔2021〕56号）与《鸡西市“十四五”民政事业发展规划》
    第二节：“到2025年，全市城乡社区综合服务设施实现全覆盖。”
    单位：城市社区（社区）；有至少 1 个运营中的综合服务设施即达标；指标 = 达标社区占比。
    """

    code, name, unit_name = "F1", _("城市社区综合服务设施覆盖率"), _("城市社区")
    unit_rule = _("有运营中的综合服务设施")

    def unit_q(self):
        return URBAN

    def aliases(self, ctx):
        return {"has_centre": _operating_centre_in()}

    def passes_q(self, ctx):
        return Q(has_centre=True)

    def reason(self, unit, ctx):
        return gettext("有运营中的综合服务设施") if unit.passes else gettext("没有运营中的社区综合服务设施")


class F2(F1):
    """农村社区综合服务设施覆盖率。

    《鸡西市“十四五”民政事业发展规划》第二节：“到2025年，全市城乡社区综合服务设施实现全覆盖。”（城乡：村也在内，目标 100%。）
    单位：村；有至少 1 个运营中的综合服务设施即达标；指标 = 达标村占比。没有村的区县无此值。
    """

    code, name, unit_name = "F2", _("农村社区综合服务设施覆盖率"), _("村")

    def unit_q(self):
        return VILLAGE


class F3(Indicator):
    """每百户居民拥有社区综合服务设施面积。

    《鸡西市“十四五”民政事业发展规划》主要指标表第 7 行：“每百户居民拥有的城乡社区综合服务设施面积 平方米 >30 预期性”。
    指标 = 运营中设施总建筑面积之和 × 100 ÷ 区划内全部社区和村（有无设施）的户数之和；
    单位（社区、村）以本社区的值按规划的目标判断（默认须高于 30 平方米，恰好 30 不达标）。
    """

    code, name, unit_name = "F3", _("每百户居民拥有社区综合服务设施面积"), _("社区和村")
    kind, comparator, value_unit, scale = RATIO, ">", _("平方米/百户"), 100
    model, path = Division, ""

    def needs(self, ctx):
        return {
            "centres": ({}, {"F3_area": Sum("total_area")}),
            "communities": ({}, {"F3_households": Sum("households")}),
        }

    def pair(self, rows):
        areas = rows.get("centres", {})
        return {
            group: ((areas.get(group) or {}).get("F3_area") or 0, row["F3_households"])
            for group, row in rows.get("communities", {}).items()
        }

    def base(self, ctx):
        from facilities.models import Centre

        area = (
            Centre.objects.filter(community=OuterRef("pk"), status=Status.OPERATING)
            .order_by()
            .values("community")
            .annotate(total=Sum("total_area"))
            .values("total")
        )
        return Division.objects.filter(level=Level.COMMUNITY).annotate(
            centre_area=Coalesce(Subquery(area, output_field=DecimalField(max_digits=14, decimal_places=2)),
                                 Value(Decimal("0")), output_field=DecimalField(max_digits=14, decimal_places=2))
        )

    def unit_rule_for(self, target):
        if target is None or target.figure is None:
            return ""
        return gettext("每个社区和村每百户 %(symbol)s %(figure)s 平方米") % {
            "symbol": target.symbol, "figure": target.figure_text,
        }

    def units(self, ctx, within=None, *, failing_only=False, target=None):
        communities = self.related(self.base(ctx).filter(division_q(Division, within)))
        units = (self.unit_for(community, target) for community in communities)
        return [unit for unit in units if not (failing_only and unit.passed is not False)]

    def unit_for(self, community, target):
        """A community (annotated by ``base``) judged by its own value against the plan's F3 target."""
        own = self.value(community.centre_area, community.households)
        figure = None if target is None or target.figure is None else Fraction(target.figure)
        comparator = self.comparator if target is None else target.comparator
        passed = compare(own, comparator, figure) if own is not None else False
        reason = self.reason_for(community, own, passed, figure, comparator)
        return Unit(community, self.label(community), passed, reason, admin_url(community))

    def reason_for(self, unit, own, passed, figure, comparator):
        if own is None:
            return gettext("缺少户数，无法计算")
        words = {"value": plain(own), "figure": plain(figure) if figure is not None else ""}
        if passed is None:
            return gettext("每百户 %(value)s 平方米（本规划不设目标）") % words
        above = comparator == ">"
        if passed:
            if above:
                return gettext("每百户 %(value)s 平方米，高于 %(figure)s 平方米") % words
            return gettext("每百户 %(value)s 平方米，达到 %(figure)s 平方米") % words
        shortfall = figure * unit.households / 100 - to_fraction(unit.centre_area)
        if shortfall == 0:
            return gettext("每百户恰好 %(figure)s 平方米，须高于 %(figure)s 平方米") % words
        words["gap"] = plain(shortfall)
        if above:
            return gettext("每百户 %(value)s 平方米，未高于 %(figure)s 平方米，还差 %(gap)s 平方米") % words
        return gettext("每百户 %(value)s 平方米，未达到 %(figure)s 平方米，还差 %(gap)s 平方米") % words


class F4(CentreShare):
    """居民活动区域面积占比。

    《吉林省“十四五”城乡社区服务体系建设规划》（十）：“精简整合村(社区)办公空间，推行开放式办公，实现居民活动区域占社区综合服务设施总面积的60%以上。”
    单位：运营中的综合服务设施；居民活动面积 ÷ 总建筑面积 ≥ 60% 即达标（恰好 60% 达标）。
    """

    code, name = "F4", _("居民活动区域面积占比")
    unit_rule = _("每个设施居民活动面积 ≥ 60%")
    SHARE = 60

    def aliases(self, ctx):
        # Whole hundredths of a square metre: exact on both databases at the 60 % boundary.
        return {"activity_cents": Round(F("activity_area") * 100) * 100, "total_cents": Round(F("total_area") * 100)}

    def passes_q(self, ctx):
        return Q(activity_cents__gte=F("total_cents") * self.SHARE)

    def reason(self, unit, ctx):
        share = Fraction(unit.activity_area) * 100 / Fraction(unit.total_area)
        if unit.passes:
            return gettext("居民活动面积占比 %(share)s%%，达到 60%%") % {"share": plain(share, 0 if share.denominator == 1 else 2)}
        gap = Fraction(unit.total_area) * self.SHARE / 100 - Fraction(unit.activity_area)
        return gettext("居民活动面积占比 %(share)s%%，低于 60%%，还差 %(gap)s 平方米") % {
            "share": plain(share, 0 if share.denominator == 1 else 2), "gap": plain(gap),
        }


class F5(CentreShare):
    """开放时间。

    《吉林省“十四五”城乡社区服务体系建设规划》（十）：“保证社区综合服务设施开放时间每天不少于8小时，节假日全天开放。”
    单位：运营中的综合服务设施；周一至周日每天开放时段之和 ≥ 8 小时（午休不计）且节假日全天开放即达标。
    """

    code, name = "F5", _("开放时间")
    unit_rule = _("每个设施每天开放 ≥ 8 小时，节假日全天开放")

    def condition(self):
        return Q(shortest_day_minutes__gte=FULL_DAY_MINUTES, open_on_holidays=True)

    def reason(self, unit, ctx):
        problems = []
        for label, field_name in zip(WEEKDAY_LABELS, WEEKDAY_FIELDS, strict=True):
            minutes = day_minutes(getattr(unit, field_name))
            if minutes < FULL_DAY_MINUTES:
                problems.append(
                    gettext("%(day)s开放 %(hours)s，不足 8 小时") % {"day": label, "hours": hours_text(minutes)}
                    if minutes else gettext("%(day)s不开放") % {"day": label}
                )
        if not unit.open_on_holidays:
            problems.append(gettext("节假日未全天开放"))
        return "；".join(problems) if problems else gettext("每天开放不少于 8 小时，节假日全天开放")


class F6(CentreShare):
    """志愿服务站点覆盖率。

    《鸡西市“十四五”民政事业发展规划》主要指标表第 10 行：“志愿服务站点在社区综合服务设施中的覆盖率 % 80 预期性”。
    单位：运营中的综合服务设施；设有志愿服务站点即达标。
    """

    code, name = "F6", _("志愿服务站点覆盖率")
    unit_rule = _("设有志愿服务站点")

    def condition(self):
        return Q(has_volunteer_station=True)

    def reason(self, unit, ctx):
        return gettext("设有志愿服务站点") if unit.passes else gettext("没有志愿服务站点")


class V1(CommunityShare):
    """党员骨干志愿服务队覆盖率。

    《吉林省“十四五”城乡社区服务体系建设规划》专栏4-3：“每个村(社区)至少组建1支以党员为骨干的志愿者服务队。”
    单位：社区和村；至少有 1 支党员骨干志愿服务队即达标。
    """

    code, name, unit_name = "V1", _("党员骨干志愿服务队覆盖率"), _("社区和村")
    unit_rule = _("至少 1 支以党员为骨干的志愿服务队")

    def aliases(self, ctx):
        from volunteers.models import Team

        return {"has_backbone_team": Exists(Team.objects.filter(community=OuterRef("pk"), party_backbone=True))}

    def passes_q(self, ctx):
        return Q(has_backbone_team=True)

    def reason(self, unit, ctx):
        return gettext("有党员骨干志愿服务队") if unit.passes else gettext("没有以党员为骨干的志愿服务队")


# ---------------------------------------------------------------------------------------------
# Community workers and social workers (S1–S4)


def _workers():
    return BASES["workers"].queryset()


def _certified_q():
    from volunteers.models import CertificateLevel

    # A lapsed registration (登记有效期) still holds the certificate: only the level counts.
    return ~Q(level=CertificateLevel.NONE)


def _certified(queryset):
    return queryset.filter(_certified_q())


#: A worker whose workplace is an urban community (not a street's social-work station, not a village).
IN_URBAN_COMMUNITY = Q(workplace__level=Level.COMMUNITY, workplace__kind=Kind.COMMUNITY)


class S1(Indicator):
    """平均每个城市社区持证社工数。

    《吉林省“十四五”城乡社区服务体系建设规划》（十五）：“实现平均每个城市社区获得‘社工证书’的工作人员数至少3人以上的目标。”
    指标 = 在社区（城市社区）工作的在岗持证人员数（不论岗位）÷ 城市社区数；社工站人员不计。
    """

    code, name, unit_name = "S1", _("平均每个城市社区持证社工数"), _("城市社区")
    kind, value_unit, scale = RATIO, _("人/社区"), 1
    has_units = False

    def numerator_q(self):
        """Which on-duty workers count."""
        return _certified_q() & IN_URBAN_COMMUNITY

    def denominator_column(self):
        return Count("pk", filter=URBAN)

    def needs(self, ctx):
        code = self.code
        return {
            "workers": ({}, {f"{code}_num": Count("pk", filter=self.numerator_q())}),
            "communities": ({}, {f"{code}_den": self.denominator_column(), f"{code}_units": Count("pk", filter=URBAN)}),
        }

    def pair(self, rows):
        """Per group with urban communities: workers counted there (0 if none) and the denominator."""
        code, workers = self.code, rows.get("workers", {})
        return {
            group: ((workers.get(group) or {}).get(f"{code}_num", 0), row[f"{code}_den"])
            for group, row in rows.get("communities", {}).items() if row[f"{code}_units"]
        }


#: A worker whose workplace is a street/town: its social-work station (社会工作站).
AT_STATION = Q(workplace__level=Level.STREET)


class S2(Indicator):
    """平均每个乡镇(街道)社会工作站持证社工数。

    《吉林省“十四五”城乡社区服务体系建设规划》专栏4-4：“到2025年底，实现平均每个乡镇(街道)社会工作站至少拥有1名‘社工’专业人才。”
    指标 = 区划内各街道乡镇社会工作站的在岗持证人员数 ÷ 街道乡镇数（每个街道乡镇都计入分母，站里有没有人都算）；
    是平均数，不是逐站的规定：恰好 1.00 达标，0.99 不达标。
    下钻列出社会工作站还没有在岗持证人员的街道乡镇，作为待办，不是规划的未达标。
    """

    code, name, unit_name = "S2", _("平均每个乡镇(街道)社会工作站持证社工数"), _("街道乡镇")
    kind, value_unit, scale = RATIO, _("人/站"), 1
    model, path, base_name = Division, "", "streets"
    units_title = _("待办：社会工作站还没有在岗持证社工的街道乡镇（规划按平均数考核，这不是规划的未达标）")
    units_empty = _("每个街道乡镇的社会工作站都有在岗持证社工。")

    def needs(self, ctx):
        return {
            "workers": ({}, {"S2_num": Count("pk", filter=_certified_q() & AT_STATION)}),
            "streets": ({}, {"S2_den": Count("pk")}),
        }

    def pair(self, rows):
        """Per group with streets: certified people at their stations (0 if none) and the number of streets."""
        workers = rows.get("workers", {})
        return {
            group: ((workers.get(group) or {}).get("S2_num", 0), row["S2_den"])
            for group, row in rows.get("streets", {}).items() if row["S2_den"]
        }

    def aliases(self, ctx):
        return {"has_certified_worker": Exists(_certified(_workers()).filter(workplace=OuterRef("pk")))}

    def passes_q(self, ctx):
        return Q(has_certified_worker=True)

    def units(self, ctx, within=None, *, failing_only=False, target=None):
        """Streets with (达标) or without (a to-do: ``passed`` None) a certified person at their station."""
        queryset = self.related(self.base(ctx).filter(division_q(Division, within)))
        if failing_only:
            queryset = queryset.filter(passes=False)
        return [
            Unit(unit, self.label(unit), True if unit.passes else None, self.reason(unit, ctx), admin_url(unit))
            for unit in queryset
        ]

    def reason(self, unit, ctx):
        if unit.passes:
            return gettext("社会工作站有在岗持证社工")
        return gettext("社会工作站还没有在岗持证社工（待配备）")


class S3(S1):
    """每万名城镇常住人口拥有社区工作者数。

    《鸡西市“十四五”民政事业发展规划》：“推动实现每万名城镇常住人口拥有社区工作者18人。”
    指标 = 城市社区在岗社区工作者（持证与否）× 10000 ÷ 城市社区常住人口之和。
    """

    code, name = "S3", _("每万名城镇常住人口拥有社区工作者数")
    value_unit, scale = _("人/万人"), 10000

    def numerator_q(self):
        from volunteers.models import WorkerRole

        return Q(role=WorkerRole.COMMUNITY_WORKER) & IN_URBAN_COMMUNITY

    def denominator_column(self):
        return Sum("population", filter=URBAN)


class S4(Indicator):
    """社会工作专业人才总量（持证部分）。

    《鸡西市“十四五”民政事业发展规划》主要指标表第 9 行：“社会工作专业人才总量 人 1000 预期性”。
    规划的社会工作专业人才还包括未持证的专业人员；本门户只能统计持证部分。
    指标 = 在岗持证人员总数（社区与社工站）；目标只对全市。
    """

    code, name, unit_name = "S4", _("社会工作专业人才总量（持证部分）"), "—"
    kind, value_unit, scale, city_only = COUNT, _("人"), 1, True
    has_units = False
    note = _("规划的社会工作专业人才总量还包括未持证的专业人员；本门户统计的是其中持证的部分。")

    def value(self, numerator, denominator):
        return Fraction(numerator or 0)

    def needs(self, ctx):
        return {"workers": ({}, {"S4_num": Count("pk", filter=_certified_q())})}

    def pair(self, rows):
        return {group: (row["S4_num"], 1) for group, row in rows.get("workers", {}).items() if row["S4_num"]}


# ---------------------------------------------------------------------------------------------
# Eldercare (E1–E8)


def _facilities():
    from eldercare.models import Facility

    return Facility.objects.filter(status=Status.OPERATING)


class FacilityRatio(Indicator):
    """Sums over operating elderly-care institutions (the ``institutions`` base)."""

    kind, path = RATIO, "division"
    has_units = False


class E1(FacilityRatio):
    """养老机构护理型床位占比。

    《鸡西市“十四五”民政事业发展规划》主要指标表第 16 行：“养老机构护理型床位占比 % 55 约束性”
    （苏州 2017~2020 年行动计划征求意见稿：≥70%）。
    指标 = 运营中养老机构护理型床位数之和 × 100 ÷ 床位数之和；日间照料和综合养老服务中心的床位不计。
    """

    code, name, unit_name, scale, value_unit = "E1", _("养老机构护理型床位占比"), "—", 100, "%"

    def needs(self, ctx):
        return {"institutions": ({}, {"E1_num": Sum("nursing_beds"), "E1_den": Sum("beds")})}

    def pair(self, rows):
        return {group: (row["E1_num"], row["E1_den"]) for group, row in rows.get("institutions", {}).items()}


class E6(FacilityRatio):
    """每千名老年人拥有养老床位数。

    《鸡西市“十四五”民政事业发展规划》：“每千名老人拥有床位27张”（基期值，无目标）；
    苏州 2017~2020 年行动计划征求意见稿表 1：每千名老年人拥有养老床位数 50 张。
    指标 = 运营中养老机构床位数之和 × 1000 ÷ 60 岁以上人口之和。
    """

    code, name, unit_name, scale, value_unit = "E6", _("每千名老年人拥有养老床位数"), "—", 1000, _("张/千人")

    def needs(self, ctx):
        return {
            "institutions": ({}, {"E6_beds": Sum("beds")}),
            "communities": ({}, {"E6_elderly": Sum("population_60plus")}),
        }

    def pair(self, rows):
        beds = rows.get("institutions", {})
        return {
            group: ((beds.get(group) or {}).get("E6_beds") or 0, row["E6_elderly"])
            for group, row in rows.get("communities", {}).items()
        }


def _comprehensive(**division):
    """Operating facilities with all four functions (eldercare's own rule), standing in ``division``."""
    from eldercare.models import Facility

    return Exists(Facility.objects.filter(status=Status.OPERATING, **division).comprehensive())


class E2(CommunityShare):
    """城镇街道综合养老服务机构覆盖率。

    《鸡西市“十四五”民政事业发展规划》主要指标表第 17 行：“城镇街道范围具备综合功能的养老服务机构覆盖率 % 80 预期性”；
    专栏6-04：敬老院改造提升为区域性养老服务中心。
    单位：街道；街道内（所属区划代码为本街道或其社区）有运营中的、具备全托、日托、上门服务、对下指导四项功能的
    综合养老服务中心或养老机构即达标。
    """

    code, name, unit_name = "E2", _("城镇街道综合养老服务机构覆盖率"), _("街道")
    street_kind = Kind.STREET
    base_name = "streets"
    unit_rule = _("有运营中、四项功能齐全的综合养老服务中心或养老机构")

    def unit_q(self):
        return Q(kind=self.street_kind)

    def aliases(self, ctx):
        # Two existence checks, each on the facilities' (division, kind) index, rather than one over an OR.
        return {
            "comprehensive_at_street": _comprehensive(division=OuterRef("pk")),
            "comprehensive_in_community": _comprehensive(division__street=OuterRef("pk")),
        }

    def passes_q(self, ctx):
        return Q(comprehensive_at_street=True) | Q(comprehensive_in_community=True)

    def reason(self, unit, ctx):
        if unit.passes:
            return gettext("有具备综合功能的养老服务机构")
        return gettext("没有运营中且具备全托、日托、上门服务、对下指导四项功能的综合养老服务中心或养老机构")


class E3(E2):
    """农村乡镇综合养老服务机构覆盖率。

    《鸡西市“十四五”民政事业发展规划》主要指标表第 18 行：“农村乡镇范围具备综合功能的养老服务机构覆盖率 % 60 预期性”。
    单位：乡镇；规则同 E2。
    """

    code, name, unit_name = "E3", _("农村乡镇综合养老服务机构覆盖率"), _("乡镇")
    street_kind = Kind.TOWN


class E4(CommunityShare):
    """城市社区日间照料机构覆盖率。

    《鸡西市“十四五”民政事业发展规划》专栏6-02：“实现城市社区日间照料机构全覆盖”。
    单位：城市社区；有运营中的日间照料中心即达标。
    """

    code, name, unit_name = "E4", _("城市社区日间照料机构覆盖率"), _("城市社区")
    unit_rule = _("有运营中的日间照料中心")

    def unit_q(self):
        return URBAN

    def aliases(self, ctx):
        from eldercare.models import FacilityKind

        return {"has_daycare": Exists(_facilities().filter(division=OuterRef("pk"), kind=FacilityKind.DAYCARE))}

    def passes_q(self, ctx):
        return Q(has_daycare=True)

    def reason(self, unit, ctx):
        return gettext("有运营中的日间照料中心") if unit.passes else gettext("没有运营中的日间照料中心")


class E5(Indicator):
    """特殊困难老年人月探访率。

    《鸡西市“十四五”民政事业发展规划》主要指标表第 19 行：“特殊困难老年人月探访率 % 100 约束性”；
    《吉林省“十四五”城乡社区服务体系建设规划》专栏2-2：“实现特殊困难老年人月探访率100%。”
    单位：登记的特殊困难老年人；所选月份内至少有 1 次探访（上门或电话，按日期计）即达标。
    """

    code, name, unit_name, path = "E5", _("特殊困难老年人月探访率"), _("特殊困难老年人"), "community"
    unit_rule = _("当月至少探访 1 次")
    base_name = "elders"

    @property
    def model(self):
        from eldercare.models import Elder

        return Elder

    def aliases(self, ctx):
        from eldercare.models import Visit

        visited = Visit.objects.filter(elder=OuterRef("pk"), visited_on__range=(ctx.month_first, ctx.month_last))
        return {"visited_in_month": Exists(visited)}

    def passes_q(self, ctx):
        return Q(visited_in_month=True)

    def related(self, queryset):
        return queryset.select_related("community__street")

    def label(self, unit):
        # Personal data: the code and the community, never the name or ID number.
        return f"{unit.community.name} · {unit.code}"

    def reason(self, unit, ctx):
        if unit.passes:
            return gettext("%(month)s有探访记录") % {"month": ctx.month_label}
        return gettext("%(month)s没有探访记录") % {"month": ctx.month_label}


#: Half the side of E7's bounding box in degrees of latitude: 1,000 m is 0.0089932° on a sphere of
#: 6,371,000 m; 0.0091 leaves a margin for the longitude bound, which divides it by cos(latitude).
BOX_DEGREES = 0.0091
#: The grid rows (core.geo.latitude_row) a box can reach: its own and the ones on either side.
GRID_ROWS = (0, -1, 1)


def haversine_expression(lat_ref, lon_ref, lat_field="latitude", lon_field="longitude"):
    """core.geo.haversine_m as a database expression (SIN/COS/ASIN/SQRT also on SQLite)."""
    phi1, phi2 = Radians(lat_ref), Radians(F(lat_field))
    half_dphi = Radians(F(lat_field) - lat_ref) / 2
    half_dlmb = Radians(F(lon_field) - lon_ref) / 2
    a = Power(Sin(half_dphi), 2) + Cos(phi1) * Cos(phi2) * Power(Sin(half_dlmb), 2)
    return Value(2.0 * EARTH_RADIUS_M) * ASin(Least(Sqrt(a), Value(1.0), output_field=FloatField()))


class E7(CommunityShare):
    """15分钟养老服务圈覆盖率。

    《鸡西市“十四五”民政事业发展规划》第二节：“在中心城区构建‘15分钟养老服务圈’”。
    规划没有给出距离；1000 米是本门户对“15分钟”的可度量形式，不是规划中的数字。
    单位：城市社区；1000 米内（球面大圆距离，地球半径 6,371,000 米）有运营中的日间照料中心或
    综合养老服务中心（功能不限，跨街道、区县均可）即达标；没有坐标的社区或设施不覆盖、不被覆盖。
    """

    code, name, unit_name = "E7", _("15分钟养老服务圈覆盖率"), _("城市社区")
    unit_rule = _("1000 米内有日间照料中心或综合养老服务中心")
    note = _("规划没有给出“15分钟”的距离：1000 米是本门户的可度量形式，不是规划中的数字。")

    def unit_q(self):
        return URBAN

    def aliases(self, ctx):
        from eldercare.models import FacilityKind

        # A bounding box first, then the exact haversine on what is inside: checking every community
        # against every facility grows with their product. The box is looked up row by row of the grid
        # (core.geo.latitude_row, indexed): an index range on latitude alone would cross the whole city.
        lat, lon = OuterRef("latitude"), OuterRef("longitude")
        dlon = Value(BOX_DEGREES) / Cos(Radians(lat))
        near = (
            _facilities()
            .filter(kind__in=[FacilityKind.DAYCARE, FacilityKind.STREET_CENTRE])
            .filter(latitude__gte=lat - Value(BOX_DEGREES), latitude__lte=lat + Value(BOX_DEGREES))
            .filter(longitude__gte=lon - dlon, longitude__lte=lon + dlon)
            .annotate(distance=haversine_expression(lat, lon))
            .filter(distance__lte=CIRCLE_RADIUS_M)
            .alias(row=latitude_row(F("latitude")))
        )
        rows = [latitude_row(lat) + offset for offset in GRID_ROWS]
        return {"care_within_1000m": Exists(near.filter(row__in=rows))}

    def passes_q(self, ctx):
        return Q(care_within_1000m=True)

    def reason(self, unit, ctx):
        if unit.latitude is None or unit.longitude is None:
            return gettext("社区没有坐标，无法计算距离")
        if unit.passes:
            return gettext("1000 米内有日间照料中心或综合养老服务中心")
        return gettext("1000 米内没有运营中的日间照料中心或综合养老服务中心")


class E8(CommunityShare):
    """县(市)公办养老机构覆盖率。

    《鸡西市“十四五”民政事业发展规划》主要指标表第 21 行：“县(市)公办养老机构覆盖率 % 100 约束性”。
    单位：区县；有运营中的公办养老机构即达标。
    """

    code, name, unit_name = "E8", _("县(市)公办养老机构覆盖率"), _("区县")
    unit_rule = _("有运营中的公办养老机构")
    base_name = "districts"

    def aliases(self, ctx):
        from eldercare.models import FacilityKind, Ownership

        public = _facilities().filter(
            kind=FacilityKind.INSTITUTION, ownership=Ownership.PUBLIC, division__district=OuterRef("pk")
        )
        return {"has_public_institution": Exists(public)}

    def passes_q(self, ctx):
        return Q(has_public_institution=True)

    def reason(self, unit, ctx):
        return gettext("有运营中的公办养老机构") if unit.passes else gettext("没有运营中的公办养老机构")


ORDER = (F1, F2, F3, F4, F5, F6, V1, S1, S2, S3, S4, E1, E2, E3, E4, E5, E6, E7, E8)
INDICATORS = {cls.code: cls() for cls in ORDER}


def get(code):
    return INDICATORS[code]


# ---------------------------------------------------------------------------------------------
# Evaluation: every indicator for a division and its parts


@dataclass
class Result:
    """An indicator's figure for one division (None = the whole city) against the plan's target."""

    indicator: Indicator
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
    indicator: Indicator
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
    grouped_rows = board_rows(tuple(indicator.code for indicator in chosen), ctx.month, within, by)
    rows = []
    for indicator in chosen:
        target = targets.get(indicator.code)
        sums = indicator.pair(grouped_rows)
        total = Result(indicator, within, *_pool(sums.values()), target=target)
        breakdown = [Result(indicator, part, *sums.get(part.pk, (None, None)), target=target) for part in parts or []]
        rows.append(Row(indicator, target, total, breakdown))
    return rows


def _pool(pairs):
    """Pool every unit and sum (the ALL row is not a mean of the parts)."""
    pairs = list(pairs)
    if not pairs:
        return (None, None)
    numerator = sum((to_fraction(num) or 0 for num, _den in pairs), Fraction(0))
    dens = [den for _num, den in pairs if den is not None]
    denominator = sum((to_fraction(den) for den in dens), Fraction(0)) if dens else None
    return numerator, denominator

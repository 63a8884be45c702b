"""Community service centres (F1–F6) and volunteer teams (V1)."""

from decimal import Decimal
from fractions import Fraction

from django.db.models import DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.figures import hours_text, plain, to_fraction
from compliance.kinds import (
    RATIO,
    URBAN,
    VILLAGE,
    CentreShare,
    CommunityShare,
    Indicator,
    Unit,
    admin_url,
    compare,
)
from core.hours import FULL_DAY_MINUTES, WEEKDAY_FIELDS, WEEKDAY_LABELS, day_minutes
from core.models import Division
from core.scoping import division_q
from facilities.models import Centre
from volunteers.models import Team


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
        return {"has_centre": Exists(Centre.objects.operating().filter(community=OuterRef("pk")))}

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
    base_name = "communities"

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
        area = (
            Centre.objects.operating().filter(community=OuterRef("pk"))
            .order_by()
            .values("community")
            .annotate(total=Sum("total_area"))
            .values("total")
        )
        decimal = DecimalField(max_digits=14, decimal_places=2)
        return Division.objects.communities().annotate(
            centre_area=Coalesce(Subquery(area, output_field=decimal), Value(Decimal("0")), output_field=decimal)
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

    def failing_units(self, ctx, within=None, limit=None):
        """F3 judges each community in Python (its own value against the target): no count in the database."""
        units = self.units(ctx, within, failing_only=True)
        return len(units), units if limit is None else units[:limit]

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

    def passes_q(self, ctx):
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

    def passes_q(self, ctx):
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
        return {"has_backbone_team": Exists(Team.objects.filter(community=OuterRef("pk"), party_backbone=True))}

    def passes_q(self, ctx):
        return Q(has_backbone_team=True)

    def reason(self, unit, ctx):
        return gettext("有党员骨干志愿服务队") if unit.passes else gettext("没有以党员为骨干的志愿服务队")

"""The indicators of the 14th Five-Year Plan, one class each: the only place each rule is written.

Each docstring quotes the plan and states the rule; the code says which units count, when one passes and
why, in terms of the domain apps' own QuerySets (``Centre.objects.operating()``, ``Visit.objects.in_month``,
``Facility.objects.comprehensive()``, ``volunteers.models.CERTIFIED``). What an indicator is, and how its
figures are computed, is ``compliance.kinds`` and ``compliance.board``.
"""

from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.distance import within_circle
from compliance.figures import hours_text, plain, to_fraction
from compliance.kinds import (
    COUNT,
    RATIO,
    CentreShare,
    CommunityShare,
    Indicator,
    Ratio,
    Unit,
    admin_url,
    compare,
)
from core.hours import FULL_DAY_MINUTES, WEEKDAY_FIELDS, WEEKDAY_LABELS, day_minutes
from core.models import Division, Kind, Level
from core.scoping import division_q
from eldercare.models import Facility, FacilityKind, Ownership, Visit
from facilities.models import Centre
from volunteers.models import CERTIFIED, Team, Worker, WorkerRole

URBAN, VILLAGE = Q(kind=Kind.COMMUNITY), Q(kind=Kind.VILLAGE)
#: A worker whose workplace is an urban community (not a street's social-work station, not a village).
IN_URBAN_COMMUNITY = Q(workplace__level=Level.COMMUNITY, workplace__kind=Kind.COMMUNITY)
#: A worker whose workplace is a street/town: its social-work station (社会工作站).
AT_STATION = Q(workplace__level=Level.STREET)


# ---------------------------------------------------------------------------------------------
# Community service centres (F1–F6) and volunteers (V1)


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


# ---------------------------------------------------------------------------------------------
# Community workers and social workers (S1–S4)


class S1(Ratio):
    """平均每个城市社区持证社工数。

    《吉林省“十四五”城乡社区服务体系建设规划》（十五）：“实现平均每个城市社区获得‘社工证书’的工作人员数至少3人以上的目标。”
    指标 = 在社区（城市社区）工作的在岗持证人员数（不论岗位）÷ 城市社区数；社工站人员不计。
    """

    code, name, unit_name = "S1", _("平均每个城市社区持证社工数"), _("城市社区")
    value_unit, scale = _("人/社区"), 1

    def numerator_q(self):
        """Which on-duty workers count."""
        return CERTIFIED & IN_URBAN_COMMUNITY

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


class S2(Indicator):
    """平均每个乡镇(街道)社会工作站持证社工数。

    《吉林省“十四五”城乡社区服务体系建设规划》专栏4-4：“到2025年底，实现平均每个乡镇(街道)社会工作站至少拥有1名‘社工’专业人才。”
    指标 = 区划内各街道乡镇社会工作站的在岗持证人员数 ÷ 街道乡镇数（每个街道乡镇都计入分母，站里有没有人都算）；
    是平均数，不是逐站的规定：恰好 1.00 达标，0.99 不达标。
    下钻列出社会工作站还没有在岗持证人员的街道乡镇，作为待办，不是规划的未达标。
    """

    code, name, unit_name = "S2", _("平均每个乡镇(街道)社会工作站持证社工数"), _("街道乡镇")
    kind, value_unit, scale = RATIO, _("人/站"), 1
    base_name = "streets"
    units_title = _("待办：社会工作站还没有在岗持证社工的街道乡镇（规划按平均数考核，这不是规划的未达标）")
    units_empty = _("每个街道乡镇的社会工作站都有在岗持证社工。")

    def needs(self, ctx):
        return {
            "workers": ({}, {"S2_num": Count("pk", filter=CERTIFIED & AT_STATION)}),
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
        return {"has_certified_worker": Exists(Worker.objects.on_duty().certified().filter(workplace=OuterRef("pk")))}

    def passes_q(self, ctx):
        return Q(has_certified_worker=True)

    def unit_passed(self, unit):
        """Streets with (达标) or without (a to-do: ``None``) a certified person at their station."""
        return True if unit.passes else None

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
        return Q(role=WorkerRole.COMMUNITY_WORKER) & IN_URBAN_COMMUNITY

    def denominator_column(self):
        return Sum("population", filter=URBAN)


class S4(Ratio):
    """社会工作专业人才总量（持证部分）。

    《鸡西市“十四五”民政事业发展规划》主要指标表第 9 行：“社会工作专业人才总量 人 1000 预期性”。
    规划的社会工作专业人才还包括未持证的专业人员；本门户只能统计持证部分。
    指标 = 在岗持证人员总数（社区与社工站）；目标只对全市。
    """

    code, name, unit_name = "S4", _("社会工作专业人才总量（持证部分）"), "—"
    kind, value_unit, scale, city_only = COUNT, _("人"), 1, True
    note = _("规划的社会工作专业人才总量还包括未持证的专业人员；本门户统计的是其中持证的部分。")

    def value(self, numerator, denominator):
        return Fraction(numerator or 0)

    def needs(self, ctx):
        return {"workers": ({}, {"S4_num": Count("pk", filter=CERTIFIED)})}

    def pair(self, rows):
        return {group: (row["S4_num"], 1) for group, row in rows.get("workers", {}).items() if row["S4_num"]}


# ---------------------------------------------------------------------------------------------
# Eldercare (E1–E8)


class E1(Ratio):
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
        comprehensive = Facility.objects.operating().comprehensive()
        return {
            "comprehensive_at_street": Exists(comprehensive.filter(division=OuterRef("pk"))),
            "comprehensive_in_community": Exists(comprehensive.filter(division__street=OuterRef("pk"))),
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
        daycare = Facility.objects.operating().filter(division=OuterRef("pk"), kind=FacilityKind.DAYCARE)
        return {"has_daycare": Exists(daycare)}

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

    code, name, unit_name = "E5", _("特殊困难老年人月探访率"), _("特殊困难老年人")
    unit_rule = _("当月至少探访 1 次")
    base_name = "elders"

    def aliases(self, ctx):
        return {"visited_in_month": Exists(Visit.objects.in_month(ctx.month).filter(elder=OuterRef("pk")))}

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


class E6(Ratio):
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
        care = Facility.objects.operating().filter(kind__in=[FacilityKind.DAYCARE, FacilityKind.STREET_CENTRE])
        return {"care_within_1000m": Exists(within_circle(care, OuterRef("latitude"), OuterRef("longitude")))}

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
        public = Facility.objects.operating().institutions().filter(
            ownership=Ownership.PUBLIC, division__district=OuterRef("pk")
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

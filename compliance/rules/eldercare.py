"""Eldercare (E1–E8)."""


from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.distance import within_circle
from compliance.kinds import (
    URBAN,
    CommunityShare,
    Indicator,
    Ratio,
)
from core.models import Kind
from eldercare.models import Facility, FacilityKind, Ownership, Visit


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

    @staticmethod
    def counted_facilities():
        """The facilities that cover the communities around them (compliance.kept refreshes only theirs)."""
        return Facility.objects.operating().filter(kind__in=[FacilityKind.DAYCARE, FacilityKind.STREET_CENTRE])

    def aliases(self, ctx):
        care = self.counted_facilities()
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

"""Community workers and social workers (S1–S4)."""

from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.kinds import (
    COUNT,
    RATIO,
    URBAN,
    Indicator,
    Ratio,
)
from core.models import Kind, Level
from volunteers.models import CERTIFIED, Worker, WorkerRole

#: A worker whose workplace is an urban community (not a street's social-work station, not a village).
IN_URBAN_COMMUNITY = Q(workplace__level=Level.COMMUNITY, workplace__kind=Kind.COMMUNITY)
#: A worker whose workplace is a street/town: its social-work station (社会工作站).
AT_STATION = Q(workplace__level=Level.STREET)


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

"""The plan's evaluation report (001 第四节: 中期评估 2023, 终期评估 2025) for the city or a district.

``build`` gathers the content once — the figures as the records stood at the end of the report's month
(``compliance.timeline``), the baselines and milestones of the targets, the stored monthly series for
the charts and the failing units with their reasons — and three writers render it: ``docx`` and ``xlsx``
(``compliance.report_files``) and the printable page (``templates/compliance/report_print.html``).

进度 is the share of the way from the baseline to the target: (当前值 − 基期值) ÷ (目标值 − 基期值).
评价: 已达标 when the figure passes; otherwise 进度正常 when it meets the 2023 milestone (if the target
has one and the report's month is in 2023 or earlier) or, without a milestone, when 进度 is at least the
share of the plan's time elapsed since the baseline (years counted from the end of the baseline year to the
end of 2025); 滞后 otherwise, and always at the final evaluation. Without a stored baseline the first month
the portal holds is the baseline, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance import board, rules, selectors, timeline
from compliance.figures import half_up, plain
from compliance.kinds import PERCENT, Context, compare
from compliance.models import MonthFigure
from core.dates import last_full_month, parse_month
from core.models import Division, Level

YEARS = {2023: gettext_lazy("中期评估"), 2025: gettext_lazy("终期评估")}
FINAL_YEAR = 2025
#: Failing units listed per indicator in the document and the printable page (the workbook lists all).
UNITS_SHOWN = 50

#: "全市 N 个城市社区中 M 个已建成综合服务设施": the sentence of each share indicator.
PHRASES = {
    "F1": gettext_lazy("%(den)s 个城市社区中 %(num)s 个已建成综合服务设施"),
    "F2": gettext_lazy("%(den)s 个村中 %(num)s 个已建成综合服务设施"),
    "F4": gettext_lazy("%(den)s 个运营中的综合服务设施中 %(num)s 个居民活动区域占比达到 60%%"),
    "F5": gettext_lazy("%(den)s 个运营中的综合服务设施中 %(num)s 个每天开放不少于 8 小时且节假日全天开放"),
    "F6": gettext_lazy("%(den)s 个运营中的综合服务设施中 %(num)s 个设有志愿服务站点"),
    "V1": gettext_lazy("%(den)s 个社区和村中 %(num)s 个有党员骨干志愿服务队"),
    "E2": gettext_lazy("%(den)s 个城镇街道中 %(num)s 个有具备综合功能的养老服务机构"),
    "E3": gettext_lazy("%(den)s 个农村乡镇中 %(num)s 个有具备综合功能的养老服务机构"),
    "E4": gettext_lazy("%(den)s 个城市社区中 %(num)s 个有日间照料中心"),
    "E5": gettext_lazy("%(den)s 名特殊困难老年人中 %(num)s 名当月得到探访"),
    "E7": gettext_lazy("%(den)s 个城市社区中 %(num)s 个在 15 分钟养老服务圈内"),
    "E8": gettext_lazy("%(den)s 个区县中 %(num)s 个有公办养老机构"),
}


class FailingUnits(list):
    """The failing units listed (at most ``UNITS_SHOWN`` in the document and the page) and how many fail."""

    def __init__(self, units, count):
        super().__init__(units)
        self.count = count

    @property
    def more(self):
        return self.count - len(self)


def default_month(year, today=None):
    """December of the report's year, or the last full month while that year is not over."""
    last = last_full_month(today or timezone.localdate())
    return min(date(year, 12, 1), last)


def title(params):
    level = _("全市")
    if params["district"]:
        division = Division.objects.filter(code=params["district"]).first()
        level = division.name if division else params["district"]
    return _("%(year)s 年%(stage)s报告 · %(level)s（%(format)s）") % {
        "year": params["year"], "stage": YEARS[params["year"]], "level": level, "format": params["format"],
    }


@dataclass
class Line:
    indicator: object
    division_name: str
    binding: str
    baseline: Decimal | None
    baseline_note: str
    midterm: Decimal | None
    figure: Decimal | None
    symbol: str
    current: Decimal | None
    progress: Decimal | None  # percent of the way from baseline to target
    verdict: str
    lagging: bool
    sentence: str = ""

    def cells(self):
        """指标, 属性, 基期值, 中期目标, 目标值, 当前值, 进度, 评价 as texts."""
        return [
            f"{self.indicator.code} {self.indicator.name}", self.binding, _text(self.baseline),
            _text(self.midterm), f"{self.symbol} {_text(self.figure)}" if self.figure is not None else _("不设目标"),
            _text(self.current, none=_("无数据")), "—" if self.progress is None else f"{plain(self.progress, 1)}%",
            self.verdict,
        ]


HEADER = ("指标", "属性", "基期值", "中期目标", "目标值", "当前值", "进度", "评价")


@dataclass
class Report:
    year: int
    stage: str
    level_name: str
    month: date
    plan_name: str
    lines: list
    annex: list  # [(division name, [Line])]
    failing: list  # [(indicator, [Unit])]
    series: dict  # {code: [trends.Point]} of the report's level
    generated_at: object
    sources: list = field(default_factory=list)

    @property
    def title(self):
        return _("%(level)s民政事业“十四五”规划%(stage)s报告（%(year)s年）") % {
            "level": self.level_name, "stage": self.stage, "year": self.year,
        }

    @property
    def month_label(self):
        return _("%(year)s年%(month)s月") % {"year": self.month.year, "month": self.month.month}

    @property
    def lagging(self):
        return [line for line in self.lines if line.lagging]

    @property
    def sentences(self):
        return [line.sentence for line in self.lines if line.sentence]


def _text(number, none="—"):
    return none if number is None else plain(Fraction(number), 2)


def _elapsed_share(month, baseline_year):
    """The share of the plan's time elapsed at the end of ``month`` since the end of the baseline year."""
    months = (month.year - baseline_year) * 12 + month.month - 12
    return Fraction(max(0, min(months, (FINAL_YEAR - baseline_year) * 12)), (FINAL_YEAR - baseline_year) * 12)


def judge(*, result, target, baseline, month, year):
    """``(progress %, verdict, lagging)`` of one figure."""
    if result.value is None:
        return None, _("无数据"), False
    if target is None or target.figure is None or result.figure is None:
        return None, _("不设目标"), False
    value, figure = result.value, Fraction(target.figure)
    progress = None
    # Progress only means something while the baseline fell short of the target.
    if baseline is not None and compare(Fraction(baseline), target.comparator, figure) is False and \
            figure != Fraction(baseline):
        progress = half_up((value - Fraction(baseline)) * 100 / (figure - Fraction(baseline)), 2) + 0  # no -0
    if result.passed:
        return progress, _("已达标"), False
    if year >= FINAL_YEAR:
        return progress, _("滞后"), True
    if target.midterm is not None:
        on_track = compare(value, target.comparator, Fraction(target.midterm))
    elif progress is not None and target.baseline_year and target.baseline_year < FINAL_YEAR:
        on_track = Fraction(progress) >= _elapsed_share(month, target.baseline_year) * 100
    else:
        on_track = False
    return progress, (_("进度正常") if on_track else _("滞后")), not on_track


def _sentence(line, result, level_name, month_label):
    indicator = line.indicator
    if line.current is None:
        return _("截至%(month)s，%(level)s%(name)s无数据。") % {"month": month_label, "level": level_name,
                                                              "name": indicator.name}
    target = (_("，目标%(symbol)s%(figure)s") % {"symbol": line.symbol, "figure": _text(line.figure)}
              if line.figure is not None else "")
    if indicator.kind == PERCENT and indicator.code in PHRASES and result.denominator:
        what = PHRASES[indicator.code] % {"den": plain(Fraction(result.denominator), 0),
                                          "num": plain(Fraction(result.numerator or 0), 0)}
        return _("截至%(month)s，%(level)s%(what)s，%(name)s为%(value)s%%%(target)s，%(verdict)s。") % {
            "month": month_label, "level": level_name, "what": what, "name": indicator.name,
            "value": _text(line.current), "target": target, "verdict": line.verdict,
        }
    return _("截至%(month)s，%(level)s%(name)s为%(value)s %(unit)s%(target)s，%(verdict)s。") % {
        "month": month_label, "level": level_name, "name": indicator.name, "value": _text(line.current),
        "unit": indicator.value_unit, "target": target, "verdict": line.verdict,
    }


def _first_figures(codes):
    """``{(division code, indicator): first stored value}``: the portal's own baseline."""
    first = {}
    for code, indicator, value in (
        MonthFigure.objects.filter(division_code__in=codes, value__isnull=False)
        .order_by("division_code", "indicator", "record__month")
        .values_list("division_code", "indicator", "value")
    ):
        first.setdefault((code, indicator), value)
    return first


def _lines(rows, results_of, targets, *, first, division_code, year, month, level_name, month_label, city):
    lines = []
    for row in rows:
        result = results_of(row)
        if result is None:
            continue
        target = targets.get(row.indicator.code)
        if city and target is not None and target.baseline is not None:
            baseline, note = target.baseline, _("%(year)s年 · %(source)s") % {
                "year": target.baseline_year or "", "source": target.baseline_source or _("规划")}
        else:
            baseline = first.get((division_code, row.indicator.code))
            note = _("平台最早的月度数据") if baseline is not None else ""
        progress, verdict, lagging = judge(result=result, target=target, baseline=baseline, month=month, year=year)
        line = Line(
            indicator=row.indicator, division_name=level_name,
            binding=target.get_binding_display() if target else "", baseline=baseline, baseline_note=note,
            midterm=target.midterm if target and city else None,
            figure=result.figure, symbol=target.symbol if target else "", current=result.rounded,
            progress=progress, verdict=verdict, lagging=lagging,
        )
        line.sentence = _sentence(line, result, level_name, month_label)
        lines.append(line)
    return lines


def build(*, year, district="", month="", format="docx", progress=None):  # noqa: A002 - the form's name
    """The report's content (see the module's docstring)."""
    from compliance import trends

    say = progress or (lambda done, total, text: None)
    chosen = parse_month(month) if month else default_month(year)
    plan, targets = selectors.plan_in_force()
    division = Division.objects.get(code=district, level=Level.DISTRICT) if district else None
    parts = selectors.districts() if division is None else selectors.streets_of(division)
    by = "district" if division is None else "street"
    level_name = _("全市") if division is None else division.name
    ctx = Context(month=chosen)
    say(1, 4, _("计算指标"))
    failing = []
    if timeline.has_data(chosen):
        with timeline.as_of(chosen):
            rows = board.evaluate(targets=targets, ctx=ctx, within=division, by=by, parts=parts)
            say(2, 4, _("查找未达标单位"))
            for indicator in rules.INDICATORS.values():
                if indicator.has_units:
                    count, units = indicator.failing_units(ctx, division, None if format == "xlsx" else UNITS_SHOWN)
                    if count:
                        failing.append((indicator, FailingUnits(units, count)))
    else:
        rows = timeline.no_data(board.evaluate(targets=targets, ctx=ctx, within=division, by=by, parts=parts))
    say(3, 4, _("整理趋势和基期"))
    own_code = "ALL" if division is None else division.code
    first = _first_figures([own_code, *[part.code for part in parts]])
    common = {"first": first, "year": year, "month": chosen, "month_label": "", "targets": targets}
    report = Report(
        year=year, stage=YEARS[year], level_name=level_name, month=chosen, plan_name=plan.name if plan else "",
        lines=[], annex=[], failing=failing, series={}, generated_at=timezone.localtime(),
    )
    common["month_label"] = report.month_label
    report.lines = _lines(rows, lambda row: row.total, division_code=own_code, level_name=level_name,
                          city=division is None, **common)
    for part in parts:
        def of_part(row, part=part):
            if row.indicator.city_only:
                return None
            return next((result for result in row.parts if result.division.pk == part.pk), None)

        report.annex.append((part.name, _lines(rows, of_part, division_code=part.code, level_name=part.name,
                                               city=False, **common)))
    series = {}
    for figure in (
        MonthFigure.objects.filter(division_code=own_code, record__month__lte=chosen)
        .select_related("record").order_by("indicator", "record__month")
    ):
        series.setdefault(figure.indicator, []).append(
            trends.Point(figure.record.month, figure.value, figure.passed, figure.target))
    report.series = series
    report.sources = sorted({
        f"{target.indicator}：{target.source}{' ' + target.clause if target.clause else ''}"
        for target in targets.values() if target.source
    })
    say(4, 4, _("完成"))
    return report

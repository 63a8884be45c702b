"""The plan's evaluation report (001 第四节: 中期评估 2023, 终期评估 2025) for the city or a district.

``build`` gathers the content once — the figures as the records stood at the end of the report's month
(``compliance.timeline``), the baselines and milestones of the targets, the stored monthly series for
the charts and the failing units with their reasons — and three writers render it: ``docx`` (python-docx,
what the offices edit), ``xlsx`` (openpyxl, a sheet per district and one of failing units, print set up)
and the printable page (``templates/compliance/report_print.html``).

进度 is the share of the way from the baseline to the target: (当前值 − 基期值) ÷ (目标值 − 基期值).
评价: 已达标 when the figure passes; otherwise 进度正常 when it meets the 2023 milestone (if the target
has one and the report's month is in 2023 or earlier) or, without a milestone, when 进度 is at least the
share of the plan's time elapsed since the baseline (years counted from the end of the baseline year to the
end of 2025); 滞后 otherwise, and always at the final evaluation. Without a stored baseline the first month
the portal holds is the baseline, and the report says so.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance import board, rules, selectors, timeline
from compliance.exports import safe_cell
from compliance.figures import half_up, plain
from compliance.kinds import PERCENT, Context, compare
from compliance.models import MonthFigure
from core.dates import last_full_month
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


class BadParams(ValueError):
    pass


class FailingUnits(list):
    """The failing units listed (at most ``UNITS_SHOWN`` in the document and the page) and how many fail."""

    def __init__(self, units, count):
        super().__init__(units)
        self.count = count

    @property
    def more(self):
        return self.count - len(self)


def _failing_units(indicator, ctx, within, limit):
    """``(count, units)`` of an indicator's failing units, at most ``limit`` built (all with None)."""
    from compliance.kinds import Unit
    from compliance.rules import F3
    from core.scoping import division_q

    if limit is None or isinstance(indicator, F3):  # F3 judges each community in Python
        units = indicator.units(ctx, within, failing_only=True)
        return len(units), units[:limit] if limit is not None else units
    queryset = indicator.base(ctx).filter(division_q(indicator.model, within)).filter(passes=False)
    count = queryset.count()
    listed = indicator.related(queryset)[:limit]
    return count, [Unit(unit, indicator.label(unit), unit.passes, indicator.reason(unit, ctx)) for unit in listed]


def parse_params(data):
    """``{year, district, month, format}`` from a form or query string."""
    try:
        year = int(data.get("year", ""))
    except ValueError:
        raise BadParams(_("请选择评估年份。")) from None
    if year not in YEARS:
        raise BadParams(_("评估年份只能是 2023（中期）或 2025（终期）。"))
    month = data.get("month") or ""
    if month:
        try:
            timeline.parse_month(month)
        except ValueError:
            raise BadParams(_("月份应为 YYYY-MM。")) from None
    fmt = data.get("format") or "docx"
    if fmt not in ("docx", "xlsx"):
        raise BadParams(_("格式只能是 docx 或 xlsx。"))
    return {"year": year, "district": data.get("district") or "", "month": month, "format": fmt}


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
    chosen = timeline.parse_month(month) if month else default_month(year)
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
                    count, units = _failing_units(indicator, ctx, division, None if format == "xlsx" else UNITS_SHOWN)
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


# -- writers --------------------------------------------------------------------------------------


CHART_SIZE, CHART_MARGIN = (1280, 480), (90, 30, 40, 50)  # pixels; margins left, right, top, bottom


def chart_png(points, *, title_text, target=None, baseline=None, midterm=None):
    """A line chart of a lagging indicator as PNG bytes, drawn with Pillow at twice the printed resolution.

    ASCII labels only (years, values), so no font is needed; the caption in the document says the rest.
    Value: solid black line with dots; target: dashed blue; baseline: dotted blue; 2023 milestone: a diamond.
    """
    from PIL import Image, ImageDraw, ImageFont

    width, height = CHART_SIZE
    left, right, top, bottom = CHART_MARGIN
    image = Image.new("RGB", CHART_SIZE, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    values = [float(point.value) for point in points if point.value is not None]
    references = [float(figure) for figure in (target, baseline, midterm) if figure is not None]
    peak = max(values + references + [0]) * 1.1 or 1
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(1, len(points) - 1)

    def xy(index, value):
        return left + plot_w * index / count, top + plot_h * (1 - float(value) / peak)

    draw.text((left, 4), title_text, fill="black", font=font)
    draw.line([(left, top), (left, top + plot_h), (left + plot_w, top + plot_h)], fill="black", width=2)
    for tick in (0, peak / 2.2, peak / 1.1):
        y = xy(0, tick)[1]
        draw.line([(left - 6, y), (left, y)], fill="black", width=2)
        draw.text((4, y - 12), f"{tick:.1f}" if tick < 10 else f"{tick:.0f}", fill="black", font=font)
    for index, point in enumerate(points):
        if point.month.month == 1:
            x = xy(index, 0)[0]
            draw.line([(x, top + plot_h), (x, top + plot_h + 6)], fill="black", width=2)
            draw.text((x - 24, top + plot_h + 10), f"{point.month:%Y}", fill="black", font=font)
    for figure, dash in ((target, 18), (baseline, 5)):
        if figure is not None:
            y = xy(0, figure)[1]
            for start in range(left, left + plot_w, dash * 2):
                draw.line([(start, y), (min(start + dash, left + plot_w), y)], fill="#0d6efd", width=3)
    line = [xy(index, point.value) for index, point in enumerate(points) if point.value is not None]
    if len(line) > 1:
        draw.line(line, fill="black", width=4)
    for x, y in line:
        draw.ellipse([(x - 4, y - 4), (x + 4, y + 4)], fill="black")
    if midterm is not None:
        for index, point in enumerate(points):
            if point.month == date(2023, 12, 1):
                x, y = xy(index, midterm)
                draw.polygon([(x, y - 12), (x + 12, y), (x, y + 12), (x - 12, y)], outline="#6f42c1", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _lagging_charts(report, targets):
    for line in report.lagging:
        points = report.series.get(line.indicator.code, [])
        if not any(point.value is not None for point in points):
            continue
        target = targets.get(line.indicator.code)
        png = chart_png(points, title_text=f"{line.indicator.code} {points[0].month:%Y-%m} - {report.month:%Y-%m}",
                        target=line.figure, baseline=line.baseline,
                        midterm=target.midterm if target and report.level_name == _("全市") else None)
        yield line, png


def docx(report):
    """The report as a Word document (bytes)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    _plan, targets = selectors.plan_in_force()
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.orientation = WD_ORIENT.PORTRAIT
    style = document.styles["Normal"]
    style.font.name, style.font.size = "SimSun", Pt(10)
    # Cover.
    for _index in range(6):
        document.add_paragraph()
    cover = document.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = cover.add_run(report.title)
    run.bold, run.font.size = True, Pt(22)
    for text in (report.plan_name, _("数据截至%(month)s末") % {"month": report.month_label},
                 _("生成于 %(when)s · 规则版本 %(version)s") % {"when": f"{report.generated_at:%Y-%m-%d %H:%M}",
                                                          "version": timeline.RULES_VERSION}):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_page_break()
    document.add_heading(_("一、总体情况"), level=1)
    lagging = report.lagging
    document.add_paragraph(
        _("截至%(month)s，%(level)s%(count)s项有目标的指标中，%(passed)s项已达标，%(on_track)s项进度正常，%(lagging)s项滞后。") % {
            "month": report.month_label, "level": report.level_name,
            "count": sum(line.figure is not None for line in report.lines),
            "passed": sum(line.verdict == _("已达标") for line in report.lines),
            "on_track": sum(line.verdict == _("进度正常") for line in report.lines), "lagging": len(lagging),
        })
    for sentence in report.sentences:
        document.add_paragraph(sentence, style="List Bullet")
    document.add_heading(_("二、指标完成情况"), level=1)
    _docx_table(document, report.lines)
    document.add_paragraph(_("进度 =（当前值 − 基期值）÷（目标值 − 基期值）。基期值未填写的指标以平台最早的月度数据为基期。"))
    document.add_heading(_("三、滞后指标趋势"), level=1)
    charts = list(_lagging_charts(report, targets))
    if not charts:
        document.add_paragraph(_("没有滞后指标，或尚无月度数据。"))
    for line, png in charts:
        document.add_picture(io.BytesIO(png), width=Cm(15))
        document.add_paragraph(_("图：%(code)s %(name)s（实线为数值，虚线为目标值，点线为基期值，菱形为 2023 年中期目标）") % {
            "code": line.indicator.code, "name": line.indicator.name})
    document.add_heading(_("四、未达标单位及原因"), level=1)
    if not report.failing:
        document.add_paragraph(_("没有未达标单位。"))
    for indicator, units in report.failing:
        document.add_heading(f"{indicator.code} {indicator.name}（{units.count}）", level=2)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = _("单位"), _("原因")
        for unit in units:
            cells = _row_cells(table)
            cells[0].text, cells[1].text = unit.label, unit.reason
        if units.more:
            document.add_paragraph(_("另有 %(count)s 个，见 Excel 版“未达标单位”工作表。") % {"count": units.more})
    document.add_page_break()
    document.add_heading(_("附件：各%(kind)s情况") % {"kind": _("区县") if report.level_name == _("全市") else _("街道乡镇")},
                         level=1)
    for name, lines in report.annex:
        document.add_heading(name, level=2)
        _docx_table(document, lines)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _row_cells(table):
    """A new row's cells: ``_Row.cells`` rebuilds the whole table's grid on every call (quadratic in rows)."""
    from docx.table import _Cell

    return [_Cell(tc, table) for tc in table.add_row()._tr.tc_lst]


def _docx_table(document, lines):
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.paragraphs[0].add_run(_(text)).bold = True
    for line in lines:
        for cell, text in zip(_row_cells(table), line.cells(), strict=True):
            cell.text = text


def xlsx(report):
    """The report as a formatted workbook (bytes): 总表, a sheet per district or street, 未达标单位, 说明."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.page import PageMargins

    book = Workbook()
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDE3EA")

    def setup(sheet, widths, header_row):
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.7)
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.oddHeader.center.text = safe_cell(f"{report.plan_name} · {report.level_name} · {report.month_label}")
        sheet.oddFooter.center.text = "&P / &N"
        for column, width in zip("ABCDEFGHIJ", widths, strict=False):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = f"A{header_row + 1}"

    def table(sheet, lines, start):
        sheet.append([_(text) for text in HEADER] + [_("基期说明"), _("说明")])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = bold, head_fill
        for line in lines:
            sheet.append([safe_cell(text) for text in line.cells()] + [safe_cell(line.baseline_note),
                                                                        safe_cell(line.sentence)])
            sheet.cell(sheet.max_row, 10).alignment = Alignment(wrap_text=True)

    summary = book.active
    summary.title = _("总表")[:31]
    summary.append([safe_cell(report.title)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("数据截至"), report.month_label, _("规则版本"), timeline.RULES_VERSION])
    summary.append([])
    table(summary, report.lines, 4)
    setup(summary, (30, 8, 10, 10, 12, 10, 9, 10, 22, 60), 4)
    for name, lines in report.annex:
        sheet = book.create_sheet(_sheet_name(name, book))
        sheet.append([safe_cell(name), report.month_label])
        sheet.append([])
        table(sheet, lines, 3)
        setup(sheet, (30, 8, 10, 10, 12, 10, 9, 10, 22, 60), 3)
    failing = book.create_sheet(_("未达标单位"))
    failing.append([_("指标代码"), _("指标"), _("单位"), _("原因")])
    for cell in failing[1]:
        cell.font, cell.fill = bold, head_fill
    for indicator, units in report.failing:
        for unit in units:
            failing.append([indicator.code, safe_cell(str(indicator.name)), safe_cell(unit.label), safe_cell(unit.reason)])
    setup(failing, (8, 30, 36, 70), 1)
    notes = book.create_sheet(_("说明"))
    notes.append([_("来源")])
    notes["A1"].font = bold
    notes.append([safe_cell(_("数据：本平台按审计历史计算的%(month)s月末数值（规则版本 %(version)s），规划：%(plan)s") % {
        "month": report.month_label, "version": timeline.RULES_VERSION, "plan": report.plan_name})])
    notes.append([_("目标来源：")])
    for source in report.sources:
        notes.append([safe_cell(source)])
    notes.append([_("进度 =（当前值 − 基期值）÷（目标值 − 基期值）；基期值未填写的指标以平台最早的月度数据为基期。")])
    setup(notes, (120,), 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(name, book):
    cleaned = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "sheet"
    candidate, number = cleaned, 2
    while candidate in book.sheetnames:
        candidate = f"{cleaned[:28]}-{number}"
        number += 1
    return candidate


def build_for_job(job, *, progress):
    """The file of a report job: ``(filename, content type, bytes)``."""
    params = job.params
    report = build(**params, progress=lambda done, total, text: progress(done, total + 1, text))
    level = params["district"] or "city"
    if params["format"] == "xlsx":
        content, kind = xlsx(report), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, kind = docx(report), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    progress(5, 5, _("完成"))
    return f"evaluation-{params['year']}-{level}-{report.month:%Y-%m}.{params['format']}", kind, content

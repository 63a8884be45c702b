"""The evaluation report's files, from the content ``compliance.reports.build`` gathers: ``docx`` (python-docx,
what the offices edit), ``xlsx`` (openpyxl, a sheet per district and one of failing units, print set up) and
the PNG charts of lagging indicators (Pillow) that the document shows.
"""

import io
from datetime import date

from django.utils.translation import gettext as _

from compliance import reports, selectors, timeline
from compliance.exports import safe_cell
from compliance.reports import HEADER

CHART_SIZE, CHART_MARGIN = (1280, 480), (90, 30, 40, 50)  # pixels; margins left, right, top, bottom
BLUE, PURPLE = "#0d6efd", "#6f42c1"


class _Plot:
    """The chart's frame: where a (month index, value) lands on the image."""

    def __init__(self, draw, font, points, references):
        self.draw, self.font, self.points = draw, font, points
        values = [float(point.value) for point in points if point.value is not None]
        self.peak = max(values + [float(figure) for figure in references if figure is not None] + [0]) * 1.1 or 1
        self.left, right, self.top, bottom = CHART_MARGIN
        self.width, self.height = CHART_SIZE[0] - self.left - right, CHART_SIZE[1] - self.top - bottom
        self.count = max(1, len(points) - 1)

    def xy(self, index, value):
        return self.left + self.width * index / self.count, self.top + self.height * (1 - float(value) / self.peak)

    def axes(self, title_text):
        draw, font, left, top, floor = self.draw, self.font, self.left, self.top, self.top + self.height
        draw.text((left, 4), title_text, fill="black", font=font)
        draw.line([(left, top), (left, floor), (left + self.width, floor)], fill="black", width=2)
        for tick in (0, self.peak / 2.2, self.peak / 1.1):
            y = self.xy(0, tick)[1]
            draw.line([(left - 6, y), (left, y)], fill="black", width=2)
            draw.text((4, y - 12), f"{tick:.1f}" if tick < 10 else f"{tick:.0f}", fill="black", font=font)
        for index, point in enumerate(self.points):
            if point.month.month == 1:
                x = self.xy(index, 0)[0]
                draw.line([(x, floor), (x, floor + 6)], fill="black", width=2)
                draw.text((x - 24, floor + 10), f"{point.month:%Y}", fill="black", font=font)

    def dashed(self, figure, dash):
        y = self.xy(0, figure)[1]
        end = self.left + self.width
        for start in range(self.left, end, dash * 2):
            self.draw.line([(start, y), (min(start + dash, end), y)], fill=BLUE, width=3)

    def values(self):
        line = [self.xy(index, point.value) for index, point in enumerate(self.points) if point.value is not None]
        if len(line) > 1:
            self.draw.line(line, fill="black", width=4)
        for x, y in line:
            self.draw.ellipse([(x - 4, y - 4), (x + 4, y + 4)], fill="black")

    def milestone(self, midterm):
        for index, point in enumerate(self.points):
            if point.month == date(2023, 12, 1):
                x, y = self.xy(index, midterm)
                self.draw.polygon([(x, y - 12), (x + 12, y), (x, y + 12), (x - 12, y)], outline=PURPLE, width=4)


def chart_png(points, *, title_text, target=None, baseline=None, midterm=None):
    """A line chart of a lagging indicator as PNG bytes, drawn with Pillow at twice the printed resolution.

    ASCII labels only (years, values), so no font is needed; the caption in the document says the rest.
    Value: solid black line with dots; target: dashed blue; baseline: dotted blue; 2023 milestone: a diamond.
    """
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", CHART_SIZE, "white")
    plot = _Plot(ImageDraw.Draw(image), ImageFont.load_default(size=22), points, (target, baseline, midterm))
    plot.axes(title_text)
    for figure, dash in ((target, 18), (baseline, 5)):
        if figure is not None:
            plot.dashed(figure, dash)
    plot.values()
    if midterm is not None:
        plot.milestone(midterm)
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


# -- the Word document ----------------------------------------------------------------------------


def docx(report):
    """The report as a Word document (bytes)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.orientation = WD_ORIENT.PORTRAIT
    style = document.styles["Normal"]
    style.font.name, style.font.size = "SimSun", Pt(10)
    _docx_cover(document, report)
    _docx_summary(document, report)
    _docx_charts(document, report)
    _docx_failing(document, report)
    document.add_page_break()
    document.add_heading(_("附件：各%(kind)s情况") % {"kind": _("区县") if report.level_name == _("全市") else _("街道乡镇")},
                         level=1)
    for name, lines in report.annex:
        document.add_heading(name, level=2)
        _docx_table(document, lines)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_cover(document, report):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

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


def _docx_summary(document, report):
    document.add_heading(_("一、总体情况"), level=1)
    document.add_paragraph(
        _("截至%(month)s，%(level)s%(count)s项有目标的指标中，%(passed)s项已达标，%(on_track)s项进度正常，%(lagging)s项滞后。") % {
            "month": report.month_label, "level": report.level_name,
            "count": sum(line.figure is not None for line in report.lines),
            "passed": sum(line.verdict == _("已达标") for line in report.lines),
            "on_track": sum(line.verdict == _("进度正常") for line in report.lines), "lagging": len(report.lagging),
        })
    for sentence in report.sentences:
        document.add_paragraph(sentence, style="List Bullet")
    document.add_heading(_("二、指标完成情况"), level=1)
    _docx_table(document, report.lines)
    document.add_paragraph(_("进度 =（当前值 − 基期值）÷（目标值 − 基期值）。基期值未填写的指标以平台最早的月度数据为基期。"))


def _docx_charts(document, report):
    from docx.shared import Cm

    _plan, targets = selectors.plan_in_force()
    document.add_heading(_("三、滞后指标趋势"), level=1)
    charts = list(_lagging_charts(report, targets))
    if not charts:
        document.add_paragraph(_("没有滞后指标，或尚无月度数据。"))
    for line, png in charts:
        document.add_picture(io.BytesIO(png), width=Cm(15))
        document.add_paragraph(_("图：%(code)s %(name)s（实线为数值，虚线为目标值，点线为基期值，菱形为 2023 年中期目标）") % {
            "code": line.indicator.code, "name": line.indicator.name})


def _docx_failing(document, report):
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


# -- the workbook -----------------------------------------------------------------------------------

LINE_WIDTHS = (30, 8, 10, 10, 12, 10, 9, 10, 22, 60)


def _styles():
    from openpyxl.styles import Font, PatternFill

    return Font(bold=True), PatternFill("solid", fgColor="DDE3EA")


def _setup(sheet, report, widths, header_row):
    """Print set-up: A4 landscape, one page wide, the header row repeated, plan and month in the page header."""
    from openpyxl.worksheet.page import PageMargins

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


def _lines_table(sheet, lines):
    from openpyxl.styles import Alignment

    bold, head_fill = _styles()
    sheet.append([_(text) for text in HEADER] + [_("基期说明"), _("说明")])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = bold, head_fill
    for line in lines:
        sheet.append([safe_cell(text) for text in line.cells()] + [safe_cell(line.baseline_note),
                                                                    safe_cell(line.sentence)])
        sheet.cell(sheet.max_row, 10).alignment = Alignment(wrap_text=True)


def xlsx(report):
    """The report as a formatted workbook (bytes): 总表, a sheet per district or street, 未达标单位, 说明."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = _("总表")[:31]
    summary.append([safe_cell(report.title)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("数据截至"), report.month_label, _("规则版本"), timeline.RULES_VERSION])
    summary.append([])
    _lines_table(summary, report.lines)
    _setup(summary, report, LINE_WIDTHS, 4)
    for name, lines in report.annex:
        sheet = book.create_sheet(_sheet_name(name, book))
        sheet.append([safe_cell(name), report.month_label])
        sheet.append([])
        _lines_table(sheet, lines)
        _setup(sheet, report, LINE_WIDTHS, 3)
    _failing_sheet(book, report)
    _notes_sheet(book, report)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _failing_sheet(book, report):
    bold, head_fill = _styles()
    failing = book.create_sheet(_("未达标单位"))
    failing.append([_("指标代码"), _("指标"), _("单位"), _("原因")])
    for cell in failing[1]:
        cell.font, cell.fill = bold, head_fill
    for indicator, units in report.failing:
        for unit in units:
            failing.append([indicator.code, safe_cell(str(indicator.name)), safe_cell(unit.label), safe_cell(unit.reason)])
    _setup(failing, report, (8, 30, 36, 70), 1)


def _notes_sheet(book, report):
    bold, _fill = _styles()
    notes = book.create_sheet(_("说明"))
    notes.append([_("来源")])
    notes["A1"].font = bold
    notes.append([safe_cell(_("数据：本平台按审计历史计算的%(month)s月末数值（规则版本 %(version)s），规划：%(plan)s") % {
        "month": report.month_label, "version": timeline.RULES_VERSION, "plan": report.plan_name})])
    notes.append([_("目标来源：")])
    for source in report.sources:
        notes.append([safe_cell(source)])
    notes.append([_("进度 =（当前值 − 基期值）÷（目标值 − 基期值）；基期值未填写的指标以平台最早的月度数据为基期。")])
    _setup(notes, report, (120,), 1)


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
    report = reports.build(**params, progress=lambda done, total, text: progress(done, total + 1, text))
    level = params["district"] or "city"
    if params["format"] == "xlsx":
        content, kind = xlsx(report), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, kind = docx(report), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    progress(5, 5, _("完成"))
    return f"evaluation-{params['year']}-{level}-{report.month:%Y-%m}.{params['format']}", kind, content

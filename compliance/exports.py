"""The compliance export: the CSV of DOMAIN.md and the Excel workbook of the matrix page."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.selectors_official import basis_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _target_text(figure):
    return "" if figure is None else format(figure.normalize(), "f")  # 100, not 100.00 or 1E+2


def _passed_text(passed):
    return "" if passed is None else ("1" if passed else "0")


def csv_rows(rows, *, whole="ALL"):
    """``indicator,division,value,target,passed``: ALL (or ``whole``, a division's code) first, then each part
    (districts, or a province's cities) by code; S4 only the first row."""
    out = [["indicator", "division", "value", "target", "passed"]]
    for row in rows:
        results = [(whole, row.total)]
        # S4 is a whole city's figure: a district has none, a province's cities each have theirs.
        results += [(part.division.code, part) for part in row.parts
                    if not row.indicator.city_only or part.division.level == "city"]
        for division, result in results:
            value = result.rounded
            out.append([
                row.indicator.code, division, "" if value is None else f"{value:.2f}",
                _target_text(result.figure), _passed_text(result.passed),
            ])
    return out


def write_csv(rows, stream, *, whole="ALL"):
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerows(csv_rows(rows, whole=whole))


def safe_cell(value):
    """No spreadsheet formula from data: a text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def workbook(rows, *, plan, ctx, parts):
    """The matrix as .xlsx bytes: Chinese headers, plan name and date, one row per indicator and division."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("达标情况")
    sheet.append([safe_cell(_("规划")), safe_cell(plan.name if plan else "")])
    sheet.append([_("导出日期"), timezone.localdate().isoformat()])
    sheet.append([_("探访统计月份"), f"{ctx.month:%Y-%m}"])
    sheet.append([])
    header = [_("指标代码"), _("指标"), _("区划代码"), _("区划"), _("数值"), _("单位"), _("比较"), _("目标"),
              _("是否达标"), _("指标属性"), _("说明"), _("数据来源")]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        results = [("ALL", _("全市"), row.total)]
        if not row.indicator.city_only:
            results += [(part.division.code, part.division.name, part) for part in row.parts]
        for code, name, result in results:
            value = result.rounded
            passed = {True: _("达标"), False: _("未达标"), None: ""}[result.passed]
            sheet.append([
                row.indicator.code, safe_cell(str(row.indicator.name)), code, safe_cell(name),
                None if value is None else float(value), safe_cell(row.indicator.value_label),
                result.comparator if result.figure is not None else "",
                None if result.figure is None else float(result.figure), passed,
                row.target.get_binding_display() if row.target else "", safe_cell(str(row.indicator.note)),
                basis_text(result),  # an approved month: official (frozen) or today's figures (selectors_official)
            ])
    for column, width in zip("ABCDEFGHIJKL", (8, 34, 16, 16, 10, 12, 6, 10, 10, 10, 40, 40), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

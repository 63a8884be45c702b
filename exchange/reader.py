"""Reading the workbook's sheets: which are the portal's, their headers, their non-empty rows."""

import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from exchange import cells, rules
from exchange.result import Abort
from exchange.safety import FileRefused
from exchange.spec import INSTRUCTIONS_SHEET, SHEETS, SHEETS_BY_NAME

#: What a damaged package raises inside openpyxl (malformed XML is xml.etree's ParseError, a SyntaxError).
DAMAGED = (InvalidFileException, zipfile.BadZipFile, KeyError, SyntaxError, OSError, ValueError, TypeError)


def damaged():
    return FileRefused(_("文件已损坏，无法读取：请在 Excel 中重新另存为 .xlsx 后再上传。"))


def read_workbook(data, result):
    """``[(sheet spec, header, rows)]`` in dependency order; file-level problems raise Abort."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except DAMAGED:
        raise damaged() from None
    try:
        found, broken = {}, set()
        for worksheet in workbook.worksheets:
            sheet = _portal_sheet(worksheet, result)
            if sheet is not None:
                read = _read_sheet(sheet, worksheet, result)
                if read is not None:
                    found[sheet.name] = read
                else:
                    broken.add(sheet.name)
    except DAMAGED:
        raise damaged() from None
    finally:
        workbook.close()
    for name, numbers in rules.hidden_rows(data, set(found)).items():
        result.warnings.append(rules.hidden_rows_warning(name, numbers))
    if not found and not broken:
        result.errors.append(_("工作簿里没有可导入的工作表（应为 %(names)s）。") % {
            "names": "、".join(spec.name for spec in SHEETS)})
    sheets = _checkable(found, broken, result)
    if not sheets:
        raise Abort
    return sheets


def _checkable(found, broken, result):
    """The sheets read, in dependency order, less those that refer to a sheet whose header is unusable (their
    rows would name records that sheet adds: “not found”, wrongly). The others' rows are still checked, so one
    bad header does not hide the rest of the workbook's errors (nothing is written while any error remains)."""
    waiting, sheets = {}, []  # {model of a sheet not checked: the broken sheet it waits for}
    for sheet in SHEETS:
        needs = sorted({waiting[model] for model in _referred_models(sheet) if model in waiting})
        if sheet.name in broken:
            waiting.setdefault(sheet.model, sheet.name)
        elif sheet.name in found and needs:
            waiting.setdefault(sheet.model, needs[0])
            result.warnings.append(_("工作表“%(sheet)s”要等工作表“%(broken)s”的列名改好后才能检查。")
                                   % {"sheet": sheet.name, "broken": "”“".join(needs)})
        elif sheet.name in found:
            sheets.append(found[sheet.name])
    return sheets


def _referred_models(sheet):
    return {sheet.model._meta.get_field(column.field).related_model for column in sheet.columns if column.kind == "ref"}


def _portal_sheet(worksheet, result):
    """The sheet spec of ``worksheet``, or None (the instructions, or a sheet not the portal's: said, not refused)."""
    title = worksheet.title.strip()
    if title == INSTRUCTIONS_SHEET:
        return None
    sheet = SHEETS_BY_NAME.get(title)
    if sheet is None:
        # A clerk's own notes (备注) beside the data.
        result.warnings.append(
            _("工作表“%(name)s”不是报送模板的工作表，已忽略（模板的工作表为 %(names)s）。")
            % {"name": rules.shorten(title), "names": "、".join(spec.name for spec in SHEETS)}
        )
        return None
    if getattr(worksheet, "sheet_state", "visible") != "visible":
        result.warnings.append(_("工作表“%(name)s”在 Excel 中是隐藏的，其中的数据也会导入：请取消隐藏核对后再确认。")
                               % {"name": title})
    return sheet


def _read_sheet(sheet, worksheet, result):
    """``(sheet, header, [(row number, values)])`` of the non-empty rows, or None if the header is unusable."""
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    header = [cells.normal_text(value) for value in next(rows, ())]
    repeated = rules.duplicate_headers(header)
    if repeated:
        message = (
            _("工作表“%(sheet)s”第一行有重复的列名：%(columns)s。同名的两列无法判断以哪一列为准，请删除或改名其中一列。")
            % {"sheet": sheet.name, "columns": "、".join(rules.shorten(name) for name in repeated)}
        )
        _header_error(result, sheet, repeated, message)  # the annotated copy marks the last of the same name
        return None
    missing = [name for name in sheet.required_headers if name not in header]
    if missing:
        message = _("工作表“%(sheet)s”缺少必填列：%(columns)s（第一行应为列名）。") % {
            "sheet": sheet.name, "columns": "、".join(missing)}
        _header_error(result, sheet, [""], message)  # marked on the sheet's first cell
        return None
    return sheet, header, [(number, row) for number, row in enumerate(rows, start=2) if _filled(row)]


def _header_error(result, sheet, headers, message):
    result.add_error(message)
    result.marks.extend((sheet.name, 1, name, message) for name in headers)


def _filled(row):
    return any(value is not None and (not isinstance(value, str) or value.strip()) for value in row)

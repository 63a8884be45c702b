"""Writing the data-exchange workbook: the blank template and the export of a user's records.

The export has exactly the import layout, so export → edit in Excel → import
round-trips with nothing changed. Every text cell that came from user data is
escaped against formula injection (``cells.escape_formula``; the importer
strips the escape again). Personal-data columns are only written for people
allowed to see them.
"""

import io
from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core import permissions, scoping
from core.models import Division, Level
from core.permissions import can_see_personal_data
from eldercare.models import CareService, Elder, ElderCategory, Facility, Visit
from exchange.cells import escape_formula
from exchange.spec import INSTRUCTIONS_SHEET, SHEETS
from facilities.models import Centre
from volunteers.models import ServiceField, Team, Worker

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DATE_FORMAT = "yyyy-mm-dd"
CLOSED = "休息"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_workbook():
    """The blank template: instructions, headers and dropdowns for the closed lists."""
    workbook = _new_workbook(include_personal=True)
    return _save(workbook)


def export_workbook(user, *, include_personal=None):
    """``user``'s records (the whole city for the bureau, their street for a clerk) as .xlsx bytes."""
    allowed = can_see_personal_data(user)
    include_personal = allowed if include_personal is None else (include_personal and allowed)
    workbook = _new_workbook(include_personal=include_personal)
    for sheet in SHEETS:
        worksheet = workbook[sheet.name]
        columns = [column for column in sheet.columns if include_personal or not column.personal]
        for obj in _records(sheet, user):
            worksheet.append([_cell(column, obj) for column in columns])
        for position, column in enumerate(columns, start=1):
            if column.kind == "date":
                for (cell,) in worksheet.iter_rows(min_row=2, min_col=position, max_col=position):
                    cell.number_format = DATE_FORMAT
    return _save(workbook)


def export_file_name(user, today=None):
    today = today or date.today()
    scope = user.division.name if user.is_clerk and user.division_id else _("全市")
    return f"数据报送-{scope}-{today:%Y%m%d}.xlsx"


def _new_workbook(*, include_personal):
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        columns = [column for column in sheet.columns if include_personal or not column.personal]
        worksheet.append([column.header for column in columns])
        worksheet.freeze_panes = "A2"
        for position, column in enumerate(columns, start=1):
            letter = get_column_letter(position)
            header = worksheet.cell(row=1, column=position)
            header.font, header.fill = HEADER_FONT, HEADER_FILL
            worksheet.column_dimensions[letter].width = max(10, len(column.header) * 2 + 4)
            if column.dropdown:
                validation = DataValidation(
                    type="list", formula1='"' + ",".join(column.dropdown) + '"', allow_blank=True,
                    showErrorMessage=True, errorTitle=_("请从下拉列表中选择"),
                    error=_("“%(column)s”应为：%(values)s") % {"column": column.header, "values": "、".join(column.dropdown)},
                )
                validation.add(f"{letter}2:{letter}1048576")
                worksheet.add_data_validation(validation)
    return workbook


def _service_field_names():
    from volunteers.models import ServiceField

    return list(ServiceField.objects.order_by("name").values_list("name", flat=True))


def _write_instructions(worksheet):
    worksheet.column_dimensions["A"].width = 18
    worksheet.column_dimensions["B"].width = 100
    lines = [
        (_("数据报送模板"), ""),
        (_("规则"), _("每个工作表第一行为列名，请勿修改；一行一条记录。按编号（区划代码、设施编号等）识别记录，再次导入会更新同编号的记录，不会重复。")),
        ("", _("是/否 列填“是”或“否”；日期填 YYYY-MM-DD 或 Excel 日期；多个值用分号 ; 分隔；全角标点（，；：－）亦可。")),
        ("", _("导入时全部检查通过才会写入；任何一处错误都不会写入任何数据，并逐条列出工作表、行号、列名和原因。")),
        ("", _("街道填报员只能导入本街道的数据；可以只保留需要的工作表。")),
        ("", _("下拉列表列出了可选值；以 = + - @ 开头的文字在导出时前面加了 ' 以防被当作公式，导入时会自动去掉。")),
    ]
    for sheet in SHEETS:
        lines.append((sheet.name, f"{'、'.join(sheet.headers)}。{sheet.description}"))
        for column in sheet.columns:
            if column.kind == "multi" and column.choices:  # several values: no dropdown, so the list is here
                lines.append(("", _("%(column)s（可填多个，用 ; 分隔）可选：%(values)s") % {
                    "column": column.header, "values": "、".join(str(label) for _value, label in column.choices)}))
            elif column.kind == "multi":  # 服务领域: the bureau's list as it stands (only valid examples)
                lines.append(("", _("%(column)s（可填多个，用 ; 分隔）可选：%(values)s") % {
                    "column": column.header, "values": "、".join(safe_text(name) or "" for name in _service_field_names())
                    or _("（民政局尚未设置）")}))
    for title, text in lines:
        worksheet.append([title, text])
    worksheet["A1"].font = Font(bold=True, size=14)
    for row in worksheet.iter_rows(min_row=2):
        row[0].font = HEADER_FONT
        row[1].alignment = Alignment(wrap_text=True, vertical="top")


def _records(sheet, user):
    model = sheet.model
    if model is Division:
        kind = {"区县": Level.DISTRICT, "街道乡镇": Level.STREET, "社区村": Level.COMMUNITY}[sheet.name]
        divisions = Division.objects.filter(level=kind).select_related("parent").order_by("code")
        if kind == Level.DISTRICT and not permissions.can_view_all(user):
            # A clerk's workbook names their own district, so that it imports on its own.
            return divisions.filter(pk=user.division.parent_id) if user.division_id else divisions.none()
        return scoping.scope(user, divisions)
    if model is Centre:
        queryset = Centre.objects.select_related("community")
    elif model is Facility:
        queryset = Facility.objects.select_related("division").prefetch_related(
            Prefetch("services", queryset=CareService.objects.order_by("ordering"))
        )
    elif model is Team:
        queryset = Team.objects.select_related("community").prefetch_related(
            Prefetch("fields", queryset=ServiceField.objects.order_by("name"))
        )
    elif model is Worker:
        queryset = Worker.objects.select_related("workplace")
    elif model is Elder:
        queryset = Elder.objects.select_related("community").prefetch_related(
            Prefetch("categories", queryset=ElderCategory.objects.order_by("ordering"))
        )
    else:
        queryset = Visit.objects.select_related("elder").order_by("elder__code", "visited_on", "visitor", "method")
    if model is not Visit:
        queryset = queryset.order_by("code")
    return scoping.scope(user, queryset)


def _cell(column, obj):
    """A record's value for ``column``; every text escaped, whatever the column (codes and references too)."""
    value = _value(column, obj)
    return safe_text(value) if isinstance(value, str) else value


def safe_text(value):
    """Text that no spreadsheet runs as a formula and that openpyxl can write (no control characters)."""
    return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value)) or None


def _value(column, obj):
    kind = column.kind
    if kind == "ref":
        related = getattr(obj, column.field)
        return related.code if related is not None else None
    if kind == "multi":
        related = list(getattr(obj, column.field).all())
        if column.choices:
            labels = dict(column.choices)
            return ";".join(str(labels[item.code]) for item in related)
        return ";".join(item.name for item in related)
    value = getattr(obj, column.field)
    if kind == "choice":
        return str(dict(column.choices).get(value, value)) if value not in (None, "") else None
    if kind == "bool":
        return "是" if value else "否"
    if kind == "hours":
        return value or CLOSED
    return value


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

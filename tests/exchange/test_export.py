"""Export and the blank template: same layout, round trip, personal data, formula injection."""

import io

import pytest
from openpyxl import load_workbook

from core.models import Role, User
from eldercare.models import Elder
from exchange.cells import escape_formula, plain_text
from exchange.exporter import can_see_personal_data, export_workbook, template_workbook
from exchange.importer import import_workbook
from exchange.spec import SHEETS
from tests.exchange.helpers import read_sheets, sample_bytes, workbook_bytes
from volunteers.models import Team

pytestmark = pytest.mark.django_db


def all_unchanged(result):
    assert result.errors == []
    assert [counts for counts in result.sheets if counts.created or counts.updated] == []
    return {counts.name: counts.unchanged for counts in result.sheets}


def test_the_bureaus_export_round_trips_with_no_change(boss):
    imported = import_workbook(sample_bytes(), file_name="s.xlsx", user=boss)
    data = export_workbook(boss)
    assert all_unchanged(import_workbook(data, file_name="export.xlsx", user=boss)) == {
        counts.name: counts.created for counts in imported.sheets}


def test_the_export_has_the_import_layout(boss):
    sheets = read_sheets(export_workbook(boss))
    assert list(sheets) == ["说明", *(sheet.name for sheet in SHEETS)]
    for sheet in SHEETS:
        assert sheets[sheet.name][0] == sheet.headers


def test_a_clerks_export_holds_their_street_only_and_round_trips(city, alice, adam):
    rows = {
        "志愿服务队": [["ZY1", "建设队", "230302001001", "是", 5, "张", "", "助老"],
                  ["ZY2", "南山队", "230302002001", "否", 5, "李", "", ""]],
        "特殊困难老年人": [["LR1", "甲", "230302001001", "独居", "230302194306277046", "13812345678"],
                    ["LR2", "乙", "230302002001", "独居", "23030219530227861X", "13912345678"]],
    }
    import_workbook(workbook_bytes(rows), file_name="s.xlsx", user=adam)
    data = export_workbook(alice)
    sheets = read_sheets(data)
    assert [row[0] for row in sheets["志愿服务队"][1:]] == ["ZY1"]
    assert [row[0] for row in sheets["特殊困难老年人"][1:]] == ["LR1"]
    assert [row[0] for row in sheets["街道乡镇"][1:]] == ["230302001000"]
    assert [row[0] for row in sheets["区县"][1:]] == ["230302000000"]
    assert "13912345678" not in str(sheets)
    counts = all_unchanged(import_workbook(data, file_name="mine.xlsx", user=alice))
    assert counts["社区村"] == 2 and counts["志愿服务队"] == 1


def test_personal_columns_are_left_out_for_whom_they_must_be(city, rita, adam):
    import_workbook(workbook_bytes({"特殊困难老年人": [["LR1", "甲", "230302001001", "独居", "230302194306277046", "13812345678"]]}),
                    file_name="s.xlsx", user=adam)
    with_personal = read_sheets(export_workbook(rita))["特殊困难老年人"]
    assert with_personal[0][-2:] == ["身份证号", "联系电话"] and with_personal[1][-1] == "13812345678"
    masked = export_workbook(rita, include_personal=False)
    sheet = read_sheets(masked)["特殊困难老年人"]
    assert sheet[0] == ["老人编号", "姓名", "所属社区代码", "类别"]
    assert b"230302194306277046" not in masked and "230302194306277046" not in str(read_sheets(masked))
    # …and importing it back leaves the personal data as it was.
    all_unchanged(import_workbook(masked, file_name="masked.xlsx", user=adam))
    assert Elder.objects.get().id_number == "230302194306277046"


def test_only_the_street_and_the_bureau_may_see_personal_data(city, alice, rita, adam):
    outsider = User.objects.create(username="nobody", role=Role.REVIEWER, is_active=False)
    assert [can_see_personal_data(user) for user in (alice, rita, adam, outsider, None)] == [True, True, True, False, False]


def test_cells_from_user_data_cannot_start_a_formula_and_round_trip(city, adam):
    leaders = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "'quoted"]
    for number, leader in enumerate(leaders):
        Team.objects.create(code=f"ZY{number}", name=leader, leader=leader, community=city["community_a"])
    stored = dict(Team.objects.values_list("code", "leader"))
    data = export_workbook(adam)
    workbook = load_workbook(io.BytesIO(data))
    for row in workbook["志愿服务队"].iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    exported = {row[0]: row[5] for row in read_sheets(data)["志愿服务队"][1:]}
    assert exported["ZY0"] == "'=HYPERLINK(\"http://x\")" and exported["ZY5"] == "''quoted"
    all_unchanged(import_workbook(data, file_name="export.xlsx", user=adam))
    assert dict(Team.objects.values_list("code", "leader")) == stored


def test_the_blank_template_has_instructions_headers_and_dropdowns():
    workbook = load_workbook(io.BytesIO(template_workbook()))
    assert workbook.sheetnames[0] == "说明"
    assert "全部检查通过才会写入" in str([row for row in workbook["说明"].iter_rows(values_only=True)])
    validations = {
        sheet.name: {dv.formula1 for dv in workbook[sheet.name].data_validations.dataValidation} for sheet in SHEETS
    }
    assert '"街道,乡镇"' in validations["街道乡镇"]
    assert '"运营中,在建,停用"' in validations["综合服务设施"]
    assert '"是,否"' in validations["社区工作者"]
    assert '"社区工作者,社工站人员"' in validations["社区工作者"]
    assert '"无,助理社会工作师,社会工作师,高级社会工作师"' in validations["社区工作者"]
    assert '"上门,电话"' in validations["探访记录"]
    # 类别 takes several values (独居;失能): no dropdown, the instructions list them all instead.
    assert validations["特殊困难老年人"] == set()
    assert "类别（可填多个，用 ; 分隔）可选：独居、空巢、留守、失能、重残、高龄、计划生育特殊家庭、特困、孤寡、失智" in str(
        list(workbook["说明"].iter_rows(values_only=True))
    )
    for sheet in SHEETS:
        assert [cell.value for cell in workbook[sheet.name][1]] == sheet.headers


def test_escaping_covers_every_formula_start_and_is_undone_on_import():
    for text in ("=1+2", "+1", "-1", "@A1", "\tx", "\rx", "'x"):
        escaped = escape_formula(text)
        assert escaped == "'" + text
        assert plain_text(escaped) == text
    assert escape_formula("普通文字") == "普通文字"

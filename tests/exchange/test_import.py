"""Importing the workbook: the sample, all or nothing, idempotence, what people type, clerks' scope."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.models import Division, ImportBatch, Kind, Level
from eldercare.models import Elder, Facility, Visit
from exchange.importer import import_workbook
from facilities.models import Centre
from tests.exchange.helpers import edit_sample, sample_bytes, workbook_bytes
from volunteers.models import Team, Worker

pytestmark = pytest.mark.django_db

SAMPLE_COUNTS = {"区县": 2, "街道乡镇": 4, "社区村": 12, "综合服务设施": 12, "养老服务设施": 11, "志愿服务队": 22,
                 "社区工作者": 95, "特殊困难老年人": 29, "探访记录": 40}
MODELS = (Division, Centre, Facility, Team, Worker, Elder, Visit)


def history_rows():
    return sum(model.history.count() for model in MODELS)


def record_rows():
    return sum(model.objects.count() for model in MODELS)


def test_the_sample_workbook_imports_cleanly_with_its_counts(boss):
    result = import_workbook(sample_bytes(), file_name="sample-workbook.xlsx", user=boss)
    assert result.errors == []
    assert {counts.name: counts.created for counts in result.sheets} == SAMPLE_COUNTS
    assert record_rows() == sum(SAMPLE_COUNTS.values())
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.user, batch.sha256) == ("sample-workbook.xlsx", boss, result.sha256)
    assert batch.summary["探访记录"] == {"created": 40, "updated": 0, "unchanged": 0}


def test_bulk_writes_leave_a_history_row_per_record_with_user_and_batch(boss):
    result = import_workbook(sample_bytes(), file_name="sample-workbook.xlsx", user=boss)
    assert history_rows() == sum(SAMPLE_COUNTS.values())
    row = Centre.history.get(code="SQ00002")
    assert (row.history_type, row.history_user, row.import_batch) == ("+", boss, result.batch)
    assert row.shortest_day_minutes == 480 and row.version == 1


def test_imported_records_keep_their_derived_fields(boss):
    import_workbook(sample_bytes(), file_name="s.xlsx", user=boss)
    community = Division.objects.get(code="230302001001")
    assert (community.level, community.street.code, community.district.code) == (Level.COMMUNITY, "230302001000", "230302000000")
    # SQ00002: 周四 08:30-12:00,13:00-17:30 is 8 h, the shortest day.
    assert Centre.objects.get(code="SQ00002").shortest_day_minutes == 480
    assert Centre.objects.get(code="SQ00001").shortest_day_minutes == 0
    facility = Facility.objects.get(code="YL00002")
    assert sorted(facility.services.values_list("code", flat=True)) == ["cleaning", "companionship", "emergency", "medical"]
    assert Worker.objects.get(code="RY00002").obtained_on == date(2019, 10, 19)
    assert set(Team.objects.get(code="ZY00001").fields.values_list("name", flat=True)) == {"助老", "环境", "治安"}


def test_a_second_import_changes_nothing_and_writes_no_history(boss):
    import_workbook(sample_bytes(), file_name="s.xlsx", user=boss)
    before = (record_rows(), history_rows(), Centre.objects.get(code="SQ00001").version)
    result = import_workbook(sample_bytes(), file_name="s.xlsx", user=boss)
    assert result.errors == []
    assert {counts.name: counts.unchanged for counts in result.sheets} == SAMPLE_COUNTS
    assert all(counts.created == counts.updated == 0 for counts in result.sheets)
    assert (record_rows(), history_rows(), Centre.objects.get(code="SQ00001").version) == before


def test_a_bad_last_row_leaves_the_database_untouched(boss):
    def break_last_visit(workbook):
        workbook["探访记录"].append(["LR00001", "2025-13-40", "某人", "上门"])

    result = import_workbook(edit_sample(break_last_visit), file_name="s.xlsx", user=boss)
    assert result.errors == ["探访记录 第42行 探访日期 2025-13-40：不是有效的日期（应为 YYYY-MM-DD）"]
    assert record_rows() == 0 and history_rows() == 0 and ImportBatch.objects.count() == 0
    assert result.batch is None


def test_an_error_names_sheet_excel_row_column_and_value_with_the_models_reason(boss):
    def oversize(workbook):
        workbook["综合服务设施"]["F4"] = 999999  # row 4: SQ00003, total area 537.2

    result = import_workbook(edit_sample(oversize), file_name="s.xlsx", user=boss)
    assert len(result.errors) == 1
    assert result.errors[0].startswith("综合服务设施 第4行 居民活动面积 999999：")
    assert "大于总建筑面积 537.2" in result.errors[0]


def test_a_dry_run_reports_counts_but_writes_nothing(boss):
    result = import_workbook(sample_bytes(), file_name="s.xlsx", user=boss, dry_run=True)
    assert result.ok and result.sheets[0].created == 2
    assert record_rows() == 0 and ImportBatch.objects.count() == 0


def test_sheets_are_read_in_dependency_order_whatever_their_order_in_the_file(boss):
    data = workbook_bytes({
        "社区村": [["230399001001", "新社区", "230399001000", "社区", 100, 300, 50, None, None]],
        "街道乡镇": [["230399001000", "新街道", "230399000000", "街道"]],
        "区县": [["230399000000", "新区"]],
    })
    result = import_workbook(data, file_name="s.xlsx", user=boss)
    assert result.errors == []
    assert Division.objects.get(code="230399001001").district.code == "230399000000"


def test_what_people_really_type_is_accepted(city, adam):
    data = workbook_bytes({
        "综合服务设施": [[
            " SQ9 ", "中心 ", "230302001001", "某路", "1,200.5", "800", "08:30－11:30，13:30－17:30",
            "08:00-16:00 ", "休息", "8:00-16:00", "08:00-16:00", "08:00-16:00", "08:00-16:00",
            "是", "否", "是 ", "否", 4672345678, "运营中",
        ]],
        "社区工作者": [["RY9", "张三", "230302001001", "社区工作者", "是", "社会工作师", "S1",
                      "2020/5/1", datetime(2023, 5, 1, 14, 30)]],
        "特殊困难老年人": [["LR9", "李四", 230302001001, "独居", "23030219530227861x", 13812345678]],
        "探访记录": [["LR9", 45817, "王五", "电话"], ["LR9", "2025年6月10日", "王五", "上门"]],
    })
    result = import_workbook(data, file_name="s.xlsx", user=adam)
    assert result.errors == []
    centre = Centre.objects.get(code="SQ9")
    assert (centre.name, centre.total_area, centre.hours_mon, centre.hours_thu) == (
        "中心", Decimal("1200.50"), "08:30-11:30,13:30-17:30", "08:00-16:00")
    assert (centre.open_on_holidays, centre.has_volunteer_station, centre.has_social_work_point) == (True, False, True)
    assert centre.phone == "04672345678"  # a landline typed as a number lost its leading 0
    worker = Worker.objects.get(code="RY9")
    assert (worker.obtained_on, worker.registration_valid_until) == (date(2020, 5, 1), date(2023, 5, 1))
    elder = Elder.objects.get(code="LR9")
    assert (elder.id_number, elder.phone) == ("23030219530227861X", "13812345678")
    assert sorted(Visit.objects.values_list("visited_on", flat=True)) == [date(2025, 6, 9), date(2025, 6, 10)]


def test_a_changed_row_updates_by_code_bumps_the_version_and_records_before_and_after(boss):
    import_workbook(sample_bytes(), file_name="s.xlsx", user=boss)

    def rename(workbook):
        workbook["综合服务设施"]["B2"] = "改名中心"
        workbook["综合服务设施"]["G2"] = "08:00-17:00"

    result = import_workbook(edit_sample(rename), file_name="s2.xlsx", user=boss)
    assert [(counts.name, counts.updated) for counts in result.sheets if counts.updated] == [("综合服务设施", 1)]
    centre = Centre.objects.get(code="SQ00001")
    assert (centre.name, centre.version, Centre.objects.count()) == ("改名中心", 2, 12)
    latest, previous = centre.history.all()[:2]
    assert latest.import_batch == result.batch and latest.history_type == "~"
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(previous).changes}
    assert changes["name"] == ("001党群服务中心", "改名中心")
    assert changes["hours_mon"] == ("08:30-12:00", "08:00-17:00")


def test_a_repeated_code_in_one_sheet_is_an_error(city, adam):
    row = ["ZY9", "队", "230302001001", "是", 5, "张", "", "助老"]
    result = import_workbook(workbook_bytes({"志愿服务队": [row, row]}), file_name="s.xlsx", user=adam)
    assert result.errors == ["志愿服务队 第3行 队伍编号 ZY9：与第2行重复：同一条记录只能出现一次。"]


def test_a_certificate_already_held_by_another_person_is_an_error(city, adam):
    rows = [["RY1", "甲", "230302001001", "社区工作者", "是", "社会工作师", "S1", None, None],
            ["RY2", "乙", "230302001001", "社区工作者", "是", "社会工作师", "S1", None, None]]
    result = import_workbook(workbook_bytes({"社区工作者": rows}), file_name="s.xlsx", user=adam)
    assert result.errors == ["社区工作者 第3行 证书编号 S1：证书编号已属于人员 RY1：一个证书只能属于一个人。"]


def test_a_clerk_imports_their_own_street(alice):
    data = workbook_bytes({
        "综合服务设施": [["SQ1", "建设中心", "230302001001", "某路", 600, 400, *["08:00-17:00"] * 7,
                        "是", "是", "否", "否", "", "运营中"]],
        "社区村": [["230302001001", "建设社区", "230302001000", "社区", 1100, 2500, 600, 45.30, 130.97]],
    })
    result = import_workbook(data, file_name="s.xlsx", user=alice)
    assert result.errors == []
    assert Division.objects.get(code="230302001001").households == 1100
    assert Centre.objects.get(code="SQ1").history.get().history_user == alice


def test_a_clerks_row_of_another_street_is_an_error_naming_it(alice):
    data = workbook_bytes({"志愿服务队": [
        ["ZY1", "建设队", "230302001001", "是", 5, "", "", ""],
        ["ZY2", "南山队", "230302002001", "是", 5, "", "", ""],
    ]})
    result = import_workbook(data, file_name="s.xlsx", user=alice)
    assert result.errors == ["志愿服务队 第3行 所属社区代码 230302002001：属于南山街道，您只能导入向阳街道的数据。"]
    assert Team.objects.count() == 0


def test_a_clerk_cannot_overwrite_another_streets_record_by_reusing_its_code(alice, bob):
    import_workbook(workbook_bytes({"志愿服务队": [["ZY2", "南山队", "230302002001", "是", 5, "", "", ""]]}),
                    file_name="s.xlsx", user=bob)
    result = import_workbook(workbook_bytes({"志愿服务队": [["ZY2", "抢来的队", "230302001001", "是", 5, "", "", ""]]}),
                             file_name="s.xlsx", user=alice)
    assert result.errors == ["志愿服务队 第2行 队伍编号 ZY2：该编号已被南山街道的记录使用，您只能导入向阳街道的数据。"]
    assert Team.objects.get(code="ZY2").name == "南山队"


def test_a_clerk_cannot_create_or_rename_divisions(alice):
    data = workbook_bytes({"社区村": [
        ["230302001001", "改名社区", "230302001000", "社区", 1000, 2500, 600, 45.30, 130.97],
        ["230302001009", "新社区", "230302001000", "社区", 10, 20, 5, None, None],
    ]})
    result = import_workbook(data, file_name="s.xlsx", user=alice)
    assert result.errors == [
        "社区村 第2行 名称 改名社区：只有民政局管理员可以修改区划的名称、类型和上级区划。",
        "社区村 第3行 区划代码 230302001009：只有民政局管理员可以新增区划。",
    ]
    assert Division.objects.get(code="230302001001").name == "建设社区"


def test_a_clerks_visit_to_an_elder_of_another_street_is_an_error(alice, adam):
    import_workbook(workbook_bytes({"特殊困难老年人": [["LR1", "甲", "230302002001", "独居", "230302194306277046", ""]]}),
                    file_name="s.xlsx", user=adam)
    result = import_workbook(workbook_bytes({"探访记录": [["LR1", "2025-06-01", "某", "上门"]]}), file_name="s.xlsx", user=alice)
    assert result.errors == ["探访记录 第2行 老人编号 LR1：属于南山街道，您只能导入向阳街道的数据。"]


def test_the_command_imports_as_a_user_and_links_its_history_to_the_batch(tmp_path, boss, capsys):
    path = tmp_path / "sample.xlsx"
    path.write_bytes(sample_bytes())
    call_command("import_workbook", str(path), "--user", "boss")
    assert "探访记录: 新增 40，更新 0，未变 0" in capsys.readouterr().out
    batch = ImportBatch.objects.get()
    assert Visit.history.filter(import_batch=batch, history_user=boss).count() == 40
    assert Division.objects.get(code="230321000000").kind == Kind.DISTRICT


def test_the_commands_dry_run_writes_nothing(tmp_path, db):
    path = tmp_path / "sample.xlsx"
    path.write_bytes(sample_bytes())
    call_command("import_workbook", str(path), "--dry-run")
    assert Centre.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_an_import_retires_the_cached_public_pages(boss, client):
    assert import_workbook(sample_bytes(), file_name="sample-workbook.xlsx", user=boss).errors == []
    assert "更名党群服务中心" not in client.get("/facilities/").content.decode()  # now cached

    def rename_first_centre(workbook):
        workbook["综合服务设施"]["B2"] = "更名党群服务中心"

    result = import_workbook(edit_sample(rename_first_centre), file_name="renamed.xlsx", user=boss)
    assert result.errors == [] and Centre.objects.filter(name="更名党群服务中心").exists()
    assert "更名党群服务中心" in client.get("/facilities/").content.decode()


# -- Rules version 2: several categories per elder; latitude and longitude both or neither --------------------


def test_an_elder_takes_several_categories_separated_by_semicolons(boss):
    def two_categories(workbook):
        workbook["特殊困难老年人"]["D2"] = "独居；失能;特困"  # full-width ； as an input method types it

    result = import_workbook(edit_sample(two_categories), file_name="s.xlsx", user=boss)
    assert result.errors == []
    elder = Elder.objects.get(code="LR00001")
    assert sorted(category.code for category in elder.categories.all()) == ["alone", "disabled", "extreme_poverty"]


def test_an_unknown_or_missing_category_names_the_row_and_the_allowed_values(boss):
    def bad_categories(workbook):
        workbook["特殊困难老年人"]["D2"] = "独居;孤老"
        workbook["特殊困难老年人"]["D3"] = None

    result = import_workbook(edit_sample(bad_categories), file_name="s.xlsx", user=boss)
    assert result.errors[0].startswith("特殊困难老年人 第2行 类别")
    assert "“孤老”不是类别的可选值" in result.errors[0] and "孤寡" in result.errors[0]
    assert result.errors[1].startswith("特殊困难老年人 第3行 类别") and "不能为空" in result.errors[1]
    assert record_rows() == 0


def test_a_facility_with_a_latitude_alone_is_refused_naming_the_row(boss):
    def latitude_alone(workbook):
        workbook["养老服务设施"]["O2"] = None  # 经度 of YL00001

    result = import_workbook(edit_sample(latitude_alone), file_name="s.xlsx", user=boss)
    assert len(result.errors) == 1
    assert result.errors[0].startswith("养老服务设施 第2行 ")
    assert "纬度和经度须同时填写或同时留空" in result.errors[0]
    assert record_rows() == 0

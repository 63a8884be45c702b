"""The import tells everything at once (exchange.rules, exchange.annotate): every error of every row, short
values, vocabularies from the database with a suggestion, plausibility, warnings before confirming, the
preview's field-level changes on a confirm page of its own, and an annotated copy of the workbook."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from exchange.importer import import_workbook
from exchange.spec import SHEETS_BY_NAME
from tests.exchange.helpers import workbook_bytes
from volunteers.models import ServiceField, Team

TEAM = ["ZY1", "建设队", "230302001001", "是", 5, "张", "", "助老"]


@pytest.fixture(autouse=True)
def _pending(settings, tmp_path):
    settings.EXCHANGE_PENDING_DIR = str(tmp_path / "pending")


@pytest.fixture
def fields(db):
    return [ServiceField.objects.create(name=name) for name in ("助老助残", "环境保护", "治安巡逻")]


def upload(client, data, name="teams.xlsx"):
    return client.post(reverse("exchange:upload"), {"workbook": SimpleUploadedFile(name, data)})


def test_every_error_of_a_row_is_listed_at_once(city, alice, fields):
    bad = ["ZY1", "", "230302001001", "也许", -5, "张", "12345", "助老助残"]
    result = import_workbook(workbook_bytes({"志愿服务队": [bad]}), file_name="t.xlsx", user=alice, dry_run=True)
    text = "\n".join(result.errors)
    assert "党员骨干 也许" in text and "联系电话 12345" in text  # unreadable cells
    assert "名称" in text and "队员人数" in text  # and the field rules of the cells that could be read
    assert len(result.errors) >= 4


def test_a_sheet_with_a_repeated_header_does_not_hide_the_other_sheets_errors(city, alice, fields):
    facility = ["YL1", "日照", "日间照料中心", "230302001001", "路1号", 20, 30, "民办", "否", "是", "否", "否",
                "助餐", "", "", "", "运营中"]
    headers = {"志愿服务队": [*SHEETS_BY_NAME["志愿服务队"].headers, "名称"]}
    data = workbook_bytes({"养老服务设施": [facility], "志愿服务队": [[*TEAM, "另一个名称"]]}, headers=headers)
    result = import_workbook(data, file_name="t.xlsx", user=alice, dry_run=True)
    text = "\n".join(result.errors)
    assert "工作表“志愿服务队”第一行有重复的列名：名称" in text
    assert "养老服务设施 第2行 护理型床位数 30" in text  # checked in the same round


def test_a_sheet_that_needs_a_broken_sheet_waits_for_it_with_a_warning(city, alice):
    headers = {"特殊困难老年人": [*SHEETS_BY_NAME["特殊困难老年人"].headers, "姓名"]}
    elder = ["LRX", "王桂兰", "230302001001", "独居", "", "", "王"]
    data = workbook_bytes({"特殊困难老年人": [elder], "探访记录": [["LRX", "2025-06-01", "赵敏", "上门"]]},
                          headers=headers)
    result = import_workbook(data, file_name="t.xlsx", user=alice, dry_run=True)
    assert len(result.errors) == 1 and "重复的列名：姓名" in result.errors[0]  # not “找不到老人编号 LRX”
    assert "工作表“探访记录”要等工作表“特殊困难老年人”的列名改好后才能检查。" in result.warnings


def test_a_new_record_without_a_code_is_told_the_pattern(city, alice, fields):
    """The admin generates codes; a workbook's new row must carry one, and the error says how it is made."""
    result = import_workbook(workbook_bytes({"志愿服务队": [["", *TEAM[1:7], "助老助残"]]}), file_name="t.xlsx",
                             user=alice, dry_run=True)
    assert result.errors == ["志愿服务队 第2行 队伍编号 （空）：不能为空。新记录的编号按“ZYD + 社区代码 + 两位序号”编写，"
                             "如 ZYD23030200100101。"]
    row = ["", "日照", "日间照料中心", "230302001001", "路1号", 0, 0, "民办", "否", "是", "否", "否", "助餐", "", "",
           "", "运营中"]
    [message] = import_workbook(workbook_bytes({"养老服务设施": [row]}), file_name="t.xlsx", user=alice,
                                dry_run=True).errors
    assert "日间照料中心：YL-R- + 社区代码（第二个起加两位序号），如 YL-R-230302001001" in message


def test_a_10_mb_cell_gives_a_message_under_1_kb(city, alice, fields):
    huge = "长" * (10 * 1024 * 1024 // 3)
    row = ["ZY1", huge, "230302001001", "是", 5, "张", "", "助老助残"]
    result = import_workbook(workbook_bytes({"志愿服务队": [row]}), file_name="t.xlsx", user=alice, dry_run=True)
    [message] = result.errors
    assert len(message.encode()) < 1024
    assert "长" * 50 + "…" in message and "长" * 51 not in message
    assert message.startswith("志愿服务队 第2行 名称 ")


def test_an_unknown_service_field_is_an_error_suggesting_the_nearest(city, alice, fields):
    row = [*TEAM[:7], "助老;环境"]
    result = import_workbook(workbook_bytes({"志愿服务队": [row]}), file_name="t.xlsx", user=alice, dry_run=True)
    text = "\n".join(result.errors)
    assert "“助老”不是服务领域的可选值，您是不是要填“助老助残”？" in text
    assert "“环境”不是服务领域的可选值，您是不是要填“环境保护”？" in text
    assert ServiceField.objects.count() == 3  # nothing added beside the bureau's list


def test_an_unknown_care_service_suggests_the_nearest_of_the_ten_helps(city, alice):
    row = ["YL1", "日照", "日间照料中心", "230302001001", "路1号", 0, 0, "民办", "否", "是", "否", "否",
           "助餐饭", "", "", "", "运营中"]
    result = import_workbook(workbook_bytes({"养老服务设施": [row]}), file_name="t.xlsx", user=alice, dry_run=True)
    assert "您是不是要填“助餐”？" in "\n".join(result.errors)


def test_an_unknown_elder_category_suggests_the_nearest_known_one(city, alice):
    row = ["LR1", "王桂兰", "230302001001", "独居老人;高龄", "", ""]
    result = import_workbook(workbook_bytes({"特殊困难老年人": [row]}), file_name="t.xlsx", user=alice, dry_run=True)
    [message] = result.errors
    assert message.startswith("特殊困难老年人 第2行 类别 独居老人;高龄：“独居老人”不是类别的可选值，您是不是要填“独居”？")


def test_nursing_beds_above_beds_is_one_error_said_once(city, alice):
    """The model's own rule and the bureau's validation rule find the same thing: the clerk reads it once."""
    row = ["YL1", "日照", "日间照料中心", "230302001001", "路1号", 20, 30, "民办", "否", "是", "否", "否",
           "助餐", "", "", "", "运营中"]
    result = import_workbook(workbook_bytes({"养老服务设施": [row]}), file_name="t.xlsx", user=alice, dry_run=True)
    assert result.errors == ["养老服务设施 第2行 护理型床位数 30：护理型床位数 30 大于床位数 20。"]


def test_the_template_instructions_use_only_valid_examples(fields):
    from exchange.exporter import template_workbook

    workbook = load_workbook(io.BytesIO(template_workbook()))
    text = "\n".join(str(cell.value) for row in workbook["说明"].iter_rows() for cell in row if cell.value)
    assert "助老;环境;治安" not in text


def test_the_preview_lists_new_records_and_changed_fields_on_a_page_without_an_upload_form(
    as_user, alice, adam, fields
):
    import_workbook(workbook_bytes({"志愿服务队": [[*TEAM[:7], "助老助残"]]}), file_name="a.xlsx", user=adam)
    rows = [["ZY1", "建设新队", *TEAM[2:4], 8, "张", "", "助老助残"], ["ZY2", "二队", *TEAM[2:7], "治安巡逻"]]
    response = upload(as_user(alice), workbook_bytes({"志愿服务队": rows}))
    html = response.content.decode()
    assert "<del>建设队</del> → <ins>建设新队</ins>" in html
    assert "<del>5</del> → <ins>8</ins>" in html
    assert "ZY2" in html and "新增" in html
    assert 'enctype="multipart/form-data"' not in html  # no second upload form beside 确认导入
    assert reverse("exchange:confirm") in html


def test_the_preview_lists_a_changed_list_of_values_from_and_to(as_user, alice, adam, fields):
    import_workbook(workbook_bytes({"志愿服务队": [[*TEAM[:7], "助老助残"]]}), file_name="a.xlsx", user=adam)
    html = upload(as_user(alice), workbook_bytes({"志愿服务队": [[*TEAM[:7], "治安巡逻;助老助残"]]})).content.decode()
    assert "服务领域：<del>助老助残</del> → <ins>治安巡逻、助老助残</ins>" in html


def test_the_preview_says_a_day_becomes_closed(as_user, alice, adam):
    centre = ["SQZX1", "建设中心", "230302001001", "路1号", 500, 300, *["08:30-17:30"] * 7, "否", "否", "否", "否",
              "0467-2345678", "运营中"]
    import_workbook(workbook_bytes({"综合服务设施": [centre]}), file_name="a.xlsx", user=adam)
    centre[12] = "休息"
    html = upload(as_user(alice), workbook_bytes({"综合服务设施": [centre]})).content.decode()
    assert "周日开放时间：<del>08:30-17:30</del> → <ins>休息</ins>" in html


def test_a_clerk_downloads_the_workbook_with_each_bad_cell_marked(as_user, alice, fields):
    client = as_user(alice)
    bad = ["ZY1", "建设队", "230302001001", "也许", -5, "张", "12345", "助老助残"]
    response = upload(client, workbook_bytes({"志愿服务队": [bad]}))
    token = response.context["annotated_token"]
    assert reverse("exchange:annotated", args=[token]) in response.content.decode()
    download = client.get(reverse("exchange:annotated", args=[token]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content))["志愿服务队"]
    headers = [cell.value for cell in sheet[1]]
    for header, words in (("党员骨干", "是"), ("联系电话", "电话"), ("队员人数", "大于或等于0")):
        cell = sheet.cell(row=2, column=headers.index(header) + 1)
        assert cell.comment is not None and words in cell.comment.text
        assert cell.fill.fgColor.rgb == "FFF4B6B6"
    assert sheet.cell(row=2, column=1).comment is None  # a good cell stays as it was


def test_the_annotated_copy_marks_a_repeated_header_too(as_user, alice, fields):
    client = as_user(alice)
    headers = {"志愿服务队": [*SHEETS_BY_NAME["志愿服务队"].headers, "名称"]}
    bad = ["ZY1", "建设队", "230302001001", "也许", 5, "张", "", "助老助残", "另一个名称"]
    token = upload(client, workbook_bytes({"志愿服务队": [bad]}, headers=headers)).context["annotated_token"]
    sheet = load_workbook(io.BytesIO(client.get(reverse("exchange:annotated", args=[token])).content))["志愿服务队"]
    assert sheet.cell(row=1, column=2).comment is None  # the first 名称
    assert "重复的列名：名称" in sheet.cell(row=1, column=9).comment.text  # the second, which to delete or rename


def test_another_user_cannot_download_the_annotated_copy(as_user, alice, bob, fields):
    bad = ["ZY1", "建设队", "230302001001", "也许", 5, "张", "", "助老助残"]
    token = upload(as_user(alice), workbook_bytes({"志愿服务队": [bad]})).context["annotated_token"]
    assert as_user(bob).get(reverse("exchange:annotated", args=[token])).status_code == 404


def test_a_sheet_of_notes_is_ignored_with_a_warning_seen_before_confirming(as_user, alice, fields):
    from openpyxl import Workbook

    workbook = load_workbook(io.BytesIO(workbook_bytes({"志愿服务队": [[*TEAM[:7], "助老助残"]]})))
    workbook.create_sheet("备注")["A1"] = "王芳核对"
    assert isinstance(workbook, Workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    html = upload(as_user(alice), buffer.getvalue()).content.decode()
    assert "工作表“备注”不是报送模板的工作表，已忽略" in html
    assert reverse("exchange:confirm") in html
    assert not Team.objects.exists()


def test_a_clerks_template_comes_filled_with_their_street(as_user, alice, bob, city, fields):
    Team.objects.create(code="ZYD23030200100101", name="建设队", community=city["community_a"], member_count=3)
    Team.objects.create(code="ZYD23030200200101", name="南山队", community=city["community_b"], member_count=3)
    client = as_user(alice)
    assert "下载向阳街道的报送模板" in client.get(reverse("exchange:upload")).content.decode()
    response = client.get(reverse("exchange:template"))
    workbook = load_workbook(io.BytesIO(response.content))
    communities = [row[0] for row in workbook["社区村"].iter_rows(min_row=2, values_only=True)]
    teams = [row[1] for row in workbook["志愿服务队"].iter_rows(min_row=2, values_only=True)]
    assert communities == ["230302001001", "230302001002"] and teams == ["建设队"]

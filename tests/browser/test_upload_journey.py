"""A street clerk uploads a workbook with one bad row, reads the error, fixes it and imports."""

import pytest

from facilities.models import Centre
from tests.browser.actions import navigate
from tests.browser.conftest import JOURNEY_DB
from tests.exchange.helpers import workbook_bytes

pytestmark = [pytest.mark.browser, JOURNEY_DB]

HOURS = ["08:30-12:00,13:00-17:30"] * 7


def _centre_row(code, activity_area):
    # 设施编号, 名称, 所属社区代码, 地址, 总建筑面积, 居民活动面积, 周一…周日, 节假日全天开放, 志愿服务站点,
    # 社会工作服务点, 政务自助服务, 联系电话, 状态
    return [code, f"{code}党群服务中心", "230302001002", "红旗路 3 号", "512.5", activity_area, *HOURS,
            "是", "是", "否", "是", "0467-2345600", "运营中"]


def _workbook(tmp_path, name, bad_activity_area):
    path = tmp_path / name
    path.write_bytes(workbook_bytes({"综合服务设施": [
        _centre_row("SQ-HQ-1", "320"),
        _centre_row("SQ-HQ-2", "300"),
        _centre_row("SQ-HQ-3", bad_activity_area),  # row 4 as Excel shows it
    ]}))
    return path


def test_clerk_uploads_a_workbook_fixes_the_bad_row_and_imports(
    portal, page, live_server, log_in, axe_check, screenshot, tmp_path
):
    log_in(page, "alice")
    page.goto(live_server.url + "/workspace/")
    page.get_by_role("link", name="数据报送").first.click()
    page.wait_for_url("**/exchange/")
    axe_check(page)

    page.get_by_label("数据报送工作簿（.xlsx）").set_input_files(str(_workbook(tmp_path, "报送-有误.xlsx", "999999")))
    navigate(page, page.get_by_role("button", name="上传并预览"))
    errors = page.locator("ol.exchange-errors li")
    assert errors.count() == 1
    message = errors.first.inner_text()
    assert "综合服务设施 第4行 居民活动面积 999999" in message and "512.5" in message
    assert page.get_by_role("button", name="确认导入").count() == 0
    assert not Centre.objects.filter(code__startswith="SQ-HQ").exists()  # all or nothing: not even rows 2 and 3
    axe_check(page)

    page.get_by_label("数据报送工作簿（.xlsx）").set_input_files(str(_workbook(tmp_path, "报送-已更正.xlsx", "310")))
    navigate(page, page.get_by_role("button", name="上传并预览"))
    assert "检查通过" in page.get_by_role("heading", level=2).first.inner_text()
    assert not Centre.objects.filter(code__startswith="SQ-HQ").exists()  # a preview writes nothing
    navigate(page, page.get_by_role("button", name="确认导入"))
    assert "新增 3 条" in page.get_by_role("alert").first.inner_text()
    assert Centre.objects.filter(code__startswith="SQ-HQ", community__street=portal["street_a"]).count() == 3
    assert Centre.objects.get(code="SQ-HQ-3").activity_area == 310
    axe_check(page)
    screenshot(page, "journey-clerk-upload-imported")

"""A reviewer drills down from the matrix to a failing community and downloads the Excel report; the district
reviewer returns the street's submitted month from the street page, naming F1 and the community; the street's
clerk then finds the open return."""

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.dates import last_full_month
from core.models import Role
from reporting import services
from reporting.models import Period, ReturnItem, Status
from tests.browser.conftest import JOURNEY_DB
from tests.personas import _user

pytestmark = [pytest.mark.browser, JOURNEY_DB]

COMMENT = "红旗社区没有社区综合服务设施，请核实后补录。"


def test_a_reviewer_returns_a_failing_street_for_correction_and_downloads_the_excel_report(
    live_server, portal, city, browser, page, log_in, axe_check, screenshot
):
    month = last_full_month(timezone.localdate())
    june = services.get_period(city["street_a"], month)  # submitted by the street (tests/reporting: the checks)
    Period.objects.filter(pk=june.pk).update(status=Status.SUBMITTED, first_submitted_at=timezone.now())
    _user("dora", Role.DISTRICT, city["district"])
    log_in(page, "rita")
    page.get_by_role("link", name="达标审查").click()
    page.wait_for_url(live_server.url + "/compliance/")
    axe_check(page)
    screenshot(page, "journey-reviewer-matrix", full_page=False)

    # F1 in 鸡冠区: 建设社区 and 南山社区 have a centre, 红旗社区 none — 2 of 3 urban communities.
    f1 = page.locator("table.compliance-matrix tbody tr", has_text="F1 城市社区综合服务设施覆盖率")
    district_cell = f1.locator("td", has=page.get_by_role("link", name="明细 F1 鸡冠区"))
    assert "66.67" in district_cell.inner_text()
    assert "未达标" in district_cell.inner_text()
    district_cell.get_by_role("link", name="明细 F1 鸡冠区").click()
    page.wait_for_url(re.compile(r"/compliance/indicator/F1/230302000000/"))
    assert page.get_by_role("heading", level=1).inner_text() == "F1 城市社区综合服务设施覆盖率 · 鸡冠区"
    axe_check(page)

    street_row = page.locator("tbody tr", has=page.get_by_role("link", name="向阳街道", exact=True))
    assert "50.00" in street_row.inner_text() and "未达标" in street_row.inner_text()
    street_row.get_by_role("link", name="未达标单位").click()
    page.wait_for_url(re.compile(r"/compliance/indicator/F1/230302001000/"))
    failing = page.locator("tbody tr")
    assert failing.count() == 1
    assert "红旗社区" in failing.first.inner_text() and "未达标" in failing.first.inner_text()
    axe_check(page)

    page.go_back()
    page.get_by_role("link", name="向阳街道", exact=True).click()
    page.wait_for_url(re.compile(r"/compliance/street/230302001000/"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("向阳街道")
    axe_check(page)

    # The city does not return a month: the street page shows the month's state; its district returns it.
    returns = page.locator("#street-returns")
    assert f"{month:%Y-%m} 月度报送：已提交，待区县审核" in returns.inner_text()
    assert returns.get_by_role("link", name="退回街道修改").count() == 0
    page.get_by_role("link", name="达标情况").first.click()
    page.wait_for_url(re.compile(r"/compliance/\?month="))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 Excel").click()
    download = download_info.value
    assert re.fullmatch(r"compliance-\d{4}-\d{2}\.xlsx", download.suggested_filename)
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active  # a temporary file without .xlsx
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[4]
    assert header[:5] == ("指标代码", "指标", "区划代码", "区划", "数值")
    by_key = {(row[0], row[2]): dict(zip(header, row, strict=False)) for row in rows[5:]}
    assert by_key[("F1", "230302000000")]["数值"] == pytest.approx(66.67)
    assert by_key[("F1", "230302000000")]["是否达标"] == "未达标"
    assert by_key[("F4", "ALL")]["是否达标"] == "未达标"  # 建设社区's centre: activity 50 % of the total

    # The district reviewer returns the month from the street page: the indicator, the record and a deadline.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", bypass_csp=True)
    try:
        district = context.new_page()
        log_in(district, "dora")
        district.goto(live_server.url + "/compliance/street/230302001000/")
        district.locator("#street-returns").get_by_role("link", name="退回街道修改").click()
        district.wait_for_url(re.compile(rf"/reporting/230302001000/{month:%Y-%m}/#return-form"))
        district.get_by_label("指标").select_option("F1")
        district.get_by_label("需要修改的记录（可多选）").select_option(label="红旗社区（230302001002）")
        district.get_by_label("退回意见").fill(COMMENT)
        district.get_by_role("button", name="退回", exact=True).click()
        district.wait_for_url(re.compile(rf"/reporting/230302001000/{month:%Y-%m}/$"))
        item = ReturnItem.objects.get()
        assert (item.street.code, item.indicator, item.record_label, item.state) == (
            "230302001000", "F1", "红旗社区（230302001002）", "open")
        district.goto(live_server.url + "/compliance/street/230302001000/")
        assert f"待修改 · F1 · 红旗社区（230302001002）：{COMMENT}" in district.locator("#street-returns").inner_text()
        axe_check(district)
        screenshot(district, "journey-reviewer-street-returned")
    finally:
        context.close()

    # The clerk of 向阳街道 signs in and finds the open return on the workspace and the month's page.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", bypass_csp=True)
    try:
        clerk = context.new_page()
        log_in(clerk, "alice")
        clerk.goto(live_server.url + "/workspace/")
        clerk.get_by_role("link", name=re.compile(r"1 条退回事项待修改")).click()
        clerk.wait_for_url(re.compile(rf"/reporting/230302001000/{month:%Y-%m}/"))
        row = clerk.locator("#return-items tbody tr", has_text=COMMENT)
        assert "红旗社区" in row.inner_text() and "待修改" in row.inner_text()
        assert row.get_by_role("button", name="标记为已修改").is_visible()
        axe_check(clerk)
        screenshot(clerk, "journey-clerk-sees-return")
    finally:
        context.close()

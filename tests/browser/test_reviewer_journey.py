"""A reviewer drills down from the matrix to a failing community, returns the street for correction and
downloads the Excel report; the street's clerk then finds the open return."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from compliance.models import CorrectionRequest
from tests.browser.conftest import JOURNEY_DB

pytestmark = [pytest.mark.browser, JOURNEY_DB]

COMMENT = "红旗社区没有社区综合服务设施，请核实后补录。"


def test_a_reviewer_returns_a_failing_street_for_correction_and_downloads_the_excel_report(
    live_server, portal, browser, page, log_in, axe_check, screenshot
):
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

    page.get_by_label("相关指标（可选）").select_option("F1")
    page.get_by_label("退回意见").fill(COMMENT)
    page.get_by_role("button", name="退回街道修改").click()
    page.get_by_role("alert").filter(has_text="已将向阳街道的数据退回修改。").wait_for()
    assert f"待修改 · F1：{COMMENT}" in page.locator("main").inner_text()
    correction = CorrectionRequest.objects.get()
    assert (correction.street.code, correction.indicator, correction.status) == ("230302001000", "F1", "open")
    axe_check(page)
    screenshot(page, "journey-reviewer-street-returned")

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

    # The clerk of 向阳街道 signs in and finds the open return on the workspace and the corrections page.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", bypass_csp=True)
    try:
        clerk = context.new_page()
        log_in(clerk, "alice")
        clerk.goto(live_server.url + "/workspace/")
        clerk.get_by_role("link", name=re.compile(r"退回修改（1 条未完成）")).click()
        clerk.wait_for_url(live_server.url + "/compliance/corrections/")
        row = clerk.locator("tbody tr", has_text=COMMENT)
        assert "向阳街道" in row.inner_text() and "待修改" in row.inner_text()
        assert row.get_by_role("button", name="标记为已修改").is_visible()
        axe_check(clerk)
        screenshot(clerk, "journey-clerk-sees-return")
    finally:
        context.close()

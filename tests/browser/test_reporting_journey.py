"""The reporting cycle in a real browser: June submitted, returned with a record, fixed, explained, resubmitted,
approved by the district, accepted by the city; a later edit shows 审核后修改 and June keeps its approved figures."""

import re
from fractions import Fraction

import pytest

from core.models import Division, Role
from facilities.models import Centre
from reporting import rules
from reporting.models import Period, Severity, ValidationRule
from tests.browser.actions import navigate
from tests.browser.conftest import JOURNEY_DB
from tests.personas import _user

pytestmark = [pytest.mark.browser, JOURNEY_DB]

JUNE_URL = "/reporting/230302001000/2025-06/"


def test_june_from_submission_to_acceptance_and_a_later_edit(live_server, portal, city, page, log_in,
                                                              axe_check, screenshot):
    _user("dora", Role.DISTRICT, city["district"])
    # The bureau made "户数 ≤ 常住人口" a warning; 红旗社区 counts a collective household register (2,001 > 2,000).
    ValidationRule.objects.update_or_create(code="households", defaults={"name": "户数不超过常住人口",
                                                                         "severity": Severity.WARNING})
    rules.forget_settings()
    Division.objects.filter(pk=city["community_a2"].pk).update(households=2001)

    # 1. The clerk submits June, explaining the warning.
    log_in(page, "alice")
    page.goto(live_server.url + JUNE_URL)
    assert "户数 2001 大于常住人口 2000" in page.locator("#quality-issues").inner_text()
    axe_check(page)
    page.get_by_label(re.compile("说明警告")).fill("红旗社区按集体户登记，户数口径与人口不同")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_url(live_server.url + JUNE_URL)
    assert page.locator("#period-status").inner_text() == "已提交，待区县审核"

    # 2. The district reviewer sees it waiting and returns it, naming the centre and F4.
    page.context.clear_cookies()
    log_in(page, "dora")
    page.goto(live_server.url + "/workspace/")
    page.get_by_role("link", name="1 个街道月份等待审核").click()
    page.get_by_role("link", name="向阳街道 2025-06").click()
    page.wait_for_url(live_server.url + JUNE_URL)
    axe_check(page)
    page.get_by_label("指标").select_option("F4")
    page.get_by_label("需要修改的记录（可多选）").select_option(label="建设社区党群服务中心（C0001）")
    page.get_by_label("退回意见").fill("居民活动面积占比不足 60%，请核对")
    page.get_by_role("button", name="退回", exact=True).click()
    page.wait_for_url(live_server.url + JUNE_URL)
    assert page.locator("#period-status").inner_text() == "已退回"

    # 3. The clerk sees the return on the workspace and on the centre, fixes the centre, marks it fixed, resubmits.
    page.context.clear_cookies()
    log_in(page, "alice")
    page.goto(live_server.url + "/workspace/")
    assert "1 条退回事项待修改" in page.locator("#todos").inner_text()
    centre = Centre.objects.get(code="C0001")
    page.goto(live_server.url + f"/admin/facilities/centre/{centre.pk}/change/")
    assert "居民活动面积占比不足 60%" in page.locator(".messagelist").inner_text()
    page.get_by_label("居民活动面积（平方米）").fill("150")
    navigate(page, page.get_by_role("button", name="保存并继续修改"))
    page.locator(".messagelist .success").wait_for()
    page.goto(live_server.url + JUNE_URL)
    page.get_by_role("button", name="标记为已修改").click()
    page.wait_for_url(live_server.url + JUNE_URL)
    assert "已修改，待核实" in page.locator("#return-items").inner_text()
    page.get_by_label(re.compile("说明警告")).fill("红旗社区按集体户登记，户数口径与人口不同")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_url(live_server.url + JUNE_URL)
    assert page.locator("#period-status").inner_text() == "已提交，待区县审核"

    # 4. The district approves; 5. the city accepts.
    page.context.clear_cookies()
    log_in(page, "dora")
    page.goto(live_server.url + JUNE_URL)
    page.get_by_role("button", name="审核通过", exact=True).click()
    page.wait_for_url(live_server.url + JUNE_URL)
    assert page.locator("#period-status").inner_text() == "区县审核通过"
    page.context.clear_cookies()
    log_in(page, "rita")
    page.goto(live_server.url + JUNE_URL)
    page.get_by_role("button", name="确认", exact=True).click()
    page.wait_for_url(live_server.url + JUNE_URL)
    assert page.locator("#period-status").inner_text() == "市级已确认"
    history = page.locator("#period-history").inner_text()
    for step in ("提交", "退回", "审核通过", "确认"):
        assert step in history

    # 6. A later edit: the period shows 审核后修改 (F3 old → new, who); June's matrix keeps the approved figure.
    period = Period.objects.get(street=city["street_a"], month__year=2025, month__month=6)
    approved_f3 = period.frozen["F3"][2]
    page.context.clear_cookies()
    log_in(page, "alice")
    page.goto(live_server.url + f"/admin/facilities/centre/{centre.pk}/change/")
    page.get_by_label("总建筑面积（平方米）").fill("400")
    navigate(page, page.get_by_role("button", name="保存并继续修改"))
    page.locator(".messagelist .success").wait_for()
    page.goto(live_server.url + JUNE_URL)
    changed = page.locator("#changed-after-approval").inner_text()
    assert "审核后修改" in changed and re.search(rf"F3 .*：{re.escape(approved_f3)} → ", changed), changed
    assert "alice" in changed
    axe_check(page)
    screenshot(page, "journey-reporting-changed-after-approval")
    page.goto(live_server.url + "/compliance/?month=2025-06")
    assert page.locator("#official-figures").is_visible()
    f3_row = page.locator("tr", has_text="F3")
    assert approved_f3 in f3_row.first.inner_text()

    # 7. The city reviewer's matrix for June keeps the approved figures too. 鸡冠区's F3 is its streets' summed
    # areas × 100 ÷ summed households: 向阳街道 as approved (frozen), 南山街道 (600 m², 1,200 households) and
    # 红星乡 (no centre, 300 households) as they are today, not approved; the later edit shows as 审核后修改.
    frozen_area, frozen_households = (Fraction(text) for text in period.frozen["F3"][:2])
    official = (frozen_area + 600) * 100 / (frozen_households + 1200 + 300)
    now = (Fraction(400) + 600) * 100 / (frozen_households + 1200 + 300)
    page.context.clear_cookies()
    log_in(page, "rita")
    page.goto(live_server.url + "/compliance/?month=2025-06")
    assert "4 个街道中 1 个已审核通过" in page.locator("#official-figures").inner_text()
    district = page.locator("thead th", has_text="鸡冠区")
    assert "1/3 个街道已审核" in district.inner_text() and "审核后修改" in district.inner_text()
    f3_cell = page.locator("table.compliance-matrix tbody tr", has_text="F3 ").locator(
        "td", has=page.get_by_role("link", name="明细 F3 鸡冠区"))
    cell = f3_cell.inner_text()
    assert f"{float(official):.2f}" in cell and "审核后修改" in cell and f"现为 {float(now):.2f}" in cell, cell
    axe_check(page)
    screenshot(page, "journey-city-matrix-official-june", full_page=False)
    # The drill-down by street: 向阳街道 approved with its frozen figure, 南山街道 today's and marked so.
    f3_cell.get_by_role("link", name="明细 F3 鸡冠区").click()
    page.wait_for_url(re.compile(r"/compliance/indicator/F3/230302000000/"))
    street_a = page.locator("tbody tr", has=page.get_by_role("link", name="向阳街道", exact=True)).inner_text()
    assert approved_f3 in street_a and "市级已确认" in street_a and "审核后修改" in street_a  # accepted in step 5
    street_b = page.locator("tbody tr", has=page.get_by_role("link", name="南山街道", exact=True)).inner_text()
    assert "50.00" in street_b and "未审核 · 当前数据" in street_b
    # July is not approved: today's records.
    page.goto(live_server.url + "/compliance/?month=2025-07")
    assert page.locator("#live-figures").is_visible()
    july = page.locator("table.compliance-matrix tbody tr", has_text="F3 ").locator(
        "td", has=page.get_by_role("link", name="明细 F3 鸡冠区")).inner_text()
    assert f"{float(now):.2f}" in july and "审核后修改" not in july

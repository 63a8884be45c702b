"""The province's reviewer (省民政厅) sees the cities, opens Jixi (judged by Jixi's own plan), drills down to a
failing community and reads its reason (issue #20)."""

import re

import pytest

from compliance.models import Plan
from core.models import Kind, Role, User
from tests.browser.conftest import JOURNEY_DB
from tests.personas import make_division

pytestmark = [pytest.mark.browser, JOURNEY_DB]


def _plan_for(name, division):
    default = Plan.current()  # the plan in force (a browser test's reloaded plans may have none marked)
    plan = Plan.objects.create(name=name, division=division)
    for target in default.targets.all():
        target.pk = None
        target.plan = plan
        target.save()
    return plan


@pytest.fixture
def province(portal):
    heilongjiang = make_division("230000000000", "黑龙江省", Kind.PROVINCE)
    jixi = make_division("230300000000", "鸡西市", Kind.CITY, heilongjiang)
    for district in (portal["district"], portal["district2"]):
        district.parent = jixi
        district.full_clean()
        district.save()
    other = make_division("230500000000", "双鸭山市", Kind.CITY, heilongjiang)
    district = make_division("230502000000", "尖山区", Kind.DISTRICT, other)
    street = make_division("230502001000", "中心站街道", Kind.STREET, district)
    make_division("230502001001", "中心社区", Kind.COMMUNITY, street, households=500, population=1200,
                  population_60plus=300)
    _plan_for("吉林省规划（省级）", heilongjiang)
    _plan_for("鸡西市规划（001）", jixi)
    reviewer = User(username="paula", role=Role.PROVINCE, division=heilongjiang)
    reviewer.set_password("pw")
    reviewer.save()
    return {**portal, "jixi": jixi, "other": other}


def test_the_province_reviewer_opens_jixi_and_drills_down_to_a_failing_community(
    live_server, province, page, log_in, axe_check, screenshot,
):
    log_in(page, "paula")
    page.get_by_role("link", name="达标审查").click()
    page.wait_for_url(live_server.url + "/compliance/")
    assert page.locator("#board-plan").inner_text() == "吉林省规划（省级）"
    header = page.locator("table.compliance-matrix thead")
    assert "鸡西市" in header.inner_text() and "双鸭山市" in header.inner_text()
    jixi_column = header.locator('th[data-division="230300000000"]')
    assert "按鸡西市规划（001）" in jixi_column.inner_text()  # the plan each city is judged by
    axe_check(page)
    screenshot(page, "journey-province-cities", full_page=False)

    jixi_column.get_by_role("link", name="鸡西市").click()
    page.wait_for_url(re.compile(r"/compliance/\?division=230300000000"))
    assert page.locator("#board-plan").inner_text() == "鸡西市规划（001）"
    assert "黑龙江省" in page.locator("#board-breadcrumb").inner_text()
    f1 = page.locator("table.compliance-matrix tbody tr", has_text="F1 城市社区综合服务设施覆盖率")
    district_cell = f1.locator("td", has=page.get_by_role("link", name="明细 F1 鸡冠区"))
    assert "66.67" in district_cell.inner_text() and "未达标" in district_cell.inner_text()
    axe_check(page)

    district_cell.get_by_role("link", name="明细 F1 鸡冠区").click()
    page.wait_for_url(re.compile(r"/compliance/indicator/F1/230302000000/"))
    assert page.locator("#drill-plan").inner_text() == "按规划：鸡西市规划（001）"
    street_row = page.locator("#drill-parts tbody tr", has=page.get_by_role("link", name="向阳街道", exact=True))
    assert "未达标" in street_row.inner_text()
    street_row.get_by_role("link", name="未达标单位").click()
    page.wait_for_url(re.compile(r"/compliance/indicator/F1/230302001000/"))
    failing = page.locator("tbody tr", has_text="红旗社区")
    assert failing.count() == 1
    assert "没有运营中的社区综合服务设施" in failing.inner_text()
    axe_check(page)
    screenshot(page, "journey-province-failing-community")


def test_a_board_of_more_children_than_a_page_is_read_a_group_at_a_time(
    live_server, province, page, log_in, axe_check, monkeypatch,
):
    """One city a page: the province's total on both, 双鸭山市 a click on 下一组 away; the pager passes axe."""
    from compliance import views

    monkeypatch.setattr(views, "COLUMNS_PER_PAGE", 1)
    log_in(page, "paula")
    page.goto(live_server.url + "/compliance/")
    header = page.locator("table.compliance-matrix thead")
    assert "鸡西市" in header.inner_text() and "双鸭山市" not in header.inner_text()
    total = page.locator("table.compliance-matrix tbody tr").first.locator("td").nth(1).inner_text()
    pager = page.locator("#column-pages")
    assert "显示第 1–1 个下级区划，共 2 个" in pager.inner_text()
    axe_check(page)

    pager.get_by_role("link", name="下一组").click()
    page.wait_for_url(re.compile(r"cols=2"))
    header = page.locator("table.compliance-matrix thead")
    assert "双鸭山市" in header.inner_text() and "鸡西市" not in header.inner_text()
    assert page.locator("table.compliance-matrix tbody tr").first.locator("td").nth(1).inner_text() == total
    assert page.locator("#column-pages").get_by_role("link", name="上一组").count() == 1

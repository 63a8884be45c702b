"""A street clerk corrects a centre in the admin and watches its F4 standing turn from 未达标 to 达标."""

import re
from decimal import Decimal

import pytest

from facilities.models import Centre
from tests.browser.actions import navigate
from tests.browser.conftest import JOURNEY_DB

pytestmark = [pytest.mark.browser, JOURNEY_DB]


def f4_badge(page):
    return page.locator(".centre-standing li", has_text="F4 居民活动区域面积占比").locator(".badge")


def test_a_clerk_fixes_an_activity_area_larger_than_the_total_and_sees_f4_pass(
    live_server, portal, page, log_in, axe_check, screenshot
):
    log_in(page, "alice")
    page.get_by_role("link", name="数据填报").click()
    page.wait_for_url(live_server.url + "/workspace/")
    axe_check(page)

    page.get_by_role("link", name=re.compile(r"^社区综合服务设施")).click()
    page.wait_for_url(re.compile(r"/admin/facilities/centre/$"))
    axe_check(page)
    row = page.locator("#result_list tbody tr", has_text="建设社区党群服务中心")
    row.get_by_role("link", name="C0001").click()
    page.wait_for_url(re.compile(rf"/admin/facilities/centre/{portal['centre'].pk}/change/$"))
    assert f4_badge(page).inner_text().strip() == "未达标"
    assert "居民活动面积占比 50%，低于 60%，还差 20 平方米" in page.locator(".centre-standing").inner_text()
    axe_check(page)

    activity = page.get_by_label("居民活动面积（平方米）")
    activity.fill("250")
    navigate(page, page.get_by_role("button", name="保存并继续修改"))
    errors = page.locator(".errorlist")
    errors.first.wait_for()
    assert re.search(r"居民活动面积 250(\.00)? 平方米大于总建筑面积 200(\.00)? 平方米", errors.all_inner_texts()[0])
    assert page.locator(".errornote").is_visible()  # the summary at the top, in Chinese
    assert page.locator(".errornote").inner_text() == "有错误没有保存，请按下面的提示改正。"
    # Nothing was saved: the database still has the old figure and F4 still fails.
    assert Centre.objects.get(pk=portal["centre"].pk).activity_area == Decimal("100")
    axe_check(page)

    page.get_by_label("居民活动面积（平方米）").fill("150")
    navigate(page, page.get_by_role("button", name="保存并继续修改"))
    assert re.search(rf"/admin/facilities/centre/{portal['centre'].pk}/change/$", page.url)
    page.locator(".messagelist .success").wait_for()
    assert page.locator(".errorlist").count() == 0
    assert Centre.objects.get(pk=portal["centre"].pk).activity_area == Decimal("150")
    assert f4_badge(page).inner_text().strip() == "达标"
    assert "居民活动面积占比 75%，达到 60%" in page.locator(".centre-standing").inner_text()
    axe_check(page)
    page.evaluate("() => window.scrollTo(0, 0)")  # the message and the standing panel, at the top
    screenshot(page, "journey-clerk-centre-f4", full_page=False)

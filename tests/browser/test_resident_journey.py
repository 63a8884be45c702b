"""A resident on a 360×740 phone finds an eldercare day-care centre that is open now and calls it."""

import re
import time

import pytest

from core.opening import local_now
from tests.browser.conftest import JOURNEY_DB

pytestmark = [pytest.mark.browser, JOURNEY_DB]


@pytest.fixture
def not_at_midnight():
    """The open centre's hours are 00:00-23:59 every day; at 23:59 itself it is closed, so wait for 00:00.

    Only a test started in the last two minutes of a Shanghai day ever waits (at most two minutes).
    """
    now = local_now()
    if now.hour == 23 and now.minute >= 58:
        time.sleep((60 - now.minute) * 60 - now.second + 1)


def test_a_resident_on_a_phone_finds_a_day_care_centre_open_now_and_calls_it(
    live_server, portal, not_at_midnight, phone, axe_check, screenshot, assert_no_horizontal_scroll
):
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name=re.compile("养老服务")).first.click()
    phone.wait_for_url(re.compile(r"/eldercare/$"))
    assert phone.get_by_role("heading", level=1).inner_text() == "养老服务设施"
    assert phone.get_by_role("heading", name="共 3 个").is_visible()
    assert_no_horizontal_scroll(phone, 360)
    axe_check(phone)

    phone.get_by_label("类型").select_option(label="日间照料中心")
    phone.get_by_label("只看正在开放的").check()
    phone.get_by_role("button", name="查找").click()
    phone.wait_for_url(re.compile(r"kind=daycare.*open_now=on"))

    # The day-care centre that never opens and the institution (another kind) are filtered out.
    cards = phone.locator(".eldercare-card")
    assert cards.locator("h3").all_inner_texts() == ["建设社区日间照料中心"]
    assert "正在开放" in cards.first.inner_text()
    assert phone.get_by_label("类型").input_value() == "daycare"
    assert phone.get_by_label("只看正在开放的").is_checked()
    assert_no_horizontal_scroll(phone, 360)
    axe_check(phone)

    phone.get_by_role("link", name="建设社区日间照料中心").click()
    phone.wait_for_url(re.compile(rf"/eldercare/{portal['daycare'].pk}/$"))
    assert phone.get_by_role("heading", level=1).inner_text() == "建设社区日间照料中心"
    assert "正在开放" in phone.locator("main").inner_text()
    call = phone.get_by_role("link", name="0467-2345680", exact=True)
    assert call.get_attribute("href") == "tel:0467-2345680"
    assert call.is_visible()
    call.scroll_into_view_if_needed()
    box = call.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 360  # tappable on the screen, not off to the side
    assert_no_horizontal_scroll(phone, 360)
    axe_check(phone)
    screenshot(phone, "journey-resident-daycare-phone")

"""Residents on a 360×740 phone: one search, near me (mocked geolocation), the map, calling, navigation,
reporting wrong information (which reaches the clerk's to-do) and the 关怀版 switch."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from core.geo import wgs84_to_gcj02
from core.opening import at
from eldercare.models import Facility, FacilityKind
from tests.browser.actions import navigate
from tests.browser.conftest import JOURNEY_DB

pytestmark = [pytest.mark.browser, JOURNEY_DB]

LUNCHTIME = at(2025, 6, 4, 12, 0)  # a Wednesday at noon, Asia/Shanghai
HERE = {"latitude": 45.3005, "longitude": 130.9705}  # a few steps from 建设社区
SPLIT = "08:30-11:30,13:30-17:30"


@pytest.fixture
def noon(monkeypatch):
    """The live server's clock (same process) at Wednesday noon, so open/closed is known."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: LUNCHTIME)
    return LUNCHTIME


@pytest.fixture
def residents(portal, noon):
    """The shared portal plus a day-care centre at lunch break (closed now, reopens 13:30)."""
    lunch = Facility.objects.create(
        code="Y0004", name="建设社区托老所", kind=FacilityKind.DAYCARE, division=portal["community_a"],
        address="鸡冠区向阳街道建设路 20 号", phone="0467-2345690", latitude=45.3008, longitude=130.9708,
        **{f"hours_{day}": SPLIT for day in ("mon", "tue", "wed", "thu", "fri")},
    )
    return {**portal, "lunch": lunch}


@pytest.fixture
def located_phone(browser):
    from tests.browser.conftest import PHONE, _context

    context = _context(browser, PHONE, bypass_csp=True, is_mobile=True, has_touch=True, device_scale_factor=2,
                       geolocation=HERE, permissions=["geolocation"])
    yield context.new_page()
    context.close()


def test_one_search_finds_every_day_care_centre(live_server, residents, phone, axe_check, assert_no_horizontal_scroll):
    phone.goto(live_server.url + "/")
    phone.get_by_label(re.compile("查找服务中心、养老服务")).fill("日间照料")
    phone.get_by_role("button", name="搜索").click()
    phone.wait_for_url(re.compile(r"/search/\?q="))
    facilities = phone.locator('section[data-kind="facility"]')
    assert facilities.get_attribute("data-count") == "3"
    names = set(facilities.locator("h3 a").all_inner_texts())
    assert names == {"建设社区日间照料中心", "红旗社区日间照料中心", "建设社区托老所"}  # not 敬老院 (an institution)
    assert "今天 13:30 开放" in facilities.inner_text()
    assert_no_horizontal_scroll(phone, 360)
    axe_check(phone)


def test_near_me_open_now_next_opening_call_and_map(live_server, residents, located_phone, axe_check,
                                                    screenshot, assert_no_horizontal_scroll):
    phone = located_phone
    phone.goto(live_server.url + "/near/")
    axe_check(phone)
    phone.get_by_role("button", name="使用我的位置").click()
    phone.wait_for_url(re.compile(r"lat=45\.300500.*lon=130\.970500"))
    results = phone.locator("#near-results")
    assert "离您的位置最近的服务" in phone.locator("main").inner_text()
    lunch = results.locator("article", has_text="建设社区托老所")
    assert "今天 13:30 开放" in lunch.inner_text()
    assert "步行约" in lunch.inner_text()
    # The map shows the same places, over a plain background that says why.
    phone.wait_for_selector("#near-map .leaflet-marker-icon")
    assert "尚未配置地图底图" in phone.locator("#map-note").inner_text()
    assert_no_horizontal_scroll(phone, 360)
    axe_check(phone)

    phone.get_by_label("只看正在开放的").check()
    phone.get_by_role("button", name="查找", exact=True).last.click()
    phone.wait_for_url(re.compile(r"open=1"))
    names = results.locator("h3 a").all_inner_texts()
    assert "建设社区日间照料中心" in names and "建设社区托老所" not in names
    call = results.locator("article", has_text="建设社区日间照料中心").get_by_role("link", name=re.compile("打电话"))
    assert call.get_attribute("href") == "tel:0467-2345680"
    box = call.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    screenshot(phone, "journey-resident-near-me-phone")
    call.click()  # a tel: link: the phone would dial; the page stays put
    assert "/near/" in phone.url


def test_navigation_hands_off_to_amap_in_gcj02(live_server, residents, phone):
    daycare = residents["daycare"]
    phone.goto(f"{live_server.url}/eldercare/{daycare.pk}/")
    assert "北纬" not in phone.locator("main").inner_text()
    opened = []
    phone.context.route("https://uri.amap.com/**", lambda route: (opened.append(route.request.url),
                                                                 route.fulfill(body="amap", content_type="text/plain")))
    phone.get_by_role("link", name="高德地图").click()
    phone.wait_for_url(re.compile("uri.amap.com"))
    query = parse_qs(urlsplit(opened[0]).query)
    lat, lon = wgs84_to_gcj02(daycare.latitude, daycare.longitude)
    assert query["position"] == [f"{lon:.6f},{lat:.6f}"]
    assert query["coordinate"] == ["gaode"]


def test_reported_error_reaches_the_clerks_to_do(live_server, residents, phone, page, log_in, axe_check):
    daycare = residents["daycare"]
    phone.goto(f"{live_server.url}/eldercare/{daycare.pk}/")
    phone.get_by_role("link", name="信息有误？").click()
    axe_check(phone)
    phone.get_by_label("电话打不通或不对").check()
    phone.get_by_label(re.compile("正确的信息是")).fill("电话已改为 0467-2999999")
    navigate(phone, phone.get_by_role("button", name="提交"))
    assert "已收到" in phone.locator("main").inner_text()

    log_in(page, "alice")
    page.goto(live_server.url + "/workspace/")
    navigate(page, page.get_by_role("link", name=re.compile(r"居民报错待办（1 条）")))
    row = page.locator("#reports tbody tr")
    assert "建设社区日间照料中心" in row.inner_text() and "电话已改为 0467-2999999" in row.inner_text()
    axe_check(page)


def test_care_mode_enlarges_the_page_and_is_remembered(live_server, residents, phone):
    phone.goto(live_server.url + "/")
    size = phone.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    phone.get_by_role("button", name="关怀版").click()
    larger = phone.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert larger >= size * 1.2
    phone.goto(live_server.url + "/search/?q=%E7%85%A7%E6%96%99")
    assert phone.evaluate("() => document.documentElement.classList.contains('care-mode')")
    assert phone.get_by_role("button", name="关怀版：已开启").get_attribute("aria-pressed") == "true"


def test_week_and_visit_tables_fit_a_360_px_phone(live_server, residents, phone, log_in, assert_no_horizontal_scroll):
    from datetime import date

    from core.models import Holiday

    # The week table's longest rows: two intervals and a holiday note on the same day.
    Holiday.objects.create(date=date(2025, 6, 5), kind=Holiday.DayKind.WORKDAY, name="中华人民共和国成立纪念日调休")
    phone.goto(f"{live_server.url}/eldercare/{residents['lunch'].pk}/")
    assert "调休" in phone.locator("main").inner_text()
    assert_no_horizontal_scroll(phone, 360)
    log_in(phone, "alice")
    phone.goto(live_server.url + "/eldercare/visits/")
    phone.wait_for_selector("table.stack-on-phone td[data-label]")
    table = phone.locator("table.stack-on-phone")
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_the_map_and_location_scripts_run_under_the_real_csp(live_server, residents, strict_page):
    strict_page.goto(live_server.url + "/near/?lat=45.300500&lon=130.970500")
    strict_page.wait_for_selector("#near-map .leaflet-marker-icon")
    strict_page.get_by_role("button", name="关怀版").click()
    assert strict_page.evaluate("() => document.documentElement.classList.contains('care-mode')")
    assert strict_page.csp_errors == []

"""Issue #18's journey: a street clerk enters data after work, at 1,366 px and on a 360 px phone.

Adds a team (code generated), sets a centre's hours with a preset and “copy to all days”, drops a pin and
pastes a 高德 coordinate (converted to WGS-84), records yesterday's phone visit after revealing the number,
and fixes a three-error workbook in one round with the annotated copy.
"""

import datetime
import io

import pytest
from openpyxl import load_workbook

from core.geo import wgs84_to_gcj02
from core.opening import local_now
from eldercare.models import ElderAccessLog, Visit
from tests.browser.actions import navigate
from tests.browser.conftest import JOURNEY_DB, PHONE, _context
from tests.exchange.helpers import workbook_bytes
from volunteers.models import Team

pytestmark = [pytest.mark.browser, JOURNEY_DB]

WIDE = {"width": 1366, "height": 768}
FIXES = {"党员骨干": "是", "联系电话": "0467-2345600", "队员人数": 3}


@pytest.fixture
def wide(browser):
    context = _context(browser, WIDE, bypass_csp=True, accept_downloads=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    """conftest's phone (360 px, touch), also taking the annotated workbook's download."""
    context = _context(browser, PHONE, bypass_csp=True, is_mobile=True, has_touch=True, device_scale_factor=2,
                       accept_downloads=True)
    yield context.new_page()
    context.close()


def _add_team(page, live_server, name, community):
    page.goto(live_server.url + "/admin/volunteers/team/add/")
    assert "ZYD + 社区代码 + 两位序号" in page.locator(".field-code").inner_text()
    page.locator("#id_name").fill(name)
    page.locator("#id_community").select_option(str(community.pk))
    page.locator("#id_member_count").fill("12")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/volunteers/team/")
    return Team.objects.get(name=name)


def _record_yesterdays_phone_visit(page, live_server):
    yesterday = local_now().date() - datetime.timedelta(days=1)
    page.goto(live_server.url + "/eldercare/visits/")
    assert "138****5678" in page.content() and "13812345678" not in page.content()
    navigate(page, page.locator("form[action$='/phone/'] button").first)
    assert page.locator("a.phone-full").get_attribute("href") == "tel:13812345678"
    page.locator("input[name=visited_on]").fill(yesterday.isoformat())
    page.locator("input[name=note]").fill("电话问候，身体尚好")
    page.get_by_role("button", name="记录探访").click()
    page.wait_for_url("**/eldercare/visits/")
    visit = Visit.objects.get(elder__code="L0001")
    assert (visit.visited_on, visit.method, visit.note) == (yesterday, "phone", "电话问候，身体尚好")
    assert ElderAccessLog.objects.filter(elder__code="L0001", channel=ElderAccessLog.Channel.REVEAL).count() == 1


def _set_hours_and_pin(page, live_server, centre):
    page.goto(live_server.url + f"/admin/facilities/centre/{centre.pk}/change/")
    page.locator("#hours-preset").select_option("08:30-11:30,13:30-17:30")
    page.locator(".hours-preset-monday").click()
    page.locator(".hours-copy-monday").click()
    assert page.locator("#id_hours_sun").input_value() == "08:30-11:30,13:30-17:30"
    latitude = page.locator("#id_latitude").input_value()
    page.locator("#location-picker").click(position={"x": 120, "y": 80})
    assert page.locator("#id_latitude").input_value() != latitude  # the pin moved the boxes
    page.locator("#id_coordinate_paste").fill("130.975,45.302")
    page.locator("#id_coordinate_source").select_option("gcj02")
    navigate(page, page.locator("input[name=_continue]"))
    centre.refresh_from_db()
    assert centre.hours_mon == centre.hours_sun == "08:30-11:30,13:30-17:30"
    lat, lon = wgs84_to_gcj02(float(centre.latitude), float(centre.longitude))
    assert abs(lat - 45.302) < 1e-5 and abs(lon - 130.975) < 1e-5


def _fix_a_three_error_workbook(page, live_server, tmp_path):
    rows = [["ZY-A", "甲队", "230302001001", "也许", 5, "张", "12345", "助老服务"],
            ["ZY-B", "乙队", "230302001001", "是", -3, "李", "", "助老服务"]]
    path = tmp_path / "队伍.xlsx"
    path.write_bytes(workbook_bytes({"志愿服务队": rows}))
    page.goto(live_server.url + "/exchange/")
    page.get_by_label("数据报送工作簿（.xlsx）").set_input_files(str(path))
    navigate(page, page.get_by_role("button", name="上传并预览"))
    assert page.locator("ol.exchange-errors li").count() == 3
    with page.expect_download() as download:
        page.get_by_role("link", name="下载标注了问题的工作簿").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook["志愿服务队"]
    headers = [cell.value for cell in sheet[1]]
    marked = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.comment is not None]
    assert len(marked) == 3
    for cell in marked:
        cell.value = FIXES[headers[cell.column - 1]]
        cell.comment = None
    fixed = tmp_path / "队伍-已改.xlsx"
    workbook.save(fixed)
    page.get_by_label("数据报送工作簿（.xlsx）").set_input_files(str(fixed))
    navigate(page, page.get_by_role("button", name="上传并预览"))
    assert "检查通过" in page.get_by_role("heading", level=2).first.inner_text()
    assert page.locator("input[type=file]").count() == 0  # the confirm page has no second upload form
    navigate(page, page.get_by_role("button", name="确认导入"))
    assert set(Team.objects.filter(code__startswith="ZY-").values_list("code", flat=True)) == {"ZY-A", "ZY-B"}


def test_clerk_enters_a_days_data_at_1366_px(portal, wide, live_server, log_in, screenshot, tmp_path):
    page = wide
    log_in(page, "alice")

    # A team: the code is generated in the documented pattern.
    team = _add_team(page, live_server, "建设社区助老志愿服务队", portal["community_a"])
    assert team.code == "ZYD23030200100101"
    names = page.locator("#result_list td.field-name, #result_list th.field-name").first
    assert names.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"

    # A centre's hours with a preset and “copy Monday to all days”, then a pin and a pasted 高德 coordinate.
    _set_hours_and_pin(page, live_server, portal["centre"])
    screenshot(page, "journey-clerk-centre-hours-and-pin")

    # The visits to-do: an elder's name, community and code each on one line, and nothing scrolls sideways.
    page.goto(live_server.url + "/eldercare/visits/")
    lines = page.locator(".eldercare-todo td.one-line").evaluate_all(
        "cells => cells.map(c => { const r = document.createRange(); r.selectNodeContents(c);"
        " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })")
    assert lines and set(lines) == {1}, lines
    width, shown = page.locator(".eldercare-todo .table-responsive").evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width <= shown, (width, shown)

    _record_yesterdays_phone_visit(page, live_server)

    # The elders' list fits the window beside the side menu and the filters: the phone column without a sideways
    # scroll.
    page.goto(live_server.url + "/admin/eldercare/elder/")
    assert page.locator("#result_list td.field-masked_phone").count() > 0
    width, shown = page.locator("#changelist .results").evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width <= shown, (width, shown)

    # A workbook with three errors, fixed in one round from the annotated copy.
    _fix_a_three_error_workbook(page, live_server, tmp_path)
    screenshot(page, "journey-clerk-workbook-fixed")


def test_clerk_enters_a_days_data_on_a_phone(
    portal, phone, live_server, log_in, assert_no_horizontal_scroll, screenshot, tmp_path
):
    log_in(phone, "alice")
    team = _add_team(phone, live_server, "红旗社区志愿服务队", portal["community_a2"])
    assert team.code == "ZYD23030200100201"
    _set_hours_and_pin(phone, live_server, portal["centre"])
    assert_no_horizontal_scroll(phone, 360)
    phone.goto(live_server.url + "/eldercare/visits/")
    assert_no_horizontal_scroll(phone, 360)
    name_cell = phone.get_by_text("王桂兰", exact=True).first
    box = name_cell.bounding_box()
    assert box["width"] > box["height"]  # a name on one line, not one character per line
    _record_yesterdays_phone_visit(phone, live_server)
    assert_no_horizontal_scroll(phone, 360)
    screenshot(phone, "journey-clerk-visit-phone")
    _fix_a_three_error_workbook(phone, live_server, tmp_path)
    assert_no_horizontal_scroll(phone, 360)
    screenshot(phone, "journey-clerk-workbook-fixed-phone")


def test_clerk_places_a_community_on_the_map_and_meets_a_plausibility_error_at_1366_px(
    portal, wide, live_server, log_in, screenshot
):
    """The community form has the centres' picker; the admin refuses 60+ above the residents, as the import does."""
    page = wide
    log_in(page, "alice")
    community = portal["community_a2"]  # 红旗社区: 2,000 residents, no coordinates yet
    url = live_server.url + f"/admin/core/division/{community.pk}/change/"
    page.goto(url)

    # The pin: a click on the map fills the boxes, then a pasted 高德 pair is converted on saving.
    page.locator("#location-picker").click(position={"x": 150, "y": 90})
    assert page.locator("#id_latitude").input_value() != ""
    page.locator("#id_coordinate_paste").fill("130.9700,45.2960")
    page.locator("#id_coordinate_source").select_option("gcj02")
    navigate(page, page.locator("input[name=_continue]"))
    community.refresh_from_db()
    lat, lon = wgs84_to_gcj02(community.latitude, community.longitude)
    assert abs(lat - 45.296) < 1e-5 and abs(lon - 130.97) < 1e-5
    assert page.locator(".leaflet-marker-icon").count() == 1  # the saved place is pinned when the page opens

    # 60+ above the residents: refused on the field, named in the summary at the top, nothing saved.
    page.locator("#id_population_60plus").fill("99999")
    navigate(page, page.locator("input[name=_continue]"))
    summary = page.locator(".error-summary")
    assert "60岁以上人口 99999 大于常住人口 2000。" in summary.inner_text()
    summary.get_by_role("link", name="60岁以上人口").click()
    assert page.evaluate("document.activeElement.id") == "id_population_60plus"
    assert "60岁以上人口 99999 大于常住人口 2000。" in page.locator(".field-population_60plus").inner_text()
    community.refresh_from_db()
    assert community.population_60plus == 500
    screenshot(page, "journey-clerk-community-plausibility")

    page.locator("#id_population_60plus").fill("520")
    navigate(page, page.locator("input[name=_continue]"))
    community.refresh_from_db()
    assert community.population_60plus == 520


def test_the_entry_helpers_speak_english_on_an_english_page(portal, wide, live_server, log_in):
    page = wide
    log_in(page, "alice")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + f"/admin/facilities/centre/{portal['centre'].pk}/change/")
    assert page.locator(".hours-copy-monday").inner_text() == "Copy Monday to every day"
    assert page.locator(".hours-closed").first.inner_text() == "Closed"
    page.locator(".hours-closed").first.click()
    page.locator(".hours-copy-monday").click()
    navigate(page, page.locator("input[name=_continue]"))
    centre = portal["centre"]
    centre.refresh_from_db()
    assert centre.hours_mon == centre.hours_sun == ""  # “Closed” is read as closed


def test_the_eldercare_facility_form_has_the_week_editor_and_the_map(portal, wide, live_server, log_in):
    """The other form with hours and coordinates: a daycare's week, with “24 小时” and “休息” by day."""
    page = wide
    log_in(page, "alice")
    daycare = portal["daycare"]
    page.goto(live_server.url + f"/admin/eldercare/facility/{daycare.pk}/change/")
    assert page.locator("#location-picker .leaflet-marker-icon").count() == 1
    page.locator("#hours-preset").select_option("08:30-11:30,13:30-17:30")
    page.locator(".hours-preset-weekdays").click()
    page.locator(".field-hours_sat .hours-allday").click()
    page.locator(".field-hours_sun .hours-closed").click()
    navigate(page, page.locator("input[name=_continue]"))
    daycare.refresh_from_db()
    assert daycare.hours_mon == daycare.hours_fri == "08:30-11:30,13:30-17:30"
    assert (daycare.hours_sat, daycare.hours_sun) == ("00:00-23:59", "")  # 24:00 is stored as 23:59 (core.hours)

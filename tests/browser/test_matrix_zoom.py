"""The compliance matrix at 200 % browser zoom (a 1366-px screen gives a 683-px-wide viewport), for a city with
the demo's districts: each indicator becomes a card whose figures are named by their column, and nothing
scrolls sideways, neither the page nor the matrix's own box (issue #16)."""

import importlib
import io
import random

import pytest

from core import demo
from core.models import Division, Role
from tests.browser.conftest import JOURNEY_DB, MIGRATION_DATA, _context
from tests.personas import _user

pytestmark = [pytest.mark.browser, JOURNEY_DB]

ZOOMED = {"width": 683, "height": 384}  # 1366 × 768 at 200 %

BOX_JS = """() => {
  const box = document.querySelector('.matrix-scroll');
  return {scrollWidth: box.scrollWidth, clientWidth: box.clientWidth};
}"""

LABELS_JS = """() => [...document.querySelectorAll('table.compliance-matrix tbody tr:first-child td[data-label]')]
  .map(cell => getComputedStyle(cell, '::before').content)"""


@pytest.fixture
def demo_city(db):
    from django.apps import apps as django_apps

    for entry in MIGRATION_DATA:
        module, function = entry.split(":")
        getattr(importlib.import_module(module), function)(django_apps, None)
    demo.seed(io.StringIO(), random.Random("2303-core"))  # noqa: S311 - the demo's divisions  # nosec B311
    _user("rita", Role.REVIEWER)
    _user("dora", Role.DISTRICT, Division.objects.get(code="230302000000"))


@pytest.fixture
def zoomed(browser):
    context = _context(browser, ZOOMED, bypass_csp=True, device_scale_factor=2)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("username", ["rita", "dora"])
def test_matrix_is_readable_without_sideways_scrolling_at_200_percent_zoom(
    live_server, demo_city, zoomed, log_in, axe_check, assert_no_horizontal_scroll, screenshot, username
):
    # The demo deployment is a province of two cities: the whole-area reviewer's board is the province by city.
    cities = list(Division.objects.filter(level="city").order_by("code").values_list("name", flat=True))
    assert len(cities) == 2
    log_in(zoomed, username)
    zoomed.goto(live_server.url + "/compliance/?month=2025-06")
    box = zoomed.evaluate(BOX_JS)
    assert box["scrollWidth"] <= box["clientWidth"], box
    assert_no_horizontal_scroll(zoomed, ZOOMED["width"])
    # Every figure of the first indicator says whose it is: the city (or the district) and each column.
    labels = zoomed.evaluate(LABELS_JS)
    columns = ([Division.objects.get(level="province").name, *cities] if username == "rita"
               else ["鸡冠区", *[name for _code, name, _kind in demo.CITY[("230302000000", "鸡冠区")]]])
    assert [label.strip('"') for label in labels] == ["目标", *columns]
    f1 = zoomed.locator("table.compliance-matrix tbody tr", has_text="F1 城市社区综合服务设施覆盖率")
    assert f1.bounding_box()["width"] <= ZOOMED["width"]
    axe_check(zoomed)
    f1.scroll_into_view_if_needed()
    screenshot(zoomed, f"matrix-200-percent-zoom-{username}", full_page=False)


def test_matrix_is_a_table_again_on_a_desktop(live_server, demo_city, page, log_in):
    log_in(page, "rita")
    page.goto(live_server.url + "/compliance/?month=2025-06")
    row = page.locator("table.compliance-matrix tbody tr").first
    assert row.evaluate("row => getComputedStyle(row).display") == "table-row"
    assert page.locator("table.compliance-matrix thead th", has_text="双鸭山市").is_visible()

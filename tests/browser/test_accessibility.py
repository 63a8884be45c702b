"""Accessibility sweep: axe-core (WCAG 2.1 A/AA, no serious or critical violation) on every public page, the
compliance pages and the clerk's pages; text at 200 % on the public lists of a phone; pass/fail never by colour."""

import re

import pytest

from compliance.models import CorrectionRequest
from tests.browser.conftest import JOURNEY_DB

pytestmark = [pytest.mark.browser, JOURNEY_DB]

PUBLIC_PAGES = [
    "/",
    "/facilities/",
    "/facilities/{centre}/",
    "/eldercare/",
    "/eldercare/?kind=daycare&open_now=on",
    "/eldercare/{daycare}/",
    "/eldercare/nearest/",
    "/eldercare/nearest/?community=230302001001",
    "/volunteers/",
    "/volunteers/{team}/",
    "/accounts/login/",
    "/search/?q=建设 照料",
    "/near/",
    "/near/?place=建设",
    "/near/?place=社区",
    "/report/centre/{centre}/",
    "/rate/facility/{daycare}/",
]
REVIEWER_PAGES = [
    "/workspace/",
    "/compliance/",
    "/compliance/indicator/F1/230302000000/",
    "/compliance/indicator/F1/230302001000/",
    "/compliance/indicator/E5/230302000000/",
    "/compliance/street/230302001000/",
    "/compliance/corrections/",
    "/compliance/snapshots/",
    "/eldercare/visits/",
    "/eldercare/visits/?street=230302001000",
    "/volunteers/deadlines/",
]
CLERK_PAGES = [
    "/workspace/",
    "/eldercare/visits/",
    "/volunteers/deadlines/",
    "/compliance/",
    "/compliance/corrections/",
    "/compliance/street/230302001000/",
    "/workspace/reports/",
    "/workspace/ratings/",
]
PHONE_LISTS = [
    ("/facilities/", "查找"),
    ("/eldercare/", "查找"),
    ("/volunteers/", "查找"),
]
ZOOM_TEXT_200_JS = "() => { document.documentElement.style.fontSize = '200%'; return getComputedStyle(document.body).fontSize; }"


def _sweep(page, base_url, paths, portal, axe_check):
    """Visit each page; return what failed (every page is checked, not only up to the first failure)."""
    ids = {"centre": portal["centre"].pk, "daycare": portal["daycare"].pk, "team": portal["team"].pk}
    problems = []
    for path in paths:
        url = base_url + path.format(**ids)
        response = page.goto(url)
        if response.status != 200:
            problems.append(f"{url}: HTTP {response.status}")
            continue
        if page.get_by_role("heading", level=1).count() != 1:
            problems.append(f"{url}: {page.get_by_role('heading', level=1).count()} level-1 headings")
        try:
            axe_check(page)
        except AssertionError as exc:
            problems.append(str(exc))
    return problems


@pytest.fixture
def returned(portal, rita):
    """An old free-text return of street A, so the read-only corrections page shows a row."""
    return CorrectionRequest.objects.create(
        street=portal["street_a"], indicator="F1", comment="红旗社区没有社区综合服务设施。", created_by=rita
    )


def test_every_public_page_passes_axe(live_server, portal, page, axe_check):
    problems = _sweep(page, live_server.url, PUBLIC_PAGES, portal, axe_check)
    assert not problems, "\n\n".join(problems)


def test_every_public_page_passes_axe_on_a_phone_too(live_server, portal, phone, axe_check):
    problems = _sweep(phone, live_server.url, PUBLIC_PAGES, portal, axe_check)
    assert not problems, "\n\n".join(problems)


def test_the_compliance_pages_pass_axe_for_a_reviewer(live_server, portal, returned, page, log_in, axe_check):
    log_in(page, "rita")
    # A snapshot, made through its form, so that its list and its page are swept with content.
    page.goto(live_server.url + "/compliance/snapshots/")
    page.get_by_label("名称").fill("2026 年度评估")
    page.get_by_role("button", name="保存快照").click()
    page.wait_for_url(re.compile(r"/compliance/snapshots/\d+/$"))
    paths = [*REVIEWER_PAGES, page.url.removeprefix(live_server.url)]
    problems = _sweep(page, live_server.url, paths, portal, axe_check)
    assert not problems, "\n\n".join(problems)


def test_the_clerk_pages_pass_axe(live_server, portal, returned, page, log_in, axe_check):
    log_in(page, "alice")
    problems = _sweep(page, live_server.url, CLERK_PAGES, portal, axe_check)
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize(("path", "button"), PHONE_LISTS, ids=["facilities", "eldercare", "volunteers"])
def test_the_public_lists_on_a_phone_keep_everything_at_200_percent_text(
    live_server, portal, phone, path, button, screenshot, assert_no_horizontal_scroll
):
    phone.goto(live_server.url + path)
    assert phone.evaluate(ZOOM_TEXT_200_JS) == "32px"
    # The text really is larger (a layout that ignored rem would not be tested at all).
    heading = phone.get_by_role("heading", level=1)
    assert float(heading.evaluate("(h) => parseFloat(getComputedStyle(h).fontSize)")) >= 40
    assert_no_horizontal_scroll(phone, 360)
    # Nothing lost: the heading, the filter button and the first result's link are still there and on screen.
    first_result = phone.locator("main article a").first
    for element in (heading, phone.get_by_role("button", name=button, exact=True), first_result):
        element.scroll_into_view_if_needed()
        assert element.is_visible()
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (path, box)
    screenshot(phone, "text-200-phone" + path.rstrip("/").replace("/", "-"))


def test_pass_and_fail_on_the_matrix_are_written_not_only_coloured(live_server, portal, page, log_in):
    log_in(page, "rita")
    page.goto(live_server.url + "/compliance/")
    cells = page.locator("table.compliance-matrix td.cell-pass, table.compliance-matrix td.cell-fail")
    states = cells.evaluate_all(
        """(cells) => cells.map((cell) => {
             const badge = cell.querySelector('.status-pass, .status-fail');
             return {
               cls: cell.classList.contains('cell-pass') ? 'pass' : 'fail',
               text: badge ? badge.innerText.trim() : '',
               symbol: badge ? getComputedStyle(badge, '::before').content : '',
             };
           })"""
    )
    assert {state["cls"] for state in states} == {"pass", "fail"}  # the city has both
    for state in states:
        expected = ("达标", '"✓ "') if state["cls"] == "pass" else ("未达标", '"✗ "')
        assert (state["text"], state["symbol"]) == expected, state

    # The same in grey: with colour removed the two states still read differently.
    page.add_style_tag(content="html { filter: grayscale(1); }")
    assert cells.filter(has_text="未达标").count() == sum(state["cls"] == "fail" for state in states)

    # The bar charts: each bar's figure carries ✓ or ✗ beside it, not only a green or red fill.
    bars = page.locator("figure.chart-card svg rect")
    labels = page.locator("figure.chart-card svg text").all_text_contents()
    assert bars.count() > 0
    marked = [text for text in labels if text.endswith((" ✓", " ✗"))]
    coloured = bars.evaluate_all("(bars) => bars.filter((b) => ['#198754', '#dc3545'].includes(b.getAttribute('fill'))).length")
    assert len(marked) == coloured

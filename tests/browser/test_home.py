"""A resident on a phone opens the home page; the page holds up at 200 % text and under the real CSP."""

import re

import pytest

pytestmark = pytest.mark.browser

ZOOM_TEXT_200_JS = "() => { document.documentElement.style.fontSize = '200%'; return getComputedStyle(document.body).fontSize; }"


def test_a_resident_on_a_360_px_phone_sees_the_search_box_and_the_city_s_figures(
    live_server, city, phone, axe_check, screenshot, assert_no_horizontal_scroll
):
    phone.goto(live_server.url + "/")

    assert phone.locator("html").get_attribute("lang") == "zh-CN"
    search = phone.get_by_role("searchbox", name="查找服务中心、养老服务、志愿服务队（名称、地址、社区、服务）")
    assert search.is_visible()
    search.fill("建设社区")
    counts = dict(
        zip(
            phone.locator(".headline-counts dt").all_inner_texts(),
            phone.locator(".headline-counts dd").all_inner_texts(),
            strict=True,
        )
    )
    # The city fixture: 2 districts, 3 streets + 1 town, 5 communities/villages.
    assert counts["区县"] == "2"
    assert counts["街道乡镇"] == "4"
    assert counts["社区村"] == "5"
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert_no_horizontal_scroll(phone, 360)
    axe_check(phone)
    screenshot(phone, "home-phone-360")

    phone.get_by_role("button", name="搜索").click()
    phone.wait_for_url(re.compile(r"/search/\?q="))  # one search across centres, eldercare and teams
    assert "q=%E5%BB%BA%E8%AE%BE%E7%A4%BE%E5%8C%BA" in phone.url


@pytest.mark.parametrize("width", [360, 1280])
def test_the_home_page_text_at_200_percent_does_not_overflow_sideways(
    live_server, city, browser, width, axe_check, screenshot, assert_no_horizontal_scroll
):
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert page.evaluate(ZOOM_TEXT_200_JS) == "32px"
        page.wait_for_timeout(50)
        assert_no_horizontal_scroll(page, width)
        # Nothing lost: the search box and every figure are still there and visible.
        assert page.locator("#home-search").is_visible()
        assert page.locator(".headline-counts .count").count() == 6
        assert all(page.locator(".headline-counts .count").nth(i).is_visible() for i in range(6))
        axe_check(page)
        screenshot(page, f"home-text-200-{width}")
    finally:
        context.close()


def test_browser_zoom_200_percent_on_a_desktop_window_reflows_without_sideways_scrolling(
    live_server, city, browser, assert_no_horizontal_scroll
):
    # A 1280-px window zoomed to 200 % lays the page out in 640 CSS pixels at twice the pixel density.
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert_no_horizontal_scroll(page, 640)
    finally:
        context.close()


def test_the_pages_work_with_the_content_security_policy_enforced(live_server, city, strict_page):
    for path in ("/", "/accounts/login/"):
        response = strict_page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # Our own scripts and styles load under the policy: Bootstrap's JS defines window.bootstrap,
        # its CSS sets the body font.
        strict_page.wait_for_function("() => typeof window.bootstrap !== 'undefined'")
        assert "system-ui" in strict_page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert strict_page.csp_errors == []


def test_the_browser_reports_an_inline_script_the_policy_blocks(live_server, city, strict_page):
    """The check above can fail: an inline script on our page is refused and reported."""
    strict_page.goto(live_server.url + "/")
    strict_page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.append(s); }"
    )
    strict_page.wait_for_timeout(100)
    assert strict_page.evaluate("() => window.injected") is None
    assert strict_page.csp_errors, "the browser did not report the blocked inline script"

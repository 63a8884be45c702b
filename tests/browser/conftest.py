"""Real-browser fixtures: Playwright (Python) driving Debian's chromium against pytest-django's live server.

- ``browser``: one headless chromium per pytest worker (``/usr/bin/chromium``; ``make browsers`` installs it —
  never ``playwright install``, which downloads a browser build of its own).
- ``live_server``: pytest-django's, one per xdist worker on 127.0.0.1 with that worker's test database
  (its tests are transactional: the server thread sees what the test wrote).
- ``page`` (desktop 1280×800) and ``phone`` (360×740, touch): fresh contexts, ``bypass_csp=True`` so that
  axe-core can be injected; ``strict_page`` enforces the real Content Security Policy.
- ``axe_check(page)``: axe-core (node_modules, from package.json) against WCAG 2.0/2.1 A and AA; fails on
  any violation of impact serious or critical.
- ``screenshot(page, name)``: saves ``artifacts/screenshots/<name>.png``.

Mark browser tests ``@pytest.mark.browser``.
"""

import json
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; Django's ORM, used by the fixtures that make
# the data, refuses to run where a loop is running unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def _missing(what, how):
    """Under CI a missing browser part is a failure, never a skip."""
    message = f"{what} is missing: run `{how}`"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def playwright_driver():
    if not CHROMIUM.exists():
        _missing(str(CHROMIUM), "make browsers")
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _context(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser):
    context = _context(browser, DESKTOP, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = _context(browser, PHONE, bypass_csp=True, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield context.new_page()
    context.close()


@pytest.fixture
def strict_page(browser):
    """A page with the site's CSP enforced; ``strict_page.csp_errors`` collects what the browser refused."""
    context = _context(browser, DESKTOP)
    page = context.new_page()
    page.csp_errors = []

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            page.csp_errors.append(message.text)

    page.on("console", on_console)
    yield page
    context.close()


def _axe_check(page, *, disable=()):
    """Run axe-core on the page as it is now; fail on serious/critical WCAG 2.1 A/AA violations."""
    if not AXE_JS.exists():
        _missing(str(AXE_JS.relative_to(ROOT)), "make node_modules/axe-core/axe.min.js (npm ci)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    result = page.evaluate("async (options) => await window.axe.run(document, options)", options)
    failing = [v for v in result["violations"] if v["impact"] in AXE_FAILING_IMPACTS]
    report = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [" ".join(node["target"]) + " — " + node["failureSummary"] for node in v["nodes"][:5]],
        }
        for v in failing
    ]
    assert not failing, f"axe-core on {page.url}:\n" + json.dumps(report, ensure_ascii=False, indent=2)
    return result


@pytest.fixture
def axe_check():
    return _axe_check


def _screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot():
    return _screenshot


HORIZONTAL_OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const offenders = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.position === 'fixed') continue;
    if (element.closest('.visually-hidden, .visually-hidden-focusable, .table-responsive')) continue;
    if (box.right > width + 1 || box.left < -1) {
      offenders.push(`${element.tagName.toLowerCase()}${element.id ? '#' + element.id : ''}.${[...element.classList].join('.')} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, clientWidth: width, offenders: offenders.slice(0, 10)};
}
"""


def _assert_no_horizontal_scroll(page, width):
    """Nothing sticks out sideways: the document is no wider than the viewport and no element crosses its edge."""
    layout = page.evaluate(HORIZONTAL_OVERFLOW_JS)
    assert layout["scrollWidth"] <= width, layout
    assert layout["offenders"] == [], layout


@pytest.fixture
def assert_no_horizontal_scroll():
    return _assert_no_horizontal_scroll

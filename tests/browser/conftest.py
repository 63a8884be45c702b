"""Real-browser fixtures: Playwright (Python) driving Debian's chromium against pytest-django's live server.

- ``browser``: one headless chromium per pytest worker (``/usr/bin/chromium``; ``make browsers`` installs it —
  never ``playwright install``, which downloads a browser build of its own).
- ``live_server``: pytest-django's, one per xdist worker on 127.0.0.1 with that worker's test database
  (its tests are transactional: the server thread sees what the test wrote).
- ``page`` (desktop 1280×800) and ``phone`` (360×740, touch): fresh contexts, ``bypass_csp=True`` so that
  axe-core can be injected; ``strict_page`` enforces the real Content Security Policy.
- ``axe_check(page)``: axe-core (node_modules, from package.json) against WCAG 2.0/2.1 A and AA; fails on
  any violation of impact serious or critical.
- ``screenshot(page, name, full_page=True)``: saves ``artifacts/screenshots/<name>.png``.

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
        # Once per context: every later page of the context gets axe-core as the document starts (sending its
        # 540 kB over the pipe for each page cost a tenth of the browser tests' time).
        page.context.add_init_script(path=str(AXE_JS))
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


def _screenshot(page, name, *, full_page=True):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
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


# --- A small portal, seeded for each journey --------------------------------------------------------------
# Browser tests are transactional (the live server's thread must see the rows), so every table is emptied after
# each test, including the rows migrations load (the ten helps, the plans and their targets). ``portal`` loads
# those again with the migrations' own (idempotent) functions. ``serialized_rollback`` is no help here: once
# Playwright's event loop runs in the test thread, Django's per-context connection no longer carries the
# serialized copy, and the next test silently starts without the plans.
JOURNEY_DB = pytest.mark.django_db(transaction=True)
MIGRATION_DATA = (
    "eldercare.migrations.0002_ten_helps:load", "eldercare.migrations.0008_elder_categories:load",
    "compliance.migrations.0002_default_plans:load", "compliance.migrations.0003_rules_version_2:load",
    "compliance.migrations.0003_timeline:baselines", "reporting.migrations.0002_seed_rules:seed",
)
ALL_DAY = "00:00-23:59"  # open at any minute the test can run, except 23:59 itself (see ``open_all_day``)
OFFICE_HOURS = "08:00-17:00"


def _week(hours):
    return {f"hours_{day}": hours for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@pytest.fixture
def portal(city, alice, bob, rita):
    """Public records in street A (向阳街道) and B (南山街道) that every journey and the sweep can use.

    - 建设社区 (street A) has a centre whose activity area is 50 % of its total (F4 fails); 红旗社区 has none
      (F1 fails for street A and for 鸡冠区); 南山社区 (street B) has a centre that meets F3–F6.
    - An eldercare day-care centre open all day every day, a day-care centre that never opens, and an
      institution open all day (another kind, for the kind filter).
    - A volunteer team, a worker whose registration runs out within the warning window, and a
      special-difficulty elder not visited this month (so the clerk's to-do pages have rows).
    """
    import datetime
    import importlib
    from decimal import Decimal

    from django.apps import apps as django_apps

    from core.opening import local_now
    from eldercare.models import CareService, Elder, ElderCategory, Facility, FacilityKind, Ownership
    from facilities.models import Centre, Service
    from volunteers.models import CertificateLevel, ServiceField, Team, Worker, WorkerRole

    for entry in MIGRATION_DATA:
        module, function = entry.split(":")
        getattr(importlib.import_module(module), function)(django_apps, None)
    today = local_now().date()
    meeting, canteen = Service.objects.create(name="文体活动"), Service.objects.create(name="老年食堂")
    centre = Centre.objects.create(
        code="C0001", name="建设社区党群服务中心", community=city["community_a"], address="鸡冠区向阳街道建设路 12 号",
        total_area=Decimal("200"), activity_area=Decimal("100"), phone="0467-2345678", open_on_holidays=True,
        has_volunteer_station=True, latitude=45.30, longitude=130.97, **_week(OFFICE_HOURS),
    )
    centre.services.set([meeting, canteen])
    Centre.objects.create(
        code="C0002", name="南山社区党群服务中心", community=city["community_b"], address="鸡冠区南山街道南山路 8 号",
        total_area=Decimal("600"), activity_area=Decimal("420"), phone="0467-2345679", open_on_holidays=True,
        has_volunteer_station=True, latitude=45.31, longitude=130.98, **_week(OFFICE_HOURS),
    )
    helps = CareService.objects.filter(code__in=["meals", "medical", "recreation"])
    daycare = Facility.objects.create(
        code="Y0001", name="建设社区日间照料中心", kind=FacilityKind.DAYCARE, division=city["community_a"],
        address="鸡冠区向阳街道建设路 14 号", phone="0467-2345680", open_on_holidays=True, hours_holiday=ALL_DAY,
        latitude=45.301, longitude=130.971, **_week(ALL_DAY),
    )
    daycare.services.set(helps)
    Facility.objects.create(
        code="Y0002", name="红旗社区日间照料中心", kind=FacilityKind.DAYCARE, division=city["community_a2"],
        address="鸡冠区向阳街道红旗路 3 号", phone="0467-2345681", **_week(""),
    )
    Facility.objects.create(
        code="Y0003", name="鸡冠区敬老院", kind=FacilityKind.INSTITUTION, division=city["street_a"],
        address="鸡冠区向阳街道福寿路 1 号", phone="0467-2345682", beds=80, nursing_beds=50, ownership=Ownership.PUBLIC,
        open_on_holidays=True, hours_holiday=ALL_DAY, **_week(ALL_DAY),
    )
    team = Team.objects.create(
        code="T0001", name="建设社区红色志愿服务队", community=city["community_a"], party_backbone=True,
        member_count=18, leader="姚秀兰", phone="0467-2345683", meeting_place="建设社区党群服务中心",
    )
    team.fields.add(ServiceField.objects.create(name="助老服务"))
    Worker.objects.create(
        code="W0001", name="李红", workplace=city["community_a"], role=WorkerRole.COMMUNITY_WORKER, on_duty=True,
        level=CertificateLevel.ASSISTANT, certificate_number="S0000001",
        obtained_on=today - datetime.timedelta(days=3 * 365 - 30), registration_valid_until=today + datetime.timedelta(days=30),
        education_hours=Decimal("10"),
    )
    Elder.objects.create(
        code="L0001", name="王桂兰", community=city["community_a"], id_number="11010519491231002X", phone="13812345678",
    ).categories.set(ElderCategory.objects.filter(code=ElderCategory.Code.ALONE))
    return {"centre": centre, "daycare": daycare, "team": team, **city}


@pytest.fixture
def log_in(live_server):
    """``log_in(page, "alice")``: the page's browser signed in as that persona, on the page a sign-in leads to.

    The session is made as a sign-in makes it (``force_login``: a session row, ``last_login``, the login
    signals) and handed to the browser as its cookie: three page loads fewer than the form (tests/browser,
    ``-n 2``: 82–83 → 78 s). The login form itself — a person typing, a wrong password's Chinese message, the
    English page — is what tests/browser/test_login.py drives."""
    from django.conf import settings
    from django.shortcuts import resolve_url
    from django.test import Client

    from core.models import User

    def log_in(page, username):
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        page.goto(live_server.url + resolve_url(settings.LOGIN_REDIRECT_URL))
        return page

    return log_in

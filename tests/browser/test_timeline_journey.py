"""The reviewer prepares the mid-term evaluation: opens F3's trend, compares the 2023-06 snapshot with today and
downloads the 2023 report; the .docx's table is checked against the figures."""

import io
import re
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone
from docx import Document

from compliance import months, selectors, timeline
from compliance.timeline import TRACKED
from tests.browser.actions import navigate
from tests.browser.conftest import JOURNEY_DB

pytestmark = [pytest.mark.browser, JOURNEY_DB]


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(10)))


@pytest.fixture
def history(portal):
    """The portal's records since 2022-01; 南山社区's centre opened in 2023-09 (under construction before)."""
    from facilities.models import Centre

    for label in TRACKED:
        apps.get_model(label).history.model.objects.update(history_date=_at(date(2022, 1, 1)))
    centre = Centre.objects.get(code="C0002")
    history_model = Centre.history.model
    first = history_model.objects.get(id=centre.pk)
    first.status = "construction"
    first.save()
    centre._history_date = _at(date(2023, 9, 12))
    centre.total_area = Decimal("600")
    centre.save()
    # The year the journey evaluates (its trend row 2023-06, its mid-term report at 2023-12): every later month
    # stored too cost 20 s of this test's setup and showed nothing more.
    months.backfill(date(2023, 1, 1), date(2023, 12, 1))
    return portal


def test_the_reviewer_prepares_the_mid_term_evaluation(live_server, history, page, log_in, axe_check, screenshot):
    log_in(page, "rita")
    page.goto(live_server.url + "/compliance/")
    page.get_by_role("link", name="F3 每百户居民拥有社区综合服务设施面积").click()
    page.wait_for_url(re.compile(r"/compliance/trend/F3/"))
    city = page.locator("#trend-ALL")
    assert city.locator("svg[role=img]").count() == 1
    june = city.locator("tbody tr", has_text="2023-06")
    assert "未达标" in june.inner_text()
    axe_check(page)
    screenshot(page, "journey-reviewer-trend-f3", full_page=False)

    # An official snapshot of 2023-06 as the records stood then, then compared with today.
    page.goto(live_server.url + "/compliance/snapshots/")
    page.get_by_label("名称").fill("2023年6月")
    page.get_by_label("探访统计月份").fill("2023-06")
    page.get_by_label("按该月月末的记录").check()
    page.get_by_role("button", name="保存快照").click()
    page.get_by_role("alert").filter(has_text="已保存快照").wait_for()
    page.goto(live_server.url + "/compliance/snapshots/")
    page.get_by_role("link", name="与今天对比").click()
    page.wait_for_url(re.compile(r"/compliance/compare/"))
    f3 = page.locator("tbody tr", has_text="F3 每百户居民拥有社区综合服务设施面积").filter(has_text="全市")
    cells = f3.locator("td").all_inner_texts()
    _plan, targets = selectors.plan_in_force()
    then = timeline.evaluate(month=date(2023, 6, 1), targets=targets, parts=selectors.districts(), codes=["F3"])[0]
    assert cells[1] == str(then.total.rounded) and "↑ 上升" in cells[-1]
    page.get_by_label("只看有变化").check()
    navigate(page, page.get_by_role("button", name="对比"))
    assert page.locator("tbody tr").count() < 40
    axe_check(page)
    screenshot(page, "journey-reviewer-compare")

    # The 2023 mid-term report, built in the background, downloaded and read back.
    page.goto(live_server.url + "/compliance/reports/")
    page.get_by_label("评估").select_option("2023")
    axe_check(page)
    page.get_by_role("button", name="生成 Word").click()
    page.wait_for_url(re.compile(r"/compliance/jobs/\d+/"))
    assert page.locator(".job-state").inner_text() == "已完成"
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("下载 evaluation-2023-city-2023-12.docx")).click()
    document = Document(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells][:6] == ["指标", "属性", "基期值", "中期目标", "目标值", "当前值"]
    figures = {row.indicator.code: row.total for row in timeline.evaluate(
        month=date(2023, 12, 1), targets=targets, parts=selectors.districts())}
    shown = {row.cells[0].text.split()[0]: [cell.text for cell in row.cells] for row in table.rows[1:]}
    assert set(shown) == set(figures)
    for code, result in figures.items():
        expected = "无数据" if result.rounded is None else _plain(result.rounded)
        assert shown[code][5] == expected, code
    assert shown["F3"][7] in {True: ["已达标"], False: ["进度正常", "滞后"], None: ["不设目标", "无数据"]}[figures["F3"].passed]
    assert shown["S4"][2] == "124"  # the default plan's baseline (001: 持证社工达124人)
    assert any("截至2023年12月，全市" in paragraph.text for paragraph in document.paragraphs)


def _plain(number):
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text

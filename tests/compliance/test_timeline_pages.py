"""The timeline's pages: trends, any month in the matrix, comparisons, months, reports and background jobs."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from compliance import months, selectors, timeline
from compliance.models import Job, MonthRecord, Snapshot
from tests.compliance.test_timeline import at, backdate, save_at

MATRIX = reverse("compliance:matrix")


@pytest.fixture
def grown_city(city, make_centre):
    """Community C (district 2) got its centre in 2024-03; data from 2023-12."""
    centre = make_centre(city["community_c"], status="construction")
    backdate(at(date(2023, 12, 1)))
    centre.status = "operating"
    save_at(centre, at(date(2024, 3, 15)))
    return city


def test_matrix_as_of_a_month_shows_the_records_as_they_stood(grown_city, rita, as_user):
    client = as_user(rita)
    before = client.get(MATRIX, {"month": "2024-02", "as_of": "1"}).content.decode()
    after = client.get(MATRIX, {"month": "2024-03", "as_of": "1"}).content.decode()
    assert "2024-02 月末的记录" in before
    _plan, targets = selectors.plan_in_force()
    feb = timeline.evaluate(month=date(2024, 2, 1), targets=targets, parts=selectors.districts(), codes=["F1"])[0]
    mar = timeline.evaluate(month=date(2024, 3, 1), targets=targets, parts=selectors.districts(), codes=["F1"])[0]
    assert feb.parts[1].value == 0 and mar.parts[1].value == 100
    assert before != after


@pytest.mark.parametrize("month", ["2021-01", "2027-05"])
def test_matrix_for_a_month_outside_the_data_says_no_data_never_zero(grown_city, rita, as_user, month):
    page = as_user(rita).get(MATRIX, {"month": month, "as_of": "1"}).content.decode()
    assert "无数据：早于平台最早的记录，或尚未到来" in page
    assert "0.00" not in page and "未达标</span>" not in page


@pytest.mark.parametrize("month", ["2021-01", "2027-05"])
def test_matrix_on_todays_records_has_no_e5_figure_for_a_month_outside_the_data(grown_city, rita, as_user, month,
                                                                                make_elder):
    make_elder(grown_city["community_a"])
    page = as_user(rita).get(MATRIX, {"month": month}).content.decode()
    e5 = page[page.index("E5 特殊困难老年人月探访率"):]
    e5 = e5[:e5.index("</tr>")]
    assert "无数据" in e5 and "0.00" not in e5


def test_matrix_can_show_failing_indicators_only(grown_city, rita, as_user):
    page = as_user(rita).get(MATRIX, {"month": "2024-06", "failing": "1"}).content.decode()
    everything = as_user(rita).get(MATRIX, {"month": "2024-06"}).content.decode()
    assert page.count('scope="row" class="indicator-name"') < everything.count('scope="row" class="indicator-name"')
    assert "sticky-head" in page


def test_drill_down_as_of_a_month_lists_the_units_failing_then(grown_city, rita, as_user):
    url = reverse("compliance:drill", args=["F1", grown_city["district2"].code])
    feb = as_user(rita).get(url, {"month": "2024-02", "as_of": "1"}).content.decode()
    mar = as_user(rita).get(url, {"month": "2024-03", "as_of": "1"}).content.decode()
    assert grown_city["community_c"].name in feb
    assert "没有运营中的社区综合服务设施" in feb and "没有运营中的社区综合服务设施" not in mar


def test_trend_page_draws_stored_months_with_target_and_baseline_and_a_table(grown_city, rita, as_user):
    months.backfill(date(2023, 12, 1), date(2024, 4, 1))
    page = as_user(rita).get(reverse("compliance:trend", args=["F1"])).content.decode()
    assert "<svg" in page and "目标 ≥ 100" in page
    assert "2024-02" in page and "2024-03" in page
    yearly = as_user(rita).get(reverse("compliance:trend", args=["S4"]), {"by": "year"}).content.decode()
    assert "基期 2020：124" in yearly  # the default plan's baseline from 001
    # Districts year by year in a table; one district's own chart on request.
    assert page.count("<svg") == 1 and "trend-districts" in page
    district = grown_city["district2"]
    one = as_user(rita).get(reverse("compliance:trend", args=["F1"]), {"division": district.code}).content.decode()
    assert one.count("<svg") == 2 and f'id="trend-{district.code}"' in one


def test_trend_page_query_count_does_not_grow_with_the_months(grown_city, rita, as_user):
    client = as_user(rita)
    url = reverse("compliance:trend", args=["F1"])
    months.backfill(date(2023, 12, 1), date(2024, 1, 1))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    months.backfill(date(2024, 2, 1), date(2024, 10, 1))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 10


def test_clerks_cannot_open_city_trends_but_see_their_streets_own(grown_city, alice, as_user):
    months.backfill(date(2024, 1, 1), date(2024, 2, 1))
    client = as_user(alice)
    assert client.get(reverse("compliance:trend", args=["F1"])).status_code == 403
    page = client.get(reverse("compliance:street", args=[grown_city["street_a"].code])).content.decode()
    assert "本街道趋势" in page and "street-trend" in page


def test_snapshot_of_a_past_month_compares_with_today_showing_old_new_change_and_direction(grown_city, rita, as_user):
    client = as_user(rita)
    client.post(reverse("compliance:snapshots"), {"name": "2024-02 快照", "month": "2024-02", "as_of": "1"})
    snapshot = Snapshot.objects.get()
    assert snapshot.data["F1"][grown_city["district2"].code]["value"] == "0.00"
    page = client.get(reverse("compliance:compare"), {"a": f"snapshot:{snapshot.pk}", "b": "today"}).content.decode()
    assert "↑ 上升" in page and "+100.00" in page
    changed = client.get(reverse("compliance:compare"), {"a": f"snapshot:{snapshot.pk}", "b": "today", "changed": "1"})
    assert changed.content.decode().count("<tr>") < page.count("<tr>")
    by_month = client.get(reverse("compliance:compare"), {"a": f"snapshot:{snapshot.pk}", "b_month": "2024-02"})
    assert "= 不变" in by_month.content.decode() and "↑ 上升" not in by_month.content.decode()


def test_backfill_runs_as_a_job_with_progress_and_stores_the_months(
    grown_city, rita, as_user, django_capture_on_commit_callbacks
):
    client = as_user(rita)
    assert not MonthRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("compliance:months"), {"first": "2023-11", "last": "2024-03"})
    job = Job.objects.get()
    assert response.url == reverse("compliance:job", args=[job.pk])
    assert job.state == Job.State.DONE and job.done == job.total == 5
    assert list(MonthRecord.objects.values_list("month", flat=True)) == [
        date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1),
    ]
    assert "100%" in client.get(response.url).content.decode()


def test_the_mid_term_report_is_a_word_document_whose_table_matches_the_figures(
    grown_city, rita, as_user, django_capture_on_commit_callbacks
):
    months.backfill(date(2023, 12, 1), date(2024, 6, 1))
    client = as_user(rita)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("compliance:report_start"), {"year": "2025", "month": "2024-06", "format": "docx"})
    job = Job.objects.get()
    assert job.state == Job.State.DONE, job.message
    download = client.get(reverse("compliance:job_download", args=[job.pk]))
    assert response.status_code == 302 and download["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(download.content))
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["指标", "属性", "基期值", "中期目标", "目标值", "当前值", "进度", "评价"]
    _plan, targets = selectors.plan_in_force()
    rows = timeline.evaluate(month=date(2024, 6, 1), targets=targets, parts=selectors.districts())
    shown = {row.cells[0].text.split()[0]: row.cells for row in table.rows[1:]}
    for row in rows:
        current = shown[row.indicator.code][5].text
        assert current == ("无数据" if row.total.rounded is None else _plain(row.total.rounded)), row.indicator.code
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "截至2024年6月，全市4 个城市社区中" in text


def test_the_report_workbook_has_a_sheet_per_district_failing_units_and_print_setup(
    grown_city, rita, as_user, django_capture_on_commit_callbacks
):
    client = as_user(rita)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("compliance:report_start"), {"year": "2023", "month": "2024-02", "format": "xlsx"})
    job = Job.objects.get()
    book = load_workbook(io.BytesIO(bytes(Job.objects.get(pk=job.pk).content)))
    assert book.sheetnames[0] == "总表" and "未达标单位" in book.sheetnames and "说明" in book.sheetnames
    assert grown_city["district"].name in book.sheetnames and grown_city["district2"].name in book.sheetnames
    assert book["总表"].page_setup.orientation == "landscape" and book["总表"].print_title_rows == "$4:$4"
    failing = [row[2] for row in book["未达标单位"].iter_rows(min_row=2, values_only=True) if row[0] == "F1"]
    assert any(grown_city["community_c"].name in label for label in failing)


def test_the_printable_report_has_the_table_and_no_navigation(grown_city, rita, as_user):
    page = as_user(rita).get(reverse("compliance:reports"), {"year": "2023", "month": "2024-03"}).content.decode()
    assert "report-print.css" in page and "print-header" in page and "<nav" not in page
    assert "中期评估" in page and "进度" in page


def test_reports_and_jobs_are_for_the_bureau_only(grown_city, alice, as_user):
    client = as_user(alice)
    assert client.get(reverse("compliance:reports")).status_code == 403
    assert client.post(reverse("compliance:report_start"), {"year": "2023"}).status_code == 403
    assert client.get(reverse("compliance:months")).status_code == 403


def _plain(number):
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text

"""The timeline's benchmark (issue 14): a city with 60 months of audit history, then the month, backfill,
trend-page and report timings.

``bench.generate`` writes today's records with ``bulk_create`` and no history. ``add_history`` gives them a
past in SQL: divisions exist from the first month; seven in ten records from then and the rest arrive month
by month; one centre in five was under construction and opened later (a second history row); elders were
visited in nine months out of ten before the twelve months the generator already has. Every visit's history
row is dated on its day.
"""

import statistics
import sys
import time
from datetime import date

from bench import django_side

HISTORY_MONTHS = 60
GOALS = {"month_s": 3.0, "trend_ms": 150.0, "report_s": 10.0}


def _first_month(today):
    month = date(today.year, today.month, 1)
    for _ in range(HISTORY_MONTHS):
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    return month


def add_history(database_url):
    django_side.setup(database_url)
    from django.apps import apps
    from django.db import connection
    from django.utils import timezone

    from compliance.timeline import TRACKED

    today = timezone.localdate()
    start = _first_month(today)
    started = time.perf_counter()
    if apps.get_model("core.Division").history.model.objects.exists():
        return {"history_seconds": 0, "first_month": f"{start:%Y-%m}", "note": "history already there"}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Visits before the generator's twelve months: nine months out of ten for each elder.
        cursor.execute(
            "INSERT INTO eldercare_visit (created_at, updated_at, version, elder_id, visited_on, visitor, method, note) "
            "SELECT now(), now(), 1, e.id, (%s::date + make_interval(months => m) + ((e.id * 7 + m) %% 28) "
            "* interval '1 day')::date, '探访员', CASE WHEN m %% 3 = 0 THEN 'phone' ELSE 'in_person' END, '' "
            "FROM eldercare_elder e, generate_series(0, %s) m WHERE (e.id * 31 + m * 17) %% 10 <> 0",
            [start, HISTORY_MONTHS - 13],
        )
        for label in TRACKED:
            model = apps.get_model(label)
            table, history = model._meta.db_table, model.history.model._meta.db_table
            columns = [field.column for field in model._meta.concrete_fields]
            names = ", ".join(quote(column) for column in columns)
            if label == "core.Division":
                when = "%(start)s::timestamptz"
            elif label == "eldercare.Visit":
                when = "visited_on + interval '18 hours'"
            else:
                when = ("CASE WHEN id %% 10 < 7 THEN %(start)s::timestamptz "
                        "ELSE %(start)s::timestamptz + make_interval(months => (id %% 60)::int) END")
            values = names
            if label == "facilities.Centre":
                values = ", ".join("CASE WHEN id % 5 = 0 THEN 'construction' ELSE status END" if column == "status"
                                   else quote(column) for column in columns).replace("%", "%%")
            into = f"INSERT INTO {quote(history)} ({names}, history_date, history_type, history_change_reason) "
            # Names from the models' own metadata, values as parameters.
            created = f"SELECT {values}, {when}, '+', NULL FROM {quote(table)}"  # noqa: S608  # nosec B608
            cursor.execute(into + created, {"start": f"{start} 00:00+08"})
            if label == "facilities.Centre":
                opened = (
                    f"SELECT {names}, %(start)s::timestamptz + make_interval(months => (id %% 48)::int + 1, days => 9), "  # noqa: S608
                    f"'~', NULL FROM {quote(table)} WHERE id %% 5 = 0"  # nosec B608
                )
                cursor.execute(into + opened, {"start": f"{start} 00:00+08"})
        cursor.execute("VACUUM ANALYZE")
    return {"history_seconds": round(time.perf_counter() - started, 2), "first_month": f"{start:%Y-%m}"}


def _clone_months(start, last, source):
    """The stored month ``source`` copied to every other month (the trend page reads stored figures only)."""
    from django.db import connection

    from compliance import timeline
    from compliance.models import MonthRecord

    with connection.cursor() as cursor:
        for month in timeline.months_between(start, last):
            if month == source.month:
                continue
            MonthRecord.objects.filter(month=month).delete()
            copy = MonthRecord.objects.create(
                month=month, plan=source.plan, plan_name=source.plan_name, rules_version=source.rules_version,
                source=source.source, computed_at=source.computed_at,
            )
            cursor.execute(
                "INSERT INTO compliance_monthfigure (record_id, indicator, level, division_code, division_name, "
                "numerator, denominator, value, target, comparator, passed) SELECT %s, indicator, level, "
                "division_code, division_name, numerator, denominator, value, target, comparator, passed "
                "FROM compliance_monthfigure WHERE record_id = %s", [copy.pk, source.pk],
            )
        cursor.execute("ANALYZE compliance_monthfigure")


def measure(database_url, *, runs=7, backfill=True, report=True):
    """One past month from history, the 60-month backfill, the trend page and the city report (.docx).

    Without ``backfill`` (4×) one month is computed from history and copied to the other 59.
    """
    django_side.setup(database_url)
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from compliance import months, report_files, reports, selectors, timeline
    from compliance.models import MonthRecord
    from core.models import User

    today = timezone.localdate()
    start = _first_month(today)
    result = {}
    _plan, targets = selectors.plan_in_force()
    middle = date(start.year + 2, start.month, 1)
    months.compute(middle, targets=targets)  # warm-up: imports, compiled queries
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        months.compute(middle, targets=targets)
        times.append(time.perf_counter() - t0)
    result["month_s"] = round(statistics.median(times), 2)
    result["month_min_s"] = round(min(times), 2)
    last = timeline.months_between(start, today)[-2]
    if backfill:
        t0 = time.perf_counter()
        months.backfill(start, last, progress=lambda done, total, month: sys.stderr.write(f"  [{done}/{total}]\r"))
        result["backfill_s"] = round(time.perf_counter() - t0, 1)
        result["backfill_months"] = len(timeline.months_between(start, last))
    elif not MonthRecord.objects.filter(month__gte=start).count() >= HISTORY_MONTHS - 1:
        _clone_months(start, last, months.record(middle))
        result["stored_copies_of_one_month"] = True
    result["stored_months"] = MonthRecord.objects.count()
    client = Client()
    client.force_login(User.objects.get(username="bench-reviewer"))
    url = reverse("compliance:trend", args=["F3"])
    client.get(url)
    times = []
    for _ in range(runs):
        cache.clear()
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    result.update({"trend_ms": round(statistics.median(times), 1), "trend_min_ms": round(min(times), 1),
                   "trend_queries": len(queries.captured_queries), "trend_runs": runs})
    if report:
        t0 = time.perf_counter()
        content = report_files.docx(reports.build(year=2023, district="", month="", format="docx"))
        result["report_s"] = round(time.perf_counter() - t0, 2)
        result["report_bytes"] = len(content)
    return result


def rows(results):
    """``[(what, measured, goal, pass/FAIL)]`` for the report."""
    out = []
    for label, found in results.items():
        if "month_s" in found:
            out.append((f"一个过去月份按历史计算 @{label}", f"{found['month_s']} s (median of 3, min {found['month_min_s']})",
                        f"< {GOALS['month_s']:g} s @1×", "pass" if found["month_s"] < GOALS["month_s"] else "FAIL"))
        if "backfill_s" in found:
            out.append((f"补算 {found['backfill_months']} 个月 @{label}", f"{found['backfill_s']} s (background task)",
                        "runs in the background", "—"))
        out.append((f"趋势页 F3 {found['stored_months']} 个月 @{label}",
                    f"{found['trend_ms']} ms (median of {found['trend_runs']}, min {found['trend_min_ms']}), "
                    f"{found['trend_queries']} queries", f"< {GOALS['trend_ms']:g} ms",
                    "pass" if found["trend_ms"] < GOALS["trend_ms"] else "FAIL"))
        if "report_s" in found:
            out.append((f"评估报告 .docx 全市 @{label}", f"{found['report_s']} s", f"< {GOALS['report_s']:g} s @1×",
                        "pass" if found["report_s"] < GOALS["report_s"] else "FAIL"))
    return out

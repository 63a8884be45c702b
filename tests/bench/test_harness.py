"""The harness's own parts that need no server: wrk parsing, the table, the bare view."""

import pytest

from bench.report import Row, _width, table
from bench.server import parse_wrk

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/healthz
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.21ms    1.02ms  20.11ms   90.00%
    Req/Sec     1.90k   120.00     2.10k    70.00%
  18950 requests in 10.00s, 3.01MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 2
Requests/sec:   1894.72
Transfer/sec:    307.21KB
"""


def test_wrk_report_gives_rate_latency_and_errors():
    result = parse_wrk(WRK_OUTPUT)
    assert result == {"rps": 1894.72, "latency_ms": 4.21, "requests": 18950, "errors": 5}


def test_wrk_report_without_a_rate_is_refused():
    with pytest.raises(ValueError, match="Requests/sec"):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused")


def test_table_lines_up_chinese_labels():
    lines = table([Row("首页 @1×", "900 req/s = 60%", "≥ 50% of bare", "pass"), Row("x", "y", "z", "FAIL")]).splitlines()
    assert lines[0].startswith("figure")
    # A CJK character takes two terminal columns: the separators fall in the same columns on every row.
    columns = [[_width(line[:i]) for i, char in enumerate(line) if char == "|"] for line in (lines[0], lines[2], lines[3])]
    assert columns[0] == columns[1] == columns[2]
    assert lines[2].endswith("pass") and lines[3].endswith("FAIL")


@pytest.mark.django_db
def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain"


def test_each_page_is_compared_with_the_bare_view_measured_just_before_and_after_it(monkeypatch):
    """The machine's speed drifts: a slow stretch must slow a page's baseline too, not only the page."""
    from bench import loads
    from bench import rows as bench_rows

    rates = iter([2000, 600, 1800, 1000, 1000])  # bare, page A, bare, page B, bare
    monkeypatch.setattr(loads, "get_status", lambda url: 200)
    monkeypatch.setattr(loads, "wrk", lambda url, seconds, **_: {"rps": 1 if seconds == 1 else next(rates), "errors": 0})
    monkeypatch.setattr(loads, "_say", lambda *args: None)
    resolved = {"targets": [
        {"label": "bare", "candidates": ["/healthz"], "reason": ""},
        {"label": "A", "candidates": ["/a/"], "reason": ""},
        {"label": "B", "candidates": ["/b/"], "reason": ""},
    ]}
    args = type("Args", (), {"duration": 10, "rounds": 1, "threads": 1, "connections": 8})
    baseline, pages, runs, results = loads.throughput("http://127.0.0.1:1", resolved, args)
    assert [run["rps"] for run in runs] == [2000, 1800, 1000]
    compliance = {1.0: {"available": False, "reason": "-"}, 4.0: {"available": False, "reason": "-"}}
    rows = bench_rows.rows([(1.0, "x"), (4.0, "y")], {1.0: (resolved, baseline, pages, runs, results),
                                                    4.0: (resolved, baseline, pages, runs, results)}, compliance, None)
    by_figure = {row.figure.split(" ")[0]: row for row in rows[:3]}
    assert by_figure["bare"].value == "1600 req/s (mean of 3 runs, 1000–2000)"
    assert by_figure["A"].value == "600 req/s = 32% of 1900" and by_figure["A"].result == "FAIL"
    assert by_figure["B"].value == "1000 req/s = 71% of 1400" and by_figure["B"].result == "pass"


def test_a_page_s_share_is_the_median_of_its_rounds_each_between_two_bare_runs(monkeypatch):
    """One slow stretch during one of a page's runs does not make its figure: the median of three rounds does."""
    from bench import loads
    from bench import rows as bench_rows

    # bare, then page A and bare three times: A's rounds are 100/1000, 30/1000 (a stall), 110/1000.
    rates = iter([1000, 100, 1000, 30, 1000, 110, 1000])
    monkeypatch.setattr(loads, "get_status", lambda url: 200)
    monkeypatch.setattr(loads, "wrk", lambda url, seconds, **_: {"rps": 1 if seconds == 1 else next(rates),
                                                               "errors": 0})
    monkeypatch.setattr(loads, "_say", lambda *args: None)
    resolved = {"targets": [{"label": "bare", "candidates": ["/healthz"], "reason": ""},
                            {"label": "A", "candidates": ["/a/"], "reason": ""}]}
    args = type("Args", (), {"duration": 4, "rounds": 3, "threads": 1, "connections": 8})
    baseline, pages, runs, results = loads.throughput("http://127.0.0.1:1", resolved, args)
    assert len(runs) == 4  # the bare view before A and after each of its rounds
    assert results["A"]["shares"] == [0.1, 0.03, 0.11]
    assert results["A"]["share"] == 0.1
    row = bench_rows._share_rows([(1.0, "x")], {1.0: (resolved, baseline, pages, runs, results)}, 0.1, "")[1]
    assert row.value == "100 req/s = 10% of 1000 (median of 3: 3%–11%)" and row.result == "pass"


def test_uncached_pages_are_judged_on_their_share_queries_and_bytes_against_1x():
    """The big city: the same share of the bare view (±30 %), no more queries, at most 1.5× the bytes."""
    from bench import rows as bench_rows

    def uncached(share_a, share_b):
        targets = [{"label": "bare", "url": "/healthz"}, {"label": "A", "url": "/a/"}, {"label": "B", "url": "/b/"}]
        results = {"A": {"rps": share_a * 100, "bare_rps": 100, "share": share_a, "errors": 0},
                   "B": {"rps": share_b * 100, "bare_rps": 100, "share": share_b, "errors": 0}}
        return ({"targets": targets}, targets[0], targets[1:], [{"rps": 100}], results)

    pages = {
        1.0: {"/a/": {"queries": 7, "bytes": 18000, "median_ms": 50, "runs": 15},
              "/b/": {"queries": 3, "bytes": 5000, "median_ms": 20, "runs": 15}},
        40.0: {"/a/": {"queries": 7, "bytes": 18500, "median_ms": 55, "runs": 15},
               "/b/": {"queries": 4, "bytes": 9000, "median_ms": 90, "runs": 15}},
    }
    rows = bench_rows._scaling_rows([(1.0, "x"), (40.0, "y")], {1.0: uncached(0.12, 0.20), 40.0: uncached(0.11, 0.10)}, pages)
    result = {row.figure: row.result for row in rows}
    assert result["A uncached share 40× vs 1×"] == "pass"  # 11 % against 12 %
    assert result["A queries 40× vs 1×"] == "pass" and result["A bytes 40× vs 1×"] == "pass"
    assert result["B uncached share 40× vs 1×"] == "FAIL"  # half the share at 40×
    assert result["B queries 40× vs 1×"] == "FAIL" and result["B bytes 40× vs 1×"] == "FAIL"


def _one_run(targets, shares):
    """One scale's loads as ``_share_rows`` reads them: each page at ``shares[label]`` of a bare view of 100 req/s."""
    results = {label: {"rps": share * 100, "bare_rps": 100, "share": share, "errors": 0} for label, share in shares.items()}
    return ({"targets": targets}, targets[0], targets[1:], [{"rps": 100}], results)


def test_the_layout_only_page_is_reported_for_reading_and_never_judged():
    """``bench/urls.py``'s page (the site's layout, no query) shows the ceiling; it passes or fails nothing."""
    from bench import rows as bench_rows

    targets = [{"label": "bare", "url": "/healthz"}, {"label": "A", "url": "/a/"},
               {"label": "layout", "url": "/bench/layout/", "reference": True}]
    run = _one_run(targets, {"A": 0.05, "layout": 0.43})
    shares = {row.figure: (row.value, row.result) for row in bench_rows._share_rows([(1.0, "x")], {1.0: run}, 0.5, "")}
    assert shares["layout @1× /bench/layout/"] == ("43 req/s = 43% of 100", "—")
    assert shares["A @1× /a/"][1] == "FAIL"
    pages = {factor: {"/a/": {"queries": 3, "bytes": 100, "median_ms": 5, "runs": 3},
                      "/bench/layout/": {"queries": 0, "bytes": 50, "median_ms": 1, "runs": 3}} for factor in (1.0, 40.0)}
    scaling = bench_rows._scaling_rows([(1.0, "x"), (40.0, "y")], {1.0: run, 40.0: run}, pages)
    assert [row.figure for row in scaling if row.figure.startswith("layout")] == []
    assert any(row.figure.startswith("A uncached share") for row in scaling)


def test_the_layout_only_page_is_served_by_the_benchmark_settings_alone(client, settings):
    from django.urls import NoReverseMatch, reverse

    with pytest.raises(NoReverseMatch):
        reverse("bench_layout")  # not a page of the site
    settings.ROOT_URLCONF = "bench.urls"
    response = client.get(reverse("bench_layout"))
    assert response.status_code == 200 and "跳到正文" in response.content.decode()


def test_a_page_under_saves_is_compared_with_its_quiet_throughput():
    from bench import rows as bench_rows

    saves = {1.0: {"列表": {"url": "/l/", "quiet": {"rps": 100, "errors": 0}, "busy": {"rps": 55, "errors": 0},
                          "saves": {"saves": 100, "seconds": 20.0}}},
             40.0: {"列表": {"url": "/l/", "quiet": {"rps": 100, "errors": 0}, "busy": {"rps": 45, "errors": 0},
                           "saves": {"saves": 100, "seconds": 20.0}}}}
    rows = bench_rows._saves_rows([(1.0, "x"), (40.0, "y")], saves)
    assert [row.result for row in rows] == ["pass", "FAIL"]
    assert rows[0].value == "55 req/s = 55% of 100 quiet (100 saves in 20.0 s)"


def _import_figures(create, update, *, read=7.0, peak=None):
    return {"figures": {"ratio": max(create, update) / read, "peak_mb": peak,
                        "create": {"read": read, "import": create, "ratio": round(create / read, 2)},
                        "update": {"read": read, "import": update, "ratio": round(update / read, 2)}}}


def test_the_province_sized_import_is_judged_on_its_ratio_memory_and_the_big_city_against_an_empty_one():
    from bench import rows as bench_rows

    scales = [(1.0, "x"), (40.0, "y")]
    province = {"empty": _import_figures(27.0, 25.0, peak=171.1), "big": _import_figures(30.0, 31.0)}
    rows = bench_rows._province_import_rows(province, scales)
    assert [row.result for row in rows] == ["pass", "FAIL", "pass", "FAIL"]  # 31 ÷ 7 > 4; update 31 ÷ 25 > 1.2
    assert rows[3].value == "create × 1.11, update × 1.24"
    province["empty"]["figures"]["peak_mb"] = 512.0
    assert bench_rows._province_import_rows(province, scales)[2].result == "FAIL"
    failed = bench_rows._province_import_rows({"empty": {"error": "exit 1: …"}, "big": province["big"]}, scales)
    assert [(row.value, row.result) for row in failed] == [("exit 1: …", "FAIL")]


def test_a_page_that_keeps_no_page_is_judged_only_with_the_uncached_pages():
    """Search and near me keep no page: the page-cache goal (≥ 50 %) is not theirs; the uncached one (≥ 10 %) is."""
    from bench import rows as bench_rows

    targets = [{"label": "bare", "url": "/healthz"}, {"label": "kept", "url": "/k/"},
               {"label": "search", "url": "/search/?q=x", "page_cached": False}]
    run = _one_run(targets, {"kept": 0.2, "search": 0.12})
    results = run[-1]
    cached = {row.figure: (row.goal, row.result) for row in bench_rows._share_rows([(1.0, "x")], {1.0: run}, 0.5, "")}
    assert cached["kept @1× /k/"] == ("≥ 50% of bare", "FAIL")
    assert cached["search @1× /search/?q=x"][1] == "—"
    uncached = {row.figure: row.result for row in bench_rows._share_rows(
        [(1.0, "x")], {1.0: run}, 0.1, " uncached", page_cache=False)}
    assert uncached["search @1× uncached /search/?q=x"] == "pass"
    results["search"]["share"] = 0.05
    uncached = {row.figure: row.result for row in bench_rows._share_rows(
        [(1.0, "x")], {1.0: run}, 0.1, " uncached", page_cache=False)}
    assert uncached["search @1× uncached /search/?q=x"] == "FAIL"


#: The decorators that keep a rendered response: a public page's, and the open-data API's (per data version).
KEEPERS = {"cache_public_page.<locals>.wrapped", "api_view.<locals>.wrapped"}


def _keeps_pages(view):
    """Whether a decorator that keeps the response (``KEEPERS``) wraps the view, anywhere in its chain."""
    while view is not None:
        if view.__code__.co_qualname in KEEPERS:
            return True
        view = getattr(view, "__wrapped__", None)
    return False


@pytest.mark.parametrize("target", [t for t in __import__("bench.targets").targets.TARGETS if not t.reference],
                         ids=lambda target: target.url_name)
def test_each_public_page_s_page_cached_flag_is_what_its_view_does(target):
    """The benchmark's ``page_cached`` decides which goal a page meets: it must say what the view really does."""
    from django.urls import resolve, reverse

    url = reverse(target.url_name, args=[1] if target.detail_of else [])
    assert _keeps_pages(resolve(url).func) is target.page_cached

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

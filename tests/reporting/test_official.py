"""An approved month's official figures on every page that shows the month: the clerk's, the district's and the
city's matrix, drill-downs, street pages and exports; roll-ups sum numerators and denominators."""

import datetime
import io
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance import selectors
from compliance.kinds import Context
from core.models import Kind
from facilities.models import Centre
from reporting import services
from reporting.models import Period
from tests.facilities.conftest import make_centre
from tests.personas import _user, make_division

JUNE = datetime.date(2025, 6, 1)
MATRIX = "/compliance/?month=2025-06"


def _approve(clerk, reviewer, street, month=JUNE):
    period = services.get_period(street, month)
    services.submit(user=clerk, period=period)
    return services.approve(user=reviewer, period=period)


@pytest.fixture
def june(city, alice, dora):
    """Street A's June approved with one 600 m² centre (F3 = 600 × 100 ÷ 1,800 = 33.33); street B has a 300 m²
    centre and is not approved; then street A's centre grows to 1,800 m² (a later edit)."""
    centre = make_centre(city["community_a"], "SQ-A1")
    make_centre(city["community_b"], "SQ-B1", total_area=300, activity_area=200)
    _approve(alice, dora, city["street_a"])
    Centre.objects.filter(pk=centre.pk).update(total_area=1800)
    return centre


def _row(rows, code):
    return next(row for row in rows if row.indicator.code == code)


def _part(row, division):
    return next(result for result in row.parts if result.division.pk == division.pk)


def test_city_board_rolls_up_frozen_and_live_streets_by_summing_numerators_and_denominators(city, june):
    _plan, targets = selectors.plan_in_force()
    rows = selectors.city_board(ctx=Context(month=JUNE), targets=targets)
    f3 = _part(_row(rows, "F3"), city["district"])
    # Street A as approved (600 m², 1,800 households), street B today (300 m², 1,200), the town (0 m², 300).
    assert f3.value == Fraction((600 + 300) * 100, 1800 + 1200 + 300)
    assert str(f3.rounded) == "27.27"  # the mean of the streets' figures (33.33, 25, 0) would be 19.44
    assert (f3.basis.streets, f3.basis.approved, f3.basis.changed) == (3, 1, True)
    assert str(f3.basis.now.rounded) == "63.64"  # today's records: (1,800 + 300) × 100 ÷ 3,300
    f1 = _part(_row(rows, "F1"), city["district"])
    assert f1.value == Fraction(200, 3)  # 1 of street A's 2 communities (frozen) + 1 of street B's 1: 2 of 3
    assert f1.basis.changed is False
    city_f3 = _row(rows, "F3").total
    assert city_f3.value == Fraction(900 * 100, 3300 + 900)
    other = _part(_row(rows, "F3"), city["district2"])
    assert (other.basis.streets, other.basis.approved, other.basis.changed) == (1, 0, False)


def test_a_month_without_approvals_is_todays_figures(city, june):
    _plan, targets = selectors.plan_in_force()
    rows = selectors.city_board(ctx=Context(month=datetime.date(2025, 7, 1)), targets=targets)
    f3 = _part(_row(rows, "F3"), city["district"])
    assert f3.value == Fraction((1800 + 300) * 100, 3300) and not hasattr(f3, "basis")


def test_official_and_live_figures_agree_when_nothing_changed(city, alice, dora):
    """Formed street by street, the roll-up gives exactly the engine's own figures while nothing was edited."""
    make_centre(city["community_a"], "SQ-A1")
    make_centre(city["community_b"], "SQ-B1", total_area=300, activity_area=100)
    _plan, targets = selectors.plan_in_force()
    ctx = Context(month=JUNE)
    live = selectors.city_board(ctx=ctx, targets=targets, official=False)
    _approve(alice, dora, city["street_a"])
    official = selectors.city_board(ctx=ctx, targets=targets)
    for before, after in zip(live, official, strict=True):
        for one, other in zip((before.total, *before.parts), (after.total, *after.parts), strict=True):
            assert (one.value, one.passed) == (other.value, other.passed), before.indicator.code
            assert other.basis.changed is False


def test_city_matrix_keeps_the_approved_figures_and_says_changed_after_approval(city, june, as_user, rita):
    page = as_user(rita).get(MATRIX).content.decode()
    assert 'id="official-figures"' in page and "4 个街道中 1 个已审核通过" in page
    f3_row = page[page.index("F3 "):page.index("F4 ")]
    assert "27.27" in f3_row and "审核后修改" in f3_row and "现为 63.64" in f3_row
    head = page[page.index("<thead"):page.index("</thead>")]
    assert "1/3 个街道已审核" in head  # each district's column says how much of it is official
    assert "0/1 个街道已审核" in head and "未审核 · 当前数据" not in head  # 鸡东县: a district, not a street
    july = as_user(rita).get("/compliance/?month=2025-07").content.decode()
    assert "27.27" not in july and "审核后修改" not in july and 'id="live-figures"' in july


def test_district_matrix_marks_each_street_official_or_live(city, june, as_user, dora):
    page = as_user(dora).get(MATRIX).content.decode()
    head = page[page.index("<thead"):page.index("</thead>")]
    assert head.index("向阳街道") < head.index("已审核 · 正式数据") < head.index("南山街道") < head.index("未审核 · 当前数据")
    f3_row = page[page.index("F3 "):page.index("F4 ")]
    assert "33.33" in f3_row and "现为 100.00" in f3_row  # street A as approved, and what it is today
    assert "25.00" in f3_row  # street B: today's records


def test_clerk_matrix_street_page_drill_and_export_read_the_official_figures(city, june, as_user, alice, rita):
    assert "33.33" in as_user(alice).get(MATRIX).content.decode()
    street = as_user(rita).get("/compliance/street/230302001000/?month=2025-06").content.decode()
    assert "33.33" in street and "审核后修改" in street and 'id="official-figures"' in street
    drill = as_user(rita).get("/compliance/indicator/F3/230302000000/?month=2025-06").content.decode()
    assert "27.27" in drill and "33.33" in drill and 'id="units-today"' in drill
    from openpyxl import load_workbook

    content = as_user(rita).get("/compliance/export.xlsx?month=2025-06").content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[4]
    f3 = {row[2]: dict(zip(header, row, strict=True)) for row in rows[5:] if row[0] == "F3"}
    assert f3["230302000000"]["数值"] == pytest.approx(27.27, abs=0.005)
    assert f3["230302000000"]["数据来源"] == "1/3 个街道为审核通过的正式数据，其余为当前记录；审核后修改，按当前记录现为 63.64"
    assert f3["230321000000"]["数据来源"] == "当前记录（未审核）"
    july = as_user(rita).get("/compliance/export.xlsx?month=2025-07").content
    assert all(row[11] in ("", None) for row in list(load_workbook(io.BytesIO(july)).active.iter_rows(values_only=True))[5:])


def test_the_csv_export_of_the_month_is_official(city, june):
    out = io.StringIO()
    call_command("export_compliance", month="2025-06", stdout=out)
    assert "F3,230302000000,27.27," in out.getvalue()


def test_accepted_stays_official_and_reopened_is_live_again(city, june, alice, dora, rita):
    _plan, targets = selectors.plan_in_force()
    period = Period.objects.get(street=city["street_a"], month=JUNE)
    services.accept(user=rita, period=period)
    rows = selectors.city_board(ctx=Context(month=JUNE), targets=targets)
    f3 = _part(_row(rows, "F3"), city["district"])
    assert (str(f3.rounded), f3.basis.accepted) == ("27.27", 1)
    services.reopen(user=dora, period=period, note="面积更正")
    rows = selectors.city_board(ctx=Context(month=JUNE), targets=targets)
    assert str(_part(_row(rows, "F3"), city["district"]).rounded) == "63.64"


def _grow(city, count):
    """More streets, each approved for June and for the months around it."""
    reviewer = _user(f"grow{count}", "district", city["district"])
    for number in range(count):
        street = make_division(f"23030210{number}000", f"新街道{number}", Kind.STREET, city["district"])
        community = make_division(f"23030210{number}001", f"新社区{number}", Kind.COMMUNITY, street,
                                  households=100, population=300, population_60plus=50)
        make_centre(community, f"SQ-N{number}")
        clerk = _user(f"clerk{count}-{number}", "clerk", street)
        for month in (datetime.date(2025, 5, 1), JUNE, datetime.date(2025, 7, 1)):
            _approve(clerk, reviewer, street, month)


PAGES = [MATRIX, "/compliance/indicator/F3/230302000000/?month=2025-06",
         "/compliance/street/230302001000/?month=2025-06", "/compliance/export.xlsx?month=2025-06"]


@pytest.mark.parametrize(("persona", "url"), [
    *[("rita", url) for url in PAGES], *[("dora", url) for url in PAGES],
    *[("alice", url) for url in PAGES if "indicator/F3/230302000000" not in url],  # a clerk can't open the district
])
def test_official_pages_query_count_does_not_grow_with_streets_or_periods(city, june, as_user, alice, dora, rita,
                                                                          persona, url):
    client = as_user({"rita": rita, "dora": dora, "alice": alice}[persona])
    counts = []
    for grow in (0, 4):
        _grow(city, grow)
        assert client.get(url).status_code == 200  # warm: compiled queries, cached public parts
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    assert Period.objects.filter(status="approved").count() == 1 + 4 * 3
    assert counts[0] == counts[1], counts


def test_the_period_page_names_the_record_changed_after_approval(city, june, as_user, dora):
    centre = Centre.objects.get(pk=june.pk)
    centre.total_area = 2400
    centre.save()
    page = as_user(dora).get("/reporting/230302001000/2025-06/").content.decode()
    section = page[page.index('id="changed-after-approval"'):]
    section = section[:section.index("</section>")]
    assert "F3" in section and "33.33 → 133.33" in section
    assert "社区综合服务设施 建设社区党群服务中心" in section and " as of " not in section
    assert "系统（无登录用户）" in section  # saved outside a request (an import, a command): no user to name


def test_a_frozen_fraction_and_todays_decimals_add_up_exactly(city, alice, dora):
    """F3's areas have decimals: a frozen 600.5 m² ("1201/2") and today's 300.25 m² pool without rounding."""
    from decimal import Decimal

    make_centre(city["community_a"], "SQ-A1", total_area=Decimal("600.50"), activity_area=Decimal("400"))
    make_centre(city["community_b"], "SQ-B1", total_area=Decimal("300.25"), activity_area=Decimal("200"))
    period = _approve(alice, dora, city["street_a"])
    assert period.frozen["F3"][:2] == ["1201/2", "1800"]
    _plan, targets = selectors.plan_in_force()
    rows = selectors.city_board(ctx=Context(month=JUNE), targets=targets)
    f3 = _part(_row(rows, "F3"), city["district"])
    assert f3.value == (Fraction("600.50") + Fraction("300.25")) * 100 / 3300
    assert f3.basis.changed is False

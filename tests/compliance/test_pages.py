"""The bureau's pages: who sees what, bounded queries, review, snapshots and the Excel download."""

import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from compliance import kept
from compliance.models import Plan, Snapshot
from compliance.standing import centre_standing
from core.models import Division, Kind
from eldercare.models import FacilityKind
from tests.personas import make_division
from volunteers.models import WorkerRole

MATRIX = reverse("compliance:matrix")


def grow_city(index, make_centre, make_facility, make_worker, make_elder, visit):
    """One more district with a street, a town, communities, centres, facilities, people and visits."""
    code = f"2303{40 + index:02d}"
    district = make_division(f"{code}000000", f"区{index}", Kind.DISTRICT)
    street = make_division(f"{code}001000", f"街道{index}", Kind.STREET, district)
    town = make_division(f"{code}100000", f"镇{index}", Kind.TOWN, district)
    for number in range(1, 3):
        community = make_division(
            f"{code}001{number:03d}", f"社区{index}-{number}", Kind.COMMUNITY, street,
            households=1000, population=2500, population_60plus=500, latitude=45.3 + index / 100, longitude=130.9,
        )
        make_centre(community)
        make_facility(community, FacilityKind.DAYCARE, latitude=community.latitude, longitude=130.9)
        make_worker(community)
        make_worker(community, certified=False)
        elder = make_elder(community)
        visit(elder, date(2025, 6, 3))
    village = make_division(f"{code}100201", f"村{index}", Kind.VILLAGE, town, households=300, population=700,
                            population_60plus=200)
    make_centre(village)
    make_worker(street, role=WorkerRole.STATION_STAFF)
    make_facility(street, FacilityKind.INSTITUTION, beds=100, nursing_beds=60)


def count_matrix_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MATRIX, {"month": "2025-06"})
    assert response.status_code == 200
    return len(queries)


def test_matrix_query_count_is_pinned_and_the_same_for_a_four_times_larger_city(
    city, rita, as_user, make_centre, make_facility, make_worker, make_elder, visit, django_assert_num_queries
):
    builders = (make_centre, make_facility, make_worker, make_elder, visit)
    grow_city(1, *builders)
    client = as_user(rita)
    small = count_matrix_queries(client)
    for index in range(2, 5):
        grow_city(index, *builders)
    assert Division.objects.filter(level="district").count() == 6
    large = count_matrix_queries(client)
    assert small == large
    # session + user, plan with targets, the divisions' own plans, the top of the tree and its parts, the kept
    # figures of the month (compliance.kept: none kept here; read in one snapshot, a savepoint here), then ONE grouped query per base table for the 19
    # indicators (communities, centres, workers, streets, institutions, elders, districts), and one for the
    # reporting row (上报率、及时率 of every district: reporting.selectors.completeness), one for the month's approved
    # streets (their frozen figures, compliance.selectors_official; none here). A month without a single visit
    # costs one more: whether it lies before the first visit or after this month (E5 then says 无数据).
    with django_assert_num_queries(18):
        client.get(MATRIX, {"month": "2025-06"})
    with django_assert_num_queries(19):
        client.get(MATRIX, {"month": "2025-07"})
    # The month kept: its read (rows outside districts, the districts' stamps, their roll-ups) replaces the seven
    # grouped queries.
    kept.rebuild(date(2025, 6, 1))
    with django_assert_num_queries(13):
        client.get(MATRIX, {"month": "2025-06"})


def test_a_board_with_more_children_than_a_page_shows_them_a_group_at_a_time(
    city, rita, as_user, make_centre, make_facility, make_worker, make_elder, visit, monkeypatch
):
    """Six districts, two columns a page: page 2 shows the 3rd and 4th, each column's figures as on the board of
    all six, the total (the whole city's) on every page, the same queries whichever page; the Excel has all six."""
    from compliance import views

    for index in range(1, 5):
        grow_city(index, make_centre, make_facility, make_worker, make_elder, visit)
    districts = list(Division.objects.filter(level="district").order_by("code"))
    client = as_user(rita)

    def board(**params):
        response = client.get(MATRIX, {"month": "2025-06", **params})
        assert response.status_code == 200
        return response.context

    whole = board()
    assert [column.code for column in whole["columns"]] == [d.code for d in districts]
    cells = {(row.indicator.code, part.division.code): (part.value, part.passed)
             for row in whole["rows"] for part in row.parts}
    monkeypatch.setattr(views, "COLUMNS_PER_PAGE", 2)
    with CaptureQueriesContext(connection) as first:
        board()
    with CaptureQueriesContext(connection) as second:
        paged = board(cols="2")
    assert len(first) == len(second)
    assert [column.code for column in paged["columns"]] == [d.code for d in districts[2:4]]
    for row, total in zip(paged["rows"], whole["rows"], strict=True):
        assert (row.total.value, row.total.passed) == (total.total.value, total.total.passed)
        assert [(row.indicator.code, part.division.code) for part in row.parts] == [
            (row.indicator.code, d.code) for d in districts[2:4]]
        assert all(cells[row.indicator.code, part.division.code] == (part.value, part.passed) for part in row.parts)
    content = client.get(MATRIX, {"month": "2025-06", "cols": "2"}).content.decode()
    assert "显示第 3–4 个下级区划，共 6 个" in content and "cols=3" in content and "cols=1" in content
    assert [column.code for column in board(cols="99")["columns"]] == [d.code for d in districts[4:]]  # the last
    sheet = load_workbook(io.BytesIO(client.get(reverse("compliance:xlsx"), {"month": "2025-06"}).content)).active
    names = {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}
    assert {d.name for d in districts} <= names


def test_anonymous_visitor_is_sent_to_login(city, as_user):
    for url in (MATRIX, reverse("compliance:street", args=[city["street_a"].code]), reverse("compliance:corrections")):
        response = as_user(None).get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_month_form_of_a_lower_board_stays_on_that_board(city, rita, as_user):
    """Changing the month on a district's board (opened from the city's) shows the same district's board."""
    client = as_user(rita)
    code = city["district"].code
    form = re.search(r'<form method="get"[^>]*>.*?</form>', client.get(MATRIX, {"division": code}).content.decode(), re.S)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(0)))
    assert fields == {"division": code}
    response = client.get(MATRIX, {**fields, "month": "2025-06"})
    assert response.context["root"] == city["district"]
    assert [column.code for column in response.context["columns"]] == [
        city["street_a"].code, city["street_b"].code, city["town"].code]
    own = re.search(r'<form method="get"[^>]*>.*?</form>', client.get(MATRIX).content.decode(), re.S).group(0)
    assert 'name="division"' not in own  # the user's own board: nothing to carry


def test_reviewer_sees_the_whole_city_by_district(city, rita, as_user):
    response = as_user(rita).get(MATRIX)
    content = response.content.decode()
    assert "全市" in content and "鸡冠区" in content and "鸡东县" in content
    assert "<svg" in content and "style=" not in content and "<script>" not in content


def test_a_division_name_with_markup_is_escaped_in_the_cells_and_the_charts(city, rita, as_user, make_centre):
    """The matrix rows and the SVG charts are built as HTML in Python: every name must be escaped there."""
    make_centre(city["community_a"])
    district = city["district"]
    district.name = '<b onmouseover="x()">鸡冠区</b>'
    district.save()
    content = as_user(rita).get(MATRIX).content.decode()
    assert '<b onmouseover' not in content
    escaped = "&lt;b onmouseover=&quot;x()&quot;&gt;鸡冠区&lt;/b&gt;"
    assert f'<span class="visually-hidden"> F1 {escaped}</span>' in content  # a matrix cell
    assert f"<title>{escaped} " in content  # a chart bar
    assert "&lt;b onmou…</text>" in content  # the bar's short label: 8 characters and …, then escaped


def test_figures_and_badges_are_markup_not_escaped_text(city, rita, as_user, make_centre):
    """Each cell is built as HTML in Python (compliance.display): its own tags must not be escaped again."""
    make_centre(city["community_a"])
    client = as_user(rita)
    for url in (MATRIX, reverse("compliance:drill", args=["F1", city["district"].code]),
                reverse("compliance:street", args=[city["street_a"].code])):
        content = client.get(url).content.decode()
        assert '<span class="fw-semibold">' in content, url
        assert "status-pass" in content or "status-fail" in content, url
        assert "&lt;span" not in content, url


def test_clerk_sees_only_her_own_street(city, alice, as_user, make_centre):
    make_centre(city["community_b"])
    client = as_user(alice)
    content = client.get(MATRIX).content.decode()
    assert "向阳街道" in content and "南山街道" not in content and "鸡东县" not in content
    assert client.get(reverse("compliance:street", args=[city["street_a"].code])).status_code == 200
    assert client.get(reverse("compliance:street", args=[city["street_b"].code])).status_code == 404
    assert client.get(reverse("compliance:drill", args=["F1", city["district"].code])).status_code == 404
    assert client.get(reverse("compliance:drill", args=["F1", city["street_a"].code])).status_code == 200
    assert client.get(reverse("compliance:snapshots")).status_code == 403


def test_drill_down_lists_failing_units_with_reasons_and_a_link(city, rita, as_user, make_centre):
    make_centre(city["community_a"], total="100", activity="52")
    response = as_user(rita).get(reverse("compliance:drill", args=["F4", city["district"].code]))
    content = response.content.decode()
    assert "向阳街道" in content and "南山街道" in content
    assert "居民活动面积占比 52%，低于 60%，还差 8 平方米" in content


def test_a_streets_drill_down_leads_to_the_street_page_and_back_to_its_district(city, rita, as_user, make_centre):
    make_centre(city["community_a"], total="100", activity="52")
    content = as_user(rita).get(reverse("compliance:drill", args=["F4", city["street_a"].code])).content.decode()
    assert reverse("compliance:street", args=[city["street_a"].code]) in content
    assert reverse("compliance:drill", args=["F4", city["district"].code]) in content


def test_street_page_shows_data_quality_problems(city, rita, as_user, make_centre):
    make_centre(city["community_a"])
    content = as_user(rita).get(reverse("compliance:street", args=[city["street_a"].code])).content.decode()
    assert "红旗社区：没有坐标" in content
    assert "超过 180 天未核实" in content


def test_snapshot_freezes_figures_and_compares_with_today(city, rita, as_user, make_centre):
    client = as_user(rita)
    response = client.post(reverse("compliance:snapshots"), {"name": "2023 中期评估", "month": "2025-06"})
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert snapshot.data["F1"]["ALL"] == {"value": "0.00", "target": "100", "passed": False}
    make_centre(city["community_c"])
    content = client.get(reverse("compliance:snapshot", args=[snapshot.pk])).content.decode()
    assert "2023 中期评估" in content and "有变化" in content
    assert Snapshot.objects.get().data["F1"]["ALL"] == {"value": "0.00", "target": "100", "passed": False}


def test_excel_download_has_chinese_headers_plan_name_and_no_formula_from_data(city, rita, as_user):
    Division.objects.filter(pk=city["district2"].pk).update(name="=HYPERLINK(\"http://x\")")
    response = as_user(rita).get(reverse("compliance:xlsx"), {"month": "2025-06"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert Plan.objects.get(in_force=True).name in values and "指标代码" in values and "是否达标" in values
    assert "'=HYPERLINK(\"http://x\")" in values
    assert not any(value.startswith(("=", "+", "-", "@")) for value in values)


def test_centre_standing_gives_f3_to_f6_in_plain_words(city, make_centre):
    centre = make_centre(city["community_c"], total="100", activity="52", hours="08:00-16:00", holidays=False,
                         station=False)
    standing = {item["indicator"].code: item["unit"] for item in centre_standing(centre)}
    assert list(standing) == ["F3", "F4", "F5", "F6"]
    assert standing["F3"].passed is False and "还差 170 平方米" in standing["F3"].reason
    assert standing["F4"].reason == "居民活动面积占比 52%，低于 60%，还差 8 平方米"
    assert standing["F5"].reason == "节假日未全天开放"
    assert standing["F6"].passed is False


@pytest.mark.parametrize(("persona", "status"), [("adam", 200), ("rita", 200), ("alice", 403)])
def test_plan_admin_is_for_the_bureau(city, request, as_user, persona, status):
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("admin:compliance_plan_changelist"))
    assert response.status_code == status


def test_reviewer_cannot_change_a_target_but_the_administrator_can(city, rita, adam, as_user):
    target = Plan.objects.get(in_force=True).targets.get(indicator="E1")
    url = reverse("admin:compliance_target_change", args=[target.pk])
    data = {"plan": target.plan_id, "indicator": "E1", "comparator": ">=", "figure": "60", "binding": "binding",
            "source": target.source, "clause": target.clause}
    versions = target.history.count()
    assert as_user(rita).post(url, data).status_code == 403
    assert as_user(adam).post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.figure == 60 and target.history.count() == versions + 1

"""Each indicator at its boundaries, through the one engine that feeds pages and export."""

import math
from datetime import date
from decimal import Decimal

import pytest

from compliance import rules, selectors
from compliance.board import Result, board_queries
from compliance.exports import csv_rows
from compliance.kinds import Context
from compliance.standing import centre_standing
from core.geo import EARTH_RADIUS_M, haversine_m
from eldercare.models import FacilityKind, Ownership, Visit
from volunteers.models import WorkerRole

JUNE = Context(month=date(2025, 6, 1))


def f3_target():
    return selectors.plan_in_force()[1]["F3"]


def board(month=JUNE):
    _plan, targets = selectors.plan_in_force()
    return {row.indicator.code: row for row in selectors.city_board(ctx=month, targets=targets)}


def part(row, division):
    return next(result for result in row.parts if result.division == division)


# -- F1, F2: coverage -------------------------------------------------------------------------


def test_closed_centre_does_not_cover_its_community(city, make_centre):
    make_centre(city["community_c"], status="closed")
    assert part(board()["F1"], city["district2"]).value == 0
    make_centre(city["community_c"])
    assert part(board()["F1"], city["district2"]).value == 100


def test_district_without_villages_has_no_f2_value_and_neither_passes_nor_fails(city):
    row = board()["F2"]
    result = part(row, city["district2"])
    assert result.value is None and result.passed is None
    exported = [line for line in csv_rows([row]) if line[1] == city["district2"].code]
    assert exported == [["F2", city["district2"].code, "", "100", ""]]


def test_whole_city_pools_units_instead_of_averaging_districts(city, make_centre):
    make_centre(city["community_a"])  # district 1: 1 of 3 urban communities
    make_centre(city["community_c"])  # district 2: 1 of 1
    row = board()["F1"]
    assert part(row, city["district"]).rounded == Decimal("33.33")
    assert part(row, city["district2"]).value == 100
    assert row.total.value == 50  # 2 of 4, not (33.33 + 100) / 2


# -- F3: area per 100 households (> 30) --------------------------------------------------------


def test_exactly_30_square_metres_per_100_households_fails_f3(city, make_centre):
    make_centre(city["community_c"], total="270", activity="200")  # 900 households
    result = part(board()["F3"], city["district2"])
    assert result.value == 30
    assert result.passed is False
    [unit] = rules.get("F3").units(JUNE, city["street_c"], target=f3_target())
    assert unit.passed is False and "须高于 30" in unit.reason


def test_a_hundredth_above_30_passes_f3(city, make_centre):
    make_centre(city["community_c"], total="270.01", activity="200")
    assert part(board()["F3"], city["district2"]).passed is True


def test_f3_counts_every_community_with_or_without_a_centre_and_only_operating_centres(city, make_centre):
    make_centre(city["community_a"], total="3000", activity="2000")
    make_centre(city["community_b"], total="9999", activity="2000", status="closed")
    # district 1: 3000 m² × 100 ÷ (1000 + 800 + 1200 + 300) households
    assert part(board()["F3"], city["district"]).value == pytest.approx(3000 * 100 / 3300)
    units = {unit.obj: unit for unit in rules.get("F3").units(JUNE, city["district"], target=f3_target())}
    assert units[city["community_a2"]].passed is False
    assert "还差 240 平方米" in units[city["community_a2"]].reason  # 800 households need > 240 m²


def test_an_edited_f3_target_moves_the_unit_rule_the_drill_down_and_the_hint(city, make_centre):
    centre = make_centre(city["community_c"], total="315", activity="200")  # 900 households: 35 m² per 100
    _plan, targets = selectors.plan_in_force()
    _row, failing = selectors.drill_down(indicator=rules.get("F3"), division=city["street_c"], ctx=JUNE,
                                         targets=targets)
    assert failing == []
    assert "每百户 35 平方米，高于 30 平方米" in centre_standing(centre)[0]["unit"].reason
    target = targets["F3"]
    target.figure = Decimal("40")
    target.save()
    _plan, targets = selectors.plan_in_force()
    row, failing = selectors.drill_down(indicator=rules.get("F3"), division=city["street_c"], ctx=JUNE,
                                        targets=targets)
    assert row.total.passed is False and "> 40" in row.target_text
    assert [unit.reason for unit in failing] == ["每百户 35 平方米，未高于 40 平方米，还差 45 平方米"]
    hint = centre_standing(centre)[0]["unit"]
    assert hint.passed is False and hint.reason == failing[0].reason


# -- F4: activity share ≥ 60 % ----------------------------------------------------------------


def test_exactly_60_percent_activity_share_passes_f4(city, make_centre):
    make_centre(city["community_c"], total="500", activity="300")
    assert part(board()["F4"], city["district2"]).value == 100


def test_just_under_60_percent_fails_f4_with_the_shortfall_in_square_metres(city, make_centre):
    make_centre(city["community_c"], total="100", activity="52")
    [unit] = rules.get("F4").units(JUNE, city["street_c"])
    assert unit.passed is False
    assert unit.reason == "居民活动面积占比 52%，低于 60%，还差 8 平方米"
    make_centre(city["community_c"], total="100.5", activity="60.29")
    assert part(board()["F4"], city["district2"]).value == 0


def test_f4_exact_at_awkward_decimals(city, make_centre):
    make_centre(city["community_c"], total="100.50", activity="60.30")  # exactly 60 %
    assert part(board()["F4"], city["district2"]).passed is True


# -- F5: opening hours ------------------------------------------------------------------------


def test_exactly_8_hours_every_day_and_open_on_holidays_passes_f5(city, make_centre):
    make_centre(city["community_c"], hours="08:00-16:00")
    assert part(board()["F5"], city["district2"]).passed is True


def test_7_hours_59_on_one_day_fails_f5(city, make_centre):
    make_centre(city["community_c"], hours="08:00-16:00", hours_sun="08:00-15:59")
    assert part(board()["F5"], city["district2"]).value == 0
    [unit] = rules.get("F5").units(JUNE, city["street_c"])
    assert "周日开放 7 小时 59 分，不足 8 小时" in unit.reason


def test_lunch_break_is_not_open_time_and_holidays_must_be_open(city, make_centre):
    make_centre(city["community_a"], hours="08:00-12:00,13:30-17:00")  # 7.5 h
    make_centre(city["community_c"], hours="08:00-18:00", holidays=False)
    units = rules.get("F5").units(JUNE)
    assert [unit.passed for unit in units] == [False, False]
    assert "周一开放 7.5 小时" in units[0].reason
    assert "节假日未全天开放" in units[1].reason


# -- F6, V1 ---------------------------------------------------------------------------------


def test_f6_counts_operating_centres_with_a_volunteer_station(city, make_centre):
    make_centre(city["community_c"], station=True)
    make_centre(city["community_c"], station=False)
    make_centre(city["community_c"], station=False, status="closed")
    assert part(board()["F6"], city["district2"]).value == 50


def test_v1_needs_a_party_backbone_team_in_each_community(city):
    from volunteers.models import Team

    Team.objects.create(code="T1", name="队", community=city["community_c"], party_backbone=False)
    assert part(board()["V1"], city["district2"]).value == 0
    Team.objects.create(code="T2", name="党员队", community=city["community_c"], party_backbone=True)
    assert part(board()["V1"], city["district2"]).value == 100


# -- S1–S4: people ----------------------------------------------------------------------------


def test_off_duty_person_does_not_count_but_a_lapsed_registration_still_does(city, make_worker):
    make_worker(city["community_c"], on_duty=False)
    make_worker(city["community_c"], registration_valid_until=date(2020, 1, 1), obtained_on=date(2017, 1, 1))
    rows = board()
    assert part(rows["S1"], city["district2"]).value == 1
    assert rows["S4"].total.value == 1


def test_station_staff_count_in_s2_and_s4_but_not_s1_or_s3(city, make_worker):
    make_worker(city["street_c"], role=WorkerRole.STATION_STAFF)
    make_worker(city["community_c"], certified=False)
    rows = board()
    assert part(rows["S1"], city["district2"]).value == 0
    assert part(rows["S2"], city["district2"]).value == 1  # 1 person at the one street's station
    assert rows["S4"].total.value == 1
    # S3: 1 community worker × 10000 ÷ 2100 residents
    assert part(rows["S3"], city["district2"]).value == pytest.approx(10000 / 2100)


def test_uncertified_station_does_not_pass_s2(city, make_worker):
    make_worker(city["street_c"], role=WorkerRole.STATION_STAFF, certified=False)
    assert part(board()["S2"], city["district2"]).passed is False


def test_s2_is_the_average_per_street_exactly_one_passes(city, make_worker):
    """鸡冠区 has three streets/towns; three certified people at one station make the average exactly 1.00."""
    people = [make_worker(city["street_a"], role=WorkerRole.STATION_STAFF) for _ in range(3)]
    make_worker(city["street_b"], role=WorkerRole.STATION_STAFF, certified=False)
    make_worker(city["community_a"])  # a community's worker is at no station
    result = part(board()["S2"], city["district"])
    assert (result.numerator, result.denominator, result.value, result.passed) == (3, 3, 1, True)
    people[0].delete()
    result = part(board()["S2"], city["district"])
    assert result.rounded == Decimal("0.67") and result.passed is False


def test_s2_boundary_is_on_the_exact_average(city):
    _plan, targets = selectors.plan_in_force()
    s2 = rules.get("S2")
    assert targets["S2"].figure == 1 and s2.value_unit == "人/站"
    assert Result(s2, None, 100, 100, target=targets["S2"]).passed is True
    just_below = Result(s2, None, 99, 100, target=targets["S2"])
    assert just_below.rounded == Decimal("0.99") and just_below.passed is False


def test_s2_lists_streets_without_anyone_certified_as_a_todo_not_a_failure(city, make_worker):
    make_worker(city["street_a"], role=WorkerRole.STATION_STAFF)
    make_worker(city["street_a"], role=WorkerRole.STATION_STAFF)
    make_worker(city["street_a"], role=WorkerRole.STATION_STAFF)
    _plan, targets = selectors.plan_in_force()
    row, units = selectors.drill_down(indicator=rules.get("S2"), division=city["district"], ctx=JUNE,
                                      targets=targets)
    assert row.total.passed is True
    assert {unit.obj: unit.passed for unit in units} == {city["street_b"]: None, city["town"]: None}
    assert all("待配备" in unit.reason for unit in units)


def test_s4_has_only_the_all_row_in_the_export(city):
    lines = csv_rows([board()["S4"]])
    assert [line[:2] for line in lines[1:]] == [["S4", "ALL"]]


# -- E1–E8: eldercare -------------------------------------------------------------------------


def test_e1_and_e6_count_only_operating_institutions(city, make_facility):
    make_facility(city["street_c"], FacilityKind.INSTITUTION, beds=100, nursing_beds=55)
    make_facility(city["street_c"], FacilityKind.INSTITUTION, beds=100, nursing_beds=100, status="closed")
    make_facility(city["community_c"], FacilityKind.DAYCARE, beds=50, nursing_beds=50)
    rows = board()
    e1 = part(rows["E1"], city["district2"])
    assert e1.value == 55 and e1.passed is True
    assert part(rows["E6"], city["district2"]).value == pytest.approx(100 * 1000 / 520)
    assert part(rows["E6"], city["district2"]).passed is None  # no target in the default plan


def test_an_institution_with_all_four_functions_in_a_community_makes_its_street_comprehensive(city, make_facility):
    four = {"full_care": True, "day_care": True, "home_visits": True, "guidance": True}
    lacking = make_facility(city["community_a"], FacilityKind.INSTITUTION, **{**four, "guidance": False})
    assert part(board()["E2"], city["district"]).value == 0  # 向阳街道 and 南山街道: neither
    lacking.guidance = True
    lacking.save()
    e2 = part(board()["E2"], city["district"])
    assert (e2.numerator, e2.denominator) == (1, 2)  # 向阳街道, through its community 建设社区
    _plan, targets = selectors.plan_in_force()
    failing = rules.get("E2").units(JUNE, city["district"], failing_only=True)
    assert [unit.obj for unit in failing] == [city["street_b"]]


def test_a_comprehensive_institution_at_a_town_counts_for_e3(city, make_facility):
    make_facility(city["town"], FacilityKind.INSTITUTION, full_care=True, day_care=True, home_visits=True,
                  guidance=True)
    assert part(board()["E3"], city["district"]).value == 100


def test_e2_needs_all_four_functions(city, make_facility):
    make_facility(city["street_c"], FacilityKind.STREET_CENTRE, full_care=True, day_care=True, home_visits=True)
    assert part(board()["E2"], city["district2"]).value == 0
    make_facility(city["street_c"], FacilityKind.STREET_CENTRE, full_care=True, day_care=True, home_visits=True,
                  guidance=True)
    assert part(board()["E2"], city["district2"]).value == 100


def test_an_elder_with_two_categories_counts_once_in_e5(city, make_elder, visit):
    both = make_elder(city["community_c"], categories=("alone", "disabled"))
    make_elder(city["community_c"], categories=("very_old",))
    visit(both, date(2025, 6, 3))
    assert both.categories.count() == 2
    e5 = part(board()["E5"], city["district2"])
    assert (e5.numerator, e5.denominator) == (1, 2)
    failing = rules.get("E5").units(JUNE, city["street_c"], failing_only=True)
    assert len(failing) == 1 and failing[0].obj != both


def test_e5_visit_on_the_last_day_counts_and_the_first_of_next_month_does_not(city, make_elder, visit):
    june_30 = make_elder(city["community_c"])
    july_1 = make_elder(city["community_c"])
    by_phone = make_elder(city["community_c"])
    visit(june_30, date(2025, 6, 30))
    visit(july_1, date(2025, 7, 1))
    visit(by_phone, date(2025, 6, 1), method=Visit.Method.PHONE)
    assert part(board()["E5"], city["district2"]).value * 3 == 200
    assert part(board(Context(month=date(2025, 7, 1)))["E5"], city["district2"]).value * 3 == 100
    failing = rules.get("E5").units(JUNE, city["street_c"], failing_only=True)
    assert [unit.obj for unit in failing] == [july_1]
    assert "2025年6月没有探访记录" == failing[0].reason


def _north_of(division, metres):
    return division.latitude + math.degrees(metres / EARTH_RADIUS_M)


@pytest.mark.parametrize(("metres", "covered"), [(990, True), (1010, False)])
def test_e7_covers_communities_within_1000_metres(city, make_facility, metres, covered):
    community = city["community_b"]
    latitude = _north_of(community, metres)
    assert haversine_m(community.latitude, community.longitude, latitude, community.longitude) == pytest.approx(metres)
    # A day-care centre in another district still covers the community.
    make_facility(city["community_c"], FacilityKind.DAYCARE, latitude=latitude, longitude=community.longitude)
    units = {unit.obj: unit.passed for unit in rules.get("E7").units(JUNE, city["street_b"])}
    assert units[community] is covered


def _destination(lat, lon, metres, bearing_degrees):
    """The point ``metres`` away from (lat, lon) along a great circle with the given bearing."""
    phi, lmb, theta = math.radians(lat), math.radians(lon), math.radians(bearing_degrees)
    delta = metres / EARTH_RADIUS_M
    phi2 = math.asin(math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta))
    lmb2 = lmb + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi), math.cos(delta) - math.sin(phi) * math.sin(phi2)
    )
    return math.degrees(phi2), math.degrees(lmb2)


@pytest.mark.parametrize("bearing", [45, 90, 135, 270])
@pytest.mark.parametrize("latitude", [45.31, 53.3])  # 鸡西, and 漠河 near China's northern edge
@pytest.mark.parametrize(("metres", "covered"), [(995, True), (1005, False)])
def test_e7_bounding_box_never_drops_a_centre_within_1000_metres_in_any_direction(
    city, make_facility, bearing, latitude, metres, covered
):
    community = city["community_b"]
    community.latitude = latitude
    community.save()
    lat, lon = _destination(latitude, community.longitude, metres, bearing)
    assert haversine_m(latitude, community.longitude, lat, lon) == pytest.approx(metres, abs=0.01)
    make_facility(city["community_c"], FacilityKind.DAYCARE, latitude=lat, longitude=lon)
    units = {unit.obj: unit.passed for unit in rules.get("E7").units(JUNE, city["street_b"])}
    assert units[community] is covered


@pytest.mark.parametrize("latitude", [45.30999, 45.31001, 45.30499, 45.30501])  # either side of a grid row's edge
@pytest.mark.parametrize("metres", [990, -990])  # north and south
def test_e7_finds_a_centre_in_the_next_grid_row(city, make_facility, latitude, metres):
    """E7 looks the box up row by row of 1/100 degree (core.geo.latitude_row): a centre across a row's edge counts.

    SQLite's CAST truncates and PostgreSQL's rounds, so rows end at .xx0 on one and .xx5 on the other.
    """
    community = city["community_b"]
    community.latitude = latitude
    community.save()
    make_facility(city["community_c"], FacilityKind.DAYCARE, latitude=_north_of(community, metres),
                  longitude=community.longitude)
    units = {unit.obj: unit.passed for unit in rules.get("E7").units(JUNE, city["street_b"])}
    assert units[community] is True
    assert part(board()["E7"], city["district"]).numerator >= 1


def test_e7_community_without_coordinates_is_a_failing_unit(city, make_facility):
    make_facility(city["street_a"], FacilityKind.STREET_CENTRE, latitude=45.30, longitude=130.97)
    units = {unit.obj: unit for unit in rules.get("E7").units(JUNE, city["street_a"])}
    assert units[city["community_a"]].passed is True
    assert units[city["community_a2"]].passed is False
    assert "没有坐标" in units[city["community_a2"]].reason


def test_e8_public_institution_per_district(city, make_facility):
    make_facility(city["street_c"], FacilityKind.INSTITUTION, ownership=Ownership.PRIVATE, beds=10)
    assert part(board()["E8"], city["district2"]).value == 0
    make_facility(city["street_c"], FacilityKind.INSTITUTION, ownership=Ownership.PUBLIC, beds=10)
    assert part(board()["E8"], city["district2"]).value == 100


# -- plans ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_fresh_database_has_the_default_plan_in_force_and_suzhou_differs_in_e1_e4_e6():
    from compliance.models import Plan

    plan, targets = selectors.plan_in_force()
    assert plan.name.startswith("“十四五”默认规划")
    assert len(targets) == 19 and targets["F3"].comparator == ">" and targets["E6"].figure is None
    suzhou = Plan.objects.get(name__startswith="苏州变体")
    assert "2017~2020" in suzhou.name and "征求意见稿" in suzhou.name  # labelled wherever plans are listed
    suzhou.in_force = True
    suzhou.save()
    plan, targets = selectors.plan_in_force()
    assert plan == suzhou and Plan.objects.filter(in_force=True).count() == 1
    assert (targets["E1"].figure, targets["E6"].figure, targets["E4"].figure) == (70, 50, 100)


# -- The board's queries are compiled once per process and run afresh every time -------------------


def test_a_compiled_board_query_reads_the_data_of_each_request(city, make_centre, make_elder, visit):
    codes = tuple(rules.INDICATORS)
    queries = board_queries(codes, JUNE.month, None, "district")
    assert board_queries(codes, JUNE.month, None, "district") is queries  # built once
    before = board()
    make_centre(city["community_c"])
    elder = make_elder(city["community_c"])
    visit(elder, date(2025, 6, 30))
    after = board()
    assert board_queries(codes, JUNE.month, None, "district") is queries  # the same compiled queries…
    assert part(before["F1"], city["district2"]).value == 0  # … reading today's rows
    assert part(after["F1"], city["district2"]).value == 100
    assert part(before["E5"], city["district2"]).value is None and part(after["E5"], city["district2"]).value == 100
    july = board(Context(month=date(2025, 7, 1)))  # another month is another query
    assert part(july["E5"], city["district2"]).value == 0


def test_board_queries_are_keyed_by_the_divisions_level_not_only_its_id(city):
    """A model instance compares by id alone: a reused id with another level must not get the old query."""
    street = city["street_a"]
    as_district = type(street).objects.get(pk=street.pk)
    as_district.level = "district"
    codes = ("F1",)
    assert board_queries(codes, JUNE.month, street, "street") is not board_queries(
        codes, JUNE.month, as_district, "street"
    )

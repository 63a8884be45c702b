"""The scale generator at a tiny scale: counts, proportions and the denormalised fields."""

from datetime import date

import pytest

from bench.generate import BASE_COUNTS, VISIT_MONTHS, counts_for, populate
from core.hours import WEEKDAY_FIELDS, day_minutes
from core.models import Division, Level, Role, User
from eldercare.models import Elder, Facility, FacilityKind, Visit, validate_id_number
from facilities.models import Centre
from volunteers.models import Member, Team, Worker, WorkerRole

pytestmark = pytest.mark.django_db


def test_scale_one_has_what_issue_8_asks_for():
    counts = counts_for(1)
    assert counts["communities"] >= 1500 and counts["centres"] >= 3000
    assert counts["members"] >= 20000 and counts["workers"] >= 5000 and counts["elders"] >= 3000


def test_scale_four_is_four_times_everything():
    assert counts_for(4) == {kind: 4 * count for kind, count in BASE_COUNTS.items()}


@pytest.fixture
def tiny():
    return populate(0.01, today=date(2026, 7, 15))


def test_tiny_scale_writes_a_hundredth_of_each_count(tiny):
    assert Division.objects.communities().count() == 15 == tiny["communities"]
    assert Division.objects.streets().count() == 2
    assert Division.objects.districts().count() == 1
    assert Centre.objects.count() == 30
    assert Team.objects.count() == 30
    assert Member.objects.count() == 200
    assert Worker.objects.count() == 50
    assert Elder.objects.count() == 30
    assert Facility.objects.filter(kind=FacilityKind.DAYCARE).count() == 9
    assert Facility.objects.filter(kind=FacilityKind.STREET_CENTRE).count() == 2


def test_communities_carry_their_street_and_district(tiny):
    for community in Division.objects.communities().select_related("parent"):
        assert community.level == Level.COMMUNITY
        assert community.street_id == community.parent_id
        assert community.district_id == community.parent.parent_id
        assert community.households >= 1
    for street in Division.objects.streets():
        assert street.district_id == street.parent_id and street.street_id is None


def test_districts_stand_in_cities_of_one_province_as_their_codes_say(tiny):
    province = Division.objects.get(level=Level.PROVINCE)
    assert (province.code, province.name, province.parent_id) == ("230000000000", "黑龙江省", None)
    city = Division.objects.get(level=Level.CITY)
    assert (city.code, city.parent_id) == ("230300000000", province.pk)
    for district in Division.objects.districts():
        assert (district.parent_id, district.city_id, district.province_id) == (city.pk, city.pk, province.pk)
    community = Division.objects.communities().first()
    assert (community.city_id, community.province_id) == (city.pk, province.pk)


def test_a_hundred_districts_and_more_make_a_second_city():
    """99 districts a city: 40× (400 districts) is a province of five cities."""
    from bench.generate import _district_code

    assert [_district_code(index)[:4] for index in (0, 98, 99, 399)] == ["2303", "2303", "2304", "2307"]


def test_centres_shortest_day_matches_their_hours(tiny):
    for centre in Centre.objects.all():
        assert centre.shortest_day_minutes == min(day_minutes(getattr(centre, day)) for day in WEEKDAY_FIELDS)
        assert 0 < centre.activity_area <= centre.total_area


def test_team_member_counts_are_their_members(tiny):
    for team in Team.objects.all():
        assert team.member_count == team.members.count()
    assert sum(Team.objects.values_list("member_count", flat=True)) == 200


def test_elders_have_valid_ids_and_at_most_one_visit_a_month_for_a_year(tiny):
    for elder in Elder.objects.all():
        validate_id_number(elder.id_number)
    visits = Visit.objects.all()
    assert 0.7 * 30 * VISIT_MONTHS <= visits.count() <= 30 * VISIT_MONTHS
    dates = visits.values_list("visited_on", flat=True)
    assert min(dates) >= date(2025, 7, 1) and max(dates) < date(2026, 7, 1)


def test_station_staff_work_at_streets_and_the_rest_at_communities(tiny):
    assert not Worker.objects.filter(role=WorkerRole.STATION_STAFF).exclude(workplace__level=Level.STREET).exists()
    assert not Worker.objects.filter(role=WorkerRole.COMMUNITY_WORKER).exclude(
        workplace__level=Level.COMMUNITY
    ).exists()
    assert Worker.objects.filter(role=WorkerRole.STATION_STAFF).count() == 5


def test_a_reviewer_exists_for_the_logged_in_measurements(tiny):
    assert User.objects.get(username="bench-reviewer").role == Role.REVIEWER

"""Near me: by distance, filterable, with the next opening when closed (holidays and 调休 counted)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Holiday
from core.next_open import annotate_opening, describe_hours, next_opening
from core.opening import at
from portal import nearby
from tests.eldercare.conftest import build_facility
from tests.portal.conftest import ORIGIN, north
from volunteers.models import Team


@pytest.fixture
def now_is(monkeypatch):
    def fix(*args):
        moment = at(*args)
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
        return moment

    return fix


def test_distance_reads_as_metres_and_walking_minutes():
    assert nearby.describe(350) == "约 350 米，步行约 5 分钟"
    assert nearby.describe(1234) == "约 1.2 公里，步行约 17 分钟"
    assert nearby.describe(8000) == "约 8.0 公里"


def test_nearest_first_across_kinds(world):
    places = nearby.nearby(*ORIGIN)
    names = [place.obj.name for place in places]
    assert names[:3] == ["和平社区红马甲志愿服务队", "和平社区党群服务中心", "和平社区老年人日间照料中心"]
    metres = [place.metres for place in places]
    assert metres == sorted(metres)
    assert places[2].distance == "约 350 米，步行约 5 分钟"


def test_the_box_widens_until_far_places_are_found(world):
    places = nearby.nearby(*ORIGIN, kinds=["centre"])
    assert [p.obj.code for p in places] == ["ZX-HP", "ZX-NS"]  # 南山 is 11 km north


@pytest.mark.parametrize("limit", [1, 3, 5, 12])
@pytest.mark.parametrize("origin", [ORIGIN, north(4_000), north(30_000), (45.10, 131.20)])
def test_the_nearest_across_kinds_are_those_a_scan_of_every_place_finds(world, origin, limit):
    """The kinds widen their boxes together and stop once ``limit`` lie within the radius: the same places, in the
    same order, as measuring every located place of every kind."""
    from core.geo import metres_from
    from eldercare.models import Facility
    from facilities.models import Centre

    distance = metres_from(*origin)
    every = [
        *((distance(c.latitude, c.longitude), "centre", c.pk) for c in Centre.objects.filter(latitude__isnull=False)),
        *((distance(f.latitude, f.longitude), "facility", f.pk) for f in Facility.objects.filter(latitude__isnull=False)),
        *((distance(t.community.latitude, t.community.longitude), "team", t.pk) for t in Team.objects.all()),
    ]
    found = nearby.nearby(*origin, limit=limit)
    assert [(place.kind, place.obj.pk) for place in found] == [(kind, pk) for _m, kind, pk in sorted(every)[:limit]]


@pytest.mark.parametrize("teams", [1, 5, 12])
def test_places_at_one_spot_are_taken_in_id_order_past_the_limit(world, teams):
    """Teams are placed at their community: many at one spot tie. Read nearest first from an index (PostgreSQL),
    a kind reads ``TIES`` rows past its limit, and the boxes decide where a tie runs past those."""
    heping = world["heping"]
    for i in range(teams):
        Team.objects.create(code=f"DW-HP-{i}", name=f"和平社区第{i}志愿服务队", community=heping)
    expected = sorted(Team.objects.filter(community=heping).values_list("pk", flat=True))[:3]
    with CaptureQueriesContext(connection) as queries:
        found = nearby.nearby(*ORIGIN, kinds=["team"], limit=3)
    assert [place.obj.pk for place in found] == expected
    if connection.vendor == "postgresql":  # one query nearest first, and the boxes only where the tie runs past it
        assert " <-> " in queries.captured_queries[0]["sql"]
        assert len(queries.captured_queries) == (1 if teams + 1 < 3 + nearby.TIES else 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's sphere indexes: the PostgreSQL run")
def test_each_kinds_nearest_are_read_nearest_first_one_query_a_kind(world):
    with CaptureQueriesContext(connection) as queries:
        found = nearby.nearby(*north(30_000), limit=5)  # beyond every place: the boxes would widen to the city
    assert len(found) == 5
    assert len(queries.captured_queries) == 3 and all(" <-> " in query["sql"] for query in queries.captured_queries)


def test_kind_and_service_filters(world):
    places = nearby.nearby(*ORIGIN, kinds=["facility"], terms=["助浴"])
    assert [p.obj.code for p in places] == ["RZ-HP"]


def test_open_now_filter_drops_closed_places_and_teams(world, now_is):
    # Wednesday 10:00: centres (08:00-12:00,13:00-17:00) and facilities (08:30-11:30,13:30-17:30) are open.
    places = nearby.nearby(*ORIGIN, open_at=now_is(2025, 6, 4, 10, 0))
    assert {place.kind for place in places} == {"centre", "facility"}  # teams keep no hours
    # 13:15: centres have reopened, day-care centres are still at lunch.
    places = nearby.nearby(*ORIGIN, open_at=now_is(2025, 6, 4, 13, 15))
    assert {p.obj.code for p in places} == {"ZX-HP", "ZX-NS"}


def test_next_opening_today_tomorrow_and_after_a_holiday(world, now_is):
    daycare = world["daycare"][0]  # Mon–Fri 08:30-11:30,13:30-17:30, Sat 09:00-12:00, Sun closed
    assert str(next_opening(daycare, now_is(2025, 6, 4, 12, 0))) == "今天 13:30 开放"
    assert str(next_opening(daycare, now_is(2025, 6, 4, 18, 0))) == "明天 08:30 开放"
    assert str(next_opening(daycare, now_is(2025, 6, 7, 13, 0))) == "后天 08:30 开放"  # Sat afternoon → Mon
    Holiday.objects.create(date=date(2025, 6, 5), kind=Holiday.DayKind.HOLIDAY, name="端午节")
    assert str(next_opening(daycare, now_is(2025, 6, 4, 18, 0))) == "后天 08:30 开放"  # not on the holiday
    Holiday.objects.create(date=date(2025, 6, 8), kind=Holiday.DayKind.WORKDAY, name="端午节调休")
    assert str(next_opening(daycare, now_is(2025, 6, 7, 13, 0))) == "明天 08:30 开放"  # Sunday 调休: Monday hours


def test_round_the_clock_reads_24_hours(world, now_is):
    always = build_facility(world["heping"], code="RZ-24", **{f"hours_{d}": "00:00-24:00" for d in
                                                              ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    assert describe_hours(always.hours_mon) == "24 小时"
    [annotated] = annotate_opening([always], now_is(2025, 6, 4, 23, 59))
    assert annotated.is_open and annotated.today_hours == "24 小时"


def test_near_page_by_typed_community_with_open_filter_and_next_opening(client, world, now_is):
    now_is(2025, 6, 4, 12, 0)
    response = client.get(reverse("portal:near"), {"place": "和平"})
    html = response.content.decode()
    assert "离和平社区最近的服务" in html
    assert "约 350 米，步行约 5 分钟" in html
    assert "今天 13:30 开放" in html
    assert 'href="tel:0467-2345678"' in html
    assert 'id="near-map"' in html and "本站尚未配置地图底图" in html
    response = client.get(reverse("portal:near"), {"community": world["heping"].code, "open": "1"})
    assert "附近现在没有开放的服务" in response.content.decode()


def test_near_page_by_position_and_ambiguous_place(client, world):
    response = client.get(reverse("portal:near"), {"lat": f"{north(100)[0]:.6f}", "lon": "130.970000"})
    assert "离您的位置最近的服务" in response.content.decode()
    response = client.get(reverse("portal:near"), {"place": "社区"})
    assert "您说的是哪个社区？" in response.content.decode()


def test_place_suggestions(client, world):
    data = client.get(reverse("portal:places"), {"q": "和平"}).json()
    assert data["places"] == [{"code": world["heping"].code, "name": "和平社区", "street": "向阳街道"}]


def test_near_query_count_does_not_grow_with_the_city(client, world, django_assert_max_num_queries):
    # At most: per kind four boxes (each returns its nearest rows with their cards' columns; a team's box its
    # communities joined to their teams); the calendar; the community. 14 whatever the number of rows.
    params = {"community": world["heping"].code}
    with django_assert_max_num_queries(14):
        client.get(reverse("portal:near"), params)
    for i in range(40):
        build_facility(world["others"][i % 6], code=f"MORE-{i}", latitude=north(50 * i)[0], longitude=ORIGIN[1])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("portal:near"), params)
    assert response.content.decode().count('class="card place-card') == nearby.LIMIT

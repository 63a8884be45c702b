"""Every public page costs the same number of queries in a city twice as big, with every cache off.

A "unit" of city is a district with two streets of three communities each, every community with a
centre, a day-care centre and a volunteer team with service records; each street has a street eldercare
centre. Each unit lies a degree of latitude north of the last, so the neighbourhood the nearest page
searches is the same in both cities: only the city around it grows.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Division, Kind
from eldercare.models import FacilityKind
from tests.eldercare.conftest import build_facility
from tests.facilities.conftest import make_centre
from tests.personas import make_division
from volunteers.models import ServiceRecord, Team

UNCACHED = {name: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for name in ("default", "pages")}


def grow(unit):
    """Add one unit of city (see the module docstring); return its first street and community."""
    district = make_division(f"23{3 + unit // 99:02d}{unit % 99 + 1:02d}000000", f"第{unit}区", Kind.DISTRICT)
    first = None
    for s in range(1, 3):
        street = make_division(f"{district.code[:6]}{s:03d}000", f"第{unit}区{s}街道", Kind.STREET, district)
        build_facility(street, code=f"J{unit}-{s}", kind=FacilityKind.STREET_CENTRE,
                       latitude=45.0 + unit + s * 0.01, longitude=130.9)
        for c in range(1, 4):
            community = make_division(
                f"{street.code[:9]}{c:03d}", f"第{unit}区{s}街道{c}社区", Kind.COMMUNITY, street,
                households=1000, population=2500, population_60plus=600,
                latitude=45.0 + unit + s * 0.01 + c * 0.002, longitude=130.9 + c * 0.003,
            )
            make_centre(community, f"SQ{unit}-{s}-{c}")
            build_facility(community, code=f"R{unit}-{s}-{c}", services=["meals"],
                           latitude=community.latitude + 0.001, longitude=community.longitude)
            team = Team.objects.create(code=f"T{unit}-{s}-{c}", name=f"志愿服务队{unit}{s}{c}", community=community,
                                       member_count=10, phone="0467-2345678")
            for month in range(3):
                ServiceRecord.objects.create(team=team, date=datetime.date.today() - datetime.timedelta(days=30 * month),
                                             hours=Decimal("2.5"), activity="巡查")
            first = first or (street, community)
    return district, first


def urls(district, street, community):
    from eldercare.models import Facility
    from facilities.models import Centre

    centre = Centre.objects.filter(community=community).first()
    facility = Facility.objects.filter(division=community).first()
    team = Team.objects.filter(community=community).first()
    return [
        "/",
        "/facilities/", "/facilities/?page=2", f"/facilities/?district={district.pk}", f"/facilities/?street={street.pk}",
        "/facilities/?open_now=on&q=中心", f"/facilities/{centre.pk}/",
        "/eldercare/", f"/eldercare/?district={district.code}", f"/eldercare/?street={street.code}",
        f"/eldercare/{facility.pk}/",
        "/eldercare/nearest/", f"/eldercare/nearest/?district={district.code}", f"/eldercare/nearest/?street={street.code}",
        f"/eldercare/nearest/?community={community.code}",
        "/volunteers/", f"/volunteers/?street={street.pk}", f"/volunteers/{team.pk}/",
        # The residents' one search and near me (portal): by words, by a community, by the device's position.
        "/search/?q=社区 中心", "/search/?q=社区&kind=facility", "/search/?q=照料中心",
        "/search/?q=助餐", "/search/?q=社区&kind=team&page=2",  # a two-character word, a ten-helps code; a page
        f"/near/?community={community.code}", f"/near/?lat={community.latitude}&lon={community.longitude}",
        f"/near/?lat={community.latitude}&lon={community.longitude}&open=1&kind=facility",
    ]


def query_counts(client, addresses):
    counts = {}
    for url in addresses:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(captured)
    return counts


@pytest.mark.django_db
def test_every_public_page_costs_the_same_queries_in_a_city_twice_as_big(client, settings):
    settings.CACHES = UNCACHED
    first_district, (street, community) = grow(0)
    for unit in range(1, 3):
        grow(unit)
    addresses = urls(first_district, street, community)
    small = query_counts(client, addresses)
    found = search_counts(client)
    for unit in range(3, 6):  # twice the districts, streets, communities, centres, facilities and teams
        grow(unit)
    assert Division.objects.districts().count() == 6
    assert query_counts(client, addresses) == small
    assert search_counts(client) == {kind: 2 * count for kind, count in found.items()}  # the search found twice as many


def search_counts(client):
    """How many of each kind the one search finds for “社区” (every record lies in a 社区)."""
    groups = client.get("/search/", {"q": "社区"}).context["groups"]
    assert all(group.count for group in groups)
    return {group.kind: group.count for group in groups}


@pytest.mark.django_db
def test_a_list_page_holds_only_the_chosen_districts_streets(client, settings):
    settings.CACHES = UNCACHED
    district, (street, _community) = grow(0)
    grow(1)
    page = client.get("/facilities/").content.decode()
    assert ">第0区1街道</option>" not in page and ">第1区1街道</option>" not in page  # no district chosen
    page = client.get(f"/facilities/?district={district.pk}").content.decode()
    assert ">第0区1街道</option>" in page and ">第1区1街道</option>" not in page
    page = client.get(f"/eldercare/?street={street.code}").content.decode()
    assert f'<option value="{district.code}" selected>' in page  # the street's district filled in
    assert ">第1区1街道</option>" not in page


@pytest.mark.django_db
def test_past_sixty_districts_the_district_is_typed_by_name(client, settings, monkeypatch):
    settings.CACHES = UNCACHED
    monkeypatch.setattr("core.places.DISTRICT_SELECT_LIMIT", 1)
    district, (street, _community) = grow(0)
    grow(1)
    page = client.get("/facilities/").content.decode()
    assert ">第1区</option>" not in page and ">第0区</option>" not in page  # no <option> per district
    response = client.get("/facilities/", {"district": "第0区"})
    names = {centre.district_name for centre in response.context["centres"]}
    assert names == {"第0区"}
    assert ">第0区1街道</option>" in response.content.decode()  # its streets offered
    nearest = client.get("/eldercare/nearest/", {"district": "第1区"}).content.decode()
    assert ">第1区1街道</option>" in nearest and ">第0区1街道</option>" not in nearest


@pytest.mark.django_db
def test_paging_stops_at_the_cap_and_says_so(client, settings, monkeypatch):
    settings.CACHES = UNCACHED
    monkeypatch.setattr("core.places.CappedPaginator.cap", 4)
    grow(0)  # six centres
    response = client.get("/facilities/", {"page": 99})
    assert response.context["page"].paginator.count == 4
    assert "符合条件的超过 4 条" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "row", "names", "page_size"), [
    ("/facilities/", "centres", "community_name", "facilities.views.PAGE_SIZE"),
    ("/eldercare/", "facilities", "division_name", "eldercare.views.PAGE_SIZE"),
    ("/volunteers/", "teams", "community", "volunteers.views.TEAMS_PER_PAGE"),
])
def test_the_pages_hold_every_row_once_in_the_lists_order_with_their_names(client, settings, monkeypatch, url, row,
                                                                           names, page_size):
    """The page's rows are looked up by the ids the lighter query puts on it (``CappedPaginator.page``): walking
    every page gives the whole list in its order, each row with its division's name."""
    settings.CACHES = UNCACHED
    monkeypatch.setattr(page_size, 5)
    grow(0)
    grow(1)  # 12 of each kind (and 4 street centres): pages of 5, the last one short
    walked, page_number = [], 1
    while True:
        response = client.get(url, {"page": page_number})
        walked += [(item.pk, getattr(item, names)) for item in response.context[row]]
        if not response.context["page"].has_next():
            break
        page_number += 1
    listed = list(response.context["page"].paginator.object_list)
    assert len(walked) == len(set(walked)) == response.context["page"].paginator.count
    assert page_number == 3 if row != "facilities" else page_number == 4
    assert [key for key, _ in walked] == [item.pk for item in listed]
    assert all(name for _, name in walked)


@pytest.mark.django_db
def test_search_counts_stop_at_the_cap_and_say_so(client, settings, monkeypatch):
    settings.CACHES = UNCACHED
    monkeypatch.setattr("core.places.CappedPaginator.cap", 4)  # a kind's own pages
    monkeypatch.setattr("portal.search.OVERVIEW_CAP", 3)  # the overview of every kind
    grow(0)  # six of each kind, all in a 社区
    response = client.get("/search/", {"q": "社区"})
    assert [(group.count, group.capped) for group in response.context["groups"]] == [(3, True)] * 3
    html = response.content.decode()
    assert "找到超过 9 个结果" in html and "超过 3 个" in html and "data-capped" in html
    assert "查看前 4 个" in html  # the kind's pages show up to their own cap
    page = client.get("/search/", {"q": "社区", "kind": "centre"})
    assert page.context["page"].paginator.count == 4
    assert "符合条件的超过 4 条" in page.content.decode()
    exact = client.get("/search/", {"q": "第0区1街道1社区"})  # under the cap: the exact count, no "more than"
    assert [group.count for group in exact.context["groups"]] == [1, 1, 1]
    assert "data-capped" not in exact.content.decode()


@pytest.mark.django_db
def test_team_hours_on_the_list_equal_a_fresh_sum(client, settings):
    from django.db.models import Q, Sum

    from volunteers.selectors import hours_since

    settings.CACHES = UNCACHED
    grow(0)
    teams = client.get("/volunteers/").context["teams"]
    fresh = dict(Team.objects.annotate(h=Sum("records__hours", filter=Q(records__date__gte=hours_since())))
                 .values_list("pk", "h"))
    assert teams and all(team.recent_hours == fresh[team.pk] for team in teams)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["centre", "facility", "team"])
def test_a_search_s_pages_under_the_cap_are_cut_from_the_rows_found(client, settings, monkeypatch, kind):
    """A kind's own pages (``CappedPaginator(among_found=True)``): the count reads the ids of what matched, and
    when that is all of it, each page is ordered and cut from those ids — not found by walking the list's order
    past every row that doesn't match (a street's name over the whole province). Same rows, same order, same two
    statements a page as a count and a page were; past the cap, the list's order as before."""
    from portal import search

    settings.CACHES = UNCACHED
    monkeypatch.setattr("portal.views.PAGE_SIZE", 2)
    for unit in range(3):
        grow(unit)
    words = ["第1区"]  # the middle unit's: 6 centres, 7 eldercare facilities, 6 teams
    expected = list(search.QUERIES[kind](words).values_list("pk", flat=True))
    walked, number = [], 1
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/search/", {"q": "第1区", "kind": kind, "page": number})
        paginator = response.context["page"].paginator
        assert len(queries) == 3  # the holiday calendar (every cache off), the ids found, the page
        assert paginator.found is not None and sorted(paginator.found) == sorted(expected)
        page_sql = queries.captured_queries[-1]["sql"]
        assert all(str(pk) in page_sql for pk in expected)  # the page is cut from the ids found
        walked += [item.pk for item in response.context["groups"][0].items]
        if not response.context["page"].has_next():
            break
        number += 1
    assert walked == expected and paginator.count == len(expected) and not paginator.capped

    monkeypatch.setattr("core.places.CappedPaginator.cap", 4)  # more match than are paged: the list's order
    response = client.get("/search/", {"q": "第1区", "kind": kind})
    paginator = response.context["page"].paginator
    assert paginator.capped and paginator.found is None
    assert [item.pk for item in response.context["groups"][0].items] == expected[:2]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "row"), [("/facilities/", "centres"), ("/eldercare/", "facilities"),
                                          ("/volunteers/", "teams")])
def test_a_filtered_list_under_the_cap_is_cut_from_the_rows_found(client, settings, url, row):
    """A list narrowed by the resident (here to a street, by its name or by the street select): its page is cut from
    the ids the count found, in the list's order — as a search's own pages are."""
    settings.CACHES = UNCACHED
    grow(0)
    _district, (street, _community) = grow(1)
    params = {"street": street.pk, "district": street.parent_id} if row == "teams" else {"q": street.name}
    response = client.get(url, params)
    paginator = response.context["page"].paginator
    shown = [item.pk for item in response.context[row]]
    assert paginator.found is not None and sorted(paginator.found) == sorted(shown)
    assert len(shown) == paginator.count >= 3
    assert shown == [item.pk for item in paginator.querysets[0]]  # the list's own order

"""Residents' pages: no login, operating centres only, hours on the official calendar."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import reference
from core.fields import Status
from core.models import Holiday
from tests.facilities.conftest import make_centre

LIST = "/facilities/"


def names(response):
    return [centre.name for centre in response.context["centres"]]


def test_list_shows_operating_centres_only(city, centre_a, client):
    make_centre(city["community_b"], "SQ-BUILD", name="在建中心", status=Status.CONSTRUCTION)
    make_centre(city["community_c"], "SQ-SHUT", name="停用中心", status=Status.CLOSED)
    response = client.get(LIST)
    assert response.status_code == 200
    assert names(response) == [centre_a.name]


def test_url_names(centre_a):
    assert reverse("facilities:list") == LIST
    assert reverse("facilities:detail", args=[centre_a.pk]) == f"/facilities/{centre_a.pk}/"


def test_todays_hours_and_an_open_badge_on_an_ordinary_monday(centre_a, client, now_is):
    now_is(2025, 6, 9, 9, 0)
    page = client.get(LIST).content.decode()
    assert "08:00-12:00,13:00-17:00" in page and "正在开放" in page
    now_is(2025, 6, 9, 12, 30)
    assert "现在未开放" in client.get(LIST).content.decode()


def test_public_holiday_uses_saturday_hours_or_closes(city, centre_a, client, now_is):
    Holiday.objects.create(date=date(2025, 10, 1), kind=Holiday.DayKind.HOLIDAY, name="国庆节")
    make_centre(city["community_b"], "SQ-B", name="节假日闭馆中心", open_on_holidays=False)
    make_centre(city["community_c"], "SQ-C", name="节假日半天中心", hours_holiday="09:00-11:00")
    now_is(2025, 10, 1, 14, 0)  # a Wednesday
    response = client.get(LIST)
    today = {centre.name: (centre.today_hours, centre.is_open) for centre in response.context["centres"]}
    assert today == {
        centre_a.name: ("08:00-12:00,13:00-17:00", True),  # Saturday hours
        "节假日闭馆中心": ("", False),
        "节假日半天中心": ("09:00-11:00", False),  # its own holiday hours
    }
    assert "国庆节" in response.content.decode()


def test_make_up_workday_opens_with_monday_hours(city, client, now_is):
    make_centre(city["community_a"], "SQ-WD", name="周日休息中心", hours_mon="09:00-17:00", hours_sun="")
    Holiday.objects.create(date=date(2025, 9, 28), kind=Holiday.DayKind.WORKDAY, name="国庆节调休")
    now_is(2025, 9, 28, 14, 0)  # a Sunday
    [centre] = client.get(LIST).context["centres"]
    assert (centre.today_hours, centre.is_open) == ("09:00-17:00", True)
    assert [c.name for c in client.get(LIST, {"open_now": "on"}).context["centres"]] == ["周日休息中心"]


def test_open_now_filter_at_the_lunch_break(city, centre_a, client, now_is):
    make_centre(city["community_b"], "SQ-ALLDAY", name="全天中心", hours_mon="08:00-18:00")
    now_is(2025, 6, 9, 12, 30)
    assert names(client.get(LIST, {"open_now": "on"})) == ["全天中心"]
    assert len(names(client.get(LIST))) == 2
    now_is(2025, 6, 9, 13, 0)  # the afternoon interval starts: open
    assert len(names(client.get(LIST, {"open_now": "on"}))) == 2


def test_filters_by_district_street_service_and_text(city, client, services):
    a = make_centre(city["community_a"], "SQ-A", name="建设中心", address="和平路1号")
    make_centre(city["community_b"], "SQ-B", name="南山中心", address="南山路2号")
    c = make_centre(city["community_c"], "SQ-C", name="东升中心", address="和平路9号")
    a.services.set([services[0]])
    c.services.set([services[1]])
    assert names(client.get(LIST, {"district": city["district2"].pk})) == ["东升中心"]
    assert names(client.get(LIST, {"street": city["street_b"].pk})) == ["南山中心"]
    assert names(client.get(LIST, {"service": services[1].pk})) == ["东升中心"]
    assert names(client.get(LIST, {"q": "和平路"})) == ["建设中心", "东升中心"]
    assert names(client.get(LIST, {"q": "建设"})) == ["建设中心"]
    # The box reads the one search's kept text (core.search_text): the community's, street's and district's names
    # and the services' too; every word must match; full-width letters and spaces are folded.
    assert names(client.get(LIST, {"q": city["street_b"].name})) == ["南山中心"]
    assert names(client.get(LIST, {"q": f"和平路　{city['district2'].name}"})) == ["东升中心"]
    assert names(client.get(LIST, {"q": services[1].name})) == ["东升中心"]


def test_list_is_paginated_keeping_the_filters(city, client):
    for number in range(25):
        make_centre(city["community_a"], f"SQ-{number:02d}", name=f"中心{number:02d}")
    first = client.get(LIST, {"q": "中心"})
    assert len(first.context["centres"]) == 20
    assert "?q=%E4%B8%AD%E5%BF%83&amp;page=2" in first.content.decode()
    assert len(client.get(LIST, {"q": "中心", "page": 2}).context["centres"]) == 5


def test_detail_shows_what_a_resident_needs(centre_a, alice, services, client, now_is):
    centre_a.services.set(services[:2])
    centre_a.latitude, centre_a.longitude = 45.3, 130.97
    centre_a.verified_on, centre_a.verified_by = date(2025, 6, 1), alice
    centre_a.save()
    now_is(2025, 6, 9, 9, 0)
    response = client.get(reverse("facilities:detail", args=[centre_a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert centre_a.address in page
    assert 'href="tel:0467-2345678"' in page
    assert "党建活动" in page and "养老服务" in page and "法律咨询" not in page
    assert "geo:45.300000,130.970000" in page and "北纬" not in page  # the address in words, coordinates in links
    assert "2025-06-01" in page
    assert "alice" not in page  # who verified is not public


def test_detail_week_highlights_today_and_follows_the_calendar(centre_a, client, now_is):
    Holiday.objects.create(date=date(2025, 10, 1), kind=Holiday.DayKind.HOLIDAY, name="国庆节")
    centre_a.open_on_holidays = False
    centre_a.save()
    now_is(2025, 9, 30, 9, 0)
    response = client.get(reverse("facilities:detail", args=[centre_a.pk]))
    week = response.context["week"]
    assert [day["is_today"] for day in week] == [True] + [False] * 6
    assert week[1]["hours"] == "" and week[1]["special"].name == "国庆节"
    page = response.content.decode()
    assert 'aria-current="date"' in page and "（今天）" in page


@pytest.mark.parametrize("status", [Status.CONSTRUCTION, Status.CLOSED])
def test_detail_of_a_centre_not_operating_is_404(city, client, status):
    centre = make_centre(city["community_a"], "SQ-X", status=status)
    assert client.get(reverse("facilities:detail", args=[centre.pk])).status_code == 404


def test_pages_need_no_login_and_carry_no_script_or_inline_style(centre_a, client):
    for url in (LIST, reverse("facilities:detail", args=[centre_a.pk])):
        page = client.get(url).content.decode()
        assert "<script>" not in page and "style=" not in page
        assert "/static/css/facilities.css" in page


def _queries(client, url, params=None):
    reference.forget()  # the count includes reading the reference data (districts, services, calendar) kept per process
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"open_now": "on", "q": "中心", "service": "1"}])
def test_list_query_count_does_not_grow_with_centres(city, client, services, django_assert_max_num_queries, params):
    communities = [city[key] for key in ("community_a", "community_a2", "community_b", "community_c", "village")]
    for number in range(3):
        make_centre(communities[number], f"SQ-{number:02d}", hours_mon="00:00-23:59").services.set(services)
    with_three = _queries(client, LIST, params)
    for number in range(3, 30):
        make_centre(communities[number % 5], f"SQ-{number:02d}", hours_mon="00:00-23:59").services.set(services)
    with_thirty = _queries(client, LIST, params)
    # Choices of district and service; the chosen service; the day's calendar row (read once, for the
    # filter and for the badges); count; page (none when nothing matches).
    assert with_three == with_thirty <= 6
    with django_assert_max_num_queries(6):
        client.get(LIST, params)


def test_detail_query_count_is_fixed(city, client, services, django_assert_num_queries):
    centre = make_centre(city["community_a"], "SQ-D")
    centre.services.set(services)
    for number in range(30):
        make_centre(city["community_b"], f"SQ-{number:02d}")
    with django_assert_num_queries(4):  # centre with divisions, its services, the week's calendar, its 好差评
        client.get(reverse("facilities:detail", args=[centre.pk]))

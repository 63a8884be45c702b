from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from core.dates import month_bounds
from eldercare import selectors
from eldercare.masking import mask_id
from eldercare.models import Visit

TODO = reverse("eldercare:visits_todo")


@pytest.fixture
def today_is(monkeypatch):
    """Pin the Asia/Shanghai clock the to-do page and the one-click visit read."""

    def pin(day, hour=10):
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(selectors, "local_now", lambda: moment)

    return pin


def visit(elder, on, method=Visit.Method.IN_PERSON, visitor="刘洋"):
    return Visit.objects.create(elder=elder, visited_on=on, visitor=visitor, method=method)


def test_month_bounds_run_from_the_first_to_the_last_day_inclusive():
    assert month_bounds(date(2025, 6, 30)) == (date(2025, 6, 1), date(2025, 6, 30))
    assert month_bounds(date(2025, 12, 31)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert month_bounds(date(2024, 2, 29)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_bounds("2025-02") == (date(2025, 2, 1), date(2025, 2, 28))


def test_a_visit_on_the_last_day_of_the_month_counts_in_that_month_only(elder_a):
    elder = elder_a
    last_day = visit(elder, date(2025, 6, 30))
    assert list(Visit.objects.in_month(date(2025, 6, 1))) == [last_day]
    assert not Visit.objects.in_month("2025-07").exists()


def test_the_visit_month_follows_shanghai_not_utc(monkeypatch):
    from django.utils import timezone

    # 2025-06-30 16:30 UTC is already 1 July 00:30 in Shanghai.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 6, 30, 16, 30, tzinfo=ZoneInfo("UTC")))
    assert selectors.local_today() == date(2025, 7, 1)


def test_a_visit_on_the_last_day_of_last_month_does_not_count_for_this_month(alice, elder_a):
    visit(elder_a, date(2025, 6, 30))
    figures = selectors.visit_rate(alice, alice.division, date(2025, 7, 1))
    assert (figures["registered"], figures["visited"], figures["rate"]) == (1, 0, 0)
    assert list(selectors.unvisited_elders(alice, alice.division, date(2025, 7, 1))) == [elder_a]


def test_a_visit_on_the_first_of_the_month_counts(alice, elder_a):
    visit(elder_a, date(2025, 7, 1))
    figures = selectors.visit_rate(alice, alice.division, date(2025, 7, 31))
    assert (figures["visited"], figures["rate"]) == (1, 100)
    assert not selectors.unvisited_elders(alice, alice.division, date(2025, 7, 31)).exists()


def test_a_visit_on_the_last_day_counts_for_its_own_month_only(alice, elder_a):
    visit(elder_a, date(2025, 6, 30))
    assert selectors.visit_rate(alice, alice.division, date(2025, 6, 30))["visited"] == 1
    assert selectors.visit_rate(alice, alice.division, date(2025, 7, 1))["visited"] == 0


def test_phone_visits_count_and_two_visits_count_one_elder_once(alice, city, make_elder, elder_a):
    second = make_elder(city["community_a2"])
    make_elder(city["community_a2"])  # not visited
    visit(elder_a, date(2025, 7, 3), Visit.Method.PHONE)
    visit(elder_a, date(2025, 7, 9))
    visit(second, date(2025, 7, 9), Visit.Method.PHONE)
    figures = selectors.visit_rate(alice, alice.division, date(2025, 7, 15))
    assert (figures["registered"], figures["visited"]) == (3, 2)
    assert figures["rate"] == pytest.approx(200 / 3)


def test_other_streets_elders_are_neither_listed_nor_counted(alice, elder_a, elder_b):
    figures = selectors.visit_rate(alice, alice.division, date(2025, 7, 15))
    assert figures["registered"] == 1
    assert list(selectors.unvisited_elders(alice, alice.division, date(2025, 7, 15))) == [elder_a]


def test_the_to_do_page_lists_the_unvisited_masked_with_the_rate(as_user, alice, city, make_elder, elder_a, today_is):
    visited = make_elder(city["community_a"], name="已探访老人")
    visit(visited, date(2025, 7, 1))
    visit(elder_a, date(2025, 6, 30))
    today_is(date(2025, 7, 1))
    html = as_user(alice).get(TODO).content.decode()
    assert "张秀英" in html and "已探访老人" not in html
    assert "50.0%" in html and "已探访 1 人 / 登记 2 人" in html
    assert mask_id(elder_a.id_number) in html and "138****5678" in html
    assert elder_a.id_number not in html and elder_a.phone not in html
    assert "2025-06-30" in html  # last visit shown


def test_the_to_do_page_needs_a_login(client):
    response = client.get(TODO)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_one_click_records_todays_visit_by_the_signed_in_user(as_user, alice, elder_a, today_is):
    alice.first_name = "向阳填报员"
    alice.save()
    today_is(date(2025, 7, 31))
    url = reverse("eldercare:record_visit", args=[elder_a.pk])
    response = as_user(alice).post(url, {"method": Visit.Method.PHONE})
    assert response.status_code == 302 and response["Location"] == TODO
    recorded = Visit.objects.get()
    assert (recorded.elder, recorded.visited_on, recorded.visitor, recorded.method) == (
        elder_a, date(2025, 7, 31), "向阳填报员", Visit.Method.PHONE,
    )
    assert "张秀英" not in as_user(alice).get(TODO).content.decode()
    # a second click the same day finds the same record
    as_user(alice).post(url, {"method": Visit.Method.PHONE})
    assert Visit.objects.count() == 1


def test_recording_a_visit_is_a_post_with_csrf(alice, elder_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("eldercare:record_visit", args=[elder_a.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"method": "phone"}).status_code == 403
    assert not Visit.objects.exists()


def test_clerk_cannot_record_a_visit_to_another_streets_elder(as_user, alice, elder_b):
    response = as_user(alice).post(reverse("eldercare:record_visit", args=[elder_b.pk]), {"method": "phone"})
    assert response.status_code == 404
    assert not Visit.objects.exists()


def test_reviewer_reads_the_to_do_but_cannot_record(as_user, rita, city, elder_a):
    client = as_user(rita)
    html = client.get(TODO, {"street": city["street_a"].code}).content.decode()
    assert "张秀英" in html
    assert reverse("eldercare:record_visit", args=[elder_a.pk]) not in html
    response = client.post(reverse("eldercare:record_visit", args=[elder_a.pk]), {"method": "phone"})
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_bureau_administrator_chooses_a_street_and_records(as_user, adam, city, elder_b, today_is):
    today_is(date(2025, 7, 2))
    client = as_user(adam)
    assert "李桂兰" not in client.get(TODO).content.decode()  # no street chosen yet
    assert "李桂兰" in client.get(TODO, {"street": city["street_b"].code}).content.decode()
    response = client.post(reverse("eldercare:record_visit", args=[elder_b.pk]), {"method": "in_person"})
    assert response["Location"] == f"{TODO}?street={city['street_b'].code}"
    assert Visit.objects.get().visitor == "adam"


def test_a_clerk_cannot_look_at_another_street_through_the_query_string(as_user, alice, city, elder_b):
    html = as_user(alice).get(TODO, {"street": city["street_b"].code}).content.decode()
    assert "李桂兰" not in html


def test_to_do_query_count_does_not_grow_with_the_elders(
    as_user, alice, city, make_elder, today_is, django_assert_max_num_queries
):
    today_is(date(2025, 7, 15))
    client = as_user(alice)
    for _ in range(3):
        make_elder(city["community_a"])
    with django_assert_max_num_queries(7) as few:  # 7th: the elders' categories, prefetched in one query
        client.get(TODO)
    for _ in range(20):
        visit(make_elder(city["community_a2"]), date(2025, 6, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(TODO).content.decode()
    assert html.count("记录探访") >= 23


def test_the_to_do_filters_by_one_of_the_elders_categories(as_user, alice, city, make_elder, today_is):
    today_is(date(2025, 7, 15))
    make_elder(city["community_a"], code="LR-BOTH", categories=("alone", "dementia"))
    make_elder(city["community_a"], code="LR-OLD", categories=("very_old",))
    client = as_user(alice)
    html = client.get(TODO).content.decode()
    assert "LR-BOTH" in html and "LR-OLD" in html and "独居、失智" in html
    html = client.get(TODO, {"category": "dementia"}).content.decode()
    assert "LR-BOTH" in html and "LR-OLD" not in html
    assert '<option value="dementia" selected>失智</option>' in html

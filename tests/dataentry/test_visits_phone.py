"""Visits on a phone: any day of this month or the last (never the future), a way and a note, the phone revealed
to the responsible clerk (each reveal logged), never-visited elders first."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.urls import reverse

from eldercare.models import Elder, ElderAccessLog, Visit

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("eldercare.selectors.local_today", return_value=TODAY), \
            mock.patch("eldercare.views.selectors.local_today", return_value=TODAY), \
            mock.patch("eldercare.services.local_today", return_value=TODAY):
        yield


@pytest.fixture
def elders(city):
    made = []
    for number, community in enumerate([city["community_a"], city["community_a2"]], start=1):
        made.append(Elder.objects.create(code=f"LR{number}", name=f"老人{number}", community=community,
                                         phone="13812345678"))
    return made


def record(client, elder, **data):
    return client.post(reverse("eldercare:record_visit", args=[elder.pk]), {"method": "phone", **data})


def test_clerk_records_yesterdays_phone_visit_with_a_note(as_user, alice, elders):
    response = record(as_user(alice), elders[0], visited_on="2026-03-09", note="腿脚不便，下周上门")
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.visited_on, visit.method, visit.note) == (date(2026, 3, 9), "phone", "腿脚不便，下周上门")


@pytest.mark.parametrize("day", ["2026-02-01", "2026-03-10"])
def test_any_day_of_this_month_or_the_last_is_accepted(as_user, alice, elders, day):
    record(as_user(alice), elders[0], visited_on=day)
    assert Visit.objects.filter(visited_on=day).exists()


@pytest.mark.parametrize(("day", "words"), [("2026-03-11", "在今天之后"), ("2026-01-31", "早于上月 1 日")])
def test_a_future_day_or_one_before_last_month_is_refused_with_a_message(as_user, alice, elders, day, words):
    client = as_user(alice)
    response = record(client, elders[0], visited_on=day)
    assert response.status_code == 302 and not Visit.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert words in page and "老人1" in page


def test_the_page_offers_a_date_between_the_first_of_last_month_and_today(as_user, alice, elders):
    page = as_user(alice).get(reverse("eldercare:visits_todo")).content.decode()
    assert 'type="date" name="visited_on" value="2026-03-10" min="2026-02-01" max="2026-03-10"' in page
    assert 'name="note"' in page


def test_the_responsible_clerk_reveals_the_full_phone_and_it_is_logged(as_user, alice, elders):
    client = as_user(alice)
    todo = client.get(reverse("eldercare:visits_todo")).content.decode()
    assert "13812345678" not in todo and "138****5678" in todo
    page = client.post(reverse("eldercare:reveal_phone", args=[elders[0].pk])).content.decode()
    assert 'href="tel:13812345678"' in page
    log = ElderAccessLog.objects.get()
    assert (log.user, log.elder, log.channel) == (alice, elders[0], ElderAccessLog.Channel.REVEAL)
    client.post(reverse("eldercare:reveal_phone", args=[elders[0].pk]))
    assert ElderAccessLog.objects.count() == 2  # each reveal


def test_reveal_is_post_only_and_not_for_other_streets_or_reviewers(as_user, bob, rita, alice, elders):
    url = reverse("eldercare:reveal_phone", args=[elders[0].pk])
    assert as_user(alice).get(url).status_code == 405
    assert as_user(bob).post(url).status_code == 404
    assert as_user(rita).post(url).status_code == 403
    assert not ElderAccessLog.objects.exists()


def test_never_visited_elders_come_first(as_user, alice, elders):
    Visit.objects.create(elder=elders[0], visited_on=TODAY - timedelta(days=40), visitor="x", method="phone")
    page = as_user(alice).get(reverse("eldercare:visits_todo")).content.decode()
    assert page.index("老人2") < page.index("老人1")  # 老人2 never visited; 老人1 visited last month

"""Public pages are cached for anonymous visitors and follow every change of what they show."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.opening import at
from facilities.models import Service
from tests.facilities.conftest import make_centre


@pytest.fixture
def centre(city):
    return make_centre(city["community_a"], "SQ-CACHE", name="建设社区党群服务中心")


def test_a_second_visit_reads_nothing_from_the_database(centre, client, django_assert_max_num_queries):
    for url in ("/facilities/", f"/facilities/{centre.pk}/", "/eldercare/", "/volunteers/"):
        client.get(url)
        with django_assert_max_num_queries(0):
            assert client.get(url).status_code == 200


def test_a_renamed_centre_shows_at_once(centre, client):
    assert "建设社区党群服务中心" in client.get("/facilities/").content.decode()
    centre.name = "建设社区综合服务中心"
    centre.save()
    page = client.get("/facilities/").content.decode()
    assert "建设社区综合服务中心" in page and "建设社区党群服务中心" not in page


def test_a_service_added_to_a_centre_shows_at_once(centre, client):
    url = f"/facilities/{centre.pk}/"
    client.get(url)
    centre.services.add(Service.objects.create(name="法律咨询"))
    assert "法律咨询" in client.get(url).content.decode()


def test_a_closed_centre_leaves_the_listing_at_once(centre, client):
    client.get("/facilities/")
    centre.status = "closed"
    centre.save()
    assert "建设社区党群服务中心" not in client.get("/facilities/").content.decode()
    assert client.get(f"/facilities/{centre.pk}/").status_code == 404


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def test_open_now_is_recomputed_the_next_minute(centre, client, monkeypatch):
    moment = at(2025, 6, 9, 10, 0)
    monkeypatch.setattr("core.opening.local_now", lambda: moment)
    client.get("/facilities/")
    assert queries_of(client, "/facilities/") == 0
    monkeypatch.setattr("core.opening.local_now", lambda: moment + timedelta(minutes=1))
    assert queries_of(client, "/facilities/") > 0  # a fresh render for the new minute


def test_each_visitor_gets_their_own_csrf_token(centre, client):
    from django.test import Client

    first = client.get("/facilities/").content.decode()
    second = Client().get("/facilities/").content.decode()
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:20] != second.split(token)[1][:20]


def test_signed_in_staff_always_get_a_fresh_page(centre, alice, as_user):
    client = as_user(alice)
    client.get("/facilities/")
    assert queries_of(client, "/facilities/") > 0

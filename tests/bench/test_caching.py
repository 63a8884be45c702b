"""The home page is cached for anonymous visitors and follows every save and delete of what it counts."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from core.caching import CSRF_PLACEHOLDER, cached_public, invalidate_public
from facilities.models import Centre


def centres_shown(client):
    """The 综合服务设施 headline figure of the home page, as a visitor reads it."""
    counts = re.findall(r'<dd class="count">([\d,]+)</dd>', client.get("/").content.decode())
    return int(counts[3].replace(",", ""))


def _centre(community, code):
    centre = Centre(
        code=code, name=f"中心{code}", community=community, address="某路 1 号",
        total_area=Decimal("500"), activity_area=Decimal("400"),
    )
    centre.save()
    return centre


def test_second_home_page_view_reads_no_counts_from_the_database(city, client, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(0):
        assert client.get("/").status_code == 200


def test_new_centre_shows_in_the_count_at_once(city, client):
    assert centres_shown(client) == 0
    _centre(city["community_a"], "C1")
    assert centres_shown(client) == 1


def test_deleted_centre_leaves_the_count_at_once(city, client):
    centre = _centre(city["community_a"], "C1")
    assert centres_shown(client) == 1
    centre.delete()
    assert centres_shown(client) == 0


def test_bulk_writers_invalidate_by_hand(city, client):
    assert centres_shown(client) == 0
    Centre.objects.bulk_create([
        Centre(code="C2", name="中心", community=city["community_a"], address="某路", total_area=1, activity_area=1)
    ])
    assert centres_shown(client) == 0  # bulk_create sends no signal …
    invalidate_public()
    assert centres_shown(client) == 1  # … so bulk writers call invalidate_public()


@pytest.mark.django_db
def test_cached_value_is_computed_once_per_version():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cached_public("probe", compute) == 1
    assert cached_public("probe", compute) == 1
    invalidate_public()
    assert cached_public("probe", compute) == 2


def _token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_cached_page_gives_each_visitor_a_working_csrf_token(city):
    Client().get("/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/").content.decode()
    assert CSRF_PLACEHOLDER not in page
    response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": _token(page)})
    assert response.status_code == 302
    assert '<html lang="en">' in visitor.get("/").content.decode()


def test_two_visitors_of_the_cached_page_get_different_tokens(city):
    first, second = Client().get("/").content.decode(), Client().get("/").content.decode()
    assert _token(first) != _token(second)


def test_signed_in_user_is_never_served_the_anonymous_page(city, alice, client):
    client.get("/")
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert "alice" in page and "退出" in page

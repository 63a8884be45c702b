"""The home page's cached headline counts follow every save and delete of what they count."""

from decimal import Decimal

import pytest

from core.caching import cached_public, invalidate_public
from facilities.models import Centre


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
    client.get("/")
    _centre(city["community_a"], "C1")
    assert client.get("/").context["counts"]["centres"] == 1


def test_deleted_centre_leaves_the_count_at_once(city, client):
    centre = _centre(city["community_a"], "C1")
    assert client.get("/").context["counts"]["centres"] == 1
    centre.delete()
    assert client.get("/").context["counts"]["centres"] == 0


def test_bulk_writers_invalidate_by_hand(city, client):
    client.get("/")
    Centre.objects.bulk_create([
        Centre(code="C2", name="中心", community=city["community_a"], address="某路", total_area=1, activity_area=1)
    ])
    assert client.get("/").context["counts"]["centres"] == 0  # bulk_create sends no signal …
    invalidate_public()
    assert client.get("/").context["counts"]["centres"] == 1  # … so bulk writers call invalidate_public()


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

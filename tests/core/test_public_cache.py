"""Public pages are cached for anonymous visitors and follow every change of what they show.

The home page's figures (formerly tests/bench/test_caching.py) are here too: one module for the public cache.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import caching
from core.caching import CSRF_PLACEHOLDER, bulk_change, cached_public, invalidate_public
from core.opening import at
from facilities.models import Centre, Service
from tests.builders import CentreFactory
from tests.facilities.conftest import make_centre


@pytest.fixture
def centre(city):
    return make_centre(city["community_a"], "SQ-CACHE", name="建设社区党群服务中心")


def test_a_second_visit_reads_nothing_from_the_database(centre, client, django_assert_max_num_queries):
    for url in ("/", "/facilities/", f"/facilities/{centre.pk}/", "/eldercare/", "/volunteers/"):
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


def test_open_now_is_kept_until_a_shown_centre_opens_or_closes(centre, client, monkeypatch):
    moment = at(2025, 6, 9, 10, 0)  # a Monday; the centre is open 08:00-12:00 and 13:00-17:00
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    client.get("/facilities/")
    assert queries_of(client, "/facilities/") == 0
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment + timedelta(minutes=119))
    assert queries_of(client, "/facilities/") == 0  # 11:59: still open, the kept page is still true
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment + timedelta(minutes=120))
    assert queries_of(client, "/facilities/") > 0  # 12:00: it closes for lunch, a fresh render
    assert "现在未开放" in client.get("/facilities/").content.decode()


def test_a_list_filtered_by_open_now_is_rendered_again_the_next_minute(centre, client, monkeypatch):
    moment = at(2025, 6, 9, 10, 0)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    client.get("/facilities/?open_now=on")
    assert queries_of(client, "/facilities/?open_now=on") == 0
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment + timedelta(minutes=1))
    assert queries_of(client, "/facilities/?open_now=on") > 0  # another centre may have opened


def test_today_moves_on_at_midnight(centre, client, monkeypatch):
    moment = at(2025, 6, 9, 23, 0)  # closed since 17:00: nothing changes before midnight
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    url = f"/facilities/{centre.pk}/"
    client.get(url)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment + timedelta(minutes=59))
    assert queries_of(client, url) == 0
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment + timedelta(minutes=60))
    assert queries_of(client, url) > 0


def test_a_save_in_street_a_keeps_street_b_pages_and_refreshes_street_a(city, client):
    """A clerk's save retires its own street's, district's and city's lists and its own page only."""
    centre_a = make_centre(city["community_a"], "SQ-A", name="向阳中心")
    centre_b = make_centre(city["community_b"], "SQ-B", name="南山中心")
    centre_c = make_centre(city["community_c"], "SQ-C", name="东升中心")
    street_a = f"/facilities/?street={city['street_a'].pk}"
    street_b = f"/facilities/?street={city['street_b'].pk}"
    district2 = f"/facilities/?district={city['district2'].pk}"
    city_wide = "/facilities/"
    urls = (street_a, street_b, district2, city_wide, f"/facilities/{centre_a.pk}/", f"/facilities/{centre_b.pk}/")
    for url in urls:
        client.get(url)
        assert queries_of(client, url) == 0
    centre_a.name = "向阳街道党群服务中心"
    centre_a.save()
    # Street B's list, the other district's list and the other centre's page are still kept …
    for url in (street_b, district2, f"/facilities/{centre_b.pk}/"):
        assert queries_of(client, url) == 0, url
    # … while street A's list, the city list and A's own page show the new name at once.
    for url in (street_a, city_wide, f"/facilities/{centre_a.pk}/"):
        assert "向阳街道党群服务中心" in client.get(url).content.decode(), url
    assert centre_c.name in client.get(district2).content.decode()


def test_a_centre_moved_to_another_street_leaves_the_old_streets_list(city, client):
    centre = make_centre(city["community_a"], "SQ-MOVE", name="搬迁中心")
    street_a = f"/facilities/?street={city['street_a'].pk}"
    street_b = f"/facilities/?street={city['street_b'].pk}"
    assert "搬迁中心" in client.get(street_a).content.decode()
    assert "搬迁中心" not in client.get(street_b).content.decode()
    centre.community = city["community_b"]
    centre.save()
    assert "搬迁中心" not in client.get(street_a).content.decode()
    assert "搬迁中心" in client.get(street_b).content.decode()


def test_a_renamed_street_shows_on_every_page(city, client):
    make_centre(city["community_b"], "SQ-B", name="南山中心")
    url = f"/facilities/?street={city['street_b'].pk}"
    client.get(url)
    street = city["street_b"]
    street.name = "南山新街道"
    street.save()
    assert "南山新街道" in client.get(url).content.decode()


def test_a_page_rendered_inside_an_open_transaction_is_not_kept_past_its_commit(
    city, client, django_capture_on_commit_callbacks
):
    """The version is bumped at the save and again at the commit: what was rendered in between is retired."""
    from django.db import transaction

    centre = make_centre(city["community_a"], "SQ-TX", name="事务中心")
    url = f"/facilities/{centre.pk}/"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        centre.name = "事务中心（新）"
        centre.save()
        client.get(url)  # rendered (and kept) between the save and the commit
    assert queries_of(client, url) > 0


def test_each_visitor_gets_their_own_csrf_token(centre, client):
    first = client.get("/facilities/").content.decode()
    second = Client().get("/facilities/").content.decode()
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:20] != second.split(token)[1][:20]


def test_signed_in_staff_always_get_a_fresh_page_never_the_anonymous_one(centre, alice, client):
    for url in ("/", "/facilities/"):
        client.logout()
        client.get(url)  # the anonymous page is kept
        client.force_login(alice)
        assert queries_of(client, url) > 0
        page = client.get(url).content.decode()
        assert "alice" in page and "退出" in page


def test_a_page_one_worker_rendered_is_served_by_another_until_a_save_retires_it(centre, client):
    """Each worker keeps its own copy; the shared one spares the other workers a render after a save."""
    from django.core.cache import caches

    url = f"/facilities/{centre.pk}/"
    client.get(url)
    caches["pages"].clear()  # another worker: nothing of its own yet
    assert queries_of(client, url) == 0
    caches["pages"].clear()
    centre.name = "建设社区综合服务中心"
    centre.save()
    assert "建设社区综合服务中心" in client.get(url).content.decode()  # the shared copy was retired too


# --- The home page's figures ------------------------------------------------------------------------------


def centres_shown(client):
    """The 综合服务设施 headline figure of the home page, as a visitor reads it."""
    counts = re.findall(r'<dd class="count">([\d,]+)</dd>', client.get("/").content.decode())
    return int(counts[3].replace(",", ""))


def test_a_new_centre_shows_in_the_home_count_at_once_and_a_deleted_one_leaves_it(city, client):
    assert centres_shown(client) == 0
    centre = CentreFactory(community=city["community_a"])
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


def test_a_bulk_change_bumps_nothing_inside_and_everything_once_on_leaving(
    centre, city, client, monkeypatch, django_capture_on_commit_callbacks
):
    """seed_demo's block: no per-row bump (nor scope look-up) inside, and no page kept from before survives it."""
    urls = ("/facilities/", f"/facilities/{centre.pk}/", f"/facilities/?street={city['street_a'].pk}")
    for url in ("/", *urls):
        client.get(url)
    bumped, bump = [], caching._bump_keys
    monkeypatch.setattr(caching, "_bump_keys", lambda keys: (bumped.append(list(keys)), bump(keys)))
    # record_scopes() turns the row a scope look-up read into scopes: not called means not looked up.
    looked_up, record_scopes = [], caching.record_scopes
    monkeypatch.setattr(caching, "record_scopes", lambda *args: (looked_up.append(args), record_scopes(*args))[1])
    with django_capture_on_commit_callbacks(execute=True):
        with bulk_change():
            with bulk_change():  # nested: only the outermost block bumps
                centre.name = "建设社区综合服务中心"
                centre.save()
            CentreFactory(community=city["community_b"])
            assert bumped == [] and looked_up == []
    assert bumped == [[caching.VERSION_KEY, caching.SCOPE_PREFIX + caching.ANY]] * 2  # now, and on commit
    for url in urls:
        page = client.get(url).content.decode()
        assert "建设社区综合服务中心" in page and "建设社区党群服务中心" not in page, url
    assert centres_shown(client) == 2


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


def test_the_cached_home_page_gives_each_visitor_a_working_csrf_token(city):
    Client().get("/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/").content.decode()
    assert CSRF_PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert '<html lang="en">' in visitor.get("/").content.decode()

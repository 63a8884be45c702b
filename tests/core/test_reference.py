"""Reference data kept per process (core.reference): read once per version of the public data, never stale.

The pages here are rendered with the page cache off (``PUBLIC_PAGE_CACHE=False``): what a resident meets right
after a save retired the page, and the case where the kept reference data is what saves the queries.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core import caching, reference
from core.models import Holiday, Kind
from core.opening import calendar_days, local_now, special_day
from core.places import listed_districts
from facilities.filters import PublicCentreFilter
from facilities.models import Service
from tests.facilities.conftest import make_centre
from tests.personas import make_division

pytestmark = pytest.mark.django_db

UNCACHED_PAGES = override_settings(PUBLIC_PAGE_CACHE=False)
NO_SHARED_CACHE = override_settings(
    CACHES={name: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for name in ("default", "pages")}
)


@pytest.fixture
def services():
    return [Service.objects.create(name=name, ordering=i) for i, name in enumerate(["党建活动", "养老服务", "法律咨询"])]


def _counted(compute):
    calls = []

    def counted():
        calls.append(1)
        return compute()

    return counted, calls


def test_a_value_is_computed_once_per_version_of_the_public_data():
    compute, calls = _counted(lambda: ["平房区"])
    assert reference.kept("test-names", compute) == ["平房区"]
    assert reference.kept("test-names", compute) == ["平房区"]
    assert len(calls) == 1
    caching.invalidate_public()  # what a save of any watched model does
    reference.kept("test-names", compute)
    assert len(calls) == 2


def test_without_a_shared_cache_nothing_is_kept():
    compute, calls = _counted(lambda: 1)
    with NO_SHARED_CACHE:
        reference.kept("test-one", compute)
        reference.kept("test-one", compute)
    assert len(calls) == 2


def test_a_holiday_entered_counts_at_once():
    today = local_now().date()
    assert special_day(today) is None  # kept: the calendar has no row today
    Holiday.objects.create(date=today, kind=Holiday.DayKind.HOLIDAY, name="测试节")
    assert special_day(today).name == "测试节"
    assert list(calendar_days(today - timedelta(days=1), today)) == [today]
    assert calendar_days(today + timedelta(days=1), today + timedelta(days=9)) == {}


def test_a_district_added_is_listed_at_once(city):
    before = listed_districts()
    added = make_division("230399000000", "新设区", Kind.DISTRICT)
    assert [name for _, name in listed_districts()] == [*(name for _, name in before), "新设区"]
    added.delete()
    assert listed_districts() == before


def test_a_whole_closed_list_is_kept_and_a_narrowed_one_is_read(services):
    everything = PublicCentreFilter(None, queryset=Service.objects.none()).form.fields["service"]
    assert [label for _, label in everything.choices][1:] == ["党建活动", "养老服务", "法律咨询"]
    with CaptureQueriesContext(connection) as again:
        assert len([choice for choice in everything.choices]) == 4  # noqa: C416  # list() would ask its len(): a COUNT
    assert len(again) == 0, again.captured_queries
    everything.queryset = Service.objects.filter(name="法律咨询")  # narrowed: its own query, not the kept list
    assert [label for _, label in everything.choices][1:] == ["法律咨询"]
    services[0].name = "党建服务"
    services[0].save()
    everything.queryset = Service.objects.all()
    assert [label for _, label in everything.choices][1] == "党建服务"


@UNCACHED_PAGES
def test_an_uncached_list_reads_its_reference_data_once(city, services, client):
    make_centre(city["community_a"], "SQ-REF").services.set(services)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/facilities/").status_code == 200
        return len(captured)

    first, second = queries(), queries()
    # The districts, the services, the calendar and the kept count of operating centres: read by the first render
    # only.
    assert first - second == 4
    Service.objects.create(name="心理疏导", ordering=9)
    response = client.get("/facilities/")
    assert "心理疏导" in response.content.decode()
    assert queries() == second


@UNCACHED_PAGES
def test_an_unbound_filter_form_is_built_once_per_language(city, services, client, monkeypatch):
    from core import public_lists

    built = []
    build = public_lists.filter_fields
    monkeypatch.setattr(public_lists, "filter_fields", lambda *args: built.append(1) or build(*args))
    chinese = [client.get("/facilities/").content.decode() for _ in range(2)]
    english = [client.get("/facilities/", HTTP_ACCEPT_LANGUAGE="en").content.decode() for _ in range(2)]
    assert len(built) == 2  # once in Chinese, once in English
    assert "全部服务项目" in chinese[1]
    assert "全部服务项目" not in english[1]
    client.get("/facilities/", {"page": "2"})  # another page of the unfiltered list: the same fields
    assert len(built) == 2
    narrowed = client.get("/facilities/", {"q": "建设"}).content.decode()  # bound: built for its values
    assert len(built) == 3
    assert 'value="建设"' in narrowed
    Service.objects.filter(name="法律咨询").update(name="法律援助")  # no signal: a writer that bypasses them…
    caching.invalidate_public()  # …says so (core.caching)
    assert "法律援助" in client.get("/facilities/").content.decode()

"""The services list reads its pages as rows (``opendata.rows``): the unfiltered list's SQL is compiled once a
process, and every page says exactly what the ORM path (the stream, a record's own page) says of its records."""

import json

import pytest

from eldercare.models import FacilityKind
from opendata import taxonomy
from tests.eldercare.conftest import build_facility
from tests.facilities.conftest import make_centre
from volunteers.models import ServiceField, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(settings):
    settings.PUBLIC_PAGE_CACHE = False  # every request renders: what a client meets right after a save


@pytest.fixture
def records(city):
    """Centres, facilities (one at a street: its own office) and teams across streets, with services and fields."""
    fields = [ServiceField.objects.create(name=name) for name in ("助老", "环境", "治安")]
    communities = [city["community_a"], city["community_b"], city["village"], city["community_c"]]
    for n, community in enumerate(communities * 2):
        make_centre(community, f"C-{n}", name=f"中心{n}")
        build_facility(community, code=f"F-{n}", services=("meals", "bathing")[: n % 3])
        Team.objects.create(code=f"T-{n}", name=f"队{n}", community=community, leader="姚秀兰" if n % 2 else "")
        Team.objects.get(code=f"T-{n}").fields.add(*fields[: n % 4])
    build_facility(city["street_a"], code="JD-1", kind=FacilityKind.STREET_CENTRE, services=("meals",))
    build_facility(city["town"], code="JG-1", kind=FacilityKind.INSTITUTION, beds=40, nursing_beds=10)
    return city


def _stream(client, url):
    return [json.loads(line) for line in b"".join(client.get(url).streaming_content).decode().splitlines()]


@pytest.mark.parametrize("query", ["", "minimal=true", "full=true", "search=中心",
                                   f"taxonomy_term_id={taxonomy.TEN_HELP_TERMS['meals'].id}"])
def test_a_page_says_what_the_stream_says_of_the_same_records(client, records, rendered, query):
    """The list reads rows (a slice's records with their places, then their services as pairs); the stream reads
    the ORM's records with ``select_related`` and a prefetch: the same objects, in the same order, on every page."""
    streamed = _stream(client, f"/api/hsds/services?format=ndjson&{query}")
    assert len(streamed) > 3
    for per_page in (3, 1000):
        paged = []
        for page in range(1, len(streamed) // per_page + 2):
            paged += client.get(f"/api/hsds/services?per_page={per_page}&page={page}&{query}").json()["contents"]
        assert paged == streamed


def test_a_service_at_location_page_says_what_the_stream_says(client, records, rendered):
    for full in ("false", "true"):
        streamed = _stream(client, f"/api/hsds/service_at_locations?format=ndjson&full={full}")
        body = client.get(f"/api/hsds/service_at_locations?per_page=1000&full={full}").json()
        assert body["contents"] == streamed and len(streamed) == body["total_items"] == 26


def test_a_listed_service_is_its_own_page(client, records, rendered):
    """A record's own page reads it through the ORM (``selectors.record_by_id``)."""
    for item in client.get("/api/hsds/services?per_page=1000&full=true").json()["contents"]:
        assert client.get(f"/api/hsds/services/{item['id']}").json() == item


@pytest.mark.parametrize("query", ["", "full=true", "minimal=true"])
def test_the_unfiltered_list_compiles_nothing_after_the_first_request_and_reads_afresh(client, records, rendered,
                                                                                       compiles, query):
    url = f"/api/hsds/services?per_page=10&page=2&{query}"  # facilities, then teams: two kinds' slices
    first = client.get(url).json()["contents"]
    team = Team.objects.get(code="T-0")  # the first team of the list
    assert first[-2]["name"] == team.name
    team.name = "改名的队"
    team.save()  # read afresh: the statements are kept, not the rows
    compiles.clear()
    again = client.get(url).json()["contents"]
    assert compiles == []
    assert again[-2]["name"] == "改名的队" and again[:-2] == first[:-2]
    client.get(f"/api/hsds/services?per_page=10&page=2&search=队&{query}")
    assert compiles  # a filtered list: compiled as it comes


@pytest.mark.usefixtures("rendered")
def test_the_unfiltered_totals_are_kept_until_a_record_changes(records, client, settings):
    """The list's totals are the kept per-street figures' sums, themselves kept in the shared cache until any counted
    record changes (``portal.figures.kept_headline``): read once, then fresh after a save."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                        "LOCATION": "kept-totals"}}
    url = "/api/hsds/services?per_page=5"
    total = client.get(url).json()["total_items"]
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).json()["total_items"] == total
    assert not any("portal_streetfigures" in query["sql"] for query in again.captured_queries)
    make_centre(records["community_a"], "C-NEW", name="新中心")
    assert client.get(url).json()["total_items"] == total + 1
    Team.objects.filter(code="T-0").delete()
    assert client.get(url).json()["total_items"] == total

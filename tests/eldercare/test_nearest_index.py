"""The nearest search (``/eldercare/nearest/``) reads the nearest facilities first from their sphere index on
PostgreSQL: one statement at any density, the same rows in the same order as E7's grid boxes."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eldercare import selectors
from eldercare.models import FacilityKind
from tests.eldercare.conftest import build_facility
from tests.portal.test_near_index import _plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's sphere index: the PostgreSQL run")


@pytest.mark.django_db
def test_the_nearest_come_first_from_the_facilities_sphere_index():
    # Can the index hand the rows out in order at all (no sort, no bitmap)?
    ordered = "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off"
    plan = _plan(selectors._sphere_query(18), "facility_sphere", ordered)
    assert "facility_sphere" in plan and "Order By" in plan and "Sort" not in plan, plan


def _community(city, lat, lon):
    community = city["community_a"]
    community.latitude, community.longitude = lat, lon
    return community


@pytest.mark.django_db
def test_the_index_gives_the_boxes_rows_in_their_order_wherever_one_stands(city):
    """Facilities scattered over ~80 km, some on one spot (ties broken by code), a few closed or of a kind the
    search leaves out, a few without coordinates: from 40 points, the index and the boxes agree."""
    rng = random.Random(21)  # noqa: S311  # test data  # nosec B311
    spots = [(45.0 + rng.random() * 0.7, 130.5 + rng.random() * 1.0) for _ in range(25)]
    for n in range(160):
        lat, lon = spots[n % 25] if n % 4 == 0 else (45.0 + rng.random() * 0.7, 130.5 + rng.random() * 1.0)
        kind = [FacilityKind.DAYCARE, FacilityKind.STREET_CENTRE, FacilityKind.INSTITUTION][n % 7 % 3]
        build_facility(
            city["community_b"] if kind == FacilityKind.DAYCARE else city["street_b"],
            code=f"N{rng.randrange(10**6):06d}-{n}", latitude=lat, longitude=lon, kind=kind,
            status="closed" if n % 13 == 0 else "operating",
        )
    build_facility(city["community_b"], code="N-UNPLACED")
    settled = 0
    for _ in range(40):
        community = _community(city, 44.9 + rng.random() * 0.9, 130.4 + rng.random() * 1.2)
        first = selectors._nearest_first(community, selectors.NEAREST_LIMIT)
        boxes = selectors._nearest_in_boxes(community, selectors.NEAREST_LIMIT)[: selectors.NEAREST_LIMIT]
        if first is not None:
            settled += 1
            assert first == boxes
    assert settled >= 35  # the boxes only where a tie runs past what was read


@pytest.mark.django_db
@pytest.mark.parametrize("on_one_spot", [3, 9, 12, 25])
def test_facilities_tied_at_the_last_place_are_taken_by_code(city, on_one_spot):
    """Many facilities on one spot 1 km away, after seven nearer ones: the ten nearest are the seven and the
    first of the spot's by code. Past what the index reads (10 + 8), the boxes settle it."""
    community = _community(city, 45.30, 130.97)
    for n in range(7):
        build_facility(city["community_b"], code=f"A{n}", latitude=45.30 + 0.001 * (n + 1), longitude=130.97)
    for n in range(on_one_spot):
        build_facility(city["community_b"], code=f"B{(n * 7) % on_one_spot:02d}", latitude=45.309, longitude=130.97)
    with CaptureQueriesContext(connection) as queries:
        rows, _unlocated = selectors.nearest_facilities(community)
    expected = [f"A{n}" for n in range(7)] + [f"B{n:02d}" for n in range(3)]
    assert [row["facility"].code for row in rows] == expected
    sphere = [query for query in queries.captured_queries if "<->" in query["sql"]]
    assert len(sphere) == 1
    boxes = [query for query in queries.captured_queries if "BETWEEN" in query["sql"]]
    assert (len(boxes) > 0) == (7 + on_one_spot > selectors.NEAREST_LIMIT + selectors.NEAREST_TIES)


@pytest.mark.django_db
def test_the_nearest_page_reads_its_facilities_in_one_statement_however_far_they_lie(client, city):
    """Centres 0.5 km to 30 km away: the boxes took four statements to reach the tenth; the index one."""
    for n in range(12):
        build_facility(city["community_b"], code=f"F{n:02d}", latitude=45.30 + 0.0045 * (1.5**n), longitude=130.97)
    build_facility(city["community_b"], code="FAR", latitude=46.5, longitude=130.97)  # 133 km: outside 35 km
    with CaptureQueriesContext(connection) as queries:
        rows = client.get("/eldercare/nearest/", {"community": city["community_a"].code}).context["rows"]
    assert [row["facility"].code for row in rows] == [f"F{n:02d}" for n in range(10)]
    facility_reads = [q for q in queries.captured_queries if 'FROM "eldercare_facility"' in q["sql"]]
    assert len(facility_reads) == 2  # the nearest, and the district's facilities without coordinates

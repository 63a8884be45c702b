"""WGS-84 ↔ GCJ-02 ↔ BD-09 against the pairs published by wandergis/coordtransform (test/app.js)."""

import pytest

from core import geo

# (lat, lon) in, (lat, lon) out: coordtransform's README/test pairs for the point 116.404, 39.915.
PUBLISHED = [
    (geo.wgs84_to_gcj02, (39.91640428150164, 116.41024449916938)),
    (geo.gcj02_to_bd09, (39.92133699351021, 116.41036949371029)),
    (geo.bd09_to_gcj02, (39.90865673957631, 116.39762729119315)),
]


@pytest.mark.parametrize(("convert", "expected"), PUBLISHED, ids=lambda v: getattr(v, "__name__", ""))
def test_conversion_matches_published_pair(convert, expected):
    lat, lon = convert(39.915, 116.404)
    assert lat == pytest.approx(expected[0], abs=1e-9)
    assert lon == pytest.approx(expected[1], abs=1e-9)


def test_gcj02_to_wgs84_is_within_a_metre_of_the_published_one_step_inverse_and_exact_on_return():
    # coordtransform publishes gcj02towgs84(116.404, 39.915) = [116.39775550083061, 39.91359571849836],
    # a one-step approximation; the iteration here lands within a few centimetres of it ...
    lat, lon = geo.gcj02_to_wgs84(39.915, 116.404)
    assert geo.haversine_m(lat, lon, 39.91359571849836, 116.39775550083061) < 1
    # ... and goes back to exactly where it started.
    back = geo.wgs84_to_gcj02(lat, lon)
    assert back == pytest.approx((39.915, 116.404), abs=1e-8)


@pytest.mark.parametrize("point", [(45.2951, 130.9695), (31.2304, 121.4737), (23.1291, 113.2644)])
def test_round_trips_through_both_datums(point):
    # BD-09's published inverse is itself a one-step approximation: back within 2e-6° (20 cm).
    assert geo.bd09_to_wgs84(*geo.wgs84_to_bd09(*point)) == pytest.approx(point, abs=2e-6)
    assert geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(*point)) == pytest.approx(point, abs=1e-8)
    gcj = geo.wgs84_to_gcj02(*point)
    # GCJ-02 moves a point in China by a few hundred metres, never by nothing.
    assert 50 < geo.haversine_m(*point, *gcj) < 1000


def test_outside_china_gcj02_is_wgs84():
    assert geo.wgs84_to_gcj02(51.5007, -0.1246) == (51.5007, -0.1246)
    assert geo.gcj02_to_wgs84(51.5007, -0.1246) == (51.5007, -0.1246)


def test_metres_from_one_point_are_haversine_m_to_the_float():
    # Near me sorts hundreds of candidates by this distance: the same floats, so the same order and ties.
    origin = (45.026267, 130.709474)
    distance = geo.metres_from(*origin)
    for i in range(200):
        point = (45.0 + (i * 37 % 101) / 1000, 130.65 + (i * 53 % 97) / 800)
        assert distance(*point) == geo.haversine_m(*origin, *point)
    assert distance(*origin) == 0

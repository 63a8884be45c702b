"""Coordinates pasted from 高德/腾讯 (GCJ-02) or 百度 (BD-09) are stored as WGS-84 (core.location)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.location import Source, parse_pair, to_wgs84
from facilities.models import Centre
from tests.facilities.conftest import EIGHT_HOURS

# The published pairs of wandergis/coordtransform's README (the reference every open implementation shares):
#   gcj02towgs84(116.404, 39.915) = [116.39775550083061, 39.91359571849836]  (its one-step inverse)
#   bd09togcj02(116.404, 39.915)  = [116.39762729119315, 39.90865673957631]
#   wgs84togcj02(116.404, 39.915) = [116.41024449916938, 39.91640428150164]


def test_a_gaode_pair_longitude_first_is_converted_to_wgs84():
    lat, lon = to_wgs84("116.404,39.915", Source.GCJ02)
    # The one-step inverse of the reference is off by up to a metre; the portal iterates, so 1e-5° (≈1 m).
    assert abs(float(lat) - 39.91359571849836) < 1e-5
    assert abs(float(lon) - 116.39775550083061) < 1e-5


def test_converting_back_gives_the_pasted_gcj02_pair():
    from core.geo import wgs84_to_gcj02

    lat, lon = to_wgs84("39.91640428150164, 116.41024449916938", Source.GCJ02)  # latitude first, as 腾讯 gives it
    assert (lat, lon) == (Decimal("39.915000"), Decimal("116.404000"))
    g_lat, g_lon = wgs84_to_gcj02(float(lat), float(lon))
    assert abs(g_lat - 39.91640428150164) < 1e-6 and abs(g_lon - 116.41024449916938) < 1e-6


def test_a_baidu_pair_goes_through_gcj02():
    from core.geo import gcj02_to_wgs84

    lat, lon = to_wgs84("116.404，39.915", Source.BD09)  # full-width comma, as a Chinese input method types it
    expected = gcj02_to_wgs84(39.90865673957631, 116.39762729119315)
    assert abs(float(lat) - expected[0]) < 1e-6 and abs(float(lon) - expected[1]) < 1e-6


def test_a_wgs84_pair_is_kept():
    assert to_wgs84("45.295123,130.969456", Source.WGS84) == (Decimal("45.295123"), Decimal("130.969456"))


@pytest.mark.parametrize("text", ["116.404", "1,2,3", "abc", "200,300"])
def test_anything_but_a_pair_in_china_is_refused(text):
    with pytest.raises(ValidationError):
        parse_pair(text)


def centre_post(community, **overrides):
    return {
        "name": "新中心", "community": community.pk, "address": "幸福路2号", "status": "operating",
        "phone": "0467-2345678", "total_area": "500", "activity_area": "300",
        **{f"hours_{day}": EIGHT_HOURS for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        "hours_holiday": "", "open_on_holidays": "on", "latitude": "", "longitude": "", **overrides,
    }


def test_clerk_pastes_a_gaode_coordinate_and_the_centre_stores_wgs84(city, alice, as_user):
    client = as_user(alice)
    page = client.get("/admin/facilities/centre/add/").content.decode()
    assert 'id="location-picker"' in page and "vendor/leaflet/leaflet.js" in page and "js/admin-entry.js" in page
    response = client.post("/admin/facilities/centre/add/", centre_post(
        city["community_a"], coordinate_paste="130.975,45.302", coordinate_source=Source.GCJ02,
        address="鸡冠区幸福路2号"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    centre = Centre.objects.get()
    from core.geo import wgs84_to_gcj02

    g_lat, g_lon = wgs84_to_gcj02(float(centre.latitude), float(centre.longitude))
    assert abs(g_lat - 45.302) < 1e-6 and abs(g_lon - 130.975) < 1e-6
    assert abs(float(centre.longitude) - 130.975) > 0.003  # hundreds of metres moved, not kept as typed
    assert centre.address == "鸡冠区幸福路2号"


def test_a_bad_paste_names_the_field(city, alice, as_user):
    response = as_user(alice).post("/admin/facilities/centre/add/", centre_post(
        city["community_a"], coordinate_paste="在幸福路口", coordinate_source=Source.GCJ02))
    assert response.status_code == 200
    assert "coordinate_paste" in response.context["adminform"].form.errors

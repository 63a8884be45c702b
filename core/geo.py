"""Great-circle distance, as E7 (the 15-minute eldercare circle) measures it."""

from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_M = 6_371_000
CIRCLE_RADIUS_M = 1_000


def haversine_m(lat1, lon1, lat2, lon2):
    """Haversine distance in metres on a sphere of radius 6,371,000 m."""
    phi1, phi2 = radians(lat1), radians(lat2)
    dphi, dlmb = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(a)))


def describe_distance(metres):
    """“约 650 米” / “约 1.2 公里”, as a resident reads it."""
    from django.utils.translation import gettext as _

    if metres < 1000:
        return _("约 %(m)s 米") % {"m": int(round(metres / 10.0) * 10)}
    return _("约 %(km)s 公里") % {"km": f"{metres / 1000:.1f}"}

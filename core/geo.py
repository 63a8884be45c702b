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


#: E7's grid: rows of 1/100 degree of latitude (1.11 km), more than the half-height of its 1,000 m box
#: (0.0091°), so whatever lies in a point's box lies in the point's own row or the rows next to it.
ROWS_PER_DEGREE = 100


def latitude_row(latitude):
    """The grid row of a latitude, as a database expression (indexed on eldercare facilities).

    Any step function whose steps are at least 1/100 degree wide will do: PostgreSQL's CAST rounds and
    SQLite's truncates, and the index and the query use the same expression on the same database.
    """
    from django.db.models import IntegerField
    from django.db.models.functions import Cast

    return Cast(latitude * ROWS_PER_DEGREE, IntegerField())


def describe_distance(metres):
    """“约 650 米” / “约 1.2 公里”, as a resident reads it."""
    from django.utils.translation import gettext as _

    if metres < 1000:
        return _("约 %(m)s 米") % {"m": int(round(metres / 10.0) * 10)}
    return _("约 %(km)s 公里") % {"km": f"{metres / 1000:.1f}"}

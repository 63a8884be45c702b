"""E7's distance in the database: core.geo.haversine_m as an expression, and the grid box that narrows it."""

from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from core.geo import CIRCLE_RADIUS_M, EARTH_RADIUS_M, latitude_row

#: Half the side of E7's bounding box in degrees of latitude: 1,000 m is 0.0089932° on a sphere of
#: 6,371,000 m; 0.0091 leaves a margin for the longitude bound, which divides it by cos(latitude).
BOX_DEGREES = 0.0091
#: The grid rows (core.geo.latitude_row) a box can reach: its own and the ones on either side.
GRID_ROWS = (0, -1, 1)


def haversine_expression(lat_ref, lon_ref, lat_field="latitude", lon_field="longitude"):
    """core.geo.haversine_m as a database expression (SIN/COS/ASIN/SQRT also on SQLite)."""
    phi1, phi2 = Radians(lat_ref), Radians(F(lat_field))
    half_dphi = Radians(F(lat_field) - lat_ref) / 2
    half_dlmb = Radians(F(lon_field) - lon_ref) / 2
    a = Power(Sin(half_dphi), 2) + Cos(phi1) * Cos(phi2) * Power(Sin(half_dlmb), 2)
    return Value(2.0 * EARTH_RADIUS_M) * ASin(Least(Sqrt(a), Value(1.0), output_field=FloatField()))


def within_circle(queryset, lat_ref, lon_ref):
    """The rows of ``queryset`` (with latitude/longitude) within CIRCLE_RADIUS_M of the reference point.

    A bounding box first, then the exact haversine on what is inside: checking every community against
    every facility grows with their product. The box is looked up row by row of the grid
    (core.geo.latitude_row, indexed): an index range on latitude alone would cross the whole city.
    """
    dlon = Value(BOX_DEGREES) / Cos(Radians(lat_ref))
    near = (
        queryset
        .filter(latitude__gte=lat_ref - Value(BOX_DEGREES), latitude__lte=lat_ref + Value(BOX_DEGREES))
        .filter(longitude__gte=lon_ref - dlon, longitude__lte=lon_ref + dlon)
        .annotate(distance=haversine_expression(lat_ref, lon_ref))
        .filter(distance__lte=CIRCLE_RADIUS_M)
        .alias(row=latitude_row(F("latitude")))
    )
    return near.filter(row__in=[latitude_row(lat_ref) + offset for offset in GRID_ROWS])

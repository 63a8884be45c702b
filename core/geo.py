"""Great-circle distance, as E7 (the 15-minute eldercare circle) measures it."""

from math import asin, atan2, cos, radians, sin, sqrt

EARTH_RADIUS_M = 6_371_000
CIRCLE_RADIUS_M = 1_000


def haversine_m(lat1, lon1, lat2, lon2):
    """Haversine distance in metres on a sphere of radius 6,371,000 m."""
    phi1, phi2 = radians(lat1), radians(lat2)
    dphi, dlmb = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(a)))


def metres_from(lat1, lon1):
    """``haversine_m(lat1, lon1, lat2, lon2)`` as a function of the second point, the first point's part worked
    out once (the same arithmetic, so the same floats): a page measuring hundreds of candidates from one place."""
    phi1 = radians(lat1)
    cos_phi1 = cos(phi1)

    def metres(lat2, lon2):
        dphi, dlmb = radians(lat2 - lat1), radians(lon2 - lon1)
        a = sin(dphi / 2) ** 2 + cos_phi1 * cos(radians(lat2)) * sin(dlmb / 2) ** 2
        return 2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(a)))

    return metres


def nearness(lat_field, lon_field, lat, lon, cos_lat):
    """A database expression that orders rows by their haversine distance from the point (``lat``, ``lon``, and
    ``cos_lat``, the cosine of its latitude in radians): the ``a`` of ``haversine_m``, which grows with the
    distance. The point's numbers are parameters (``core.compiled.ORIGIN_STAND_INS`` to compile it once)."""
    from django.db.models import F, FloatField, Value
    from django.db.models.functions import Cos, Power, Radians, Sin

    def half(difference):
        return Power(Sin(Radians(difference) / Value(2.0)), Value(2.0))

    return (
        half(F(lat_field) - Value(lat, output_field=FloatField()))
        + Value(cos_lat, output_field=FloatField()) * Cos(Radians(F(lat_field)))
        * half(F(lon_field) - Value(lon, output_field=FloatField()))
    )


#: A place as a point of the unit sphere (x, y, z) in PostgreSQL's ``cube`` (``{lat}``, ``{lon}``: its columns). The
#: straight line between two such points grows with the great-circle distance between the places, and a GiST index
#: on this expression (``portal`` migration 0006, which writes it out: a change here needs a migration) hands out a table's rows nearest a point first
#: (``cube``'s ``<->``): near me reads its dozen nearest, not a box of them, however dense the city.
#: Only built-in functions around ``cube(float8[])``: an index on ``earthdistance``'s ``ll_to_earth`` fails to
#: restore from a dump (its SQL body looks up ``earth()`` on a ``search_path`` that pg_restore empties).
UNIT_SPHERE_SQL = (
    "cube(ARRAY[cos(radians({lat})) * cos(radians({lon})), cos(radians({lat})) * sin(radians({lon})), "
    "sin(radians({lat}))])"
)


def unit_sphere(lat, lon):
    """``(x, y, z)`` of a point on the unit sphere, as ``UNIT_SPHERE_SQL`` places a row."""
    phi, lmb = radians(lat), radians(lon)
    return cos(phi) * cos(lmb), cos(phi) * sin(lmb), sin(phi)


def sphere_distance(lat_field, lon_field, x, y, z):
    """A PostgreSQL expression: the straight line from the row's place to the point ``(x, y, z)`` of the unit
    sphere (``unit_sphere``), which orders rows as their great-circle distance does; ordered by it alone, the
    rows come nearest first from a GiST index on ``UNIT_SPHERE_SQL`` of the same columns. ``x, y, z`` are parameters
    (``core.compiled.ORIGIN_STAND_INS`` to compile it once)."""
    from django.db.models import F, FloatField, Func, Value

    class SphereDistance(Func):
        output_field = FloatField()

        def as_sql(self, compiler, connection, **extra_context):
            (lat, _), (lon, _), *point = (compiler.compile(part) for part in self.get_source_expressions())
            sql = UNIT_SPHERE_SQL.format(lat=lat, lon=lon) + " <-> cube(ARRAY[%s, %s, %s]::float8[])"
            return sql, [param for _sql, params in point for param in params]  # the columns have none

    return SphereDistance(F(lat_field), F(lon_field), *(Value(value, output_field=FloatField()) for value in (x, y, z)))


#: Rows read past the ``limit`` nearest from a sphere index: places at one spot (the teams of one community, a
#: street's centres at its office) tie, and the index orders them by distance alone.
SPHERE_TIES = 8


def settled_nearest(read, limit, key=None):
    """The ``limit`` nearest of ``read`` — rows read nearest first from a sphere index, ``limit + SPHERE_TIES`` at
    most, each its metres first — in ``key``'s order (the rows' own by default). None when every row asked for
    came and the last is as far as the ``limit``-th: a row as near may be unread (a box settles it then)."""
    nearest = sorted(read, key=key)[:limit]
    if len(read) == limit + SPHERE_TIES and read[-1][0] <= nearest[-1][0]:
        return None
    return nearest


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


# --- China's map datums -------------------------------------------------------------------------------
# The portal stores WGS-84 (what a phone's GPS and the workbook give). 高德 and 腾讯 show GCJ-02, the
# obfuscated datum every map published in China must use, and 百度 its own BD-09 on top of that. The
# formulas are the ones every open implementation shares (e.g. wandergis/coordtransform), whose
# published pairs the tests check; outside China GCJ-02 equals WGS-84.

_GCJ_A = 6378245.0  # Krasovsky 1940 semi-major axis, as GCJ-02 uses it
_GCJ_EE = 0.00669342162296594323  # its first eccentricity squared
_PI = 3.1415926535897932384626
_X_PI = _PI * 3000.0 / 180.0


def out_of_china(lat, lon):
    """Outside the box GCJ-02 is defined over (there it leaves coordinates as they are)."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
    ret += (20.0 * sin(6.0 * x * _PI) + 20.0 * sin(2.0 * x * _PI)) * 2.0 / 3.0
    ret += (20.0 * sin(y * _PI) + 40.0 * sin(y / 3.0 * _PI)) * 2.0 / 3.0
    ret += (160.0 * sin(y / 12.0 * _PI) + 320.0 * sin(y * _PI / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
    ret += (20.0 * sin(6.0 * x * _PI) + 20.0 * sin(2.0 * x * _PI)) * 2.0 / 3.0
    ret += (20.0 * sin(x * _PI) + 40.0 * sin(x / 3.0 * _PI)) * 2.0 / 3.0
    ret += (150.0 * sin(x / 12.0 * _PI) + 300.0 * sin(x / 30.0 * _PI)) * 2.0 / 3.0
    return ret


def _gcj_offset(lat, lon):
    d_lat = _transform_lat(lon - 105.0, lat - 35.0)
    d_lon = _transform_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * _PI
    magic = 1 - _GCJ_EE * sin(rad_lat) ** 2
    sqrt_magic = sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_GCJ_A * (1 - _GCJ_EE)) / (magic * sqrt_magic) * _PI)
    d_lon = (d_lon * 180.0) / (_GCJ_A / sqrt_magic * cos(rad_lat) * _PI)
    return d_lat, d_lon


def wgs84_to_gcj02(lat, lon):
    """``(lat, lon)`` WGS-84 → GCJ-02 (高德, 腾讯)."""
    if out_of_china(lat, lon):
        return lat, lon
    d_lat, d_lon = _gcj_offset(lat, lon)
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(lat, lon, *, tolerance=1e-9, max_steps=30):
    """``(lat, lon)`` GCJ-02 → WGS-84, by fixed-point iteration (exact to ~1e-9°, where the one-step
    inverse of the open implementations is off by up to a metre or two)."""
    if out_of_china(lat, lon):
        return lat, lon
    w_lat, w_lon = lat, lon
    for _step in range(max_steps):
        g_lat, g_lon = wgs84_to_gcj02(w_lat, w_lon)
        e_lat, e_lon = g_lat - lat, g_lon - lon
        w_lat, w_lon = w_lat - e_lat, w_lon - e_lon
        if abs(e_lat) < tolerance and abs(e_lon) < tolerance:
            break
    return w_lat, w_lon


def gcj02_to_bd09(lat, lon):
    """``(lat, lon)`` GCJ-02 → BD-09 (百度)."""
    z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * _X_PI)
    theta = atan2(lat, lon) + 0.000003 * cos(lon * _X_PI)
    return z * sin(theta) + 0.006, z * cos(theta) + 0.0065


def bd09_to_gcj02(lat, lon):
    """``(lat, lon)`` BD-09 → GCJ-02."""
    x, y = lon - 0.0065, lat - 0.006
    z = sqrt(x * x + y * y) - 0.00002 * sin(y * _X_PI)
    theta = atan2(y, x) - 0.000003 * cos(x * _X_PI)
    return z * sin(theta), z * cos(theta)


def wgs84_to_bd09(lat, lon):
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))


def bd09_to_wgs84(lat, lon):
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lon))

"""Near me: operating centres, eldercare facilities and volunteer teams by straight-line distance.

On PostgreSQL each kind's nearest are read nearest first from a GiST index of places on the unit sphere
(``core.geo.sphere_distance``, ``portal`` migration 0006): one query a kind, a dozen rows, however dense the city.
Otherwise (SQLite; words, "open now" or a facility kind chosen; places tied past what that read) candidates come
from the latitude grid of core.geo (the index E7 uses; here ``centre_public_grid`` and ``facility_public_grid``
over every operating record): a box around the point, widened step by step until enough are found, so a request
reads a few short index ranges and never the whole city. Teams have no location of their own and are placed at
their community's.
"""

from dataclasses import dataclass
from math import ceil, cos, radians

from django.db import connections, router
from django.db.models import F, Q
from django.utils.translation import gettext as _

from core.compiled import (
    BOX_STAND_INS,
    ORIGIN_STAND_INS,
    PLANNED_PER_RUN,
    STAND_INS,
    Prepared,
    as_instances,
    compiled,
)
from core.geo import (
    ROWS_PER_DEGREE,
    SPHERE_TIES,
    describe_distance,
    latitude_row,
    metres_from,
    nearness,
    settled_nearest,
    sphere_distance,
    unit_sphere,
)
from core.models import Division, Level
from core.opening import filter_open_at
from eldercare.models import Facility
from facilities.models import Centre
from portal import search
from volunteers.models import Team

#: Box half-widths tried in turn (metres); the last step is the whole city.
RADII_M = (1_500, 5_000, 20_000, None)
LIMIT = 12
WALK_M_PER_MIN = 75  # 4.5 km/h, an unhurried adult's pace
WALK_LIMIT_M = 3_000  # beyond this nobody walks: distance only


def describe(metres):
    """“约 350 米，步行约 5 分钟” (walking time only where walking is realistic)."""
    distance = describe_distance(metres)
    if metres > WALK_LIMIT_M:
        return distance
    return _("%(distance)s，步行约 %(minutes)s 分钟") % {
        "distance": distance, "minutes": max(1, ceil(metres / WALK_M_PER_MIN)),
    }


@dataclass
class Place:
    kind: str
    obj: object
    latitude: float
    longitude: float
    metres: float

    @property
    def distance(self):
        return describe(self.metres)


def _bounds(lat, lon, radius):
    """``(first grid row, last grid row, south, north, west, east)`` of a box of half-width ``radius`` around the
    point; None for the whole city (``radius`` None)."""
    if radius is None:
        return None
    d_lat = radius / 111_195
    d_lon = radius / max(1.0, 111_195 * cos(radians(lat)))
    low = int((lat - d_lat) * ROWS_PER_DEGREE) - 1  # one row of slack either way: the cast may round or truncate
    high = int((lat + d_lat) * ROWS_PER_DEGREE) + 1
    return low, high, lat - d_lat, lat + d_lat, lon - d_lon, lon + d_lon


#: What a box query is compiled with in place of its bounds (``_bounds``): put in their places per request.
_BOUND_STAND_INS = (STAND_INS[0], STAND_INS[1], *BOX_STAND_INS)


def _boxed(queryset, bounds, lat_field, lon_field):
    """Narrow to the grid rows and longitudes of the box ``bounds`` (None: every located row)."""
    if bounds is None:
        return queryset.filter(**{f"{lat_field}__isnull": False, f"{lon_field}__isnull": False})
    low, high, south, north, west, east = bounds
    return (
        queryset.alias(_grid_row=latitude_row(F(lat_field)))
        .filter(_grid_row__range=(low, high), **{f"{lon_field}__range": (west, east)})
        .filter(**{f"{lat_field}__range": (south, north)})
    )


def _box(queryset, lat, lon, radius, lat_field="latitude", lon_field="longitude"):
    """Narrow to the grid rows and longitudes of a box of half-width ``radius`` around the point."""
    return _boxed(queryset, _bounds(lat, lon, radius), lat_field, lon_field)


#: Where a place of each kind is: its own coordinates, or (a team) its community's.
PLACE_FIELDS = {
    "centre": ("latitude", "longitude"),
    "facility": ("latitude", "longitude"),
    "team": ("community__latitude", "community__longitude"),
}


def _card_values(kind, queryset):
    """The box's rows as values: what a card shows (``portal.search.CARD_FIELDS``) and the place's coordinates
    (``place_latitude``, ``place_longitude``); a team's community and street by name (``community_name``,
    ``street_name``)."""
    lat_field, lon_field = PLACE_FIELDS[kind]
    place = {"place_latitude": F(lat_field), "place_longitude": F(lon_field)}
    names = search.TEAM_PLACE_NAMES if kind == "team" else ()  # annotated by search.teams
    return queryset.values("id", *search.CARD_FIELDS[kind], *names, **place)


MODELS = {"centre": Centre, "facility": Facility, "team": Team}


def _box_nearest(kind, queryset, bounds, origin, limit):
    """The ``limit`` rows of the box ``bounds`` nearest the point ``origin`` (lat, lon, cosine of lat), nearest
    first: the database measures and sorts the box (thousands of rows in the whole city's step) and returns the
    cards' columns of these only."""
    lat_field, lon_field = PLACE_FIELDS[kind]
    return _card_values(
        kind,
        _boxed(queryset, bounds, lat_field, lon_field)
        .alias(nearness=nearness(lat_field, lon_field, *origin)).order_by("nearness", "pk")[:limit],
    )


def _candidates(kind, rows, lat, lon, radius, limit, prepared):
    """The rows (``{column: value}``) of the queryset ``rows()`` nearest the point in the box of half-width
    ``radius`` (None: the whole city), at most ``limit``. ``prepared``: the queryset is the kind's plain one (no
    words, no "open now"), whose box is built and compiled once a process with stand-ins for the bounds and the
    point; any other is built and compiled as it comes."""
    bounds = _bounds(lat, lon, radius)
    origin = (lat, lon, cos(radians(lat)))
    if not prepared:
        return Prepared(_box_nearest(kind, rows(), bounds, origin, limit), prepare=False).records()
    query = compiled(("near me", kind, bounds is None, limit), lambda: _box_nearest(
        kind, rows(), None if bounds is None else _BOUND_STAND_INS, ORIGIN_STAND_INS, limit),
        prepare=PLANNED_PER_RUN)  # planned for its box
    replacing = dict(zip(ORIGIN_STAND_INS, origin, strict=True))
    if bounds is not None:
        replacing.update(zip(_BOUND_STAND_INS, bounds, strict=True))
    return query.records(replacing=replacing)


def _centre_rows(terms, open_at):
    def rows():
        queryset = search.centres(terms).order_by()  # operating ones
        return queryset if open_at is None else filter_open_at(queryset, open_at)

    return rows, not terms and open_at is None


def _facility_rows(terms, open_at, facility_kind=None):
    def rows():
        queryset = search.facilities(terms).order_by()  # operating ones
        if facility_kind:
            queryset = queryset.filter(kind=facility_kind)
        return queryset if open_at is None else filter_open_at(queryset, open_at)

    return rows, not terms and open_at is None and not facility_kind


def _team_rows(terms):
    """Teams at the nearest communities, each placed at its community's location: the communities of the box
    (their grid index) joined to their teams, one query a box (not the box's ids sent back as an ``IN`` list)."""
    return lambda: search.teams(terms).filter(community__level=Level.COMMUNITY).order_by(), not terms


def nearby(lat, lon, *, kinds=search.KINDS, terms=(), limit=LIMIT, open_at=None, facility_kind=None):
    """Places of the chosen kinds nearest to the point, nearest first (at most ``limit`` in all).

    ``open_at`` (a moment) keeps only what is open then; teams keep no hours and drop out.

    The kinds widen their box together, one query a kind and box, each returning its kind's ``limit`` nearest
    in the box with their cards' columns. Everything within a box's radius lies in the box, so once ``limit``
    rows of all the kinds together lie within the radius, they include the ``limit`` nearest anywhere: a kind's
    share of them is among its own nearest in the box. And once the kinds read so far hold ``limit`` within the
    radius, the rest are read in the box of the ``limit``-th one's distance only.
    """
    terms = list(terms)
    wanted = []  # the fewest first: the box they leave (below) serves the most numerous
    if "facility" in kinds:
        wanted.append(("facility", *_facility_rows(terms, open_at, facility_kind)))
    if "team" in kinds and open_at is None:
        wanted.append(("team", *_team_rows(terms)))
    if "centre" in kinds:
        wanted.append(("centre", *_centre_rows(terms, open_at)))
    placed = sorted(_nearest(wanted, lat, lon, limit), key=lambda found: found[:3])[:limit]
    found = []
    for kind, _rows, _prepared in wanted:
        mine = [(metres, row) for metres, of_kind, _pk, row in placed if of_kind == kind]
        model = MODELS[kind]
        chosen = as_instances(model, router.db_for_read(model), [row for _metres, row in mine])
        found += [Place(kind, obj, obj.place_latitude, obj.place_longitude, metres)
                  for (metres, _row), obj in zip(mine, chosen, strict=True)]
    found.sort(key=lambda place: (place.metres, place.kind, place.obj.pk))
    return found


def _nearest(wanted, lat, lon, limit):
    """``[(metres, kind, pk, row), …]`` among which lie the ``limit`` nearest of the kinds ``wanted`` (``nearby``)."""
    if all(prepared and _sphere_indexed(kind) for kind, _rows, prepared in wanted):
        placed = _nearest_first(wanted, lat, lon, limit)
        if placed is not None:
            return placed
    distance = metres_from(lat, lon)
    placed = []
    for radius in RADII_M:
        placed, reach = [], radius
        for kind, rows, prepared in wanted:
            for row in _candidates(kind, rows, lat, lon, reach, limit, prepared):
                metres = distance(row["place_latitude"], row["place_longitude"])
                if reach is None or metres <= reach:  # the box's corners are farther than its radius
                    placed.append((metres, kind, row["id"], row))
            if len(placed) >= limit:
                # The ``limit`` nearest lie no farther than the ``limit``-th found so far: the kinds still to read
                # need only a box that far around (a dense city's 1.5 km box holds hundreds of centres). A metre
                # more, and a thousandth: a box's edge in degrees may fall a hair short of a place exactly that far.
                reach = sorted(found[0] for found in placed)[limit - 1] * 1.001 + 1
        if len(placed) >= limit:
            break
    return placed


def _sphere_indexed(kind):
    """Whether the kind's rows can be read nearest first from an index (``portal`` migration 0006: PostgreSQL's)."""
    return connections[router.db_for_read(MODELS[kind])].vendor == "postgresql"


TIES = SPHERE_TIES  # rows read past a kind's ``limit`` nearest (the teams of one community tie)


def _nearest_first(wanted, lat, lon, limit):
    """``_nearest`` for the kinds' plain rows on PostgreSQL: each kind's nearest read from its sphere index
    (``core.geo.sphere_distance``), ``limit`` and ``TIES`` more, one query a kind whatever the city's density (a
    1.5 km box of the 40× city held 75 eldercare facilities where the 1× city's held 2). None where the rows read
    don't settle a kind's ``limit`` nearest (the last of them as far as the ``limit``-th): the boxes do then."""
    distance = metres_from(lat, lon)
    replacing = dict(zip(ORIGIN_STAND_INS, unit_sphere(lat, lon), strict=True))
    placed = []
    for kind, rows, _prepared in wanted:
        query = compiled(("near me, nearest first", kind, limit), lambda kind=kind, rows=rows: _sphere_nearest(
            kind, rows(), limit + TIES))
        read = [(distance(row["place_latitude"], row["place_longitude"]), kind, row["id"], row)
                for row in query.records(replacing=replacing)]
        nearest = settled_nearest(read, limit, key=lambda found: found[:3])
        if nearest is None:  # more rows, perhaps as near, unread
            return None
        placed += nearest
    return placed


def _sphere_nearest(kind, queryset, count):
    """The ``count`` located rows nearest the point compiled with ``ORIGIN_STAND_INS`` as its unit-sphere place,
    nearest first by the sphere index, with their cards' columns."""
    lat_field, lon_field = PLACE_FIELDS[kind]
    return _card_values(kind, _boxed(queryset, None, lat_field, lon_field).alias(
        sphere=sphere_distance(lat_field, lon_field, *ORIGIN_STAND_INS)).order_by("sphere")[:count])


def communities_named(text, limit=8):
    """Communities whose name (or street's) contains every word typed: the place picker's suggestions."""
    words = search.terms_of(text)
    if not words:
        return []
    queryset = Division.objects.communities().filter(latitude__isnull=False).select_related("street", "district")
    for word in words:
        queryset = queryset.filter(_community_word(word))
    return list(queryset.order_by("name", "code")[:limit])


def _community_word(word):
    return Q(name__icontains=word) | Q(street__name__icontains=word)

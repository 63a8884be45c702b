"""Near me: operating centres, eldercare facilities and volunteer teams by straight-line distance.

Candidates come from the latitude grid of core.geo (the index E7 uses; here ``centre_public_grid`` and
``facility_public_grid`` over every operating record): a box around the point, widened step by step until
enough are found, so a request reads a few short index ranges and never the whole city. Teams have no
location of their own and are placed at their community's.
"""

from dataclasses import dataclass
from math import ceil, cos, radians

from django.db.models import F, Q
from django.utils.translation import gettext as _

from core.geo import ROWS_PER_DEGREE, describe_distance, latitude_row, metres_from
from core.models import Division, Level
from core.opening import filter_open_at
from portal import search

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


def _box(queryset, lat, lon, radius, lat_field="latitude", lon_field="longitude"):
    """Narrow to the grid rows and longitudes of a box of half-width ``radius`` around the point."""
    if radius is None:
        return queryset.filter(**{f"{lat_field}__isnull": False, f"{lon_field}__isnull": False})
    d_lat = radius / 111_195
    d_lon = radius / max(1.0, 111_195 * cos(radians(lat)))
    low = int((lat - d_lat) * ROWS_PER_DEGREE) - 1  # one row of slack either way: the cast may round or truncate
    high = int((lat + d_lat) * ROWS_PER_DEGREE) + 1
    return (
        queryset.alias(_grid_row=latitude_row(F(lat_field)))
        .filter(_grid_row__range=(low, high), **{f"{lon_field}__range": (lon - d_lon, lon + d_lon)})
        .filter(**{f"{lat_field}__range": (lat - d_lat, lat + d_lat)})
    )


def _nearest(queryset, lat, lon, limit):
    """The ``limit`` nearest rows of ``queryset`` around the point, widening the box as needed.

    The boxes read only ids and coordinates (index ranges); the chosen rows are then loaded once with
    their relations, so the query count doesn't depend on how many boxes were tried or how full they were.
    """
    queryset = queryset.order_by()  # the boxes are sorted here, by distance; the chosen rows come as a dict
    distance = metres_from(lat, lon)
    placed = []
    for radius in RADII_M:
        rows = _box(queryset, lat, lon, radius).values_list("pk", "latitude", "longitude")
        placed = []
        for pk, p_lat, p_lon in rows:
            metres = distance(p_lat, p_lon)
            if radius is None or metres <= radius:  # the box's corners are farther than its radius
                placed.append((metres, pk, p_lat, p_lon))
        if len(placed) >= limit:
            break
    placed.sort()
    placed = placed[:limit]
    objects = queryset.in_bulk([row[1] for row in placed])
    return [(metres, objects[pk], p_lat, p_lon) for metres, pk, p_lat, p_lon in placed]


def _centre_rows(lat, lon, terms, limit, open_at):
    queryset = search.centres(terms)  # operating ones
    if open_at is not None:
        queryset = filter_open_at(queryset, open_at)
    return _nearest(queryset, lat, lon, limit)


def _facility_rows(lat, lon, terms, limit, open_at, facility_kind=None):
    queryset = search.facilities(terms)  # operating ones
    if facility_kind:
        queryset = queryset.filter(kind=facility_kind)
    if open_at is not None:
        queryset = filter_open_at(queryset, open_at)
    return _nearest(queryset, lat, lon, limit)


def _team_rows(lat, lon, terms, limit):
    """Teams at the nearest communities, each placed at its community's location: the communities of the box
    (their grid index) joined to their teams, one query a box (not the box's ids sent back as an ``IN`` list)."""
    teams = search.teams(terms).order_by()
    distance = metres_from(lat, lon)
    placed = []
    for radius in RADII_M:
        in_box = _box(
            teams.filter(community__level=Level.COMMUNITY), lat, lon, radius,
            lat_field="community__latitude", lon_field="community__longitude",
        )
        rows = in_box.values_list("pk", "community__latitude", "community__longitude")
        placed = []
        for pk, p_lat, p_lon in rows:
            metres = distance(p_lat, p_lon)
            if radius is None or metres <= radius:
                placed.append((metres, pk, p_lat, p_lon))
        if len(placed) >= limit:
            break
    placed.sort()
    placed = placed[:limit]
    objects = teams.in_bulk([row[1] for row in placed])
    return [(metres, objects[pk], p_lat, p_lon) for metres, pk, p_lat, p_lon in placed]


def nearby(lat, lon, *, kinds=search.KINDS, terms=(), limit=LIMIT, open_at=None, facility_kind=None):
    """Places of the chosen kinds nearest to the point, nearest first (at most ``limit`` in all).

    ``open_at`` (a moment) keeps only what is open then; teams keep no hours and drop out.
    """
    terms = list(terms)
    found = []
    if "centre" in kinds:
        found += [Place("centre", *row[1:], row[0]) for row in _centre_rows(lat, lon, terms, limit, open_at)]
    if "facility" in kinds:
        rows = _facility_rows(lat, lon, terms, limit, open_at, facility_kind)
        found += [Place("facility", *row[1:], row[0]) for row in rows]
    if "team" in kinds and open_at is None:
        found += [Place("team", *row[1:], row[0]) for row in _team_rows(lat, lon, terms, limit)]
    found.sort(key=lambda place: (place.metres, place.kind, place.obj.pk))
    return found[:limit]


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

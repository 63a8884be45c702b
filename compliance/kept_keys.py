"""Which kept rows (``compliance.kept``) a write touches: the keys its records stand in, before and after, and
E7's neighbours of a facility that moved; and the compiled queries, for a chunk of ids, that both sides run."""

from functools import cache

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce

from core.bulk import chunks
from core.compiled import MAX_IDS, Prepared, for_ids, placed
from core.models import Division, Level
from eldercare.models import FacilityKind

CHUNK = MAX_IDS  # ids a grouped query reads at once (``core.compiled.for_ids``)

KEY = Coalesce(F("street"), F("pk"))


def division_keys(pks, *, with_district=False):
    """The keys of the divisions ``pks`` (their street, or themselves), and their districts if asked."""
    keys = set()
    for chunk in chunks(pks, CHUNK):
        for key, district in Division.objects.filter(pk__in=chunk).annotate(key=KEY).values_list("key", "district"):
            keys.add(key)
            if with_district and district:
                keys.add(district)
    return keys


def record_keys(model, pks):
    """``(keys, points)``, one query a chunk: the keys the records ``pks`` of ``model`` stand in now — the key of
    the record's division; for a division, an institution (E8: its district's row) also the district —, and for
    eldercare facilities ``{pk: (latitude, longitude)}`` of those E7 counts (an operating day-care or street centre
    on the map), whose 1 km neighbours E7 reads."""
    pks = [pk for pk in pks if pk is not None]
    if model.SCOPE_DIVISION == "":
        return division_keys(pks, with_district=True), {}
    keys, points = set(), {}
    for chunk in chunks(pks, CHUNK):
        for street, division, district, *facility in _for_records(model, len(chunk)).tuples(
                replacing=placed(chunk)):
            keys.add(street or division)
            if facility:
                kind, pk, latitude, longitude, e7_counted = facility
                if kind == FacilityKind.INSTITUTION and district:
                    keys.add(district)
                if e7_counted and latitude is not None and longitude is not None:
                    points[pk] = (latitude, longitude)
    return keys, points


def _for_records(model, count):
    """``record_keys``' query for ``count`` records of ``model``, compiled once per size."""
    def build(stand_ins):
        path = model.SCOPE_DIVISION
        rows = model._default_manager.all()
        columns = [f"{path}__street", path, f"{path}__district"]
        if model._meta.label == "eldercare.Facility":
            from compliance.rules import INDICATORS

            counted = INDICATORS["E7"].counted_facilities().filter(pk=OuterRef("pk"))
            rows = rows.annotate(e7_counted=Exists(counted))
            columns += ["kind", "pk", "latitude", "longitude", "e7_counted"]
        return rows.filter(pk__in=stand_ins).values_list(*columns)

    return for_ids(("records", model._meta.label), count, build, prepare=False)


def moved_points(before, after):
    """The points of the facilities whose place in E7 changed between ``before`` and ``after``
    (``{pk: point}``): where one stopped counting and where it started. A facility edited without moving, or
    that E7 counts neither before nor after (an institution, a closed one), changes no neighbour's figure."""
    changed = {pk for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk)}
    return {points[pk] for pk in changed for points in (before, after) if pk in points}


#: More moved points than this (an import placing hundreds of facilities): E7's rows of every key are recomputed
#: at once, the cost of one whole E7 (0.4 s at 40×), rather than one grid probe per point.
NEAR_POINTS_LIMIT = 200


def neighbour_keys(points):
    """Keys of the communities within E7's 1 km of one of ``points`` (E7 counts a facility that near); of every
    community past ``NEAR_POINTS_LIMIT`` points."""
    if len(points) > NEAR_POINTS_LIMIT:
        return set(_communities().order_by().values_list("key", flat=True).distinct())
    keys = set()
    for latitude, longitude in points:
        keys.update(_near().column(replacing={_LATITUDE: float(latitude), _LONGITUDE: float(longitude)}))
    return keys


#: Stand-ins for a point's coordinates in ``neighbour_keys``' compiled query (no place has them).
_LATITUDE, _LONGITUDE = -731.25, -732.5


def _communities():
    return Division.objects.filter(level=Level.COMMUNITY).annotate(key=KEY)


@cache
def _near():
    """The keys within 1 km of the stand-in point, compiled once (the haversine's expressions took longer to
    compile than to run)."""
    from django.db.models import Value

    from compliance.distance import within_circle

    return Prepared(within_circle(_communities(), Value(_LATITUDE), Value(_LONGITUDE)).values_list("key", flat=True),
                    prepare=False)

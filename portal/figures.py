"""The home page's headline counts, kept per street by the database (``StreetFigures``, migration 0004).

``headline()`` sums the kept rows (one query, the same at any size of city); ``differences()`` recomputes the
rows from the base tables with the ORM — independently of the triggers' SQL — for ``verify_figures``.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Count
from django.db.models.functions import Coalesce

from core.caching import ANY, cached_public
from core.models import Division, Level
from eldercare.models import Facility
from facilities.models import Centre
from portal.models import StreetFigures
from volunteers.models import Team

LEVEL_FIELDS = {Level.DISTRICT: "districts", Level.STREET: "streets", Level.COMMUNITY: "communities"}
#: The totals other apps may read through ``core.kept_figures.totals`` → the kept column that sums to them.
TOTALS = {
    "facilities.centre.operating": "centres",
    "eldercare.facility.operating": "eldercare",
    "volunteers.team.all": "teams",
}


def _headline_sql():
    """``SELECT COALESCE(SUM(column), 0), … FROM the kept rows``, written from the model's own names.

    The same statement ``aggregate(Coalesce(Sum(…), 0) …)`` sends; the ORM's aggregation machinery compiling it
    on every request was a third of the uncached home page's time."""
    quote = connection.ops.quote_name
    sums = ", ".join(
        f"COALESCE(SUM({quote(StreetFigures._meta.get_field(name).column)}), 0)" for name in StreetFigures.COUNTED
    )
    return f"SELECT {sums} FROM {quote(StreetFigures._meta.db_table)}"  # noqa: S608  # the model's own names  # nosec B608


def headline():
    """``{districts, streets, communities, centres, eldercare, teams}``: the sums of the kept rows (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_headline_sql())
        return {name: int(value) for name, value in zip(StreetFigures.COUNTED, cursor.fetchone(), strict=True)}


def kept_headline():
    """``headline()`` kept in the shared cache until any counted record changes (``core.caching.ANY``, bumped by
    every scoped save and bulk write, now and on commit): the sum is of one row per street, 6,000 at a province's
    scale (0.9 ms); reading it back is the same at any size."""
    return cached_public("headline_counts", headline, scopes=(ANY,))


def totals():
    """``{kept total's name: value}`` of ``TOTALS`` (core.kept_figures), from the kept sums."""
    sums = kept_headline()
    return {name: sums[field] for name, field in TOTALS.items()}


def computed():
    """``{key division id: {field: count}}`` from scratch: a record's key is its division's street, or the
    division itself when it has no street (a street, a district)."""
    rows = defaultdict(lambda: dict.fromkeys(StreetFigures.COUNTED, 0))
    divisions = (
        Division.objects.filter(level__in=LEVEL_FIELDS).annotate(key=Coalesce("street_id", "id"))
        .values("key", "level").annotate(n=Count("pk")).order_by()
    )
    for row in divisions:
        rows[row["key"]][LEVEL_FIELDS[row["level"]]] += row["n"]
    counted = (
        ("centres", Centre.objects.operating(), "community"),
        ("eldercare", Facility.objects.operating(), "division"),
        ("teams", Team.objects.all(), "community"),
    )
    for field, queryset, division in counted:
        keys = queryset.annotate(key=Coalesce(f"{division}__street_id", f"{division}_id")).values("key")
        for row in keys.annotate(n=Count("pk")).order_by():
            rows[row["key"]][field] += row["n"]
    return rows


def differences():
    """``[message, …]``, one per kept figure that differs from ``computed()`` (a missing row counts zero)."""
    expected = computed()
    kept = {row["division_id"]: row for row in StreetFigures.objects.values("division_id", *StreetFigures.COUNTED)}
    messages = []
    for key in sorted(set(expected) | set(kept)):
        for field in StreetFigures.COUNTED:
            have = kept.get(key, {}).get(field, 0)
            want = expected[key][field] if key in expected else 0
            if have != want:
                label = StreetFigures._meta.get_field(field).verbose_name
                messages.append(f"区划 #{key} {label}：保存的是 {have}，重新计算是 {want}")
    return messages

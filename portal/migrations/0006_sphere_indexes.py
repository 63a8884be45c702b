"""Near me's nearest-first indexes on PostgreSQL (the ``cube`` extension's GiST); nothing on SQLite.

Each indexes a located row as a point of the unit sphere (``core.geo.UNIT_SPHERE_SQL``), so that ``ORDER BY`` its
distance to a point ``LIMIT n`` reads the n nearest rows from the index (``portal.nearby``): operating centres and
eldercare facilities, and communities (where their teams are placed). Only located rows: ``cube`` refuses an array
with a NULL in it.
"""

from django.db import migrations

from core.geo import UNIT_SPHERE_SQL

SPHERE_INDEXES = [
    ("centre_sphere", "facilities_centre"),
    ("facility_sphere", "eldercare_facility"),
    ("division_sphere", "core_division"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS cube")
    place = UNIT_SPHERE_SQL.format(lat='"latitude"', lon='"longitude"')
    for name, table in SPHERE_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gist (({place})) '
            'WHERE "latitude" IS NOT NULL AND "longitude" IS NOT NULL'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in SPHERE_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_street_figures_triggers"),
        ("core", "0009_division_parts"),
        ("facilities", "0010_centre_community_code"),
        ("eldercare", "0015_unlocated_by_division"),
    ]

    operations = [migrations.RunPython(create, drop)]

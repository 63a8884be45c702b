"""Near me's nearest-first indexes on PostgreSQL (the ``cube`` extension's GiST); nothing on SQLite.

Each indexes a located row as a point of the unit sphere, so that ``ORDER BY`` its distance to a point ``LIMIT n``
reads the n nearest rows from the index (``portal.nearby``): centres and eldercare facilities (the query keeps the
operating ones), and divisions (communities, where their teams are placed). Only located rows: ``cube`` refuses an
array with a NULL in it.

The expression is written out here as it was when the indexes were made: it is ``core.geo.UNIT_SPHERE_SQL``, which
the queries use, and a change to that needs a migration of its own (the plan tests in
``tests/portal/test_near_index.py`` fail on a fresh database until the two agree again).
"""

from django.db import migrations

PLACE = (
    'cube(ARRAY[cos(radians("latitude")) * cos(radians("longitude")), '
    'cos(radians("latitude")) * sin(radians("longitude")), sin(radians("latitude"))])'
)

SPHERE_INDEXES = [
    ("centre_sphere", "facilities_centre"),
    ("facility_sphere", "eldercare_facility"),
    ("division_sphere", "core_division"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS cube")
    for name, table in SPHERE_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gist (({PLACE})) '
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

"""Trigram GIN indexes for the one search on PostgreSQL (pg_trgm); nothing on SQLite.

Django's ``icontains`` is ``UPPER(col::text) LIKE UPPER('%word%')`` on PostgreSQL, so each index is on that
same expression, which lets the planner answer a word of three characters or more from the index. Names
and addresses of the three searched tables, and division names (community, street, district words).
"""

from django.db import migrations

INDEXES = [
    ("portal_centre_name_trgm", "facilities_centre", "name"),
    ("portal_centre_address_trgm", "facilities_centre", "address"),
    ("portal_facility_name_trgm", "eldercare_facility", "name"),
    ("portal_facility_address_trgm", "eldercare_facility", "address"),
    ("portal_team_name_trgm", "volunteers_team", "name"),
    ("portal_team_place_trgm", "volunteers_team", "meeting_place"),
    ("portal_division_name_trgm", "core_division", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("facilities", "0006_resident_search"),
        ("eldercare", "0008_resident_search"),
        ("volunteers", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]

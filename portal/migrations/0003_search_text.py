"""The one search's kept text: filled for every existing record, and its trigram GIN index (PostgreSQL).

``core.search_text`` keeps the column from now on; this fills it once, with the same ``compose`` (the
migration's models have no ``search_parts``, so the parts are named here, as the models name them).
"""

from django.db import migrations

from core.search_text import BATCH, compose, division_names

TABLES = [
    # (app, model, division field, many-to-many field, its attribute, stored as codes?, text fields)
    ("facilities", "Centre", "community", "services", "name", False, ("name", "address")),
    ("eldercare", "Facility", "division", "services", "code", True, ("name", "address")),
    ("volunteers", "Team", "community", "fields", "name", False, ("name", "meeting_place")),
]
INDEXES = [
    ("portal_centre_search_trgm", "facilities_centre"),
    ("portal_facility_search_trgm", "eldercare_facility"),
    ("portal_team_search_trgm", "volunteers_team"),
]


def _fill(model, division, many, attribute, as_codes, fields):
    rows = (model.objects.order_by("pk").select_related(f"{division}__street", f"{division}__district")
            .prefetch_related(many))
    changed = []
    for obj in rows.iterator(chunk_size=BATCH):
        linked = [getattr(other, attribute) for other in getattr(obj, many).all()]
        words = [getattr(obj, name) for name in fields] + division_names(getattr(obj, division))
        codes = [obj.kind, *linked] if as_codes else []
        obj.search_text = compose(words if as_codes else words + linked, codes)
        changed.append(obj)
        if len(changed) >= BATCH:
            model.objects.bulk_update(changed, ["search_text"])
            changed = []
    model.objects.bulk_update(changed, ["search_text"])


def fill(apps, schema_editor):
    for app, name, *spec in TABLES:
        _fill(apps.get_model(app, name), *spec)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("search_text" gin_trgm_ops)')


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_trigram_search"),
        ("facilities", "0008_search_text"),
        ("eldercare", "0013_search_text"),
        ("volunteers", "0005_search_text"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]

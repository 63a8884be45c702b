"""Triggers that keep ``reporting_communityarea`` (each community's operating centres' total area) in step.

Every INSERT, DELETE and UPDATE OF ``status``, ``community_id`` or ``total_area`` of a centre recomputes the
area of the community it stood in and of the one it stands in, in the writer's own transaction: the admin's
saves, ``QuerySet.update``, ``bulk_create`` and the workbook import's raw SQL alike. A recount, not a delta: a
decimal area summed by deltas on SQLite (stored as a float there) would drift from the recount ``verify_figures``
compares it with.

- PostgreSQL: the community's row is locked before the recount (``FOR UPDATE``, after an insert that does
  nothing where the row exists), and the recount is a later statement, so under READ COMMITTED it sees what a
  writer that held the lock committed: two clerks saving centres of one community do not lose either's area.
- A delete only updates a row (never inserts one): SQLite's flush deletes table by table, and a centre deleted
  after ``reporting_communityarea`` was emptied must not put a row back (PostgreSQL's flush is a TRUNCATE).

The migration fills the table from the current data after creating the triggers, in the same transaction.
"""

from django.db import migrations

TABLE = "reporting_communityarea"
OPERATING = "status = 'operating'"


def _recount(community):
    return (f"(SELECT COALESCE(SUM(total_area), 0) FROM facilities_centre "
            f"WHERE community_id = {community} AND {OPERATING})")


# --- PostgreSQL ---------------------------------------------------------------------------------------------------

PG_KEEP = f"""
CREATE OR REPLACE FUNCTION reporting_area_keep(community bigint, may_insert boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF community IS NULL THEN
        RETURN;
    END IF;
    IF may_insert THEN
        INSERT INTO {TABLE} (community_id, area) VALUES (community, 0) ON CONFLICT (community_id) DO NOTHING;
    END IF;
    PERFORM 1 FROM {TABLE} WHERE community_id = community FOR UPDATE;
    UPDATE {TABLE} SET area = {_recount("community")} WHERE community_id = community;
END $$;
"""

PG_TRIGGER = f"""
CREATE OR REPLACE FUNCTION reporting_area_facilities_centre() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.community_id = NEW.community_id AND OLD.status = NEW.status
       AND OLD.total_area IS NOT DISTINCT FROM NEW.total_area THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR OLD.community_id <> NEW.community_id) THEN
        PERFORM reporting_area_keep(OLD.community_id, false);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM reporting_area_keep(NEW.community_id, true);
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS reporting_area ON facilities_centre;
CREATE TRIGGER reporting_area AFTER INSERT OR DELETE OR UPDATE OF status, community_id, total_area
    ON facilities_centre FOR EACH ROW EXECUTE FUNCTION reporting_area_facilities_centre();
"""

PG_DROP = [
    "DROP TRIGGER IF EXISTS reporting_area ON facilities_centre",
    "DROP FUNCTION IF EXISTS reporting_area_facilities_centre()",
    "DROP FUNCTION IF EXISTS reporting_area_keep(bigint, boolean)",
]


# --- SQLite (one writer at a time: no lock needed) -----------------------------------------------------------------

def _sqlite_upsert(community):
    return (f"INSERT INTO {TABLE} (community_id, area) SELECT {community}, {_recount(community)} "
            f"WHERE {community} IS NOT NULL ON CONFLICT (community_id) DO UPDATE SET area = excluded.area;")


def _sqlite_update(community):
    return f"UPDATE {TABLE} SET area = {_recount(community)} WHERE community_id = {community};"


SQLITE = [
    f"CREATE TRIGGER reporting_area_insert AFTER INSERT ON facilities_centre BEGIN "
    f"{_sqlite_upsert('NEW.community_id')} END",
    f"CREATE TRIGGER reporting_area_delete AFTER DELETE ON facilities_centre BEGIN "
    f"{_sqlite_update('OLD.community_id')} END",
    f"CREATE TRIGGER reporting_area_update AFTER UPDATE OF status, community_id, total_area ON facilities_centre "
    f"WHEN OLD.community_id IS NOT NEW.community_id OR OLD.status IS NOT NEW.status "
    f"OR OLD.total_area IS NOT NEW.total_area BEGIN "
    f"{_sqlite_update('OLD.community_id')} {_sqlite_upsert('NEW.community_id')} END",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS reporting_area_{event}" for event in ("insert", "delete", "update")]

FILL = [
    f"DELETE FROM {TABLE}",
    f"INSERT INTO {TABLE} (community_id, area) SELECT community_id, SUM(total_area) FROM facilities_centre "
    f"WHERE {OPERATING} GROUP BY community_id",
]


def create(apps, schema_editor):
    statements = {"postgresql": [PG_KEEP, PG_TRIGGER], "sqlite": SQLITE}[schema_editor.connection.vendor]
    for sql in [*statements, *FILL]:
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    for sql in {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}[schema_editor.connection.vendor]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_community_area"),
        ("facilities", "0009_centre_operating_area"),
    ]

    operations = [migrations.RunPython(create, drop)]

"""Triggers that keep ``reporting_communityarea`` (each community's operating centres' total area, its city and
households, and the area per 100 households) in step.

Every INSERT, DELETE and UPDATE OF ``status``, ``community_id`` or ``total_area`` of a centre recounts the area of
the community it stood in and of the one it stands in, then copies the community's city and households from
``core_division`` and works out the ratio, in the writer's own transaction: the admin's saves, ``QuerySet.update``,
``bulk_create`` and the workbook import's raw SQL alike. An UPDATE OF ``city_id``, ``households`` or ``level`` of a
division puts the new values on its row (no row: the community has had no centre). A recount, not a delta: a
decimal area summed by deltas on SQLite (stored as a float there) would drift from the recount ``verify_figures``
compares it with.

- PostgreSQL: the community's row is locked before the recount (``FOR UPDATE``, after an insert that does nothing
  where the row exists), and the recount is a later statement, so under READ COMMITTED it sees what a writer that
  held the lock committed: two clerks saving centres of one community do not lose either's area, and a division's
  new households meet a centre's recount on the same row lock.
- A delete only updates a row (never inserts one): SQLite's flush deletes table by table, and a centre deleted
  after ``reporting_communityarea`` was emptied must not put a row back (PostgreSQL's flush is a TRUNCATE).
- On SQLite a later migration that rebuilds ``reporting_communityarea`` (Django's table remake: removing or altering
  a column) must drop these triggers first and create them again after: SQLite refuses to rename a table that a
  trigger names.

The migration fills the table from the current data after creating the triggers, in the same transaction.
"""

from django.db import migrations

TABLE = "reporting_communityarea"
OPERATING = "status = 'operating'"


def _recount(community):
    return (f"(SELECT COALESCE(SUM(total_area), 0) FROM facilities_centre "
            f"WHERE community_id = {community} AND {OPERATING})")


def _ratio(level, households, area, real):
    return (f"CASE WHEN {level} = 'community' AND {households} > 0 AND {area} > 0 "
            f"THEN CAST({area} AS {real}) * 100 / {households} END")


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
    UPDATE {TABLE} AS kept SET city_id = d.city_id, households = d.households,
        ratio = {_ratio("d.level", "d.households", "kept.area", "double precision")}
    FROM core_division d WHERE d.id = community AND kept.community_id = community;
END $$;
"""

PG_DIVISION = f"""
CREATE OR REPLACE FUNCTION reporting_area_core_division() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.city_id IS NOT DISTINCT FROM NEW.city_id AND OLD.households IS NOT DISTINCT FROM NEW.households
       AND OLD.level = NEW.level THEN
        RETURN NULL;
    END IF;
    UPDATE {TABLE} AS kept SET city_id = NEW.city_id, households = NEW.households,
        ratio = {_ratio("NEW.level", "NEW.households", "kept.area", "double precision")}
    WHERE kept.community_id = NEW.id;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS reporting_area ON core_division;
CREATE TRIGGER reporting_area AFTER UPDATE OF city_id, households, level ON core_division
    FOR EACH ROW EXECUTE FUNCTION reporting_area_core_division();
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
    "DROP TRIGGER IF EXISTS reporting_area ON core_division",
    "DROP FUNCTION IF EXISTS reporting_area_facilities_centre()",
    "DROP FUNCTION IF EXISTS reporting_area_core_division()",
    "DROP FUNCTION IF EXISTS reporting_area_keep(bigint, boolean)",
]


# --- SQLite ----------------------------------------------------------------------------------------------------

def _sqlite_place(community):
    division = f"FROM core_division d WHERE d.id = {community}"
    return (f"UPDATE {TABLE} SET city_id = (SELECT d.city_id {division}), "
            f"households = (SELECT d.households {division}), "
            f"ratio = (SELECT {_ratio('d.level', 'd.households', f'{TABLE}.area', 'REAL')} {division}) "
            f"WHERE community_id = {community};")


def _sqlite_upsert(community):
    return (f"INSERT INTO {TABLE} (community_id, area) SELECT {community}, {_recount(community)} "
            f"WHERE {community} IS NOT NULL ON CONFLICT (community_id) DO UPDATE SET area = excluded.area;")


def _sqlite_update(community):
    return f"UPDATE {TABLE} SET area = {_recount(community)} WHERE community_id = {community};"


SQLITE_DROP = [f"DROP TRIGGER IF EXISTS reporting_area_{event}"
               for event in ("insert", "delete", "update", "division")]
SQLITE = [
    f"CREATE TRIGGER reporting_area_insert AFTER INSERT ON facilities_centre BEGIN "
    f"{_sqlite_upsert('NEW.community_id')} {_sqlite_place('NEW.community_id')} END",
    f"CREATE TRIGGER reporting_area_delete AFTER DELETE ON facilities_centre BEGIN "
    f"{_sqlite_update('OLD.community_id')} {_sqlite_place('OLD.community_id')} END",
    f"CREATE TRIGGER reporting_area_update AFTER UPDATE OF status, community_id, total_area ON facilities_centre "
    f"WHEN OLD.community_id IS NOT NEW.community_id OR OLD.status IS NOT NEW.status "
    f"OR OLD.total_area IS NOT NEW.total_area BEGIN "
    f"{_sqlite_update('OLD.community_id')} {_sqlite_place('OLD.community_id')} "
    f"{_sqlite_upsert('NEW.community_id')} {_sqlite_place('NEW.community_id')} END",
    f"CREATE TRIGGER reporting_area_division AFTER UPDATE OF city_id, households, level ON core_division "
    f"WHEN OLD.city_id IS NOT NEW.city_id OR OLD.households IS NOT NEW.households OR OLD.level IS NOT NEW.level "
    f"BEGIN UPDATE {TABLE} SET city_id = NEW.city_id, households = NEW.households, "
    f"ratio = {_ratio('NEW.level', 'NEW.households', 'area', 'REAL')} WHERE community_id = NEW.id; END",
]

FILL = [
    f"DELETE FROM {TABLE}",
    f"INSERT INTO {TABLE} (community_id, area) SELECT community_id, SUM(total_area) FROM facilities_centre "
    f"WHERE {OPERATING} GROUP BY community_id",
]
PLACE = {
    "postgresql": f"UPDATE {TABLE} AS kept SET city_id = d.city_id, households = d.households, "
                  f"ratio = {_ratio('d.level', 'd.households', 'kept.area', 'double precision')} "
                  f"FROM core_division d WHERE d.id = kept.community_id",
    "sqlite": f"UPDATE {TABLE} SET city_id = (SELECT d.city_id FROM core_division d WHERE d.id = community_id), "
              f"households = (SELECT d.households FROM core_division d WHERE d.id = community_id), "
              f"ratio = (SELECT {_ratio('d.level', 'd.households', f'{TABLE}.area', 'REAL')} "
              f"FROM core_division d WHERE d.id = community_id)",
}


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [PG_KEEP, PG_TRIGGER, PG_DIVISION], "sqlite": SQLITE}[vendor]
    for sql in [*statements, *FILL, PLACE[vendor]]:
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

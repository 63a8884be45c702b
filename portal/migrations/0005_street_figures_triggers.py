"""Triggers that keep ``portal_streetfigures`` (the home page's headline counts, per street) in step.

Every write of a division, a centre, an eldercare facility or a volunteer team adjusts its *key division*'s
row by +1/−1 in the writer's own transaction: the admin's saves, ``QuerySet.update``, ``bulk_create``, the
workbook import's raw ``UPDATE … FROM`` and hand-written SQL alike. The key of a record is its division's
street (``COALESCE(street_id, id)`` of the community or street it points at; a street's key is itself), so
writers of one street queue on that street's row only and readers sum the rows.

- Records: INSERT and DELETE, and UPDATE OF the counted status or of the division column (a move to another
  street takes one from the old row and gives one to the new).
- Divisions: INSERT and DELETE count districts, streets and communities; an UPDATE OF ``level`` or
  ``street_id`` that changes the key (a community re-parented to another street) moves the division itself
  *and the records that point at it* from the old street's row to the new one. Deleting a key division
  deletes its row (its records and communities are PROTECTed, so the row is all zeros by then).
- Decrements only ``UPDATE`` an existing row, increments upsert (``INSERT … ON CONFLICT DO UPDATE``). A row that
  is missing therefore stays missing while rows are deleted: SQLite's flush (``DELETE FROM`` each table in
  turn, the transactional tests' teardown) leaves the table empty whatever the order; PostgreSQL's flush is a
  ``TRUNCATE``, which fires no row trigger.

The migration fills the table from the current data after creating the triggers, in the same transaction:
on PostgreSQL ``CREATE TRIGGER`` locks the tables against writers until the commit, so no write falls between.
``python manage.py verify_figures`` recomputes the rows with the ORM and names any difference.
"""

from django.db import migrations

FIELDS = ("districts", "streets", "communities", "centres", "eldercare", "teams")
LEVELS = ("district", "street", "community")
#: (table, its division column, the kept field, the counted condition on a row alias or None for every row)
RECORDS = (
    ("facilities_centre", "community_id", "centres", "{row}.status = 'operating'"),
    ("eldercare_facility", "division_id", "eldercare", "{row}.status = 'operating'"),
    ("volunteers_team", "community_id", "teams", None),
)
COLUMNS = ", ".join(FIELDS)


def _key(division):
    return f"(SELECT COALESCE(d.street_id, d.id) FROM core_division d WHERE d.id = {division})"


def _counted(condition, row):
    return condition.format(row=row) if condition else "TRUE"


# --- PostgreSQL: plpgsql functions, one row trigger per table -------------------------------------------------

PG_ADD = f"""
CREATE OR REPLACE FUNCTION portal_figures_add(street bigint, VARIADIC delta integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF street IS NULL OR delta = array_fill(0, ARRAY[6]) THEN
        RETURN;
    END IF;
    IF 0 <= ALL(delta) THEN
        INSERT INTO portal_streetfigures AS kept (division_id, {COLUMNS})
        VALUES (street, {", ".join(f"delta[{i}]" for i in range(1, 7))})
        ON CONFLICT (division_id) DO UPDATE SET
        {", ".join(f"{name} = kept.{name} + EXCLUDED.{name}" for name in FIELDS)};
    ELSE
        UPDATE portal_streetfigures AS kept SET
        {", ".join(f"{name} = kept.{name} + delta[{i}]" for i, name in enumerate(FIELDS, 1))}
        WHERE kept.division_id = street;
    END IF;
END $$;
"""


def _pg_delta(field, sign):
    return ", ".join(sign if name == field else "0" for name in FIELDS)


def _pg_record(table, column, field, condition):
    function = f"portal_figures_{table}"
    old, new = _counted(condition, "OLD"), _counted(condition, "NEW")
    events = "status, " + column if condition else column
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND ({old}) = ({new}) AND OLD.{column} = NEW.{column} THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND {old} THEN
        PERFORM portal_figures_add({_key(f"OLD.{column}")}, {_pg_delta(field, "-1")});
    END IF;
    IF TG_OP <> 'DELETE' AND {new} THEN
        PERFORM portal_figures_add({_key(f"NEW.{column}")}, {_pg_delta(field, "1")});
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS portal_figures ON {table};
CREATE TRIGGER portal_figures AFTER INSERT OR DELETE OR UPDATE OF {events} ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""


def _pg_levels(row, sign):
    return ", ".join(f"{sign}({row}.level = '{level}')::integer" for level in LEVELS)


def _moved_counts():
    """SELECT … INTO the counts of the records that point at the moved division (plpgsql)."""
    lines = []
    for table, column, field, condition in RECORDS:
        where = f"{column} = NEW.id" + (f" AND {_counted(condition, 'r')}" if condition else "")
        lines.append(f"SELECT count(*) INTO moved_{field} FROM {table} r WHERE {where};")
    return "\n        ".join(lines)


PG_DIVISION = f"""
CREATE OR REPLACE FUNCTION portal_figures_core_division() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_key bigint;
    new_key bigint;
    moved_centres integer := 0;
    moved_eldercare integer := 0;
    moved_teams integer := 0;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_key := COALESCE(OLD.street_id, OLD.id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_key := COALESCE(NEW.street_id, NEW.id);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF old_key = new_key AND OLD.level = NEW.level THEN
            RETURN NULL;
        END IF;
        IF old_key <> new_key THEN
        {_moved_counts()}
        END IF;
    END IF;
    IF old_key IS NOT NULL THEN
        PERFORM portal_figures_add(old_key, {_pg_levels("OLD", "-")}, -moved_centres, -moved_eldercare, -moved_teams);
    END IF;
    IF new_key IS NOT NULL THEN
        PERFORM portal_figures_add(new_key, {_pg_levels("NEW", "")}, moved_centres, moved_eldercare, moved_teams);
    END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM portal_streetfigures WHERE division_id = OLD.id;
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS portal_figures ON core_division;
CREATE TRIGGER portal_figures AFTER INSERT OR DELETE OR UPDATE OF level, street_id ON core_division
    FOR EACH ROW EXECUTE FUNCTION portal_figures_core_division();
"""


def postgresql_triggers():
    return [PG_ADD, PG_DIVISION, *(_pg_record(*record) for record in RECORDS)]


def postgresql_drop():
    tables = ["core_division", *(table for table, _column, _field, _condition in RECORDS)]
    return [
        *(f"DROP TRIGGER IF EXISTS portal_figures ON {table}" for table in tables),
        *(f"DROP FUNCTION IF EXISTS portal_figures_{table}()" for table in tables),
        "DROP FUNCTION IF EXISTS portal_figures_add(bigint, integer[])",
    ]


# --- SQLite: one trigger per table and event, each a decrement (UPDATE) and/or an increment (upsert) ----------

def _sqlite_increment(street, values, when="1"):
    """Upsert ``values`` (an expression per field) into ``street``'s row when ``when`` holds."""
    return (
        f"INSERT INTO portal_streetfigures (division_id, {COLUMNS}) SELECT {street}, {', '.join(values)} "
        f"WHERE {street} IS NOT NULL AND ({when}) ON CONFLICT (division_id) DO UPDATE SET "
        + ", ".join(f"{name} = {name} + excluded.{name}" for name in FIELDS) + ";"
    )


def _sqlite_decrement(street, values, when="1"):
    return (
        "UPDATE portal_streetfigures SET "
        + ", ".join(f"{name} = {name} - {value}" for name, value in zip(FIELDS, values, strict=True))
        + f" WHERE division_id = {street} AND ({when});"
    )


def _sqlite_record(table, column, field, condition):
    one = ["1" if name == field else "0" for name in FIELDS]
    old, new = _counted(condition, "OLD"), _counted(condition, "NEW")
    events = "status, " + column if condition else column
    name = f"portal_figures_{table}"
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} WHEN {new} BEGIN "
        f"{_sqlite_increment(_key(f'NEW.{column}'), one)} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} WHEN {old} BEGIN "
        f"{_sqlite_decrement(_key(f'OLD.{column}'), one)} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {events} ON {table} "
        f"WHEN ({old}) <> ({new}) OR OLD.{column} <> NEW.{column} BEGIN "
        f"{_sqlite_decrement(_key(f'OLD.{column}'), one, old)} "
        f"{_sqlite_increment(_key(f'NEW.{column}'), one, new)} END",
    ]


def _sqlite_division_values(row, moved):
    levels = [f"({row}.level = '{level}')" for level in LEVELS]
    records = []
    for table, column, _field, condition in RECORDS:
        where = f"r.{column} = NEW.id" + (f" AND {_counted(condition, 'r')}" if condition else "")
        records.append(f"(CASE WHEN {moved} THEN (SELECT count(*) FROM {table} r WHERE {where}) ELSE 0 END)")
    return levels + records


def sqlite_triggers():
    old_key, new_key = "COALESCE(OLD.street_id, OLD.id)", "COALESCE(NEW.street_id, NEW.id)"
    moved = f"{old_key} <> {new_key}"
    levels_new = [f"(NEW.level = '{level}')" for level in LEVELS] + ["0"] * 3
    levels_old = [f"(OLD.level = '{level}')" for level in LEVELS] + ["0"] * 3
    division = [
        f"CREATE TRIGGER portal_figures_core_division_insert AFTER INSERT ON core_division "
        f"WHEN NEW.level IN ({', '.join(repr(level) for level in LEVELS)}) BEGIN "
        f"{_sqlite_increment(new_key, levels_new)} END",
        f"CREATE TRIGGER portal_figures_core_division_delete AFTER DELETE ON core_division BEGIN "
        f"{_sqlite_decrement(old_key, levels_old)} DELETE FROM portal_streetfigures WHERE division_id = OLD.id; END",
        f"CREATE TRIGGER portal_figures_core_division_update AFTER UPDATE OF level, street_id ON core_division "
        f"WHEN OLD.level <> NEW.level OR {moved} BEGIN "
        f"{_sqlite_decrement(old_key, _sqlite_division_values('OLD', moved))} "
        f"{_sqlite_increment(new_key, _sqlite_division_values('NEW', moved))} END",
    ]
    return division + [sql for record in RECORDS for sql in _sqlite_record(*record)]


def sqlite_drop():
    tables = ["core_division", *(table for table, _column, _field, _condition in RECORDS)]
    return [
        f"DROP TRIGGER IF EXISTS portal_figures_{table}_{event}"
        for table in tables for event in ("insert", "delete", "update")
    ]


# --- Both: fill the table from the data as it stands -----------------------------------------------------------

def fill():
    """One row per key division with what it counts now (an empty table first, so a re-run is the same)."""
    levels = ", ".join(f"CASE WHEN level = '{level}' THEN 1 ELSE 0 END AS {name}" for level, name in zip(LEVELS, FIELDS[:3], strict=True))
    parts = [f"SELECT COALESCE(street_id, id) AS street, {levels}, 0 AS centres, 0 AS eldercare, 0 AS teams "
             f"FROM core_division WHERE level IN ({', '.join(repr(level) for level in LEVELS)})"]
    for table, column, field, condition in RECORDS:
        ones = ", ".join("1" if name == field else "0" for name in FIELDS)
        where = f" WHERE {_counted(condition, 'r')}" if condition else ""
        parts.append(f"SELECT COALESCE(d.street_id, d.id), {ones} FROM {table} r "
                     f"JOIN core_division d ON d.id = r.{column}{where}")
    sums = ", ".join(f"SUM({name})" for name in FIELDS)
    return [
        "DELETE FROM portal_streetfigures",
        f"INSERT INTO portal_streetfigures (division_id, {COLUMNS}) "
        f"SELECT street, {sums} FROM ({' UNION ALL '.join(parts)}) AS counted GROUP BY street",
    ]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": postgresql_triggers, "sqlite": sqlite_triggers}[vendor]()
    for sql in [*statements, *fill()]:
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": postgresql_drop, "sqlite": sqlite_drop}[vendor]():
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_street_figures"),
        ("core", "0007_division_level_code"),
        ("facilities", "0007_merge_parallel_work"),
        ("eldercare", "0012_visit_note_and_phone_reveal"),
        ("volunteers", "0004_record_codes_not_formulas"),
    ]

    operations = [migrations.RunPython(create, drop)]

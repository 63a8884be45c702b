"""A record's ``community_code``: its community's code, kept in its own row by the database, for the public lists.

The public lists of centres and volunteer teams show the records by their community's code, then their own. Sorted
through the join, PostgreSQL read and sorted every operating record to find a page (the last page of the capped
list: 981–1,000 of 2,676 centres in 4 ms of an 8 ms page at 1×); kept in the row, an index on
``(community_code, code)`` hands the page over in order.

Triggers keep the column, for every writer — the admin's saves, ``bulk_create``, the workbook import's raw SQL,
``QuerySet.update`` — in the writer's own transaction:

- a record inserted, or updated with another community (or with another value written into the column), takes
  its community's code;
- a division whose code changes gives the new code to the records that point at it.

The application never sets the column: a save writes back whatever the record in memory holds there (``None``
for a record just created, or a value read before its community changed) and the triggers put it right, which is
why it is read only for sorting. The migrations that create the triggers
call these builders; the SQL they return must stay what those migrations created.
"""

from django.db import migrations


def _code_of(row):
    return f"COALESCE((SELECT code FROM core_division WHERE id = {row}.community_id), '')"


def postgresql(table):
    function = f"{table}_community_code"
    return [
        f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.community_code := {_code_of("NEW")};
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS community_code_insert ON {table};
CREATE TRIGGER community_code_insert BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
DROP TRIGGER IF EXISTS community_code_update ON {table};
CREATE TRIGGER community_code_update BEFORE UPDATE OF community_id, community_code ON {table} FOR EACH ROW
    WHEN (OLD.community_id IS DISTINCT FROM NEW.community_id OR OLD.community_code IS DISTINCT FROM NEW.community_code)
    EXECUTE FUNCTION {function}();
""",
        f"""
CREATE OR REPLACE FUNCTION core_division_code_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {table} SET community_code = NEW.code WHERE community_id = NEW.id;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS code_{table} ON core_division;
CREATE TRIGGER code_{table} AFTER UPDATE OF code ON core_division FOR EACH ROW
    WHEN (OLD.code IS DISTINCT FROM NEW.code) EXECUTE FUNCTION core_division_code_{table}();
""",
    ]


def postgresql_drop(table):
    return [
        f"DROP TRIGGER IF EXISTS community_code_insert ON {table}",
        f"DROP TRIGGER IF EXISTS community_code_update ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_community_code()",
        f"DROP TRIGGER IF EXISTS code_{table} ON core_division",
        f"DROP FUNCTION IF EXISTS core_division_code_{table}()",
    ]


def sqlite(table):
    """SQLite's triggers can't change the row being written: an AFTER trigger writes it again (SQLite's triggers
    don't fire from within a trigger unless ``recursive_triggers`` is on, which Django leaves off)."""
    return [
        f"CREATE TRIGGER {table}_community_code_insert AFTER INSERT ON {table} BEGIN "
        f"UPDATE {table} SET community_code = {_code_of('NEW')} WHERE id = NEW.id; END",
        f"CREATE TRIGGER {table}_community_code_update AFTER UPDATE OF community_id, community_code ON {table} BEGIN "
        f"UPDATE {table} SET community_code = {_code_of('NEW')} "
        f"WHERE id = NEW.id AND community_code IS NOT {_code_of('NEW')}; END",
        f"CREATE TRIGGER core_division_code_{table} AFTER UPDATE OF code ON core_division "
        f"WHEN OLD.code IS NOT NEW.code BEGIN "
        f"UPDATE {table} SET community_code = NEW.code WHERE community_id = NEW.id; END",
    ]


def sqlite_drop(table):
    return [
        f"DROP TRIGGER IF EXISTS {table}_community_code_insert",
        f"DROP TRIGGER IF EXISTS {table}_community_code_update",
        f"DROP TRIGGER IF EXISTS core_division_code_{table}",
    ]


def fill(table):
    """Every record's code from the data as it stands (after the triggers: no write can fall between on
    PostgreSQL, whose ``CREATE TRIGGER`` locks the table until the migration commits)."""
    return [f"UPDATE {table} SET community_code = {_code_of(table)}"]


def kept_for(table):
    """The migration operation that creates the triggers of ``table`` and fills its column (reversible)."""

    def create(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in [*{"postgresql": postgresql, "sqlite": sqlite}[vendor](table), *fill(table)]:
            schema_editor.execute(sql, params=None)

    def drop(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in {"postgresql": postgresql_drop, "sqlite": sqlite_drop}[vendor](table):
            schema_editor.execute(sql, params=None)

    return migrations.RunPython(create, drop)

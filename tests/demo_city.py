"""The demo city (``seed_demo``) for the test modules that read it: seeded once per process, then copied.

``seed_demo`` takes 7–19 s on this machine (it saves every record through the ORM, with history, search text
and kept figures) and several modules read the demo city, each inside its own rolled-back transaction
(``tests/security/world.py``). The first of them in a process seeds it for real and keeps what the seeding
changed, table by table; the next ones write those rows back in one DELETE and one INSERT per table. A copy is
only made onto the same state the seeding started from (the migrations' rows): otherwise the command runs.

``tests/test_demo_city.py`` checks that the copy leaves every table exactly as the seeding does.
"""

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

_KEPT = {}  # {database vendor: (state before, changes)}
#: Tables that the database's own triggers keep (portal/migrations/0005, reporting/migrations/0005): the copy's
#: INSERTs into the other tables already wrote their rows, so they are replaced whole, last.
KEPT_BY_TRIGGERS = ("portal_streetfigures", "reporting_communityarea")


def seed():
    """Load the demo city into the current transaction."""
    before = dump()
    kept = _KEPT.get(connection.vendor)
    if kept is not None and kept[0] == before:
        _apply(kept[1])
        return
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    _KEPT[connection.vendor] = (before, _changes(before, dump()))


def dump():
    """``{table: (columns, {key: row})}`` of every table but the migrations' own, keyed by primary key."""
    state = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table == "django_migrations":
                continue
            key = connection.introspection.get_primary_key_column(cursor, table)
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608  # a table name from the database's own catalogue, quoted  # nosec B608
            columns = tuple(column[0] for column in cursor.description)
            position = columns.index(key) if key in columns else None
            state[table] = (columns, {(row if position is None else row[position]): row for row in map(tuple, cursor.fetchall())})
    return state


def _changes(before, after):
    """Per table: the keys to delete (removed or changed rows) and the rows to insert (added or changed)."""
    changes = {}
    with connection.cursor() as cursor:
        for table, (columns, rows) in after.items():
            old = before.get(table, (columns, {}))[1]
            deleted = [key for key, row in old.items() if rows.get(key) != row]
            inserted = [row for key, row in rows.items() if old.get(key) != row]
            if table in KEPT_BY_TRIGGERS:
                deleted, inserted = None, list(rows.values())
            if deleted is None or deleted or inserted:
                key = connection.introspection.get_primary_key_column(cursor, table)
                changes[table] = (columns, key, deleted, inserted)
    return dict(sorted(changes.items(), key=lambda item: item[0] in KEPT_BY_TRIGGERS))


def _apply(changes):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, (columns, key, deleted, inserted) in changes.items():
            if deleted is None:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608  # a quoted name from the catalogue  # nosec B608
            elif deleted:
                if key is None:
                    raise RuntimeError(f"{table}: the seeding changed a row of a table without a primary key")
                for start in range(0, len(deleted), 500):
                    batch = deleted[start : start + 500]
                    marks = ", ".join(["%s"] * len(batch))
                    cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(key)} IN ({marks})", batch)  # noqa: S608  # quoted names from the catalogue; values bound  # nosec B608
            if inserted:
                _insert(cursor, table, columns, inserted)
        # PostgreSQL's sequences do not move for rows written with their ids: the next save would collide.
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)


def _insert(cursor, table, columns, rows):
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    if connection.vendor == "postgresql":  # COPY: psycopg's client-side binding of large INSERTs took seconds
        with connection.connection.cursor() as raw, raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, min(500, (connection.features.max_query_params or 30000) // len(columns)))
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        values = [value for values in batch for value in values]
        cursor.execute(f"INSERT INTO {quote(table)} ({names}) VALUES {', '.join([row] * len(batch))}", values)  # noqa: S608  # quoted names from the catalogue; values bound  # nosec B608

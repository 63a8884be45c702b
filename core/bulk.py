"""Set-based writes of many records: one statement per few thousand rows, on PostgreSQL and SQLite alike.

``QuerySet.bulk_update`` writes ``SET col = CASE WHEN id = 1 THEN … WHEN id = 2 THEN … END`` per column:
statements of hundreds of kilobytes that the database parses and evaluates row by row (at city scale
it was 33 of 37 seconds of an import). Here the rows travel as one JSON parameter, which the database
turns into a table and joins:

    UPDATE t SET version = t.version + 1, col = v.col, … FROM <rows of the JSON> AS v
    WHERE t.pk = v.pk AND t.version = v.read_version RETURNING t.pk

PostgreSQL reads the JSON with ``jsonb_to_recordset`` (typed by the model's own column types); SQLite
(3.33+: ``UPDATE … FROM``, 3.35+: ``RETURNING``, JSON1 built in) with ``json_each``. One parameter, not
one per value: the driver does not scan a statement of thousands of placeholders, and no statement
exceeds a parameter limit. The update is also the compare-and-set: a row is only written while it still
has the version the import read, and the rows it returns are those written (and locked until commit).
New records go in the same way (``insert_rows``); a derived column no one edits (the kept search text) is
written without the compare-and-set (``update_rows``). The workbook import is the main user.
"""

import datetime
import decimal
import json

from django.db import connection

#: Rows per statement.
ROWS_PER_STATEMENT = 5000


def chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _json_default(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    raise TypeError(type(value))


def listed(cast):
    """SQL of a one-column table of the values of one JSON-array parameter (``IN (listed("bigint"))``): a few
    thousand keys as one parameter instead of a placeholder each, which the driver would scan and quote one
    by one. ``cast`` is the values' PostgreSQL type (SQLite takes them as JSON gives them)."""
    if connection.vendor == "postgresql":
        return f"SELECT jsonb_array_elements_text(%s::jsonb)::{cast}"
    return "SELECT value FROM json_each(%s)"


def found(model, field, values, cast="text"):
    """The ``values`` that some record of ``model`` has in ``field`` (e.g. codes someone created meanwhile): one
    statement per ``ROWS_PER_STATEMENT`` values, each statement one parameter (``listed``)."""
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field(field).column)
    # Names from the model metadata; the values are one parameter.
    sql = f"SELECT {column} FROM {quote(model._meta.db_table)} WHERE {column} IN ({listed(cast)})"  # noqa: S608  # nosec B608
    existing = []
    with connection.cursor() as cursor:
        for chunk in chunks(values, ROWS_PER_STATEMENT):
            cursor.execute(sql, [json.dumps(chunk, ensure_ascii=False)])
            existing += [row[0] for row in cursor.fetchall()]
    return existing


def _rows_table(names, fields):
    """SQL of a table ``v`` with columns ``names`` (typed like ``fields``) read from one JSON parameter."""
    if connection.vendor == "postgresql":
        columns = ", ".join(f"{name} {field.cast_db_type(connection)}" for name, field in zip(names, fields, strict=True))
        return f"jsonb_to_recordset(%s::jsonb) AS v({columns})"
    columns = ", ".join(f"json_extract(value, '$.{name}') AS {name}" for name in names)
    return f"(SELECT {columns} FROM json_each(%s)) AS v"  # noqa: S608  # names of our own  # nosec B608


#: Internal types whose ``get_db_prep_save`` returns a value of the type named unchanged (text, whole
#: numbers, yes/no; a foreign key is its target's type). Such a value goes into the JSON as it is: the
#: field's own preparation was most of the time of writing an import's rows.
_AS_STORED = {
    "CharField": str, "TextField": str, "SlugField": str, "EmailField": str, "URLField": str,
    "IntegerField": int, "BigIntegerField": int, "SmallIntegerField": int, "PositiveIntegerField": int,
    "PositiveBigIntegerField": int, "PositiveSmallIntegerField": int, "AutoField": int, "BigAutoField": int,
    "BooleanField": bool,
}


def _converter(field):
    """``value → value as stored`` for ``field``: the value itself when it already is what the database
    stores (or None), else the field's own ``get_db_prep_save``."""
    target = field.target_field if field.is_relation else field
    own = all(type(part).__module__.startswith("django.db.models.fields") for part in (field, target))
    stored = _AS_STORED.get(target.get_internal_type()) if own else None  # a field of our own prepares its values

    def convert(value):
        if stored is not None and (value is None or type(value) is stored):
            return value
        return field.get_db_prep_save(value, connection)

    return convert


def _payload(names, fields, rows, leading=0, prepared=False):
    """The JSON parameter: one object per row of values (``leading`` values as they are, then one per field,
    converted to what the database stores; ``prepared``: every value already is, as JSON gives it)."""
    if prepared:
        return json.dumps([dict(zip(names, row, strict=True)) for row in rows], ensure_ascii=False)
    converters = [_converter(field) for field in fields]
    payload = []
    for row in rows:
        values = [*row[:leading], *(convert(value) for convert, value in zip(converters, row[leading:], strict=True))]
        payload.append(dict(zip(names, values, strict=True)))
    return json.dumps(payload, default=_json_default, ensure_ascii=False)


def _values_of(objs, fields, first=None):
    """Each record as a row of values: ``first(obj)``'s, then its ``fields``'."""
    attnames = [field.attname for field in fields]
    return [[*(first(obj) if first else ()), *(getattr(obj, attname) for attname in attnames)] for obj in objs]


def update_where_version(model, objs, fields, *, read_version, extra=None):
    """Write ``fields`` of ``objs`` and bump their version, where it is still ``read_version(obj)``.

    ``extra`` is ``{field: value}`` set on every row alike (e.g. ``updated_at``). Returns the primary
    keys written; the others were changed or deleted by someone else since they were read.
    """
    value_fields = [model._meta.get_field(name) for name in fields]
    rows = _values_of(objs, value_fields, first=lambda obj: (obj.pk, read_version(obj)))
    return update_values_where_version(model, rows, fields, extra=extra)


def update_values_where_version(model, rows, fields, *, extra=None, prepared=False):
    """``update_where_version`` for rows of values ``[pk, version read, *one value per field]`` (no records
    built): a value is the field's, or what the field turns into it (``"12.5"`` for a decimal, an ISO date).
    ``prepared``: the values are already what the database stores, in JSON's types (a text, a number, yes/no,
    null; a decimal or a date as its text): they go as they are, unconverted (a kept import plan's rows)."""
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    pk, version = meta.pk, meta.get_field("version")
    value_fields = [meta.get_field(name) for name in fields]
    names = ["pk", "read_version", *(f"v{index}" for index in range(len(value_fields)))]
    assignments = [f"{quote(version.column)} = {table}.{quote(version.column)} + 1"]
    assignments += [f"{quote(field.column)} = v.v{index}" for index, field in enumerate(value_fields)]
    extra_params = []
    for name, value in (extra or {}).items():
        field = meta.get_field(name)
        assignments.append(f"{quote(field.column)} = %s")
        extra_params.append(field.get_db_prep_save(value, connection))
    source = _rows_table(names, [pk, version, *value_fields])
    # Names from the model metadata; every value is a parameter.
    sql = (  # nosec B608
        f"UPDATE {table} SET {', '.join(assignments)} FROM {source} "  # noqa: S608  # nosec B608
        f"WHERE {table}.{quote(pk.column)} = v.pk AND {table}.{quote(version.column)} = v.read_version "
        f"RETURNING {table}.{quote(pk.column)}"
    )
    written = []
    with connection.cursor() as cursor:
        for chunk in chunks(rows, ROWS_PER_STATEMENT):
            cursor.execute(sql, [*extra_params, _payload(names, value_fields, chunk, leading=2, prepared=prepared)])
            written += [found[0] for found in cursor.fetchall()]
    return written


def update_rows(model, rows, fields):
    """Write rows of values ``[pk, *one value per field of fields]`` as they are, without a version check or
    bump: for columns derived from others (``core.search_text``), which no one edits and whose write must not
    look like an edit."""
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    value_fields = [meta.get_field(name) for name in fields]
    names = ["pk", *(f"v{index}" for index in range(len(value_fields)))]
    assignments = ", ".join(f"{quote(field.column)} = v.v{index}" for index, field in enumerate(value_fields))
    source = _rows_table(names, [meta.pk, *value_fields])
    # Names from the model metadata; every value is a parameter.
    sql = f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.{quote(meta.pk.column)} = v.pk"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        for chunk in chunks(rows, ROWS_PER_STATEMENT):
            cursor.execute(sql, [_payload(names, value_fields, chunk, leading=1)])


def insert_rows(model, objs, fields, *, extra=None, returning="pk"):
    """Insert ``objs`` (their ``fields``, plus ``extra`` ``{field: value}`` alike for all); returns
    ``[(pk, returning field's value)]`` of the rows made (e.g. each new record's code with its key)."""
    value_fields = [model._meta.get_field(name) for name in fields]
    return insert_values(model, _values_of(objs, value_fields), fields, extra=extra, returning=returning)


def insert_values(model, rows, fields, *, extra=None, returning="pk", prepared=False):
    """``insert_rows`` for rows of values, one per field of ``fields`` (no records built; a value, and
    ``prepared``, as in ``update_values_where_version``)."""
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    value_fields = [meta.get_field(name) for name in fields]
    names = [f"v{index}" for index in range(len(value_fields))]
    extra_fields = [meta.get_field(name) for name in (extra or {})]
    extra_params = [field.get_db_prep_save(value, connection) for field, value in zip(extra_fields, (extra or {}).values(), strict=True)]
    columns = ", ".join(quote(field.column) for field in (*value_fields, *extra_fields))
    selected = ", ".join([*(f"v.{name}" for name in names), *(["%s"] * len(extra_fields))])
    back = meta.get_field(returning) if returning != "pk" else meta.pk
    # Names from the model metadata; every value is a parameter.
    sql = (  # nosec B608
        f"INSERT INTO {table} ({columns}) SELECT {selected} FROM {_rows_table(names, value_fields)} "  # noqa: S608  # nosec B608
        f"RETURNING {quote(meta.pk.column)}, {quote(back.column)}"
    )
    made = []
    with connection.cursor() as cursor:
        for chunk in chunks(rows, ROWS_PER_STATEMENT):
            cursor.execute(sql, [*extra_params, _payload(names, value_fields, chunk, prepared=prepared)])
            made += cursor.fetchall()
    return made


#: A bulk write of fewer rows than this never refreshes the planner's statistics (``refresh_statistics``).
STATISTICS_AFTER_ROWS = 1000


def refresh_statistics(model, added):
    """After ``added`` rows went into ``model``'s table in the open transaction: on PostgreSQL, ``ANALYZE`` it when
    its planner statistics know of fewer rows than were added (a first load into an empty or small table).

    The same transaction's next queries — the kept figures' refresh of an import — are then planned for the rows
    the table now holds: planned for an empty table, E7's check of 1,656 new communities scanned every facility
    of a kind for each (1.0 s instead of 20 ms). ``ANALYZE`` sees the transaction's own rows; what it stores is
    rolled back with them. Returns whether it ran.
    """
    if connection.vendor != "postgresql" or added < STATISTICS_AFTER_ROWS:
        return False
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        (known,) = cursor.fetchone()
        if known >= added:
            return False
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return True

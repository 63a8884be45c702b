"""The plan's timeline: every indicator as the records stood at the end of any month.

The as-of rule (docs/TIMELINE.md):

- the records "as they stood at the end of month M" are, for every record kept with an audit history
  (``core.TrackedModel``: divisions, centres, eldercare facilities, elders, visits, teams, workers), its
  latest history row dated before the first instant of month M+1 in the portal's time zone
  (``TIME_ZONE``, Asia/Shanghai): a record changed on 2024-03-15 shows its old value for 2024-02 and
  its new value for 2024-03; a record created later did not exist; a record whose latest row by then
  is a deletion (``-``) no longer existed;
- E5 counts the visits *dated* in M among the visit records as they stood at the end of M (a visit
  entered after the month closed belongs to later figures, never to the stored month);
- a month before the first history row of any division, or after the current month, has no data (无数据).

The figures come from the one indicator engine (``compliance.board``), unchanged: inside
``as_of(M)`` each tracked table is shadowed, on the same database connection, by a temporary table of
the same name holding its rows as of M (SQLite and PostgreSQL both look up temporary tables first).
Everything runs inside one transaction (savepoint) that drops them again; an error rolls the
savepoint back, which drops them too.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, time

from django.apps import apps
from django.db import connections, router, transaction
from django.db.models import Min, OuterRef, Subquery, Value
from django.utils import timezone

from compliance import board, kept
from compliance.kinds import Context
from core import compiled
from core.dates import month_bounds

#: The rules the figures are computed under (DOMAIN.md "Rules version 2 (2026-12)").
RULES_VERSION = 2

#: Every table the indicators read, with the columns their joins and filters look up.
TRACKED = {
    "core.Division": ("level", "parent_id", "street_id", "district_id"),
    "facilities.Centre": ("community_id",),
    "eldercare.Facility": ("division_id",),
    "eldercare.Elder": ("community_id",),
    "eldercare.Visit": ("elder_id",),
    "volunteers.Team": ("community_id",),
    "volunteers.Worker": ("workplace_id",),
}


def next_month(month):
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def months_between(first, last):
    """Every month from ``first`` to ``last`` inclusive (first days)."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def month_end(month):
    """The first instant after month ``month`` in the portal's time zone (aware)."""
    return timezone.make_aware(datetime.combine(next_month(month.replace(day=1)), time.min))


def first_data_month():
    """The month of the first history row of any division, or None on an empty database."""
    history = apps.get_model("core.Division").history.model
    first = history.objects.aggregate(first=Min("history_date"))["first"]
    return None if first is None else timezone.localtime(first).date().replace(day=1)


def has_data(month, *, today=None, first=None):
    """Whether month ``month`` is between the first data and the current month."""
    today = today or timezone.localdate()
    first = first_data_month() if first is None else first
    month = month.replace(day=1)
    return first is not None and first <= month <= today.replace(day=1)


def has_visits(month, *, today=None):
    """Whether E5 on today's records can say anything about ``month``: from the first visit's month to this one."""
    from django.db.models import Min

    today = today or timezone.localdate()
    first = apps.get_model("eldercare.Visit").objects.aggregate(first=Min("visited_on"))["first"]
    month = month.replace(day=1)
    return first is not None and first.replace(day=1) <= month <= today.replace(day=1)


def _latest_rows(model, cut, month):
    """The history rows of ``model`` as they stood before ``cut``: the latest per record, not deletions."""
    history = model.history.model
    rows = history.objects.filter(history_date__lt=cut)
    latest = rows.filter(id=OuterRef("id")).order_by("-history_date", "-history_id").values("history_id")[:1]
    if model._meta.label == "eldercare.Visit":
        # Only visits that were ever dated in the month can count for E5 (the latest row decides).
        first, last = month_bounds(month)
        rows = rows.filter(id__in=history.objects.filter(visited_on__range=(first, last)).values("id"))
    # A column the audit trail leaves out (derived by the database: ``core.community_codes``) reads as NULL.
    tracked = {field.attname for field in history._meta.concrete_fields}
    columns = [field.attname for field in model._meta.concrete_fields if field.attname in tracked]
    untracked = {field.attname: Value(None, output_field=field) for field in model._meta.concrete_fields
                 if field.attname not in tracked}
    return (rows.filter(history_id=Subquery(latest)).exclude(history_type="-").order_by()
            .values(*columns, **untracked))


@contextmanager
def as_of(month, *, using=None):
    """Inside the block, every tracked table reads as it stood at the end of ``month``."""
    using = using or router.db_for_read(apps.get_model("core.Division"))
    connection = connections[using]
    quote = connection.ops.quote_name
    cut = month_end(month)
    with transaction.atomic(using=using), compiled.unprepared(connection):
        created = []
        with connection.cursor() as cursor:
            for label, columns in TRACKED.items():
                model = apps.get_model(label)
                table = model._meta.db_table
                sql, params = _latest_rows(model, cut, month).query.sql_with_params()
                cursor.execute(f"CREATE TEMPORARY TABLE {quote(table)} AS {sql}", params)  # nosec B608
                created.append(table)
                for column in ("id", *columns):
                    cursor.execute(  # names from the models' own metadata  # nosec B608
                        f"CREATE INDEX {quote(f'asof_{table}_{column}')} ON {quote(table)} ({quote(column)})"
                    )
                # The model's own indexes (the indicators' partial and expression indexes, E7's grid rows):
                # their SQL names the table unqualified, so it lands on the temporary table.
                editor = connection.SchemaEditorClass(connection, collect_sql=True)
                for index in model._meta.indexes:
                    cursor.execute(str(index.create_sql(model, editor)))
                if connection.vendor == "postgresql":
                    cursor.execute(f"ANALYZE {quote(table)}")  # no autovacuum on temporary tables  # nosec B608
        try:
            with kept.bypassed():  # the kept figures are today's, not the month's
                yield
        finally:
            with connection.cursor() as cursor:
                for table in created:
                    cursor.execute(f"DROP TABLE {'temp.' if connection.vendor == 'sqlite' else 'pg_temp.'}"
                                   f"{quote(table)}")  # nosec B608


def evaluate(*, month, targets, within=None, by="district", parts=None, codes=None, e5_month=None):
    """``board.evaluate`` on the records as they stood at the end of ``month`` (无数据 outside the data).

    ``parts`` are divisions (from today's table), looked up again as of the month by their code.
    """
    ctx = Context(month=e5_month or month)
    if not has_data(month):
        return no_data(board.evaluate(targets=targets, ctx=ctx, within=within, by=by, parts=parts, codes=codes))
    with as_of(month):
        return board.evaluate(targets=targets, ctx=ctx, within=within, by=by, parts=parts, codes=codes)


def no_data(rows):
    """The rows with every figure emptied: 无数据, never 0."""
    for row in rows:
        for result in (row.total, *row.parts):
            empty(result)
    return rows


def empty(result):
    result.numerator = result.denominator = result.value = result.rounded = result.passed = None
    return result


def rows_of(found, code):
    """One indicator's rows wherever they are in ``found`` (rows, or tuples and lists holding rows)."""
    if isinstance(found, board.Row):
        return [found] if found.indicator.code == code else []
    if isinstance(found, (list, tuple)):
        return [row for item in found for row in rows_of(item, code)]
    return []


def no_data_for(found, code):
    """Empty one indicator's figures wherever they are in ``found``."""
    return no_data(rows_of(found, code))

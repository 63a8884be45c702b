"""The base of every history (audit) row: which import batch, if any, made the change."""

import json

from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bulk import listed


class HistoryBase(models.Model):
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        verbose_name=_("导入批次"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )

    class Meta:
        abstract = True


class TrackedHistory(HistoricalRecords):
    """``HistoricalRecords`` whose ``excluded_fields`` name fields of some of the models it is inherited by: each
    model's history leaves out those it has (simple-history's history page looks up every excluded name on the
    model, and a name the model lacks made the page fail)."""

    def create_history_model(self, model, inherited):
        wanted = self.excluded_fields
        names = {field.name for field in (*model._meta.fields, *model._meta.many_to_many)}
        self.excluded_fields = [name for name in wanted if name in names]
        try:
            return super().create_history_model(model, inherited)
        finally:
            self.excluded_fields = wanted


#: Primary keys per history statement (one JSON parameter: ``core.bulk.listed``).
HISTORY_CHUNK = 5000


def bulk_history(model, pks, *, history_type, when, user=None, batch=None, reason=""):
    """One history row per record ``pks`` of ``model``, as its rows stand now, with who, why and which batch.

    The rows simple-history's ``bulk_create_with_history`` makes, copied by the database (``INSERT …
    SELECT`` from the rows just written) instead of one Python object per record: at city scale this
    halves an import. ``history_type`` is ``"+"`` (created) or ``"~"`` (changed).
    """
    insert = _insert_from(model, f"IN ({listed('bigint')})")
    params = _history_params(history_type, when, user, batch, reason)
    pks = list(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), HISTORY_CHUNK):
            cursor.execute(insert, [*params, json.dumps(pks[start:start + HISTORY_CHUNK])])


def bulk_history_dated(model, dated_pks, *, history_type, user=None, batch=None, reason=""):
    """``bulk_history`` with a moment of its own for each record: ``dated_pks`` is ``(pk, history_date)`` pairs.

    One ``INSERT … SELECT`` per record, sent together (``executemany``), in the order given.
    """
    insert = _insert_from(model, "= %s")
    rows = [[*_history_params(history_type, when, user, batch, reason), pk] for pk, when in dated_pks]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(insert, rows)


def _history_params(history_type, when, user, batch, reason):
    return [
        connection.ops.adapt_datetimefield_value(when),
        user.pk if user is not None else None,
        history_type,
        reason,
        batch.pk if batch is not None else None,
    ]


def _insert_from(model, pk_condition):
    """``INSERT INTO <history> … SELECT <its tracked columns>, <5 parameters> FROM <model> WHERE pk <condition>``."""
    history = model.history.model
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in history.tracked_fields]
    extra = [quote(name) for name in (
        "history_date", "history_user_id", "history_type", "history_change_reason", "import_batch_id")]
    # Table and column names come from the model metadata; every value is a parameter.
    return (  # nosec B608
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns + extra)}) "  # noqa: S608  # nosec B608
        f"SELECT {', '.join(columns)}, %s, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} {pk_condition}"
    )

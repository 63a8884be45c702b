"""The base of every history (audit) row: which import batch, if any, made the change."""

from django.db import connection, models
from django.utils.translation import gettext_lazy as _


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


#: Primary keys per history statement.
HISTORY_CHUNK = 900


def bulk_history(model, pks, *, history_type, when, user=None, batch=None, reason=""):
    """One history row per record ``pks`` of ``model``, as its rows stand now, with who, why and which batch.

    The rows simple-history's ``bulk_create_with_history`` makes, copied by the database (``INSERT …
    SELECT`` from the rows just written) instead of one Python object per record: at city scale this
    halves an import. ``history_type`` is ``"+"`` (created) or ``"~"`` (changed).
    """
    history = model.history.model
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in history.tracked_fields]
    extra = [quote(name) for name in (
        "history_date", "history_user_id", "history_type", "history_change_reason", "import_batch_id")]
    params = [
        connection.ops.adapt_datetimefield_value(when),
        user.pk if user is not None else None,
        history_type,
        reason,
        batch.pk if batch is not None else None,
    ]
    # Table and column names come from the model metadata; every value is a parameter.
    insert = (  # nosec B608
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns + extra)}) "  # noqa: S608  # nosec B608
        f"SELECT {', '.join(columns)}, %s, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN "
    )
    pks = list(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), HISTORY_CHUNK):
            chunk = pks[start:start + HISTORY_CHUNK]
            cursor.execute(insert + f"({', '.join(['%s'] * len(chunk))})", [*params, *chunk])

"""The base of every history (audit) row: which import batch, if any, made the change."""

from django.db import models
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

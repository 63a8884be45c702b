"""Imports too big for a web request: run by the task worker (``exchange.tasks``), followed on a page."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One preview or confirm of an uploaded workbook, run in the background.

    The workbook itself waits in ``exchange.pending`` (keyed by user and SHA-256);
    the job keeps its state and, once finished, what the page shows (counts and
    at most ``EXCHANGE_MAX_MESSAGES`` problems). Progress while it runs is in the
    cache (``exchange.tasks.progress``): it changes inside the import's transaction.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在处理")
        DONE = "done", _("已完成")
        FAILED = "failed", _("处理失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.CASCADE)
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    confirm = models.BooleanField(_("确认导入"), default=False, help_text=_("否：只预览检查，不写入。"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("行数"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台导入任务")
        verbose_name_plural = _("后台导入任务")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

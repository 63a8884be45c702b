"""Background imports (django-tasks): big workbooks are read and written by the worker, never by a web request."""

import logging
import time

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from exchange import pending
from exchange.importer import import_workbook
from exchange.models import ImportJob

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 24 * 3600


def progress_key(job_id):
    return f"exchange:job:{job_id}:progress"


def progress(job_id):
    """``(rows done, rows in all)`` of a running job, or None (not started, or no cache)."""
    return cache.get(progress_key(job_id))


class Reporter:
    """The importer's ``progress`` callback: the rows checked so far, to the cache at most twice a second."""

    def __init__(self, job_id):
        self.key = progress_key(job_id)
        self.last = 0.0

    def __call__(self, done, total, force=False):
        now = time.monotonic()
        if force or now - self.last >= 0.5:
            self.last = now
            cache.set(self.key, (done, total), PROGRESS_TIMEOUT)


@task()
def run_import(job_id):
    """Preview (dry run) or confirm the pending workbook of ``ImportJob`` ``job_id``."""
    job = ImportJob.objects.select_related("user__division").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    stored = pending.load(job.user, job.sha256)
    try:
        if stored is None:
            raise LookupError
        data, file_name, versions = stored
        result = import_workbook(
            data, file_name=file_name, user=job.user, dry_run=not job.confirm,
            expected_versions=versions if job.confirm else None, progress=Reporter(job.pk),
        )
        if job.confirm:
            pending.discard(job.user, job.sha256)
        elif result.ok:
            pending.save(job.user, result, data)  # now with the versions the confirm must still find
    except LookupError:
        finish(job, {"ok": False, "errors": [_("找不到待处理的文件（可能已导入或已过期），请重新上传预览。")]})
        return
    except Exception:
        logger.exception("background import %s failed", job.pk)
        finish(job, {"ok": False, "errors": [_("后台导入意外失败，未写入任何数据。请稍后重试；如问题仍在，请联系管理员（详情已记入系统日志）。")]},
               status=ImportJob.Status.FAILED)
        raise
    finish(job, {
        "ok": result.ok, "errors": result.errors, "hidden": result.hidden, "sheets": [
            {"name": counts.name, "created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged}
            for counts in result.sheets],
        "batch": result.batch.pk if result.batch is not None else None,
    })


def finish(job, result, status=ImportJob.Status.DONE):
    ImportJob.objects.filter(pk=job.pk).update(status=status, result=result, finished_at=timezone.now())
    cache.delete(progress_key(job.pk))

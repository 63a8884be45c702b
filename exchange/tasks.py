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
from exchange.plan import applicable, apply_plan

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
    """Preview (check, and keep the plan) or confirm (apply the kept plan) the pending workbook of job ``job_id``.

    The workbook is read once: the preview; the confirm writes what the preview planned, refused if a
    record it changes was changed by someone else meanwhile.
    """
    job = ImportJob.objects.select_related("user__division").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        result = _confirm(job) if job.confirm else _preview(job)
    except LookupError:
        finish(job, {"ok": False, "errors": [_("找不到待处理的文件（可能已导入或已过期），请重新上传预览。")]})
        return
    except Exception:
        logger.exception("background import %s failed", job.pk)
        finish(job, {"ok": False, "errors": [_("后台导入意外失败，未写入任何数据。请稍后重试；如问题仍在，请联系管理员（详情已记入系统日志）。")]},
               status=ImportJob.Status.FAILED)
        raise
    finish(job, result.as_json())


def _preview(job):
    stored = pending.load(job.user, job.sha256)
    if stored is None:
        raise LookupError
    data, file_name, _versions = stored
    result = import_workbook(data, file_name=file_name, user=job.user, dry_run=True, progress=Reporter(job.pk))
    if result.ok:
        pending.save(job.user, result, data)  # with the plan the confirm applies
    else:
        pending.keep(job.user, job.sha256, data, file_name, marks=result.marks)  # for the annotated copy
    return result


def _confirm(job):
    kept = pending.plan(job.user, job.sha256)
    if kept is None or not applicable(kept[0]):
        raise LookupError
    plan, file_name = kept
    result = apply_plan(plan, file_name=file_name, sha256=job.sha256, user=job.user, progress=Reporter(job.pk))
    pending.discard(job.user, job.sha256)
    return result


def finish(job, result, status=ImportJob.Status.DONE):
    ImportJob.objects.filter(pk=job.pk).update(status=status, result=result, finished_at=timezone.now())
    cache.delete(progress_key(job.pk))

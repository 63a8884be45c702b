"""Background jobs the bureau starts from a page: queued with django-tasks, tracked in ``compliance.Job``.

A job row is created first (so the page can show it at once), then the task is enqueued with the job's id;
the task reports progress on the row and leaves its file there. With the database backend a
``manage.py db_worker`` runs it (several workers may share one PostgreSQL); tests use the immediate backend.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import Job


def start(*, kind, title, params, user):
    """Create the job and enqueue its task once the transaction commits."""
    from compliance import tasks

    job = Job.objects.create(kind=kind, title=title, params=params, created_by=user)
    task = {Job.Kind.BACKFILL: tasks.backfill_months, Job.Kind.REPORT: tasks.build_report}[kind]

    def enqueue():
        result = task.enqueue(job.pk)
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def progress(job, done, total, message=""):
    job.done, job.total, job.message = done, total, message
    Job.objects.filter(pk=job.pk).update(done=done, total=total, message=message[:500])


def run(job_id, work):
    """Run ``work(job)`` for a queued job; ``work`` returns ``(filename, content_type, bytes)`` or None."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    try:
        output = work(job)
    except Exception as exc:
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, finished_at=timezone.now(), message=_("失败：%(error)s") % {"error": exc},
        )
        raise
    fields = {"state": Job.State.DONE, "finished_at": timezone.now()}
    if output is not None:
        fields["filename"], fields["content_type"], fields["content"] = output
    Job.objects.filter(pk=job.pk).update(**fields)

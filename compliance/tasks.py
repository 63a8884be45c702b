"""Background tasks of the compliance app (django-tasks): backfilling months, building evaluation reports."""

from django_tasks import task

from compliance import jobs
from core.dates import parse_month


@task()
def backfill_months(job_id):
    from compliance import months

    def work(job):
        first, last = (parse_month(job.params[key]) for key in ("first", "last"))
        stored = months.backfill(
            first, last, progress=lambda done, total, month: jobs.progress(job, done, total, f"{month:%Y-%m}"),
        )
        jobs.progress(job, job.total, job.total, f"{len(stored)}")
        return None

    jobs.run(job_id, work)


@task()
def build_report(job_id):
    from compliance import report_files

    def work(job):
        return report_files.build_for_job(job, progress=lambda done, total, text: jobs.progress(job, done, total, text))

    jobs.run(job_id, work)

"""Importing the data-exchange workbook: all or nothing, validated by the models' own rules.

The whole import runs in one transaction. Sheets are processed in dependency order (divisions, then
the records that point at them, then visits), and each sheet is written in bulk before the next one is
read, so later sheets can refer to records created earlier in the same file. Any problem anywhere — or
a dry run / preview — rolls the transaction back: nothing is written.

A preview records its plan (``exchange.plan``): the records it would create and the fields it would
change, with the version of each record it read. The confirm applies that plan without reading the
workbook again, and is refused if any of those records changed meanwhile.

The parts: ``reader`` (sheets, headers, rows), ``run`` (each row into its record, checked),
``sheetkinds`` (what each sheet does its own way), ``writer`` and ``bulk`` (set-based writes,
compare-and-set, history), ``plan`` (a preview kept for its confirm).
"""

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from core.caching import invalidate_public
from core.models import ImportBatch
from core.permissions import may_import
from exchange import limits
from exchange.plan import PlanRecorder
from exchange.reader import read_workbook
from exchange.result import Abort, ImportResult, SheetCounts, max_messages, refusals
from exchange.run import _Run
from exchange.safety import FileRefused, check_workbook_bytes

__all__ = ["ImportResult", "SheetCounts", "_Run", "import_workbook", "max_messages", "may_import"]


def import_workbook(data, *, file_name, user=None, dry_run=False, expected_versions=None, progress=None):
    """Validate and (unless ``dry_run``) write ``data`` (the bytes of an .xlsx) as ``user``.

    ``user=None`` is a command run without a user: the whole city. With
    ``expected_versions`` (from the preview), a record whose version changed
    since is a conflict and nothing is written. ``progress(done, total, force=False)``, if given, is
    called as rows are checked (``exchange.tasks`` shows it on the job's page). A dry run's result
    carries the ``plan`` its confirm applies (``exchange.plan.apply_plan``).
    """
    result = ImportResult(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run)
    if not may_import(user):
        result.errors.append(_("民政局审核员只能查看数据，不能导入。"))
        return result
    try:
        check_workbook_bytes(data)
        result.shape = limits.measure(data)
        sheets = read_workbook(data, result)
    except FileRefused as exc:
        result.refused = True
        result.errors.append(str(exc))
        return result
    except Abort:
        return result
    run = _Run(result, user, expected_versions, progress)
    if dry_run:
        run.plan = PlanRecorder(run)
    with refusals(result, file_name):
        with transaction.atomic():
            if not dry_run:
                result.batch = ImportBatch.objects.create(file_name=file_name[:255], sha256=result.sha256, user=user)
            while sheets:  # each sheet's rows let go once it is done: a province's workbook is big
                run.process(*sheets.pop(0))
            if result.errors or dry_run:
                transaction.set_rollback(True)
            else:
                finish(result)
    if result.errors:
        result.batch = None
    elif dry_run:
        result.plan = run.plan.as_json(result)
    return result


def finish(result):
    """The last step of a committed import: its summary on the batch, the public pages retired."""
    result.batch.summary = result.summary()
    result.batch.save(update_fields=["summary"])
    # Bulk writes send no save signals: retire the cached public pages explicitly.
    invalidate_public()

"""What an import reports: counts per sheet, every problem (capped), warnings, the preview's changes."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, IntegrityError
from django.utils.translation import gettext as _

from core.models import ImportBatch
from exchange import limits

logger = logging.getLogger("exchange.importer")


@dataclass
class SheetCounts:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    dry_run: bool
    sheets: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    #: ``{record key: version or None}`` of every row's record when it was read (lost-update check).
    versions: dict = field(default_factory=dict)
    batch: ImportBatch | None = None
    #: Rows and cells counted before reading (``exchange.limits``).
    shape: limits.Shape | None = None
    #: The file itself was refused (safety, limits, unreadable) before any row was read.
    refused: bool = False
    #: Problems found beyond the ``max_messages()`` listed: only counted.
    hidden: int = 0
    #: What the clerk should see before confirming, though nothing is wrong (hidden sheets and rows, ignored sheets).
    warnings: list = field(default_factory=list)
    #: ``(sheet, row, header, reason)`` of each listed problem: the annotated copy marks these cells.
    marks: list = field(default_factory=list)
    #: The preview's detail: ``(sheet, key, name, [(field, before, after)])``; an empty list = a new record.
    changes: list = field(default_factory=list)
    #: Changes found beyond those kept in ``changes``: only counted.
    more_changes: int = 0
    #: A preview's plan (``exchange.plan``): what a confirm writes, without reading the workbook again.
    plan: dict | None = None

    @property
    def ok(self):
        return not self.errors

    @property
    def problem_count(self):
        return len(self.errors) + self.hidden

    def listed(self):
        """The problems as shown: at most ``max_messages()``, then how many more there are."""
        if not self.hidden:
            return list(self.errors)
        return [*self.errors, _("另有 %(count)s 个问题未列出：请先修改以上问题后重新上传。") % {"count": self.hidden}]

    def add_error(self, message):
        if len(self.errors) < max_messages():
            self.errors.append(message)
        else:
            self.hidden += 1

    def summary(self):
        return {counts.name: {"created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged}
                for counts in self.sheets}

    def as_json(self):
        """What a background job keeps of its result for its page (``exchange.tasks``)."""
        return {
            "ok": self.ok, "errors": self.errors, "hidden": self.hidden, "warnings": self.warnings,
            "sheets": [vars(counts) for counts in self.sheets],
            "changes": [[sheet, key, name, [list(change) for change in fields]]
                        for sheet, key, name, fields in self.changes],
            "more_changes": self.more_changes,
            "marks": [list(mark) for mark in self.marks],
            "batch": self.batch.pk if self.batch is not None else None,
        }


def max_messages():
    """How many problems an import lists before it only counts them (a bad file can have a million)."""
    return getattr(settings, "EXCHANGE_MAX_MESSAGES", 200)


class Abort(Exception):
    """Stop reading: the file-level problems are already in the result."""


class StaleRecords(Exception):
    """Records changed between this import's read and its write: the whole import is rolled back."""


class refusals:  # noqa: N801 - used as a context manager, named for what it catches
    """Turn what the database refuses into one message in Chinese (details in the log), nothing written."""

    def __init__(self, result, file_name):
        self.result, self.file_name = result, file_name

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, traceback):
        if kind is None:
            return False
        if issubclass(kind, StaleRecords):
            return True  # the conflicts are in the result; the transaction was rolled back
        if issubclass(kind, IntegrityError):  # a unique code someone else created meanwhile, or a rule missed
            logger.error("workbook import %s refused by the database", self.file_name, exc_info=exc)
            self.result.errors.append(_(
                "写入时与数据库中的记录冲突（可能有人同时新增了相同编号的记录），未导入任何数据。请重新上传预览；"
                "如问题仍在，请联系管理员（详情已记入系统日志）。"))
            return True
        if issubclass(kind, DatabaseError):
            logger.error("workbook import %s failed in the database", self.file_name, exc_info=exc)
            self.result.errors.append(_("数据库暂时无法写入，未导入任何数据。请稍后重试；如问题仍在，请联系管理员（详情已记入系统日志）。"))
            return True
        return False

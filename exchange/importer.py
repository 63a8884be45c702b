"""Importing the data-exchange workbook: all or nothing, validated by the models' own rules.

The whole import runs in one transaction. Sheets are processed in dependency
order (divisions, then the records that point at them, then visits), and each
sheet is written in bulk before the next one is read, so later sheets can refer
to records created earlier in the same file. Any problem anywhere — or a dry
run / preview — rolls the transaction back: nothing is written.

Validation reuses the models: ``clean_fields()`` (field validators, choices,
decimal places) and ``clean()`` (cross-field rules such as activity area ≤
total area). Two parts of ``full_clean()`` are replaced by set-based checks
done once per sheet, because per row they cost a query each (per check
constraint, per foreign key, per unique field): the foreign keys are resolved
from one in-memory map of divisions, the check constraints are mirrored in
``clean()`` (and still enforced by the database), and uniqueness is checked
against one query per sheet.

Writes are bulk (``bulk_create`` / ``bulk_update``) and never bypass the
audit trail: every created or changed record gets its simple-history row with
the importing user and the ``ImportBatch`` (``write_history``). Unchanged rows
are not written at all (no version bump, no history row).
"""

import functools
import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core import record_checks
from core.caching import invalidate_public
from core.hours import WeeklyHours
from core.models import Division, ImportBatch, Level, ancestor_code
from eldercare.models import Elder, Visit
from exchange import cells, limits, rules
from exchange.safety import FileRefused, check_workbook_bytes
from exchange.spec import INSTRUCTIONS_SHEET, SHEETS, SHEETS_BY_NAME
from volunteers.models import ServiceField, Worker

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
IN_CHUNK = 900
#: Rows between two progress reports.
PROGRESS_EVERY = 500
#: Characters of a cell's value quoted in a message.
MAX_SHOWN_VALUE = rules.SHOWN
#: Records whose field-level changes the preview lists (the rest are counted).
MAX_CHANGES_SHOWN = 300
#: (id, version) pairs per compare-and-set statement (two parameters each).
CAS_CHUNK = 400
#: Division fields only bureau administrators change; clerks correct the figures.
PROTECTED_DIVISION_FIELDS = ("name", "kind", "parent")


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


def max_messages():
    """How many problems an import lists before it only counts them (a bad file can have a million)."""
    return getattr(settings, "EXCHANGE_MAX_MESSAGES", 200)


class Abort(Exception):
    """Stop reading: the file-level problems are already in the result."""


class StaleRecords(Exception):
    """Records changed between this import's read and its write: the whole import is rolled back."""


def may_import(user):
    """Street clerks import their own street, bureau administrators the whole city; reviewers only read."""
    return user is None or (user.is_active and (user.is_bureau_admin or (user.is_clerk and user.division_id)))


def import_workbook(data, *, file_name, user=None, dry_run=False, expected_versions=None, progress=None):
    """Validate and (unless ``dry_run``) write ``data`` (the bytes of an .xlsx) as ``user``.

    ``user=None`` is a command run without a user: the whole city. With
    ``expected_versions`` (from the preview), a record whose version changed
    since is a conflict and nothing is written. ``progress(done, total, force=False)``, if given, is
    called as rows are checked (``exchange.tasks`` shows it on the job's page).
    """
    result = ImportResult(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run)
    if not may_import(user):
        result.errors.append(_("民政局审核员只能查看数据，不能导入。"))
        return result
    try:
        check_workbook_bytes(data)
        result.shape = limits.measure(data)
        sheets = _read_workbook(data, result)
    except FileRefused as exc:
        result.refused = True
        result.errors.append(str(exc))
        return result
    except Abort:
        return result
    try:
        run = _Run(result, user, expected_versions, progress)
        with transaction.atomic():
            if not dry_run:
                result.batch = ImportBatch.objects.create(
                    file_name=file_name[:255], sha256=result.sha256, user=user
                )
            for sheet, header, rows in sheets:
                run.process(sheet, header, rows)
            if result.errors or dry_run:
                transaction.set_rollback(True)
            else:
                result.batch.summary = result.summary()
                result.batch.save(update_fields=["summary"])
                # Bulk writes send no save signals: retire the cached public pages explicitly.
                invalidate_public()
    except StaleRecords:
        pass  # the conflicts are in the result; the transaction was rolled back
    except IntegrityError:  # a unique code someone else created meanwhile, or a rule validation missed
        logger.exception("workbook import %s refused by the database", file_name)
        result.errors.append(_(
            "写入时与数据库中的记录冲突（可能有人同时新增了相同编号的记录），未导入任何数据。请重新上传预览；"
            "如问题仍在，请联系管理员（详情已记入系统日志）。"))
    except DatabaseError:
        logger.exception("workbook import %s failed in the database", file_name)
        result.errors.append(_("数据库暂时无法写入，未导入任何数据。请稍后重试；如问题仍在，请联系管理员（详情已记入系统日志）。"))
    if result.errors:
        result.batch = None
    return result


def _read_workbook(data, result):
    """``[(sheet spec, header, rows)]`` in dependency order; file-level problems raise Abort."""
    # Malformed XML inside the package raises xml.etree's ParseError, a SyntaxError.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, SyntaxError, OSError, ValueError, TypeError):
        raise FileRefused(_("文件已损坏，无法读取：请在 Excel 中重新另存为 .xlsx 后再上传。")) from None
    try:
        found = {}
        for worksheet in workbook.worksheets:
            title = worksheet.title.strip()
            if title == INSTRUCTIONS_SHEET:
                continue
            sheet = SHEETS_BY_NAME.get(title)
            if sheet is None:
                # A clerk's own notes (备注) beside the data: not the portal's, so not read — said, not refused.
                result.warnings.append(
                    _("工作表“%(name)s”不是报送模板的工作表，已忽略（模板的工作表为 %(names)s）。")
                    % {"name": rules.shorten(title), "names": "、".join(spec.name for spec in SHEETS)}
                )
                continue
            if getattr(worksheet, "sheet_state", "visible") != "visible":
                result.warnings.append(_("工作表“%(name)s”在 Excel 中是隐藏的，其中的数据也会导入：请取消隐藏核对后再确认。")
                                       % {"name": title})
            worksheet.reset_dimensions()
            rows = worksheet.iter_rows(values_only=True)
            header = [cells.normal_text(value) for value in next(rows, ())]
            repeated = rules.duplicate_headers(header)
            if repeated:
                result.add_error(
                    _("工作表“%(sheet)s”第一行有重复的列名：%(columns)s。同名的两列无法判断以哪一列为准，请删除或改名其中一列。")
                    % {"sheet": sheet.name, "columns": "、".join(rules.shorten(name) for name in repeated)}
                )
                continue
            missing = [name for name in sheet.required_headers if name not in header]
            if missing:
                result.add_error(
                    _("工作表“%(sheet)s”缺少必填列：%(columns)s（第一行应为列名）。")
                    % {"sheet": sheet.name, "columns": "、".join(missing)}
                )
                continue
            found[sheet.name] = (sheet, header, [
                (number, row) for number, row in enumerate(rows, start=2)
                if any(value is not None and (not isinstance(value, str) or value.strip()) for value in row)
            ])
    except (zipfile.BadZipFile, KeyError, SyntaxError, OSError, ValueError, TypeError):
        raise FileRefused(_("文件已损坏，无法读取：请在 Excel 中重新另存为 .xlsx 后再上传。")) from None
    finally:
        workbook.close()
    if result.errors:
        raise Abort
    for name, numbers in rules.hidden_rows(data, set(found)).items():
        result.warnings.append(rules.hidden_rows_warning(name, numbers))
    if not found:
        result.errors.append(_("工作簿里没有可导入的工作表（应为 %(names)s）。") % {
            "names": "、".join(spec.name for spec in SHEETS)})
        raise Abort
    return [found[sheet.name] for sheet in SHEETS if sheet.name in found]


class _Row:
    """One data row: its Excel number and its raw cells by header."""

    __slots__ = ("number", "raw", "values", "m2m", "failed", "bad")

    def __init__(self, number, raw):
        self.number = number
        self.raw = raw
        self.values = {}
        self.m2m = None
        self.failed = False
        self.bad = set()  # headers whose cell could not be read


class _Run:
    def __init__(self, result, user, expected_versions, progress=None):
        self.result = result
        self.progress = progress
        self.done_rows = 0
        self.total_rows = result.shape.total_rows if result.shape is not None else 0
        if progress is not None:
            progress(0, self.total_rows, force=True)
        self.user = user
        self.street = user.division if user is not None and not user.is_bureau_admin else None
        self.expected = expected_versions
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.divisions = {division.code: division for division in Division.objects.all()}
        self.divisions_by_pk = {division.pk: division for division in self.divisions.values()}
        self.elders = {}
        self.failed = {"division": set(), "elder": set()}
        self._service_fields = None
        self._closed_lists = {}
        self._choice_maps = {}

    # -- messages ---------------------------------------------------------------------------------------------

    def error(self, sheet, row, column, reason):
        row.failed = True
        if len(self.result.errors) >= max_messages():
            self.result.hidden += 1  # counted, not formatted: a file with a million bad cells stays cheap
            return
        full = cells.display(row.raw.get(column)) if column else ""
        value = rules.shorten(full)
        reason = rules.shorten_in(str(reason), full)
        place = f"{sheet.name} 第{row.number}行"
        if column:
            place += f" {column} {value}"
        self.result.errors.append(f"{place}：{reason}")
        self.result.marks.append((sheet.name, row.number, column, reason))

    # -- one sheet ----------------------------------------------------------------------------------------------

    def process(self, sheet, header, raw_rows):
        counts = SheetCounts(sheet.name)
        self.result.sheets.append(counts)
        columns = [column for column in sheet.columns if column.header in header]
        index = {name: position for position, name in enumerate(header) if name}
        rows = []
        for number, values in raw_rows:
            raw = {column.header: values[index[column.header]] if index[column.header] < len(values) else None
                   for column in columns}
            row = _Row(number, raw)
            self.parse(sheet, columns, row)
            if row.bad:
                self.check_rest(sheet, columns, row)
            rows.append(row)
            self.done_rows += 1
            if self.progress is not None and self.done_rows % PROGRESS_EVERY == 0:
                self.progress(self.done_rows, self.total_rows)

        keyed = self.key_rows(sheet, rows)
        existing = self.load_existing(sheet, keyed)
        current_m2m = self.load_m2m(sheet, existing)
        to_create, to_update, m2m_changes = [], [], []
        certificates = self.certificate_owners(sheet, rows)
        for key, row in keyed.items():
            old = existing.get(key)
            self.check_version(sheet, key, old)
            obj = self.build(sheet, columns, row, old)
            if obj is None or row.failed:
                continue
            if sheet.model is Worker:
                self.check_certificate(sheet, row, obj, certificates)
            if old is None:
                if sheet.model is Division and self.street is not None:
                    self.error(sheet, row, sheet.columns[0].header, _("只有民政局管理员可以新增区划。"))
                if not row.failed:
                    to_create.append(obj)
                    self.note_change(sheet, key, obj, None)
                    if row.m2m:
                        m2m_changes.append((obj, row.m2m))
                continue
            changed = [name for name, before in obj._exchange_before.items() if getattr(obj, name) != before]
            m2m_changed = row.m2m is not None and set(row.m2m) != current_m2m.get(obj.pk, set())
            if sheet.model is Division and self.street is not None:
                self.check_protected_division(sheet, row, obj, changed)
            if row.failed:
                continue
            if changed or m2m_changed:
                self.note_change(sheet, key, obj, changed, m2m_changed)
                obj.version += 1
                obj.updated_at = self.now
                to_update.append(obj)
                if m2m_changed:
                    m2m_changes.append((obj, row.m2m))
            else:
                counts.unchanged += 1
        # Written even when there are errors (the transaction is rolled back anyway), so that the
        # later sheets are checked against the records this one creates and every problem is reported.
        self.write(sheet, columns, to_create, to_update, m2m_changes)
        counts.created, counts.updated = len(to_create), len(to_update)

    def note_change(self, sheet, key, obj, changed, m2m_changed=False):
        """The preview's line for one record: created (``changed`` None) or each changed field from → to."""
        if len(self.result.changes) >= MAX_CHANGES_SHOWN:
            self.result.more_changes += 1
            return
        name = getattr(obj, "name", "") or str(obj)
        if changed is None:
            self.result.changes.append((sheet.name, _key_text(key), name, []))
            return
        fields = []
        for attname in changed:
            model_field = next(f for f in obj._meta.concrete_fields if f.attname == attname)
            before = obj._exchange_before[attname]
            after = getattr(obj, attname)
            if model_field.is_relation:
                before = self.divisions_by_pk.get(before, before)
                after = self.divisions_by_pk.get(after, after)
            fields.append((str(model_field.verbose_name), rules.shorten(_shown(model_field, before)),
                           rules.shorten(_shown(model_field, after))))
        if m2m_changed:
            fields.append((str(obj._meta.get_field(sheet.many_field).verbose_name), "…", _("（已修改）")))
        self.result.changes.append((sheet.name, _key_text(key), name, fields))

    def parse(self, sheet, columns, row):
        for column in columns:
            raw = row.raw[column.header]
            try:
                row.values[column.header] = self.parse_cell(column, raw)
            except cells.CellError as exc:
                self.error(sheet, row, column.header, str(exc))
                row.bad.add(column.header)

    def parse_cell(self, column, raw):
        kind = column.kind
        if kind in ("code", "ref"):
            return cells.parse_code(raw)
        if kind == "text":
            return cells.plain_text(raw)
        if kind == "hours":
            return cells.normal_text(raw)
        if kind == "phone":
            return cells.parse_phone(raw)
        if kind == "int":
            return cells.parse_int(raw)
        if kind == "decimal":
            return cells.parse_decimal(raw)
        if kind == "float":
            return cells.parse_float(raw)
        if kind == "bool":
            return cells.parse_bool(raw)
        if kind == "date":
            return cells.parse_date(raw)
        if kind == "choice":
            mapping = self._choice_maps.get(id(column))
            if mapping is None:
                mapping = self._choice_maps[id(column)] = cells.choice_map(column.choices)
            return cells.parse_choice(raw, mapping)
        if kind == "multi":
            return cells.parse_multi(raw)
        raise ValueError(kind)

    # -- keys and existing records ---------------------------------------------------------------------------

    def key_rows(self, sheet, rows):
        """``{key: row}`` for rows whose key cells are readable; a repeated key is an error."""
        keyed = {}
        key_columns = [column for column in sheet.columns if column.field in sheet.key_fields]
        if sheet.model is Visit:
            self.preload_elders({row.values.get(key_columns[0].header) for row in rows if not row.failed})
        for row in rows:
            if row.failed:
                continue
            if sheet.model is Visit:
                elder = self.resolve(sheet, row, key_columns[0])
                if elder is None:
                    continue
                key = (elder.code, *(row.values[column.header] for column in key_columns[1:]))
                row.values["_elder"] = elder
            else:
                key = row.values[key_columns[0].header]
            if not key or (isinstance(key, tuple) and any(part in (None, "") for part in key)):
                blank = next(column.header for column, part in zip(key_columns, (key if isinstance(key, tuple) else (key,)), strict=False) if part in (None, ""))
                self.error(sheet, row, blank, _("不能为空。"))
                continue
            if key in keyed:
                self.error(sheet, row, key_columns[0].header, _("与第%(row)s行重复：同一条记录只能出现一次。") % {"row": keyed[key].number})
                continue
            keyed[key] = row
        return keyed

    def load_existing(self, sheet, keyed):
        model = sheet.model
        if model is Division:
            return {code: self.divisions[code] for code in keyed if code in self.divisions}
        if model is Visit:
            elder_ids = {row.values["_elder"].pk for row in keyed.values() if row.values["_elder"].pk}
            found = {}
            elders_by_pk = {elder.pk: elder for elder in self.elders.values() if elder is not None and elder.pk}
            for chunk in _chunks(sorted(elder_ids)):
                for visit in Visit.objects.filter(elder_id__in=chunk).only(
                    "id", "version", "elder_id", "visited_on", "visitor", "method"
                ):
                    elder = elders_by_pk.get(visit.elder_id)
                    if elder is not None:
                        found[(elder.code, visit.visited_on, visit.visitor, visit.method)] = visit
            return found
        found = {}
        for chunk in _chunks(list(keyed)):
            for obj in model.objects.filter(code__in=chunk):
                found[obj.code] = obj
        return found

    def load_m2m(self, sheet, existing):
        name = sheet.many_field
        if not name or not existing:
            return {}
        relation = sheet.model._meta.get_field(name)
        through = relation.remote_field.through
        own, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        current = {}
        for chunk in _chunks([obj.pk for obj in existing.values()]):
            for owner_id, target_id in through.objects.filter(**{f"{own}__in": chunk}).values_list(own, other):
                current.setdefault(owner_id, set()).add(target_id)
        return current

    def check_version(self, sheet, key, old):
        label = f"{sheet.name}:{_key_text(key)}"
        version = None if old is None else old.version
        self.result.versions[label] = version
        if self.expected is None or label not in self.expected:
            return
        if self.expected[label] != version:
            if version is None:
                reason = _("预览后已被他人删除")
            elif self.expected[label] is None:
                reason = _("预览后已被他人新增")
            else:
                reason = _("预览后已被 %(who)s 修改（预览时版本 %(then)s，现在版本 %(now)s）") % {
                    "who": _last_editor(old), "then": self.expected[label], "now": version}
            message = _("%(sheet)s %(key)s：%(reason)s，为避免覆盖他人的修改，本次导入未执行，请重新上传预览。") % {
                "sheet": sheet.name, "key": _key_text(key), "reason": reason}
            self.result.conflicts.append(message)
            self.result.add_error(message)

    # -- building and validating one record ------------------------------------------------------------------

    def build(self, sheet, columns, row, old):
        model = sheet.model
        obj = old if old is not None else model()
        if model is Visit:
            if old is not None:
                obj._exchange_before = {}
                return obj
            obj.elder = row.values["_elder"]
        compared = {}
        for column in columns:
            if column.kind == "multi":
                row.m2m = self.resolve_many(sheet, row, column)
                continue
            if column.kind == "ref":
                if model is Visit:
                    continue
                target = self.resolve(sheet, row, column)
                if target is None:
                    continue
                model_field = model._meta.get_field(column.field)
                compared[model_field.attname] = getattr(obj, model_field.attname)
                setattr(obj, column.field, target)
                continue
            model_field = model._meta.get_field(column.field)
            compared[model_field.attname] = getattr(obj, model_field.attname)
            value = row.values.get(column.header)
            if value is None or value == "":
                value = _blank(model_field)
            setattr(obj, model_field.attname, value)
        if model is Division:
            if len(sheet.division_kinds) == 1:
                compared.setdefault("kind", obj.kind)
                obj.kind = sheet.division_kinds[0]
            if "parent_id" not in compared:
                # The 区县 sheet names no parent: a district belongs to the city its code starts with, when the
                # portal has that city (a province's portal, or a city given one by core's data migration).
                compared["parent_id"] = obj.parent_id
                city = self.divisions.get(ancestor_code(obj.code or "", Level.CITY))
                obj.parent = city if city is not None and city.level == Level.CITY and city.code != obj.code else None
        if row.failed:
            # Every error of the row at once: the readable cells still get the field rules.
            self.validate_rest(sheet, columns, row, obj)
            return None
        obj._exchange_before = compared
        self.validate(sheet, columns, row, obj)
        if not row.failed and self.street is not None:
            self.check_scope(sheet, columns, row, obj, old)
        return obj

    def check_rest(self, sheet, columns, row):
        """A row with unreadable cells: the other cells still get their rules, so one round fixes the row."""
        obj = sheet.model()
        for column in columns:
            if column.header in row.bad:
                continue
            if column.kind == "multi":
                self.resolve_many(sheet, row, column)
            elif column.kind == "ref":
                if column.target == "division" and row.values.get(column.header):
                    self.resolve(sheet, row, column)
            else:
                model_field = sheet.model._meta.get_field(column.field)
                value = row.values.get(column.header)
                setattr(obj, model_field.attname, _blank(model_field) if value in (None, "") else value)
        self.validate_rest(sheet, columns, row, obj)

    def validate_rest(self, sheet, columns, row, obj):
        """The field rules of the cells that could be read, in a row that already failed (no cross-field rules:
        they would judge a value that is missing only because its cell was unreadable)."""
        if not row.bad:
            return
        by_field = {column.field: column.header for column in columns}
        skip = set(_relation_fields(type(obj)))
        skip |= {column.field for column in columns if column.header in row.bad or column.kind in ("ref", "multi")}
        skip |= {field.name for field in obj._meta.concrete_fields if field.name not in by_field}
        try:
            obj.clean_fields(exclude=skip)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                header = by_field.get(name)
                if header is not None:
                    self.error(sheet, row, header, " ".join(messages))

    def validate(self, sheet, columns, row, obj):
        """The model's own rules: ``clean_fields()`` and ``clean()``, as ``full_clean()`` runs them."""
        errors = {}
        # Foreign keys are resolved from the in-memory division map, not re-queried row by row.
        exclude = _relation_fields(type(obj))
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            obj.clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, message in record_checks.errors(obj):  # the data validation rules of severity 错误
            errors.setdefault(name or NON_FIELD_ERRORS, []).append(message)
        by_field = {column.field: column.header for column in columns}
        for name, messages in errors.items():
            header = by_field.get(name)
            reason = " ".join(ValidationError(messages).messages)
            if header is None:
                if name != NON_FIELD_ERRORS:
                    reason = f"{obj._meta.get_field(name).verbose_name}：{reason}"
                self.error(sheet, row, "", reason)
            else:
                self.error(sheet, row, header, reason)

    def resolve(self, sheet, row, column):
        code = row.values.get(column.header)
        if column.target == "elder":
            elder = self.elder(code)
            if elder is None:
                if code in self.failed["elder"]:
                    row.failed = True
                else:
                    self.error(sheet, row, column.header, _("找不到老人编号 %(code)s（既不在本工作簿中，也不在系统里）。") % {"code": code})
                return None
            if self.street is not None:
                community = self.divisions_by_pk.get(elder.community_id) or elder.community
                self.check_street(sheet, row, column.header, community)
            return elder
        if not code:
            self.error(sheet, row, column.header, _("不能为空。"))
            return None
        division = self.divisions.get(code)
        if division is None or division.pk is None:
            if code in self.failed["division"]:
                row.failed = True
            else:
                self.error(sheet, row, column.header, _("找不到区划代码 %(code)s（既不在本工作簿中，也不在系统里）。") % {"code": code})
            return None
        return division

    def preload_elders(self, codes):
        missing = sorted(code for code in codes if code and code not in self.elders)
        for chunk in _chunks(missing):
            for elder in Elder.objects.filter(code__in=chunk):
                self.elders[elder.code] = elder

    def elder(self, code):
        return self.elders.get(code)

    def resolve_many(self, sheet, row, column):
        names = row.values.get(column.header) or []
        if column.required and not names:
            self.error(sheet, row, column.header, _("不能为空，至少填一项（多项用“;”分隔）。"))
            return []
        if column.choices:
            by_code = self.closed_list(sheet.model._meta.get_field(column.field).related_model)
            ids, unknown = [], []
            for name in names:
                code = next((value for value, label in column.choices if name in (str(label), value)), None)
                if code is None or code not in by_code:
                    unknown.append(name)
                elif by_code[code] not in ids:
                    ids.append(by_code[code])
            labels = [str(label) for value, label in column.choices if value in by_code]
            for name in unknown:
                self.error(sheet, row, column.header, rules.unknown_value_message(name, column.header, labels))
            return ids
        ids = []
        for name in names:
            pk = self.service_field(name)
            if pk is None:
                self.error(sheet, row, column.header, rules.unknown_value_message(
                    name, column.header, sorted(self._service_fields)))
            else:
                ids.append(pk)
        return ids

    def closed_list(self, model):
        """``{code: pk}`` of a closed list loaded by a migration (十助, elder categories), read once per import."""
        if model not in self._closed_lists:
            self._closed_lists[model] = dict(model.objects.values_list("code", "pk"))
        return self._closed_lists[model]

    def service_field(self, name):
        """A volunteer service field by name (None: not on the list).

        The list is the bureau's (admin “服务领域”): a clerk's unknown name is an error suggesting the nearest
        one, never a new entry beside it in the public filter. A bureau administrator's import (or the command,
        run without a user) may still add one.
        """
        if self._service_fields is None:
            self._service_fields = dict(ServiceField.objects.values_list("name", "pk"))
        if name not in self._service_fields:
            if self.user is not None and not self.user.is_bureau_admin:
                return None
            self._service_fields[name] = ServiceField.objects.create(name=name[:30]).pk
        return self._service_fields[name]

    # -- clerks: their own street only ---------------------------------------------------------------------

    def street_of(self, division):
        if division is None:
            return None
        if division.level == Level.STREET:
            return division
        if division.level == Level.COMMUNITY:
            return self.divisions_by_pk.get(division.street_id) or division.parent
        return None

    def check_street(self, sheet, row, header, division):
        if division is None:
            return
        street = self.street_of(division)
        if street is None or street.pk != self.street.pk:
            self.error(sheet, row, header, _("属于%(other)s，您只能导入%(own)s的数据。") % {
                "other": street.name if street is not None else division.name, "own": self.street.name})

    def check_scope(self, sheet, columns, row, obj, old):
        model = sheet.model
        if model is Division:
            if obj.level == Level.DISTRICT:
                if obj.pk is None or obj.pk != self.street.parent_id:
                    self.error(sheet, row, columns[0].header, _("不是%(own)s所属的区县，您只能导入%(own)s的数据。") % {
                        "own": self.street.name})
                return
            target = obj if obj.level == Level.STREET else obj.parent
            header = columns[0].header if obj.level == Level.STREET else columns[2].header
            self.check_street(sheet, row, header, target)
            return
        if model is Visit:
            return  # checked on the elder
        ref = next(column for column in columns if column.kind == "ref")
        self.check_street(sheet, row, ref.header, getattr(obj, ref.field))
        if old is not None and not row.failed:
            previous = self.divisions_by_pk.get(old._exchange_before.get(f"{ref.field}_id"))
            street = self.street_of(previous)
            if previous is not None and (street is None or street.pk != self.street.pk):
                self.error(sheet, row, columns[0].header, _("该编号已被%(other)s的记录使用，您只能导入%(own)s的数据。") % {
                    "other": street.name if street is not None else previous.name, "own": self.street.name})

    def check_protected_division(self, sheet, row, obj, changed):
        labels = {column.field: column.header for column in sheet.columns}
        for name in changed:
            field_name = name.removesuffix("_id")
            if field_name in PROTECTED_DIVISION_FIELDS:
                header = labels.get(field_name, "")
                self.error(sheet, row, header, _("只有民政局管理员可以修改区划的名称、类型和上级区划。"))

    # -- uniqueness the database would refuse ----------------------------------------------------------------

    def certificate_owners(self, sheet, rows):
        if sheet.model is not Worker:
            return {}
        numbers = {row.values.get("证书编号") for row in rows if row.values.get("证书编号")}
        owners = {}
        for chunk in _chunks(sorted(numbers)):
            owners.update(dict(Worker.objects.filter(certificate_number__in=chunk).values_list("certificate_number", "code")))
        return owners

    def check_certificate(self, sheet, row, obj, owners):
        number = obj.certificate_number
        if not number:
            return
        owner = owners.get(number)
        if owner is not None and owner != obj.code:
            self.error(sheet, row, "证书编号", _("证书编号已属于人员 %(owner)s：一个证书只能属于一个人。") % {"owner": owner})
        else:
            owners[number] = obj.code

    # -- writing ----------------------------------------------------------------------------------------------

    def write(self, sheet, columns, to_create, to_update, m2m_changes):
        model = sheet.model
        for obj in (*to_create, *to_update):
            if isinstance(obj, WeeklyHours):
                obj.refresh_shortest_day()
            if model is Division:
                obj.resolve_ancestors()
        with transaction.atomic():
            if to_create:
                model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
                self.write_history(model, [obj.pk for obj in to_create], "+")
            if to_update:
                self.compare_and_set(sheet, to_update)
                fields = {column.field for column in columns if column.kind != "multi"} | {"version", "updated_at"}
                if model is Division:
                    fields |= {"kind", "parent", "level", "province", "city", "district", "street"}
                if issubclass(model, WeeklyHours):
                    fields.add("shortest_day_minutes")
                model.objects.bulk_update(to_update, sorted(fields), batch_size=BATCH_SIZE)
                self.write_history(model, [obj.pk for obj in to_update], "~")
            if m2m_changes:
                self.write_m2m(sheet, m2m_changes)
        if model is Division:
            for obj in to_create:
                self.divisions[obj.code] = obj
                self.divisions_by_pk[obj.pk] = obj
        elif model is Elder:
            for obj in (*to_create, *to_update):
                self.elders[obj.code] = obj

    def compare_and_set(self, sheet, to_update):
        """Bump the version of each record only where it is still the version this import read.

        ``UPDATE … SET version = version + 1 WHERE (id, version) IN (…) RETURNING id``: the rows updated
        stay locked until the import commits, so nobody can change them in between; a record another
        save or import changed (or deleted) since it was read is not updated, and the import is refused
        naming it and who changed it.
        """
        model = sheet.model
        quote = connection.ops.quote_name
        table, pk, version = quote(model._meta.db_table), quote(model._meta.pk.column), quote("version")
        stale = []
        with connection.cursor() as cursor:
            for chunk in _chunks(to_update, CAS_CHUNK):
                pairs = ", ".join(["(%s, %s)"] * len(chunk))
                params = [value for obj in chunk for value in (obj.pk, obj.version - 1)]
                # Names from the model metadata; every value a parameter.
                cursor.execute(  # nosec B608
                    f"UPDATE {table} SET {version} = {version} + 1 "  # noqa: S608  # nosec B608
                    f"WHERE ({pk}, {version}) IN (VALUES {pairs}) RETURNING {pk}",
                    params,
                )
                won = {row[0] for row in cursor.fetchall()}
                stale += [obj for obj in chunk if obj.pk not in won]
        if stale:
            for obj in stale[:max_messages()]:
                message = self.stale_message(sheet, obj)
                self.result.conflicts.append(message)
                self.result.add_error(message)
            self.result.hidden += max(0, len(stale) - max_messages())
            raise StaleRecords

    def stale_message(self, sheet, obj):
        model = sheet.model
        read = obj.version - 1
        now = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        key = obj.code if hasattr(obj, "code") else str(obj)
        if now is None:
            reason = _("读取后已被他人删除")
        else:
            reason = _("读取后已被 %(who)s 修改（读取时版本 %(then)s，现在版本 %(now)s）") % {
                "who": _last_editor(obj), "then": read, "now": now}
        return _("%(sheet)s %(key)s：%(reason)s，为避免覆盖他人的修改，本次导入未执行，请重新上传预览。") % {
            "sheet": sheet.name, "key": key, "reason": reason}

    def write_history(self, model, pks, history_type):
        """One history row per written record, with the user and the import batch.

        Exactly the rows simple-history's ``bulk_create_with_history`` makes, but copied by the
        database (``INSERT … SELECT`` from the rows just written) instead of building one Python
        object per record: at city scale that halves the import time.
        """
        history = model.history.model
        quote = connection.ops.quote_name
        columns = [quote(field.column) for field in history.tracked_fields]
        extra = [quote(name) for name in (
            "history_date", "history_user_id", "history_type", "history_change_reason", "import_batch_id")]
        params = [
            connection.ops.adapt_datetimefield_value(self.now),
            self.user.pk if self.user is not None else None,
            history_type,
            _("导入 %(file)s") % {"file": self.result.file_name[:60]},
            self.result.batch.pk if self.result.batch is not None else None,
        ]
        # Table and column names come from the model metadata, never from the workbook; values are parameters.
        insert = (  # nosec B608
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns + extra)}) "  # noqa: S608  # nosec B608
            f"SELECT {', '.join(columns)}, %s, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} IN "
        )
        with connection.cursor() as cursor:
            for chunk in _chunks(pks):
                cursor.execute(insert + f"({', '.join(['%s'] * len(chunk))})", [*params, *chunk])

    def write_m2m(self, sheet, changes):
        relation = sheet.model._meta.get_field(sheet.many_field)
        through = relation.remote_field.through
        own, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        owner_ids = [obj.pk for obj, _ids in changes]
        for chunk in _chunks(owner_ids):
            through.objects.filter(**{f"{own}__in": chunk}).delete()
        through.objects.bulk_create(
            [through(**{f"{own}_id": obj.pk, f"{other}_id": target}) for obj, ids in changes for target in ids],
            batch_size=BATCH_SIZE,
        )


def _last_editor(obj):
    """Who saved ``obj`` last, from its history (the name of the other person in a conflict message)."""
    latest = type(obj).history.filter(id=obj.pk).select_related("history_user").order_by(
        "-history_date", "-history_id").first()
    return latest.history_user.get_username() if latest is not None and latest.history_user_id else _("其他人")


@functools.cache
def _relation_fields(model):
    return frozenset(f.name for f in model._meta.fields if f.is_relation)


def _blank(model_field):
    """What an empty cell means: the field's default, else empty."""
    if model_field.null:
        return None
    if model_field.has_default():
        return model_field.get_default()
    if model_field.get_internal_type() in ("CharField", "TextField"):
        return ""
    return None


def _shown(model_field, value):
    if value in (None, ""):
        return _("（空）")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Division):
        return f"{value.name}（{value.code}）"
    return str(value)


def _key_text(key):
    if isinstance(key, tuple):
        return "|".join(part.strftime("%Y-%m-%d") if hasattr(part, "strftime") else str(part) for part in key)
    return str(key)


def _chunks(items, size=IN_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]

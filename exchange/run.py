"""One import's pass over the sheets: read each row into its record, check it by the models' own rules.

Validation reuses the models: ``clean_fields()`` (field validators, choices, decimal places) and
``clean()`` (cross-field rules such as activity area ≤ total area), then the reporting cycle's validation
rules (``core.record_checks``). Two parts of ``full_clean()`` are replaced by set-based checks done once
per sheet, because per row they cost a query each: the foreign keys are resolved from the import's
division index (``exchange.lookups``), and uniqueness is checked against one query per sheet. What a
sheet does its own way (keys, lookups, derived fields, scope, extra uniqueness) is its behaviour
(``exchange.sheetkinds``); writing is ``exchange.writer``.
"""

import functools

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import codes, record_checks
from core.bulk import chunks
from core.hours import WEEKDAY_FIELDS
from core.models import Division
from exchange import cells, rules
from exchange.lookups import IN_CHUNK, DivisionIndex
from exchange.references import References
from exchange.result import SheetCounts, max_messages
from exchange.writer import Writer, last_editor

#: Rows between two progress reports.
PROGRESS_EVERY = 500
#: Records whose field-level changes the preview lists (the rest are counted).
MAX_CHANGES_SHOWN = 300

PARSERS = {
    "code": cells.parse_code, "ref": cells.parse_code, "text": cells.plain_text, "hours": cells.normal_text,
    "phone": cells.parse_phone, "int": cells.parse_int, "decimal": cells.parse_decimal,
    "float": cells.parse_float, "bool": cells.parse_bool, "date": cells.parse_date, "multi": cells.parse_multi,
}


class _Row:
    """One data row: its Excel number, its raw cells by header, what was read from them."""

    __slots__ = ("number", "raw", "values", "m2m", "failed", "bad", "before", "target")

    def __init__(self, number, raw):
        self.number = number
        self.raw = raw
        self.values = {}
        self.m2m = None
        self.failed = False
        self.bad = set()  # headers whose cell could not be read
        self.before = {}  # {attname: value as read from the database} of the fields the row fills
        self.target = None  # the record the key refers to (a visit's elder)


class SheetPass:
    """One sheet being imported: what its behaviour's steps are given."""

    def __init__(self, run, sheet, columns):
        self.run = run
        self.sheet = sheet
        self.columns = columns
        self.key_columns = sheet.key_columns
        self.counts = SheetCounts(sheet.name)
        self.state = {}
        self.to_create, self.to_update, self.m2m_changes = [], [], []

    def error(self, row, header, reason):
        self.run.error(self.sheet, row, header, reason)

    def header_of(self, field_name):
        return self.sheet.header_of(field_name)


class _Run(References, Writer):
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
        self.divisions = DivisionIndex()
        if self.street is not None:
            self.divisions.add(self.street)
        self.elders = {}
        self.failed = {"division": set(), "elder": set()}
        self._service_fields = None
        self._closed_lists = {}
        self._choice_maps = {}
        self._value_names = {}
        super().__init__()

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
        ctx = SheetPass(self, sheet, [column for column in sheet.columns if column.header in header])
        self.result.sheets.append(ctx.counts)
        rows = self.read_rows(ctx, header, raw_rows)
        self.divisions.load_codes(self.division_codes(ctx, rows))
        behaviour = sheet.behaviour
        behaviour.prepare(ctx, rows)
        keyed = self.key_rows(ctx, rows)
        existing = behaviour.existing(ctx, list(keyed))
        self.divisions.load_pks({getattr(obj, f"{column.field}_id") for obj in existing.values()
                                 for column in ctx.columns if column.kind == "ref" and column.target == "division"})
        current_m2m = self.load_m2m(sheet, existing)
        for key, row in keyed.items():
            self.take(ctx, key, row, existing.get(key), current_m2m)
        # Written even when there are errors (the transaction is rolled back anyway), so that the
        # later sheets are checked against the records this one creates and every problem is reported.
        self.write(ctx)
        ctx.counts.created, ctx.counts.updated = len(ctx.to_create), len(ctx.to_update)

    def read_rows(self, ctx, header, raw_rows):
        index = {name: position for position, name in enumerate(header) if name}
        rows = []
        for number, values in raw_rows:
            raw = {column.header: values[index[column.header]] if index[column.header] < len(values) else None
                   for column in ctx.columns}
            row = _Row(number, raw)
            self.parse(ctx, row)
            if row.bad:
                self.check_rest(ctx, row)
            rows.append(row)
            self.done_rows += 1
            if self.progress is not None and self.done_rows % PROGRESS_EVERY == 0:
                self.progress(self.done_rows, self.total_rows)
        return rows

    def division_codes(self, ctx, rows):
        """Every division code the sheet's rows name: the only divisions the import loads."""
        headers = [column.header for column in ctx.columns if column.kind == "ref" and column.target == "division"]
        if ctx.sheet.model is Division:
            headers.append(ctx.key_columns[0].header)
        return {row.values.get(header) for row in rows for header in headers}

    def take(self, ctx, key, row, old, current_m2m):
        """Decide what the row does to its record: create, update (field by field) or nothing."""
        behaviour = ctx.sheet.behaviour
        self.check_version(ctx.sheet, key, old)
        if old is not None and not behaviour.updatable:
            ctx.counts.unchanged += 1
            return
        obj = self.build(ctx, row, old)
        if obj is None:
            return
        changed = [] if old is None else [name for name, before in row.before.items() if getattr(obj, name) != before]
        behaviour.check_record(ctx, row, obj, old, changed)
        if row.failed:
            return
        m2m_changed = row.m2m is not None and (old is None or set(row.m2m) != current_m2m.get(obj.pk, set()))
        if old is None:
            ctx.to_create.append(obj)
            self.note_change(ctx.sheet, key, obj, row, None)
        elif changed or m2m_changed:
            self.note_change(ctx.sheet, key, obj, row, changed, current_m2m.get(obj.pk, set()) if m2m_changed else None)
            ctx.to_update.append(obj)
        else:
            ctx.counts.unchanged += 1
            return
        if m2m_changed:
            ctx.m2m_changes.append((obj, row.m2m))

    def note_change(self, sheet, key, obj, row, changed, m2m_before=None):
        """The preview's line for one record: created (``changed`` None) or each changed field from → to
        (``m2m_before``: the pks the sheet's list of values had, when the row changes it)."""
        if len(self.result.changes) >= MAX_CHANGES_SHOWN:
            self.result.more_changes += 1
            return
        name = getattr(obj, "name", "") or str(obj)
        fields = []
        for attname in changed or ():
            model_field = next(f for f in obj._meta.concrete_fields if f.attname == attname)
            before, after = row.before[attname], getattr(obj, attname)
            if model_field.is_relation:
                before = self.divisions.by_pk.get(before, before)
                after = self.divisions.by_pk.get(after, after)
            fields.append((str(model_field.verbose_name), rules.shorten(_shown(model_field, before)),
                           rules.shorten(_shown(model_field, after))))
        if m2m_before is not None:
            relation = obj._meta.get_field(sheet.many_field)
            names = self.value_names(relation.related_model, {*m2m_before, *row.m2m})
            before = sorted(names.get(pk, str(pk)) for pk in m2m_before)
            after = [names.get(pk, str(pk)) for pk in row.m2m]
            fields.append((str(relation.verbose_name), rules.shorten(_("、").join(before) or _("（空）")),
                           rules.shorten(_("、").join(after) or _("（空）"))))
        self.result.changes.append((sheet.name, _key_text(key), name, fields))

    def value_names(self, model, pks):
        """``{pk: name}`` of a list of values (服务领域, 十助, 类别: a few rows), read again only when it lacks
        one of ``pks`` (a service field the import has just added)."""
        names = self._value_names.get(model, {})
        if not pks <= names.keys():
            names = self._value_names[model] = {obj.pk: str(obj) for obj in model._default_manager.all()}
        return names

    def parse(self, ctx, row):
        for column in ctx.columns:
            try:
                row.values[column.header] = self.parse_cell(column, row.raw[column.header])
            except cells.CellError as exc:
                self.error(ctx.sheet, row, column.header, str(exc))
                row.bad.add(column.header)

    def parse_cell(self, column, raw):
        if column.kind != "choice":
            return PARSERS[column.kind](raw)
        mapping = self._choice_maps.get(id(column))
        if mapping is None:
            mapping = self._choice_maps[id(column)] = cells.choice_map(column.choices)
        return cells.parse_choice(raw, mapping)

    # -- keys and existing records ---------------------------------------------------------------------------

    def key_rows(self, ctx, rows):
        """``{key: row}`` for rows whose key cells are readable; a repeated key is an error."""
        keyed = {}
        for row in rows:
            if row.failed:
                continue
            key = ctx.sheet.behaviour.key(ctx, row)
            if key is None:
                continue
            parts = key if isinstance(key, tuple) else (key,)
            blank = next((column.header for column, part in zip(ctx.key_columns, parts, strict=False)
                          if part in (None, "")), None)
            if blank is not None:
                self.error(ctx.sheet, row, blank, _blank_key(ctx, blank))
            elif key in keyed:
                self.error(ctx.sheet, row, ctx.key_columns[0].header,
                           _("与第%(row)s行重复：同一条记录只能出现一次。") % {"row": keyed[key].number})
            else:
                keyed[key] = row
        return keyed

    def load_m2m(self, sheet, existing):
        name = sheet.many_field
        if not name or not existing:
            return {}
        relation = sheet.model._meta.get_field(name)
        through = relation.remote_field.through
        own, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        current = {}
        for chunk in chunks([obj.pk for obj in existing.values()], IN_CHUNK):
            for owner_id, target_id in through.objects.filter(**{f"{own}__in": chunk}).values_list(own, other):
                current.setdefault(owner_id, set()).add(target_id)
        return current

    def check_version(self, sheet, key, old):
        label = f"{sheet.name}:{_key_text(key)}"
        version = None if old is None else old.version
        self.result.versions[label] = version
        if self.expected is None or label not in self.expected or self.expected[label] == version:
            return
        if version is None:
            reason = _("预览后已被他人删除")
        elif self.expected[label] is None:
            reason = _("预览后已被他人新增")
        else:
            reason = _("预览后已被 %(who)s 修改（预览时版本 %(then)s，现在版本 %(now)s）") % {
                "who": last_editor(old), "then": self.expected[label], "now": version}
        self.conflict(_("%(sheet)s %(key)s：%(reason)s，为避免覆盖他人的修改，本次导入未执行，请重新上传预览。") % {
            "sheet": sheet.name, "key": _key_text(key), "reason": reason})

    def conflict(self, message):
        self.result.conflicts.append(message)
        self.result.add_error(message)

    # -- building and validating one record ------------------------------------------------------------------

    def build(self, ctx, row, old):
        """The row's record (``old`` changed in place, or a new one), checked; None when the row failed."""
        behaviour = ctx.sheet.behaviour
        obj = old if old is not None else behaviour.new(ctx, row)
        before = {}
        for column in ctx.columns:
            self.assign(ctx, row, column, obj, before)
        behaviour.derive(ctx, obj, before)
        if row.failed:
            # Every error of the row at once: the readable cells still get the field rules.
            self.validate_rest(ctx, row, obj)
            return None
        row.before = before
        self.validate(ctx, row, obj)
        if row.failed:
            return None
        obj.prepare_for_bulk()  # what save() derives (shortest day, ancestors, normal forms), as save() would
        if self.street is not None:
            behaviour.check_scope(ctx, row, obj, old)
        return None if row.failed else obj

    def assign(self, ctx, row, column, obj, before):
        """Set ``obj``'s field from the row's cell, keeping the value it had in ``before``."""
        if column.kind == "multi":
            row.m2m = self.resolve_many(ctx.sheet, row, column)
            return
        if column.kind == "ref":
            if column.field in ctx.sheet.key_fields:
                return  # resolved with the key (a visit's elder)
            target = self.resolve(ctx.sheet, row, column)
            if target is not None:
                attname = obj._meta.get_field(column.field).attname
                before[attname] = getattr(obj, attname)
                setattr(obj, column.field, target)
            return
        model_field = obj._meta.get_field(column.field)
        before[model_field.attname] = getattr(obj, model_field.attname)
        value = row.values.get(column.header)
        setattr(obj, model_field.attname, _blank(model_field) if value in (None, "") else value)

    def check_rest(self, ctx, row):
        """A row with unreadable cells: the other cells still get their rules, so one round fixes the row."""
        sheet = ctx.sheet
        obj = sheet.model()
        for column in ctx.columns:
            if column.header in row.bad:
                continue
            if column.kind == "multi":
                self.resolve_many(sheet, row, column)
            elif column.kind == "ref":
                if column.target == "division" and row.values.get(column.header):
                    self.divisions.load_codes([row.values[column.header]])
                    self.resolve(sheet, row, column)
            else:
                model_field = sheet.model._meta.get_field(column.field)
                value = row.values.get(column.header)
                setattr(obj, model_field.attname, _blank(model_field) if value in (None, "") else value)
        self.validate_rest(ctx, row, obj)

    def validate_rest(self, ctx, row, obj):
        """The field rules of the cells that could be read, in a row that already failed (no cross-field rules:
        they would judge a value that is missing only because its cell was unreadable)."""
        if not row.bad:
            return
        by_field = {column.field: column.header for column in ctx.columns}
        skip = set(_relation_fields(type(obj)))
        skip |= {column.field for column in ctx.columns if column.header in row.bad or column.kind in ("ref", "multi")}
        skip |= {field.name for field in obj._meta.concrete_fields if field.name not in by_field}
        try:
            obj.clean_fields(exclude=skip)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                header = by_field.get(name)
                if header is not None:
                    self.error(ctx.sheet, row, header, " ".join(messages))

    def validate(self, ctx, row, obj):
        """The model's own rules: ``clean_fields()`` and ``clean()``, as ``full_clean()`` runs them."""
        errors = {}
        # Foreign keys are resolved from the division index, not re-queried row by row; a field the row
        # left as it was (a default, or the record's stored value) has nothing new to check — nor, in a stored
        # record, one its cell gives the value it already has (most of an updating workbook's cells).
        stored = not obj._state.adding
        untouched = {
            field.name for field in obj._meta.concrete_fields
            if field.attname not in row.before or (stored and row.before[field.attname] == getattr(obj, field.attname))
        }
        try:
            obj.clean_fields(exclude=_relation_fields(type(obj)) | untouched)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            obj.clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, message in record_checks.errors(obj):  # the data validation rules of severity 错误
            errors.setdefault(name or NON_FIELD_ERRORS, []).append(message)
        by_field = {column.field: column.header for column in ctx.columns}
        for name, messages in errors.items():
            header = by_field.get(name)
            # The model's clean() and a validation rule may find the same thing (nursing beds above beds): once.
            reason = " ".join(dict.fromkeys(ValidationError(messages).messages))
            if header is None and name != NON_FIELD_ERRORS:
                reason = f"{obj._meta.get_field(name).verbose_name}：{reason}"
            self.error(ctx.sheet, row, header or "", reason)


def _blank_key(ctx, header):
    """“不能为空”, and for a record's code how a new one is made (the admin generates it; a workbook brings it)."""
    column = next(column for column in ctx.key_columns if column.header == header)
    hint = codes.pattern_hint(ctx.sheet.model) if column.field == "code" else ""
    return _("不能为空。") + hint


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
        return _("休息") if model_field.name in WEEKDAY_FIELDS else _("（空）")  # a day without hours is closed
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

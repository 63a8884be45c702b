"""A preview's plan, kept for its confirm: the workbook is read and checked once, not twice.

The preview runs the whole check in a transaction it rolls back, writing only the new records later
sheets refer to (divisions, elders). ``PlanRecorder`` notes, sheet by sheet, what the confirm is to write:
the records to create (every stored field) and the records to update (their primary key, the version the
preview read, every stored field). A record created in the same file is referred to by its code (its
primary key, if it had one, died with the rollback). The plan is plain JSON, kept beside the uploaded
file (``exchange.pending``).

``apply_plan`` writes it in one transaction: creates in bulk, updates as one compare-and-set per few
thousand rows (``core.bulk``): a record someone changed or deleted since the preview refuses the
whole confirm, naming it and who changed it. A code someone created meanwhile is refused by the
database's unique constraint, in Chinese.
"""

import datetime
import decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import kept_figures
from core.bulk import found, insert_values, refresh_statistics, update_values_where_version
from core.caching import invalidate_public
from core.models import ImportBatch
from core.search_text import places_before, refresh_written, texts_of_new
from exchange.result import ImportResult, SheetCounts, StaleRecords, refusals
from exchange.spec import SHEETS_BY_NAME
from exchange.writer import Writer, created_fields, write_m2m, written_fields
from volunteers.models import ServiceField

#: Bumped when the plan's shape changes: an older plan is not applied (the user previews again).
FORMAT = 1


def _encode(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


class PlanRecorder:
    """Notes, sheet by sheet, what a preview wrote (``exchange.writer.Writer.write`` calls ``record``)."""

    def __init__(self, run):
        self.run = run
        self.sheets = []
        self.new_keys = {}  # {model label: {pk: code or name}} of the records this file creates
        self.service_fields = []

    def created(self, model, pk, key):
        self.new_keys.setdefault(model._meta.label, {})[pk] = key

    def ref(self, model, pk):
        key = self.new_keys.get(model._meta.label, {}).get(pk)
        return pk if key is None else {"new": key}

    def owner(self, model, obj):
        """A many-to-many owner: its primary key, or its code when the plan creates it."""
        return {"new": obj.code} if obj.pk is None else self.ref(model, obj.pk)

    def value(self, field, obj):
        value = getattr(obj, field.attname)
        if field.is_relation and value is not None:
            return self.ref(field.related_model, value)
        return _encode(value)

    def record(self, ctx):
        model = ctx.sheet.model
        keyed = any(field.name == "code" for field in model._meta.concrete_fields)
        for obj in ctx.to_create if keyed else ():
            if obj.pk is not None:
                self.created(model, obj.pk, obj.code)
        new_fields = created_fields(model)
        updated_fields = [model._meta.get_field(name) for name in written_fields(model)]
        many = ctx.sheet.many_field
        target = model._meta.get_field(many).related_model if many else None
        self.sheets.append({
            "sheet": ctx.sheet.name,
            "created_fields": [field.attname for field in new_fields],
            "creates": [[self.value(field, obj) for field in new_fields] for obj in ctx.to_create],
            "updated_fields": [field.name for field in updated_fields],
            "updates": [[obj.pk, obj.version, *(self.value(field, obj) for field in updated_fields)]
                        for obj in ctx.to_update],
            "m2m": [[self.owner(model, obj), [self.ref(target, pk) for pk in ids]] for obj, ids in ctx.m2m_changes],
        })

    def as_json(self, result):
        return {"format": FORMAT, "sheets": self.sheets, "service_fields": self.service_fields,
                "summary": result.summary(), "warnings": result.warnings}


class _Applier(Writer):
    """Writes a plan: ``Writer``'s compare-and-set and history, without a run over rows."""

    since_preview = True

    def __init__(self, plan, result, user, now, progress):
        self.plan_data, self.result, self.user, self.now, self.progress = plan, result, user, now, progress
        self.new_pks = {}  # {(model label, code or name): pk} of the records created so far
        self.done = 0
        self.total = sum(len(sheet["creates"]) + len(sheet["updates"]) for sheet in plan["sheets"])

    def decode(self, field, value):
        if isinstance(value, dict):
            return self.new_pks[(field.related_model._meta.label, value["new"])]
        if field.is_relation or value is None:
            return value
        return field.to_python(value)

    def ref(self, model, value):
        return self.new_pks[(model._meta.label, value["new"])] if isinstance(value, dict) else value

    def apply(self):
        for name in self.plan_data["service_fields"]:
            field, _created = ServiceField.objects.get_or_create(name=name)
            self.new_pks[(ServiceField._meta.label, name)] = field.pk
        for sheet_plan in self.plan_data["sheets"]:
            self.apply_sheet(SHEETS_BY_NAME[sheet_plan["sheet"]], sheet_plan)

    def apply_sheet(self, sheet, sheet_plan):
        # No save() below: the figures kept from the records (core.kept_figures) learn of the write here, read
        # where the updated records stood before it, and are brought up to date in the same transaction.
        updates = [pk for pk, *_values in sheet_plan["updates"]]
        places = places_before(sheet.model, updates)
        with kept_figures.writing(sheet.model, updates) as wrote:
            written = self.write_sheet(sheet, sheet_plan)
            refresh_statistics(sheet.model, len(sheet_plan["creates"]))  # planned for the rows it now holds
            wrote(written)
        # No save(): the search's kept text, of the updated records (the new ones went in with theirs).
        created_with_text = len(sheet_plan["creates"]) if "search_text" in sheet_plan["created_fields"] else 0
        refresh_written(sheet.model, written[created_with_text:], places)
        self.report(len(sheet_plan["creates"]) + len(sheet_plan["updates"]))

    def write_sheet(self, sheet, sheet_plan):
        """Write one sheet's planned creates, updates and links; the pks written.

        The plan's values go to the database as they are kept (``core.bulk``'s rows of values): no record
        is built for a row, only the records a new row refers to are looked up.
        """
        model = sheet.model
        by_attname = {field.attname: field for field in model._meta.concrete_fields}
        attnames = sheet_plan["created_fields"]
        written = []
        if sheet_plan["creates"]:
            new_fields = [by_attname[name] for name in attnames]
            created = [self.resolved(new_fields, row) for row in sheet_plan["creates"]]
            if "search_text" in attnames:
                self.with_search_text(model, sheet_plan, attnames, created)
            if "code" in by_attname:
                code_at = attnames.index("code")
                self.refuse_taken(sheet, [row[code_at] for row in created])
            made = insert_values(model, created, [field.name for field in new_fields],
                                 extra={"created_at": self.now, "updated_at": self.now},
                                 returning="code" if "code" in by_attname else "pk", prepared=True)
            self.write_history(model, [pk for pk, _key in made], "+")
            written += [pk for pk, _key in made]
            if "code" in by_attname:
                self.new_pks.update({(model._meta.label, code): pk for pk, code in made})
        updated = [pk for pk, *_values in sheet_plan["updates"]]
        if updated:
            names = sheet_plan["updated_fields"]
            fields = [model._meta.get_field(name) for name in names]
            rows = [[pk, version, *self.resolved(fields, values)] for pk, version, *values in sheet_plan["updates"]]
            won = set(update_values_where_version(model, rows, names, extra={"updated_at": self.now}, prepared=True))
            if len(won) < len(rows):
                self.refuse_stale(sheet, [self.record(model, fields, row) for row in rows if row[0] not in won])
            self.write_history(model, updated, "~")
        if sheet_plan["m2m"]:
            target = model._meta.get_field(sheet.many_field).related_model
            write_m2m(model, sheet.many_field, [(self.ref(model, owner), [self.ref(target, pk) for pk in ids])
                                                for owner, ids in sheet_plan["m2m"]])
        return written + updated

    def with_search_text(self, model, sheet_plan, attnames, created):
        """New rows go in with their search text (``core.search_text.texts_of_new``), links included."""
        code_at, text_at = attnames.index("code"), attnames.index("search_text")
        target = model._meta.get_field(model.SEARCH_MANY).related_model
        links = {owner["new"]: [self.ref(target, pk) for pk in ids]
                 for owner, ids in sheet_plan["m2m"] if isinstance(owner, dict)}
        texts = texts_of_new(model, [dict(zip(attnames, row, strict=True)) for row in created],
                             [links.get(row[code_at], []) for row in created])
        for row, text in zip(created, texts, strict=True):
            row[text_at] = text

    def resolved(self, fields, values):
        """A planned row's values with the records this file creates in place of their codes."""
        return [self.ref(field.related_model, value) if isinstance(value, dict) else value
                for field, value in zip(fields, values, strict=True)]

    def record(self, model, fields, row):
        """The record of an update row ``[pk, version read, *values]`` (to name it when it is refused)."""
        obj = model(pk=row[0], version=row[1])
        for field, value in zip(fields, row[2:], strict=True):
            setattr(obj, field.attname, self.decode(field, value))
        return obj

    def refuse_taken(self, sheet, codes):
        """Codes the preview found free but someone created since: refused by name, not by the database."""
        taken = found(sheet.model, "code", codes)
        if not taken:
            return
        for code in sorted(taken):
            message = _("%(sheet)s %(key)s：%(reason)s，为避免覆盖他人的修改，本次导入未执行，请重新上传预览。") % {
                "sheet": sheet.name, "key": code, "reason": _("预览后已被他人新增")}
            self.result.conflicts.append(message)
            self.result.add_error(message)
        raise StaleRecords

    def report(self, rows):
        self.done += rows
        if self.progress is not None:
            self.progress(self.done, self.total, force=True)


def apply_plan(plan, *, file_name, sha256, user=None, progress=None):
    """Write a preview's ``plan`` as ``user``; an ``ImportResult`` (refused, with reasons, if anything changed)."""
    result = ImportResult(file_name=file_name, sha256=sha256, dry_run=False)
    result.sheets = [SheetCounts(name, **counts) for name, counts in plan["summary"].items()]
    applier = _Applier(plan, result, user, timezone.now(), progress)
    with refusals(result, file_name):
        with transaction.atomic():
            result.batch = ImportBatch.objects.create(file_name=file_name[:255], sha256=sha256, user=user)
            applier.apply()
            result.batch.summary = plan["summary"]
            result.batch.save(update_fields=["summary"])
            invalidate_public()
    if result.errors:
        result.batch = None
    return result


def applicable(plan):
    return isinstance(plan, dict) and plan.get("format") == FORMAT

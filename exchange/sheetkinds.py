"""What each sheet does its own way: how its rows find, fill and check their records.

The manner of pretix's ``ImportColumn`` (``clean``/``assign``/``save``): the import loop in
``exchange.run`` calls these steps and never asks which model a sheet is. A new sheet whose records
are identified by their code needs no class of its own (``Records``); one that differs overrides a step.
Each sheet spec in ``exchange.spec`` names its behaviour.
"""

from django.utils.translation import gettext as _

from core.bulk import chunks
from core.models import Level, ancestor_code
from eldercare.models import Visit
from volunteers.models import Worker

#: Codes per ``IN (…)`` lookup.
IN_CHUNK = 900
#: Division fields only bureau administrators change; clerks correct the figures.
PROTECTED_DIVISION_FIELDS = ("name", "kind", "parent")


class Records:
    """Records identified by their code (centres, eldercare facilities, teams, workers, elders)."""

    #: A record found by its key may be changed by the row (False: the key is the whole record).
    updatable = True
    #: Later sheets refer to these records: a preview writes the new ones (then rolls them back).
    referenced_later = False

    def prepare(self, ctx, rows):
        """Before the keys are read: load what the rows refer to, one query per kind (never per row)."""

    def key(self, ctx, row):
        """The record's key from the row's cells; None when an error has been reported instead."""
        return row.values[ctx.key_columns[0].header]

    def existing(self, ctx, keys):
        """``{key: record}`` of the records already in the database, for the rows' keys."""
        found = {}
        for chunk in chunks(keys, IN_CHUNK):
            for obj in ctx.sheet.model.objects.filter(code__in=chunk):
                found[obj.code] = obj
        return found

    def new(self, ctx, row):
        return ctx.sheet.model()

    def derive(self, ctx, obj, before):
        """Fields no column fills: set them on ``obj``, their values as read into ``before``."""

    def check_scope(self, ctx, row, obj, old):
        """A street clerk's row stays in their street, and may not take over a record of another street."""
        ref = next(column for column in ctx.columns if column.kind == "ref")
        run = ctx.run
        run.check_street(ctx.sheet, row, ref.header, getattr(obj, ref.field))
        if old is None or row.failed:
            return
        previous = run.divisions.by_pk.get(row.before.get(f"{ref.field}_id"))
        street = run.street_of(previous)
        if previous is not None and (street is None or street.pk != run.street.pk):
            ctx.error(row, ctx.key_columns[0].header, _("该编号已被%(other)s的记录使用，您只能导入%(own)s的数据。") % {
                "other": street.name if street is not None else previous.name, "own": run.street.name})

    def check_record(self, ctx, row, obj, old, changed):
        """Rules across rows or beyond the model (uniqueness the database would refuse, who may change what)."""

    def written(self, ctx, objs):
        """After the sheet is written: what later sheets look up (divisions, elders)."""


class DivisionRecords(Records):
    """Districts, streets and communities: found in the import's division index, changed only by the bureau."""

    referenced_later = True

    def prepare(self, ctx, rows):
        if not _names_parent(ctx):  # the districts' sheet: load the cities its districts join (``derive``)
            header = ctx.key_columns[0].header
            codes = {row.values.get(header) for row in rows}
            ctx.run.divisions.load_codes({ancestor_code(code, Level.CITY) for code in codes if isinstance(code, str)})

    def existing(self, ctx, keys):
        index = ctx.run.divisions.by_code
        return {code: index[code] for code in keys if code in index}

    def derive(self, ctx, obj, before):
        kinds = ctx.sheet.division_kinds
        if len(kinds) == 1:
            before.setdefault("kind", obj.kind)
            obj.kind = kinds[0]
        if "parent_id" not in before:
            # The districts' sheet names no parent: a district belongs to the city its code starts with, when
            # the portal has that city (a province's portal, or a city given one by core's data migration).
            before["parent_id"] = obj.parent_id
            city = ctx.run.divisions.get(ancestor_code(obj.code or "", Level.CITY))
            obj.parent = city if city is not None and city.level == Level.CITY and city.code != obj.code else None

    def check_scope(self, ctx, row, obj, old):
        run = ctx.run
        if obj.level == Level.DISTRICT:
            if obj.pk is None or obj.pk != run.street.parent_id:
                ctx.error(row, ctx.key_columns[0].header, _("不是%(own)s所属的区县，您只能导入%(own)s的数据。") % {
                    "own": run.street.name})
            return
        if obj.level == Level.STREET:
            run.check_street(ctx.sheet, row, ctx.key_columns[0].header, obj)
        else:
            run.check_street(ctx.sheet, row, ctx.header_of("parent"), obj.parent)

    def check_record(self, ctx, row, obj, old, changed):
        if ctx.run.street is None:
            return
        if old is None:
            ctx.error(row, ctx.key_columns[0].header, _("只有民政局管理员可以新增区划。"))
            return
        for name in changed:
            if name.removesuffix("_id") in PROTECTED_DIVISION_FIELDS:
                ctx.error(row, ctx.header_of(name.removesuffix("_id")) or "",
                          _("只有民政局管理员可以修改区划的名称、类型和上级区划。"))

    def written(self, ctx, objs):
        for obj in objs:
            ctx.run.divisions.add(obj)


def _names_parent(ctx):
    """Whether the sheet's columns give each division its parent (the districts' sheet has none)."""
    return any(column.field == "parent" for column in ctx.columns)


class ElderRecords(Records):
    referenced_later = True  # by the visits

    def written(self, ctx, objs):
        for obj in objs:
            ctx.run.elders[obj.code] = obj


class WorkerRecords(Records):
    """Workers: a certificate number belongs to one person, in the file and in the database."""

    def prepare(self, ctx, rows):
        header = ctx.header_of("certificate_number")
        numbers = {row.values.get(header) for row in rows if row.values.get(header)}
        owners = {}
        for chunk in chunks(sorted(numbers), IN_CHUNK):
            owners.update(Worker.objects.filter(certificate_number__in=chunk).values_list("certificate_number", "code"))
        ctx.state["owners"] = owners

    def check_record(self, ctx, row, obj, old, changed):
        number = obj.certificate_number
        if not number:
            return
        owners = ctx.state["owners"]
        owner = owners.get(number)
        if owner is not None and owner != obj.code:
            ctx.error(row, ctx.header_of("certificate_number"),
                      _("证书编号已属于人员 %(owner)s：一个证书只能属于一个人。") % {"owner": owner})
        else:
            owners[number] = obj.code


class VisitRecords(Records):
    """Visits have no code: one is (elder, date, visitor, way), and a row found is already the whole record."""

    updatable = False

    def prepare(self, ctx, rows):
        ctx.run.preload_elders({row.values.get(ctx.key_columns[0].header) for row in rows if not row.failed})

    def key(self, ctx, row):
        elder = ctx.run.resolve(ctx.sheet, row, ctx.key_columns[0])
        if elder is None:
            return None
        row.target = elder
        return (elder.code, *(row.values[column.header] for column in ctx.key_columns[1:]))

    def existing(self, ctx, keys):
        run = ctx.run
        elders_by_pk = {elder.pk: elder for elder in run.elders.values() if elder is not None and elder.pk}
        codes = {key[0] for key in keys}
        wanted = {pk for pk, elder in elders_by_pk.items() if elder.code in codes}
        found = {}
        for chunk in chunks(sorted(wanted), IN_CHUNK):
            for visit in Visit.objects.filter(elder_id__in=chunk).only(
                "id", "version", "elder_id", "visited_on", "visitor", "method"
            ):
                found[(elders_by_pk[visit.elder_id].code, visit.visited_on, visit.visitor, visit.method)] = visit
        return found

    def new(self, ctx, row):
        return Visit(elder=row.target)

    def check_scope(self, ctx, row, obj, old):
        """Checked on the elder, when the key was read."""


RECORDS = Records()
DIVISIONS = DivisionRecords()
ELDERS = ElderRecords()
WORKERS = WorkerRecords()
VISITS = VisitRecords()

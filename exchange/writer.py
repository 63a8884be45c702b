"""Writing one sheet's records: bulk creates, compare-and-set updates, many-to-many links, history rows.

Writes never bypass the audit trail: every created or changed record gets its history row with the
importing user and the ``ImportBatch`` (``core.history.bulk_history``). Unchanged rows are not written
at all (no version bump, no history row). An update is written only where the record still has the
version the import read (``core.bulk``): a record someone else saved meanwhile refuses the import,
naming it and who changed it.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from core import kept_figures
from core.bulk import chunks, insert_rows, insert_values, refresh_statistics, update_where_version
from core.history import bulk_history
from core.search_text import places_before, refresh_written
from exchange.result import StaleRecords, max_messages

BATCH_SIZE = 500
IN_CHUNK = 900
#: Written by the database or by the import itself, never copied from the record read.
NOT_WRITTEN = ("id", "created_at", "updated_at", "version")


def written_fields(model):
    """The fields an update writes: every stored field (their values were read under the version checked)."""
    return [field.name for field in model._meta.concrete_fields if field.name not in NOT_WRITTEN and not field.primary_key]


class Writer:
    """The writing half of an import run (``exchange.run._Run``)."""

    #: ``exchange.plan.PlanRecorder`` while a preview records what its confirm will write, else None.
    plan = None
    #: The versions compared are those a preview read (a confirm), not this run's own reading.
    since_preview = False

    def write(self, ctx):
        if self.plan is not None:
            self.write_for_preview(ctx)
            return
        model = ctx.sheet.model
        places = places_before(model, [obj.pk for obj in ctx.to_update])
        with transaction.atomic(), kept_figures.writing(model, [obj.pk for obj in ctx.to_update]) as wrote:
            if ctx.to_create:
                model.objects.bulk_create(ctx.to_create, batch_size=BATCH_SIZE)
                self.write_history(model, [obj.pk for obj in ctx.to_create], "+")
                refresh_statistics(model, len(ctx.to_create))
            if ctx.to_update:
                self.compare_and_set(ctx.sheet, ctx.to_update)
                self.write_history(model, [obj.pk for obj in ctx.to_update], "~")
            if ctx.m2m_changes:
                write_m2m(model, ctx.sheet.many_field, [(obj.pk, ids) for obj, ids in ctx.m2m_changes])
            # Bulk writes send no save(): the one search's kept text (core.search_text) is refreshed here.
            refresh_written(model, [obj.pk for obj in [*ctx.to_create, *ctx.to_update]], places)
            wrote([obj.pk for obj in [*ctx.to_create, *ctx.to_update]])  # and the figures kept from records
        ctx.sheet.behaviour.written(ctx, [*ctx.to_create, *ctx.to_update])

    def write_for_preview(self, ctx):
        """A preview writes only what later sheets need in the database (new divisions and elders: their
        rows' ``clean()`` and lookups use primary keys) and rolls even that back; the rest goes into the plan."""
        if ctx.to_create and ctx.sheet.behaviour.referenced_later:
            insert_records(ctx.sheet.model, ctx.to_create, self.now)
        ctx.sheet.behaviour.written(ctx, [*ctx.to_create, *ctx.to_update])
        self.plan.record(ctx)

    def compare_and_set(self, sheet, to_update):
        """Write the records, each only where it is still the version this import read; bump the version.

        The rows written stay locked until the import commits, so nobody can change them in between; a
        record another save or import changed (or deleted) since it was read is not written, and the
        import is refused naming it and who changed it.
        """
        model = sheet.model
        won = set(update_where_version(model, to_update, written_fields(model),
                                       read_version=lambda obj: obj.version, extra={"updated_at": self.now}))
        stale = [obj for obj in to_update if obj.pk not in won]
        if stale:
            self.refuse_stale(sheet, stale)
        for obj in to_update:
            obj.version += 1

    def refuse_stale(self, sheet, stale):
        for obj in stale[:max_messages()]:
            message = stale_message(sheet, obj, since_preview=self.since_preview)
            self.result.conflicts.append(message)
            self.result.add_error(message)
        self.result.hidden += max(0, len(stale) - max_messages())
        raise StaleRecords

    def write_history(self, model, pks, history_type):
        bulk_history(
            model, pks, history_type=history_type, when=self.now, user=self.user, batch=self.result.batch,
            reason=_("导入 %(file)s") % {"file": self.result.file_name[:60]},
        )


def stale_message(sheet, obj, *, since_preview=False):
    """Why ``obj`` (as read, at ``obj.version``) was not written: deleted, or changed by whom since."""
    model = sheet.model
    now = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
    key = obj.code if hasattr(obj, "code") else str(obj)
    if now is None:
        reason = _("预览后已被他人删除") if since_preview else _("读取后已被他人删除")
    else:
        words = (_("预览后已被 %(who)s 修改（预览时版本 %(then)s，现在版本 %(now)s）") if since_preview
                 else _("读取后已被 %(who)s 修改（读取时版本 %(then)s，现在版本 %(now)s）"))
        reason = words % {"who": last_editor(obj), "then": obj.version, "now": now}
    return _("%(sheet)s %(key)s：%(reason)s，为避免覆盖他人的修改，本次导入未执行，请重新上传预览。") % {
        "sheet": sheet.name, "key": key, "reason": reason}


def created_fields(model):
    """The fields a new record's row writes (not its key, nor the times: the writer sets them)."""
    return [field for field in model._meta.concrete_fields
            if not field.primary_key and field.name not in ("created_at", "updated_at")]


def insert_records(model, objs, now):
    """What ``bulk_create`` does for new records with a code, in ``core.bulk``'s one statement per few thousand
    rows (``bulk_create`` compiled a placeholder per value): each gets its primary key."""
    by_code = {obj.code: obj for obj in objs}
    for pk, code in insert_rows(model, objs, [field.name for field in created_fields(model)],
                                extra={"created_at": now, "updated_at": now}, returning="code"):
        obj = by_code[code]
        obj.pk, obj.created_at, obj.updated_at = pk, now, now
        obj._state.adding = False


def write_m2m(model, field_name, changes):
    """Replace the many-to-many links of each ``(owner pk, [target pks])``."""
    relation = model._meta.get_field(field_name)
    through = relation.remote_field.through
    own, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    for chunk in chunks([owner for owner, _ids in changes], IN_CHUNK):
        through.objects.filter(**{f"{own}__in": chunk}).delete()
    links = [[owner, target] for owner, ids in changes for target in ids]
    if links:
        insert_values(through, links, [own, other])


def last_editor(obj):
    """Who saved ``obj`` last, from its history (the name of the other person in a conflict message)."""
    latest = type(obj).history.filter(id=obj.pk).select_related("history_user").order_by(
        "-history_date", "-history_id").first()
    return latest.history_user.get_username() if latest is not None and latest.history_user_id else _("其他人")

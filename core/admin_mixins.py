"""The admin side of ``core.scoping`` and ``core.permissions``.

Three bases, one per kind of admin page: ``ScopedAdmin`` for records of a street (and the city-wide lookup
lists every clerk reads), ``ScopedInline`` for rows edited on their parent's page, ``CityWideAdmin`` for
what only bureau staff see (accounts, holidays, plans, import batches, validation rules). All three say
things in a clerk's words (``PlainWordsAdmin``); ``VerifierAdmin`` names a record's 核实人 without a link.

ScopedAdmin also keeps the audit trail readable (the history page, bureau staff
only) and refuses lost updates: the change form carries the record's version
as it was when the form was shown, and a save over someone else's newer save
is refused with what they changed.
"""

import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from core import permissions, scoping
from core.admin_words import PlainWordsAdmin, display_value, entry_labels
from core.contributions import contributions
from core.models import Division, Level

logger = logging.getLogger(__name__)

#: The hidden form field carrying the version the form was rendered with.
LOCK_FIELD = "lock_version"
def is_versioned(model):
    """Records with a ``version`` (every ``TrackedModel``) get optimistic locking."""
    return any(field.name == "version" for field in model._meta.concrete_fields)


class ConcurrentEdit(Exception):
    """Someone saved the record between this form's check and its save."""


def describe_changes(obj, since_version, submitted=None):
    """What was changed after ``since_version``: ``["字段：对方改为「…」，您填写「…」", …]`` from the history."""
    history = obj.history.order_by("history_date", "history_id")
    base = history.filter(version__lte=since_version).last()
    latest = history.last()
    if base is None or latest is None:
        return [], None
    delta = latest.diff_against(base)
    lines = []
    for change in delta.changes:
        if change.field in ("version", "updated_at", "created_at", "shortest_day_minutes", "search_text"):
            continue
        field = obj._meta.get_field(change.field)
        theirs = display_value(field, change.new)
        line = _("%(field)s：对方改为「%(theirs)s」") % {"field": field.verbose_name, "theirs": theirs}
        if submitted is not None and change.field in submitted:
            line += _("，您填写「%(yours)s」") % {"yours": display_value(field, submitted[change.field])}
        lines.append(line)
    who = latest.history_user.get_username() if latest.history_user_id else _("系统")
    return lines, who


def _conflict_message(obj, captured, submitted=None):
    lines, who = describe_changes(obj, captured, submitted)
    message = _("保存被拒绝：您打开此页面后，%(who)s 已修改并保存了这条记录（版本 %(then)s → %(now)s）。") % {
        "who": who or _("其他人"), "then": captured, "now": type(obj)._default_manager.filter(pk=obj.pk)
        .values_list("version", flat=True).first(),
    }
    if lines:
        message += _("对方的修改：") + "；".join(lines) + "。"
    return message + _("您的修改没有保存，请核对后重新填写。")


class VersionLockMixin:
    """Added to every ScopedAdmin change form: refuses a save over a newer version."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields[LOCK_FIELD].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        captured = cleaned.get(LOCK_FIELD)
        if self.instance.pk is None or captured is None:
            return cleaned
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            # The admin's change view is atomic: hold the row until the save. FOR NO KEY UPDATE, as the save's own
            # UPDATE takes: another save of the row waits, a row that merely references it (a foreign key's
            # KEY SHARE check at another writer's COMMIT) does not — FOR UPDATE deadlocked a clerk's save of a
            # community against an import of its teams once compliance.kept locked the street (bench soak).
            rows = rows.select_for_update(no_key=True)
        current = rows.values_list("version", flat=True).first()
        if current is not None and current != captured:
            submitted = {name: value for name, value in cleaned.items() if name != LOCK_FIELD}
            raise ValidationError(_conflict_message(self.instance, captured, submitted), code="stale_version")
        return cleaned


class RecordChecksMixin:
    """Runs ``core.record_checks`` on the record the form built: errors block the save, on their field;
    warnings are kept in ``record_warnings`` for the admin to show once the record is saved.

    The checks are the data validation rules the workbook import runs (``reporting.rules``, severity set by the
    bureau): one implementation for every way a record is written."""

    def _post_clean(self):
        super()._post_clean()
        from core import record_checks

        self.record_warnings = []
        for field, message, severity in record_checks.issues(self.instance):
            if severity != "error":
                self.record_warnings.append(message)
            elif message in self.errors.get(field if field in self.fields else NON_FIELD_ERRORS, ()):
                continue  # the model's own clean() said it already (nursing beds above beds)
            elif field in self.fields:
                self.add_error(field, message)
            else:
                self.add_error(None, message)


def division_foreign_keys(model):
    """The names of ``model``'s editable foreign keys to Division (each an autocomplete in the admin)."""
    return tuple(
        field.name for field in model._meta.get_fields()
        if field.many_to_one and field.concrete and field.editable and field.related_model is Division
    )


class ScopedAdmin(PlainWordsAdmin, SimpleHistoryAdmin):
    """Scopes the change list, object pages and division choices by user.

    - street clerks: their own street only; another street's record is a 404;
    - reviewers: everything, read-only (a change POST is a 403);
    - administrators: everything.
    ``bureau_only`` models (e.g. targets) can be changed by administrators only.
    """

    bureau_only = False
    #: The levels a Division foreign key of this model may point to.
    division_levels = (Level.COMMUNITY,)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if scoping.division_path(self.model) is None:  # a city-wide lookup list (services): no street's record
            return queryset
        return scoping.scope(request.user, queryset)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # The stock admin redirects with "doesn't exist"; a record of another street must be a plain 404.
            raise Http404
        return obj

    def _history_check(self, request, object_id):
        """History pages follow the record: 404 outside the user's scope or for a model that keeps no history.

        simple-history looks the record up unscoped (and falls back to the history rows of a deleted record);
        bureau staff may still read the history of deleted records, clerks only of their street's live ones.
        """
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            raise Http404
        if not permissions.can_view_all(request.user):
            self.get_object(request, unquote(object_id))

    def has_module_permission(self, request):
        return permissions.is_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_staff(request.user)

    def has_add_permission(self, request):
        return permissions.can_edit(request.user, bureau_only=self.bureau_only)

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit(request.user, bureau_only=self.bureau_only)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_edit(request.user, bureau_only=self.bureau_only)

    # -- audit history: bureau staff read it, bureau administrators may revert -------------------------------

    def has_view_history_permission(self, request, obj=None):
        # District reviewers read the history of their district's records (scoped by _history_check).
        return permissions.can_read_history(request.user)

    def has_change_history_permission(self, request, obj=None):
        return permissions.can_revert_history(request.user) and self.has_change_permission(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        self._history_check(request, object_id)
        if not self.has_view_history_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._history_check(request, object_id)
        if not self.has_view_history_permission(request):
            raise PermissionDenied
        # simple-history saves a posted revision form after checking only the *view* permission.
        if request.method == "POST" and not self.has_change_history_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # -- no lost updates -------------------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        fields = kwargs.pop("fields") if "fields" in kwargs else flatten_fieldsets(self.get_fieldsets(request, obj))
        if fields is not None:
            fields = [name for name in fields if name != LOCK_FIELD]
        form = super().get_form(request, obj, change, fields=fields, **kwargs)
        form = type(form.__name__, (RecordChecksMixin, form), {})
        if not is_versioned(self.model):
            return form
        return type(form.__name__, (VersionLockMixin, form), {
            LOCK_FIELD: forms.IntegerField(widget=forms.HiddenInput, required=False, label=gettext_lazy("版本")),
        })

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (title, {**options, "fields": [name for name in options["fields"] if name != LOCK_FIELD]})
            for title, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None and fieldsets and is_versioned(self.model) and self.has_change_permission(request, obj):
            title, options = fieldsets[-1]
            fieldsets[-1] = (title, {**options, "fields": [*options["fields"], LOCK_FIELD]})
        return fieldsets

    def get_formsets_with_inlines(self, request, obj=None):
        # Inline rows (an elder's visits) are records too: the same checks as the main form.
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if not issubclass(formset.form, RecordChecksMixin):
                formset.form = type(formset.form.__name__, (RecordChecksMixin, formset.form), {})
            yield formset, inline

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            for row in formset.forms:
                if row.has_changed() and row not in formset.deleted_forms:
                    for message in getattr(row, "record_warnings", []):
                        self.message_user(request, _("警告：%(message)s") % {"message": message}, messages.WARNING)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "GET":
            from core import record_checks

            obj = self.get_object(request, unquote(object_id))
            for message in record_checks.notices(obj):
                self.message_user(request, message, messages.WARNING)
            # What the record's warning rules say now (they never block a save; they are for the editor to see).
            for _field, message, severity in record_checks.issues(obj):
                if severity != "error":
                    self.message_user(request, _("警告：%(message)s") % {"message": message}, messages.WARNING)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEdit as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except DatabaseError:  # rolled back by the change view's transaction; the detail goes to the log
            logger.exception("admin save of %s %s failed in the database", self.model._meta.label, object_id)
            self.message_user(request, _(
                "保存失败：数据库拒绝了这次写入（可能有人同时保存了相同编号的记录，或数据库暂时不可用），"
                "您的修改没有保存。请核对后重试；如问题仍在，请联系管理员（详情已记入系统日志）。"), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The history button only for those who may open it (admin/change_form_object_tools.html): no 403 link.
        context.setdefault("entry_labels", entry_labels())
        context.setdefault("hide_history", not self.has_view_history_permission(request, obj)
                           or not hasattr(self.model._meta, "simple_history_manager_attribute"))
        if obj is not None:  # what other apps show on this record's page (core.contributions)
            context["panels"] = [panel for _app, panels in contributions("admin_panels", request, obj) for panel in panels]
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_autocomplete_fields(self, request):
        # A bureau administrator's division <select> would list every community (60,000 in a province: a 4 MB,
        # 20 s page); the admin's autocomplete asks DivisionAdmin, scoped by the user, for 20 at a time. A clerk's
        # choices are their own street's few communities: a plain <select> (90 ms at 40x) is quicker to use.
        own = super().get_autocomplete_fields(request)
        if permissions.is_clerk(request.user):
            return own
        return (*own, *division_foreign_keys(self.model))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Division and "queryset" not in kwargs:  # a subclass may choose others
            kwargs["queryset"] = scoping.divisions_for(request.user, levels=self.division_levels).select_related(
                "street", "district"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and is_versioned(type(obj)):
            captured = form.cleaned_data.get(LOCK_FIELD)
            if captured is None:
                captured = obj.version
            # Atomic compare-and-set: only the save that still holds the version it read wins.
            won = type(obj)._default_manager.filter(pk=obj.pk, version=captured).update(version=F("version") + 1)
            if not won:
                raise ConcurrentEdit(_conflict_message(obj, captured))
            obj.version = captured + 1
        super().save_model(request, obj, form, change)
        for message in getattr(form, "record_warnings", []):
            self.message_user(request, _("警告：%(message)s") % {"message": message}, messages.WARNING)


class VerifierAdmin:
    """The 核实人 of a centre or facility as a name: Django's read-only field would link to the user's account
    page, which only the bureau may open."""

    @admin.display(description=gettext_lazy("核实人"))
    def verifier(self, obj):
        user = obj.verified_by if obj is not None else None
        if user is None:
            return "-"
        return user.get_full_name() or user.get_username()


class ScopedInline:
    """Rows edited on their parent's page (a team's members, an elder's visits, a plan's targets).

    Whoever may change the parent may change its rows; ``bureau_only`` rows (targets) are read by bureau
    staff and changed by administrators. The answer is kept per parent for this inline's life (one request).
    """

    bureau_only = False

    def has_view_permission(self, request, obj=None):
        if self.bureau_only:
            return permissions.can_view_all(request.user)
        return permissions.is_staff(request.user)

    def _can_edit(self, request, obj):
        answers = self.__dict__.setdefault("_edit_answers", {})
        key = (request.user.pk, obj.pk if obj is not None else None)
        if key not in answers:
            answers[key] = permissions.can_edit(request.user, obj, bureau_only=self.bureau_only)
        return answers[key]

    def has_add_permission(self, request, obj=None):
        return self._can_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._can_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._can_edit(request, obj)


class CityWideAdmin(PlainWordsAdmin):
    """What belongs to the city bureau: its staff read it, administrators change it, clerks don't see it.

    A mixin like ``PlainWordsAdmin`` (whose clerk's words it keeps): put it before the ModelAdmin base.

    Accounts, the holiday calendar, import batches, plans and targets, validation rules. Set ``addable``,
    ``changeable`` or ``deletable`` to False for what nobody creates, changes or deletes by hand.
    """

    addable = changeable = deletable = True

    def has_module_permission(self, request):
        return permissions.can_view_all(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_view_all(request.user)

    def has_add_permission(self, request, obj=None):
        return self.addable and permissions.is_bureau_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return self.changeable and permissions.is_bureau_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return self.deletable and permissions.is_bureau_admin(request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a posted revision after checking only the view permission: reviewers read.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

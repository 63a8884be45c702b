"""The admin in a clerk's words, where Django's catalogue cannot say it: the empty choice (of forms and list
filters), yes/no icons, the action menu, the delete confirmation's list, simple-history's pages and the words of
the change forms' helpers."""

from django.apps import apps
from django.contrib.admin import RelatedFieldListFilter, RelatedOnlyFieldListFilter
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP
from django.templatetags.static import static
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay

from core.html import format_html

#: What an empty choice says instead of Django's “---------”.
EMPTY_CHOICE = gettext_lazy("请选择")


def _boolean_icon(value):
    """Django's yes/no/unknown icon, with its text for screen readers in the page's language.

    Django writes ``alt="True"`` (the Python value) whatever the language; lists and read-only fields of every
    admin page use this one function, so it is replaced here rather than column by column.
    """
    name, text = {True: ("yes", _("是")), False: ("no", _("否")), None: ("unknown", _("未知"))}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), text)


admin_list._boolean_icon = _boolean_icon


def entry_labels():
    """The words of the change forms' helpers (static/js/admin-entry.js: the week editor, the map pin), in the
    page's language; the script has no words of its own and reads these from a JSON script on the page."""
    return {
        "hoursGroup": _("开放时间快捷填写"),
        "presets": _("常用时段："),
        "fillMonday": _("填入周一"),
        "fillWeekdays": _("填入周一至周五"),
        "copyMonday": _("复制周一到每天"),
        "closed": _("休息"),
        "allDay": _("24 小时"),
        "pin": _("位置标记：可拖动"),
    }


def say_choose(field):
    """An empty choice reads “请选择”, not Django's “---------”."""
    if getattr(field, "empty_label", None) == "---------":
        field.empty_label = EMPTY_CHOICE
    choices = list(getattr(field, "choices", None) or []) if not hasattr(field, "queryset") else []
    if choices and choices[0] == ("", "---------"):
        field.choices = [("", EMPTY_CHOICE), *choices[1:]]
    return field


def display_value(field, value):
    """A stored value as the form shows it (a choice's label, a related record's name, 空 for nothing)."""
    if value in (None, ""):
        return _("空")
    if field.is_relation and not hasattr(value, "pk"):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


class _ShortenedDiff(ObjDiffDisplay):
    def shortened_str(self, prefix, num_skipped_chars, suffix):
        return _("%(prefix)s［省略 %(count)d 字］%(suffix)s") % {
            "prefix": prefix, "count": num_skipped_chars, "suffix": suffix}


class _HistoryContext(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        # The list of changes shows stored values (“construction → operating”, “None”): show what the form shows.
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        return display_value(field, value)

    def get_obj_diff_display(self):
        return _ShortenedDiff(max_length=self.max_displayed_delta_change_chars)


class _PlainEmptyChoice:
    """A relation filter's empty choice says “无” instead of Django's bare “-”, and a path through another record
    (a team's ``community__district``) has none: every community has its district, so “-” would list nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = _("无")

    @property
    def include_empty_choice(self):
        return super().include_empty_choice and LOOKUP_SEP not in self.field_path


class PlainRelatedFilter(_PlainEmptyChoice, RelatedFieldListFilter):
    pass


class PlainRelatedOnlyFilter(_PlainEmptyChoice, RelatedOnlyFieldListFilter):
    pass


def plain_filter(model, entry):
    """``list_filter``'s ``entry`` with the plain empty choice, where it filters by a related record."""
    if isinstance(entry, str):
        try:
            field = get_fields_from_path(model, entry)[-1]
        except (FieldDoesNotExist, NotRelationField):  # not a field path: Django's checks report it
            return entry
        return (entry, PlainRelatedFilter) if field.is_relation else entry
    if isinstance(entry, (list, tuple)) and entry[1] is RelatedOnlyFieldListFilter:
        return (entry[0], PlainRelatedOnlyFilter)
    if isinstance(entry, (list, tuple)) and entry[1] is RelatedFieldListFilter:
        return (entry[0], PlainRelatedFilter)
    return entry


class PlainWordsAdmin:
    """What every portal ModelAdmin says in a clerk's words, where Django's catalogue cannot: the empty
    choice, the action menu, the delete confirmation's list and simple-history's pages."""

    # simple-history's past-version page, with the record's own names in the breadcrumbs (not "Historical …").
    object_history_form_template = "admin/record_history_form.html"
    object_history_list_template = "admin/record_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        # A long value in the list of changes is shortened with “[N chars]”; this says it in Chinese.
        return _HistoryContext(self.model, historical_record)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            say_choose(field)
        return field

    def get_deleted_objects(self, objs, request):
        """Django's list of what a delete takes with it, without the rows of many-to-many link tables
        (“Team_fields object (1)”): a clerk ticked those boxes, they are not records of their own."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [model._meta for model in apps.get_models(include_auto_created=True) if model._meta.auto_created]
        prefixes = tuple(f"{capfirst(opts.verbose_name)}: " for opts in links)
        plurals = {str(opts.verbose_name_plural) for opts in links}

        def prune(items):
            kept = []
            for item in items:
                if isinstance(item, list):
                    item = prune(item)
                    if item:
                        kept.append(item)
                elif not str(item).startswith(prefixes):
                    kept.append(item)
            return kept

        model_count = {name: count for name, count in model_count.items() if str(name) not in plurals}
        return prune(to_delete), model_count, perms_needed, protected

    def get_list_filter(self, request):
        return [plain_filter(self.model, entry) for entry in super().get_list_filter(request)]

    def get_action_choices(self, request, default_choices=None):
        # Django's blank choice is “---------”; a clerk reads words.
        return super().get_action_choices(request, default_choices=[("", _("请选择要执行的操作"))])

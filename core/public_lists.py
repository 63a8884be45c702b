"""The one pattern of the residents' public lists (/facilities/, /eldercare/, /volunteers/).

Each list is a form of filters → a capped page of rows → each row with today's hours and "open now" →
one template. This module holds the parts they share:

- ``filter_fields(form)``: the filter form's fields as HTML, written here in one pass with ``core.html.fragment``.
  Rendering them through crispy-forms or Django's widget templates (a template per field, an include per
  <option> and per attribute) was a third to a half of an uncached list page's time, at any size of city.
- ``page_query(request)``: the page's GET parameters without ``page``, for the pager's links.
- ``pk_url(name)``: a row's detail link built from its pk (one ``reverse`` a page).
- ``per_language(build)``: words that are the code's constants (a closed list's labels) built once a process
  per language.
"""

from functools import wraps

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core import reference
from core.html import fragment, join
from core.places import CappedPaginator

_TEXT_WIDGETS = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput)
_OPTION = '<option value="{}"{}>{}</option>'
_SELECTED = SafeString(" selected")


def _control_class(widget, default):
    classes = widget.attrs.get("class", "")
    return classes if default in classes.split() else f"{default} {classes}".strip()


def _attrs(bound, widget, default_class, describedby):
    attrs = {**widget.attrs, "name": bound.html_name, "id": bound.auto_id, "class": _control_class(widget, default_class)}
    if bound.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = describedby
    if bound.field.disabled:
        attrs["disabled"] = True
    return attrs


def _selected_values(bound):
    value = bound.value()
    if value is None:
        return {""}
    if isinstance(value, list | tuple):
        return {str(item) for item in value}
    return {str(getattr(value, "pk", value))}


def _options(bound):
    chosen = _selected_values(bound)
    # core.html.fragment, not format_html: a <select> of a city's districts is a hundred options a page.
    return join(
        fragment(_OPTION, value, _SELECTED if value in chosen else "", label)
        for value, label in ((str(value), label) for value, label in bound.field.choices)
    )


def _control(bound, describedby, *, with_label=True):
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxInput):
        attrs = _attrs(bound, widget, "form-check-input", describedby)
        attrs["type"] = "checkbox"
        if bound.value() not in (None, False, "", "false", "False", "0", "off"):
            attrs["checked"] = True
        return fragment(
            '<div class="form-check"><input{}><label class="form-check-label" for="{}">{}</label></div>',
            flatatt(attrs), bound.auto_id, bound.label,
        )
    label = fragment('<label class="form-label" for="{}">{}</label>', bound.auto_id, bound.label) if with_label else ""
    if isinstance(widget, forms.Select):
        attrs = _attrs(bound, widget, "form-select", describedby)
        return fragment("{}<select{}>{}</select>", label, flatatt(attrs), _options(bound))
    if isinstance(widget, _TEXT_WIDGETS):
        attrs = _attrs(bound, widget, "form-control", describedby)
        attrs["type"] = "search" if bound.name == "q" else widget.input_type
        value = bound.value()
        if value not in (None, ""):
            attrs["value"] = str(getattr(value, "name", value))
        return fragment("{}<input{}>", label, flatatt(attrs))
    return format_html("{}{}", label, bound)  # any other widget: Django's own rendering


def filter_fields(form, wrapper="mb-3"):
    """Every field of a GET filter form: a wrapper ``<div>`` each with its label, control and errors.

    ``wrapper`` is the wrapper's class; a form's ``field_wrappers`` (``{name: class}``) overrides it per field.
    """
    parts = []
    wrappers = getattr(form, "field_wrappers", {})
    for bound in form:
        describedby = f"{bound.auto_id}_errors"
        errors = ""
        if bound.errors:
            errors = format_html(
                '<div class="invalid-feedback d-block" id="{}">{}</div>',
                describedby, format_html_join(" ", "{}", ((error,) for error in bound.errors)),
            )
        parts.append(fragment('<div class="{}">{}{}</div>', wrappers.get(bound.name, wrapper), _control(bound, describedby), errors))
    return join(parts, "\n")


class Unfiltered:
    """A public list's filters when none is chosen (``unfiltered``): what its view and template ask of them, the
    filter set or form itself built only when asked for more. Its fields' markup is kept per language
    (``unbound_filter_fields``), and the list's statements are compiled once a process, so building them (the
    filters deep-copied, the querysets cloned: 0.8–1 ms, a sixth of the page) is needed only to fill those.

    ``kind``: the filter set's or form's class; ``build()``: builds one, unbound."""

    is_bound = False
    data = {}

    def __init__(self, kind, build):
        self.kind, self._build = kind, build

    @cached_property
    def built(self):
        return self._build()

    @property
    def form(self):
        return getattr(self.built, "form", self.built)

    def chosen(self):
        return None

    def open_now_chosen(self):
        return False


def _filtered_rows(filters):
    return filters.qs


def filtered_list(request, name, kind, build, with_names, per_page, rows=_filtered_rows, total=None):
    """``(filters, paginator)`` of the public list ``name``: without filters (``unfiltered``), an ``Unfiltered`` and a
    paginator whose statements are compiled once a process, its querysets built only for that; else
    ``build(request.GET)`` (a ``kind`` filter set or form with ``chosen()`` and ``open_now_chosen()``) and a
    paginator over its rows. ``rows(filters)`` is the queryset they select (a filter set's ``qs``);
    ``with_names(rows)`` adds the columns the page shows (the count reads ``rows`` alone). Declare what the page
    depends on before ``get_page``: the paginator reads nothing until then. ``total``: the name of the kept total
    (``core.kept_figures``) of the unfiltered list's rows, its count without counting them (a statement of the
    list's every request, 0.3 ms at either size: it stops at the cap)."""
    prepared_as = unfiltered(request, name)
    if prepared_as:
        filters = Unfiltered(kind, build)
        return filters, CappedPaginator(lambda: with_names(rows(filters.built)), per_page,
                                        counted=lambda: rows(filters.built), prepared_as=prepared_as, total=total)
    filters = build(request.GET)
    selected = rows(filters)
    # Filtered: a page is cut from the ids found when no more than the cap match (a box's words, a street's
    # name: the database can't tell where in the list's order they lie); see ``CappedPaginator``.
    return filters, CappedPaginator(with_names(selected), per_page, counted=selected, among_found=True)


def unbound_filter_fields(filters, wrapper="mb-3"):
    """``filter_fields`` of a form or a FilterSet (its ``form``); the fields of an unbound one — a list opened
    with no filter (any of its pages), the page most visitors land on — are built once per language and kept in
    the process until the public data changes (``core.reference``): its options are the districts and closed
    lists alone."""
    if filters.is_bound and set(filters.data) - {"page"}:  # another page of the unfiltered list: the same fields
        return filter_fields(getattr(filters, "form", filters), wrapper)
    kind = getattr(filters, "kind", type(filters))  # an ``Unfiltered``'s, or the form's own class
    name = f"filter-fields:{kind.__module__}.{kind.__qualname__}:{wrapper}:{get_language()}"
    return reference.kept(name, lambda: filter_fields(getattr(filters, "form", filters), wrapper))


def field_control(bound):
    """One field's control alone (its page writes the label and layout), rendered as ``filter_fields`` does."""
    return _control(bound, f"{bound.auto_id}_errors", with_label=False)


def choice_labels(choices):
    """``{value: label}`` of a closed list, translated once for a page.

    ``get_FOO_display()`` (and a closed-list row's ``__str__``) hashes every choice's lazy label on each call —
    a translation lookup per choice per row, a tenth of a list page's time."""
    return {value: str(label) for value, label in choices}


def per_language(build):
    """``build()`` (no arguments) once a process for each language, then its result again: for words that cannot
    change between requests (a closed list's labels, translated). The result is shared: never change it."""
    built = {}

    @wraps(build)
    def words():
        language = get_language()
        if language not in built:
            built[language] = build()
        return built[language]

    return words


_PK_MARK = 2_147_480_001  # a pk no row has: reversed once, then replaced by each row's pk


def pk_url(name):
    """``url(pk)`` for the named ``<int:pk>`` URL: one ``reverse()`` for a whole page of rows, not one per row."""
    before, after = reverse(name, args=[_PK_MARK]).split(str(_PK_MARK), 1)
    return lambda pk: f"{before}{int(pk)}{after}"


def own_fields_and_names(model, *divisions):
    """For ``only()``: every column of ``model`` and, of each related division at ``divisions`` (followed with
    ``select_related``), its name alone: a detail page names its community, street and district, and reading
    their whole rows was most of the query's compile time and of the rows' building."""
    return (*(field.name for field in model._meta.concrete_fields), *(f"{path}__name" for path in divisions))


def unfiltered(request, name):
    """``name`` when the list is opened without filters (no GET parameter but ``page``): its queries are then the
    same for every request, compiled once a process (``CappedPaginator(prepared_as=…)``); else None."""
    return name if set(request.GET) <= {"page"} else None


def page_query(request):
    """The request's GET parameters without ``page``, url-encoded (the pager adds its own)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()

"""The district → street cascade of the public filters, and a paginator whose cost doesn't grow with the city.

A city at 40× has 6,000 streets: one <select> of all of them is most of a list page's weight and of its
render time. The street list therefore only holds the chosen district's streets (a district has a few
dozen at most); a link that names only a street gets its district filled in (one query). A real city has
a dozen or two districts, listed in a <select>; beyond ``DISTRICT_SELECT_LIMIT`` (a generated city at
scale) the district is typed by name instead, so the page doesn't grow with them either.
"""

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.forms.models import ModelChoiceIterator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core import kept_figures, reference
from core.compiled import compiled
from core.compiled import cursor as prepared_cursor
from core.models import Division

DISTRICT_SELECT_LIMIT = 60


def listed_districts(*, by="pk"):
    """``[(value, name), …]`` of the city's districts by code (``value`` their ``by`` field), or None when
    there are more than a <select> should list: at most one query either way (``DISTRICT_SELECT_LIMIT + 1``
    rows), kept in the process until a division changes (core.reference). Never change the list returned."""
    def read():
        rows = list(Division.objects.districts().order_by("code").values_list(by, "name")[: DISTRICT_SELECT_LIMIT + 1])
        return None if len(rows) > DISTRICT_SELECT_LIMIT else rows

    return reference.kept(f"districts-by-{by}", read)


def offer_districts(field):
    """A district ModelChoiceField's options read with one query (``listed_districts``), or — past the limit —
    a text field for the district's name. Its validation still goes through its queryset."""
    rows = listed_districts(by=field.to_field_name or "pk")
    if rows is None:
        field.widget = district_text_widget()
    else:
        # Set as plain choices (django-filter's fields would wrap them in their own iterator).
        forms.ChoiceField.choices.fset(field, [("", field.empty_label), *rows])


def district_text_widget():
    return forms.TextInput(attrs={"class": "form-control", "placeholder": _("输入区县名称"), "maxlength": 100})


def resolve_district(value, *, by="pk"):
    """The ``by`` value of the district named by ``value`` (its pk or code, or its exact name), or None."""
    if value in (None, ""):
        return None
    districts = Division.objects.districts()
    if by == "pk" and _int(value) is not None:
        return _int(value)
    if by == "code" and districts.filter(code=value).exists():
        return value
    return districts.filter(name=str(value).strip()).values_list(by, flat=True).first()


class ListedChoiceIterator(ModelChoiceIterator):
    """A <select>'s choices read as one plain query.

    Django reads a ModelChoiceField's choices with ``QuerySet.iterator()``, which on PostgreSQL opens a
    server-side cursor (``DECLARE … WITH HOLD``): two extra round trips and a materialised result, 10–20 ms
    per <select> on a busy server — most of an uncached list page's database time.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        label_field = self.field.label_field
        if label_field is None:
            for obj in self.queryset.all():
                yield self.choice(obj)
        else:  # the values alone: no record built per option
            yield from self._values(self.field.to_field_name or "pk", label_field)

    def _values(self, value_field, label_field):
        queryset = self.queryset
        rows = queryset.values_list(value_field, label_field)
        query = queryset.query
        if not reference.is_reference(queryset.model) or query.where or query.is_sliced or query.extra:
            return rows
        # A whole closed list (the services, the service fields): kept in the process until one changes.
        name = f"options:{queryset.model._meta.label}:{value_field}:{label_field}:{query.order_by}:{query.default_ordering}"
        return reference.kept(name, lambda: list(rows))


class ListedChoices:
    """For a ModelChoiceField: choices read as one plain query (``ListedChoiceIterator``).

    ``label_field``: the column an option's label is (its value and that column read, no records); None labels
    each option by ``label_from_instance``."""

    iterator = ListedChoiceIterator
    label_field = None


class NameFallback(ListedChoices):
    """For a ModelChoiceField of divisions: a value that is no pk or code may be the division's exact name.
    Options are labelled by the division's name."""

    label_field = "name"

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            match = self.queryset.filter(name=str(value).strip()).first()
            if match is None:
                raise
            return match

    def label_from_instance(self, obj):
        return obj.name


class DistrictChoiceField(NameFallback, forms.ModelChoiceField):
    """A district by its pk or code, or — typed into a text field — by its exact name."""


class DivisionNameField(NameFallback, django_filters.fields.ModelChoiceField):
    pass


class DivisionChoiceFilter(django_filters.ModelChoiceFilter):
    """A public list's division filter (django-filter): a pk or code, or the division's exact name."""

    field_class = DivisionNameField


class ListedChoiceField(ListedChoices, django_filters.fields.ModelChoiceField):
    label_field = "name"  # the services', the fields' and the divisions' own str()


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    """A public list's filter by a record (a street, a service) whose options are read as (pk, name) pairs."""

    field_class = ListedChoiceField


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def fill_district(data, *, by="pk"):
    """``(data, district)``: the GET data with ``district`` filled in from ``street`` when only a street is given.

    ``by`` is the field the parameters name a division by (``"pk"`` or ``"code"``); ``district`` is that
    value of the chosen district, or None.
    """
    if data is None:
        return None, None
    district, street = data.get("district") or None, data.get("street") or None
    if district is not None:
        district = resolve_district(district, by=by)
    if by == "pk":
        street = _int(street)
    if district is None and street is not None:
        district = (
            Division.objects.streets().filter(**{by: street}).values_list(f"district__{by}", flat=True).first()
        )
        if district is not None:
            data = data.copy()
            data["district"] = str(district)
    return data, district


def streets_of(district, *, by="pk"):
    """The streets of one district (``by`` its pk or code), by code; none when no district is chosen."""
    if district is None:
        return Division.objects.none()
    return Division.objects.streets().filter(**{f"district__{by}": district}).order_by("code")


class CappedPaginator(Paginator):
    """Pages over at most ``cap`` rows: the count and the deepest OFFSET stay bounded at any size.

    ``capped`` tells the template that more rows match than are paged ("narrow your search").
    """

    cap = 1000

    def __init__(self, object_list, per_page, *args, counted=None, prepared_as=None, total=None, among_found=False,
                 **kwargs):
        # ``counted``: the rows to count when ``object_list`` adds columns (joins) that the count doesn't need.
        # ``prepared_as``: a name for a list whose queries don't change between requests (a public list opened
        # without filters): its count and each page's rows are compiled once a process (``core.compiled``). Then
        # ``object_list`` and ``counted`` may be functions that build the querysets: called only to compile.
        # ``total``: the name of a whole-deployment total an app keeps (``core.kept_figures.totals``) that is the
        # count of ``counted`` (a public list opened without filters): read instead of counting the rows.
        # ``among_found``: the rows are selected by words (a ``LIKE`` the database estimates from a histogram, which
        # can't see that a street's name matches only that street's rows): the count reads the ids of the first
        # ``cap + 1`` rows found instead of counting them, and when they are all there is, a page is ordered and
        # cut from those ids. Walking the list's order until a page's worth matched read every row before them
        # (120,000 centres for a street's 17 at 40×: 170 ms); sorting what was found is bounded by the cap.
        self._counted = counted
        self.prepared_as = prepared_as
        self.total = total
        self.among_found = among_found and prepared_as is None and total is None
        self.found = None  # the ids of every matching row, when ``among_found`` and no more than ``cap`` match
        super().__init__(object_list, per_page, *args, **kwargs)

    @property
    def object_list(self):
        return self.querysets[0]

    @object_list.setter
    def object_list(self, given):  # Paginator.__init__'s
        self._given = given

    def _check_object_list_is_ordered(self):
        if not callable(self._given):  # a list built to compile is ordered by its queryset's own order
            super()._check_object_list_is_ordered()

    @cached_property
    def querysets(self):
        """``(object_list, counted)``, built if given as functions."""
        rows = self._given() if callable(self._given) else self._given
        counted = self._counted() if callable(self._counted) else self._counted
        return rows, (rows if counted is None else counted)

    def page(self, number):
        """The page's rows: ``object_list`` (with its joins) for the ``pk``s that ``counted`` (without them) puts
        on that page — a subquery, so that the database orders and skips the lighter rows and joins only the
        page's. (On the 1× city the last page's joins of every operating centre's names before the sort took
        7.7 of its 8 ms in PostgreSQL.) The first page skips nothing: its joins stop at its own rows, and the
        subquery only added planning (+0.1–0.4 ms at 40×)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count

        def sliced():
            rows, counted = self.querysets
            if self.found is not None:  # ``count`` (read above by ``validate_number``) found them
                among = rows.filter(pk__in=self.found)
                counted = among if counted is rows else counted.filter(pk__in=self.found)
                rows = among
            return rows[bottom:top] if counted is rows else keyed_slice(rows, bottom, top, counted)

        if self.prepared_as is None:
            rows = sliced()
        else:
            query = compiled(("page", self.prepared_as, bottom, top), lambda: _loaded_values(sliced()))
            rows = query.instances(query.queryset.model)
        return self._get_page(rows, number, self)

    @cached_property
    def count(self):
        def counted():
            return capped_count(lambda: self.querysets[1].order_by().values("pk")[: self.cap + 1],
                                prepared_as=self.prepared_as, cap=self.cap)

        if self.among_found:
            ids = list(self.querysets[1].order_by().values_list("pk", flat=True)[: self.cap + 1])
            found = len(ids)
            self.found = ids if found <= self.cap else None
        elif self.total is None:
            found = counted()
        else:
            found = kept_figures.totals({self.total: counted})[self.total]
        self.capped = found > self.cap
        return min(found, self.cap)

    capped = False


def keyed_slice(rows, low, high, keys=None):
    """``rows[low:high]``; past the first rows, the rows whose ``pk``s ``keys`` (``rows`` itself by default: without
    the joins its columns need) puts there, a subquery: the database orders and skips the narrow rows, and joins
    only the slice's. The first rows skip nothing: their joins stop at the slice's own rows."""
    if not low:
        return rows[:high]
    return rows.filter(pk__in=(rows if keys is None else keys).values("pk")[low:high])


_COUNTS = {}  # (list's name, its cap) → (sql, params, database) of the capped count


def _loaded_values(rows):
    """``rows`` as ``values()`` of the columns the queryset loads and its annotations (for ``Prepared.instances``)."""
    query = rows.query
    loaded, deferring = query.deferred_loading
    own = [
        field.attname for field in rows.model._meta.concrete_fields
        if field.primary_key or (field.name in loaded) != deferring
    ]
    return rows.values(*own, *query.annotations)


def capped_count(limited, prepared_as=None, cap=None):
    """``limited().count()`` of a sliced ``values("pk")`` queryset (``limited`` builds it): the same
    ``SELECT COUNT(*) FROM (…) subquery``, sent without ``QuerySet.count()``'s aggregation machinery (which wraps,
    clones and resolves the sliced query again: a millisecond of every list page, twice what compiling the query
    costs). With ``prepared_as`` (the list's name) and ``cap`` (its slice's end less one), the statement is built
    once a process and sent prepared (``core.compiled.cursor``)."""
    try:
        if prepared_as is None:
            queryset = limited()
            sql, params, db = *queryset.query.sql_with_params(), queryset.db  # the statement as QuerySet.query prints it
        else:
            key = (prepared_as, cap)  # the SQL's one variable part
            if key not in _COUNTS:
                queryset = limited()
                _COUNTS[key] = (*queryset.query.sql_with_params(), queryset.db)
            sql, params, db = _COUNTS[key]
    except EmptyResultSet:
        return 0
    connection = connections[db]
    with (connection.cursor() if prepared_as is None else prepared_cursor(connection)) as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) subquery", params)  # noqa: S608  # compiled by the ORM  # nosec B608
        return cursor.fetchone()[0]


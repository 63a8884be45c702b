import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Division
from core.opening import filter_open_at
from core.places import (
    DivisionChoiceFilter,
    ListedChoiceFilter,
    fill_district,
    offer_districts,
    streets_of,
)
from core.search_text import containing
from facilities.models import Service

UNREAD = object()  # no calendar row passed: "open now" looks today's up


class PublicCentreFilter(django_filters.FilterSet):
    """What a resident can narrow the list by. ``moment`` is the page's “now” (Asia/Shanghai)."""

    q = django_filters.CharFilter(label=_("名称、地址、社区或服务"), method="search")
    district = DivisionChoiceFilter(
        label=_("区县"), field_name="community__district", queryset=Division.objects.districts(), empty_label=_("全部区县")
    )
    street = DivisionChoiceFilter(
        label=_("街道乡镇"), field_name="community__street", queryset=Division.objects.streets(), empty_label=_("全部街道乡镇")
    )
    service = ListedChoiceFilter(
        label=_("服务项目"), field_name="services", queryset=Service.objects.all(), empty_label=_("全部服务项目")
    )
    open_now = django_filters.BooleanFilter(label=_("只看正在开放的"), method="filter_open_now", widget=forms.CheckboxInput)

    def __init__(self, data=None, *args, moment=None, special=UNREAD, **kwargs):
        # ``special``: the day's calendar row (or None) when the caller has read it for ``moment``; else looked up.
        self.moment, self.special = moment, special
        data, district = fill_district(data)
        super().__init__(data, *args, **kwargs)
        # The cascade: only the chosen district's streets (core.places).
        self.filters["street"].queryset = streets_of(district)
        offer_districts(self.filters["district"].field)  # its options, or a text field in a big city: one query

    def chosen(self):
        """The street, else the district, the visitor narrowed to (valid values only), or None."""
        if not self.is_bound or not self.form.is_valid():
            return None
        return self.form.cleaned_data.get("street") or self.form.cleaned_data.get("district")

    def open_now_chosen(self):
        return self.is_bound and self.form.is_valid() and bool(self.form.cleaned_data.get("open_now"))

    def search(self, queryset, name, value):
        """Every word in the centre's kept text (``core.search_text``: its name, address, community, street,
        district and services), as the residents' one search finds it."""
        return queryset.filter(containing(value))

    def filter_open_now(self, queryset, name, value):
        if not value:
            return queryset
        if self.special is UNREAD:
            return filter_open_at(queryset, self.moment)
        return filter_open_at(queryset, self.moment, self.special, lookup=False)

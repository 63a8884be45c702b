"""The public team list's filters: district, street, service field."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.models import Division, Level
from core.places import (
    DivisionChoiceFilter,
    ListedChoiceFilter,
    fill_district,
    offer_districts,
    streets_of,
)
from volunteers.models import ServiceField, Team


class TeamFilter(django_filters.FilterSet):
    district = DivisionChoiceFilter(
        label=_("区县"),
        field_name="community__district",
        queryset=Division.objects.filter(level=Level.DISTRICT).order_by("code"),
        empty_label=_("全部区县"),
    )
    street = ListedChoiceFilter(
        label=_("街道乡镇"),
        field_name="community__street",
        queryset=Division.objects.filter(level=Level.STREET).order_by("code"),
        empty_label=_("全部街道乡镇"),
    )
    field = ListedChoiceFilter(
        label=_("服务领域"),
        field_name="fields",
        queryset=ServiceField.objects.order_by("name"),
        empty_label=_("全部领域"),
    )

    class Meta:
        model = Team
        fields = ["district", "street", "field"]

    def __init__(self, data=None, *args, **kwargs):
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

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.dates import month_bounds
from core.fields import normalise_phone
from core.hours import WEEKDAY_FIELDS, normalise_hours
from core.models import Division, Level
from core.places import (
    DistrictChoiceField,
    ListedChoices,
    district_text_widget,
    fill_district,
    offer_districts,
    streets_of,
)
from eldercare.models import CareService, Elder, ElderCategory, Facility, FacilityKind, Visit

HOURS_FIELDS = (*WEEKDAY_FIELDS, "hours_holiday")


class ListedModelChoiceField(ListedChoices, forms.ModelChoiceField):
    pass


class ClosedListChoices(ModelChoiceIterator):
    """The options of a closed list (``ClosedList``): its ``Code`` choices, which the migration loads as its rows
    in the same order, so that the <select> needs no query; a submitted code is still looked up."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.model.Code.choices

    def __len__(self):
        return len(self.queryset.model.Code.choices) + (self.field.empty_label is not None)


class ClosedListChoiceField(forms.ModelChoiceField):
    iterator = ClosedListChoices


class FacilityFilterForm(forms.Form):
    """The resident's filters on /eldercare/ (GET; an unknown value is simply ignored)."""

    q = forms.CharField(label=_("名称、地址或社区"), required=False, max_length=50)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *FacilityKind.choices])
    district = DistrictChoiceField(
        label=_("区县"), required=False, to_field_name="code", empty_label=_("全部区县"),
        queryset=Division.objects.districts().order_by("code"),
    )
    street = ListedModelChoiceField(
        label=_("街道乡镇"), required=False, to_field_name="code", empty_label=_("全部街道乡镇"),
        queryset=Division.objects.streets().order_by("code"),
    )
    service = ClosedListChoiceField(
        label=_("服务项目"), required=False, to_field_name="code", empty_label=_("全部服务项目"),
        queryset=CareService.objects.all(),
    )
    open_now = forms.BooleanField(label=_("只看正在开放的"), required=False)

    field_wrappers = {"q": "col-12 col-md-4", "open_now": "col-12 col-md-6"}  # core.public_lists.filter_fields

    def __init__(self, data=None, *args, **kwargs):
        data, district = fill_district(data, by="code")
        super().__init__(data, *args, **kwargs)
        # The cascade: only the chosen district's streets (core.places).
        self.fields["street"].queryset = streets_of(district, by="code")
        offer_districts(self.fields["district"])  # its options, or a text field in a big city: one query
        for name in ("kind", "district", "street", "service"):
            if isinstance(self.fields[name].widget, forms.Select):
                self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self):
        """Keyword arguments for ``selectors.public_facilities`` from the valid fields only."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "kind": data.get("kind") or None,
            "district": data.get("district"),
            "street": data.get("street"),
            "service": data.get("service"),
            "open_now": bool(data.get("open_now")),
            "text": (data.get("q") or "").strip(),
        }

    def chosen(self):
        """The street, else the district, chosen (valid values only), or None: as the filter sets' ``chosen``."""
        filters = self.filters()
        return filters["street"] or filters["district"]

    def open_now_chosen(self):
        return self.filters()["open_now"]


class NearestForm(forms.Form):
    """Three steps that work without JavaScript: the district, then one of its streets, then one of its communities.

    A city has thousands of streets and communities: one grouped <select> of them is hundreds of
    kilobytes on a phone, so each list only holds the children of the step before.
    """

    district = forms.ChoiceField(
        label=_("我所在的区县"), choices=(), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    street = forms.ChoiceField(
        label=_("我所在的街道乡镇"), choices=(), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    community = forms.ChoiceField(
        label=_("我所在的社区"), choices=(), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, districts=None, streets=(), communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        if districts is None:  # too many to list (core.places): typed by name
            self.fields["district"] = forms.CharField(
                label=self.fields["district"].label, required=False, widget=district_text_widget()
            )
        else:
            self.fields["district"].choices = [("", _("请选择区县")), *districts]
        self.fields["street"].choices = [("", _("请选择街道乡镇")), *streets]
        self.fields["community"].choices = [("", _("请选择社区")), *communities]


class StreetChoiceForm(forms.Form):
    street = forms.ModelChoiceField(label=_("街道乡镇"), to_field_name="code", queryset=Division.objects.none())

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets


class CategoryFilterForm(forms.Form):
    """The visits to-do by category (an elder may have several): 只看 独居 …"""

    category = forms.ModelChoiceField(
        label=_("类别"), to_field_name="code", required=False, empty_label=_("全部类别"),
        queryset=ElderCategory.objects.all(), widget=forms.Select(attrs={"class": "form-select"}),
    )


class VisitRecordForm(forms.Form):
    """A visit of this month or the last one (E5 counts months; a visit not yet made can't be recorded)."""

    method = forms.ChoiceField(label=_("探访方式"), choices=Visit.Method.choices, initial=Visit.Method.IN_PERSON)
    visited_on = forms.DateField(label=_("探访日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, today=None, **kwargs):
        from eldercare.selectors import local_today

        super().__init__(*args, **kwargs)
        self.today = today or local_today()
        this_month, _next = month_bounds(self.today)
        self.earliest, _end = month_bounds(this_month.replace(day=1) - timedelta(days=1))
        attrs = self.fields["visited_on"].widget.attrs
        attrs.update(min=self.earliest.isoformat(), max=self.today.isoformat())
        self.fields["visited_on"].initial = self.today

    def clean_visited_on(self):
        day = self.cleaned_data.get("visited_on") or self.today
        if day > self.today:
            raise ValidationError(_("探访日期 %(day)s 在今天之后：只能登记已经完成的探访。"), params={"day": day})
        if day < self.earliest:
            raise ValidationError(
                _("探访日期 %(day)s 早于上月 1 日（%(earliest)s）：更早的探访请在后台“探访记录”中登记。"),
                params={"day": day, "earliest": self.earliest},
            )
        return day


# --- admin ------------------------------------------------------------------------------------------------


class DivisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.level == Level.STREET:
            return _("【街道乡镇】%(name)s") % {"name": obj.name}
        street = obj.street.name if obj.street_id else ""
        return _("【社区村】%(name)s（%(street)s）") % {"name": obj.name, "street": street}


class FacilityAdminForm(forms.ModelForm):
    """Hours typed as text per day (full-width punctuation welcome), stored normalised."""

    class Meta:
        model = Facility
        fields = (
            "code", "name", "kind", "division", "status", "address", "phone", "latitude", "longitude", "services",
            *HOURS_FIELDS, "open_on_holidays", "full_care", "day_care", "home_visits", "guidance",
            "beds", "nursing_beds", "ownership",
        )
        widgets = {"services": forms.CheckboxSelectMultiple}
        field_classes = {"division": DivisionChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in HOURS_FIELDS:
            if name in self.fields:
                field = self.fields[name]
                # The stored form is at most 23 characters; what people type may be longer.
                field.max_length = 60
                field.widget.attrs["maxlength"] = 60
                field.widget.attrs.setdefault("placeholder", "08:30-11:30,13:30-17:30")
                field.validators = []

    def _clean_hours(self, name):
        try:
            return normalise_hours(self.cleaned_data.get(name))
        except ValidationError as exc:
            raise ValidationError([f"{self.fields[name].label}：{message}" for message in exc.messages])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))


for _name in HOURS_FIELDS:
    setattr(FacilityAdminForm, f"clean_{_name}", lambda self, _n=_name: self._clean_hours(_n))


class ElderAdminForm(forms.ModelForm):
    class Meta:
        model = Elder
        fields = ("code", "name", "community", "categories", "id_number", "phone")
        widgets = {"categories": forms.CheckboxSelectMultiple}

    def clean_id_number(self):
        return (self.cleaned_data.get("id_number") or "").strip().upper()

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

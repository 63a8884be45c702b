from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.fields import normalise_phone, validate_phone
from core.hours import WEEKDAY_FIELDS, WEEKDAY_LABELS, normalise_hours
from facilities.models import Centre

HOURS_FIELDS = (*WEEKDAY_FIELDS, "hours_holiday")
DAY_NAMES = dict(zip(WEEKDAY_FIELDS, WEEKDAY_LABELS, strict=True)) | {"hours_holiday": _("节假日")}


class HoursField(forms.CharField):
    """A day's hours as the clerk types them (full-width punctuation, spaces, “休息”), stored normalised."""

    def __init__(self, day, **kwargs):
        self.day = day
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "08:30-11:30,13:30-17:30", "size": 28}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return normalise_hours(value)
        except ValidationError as exc:
            raise ValidationError(
                _("%(day)s开放时间：%(problem)s"), code=exc.code, params={"day": self.day, "problem": exc.messages[0]}
            ) from None


class CentreAdminForm(forms.ModelForm):
    """The clerk's form: hours typed as text, areas and phone checked with messages naming the field."""

    class Meta:
        model = Centre
        fields = (
            "code", "name", "community", "address", "status", "phone", "total_area", "activity_area",
            *HOURS_FIELDS, "open_on_holidays", "services", "has_volunteer_station", "has_social_work_point",
            "has_self_service_terminal", "latitude", "longitude",
        )
        widgets = {"services": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in HOURS_FIELDS:
            if name in self.fields:
                model_field = Centre._meta.get_field(name)
                self.fields[name] = HoursField(
                    DAY_NAMES[name], label=model_field.verbose_name, help_text=model_field.help_text
                )

    def _positive_area(self, name, label):
        value = self.cleaned_data.get(name)
        if value is not None and value <= 0:
            raise ValidationError(_("%(field)s必须大于 0 平方米，填写的是 %(value)s。"), params={"field": label, "value": value})
        return value

    def clean_total_area(self):
        return self._positive_area("total_area", _("总建筑面积"))

    def clean_activity_area(self):
        return self._positive_area("activity_area", _("居民活动面积"))

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data.get("phone"))
        try:
            validate_phone(phone)
        except ValidationError as exc:
            raise ValidationError(_("联系电话：%(problem)s"), params={"problem": exc.messages[0]}) from None
        return phone

    def clean(self):
        cleaned = super().clean()
        # Activity area ≤ total and both coordinates or neither are checked by Centre.clean().
        if cleaned.get("open_on_holidays") is False and cleaned.get("hours_holiday"):
            self.add_error("hours_holiday", _("填写了节假日开放时间，请同时勾选“节假日全天开放”，否则节假日按闭馆处理。"))
        return cleaned

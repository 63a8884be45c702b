"""The compliance pages' forms: every POST (and the month of the GET pages) is read through one of these.

The markup stays in the templates; a form here validates and converts. What a write may do is decided by
the services, whose messages (ValidationError) the view shows.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.reports import YEARS
from core.dates import last_full_month, parse_month


class MonthField(forms.CharField):
    """``YYYY-MM`` → the first day of that month (core.dates.parse_month: the one month format)."""

    default_error_messages = {"invalid": _("月份应为 YYYY-MM。")}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PeriodForm(forms.Form):
    """``?month=YYYY-MM&as_of=1``: the month for E5 (default: the last full month); as of that month's end only
    when a month is actually given."""

    month = MonthField(required=False)
    as_of = forms.CharField(required=False)

    @property
    def chosen_month(self):
        """The month given, or the last full month when it is missing or malformed (the pages' default)."""
        month = self.cleaned_data.get("month") if self.is_valid() else None
        return month or last_full_month(timezone.localdate())

    @property
    def as_of_month(self):
        return self.is_valid() and self.cleaned_data["as_of"] == "1" and self.cleaned_data["month"] is not None


class SnapshotForm(forms.Form):
    """A snapshot: its name (the service requires it), the month for E5 and whether as of that month's end."""

    name = forms.CharField(required=False)
    month = MonthField(required=False)
    as_of = forms.CharField(required=False)

    @property
    def chosen_month(self):
        month = self.cleaned_data.get("month") if self.is_valid() else None
        return month or last_full_month()

    @property
    def as_of_month(self):
        self.is_valid()
        return self.cleaned_data.get("as_of") == "1"


class BackfillForm(forms.Form):
    """The months to store from history, first to last."""

    first = MonthField(error_messages={"required": _("请填写起止月份（YYYY-MM）。"), "invalid": _("请填写起止月份（YYYY-MM）。")})
    last = MonthField(error_messages={"required": _("请填写起止月份（YYYY-MM）。"), "invalid": _("请填写起止月份（YYYY-MM）。")})

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and first > last:
            raise forms.ValidationError(_("起始月份不能晚于结束月份。"))
        return cleaned


class ReportForm(forms.Form):
    """An evaluation report: the year (2023 or 2025), the district (empty: the city), the month, the format.

    ``params`` is what a report job stores: ``{year, district, month ("YYYY-MM" or ""), format}``.
    """

    year = forms.CharField(required=False)
    district = forms.CharField(required=False)
    month = MonthField(required=False)
    format = forms.CharField(required=False)

    def clean_year(self):
        try:
            year = int(self.cleaned_data["year"])
        except ValueError:
            raise forms.ValidationError(_("请选择评估年份。")) from None
        if year not in YEARS:
            raise forms.ValidationError(_("评估年份只能是 2023（中期）或 2025（终期）。"))
        return year

    def clean_format(self):
        chosen = self.cleaned_data["format"] or "docx"
        if chosen not in ("docx", "xlsx"):
            raise forms.ValidationError(_("格式只能是 docx 或 xlsx。"))
        return chosen

    @property
    def first_error(self):
        return next(iter(self.errors.values()))[0]

    @property
    def params(self):
        month = self.cleaned_data["month"]
        return {"year": self.cleaned_data["year"], "district": self.cleaned_data["district"],
                "month": f"{month:%Y-%m}" if month else "", "format": self.cleaned_data["format"]}

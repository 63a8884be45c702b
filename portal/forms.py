import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.fields import normalise_phone
from portal.models import ErrorReport, Rating


class Honeypot(forms.Form):
    """A field people never see (hidden by CSS, skipped by keyboards) that form-filling robots fill."""

    website = forms.CharField(label=_("网址（请留空）"), required=False)

    def is_robot(self):
        return bool(self.data.get("website", "").strip())


class ReportForm(Honeypot, forms.ModelForm):
    class Meta:
        model = ErrorReport
        fields = ("topic", "message", "phone")
        labels = {"topic": _("哪里不对？"), "message": _("正确的信息是（选填）")}
        widgets = {
            "topic": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        help_texts = {"phone": _("只用于工作人员回访核实，不会公开；不留也可以。")}

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))


SCORE_CHOICES = [(5, _("5 分 · 非常满意")), (4, _("4 分 · 满意")), (3, _("3 分 · 一般")),
                 (2, _("2 分 · 不满意")), (1, _("1 分 · 非常不满意"))]


class RatingForm(Honeypot, forms.ModelForm):
    score = forms.TypedChoiceField(label=_("评分"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect)

    class Meta:
        model = Rating
        fields = ("score", "comment")
        labels = {"comment": _("评价（选填）")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 3, "maxlength": 300})}
        help_texts = {"comment": _("审核后公开显示，请勿填写姓名、电话等个人信息。")}

    def clean_comment(self):
        comment = self.cleaned_data.get("comment", "").strip()
        if len(comment) > 300:
            raise ValidationError(_("评价最多 300 字。"))
        # Comments are published: keep phone and ID numbers (anyone's) off the public pages.
        digits = re.sub(r"[\s\-－—]", "", unicodedata.normalize("NFKC", comment))
        if re.search(r"1[3-9]\d{9}|\d{17}[\dXx]|0\d{2,3}\d{7,8}", digits):
            raise ValidationError(_("评价会公开显示，请不要填写电话号码或身份证号。"))
        return comment

"""Forms of the volunteers app: the worker form of the admin and the deadline page's division choice."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import scoping
from core.models import Division, Level
from volunteers.labels import workplace_label
from volunteers.models import Worker


class WorkerAdminForm(forms.ModelForm):
    """Explains a duplicate 人员编号 / 证书编号 instead of the bare "already exists".

    Both are unique, so one person (or certificate) can never be on duty in two places; the
    message names the existing record's workplace only if the user may see that record.
    """

    #: Set by the admin (``WorkerAdmin.get_form``): the signed-in user.
    user = None

    class Meta:
        model = Worker
        fields = [
            "code", "name", "workplace", "role", "on_duty", "level", "certificate_number", "obtained_on",
            "registration_valid_until", "education_hours",
        ]

    def clean_code(self):
        code = self.cleaned_data.get("code")
        self._refuse_duplicate("code", code, _("人员编号"))
        return code

    def clean_certificate_number(self):
        number = self.cleaned_data.get("certificate_number") or None
        self._refuse_duplicate("certificate_number", number, _("证书编号"))
        return number

    def _refuse_duplicate(self, field, value, label):
        if not value:
            return
        existing = (
            Worker.objects.filter(**{field: value})
            .exclude(pk=self.instance.pk)
            .select_related("workplace__street")
            .first()
        )
        if existing is None:
            return
        visible = self.user is not None and scoping.scope(self.user, Worker.objects.filter(pk=existing.pk)).exists()
        if visible:
            raise ValidationError(
                _(
                    "%(label)s %(value)s 已登记在“%(workplace)s”的人员 %(code)s %(name)s 名下（%(duty)s）。"
                    "同一人不能在两处在岗：如此人调动了工作单位，请修改那条记录，不要再新建。"
                ),
                code="duplicate_person",
                params={
                    "label": label, "value": value, "workplace": workplace_label(existing.workplace),
                    "code": existing.code, "name": existing.name,
                    "duty": _("在岗") if existing.on_duty else _("不在岗"),
                },
            )
        raise ValidationError(
            _(
                "%(label)s %(value)s 已被其他街道乡镇的人员记录使用。同一人不能在两处在岗："
                "如此人确已调入本街道，请联系民政局办理调动。"
            ),
            code="duplicate_person",
            params={"label": label, "value": value},
        )


class DeadlineFilterForm(forms.Form):
    """Bureau staff choose a district or street; clerks always see their own street."""

    division = forms.ModelChoiceField(
        label=_("区县或街道乡镇"),
        queryset=Division.objects.filter(level__in=[Level.DISTRICT, Level.STREET]).order_by("code"),
        required=False,
        empty_label=_("全市"),
    )

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core import scoping
from core.admin_mixins import CityWideAdmin, ScopedAdmin, ScopedInline
from core.codes import TEAM, WORKER, GeneratedCodeAdmin
from core.models import Level
from volunteers import selectors
from volunteers.forms import WorkerAdminForm
from volunteers.labels import workplace_label
from volunteers.models import Member, ServiceField, ServiceRecord, Team, Worker


@admin.register(ServiceField)
class ServiceFieldAdmin(CityWideAdmin, admin.ModelAdmin):
    """The list of service fields is the bureau's; clerks tick them on a team."""

    list_display = ("name",)
    search_fields = ("name",)


class TeamRowInline(ScopedInline):
    """A team's members and service records, on the team's page."""

    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("team")


class MemberInline(TeamRowInline, admin.TabularInline):
    model = Member
    fields = ("name", "phone", "is_party_member", "registered_nationally")


class ServiceRecordInline(TeamRowInline, admin.TabularInline):
    model = ServiceRecord
    fields = ("date", "hours", "activity")


def render_monthly_hours(rows):
    if not rows:
        return _("近 12 个月没有服务记录。")
    body = format_html_join(
        "", "<tr><td>{}</td><td>{}</td></tr>", ((f"{row['month']:%Y-%m}", row["hours"]) for row in rows)
    )
    return format_html(
        '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        _("月份"), _("服务时长（小时）"), body,
    )


@admin.register(Team)
class TeamAdmin(GeneratedCodeAdmin, ScopedAdmin):
    code_rule = TEAM
    list_display = ("code", "name", "community", "party_backbone", "member_count", "leader")
    list_filter = ("party_backbone", ("community__district", admin.RelatedOnlyFieldListFilter), "fields")
    search_fields = ("code", "name", "community__name")
    list_select_related = ("community",)
    fields = (
        "code", "name", "community", "party_backbone", "member_count", "leader", "phone", "fields",
        "meeting_place", "how_to_join", "hours_per_month",
    )
    readonly_fields = ("hours_per_month",)
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [MemberInline, ServiceRecordInline]

    @admin.display(description=_("近 12 个月每月服务时长"))
    def hours_per_month(self, obj):
        if obj is None or obj.pk is None:
            return _("保存并录入服务记录后显示。")
        return render_monthly_hours(selectors.monthly_hours(obj))


class TeamChildAdmin(ScopedAdmin):
    """Members and service records: the team choice is limited to the user's own teams."""

    list_select_related = ("team__community",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team":
            kwargs["queryset"] = scoping.scope(request.user, Team.objects.select_related("community"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Member)
class MemberAdmin(TeamChildAdmin):
    list_display = ("name", "team", "is_party_member", "registered_nationally")
    list_filter = ("is_party_member", "registered_nationally")
    search_fields = ("name", "team__name")
    fields = ("team", "name", "phone", "is_party_member", "registered_nationally")


@admin.register(ServiceRecord)
class ServiceRecordAdmin(TeamChildAdmin):
    list_display = ("date", "team", "hours", "activity")
    list_filter = (("team__community__district", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("team__name", "activity")
    date_hierarchy = "date"
    fields = ("team", "date", "hours", "activity")


@admin.register(Worker)
class WorkerAdmin(GeneratedCodeAdmin, ScopedAdmin):
    form = WorkerAdminForm
    code_rule = WORKER
    code_division = "workplace"
    # A worker's workplace is a community, or a street standing for its social-work station.
    division_levels = (Level.STREET, Level.COMMUNITY)
    list_display = (
        "code", "name", "workplace_display", "role", "on_duty", "level", "certificate_number",
        "registration_valid_until", "education_hours",
    )
    list_filter = ("on_duty", "role", "level", ("workplace__district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "certificate_number")
    list_select_related = ("workplace__street",)
    fieldsets = (
        (None, {"fields": ("code", "name", "workplace", "role", "on_duty")}),
        (_("职业资格证书"), {
            "fields": ("level", "certificate_number", "obtained_on", "registration_valid_until", "education_hours"),
            "description": _(
                "登记有效期 3 年，在有效期最后 3 个月内办理续期；继续教育学时要求：助理社会工作师 72 学时，"
                "社会工作师和高级社会工作师 90 学时。"
            ),
        }),
    )

    @admin.display(description=_("工作单位"), ordering="workplace__code")
    def workplace_display(self, obj):
        return workplace_label(obj.workplace)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "workplace" and field is not None:
            field.label_from_instance = workplace_label
        return field

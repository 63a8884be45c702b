from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import scoping
from core.admin_mixins import CityWideAdmin, ScopedAdmin, ScopedInline, VerifierAdmin
from core.codes import ELDER, FACILITY_RULES, GeneratedCodeAdmin, example
from core.location import LocationPickerAdmin
from core.models import Level
from eldercare.forms import ElderAdminForm, FacilityAdminForm
from eldercare.masking import mask_id, mask_phone
from eldercare.models import COMPREHENSIVE_KINDS, Elder, ElderAccessLog, Facility, FacilityKind, Visit
from eldercare.services import log_elder_access, verify_facilities

#: Which division levels each kind of facility may sit in (DOMAIN.md, 养老服务设施).
KIND_LEVELS = {
    FacilityKind.DAYCARE: (Level.COMMUNITY,),
    FacilityKind.STREET_CENTRE: (Level.STREET,),
    FacilityKind.INSTITUTION: (Level.STREET, Level.COMMUNITY),
}

KIND_HELP = {
    FacilityKind.DAYCARE: _("日间照料中心：选择所在的社区或村。"),
    FacilityKind.STREET_CENTRE: _("综合养老服务中心：选择所在的街道或乡镇。"),
    FacilityKind.INSTITUTION: _("养老机构：选择所在的街道乡镇或社区村。"),
}


@admin.register(Facility)
class FacilityAdmin(GeneratedCodeAdmin, LocationPickerAdmin, VerifierAdmin, ScopedAdmin):
    form = FacilityAdminForm
    code_division = "division"

    def rule_for(self, cleaned):
        return FACILITY_RULES.get(cleaned.get("kind"))

    def rules_help(self):
        rules = "；".join(
            f"{label}：{FACILITY_RULES[kind].pattern}（{example(FACILITY_RULES[kind])}）"
            for kind, label in FacilityKind.choices
        )
        return _("留空则保存时按类型自动生成：%(rules)s。") % {"rules": rules}
    division_levels = (Level.STREET, Level.COMMUNITY)
    list_display = (
        "code", "name", "kind", "division", "status", "comprehensive", "beds", "nursing_beds", "ownership", "phone",
        "verified_on",
    )
    readonly_fields = ("verified_on", "verifier")
    actions = ("mark_verified",)
    list_filter = ("kind", "status", "ownership", ("division__district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "address")
    list_select_related = ("division",)
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "division", "status", "address", "phone", "latitude", "longitude")}),
        (_("服务项目（十助）"), {"fields": ("services",)}),
        (
            _("开放时间"),
            {
                "fields": (
                    "hours_mon", "hours_tue", "hours_wed", "hours_thu", "hours_fri", "hours_sat", "hours_sun",
                    "open_on_holidays", "hours_holiday",
                ),
                "description": _("每天填一至两个时段，如 08:30-11:30,13:30-17:30；中文标点也可；空白或“休息”表示不开放。"),
            },
        ),
        (
            _("综合功能（综合养老服务中心）"),
            {
                "fields": ("full_care", "day_care", "home_visits", "guidance"),
                "description": _("全托、日托、上门服务、对下指导四项齐全，才算“具备综合功能”（E2、E3）。"),
            },
        ),
        (_("床位与性质（养老机构）"), {"fields": ("beds", "nursing_beds", "ownership")}),
        (
            _("数据核实"),
            {
                "fields": ("verified_on", "verifier"),
                "description": _("“核实日期”是工作人员确认数据仍然准确的日期，居民在详情页看到它。"),
            },
        ),
    )

    @admin.action(description=_("确认数据仍然准确"), permissions=["change"])
    def mark_verified(self, request, queryset):
        count = verify_facilities(facilities=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("已确认 %(count)d 个设施的数据仍然准确。", "已确认 %(count)d 个设施的数据仍然准确。", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(boolean=True, description=_("具备综合功能"))
    def comprehensive(self, obj):
        return obj.is_comprehensive if obj.kind in COMPREHENSIVE_KINDS else None

    def _kind(self, request, obj):
        """The kind the form is about: the record's, or what was posted / passed as ``?kind=``."""
        kind = request.POST.get("kind") or request.GET.get("kind") or (obj.kind if obj is not None else None)
        return kind if kind in KIND_LEVELS else None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        kind = self._kind(request, obj)
        field = form.base_fields.get("division")  # the fields are this call's own (built by modelform_factory)
        if kind and field is not None:
            field.queryset = field.queryset.filter(level__in=KIND_LEVELS[kind]).order_by("code")
            field.help_text = KIND_HELP[kind]
        return form


class VisitInline(ScopedInline, admin.TabularInline):
    model = Visit
    fields = ("visited_on", "visitor", "method", "note")
    extra = 1
    ordering = ("-visited_on",)


@admin.register(Elder)
class ElderAdmin(GeneratedCodeAdmin, ScopedAdmin):
    """Lists mask ID numbers and phones; opening a record shows them and is logged."""

    code_rule = ELDER

    form = ElderAdminForm
    inlines = [VisitInline]
    # The community by name only (its 12-digit code pushed the phone behind a sideways scroll at 1,366 px).
    list_display = ("code", "name", "community_name", "category_names", "masked_id_number", "masked_phone")
    list_filter = ("categories", ("community__street", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "=id_number")
    list_select_related = ("community",)
    fields = ("code", "name", "community", "categories", "id_number", "phone", "registered_on")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    @admin.display(description=_("所属社区"), ordering="community__code")
    def community_name(self, obj):
        return obj.community.name

    @admin.display(description=_("类别"))
    def category_names(self, obj):
        return "、".join(str(category) for category in obj.categories.all())

    @admin.display(description=_("身份证号"))
    def masked_id_number(self, obj):
        return mask_id(obj.id_number)

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original") if response.status_code == 200 else None
        if original is not None:
            log_elder_access(
                user=request.user, elder=original, channel=ElderAccessLog.Channel.ADMIN, path=request.path
            )
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        elder = self.get_object(request, unquote(object_id))  # 404 outside the user's street
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if response.status_code == 200:
            log_elder_access(
                user=request.user, elder=elder, channel=ElderAccessLog.Channel.HISTORY, path=request.path
            )
        return response


@admin.register(Visit)
class VisitAdmin(ScopedAdmin):
    list_display = ("visited_on", "elder", "community", "visitor", "method", "note")
    list_filter = ("method", ("elder__community__street", admin.RelatedOnlyFieldListFilter))
    date_hierarchy = "visited_on"
    search_fields = ("elder__code", "elder__name", "visitor", "note")
    list_select_related = ("elder", "elder__community")
    fields = ("elder", "visited_on", "visitor", "method", "note")

    @admin.display(description=_("所属社区"), ordering="elder__community__code")
    def community(self, obj):
        return obj.elder.community.name

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "elder":
            kwargs["queryset"] = scoping.scope(request.user, Elder.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ElderAccessLog)
class ElderAccessLogAdmin(CityWideAdmin, ScopedAdmin):
    """Read-only audit trail, for bureau staff."""

    list_display = ("viewed_at", "user", "elder", "channel", "path")
    list_filter = ("channel",)
    date_hierarchy = "viewed_at"
    search_fields = ("elder__code", "elder__name", "user__username")
    list_select_related = ("user", "elder")

    addable = changeable = deletable = False

    def history_view(self, request, object_id, extra_context=None):
        raise Http404  # the log is itself the history; it keeps none of its own

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import scoping
from core.admin_mixins import ScopedAdmin, VerifierAdmin
from core.codes import CENTRE, GeneratedCodeAdmin
from core.location import LocationPickerAdmin
from core.models import Level
from core.opening import local_now
from facilities.forms import CentreAdminForm
from facilities.models import Centre, Service
from facilities.services import verify_centres

STALE = "stale"


def stale_cutoff():
    """Verified before this date = not verified for more than VERIFICATION_MAX_AGE_DAYS days."""
    return local_now().date() - timedelta(days=settings.VERIFICATION_MAX_AGE_DAYS)


class VerificationFilter(admin.SimpleListFilter):
    title = _("核实情况")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [
            (STALE, _("超过%(days)s天未核实") % {"days": settings.VERIFICATION_MAX_AGE_DAYS}),
            ("recent", _("%(days)s天内已核实") % {"days": settings.VERIFICATION_MAX_AGE_DAYS}),
        ]

    def queryset(self, request, queryset):
        cutoff = stale_cutoff()
        if self.value() == STALE:
            # Never verified counts as not verified.
            return queryset.filter(Q(verified_on__isnull=True) | Q(verified_on__lt=cutoff))
        if self.value() == "recent":
            return queryset.filter(verified_on__gte=cutoff)
        return queryset


class StreetFilter(admin.SimpleListFilter):
    """Streets the user may see (a clerk sees only their own)."""

    title = _("街道乡镇")
    parameter_name = "street"

    def lookups(self, request, model_admin):
        streets = scoping.divisions_for(request.user, levels=(Level.STREET,))
        return [(str(street.pk), street.name) for street in streets]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(community__street_id=self.value())
        return queryset


@admin.register(Service)
class ServiceAdmin(ScopedAdmin):
    """The city-wide list of services; bureau administrators manage it, everyone signed in reads it."""

    bureau_only = True
    list_display = ("name", "ordering", "centre_count")
    list_editable = ("ordering",)
    search_fields = ("name",)

    def get_queryset(self, request):
        # A city-wide list (no SCOPE_DIVISION): ScopedAdmin leaves it unscoped.
        return super().get_queryset(request).annotate(centre_count=Count("centres"))

    @admin.display(description=_("提供该服务的设施数"), ordering="centre_count")
    def centre_count(self, obj):
        return obj.centre_count


@admin.register(Centre)
class CentreAdmin(GeneratedCodeAdmin, LocationPickerAdmin, VerifierAdmin, ScopedAdmin):
    form = CentreAdminForm
    code_rule = CENTRE
    change_form_template = "admin/facilities/centre/change_form.html"
    list_display = (
        "code", "name", "community", "street_name", "status", "total_area", "activity_area",
        "has_volunteer_station", "verified_on",
    )
    list_filter = ("status", VerificationFilter, StreetFilter, "has_volunteer_station", "open_on_holidays")
    list_select_related = ("community", "community__street")
    search_fields = ("code", "name", "address", "community__name")
    readonly_fields = ("verified_on", "verifier", "updated_at")
    actions = ("mark_verified",)
    fieldsets = (
        (_("基本信息"), {"fields": ("code", "name", "community", "address", "status", "phone")}),
        (_("面积"), {"fields": ("total_area", "activity_area")}),
        (
            _("开放时间"),
            {
                "fields": (
                    "hours_mon", "hours_tue", "hours_wed", "hours_thu", "hours_fri", "hours_sat", "hours_sun",
                    "open_on_holidays", "hours_holiday",
                ),
                "description": _(
                    "每天最多两个时段，如 08:30-11:30,13:30-17:30；全角标点也可以；休息日留空或填“休息”。"
                    "节假日：勾选“节假日全天开放”后按节假日开放时间（未填则按周六时间）开放，否则闭馆；调休工作日按周一时间。"
                ),
            },
        ),
        (
            _("服务与功能"),
            {"fields": ("services", "has_volunteer_station", "has_social_work_point", "has_self_service_terminal")},
        ),
        (_("位置（WGS-84）"), {"fields": ("latitude", "longitude")}),
        (
            _("数据核实"),
            {
                "fields": ("verified_on", "verifier", "updated_at"),
                "description": _("“核实日期”是工作人员确认数据仍然准确的日期，与“最后修改时间”无关。"),
            },
        ),
    )

    @admin.display(description=_("街道乡镇"), ordering="community__street__name")
    def street_name(self, obj):
        return obj.community.street.name if obj.community.street_id else ""

    @admin.action(description=_("确认数据仍然准确"), permissions=["change"])
    def mark_verified(self, request, queryset):
        count = verify_centres(centres=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("已确认 %(count)d 个设施的数据仍然准确。", "已确认 %(count)d 个设施的数据仍然准确。", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "services":
            kwargs["queryset"] = Service.objects.all()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/verify/",
                self.admin_site.admin_view(self.verify_view),
                name="facilities_centre_verify",
            ),
            *super().get_urls(),
        ]

    def verify_view(self, request, object_id):
        """The “确认数据仍然准确” button on one centre's page (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        centre = scoping.get_for_edit(request.user, Centre.objects.all(), pk=object_id)
        if not self.has_change_permission(request, centre):
            raise PermissionDenied
        verify_centres(centres=[centre], user=request.user)
        self.message_user(request, _("已确认“%(name)s”的数据仍然准确。") % {"name": centre.name}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:facilities_centre_change", args=[centre.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_verify"] = obj is not None and self.has_change_permission(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

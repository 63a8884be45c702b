from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from core import permissions
from core.admin_mixins import CityWideAdmin, ScopedAdmin
from core.location import LocationPickerAdmin
from core.models import Division, Holiday, ImportBatch, Level, User

admin.site.site_header = _("社区服务设施达标管理平台")
admin.site.site_title = _("社区服务设施达标管理平台")
admin.site.index_title = _("数据填报")

# Access is by role (User.role), not by Django's groups: the group screen (permissions listed in English code
# words) has nothing to set. django-axes' app has no name of its own ("Axes"): the bureau reads 登录保护.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)
apps.get_app_config("axes").verbose_name = _("登录保护")


@admin.register(Division)
class DivisionAdmin(LocationPickerAdmin, ScopedAdmin):
    """Bureau administrators create divisions; clerks correct their communities' figures and place them on the
    map (the same picker as the centres': a pin, or a pair pasted from 高德/百度 converted to WGS-84)."""

    list_display = ("code", "name", "kind", "parent", "households", "population", "population_60plus", "has_location")
    list_filter = ("level", "kind", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("^code", "name")
    list_select_related = ("parent",)
    division_levels = (Level.DISTRICT, Level.STREET)
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "parent")}),
        (_("户数与人口"), {
            "fields": ("households", "population", "population_60plus"),
            "description": _("60岁以上人口和户数都不能超过常住人口。"),
        }),
        (_("位置（WGS-84）"), {"fields": ("latitude", "longitude")}),
    )

    @admin.display(boolean=True, description=_("有坐标"))
    def has_location(self, obj):
        return obj.has_location

    def has_add_permission(self, request):
        return permissions.can_edit(request.user, bureau_only=True)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_edit(request.user, bureau_only=True)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if permissions.is_bureau_admin(request.user):
            return fieldsets
        # Read-only, the parent would be a link to the district's page, which a clerk may not open.
        return [
            (title, {**options, "fields": ["parent_name" if name == "parent" else name for name in options["fields"]]})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if permissions.is_bureau_admin(request.user):
            return ()
        return ("code", "name", "kind", "parent_name")

    @admin.display(description=_("上级区划"))
    def parent_name(self, obj):
        return obj.parent.name if obj is not None and obj.parent_id else "-"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":  # only administrators change it: any province, city, district or street
            kwargs["queryset"] = Division.objects.filter(
                level__in=[Level.PROVINCE, Level.CITY, Level.DISTRICT, Level.STREET]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(CityWideAdmin, DjangoUserAdmin):
    list_display = ("username", "first_name", "role", "division", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("角色与范围"), {"fields": ("role", "division")}),
        (_("个人信息"), {"fields": ("first_name", "last_name", "email")}),
        (_("状态"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "role", "division", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")
    autocomplete_fields = ("division",)


@admin.register(Holiday)
class HolidayAdmin(CityWideAdmin, admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(ImportBatch)
class ImportBatchAdmin(CityWideAdmin, admin.ModelAdmin):
    """Written by imports only; an administrator may delete one (its records stay)."""

    addable = changeable = False
    list_display = ("created_at", "file_name", "user", "sha256")
    readonly_fields = ("file_name", "sha256", "user", "created_at", "summary")

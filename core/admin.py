from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core import permissions
from core.admin_mixins import CityWideAdmin, ScopedAdmin
from core.models import Division, Holiday, ImportBatch, Level, User

admin.site.site_header = _("社区服务设施达标管理平台")
admin.site.site_title = _("社区服务设施达标管理平台")
admin.site.index_title = _("数据填报")


@admin.register(Division)
class DivisionAdmin(ScopedAdmin):
    """Bureau administrators create divisions; clerks correct their communities' figures."""

    list_display = ("code", "name", "kind", "parent", "households", "population", "population_60plus", "has_location")
    list_filter = ("level", "kind", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("^code", "name")
    list_select_related = ("parent",)
    division_levels = (Level.DISTRICT, Level.STREET)
    fields = (
        "code", "name", "kind", "parent", "households", "population", "population_60plus", "latitude", "longitude",
    )

    @admin.display(boolean=True, description=_("有坐标"))
    def has_location(self, obj):
        return obj.has_location

    def has_add_permission(self, request):
        return permissions.can_edit(request.user, bureau_only=True)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_edit(request.user, bureau_only=True)

    def get_readonly_fields(self, request, obj=None):
        if permissions.is_bureau_admin(request.user):
            return ()
        return ("code", "name", "kind", "parent")

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

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from compliance.models import Plan, Target
from core import permissions
from core.admin_mixins import CityWideAdmin, ScopedInline


class TargetInline(ScopedInline, admin.TabularInline):
    """Plans and targets: administrators edit, reviewers read, clerks don't see them."""

    model = Target
    bureau_only = True
    extra = 0
    fields = ("indicator", "comparator", "figure", "binding", "source", "clause", "baseline", "baseline_year",
              "baseline_source", "midterm")


@admin.register(Plan)
class PlanAdmin(CityWideAdmin, SimpleHistoryAdmin):
    list_display = ("name", "in_force", "division", "target_count")
    list_editable = ()
    autocomplete_fields = ("division",)
    inlines = [TargetInline]
    actions = ["put_in_force"]

    @admin.display(description=_("目标数"))
    def target_count(self, obj):
        return obj._targets

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_targets=Count("targets"))

    @admin.action(description=_("设为现行规划"))
    def put_in_force(self, request, queryset):
        if not permissions.can_edit(request.user, bureau_only=True):
            return
        plan = queryset.first()
        if plan is not None and queryset.count() == 1:
            plan.in_force = True
            plan.save()
            self.message_user(request, _("现行规划已改为“%(name)s”。") % {"name": plan.name})
        else:
            self.message_user(request, _("请只选择一个规划。"), level="error")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.can_edit(request.user, bureau_only=True):
            actions.pop("put_in_force", None)
        return actions


@admin.register(Target)
class TargetAdmin(CityWideAdmin, SimpleHistoryAdmin):
    list_display = ("plan", "indicator", "comparator", "figure", "binding", "baseline", "midterm", "source")
    list_filter = ("plan", "binding")
    list_select_related = ("plan",)
    search_fields = ("indicator", "source", "clause")

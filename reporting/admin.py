from django.contrib import admin

from core import scoping
from core.admin_mixins import PlainWordsAdmin
from reporting.models import ValidationRule


@admin.register(ValidationRule)
class ValidationRuleAdmin(PlainWordsAdmin, admin.ModelAdmin):
    """The bureau administrator sets each rule's severity and turns rules on or off; the check itself is code."""

    # The rule's code is for the program; the bureau knows a rule by its name.
    list_display = ("name", "severity", "enabled")
    list_editable = ("severity", "enabled")
    fields = ("name", "severity", "enabled")

    def has_module_permission(self, request):
        return scoping.can_view_all(request.user)

    def has_view_permission(self, request, obj=None):
        return scoping.can_view_all(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return scoping.can_edit(request.user, bureau_only=True)

    def has_delete_permission(self, request, obj=None):
        return False

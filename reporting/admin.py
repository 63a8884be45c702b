from django.contrib import admin

from core.admin_mixins import CityWideAdmin
from reporting.models import ValidationRule


@admin.register(ValidationRule)
class ValidationRuleAdmin(CityWideAdmin, admin.ModelAdmin):
    """The bureau administrator sets each rule's severity and turns rules on or off; the check itself is code."""

    # The rule's code is for the program; the bureau knows a rule by its name.
    list_display = ("name", "severity", "enabled")
    list_editable = ("severity", "enabled")
    fields = ("name", "severity", "enabled")
    addable = deletable = False  # the rules are code; only their severity and switch are data

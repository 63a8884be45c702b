"""The admin side of ``core.scoping``: every portal ModelAdmin derives from ScopedAdmin."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from core import scoping
from core.models import Division, Level


class ScopedAdmin(SimpleHistoryAdmin):
    """Scopes the change list, object pages and division choices by user.

    - street clerks: their own street only; another street's record is a 404;
    - reviewers: everything, read-only (a change POST is a 403);
    - administrators: everything.
    ``bureau_only`` models (e.g. targets) can be changed by administrators only.
    """

    bureau_only = False
    #: The levels a Division foreign key of this model may point to.
    division_levels = (Level.COMMUNITY,)

    def get_queryset(self, request):
        return scoping.scope(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # The stock admin redirects with "doesn't exist"; a record of another street must be a plain 404.
            raise Http404
        return obj

    def _history_check(self, request, object_id):
        """History pages follow the record: 404 outside the user's scope or for a model that keeps no history.

        simple-history looks the record up unscoped (and falls back to the history rows of a deleted record);
        bureau staff may still read the history of deleted records, clerks only of their street's live ones.
        """
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            raise Http404
        if not scoping.can_view_all(request.user):
            self.get_object(request, unquote(object_id))

    def history_view(self, request, object_id, extra_context=None):
        self._history_check(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._history_check(request, object_id)
        # simple-history saves a posted revision form after checking only the *view* permission.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return scoping.can_edit(request.user, bureau_only=self.bureau_only)

    def has_change_permission(self, request, obj=None):
        return scoping.can_edit(request.user, bureau_only=self.bureau_only)

    def has_delete_permission(self, request, obj=None):
        return scoping.can_edit(request.user, bureau_only=self.bureau_only)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Division:
            kwargs["queryset"] = scoping.divisions_for(request.user, levels=self.division_levels).select_related(
                "street", "district"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = (obj.version or 0) + 1
        super().save_model(request, obj, form, change)

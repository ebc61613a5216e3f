"""The admin asks the same permission layer as the pages and the API."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from luoshi.core.access import can_manage_reference, can_use_admin
from luoshi.core.models import ApiToken


class ReferenceAdmin(SimpleHistoryAdmin):
    """Admin for reference data, permissioned by role through `luoshi.core.access`."""

    def _label(self) -> str:
        return self.model._meta.label

    def has_module_permission(self, request) -> bool:
        return can_use_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_use_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return can_manage_reference(request.user, self._label())

    def has_change_permission(self, request, obj=None) -> bool:
        return can_manage_reference(request.user, self._label())

    def has_delete_permission(self, request, obj=None) -> bool:
        return can_manage_reference(request.user, self._label())


class RecordAdmin(ReferenceAdmin):
    """Rows the system or their own pages write (bulletins, deliveries): shown here, never edited."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReferenceInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None) -> bool:
        return can_use_admin(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return can_manage_reference(request.user, self.model._meta.label)

    def has_change_permission(self, request, obj=None) -> bool:
        return can_manage_reference(request.user, self.model._meta.label)

    def has_delete_permission(self, request, obj=None) -> bool:
        return can_manage_reference(request.user, self.model._meta.label)


@admin.register(ApiToken)
class ApiTokenAdmin(ReferenceAdmin):
    list_display = ["name", "person", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["person", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False  # tokens are issued with `luoshi token`, which shows the key once


admin.site.site_header = "落实 · 基础数据"
admin.site.site_title = "落实"

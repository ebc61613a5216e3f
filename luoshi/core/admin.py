"""The admin asks the same access policy as the pages and the API, for every row and every change."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from luoshi.core.access import Action, can, may_use_admin, visible_to
from luoshi.core.models import ApiToken


class PolicyAdmin(admin.ModelAdmin):
    """The rows the policy lets the person see, the changes it lets them make."""

    def get_queryset(self, request):
        return visible_to(request.user, super().get_queryset(request))

    def has_module_permission(self, request) -> bool:
        return may_use_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return may_use_admin(request.user) and (obj is None or can(request.user, Action.VIEW, obj))

    def has_add_permission(self, request) -> bool:
        return may_use_admin(request.user) and can(request.user, Action.CREATE, self.model)

    def has_change_permission(self, request, obj=None) -> bool:
        return may_use_admin(request.user) and can(request.user, Action.EDIT, obj or self.model)

    def has_delete_permission(self, request, obj=None) -> bool:
        return may_use_admin(request.user) and can(request.user, Action.DELETE, obj or self.model)


class ReferenceAdmin(PolicyAdmin, SimpleHistoryAdmin):
    """Admin for reference data, with its audit history."""


class ReadOnlyAdmin(ReferenceAdmin):
    """Rows written by the system or by their own pages: looked at here, never edited."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RecordAdmin(ReferenceAdmin):
    """Rows the system or their own pages write (bulletins, deliveries, reminders): shown here, never edited."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReferenceInline(admin.TabularInline):
    """Rows edited with their parent, where the policy lets the person write that kind of row at all;
    rows written only by an action (an indicator's actuals) are shown read-only."""

    extra = 0

    def has_view_permission(self, request, obj=None) -> bool:
        return may_use_admin(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return may_use_admin(request.user) and can(request.user, Action.CREATE, self.model)

    def has_change_permission(self, request, obj=None) -> bool:
        return may_use_admin(request.user) and can(request.user, Action.EDIT, self.model)

    def has_delete_permission(self, request, obj=None) -> bool:
        return may_use_admin(request.user) and can(request.user, Action.DELETE, self.model)


@admin.register(ApiToken)
class ApiTokenAdmin(ReferenceAdmin):
    list_display = ["name", "person", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["person", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False  # tokens are issued with `luoshi token`, which shows the key once


admin.site.site_header = "落实 · 基础数据"
admin.site.site_title = "落实"

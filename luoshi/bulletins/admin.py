from django.contrib import admin

from luoshi.bulletins.models import Bulletin
from luoshi.core.admin import ReferenceAdmin


@admin.register(Bulletin)
class BulletinAdmin(ReferenceAdmin):
    """Read-only here: bulletins are written and published on their own pages."""

    list_display = ["__str__", "title", "period_start", "period_end", "status"]
    list_filter = ["status", "period_kind"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

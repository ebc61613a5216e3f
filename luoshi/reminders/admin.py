"""Reminders in the admin: the plans' reminder rules, and the reminders sent (read-only)."""

from django.contrib import admin

from luoshi.core.admin import PolicyAdmin, ReferenceAdmin
from luoshi.reminders.models import Reminder, ReminderRule


@admin.register(ReminderRule)
class ReminderRuleAdmin(ReferenceAdmin):
    list_display = [
        "plan",
        "kind",
        "working_days",
        "recipient",
        "in_app",
        "by_email",
        "by_webhook",
        "by_message",
        "active",
    ]
    list_filter = ["plan", "kind", "recipient", "active"]


@admin.register(Reminder)
class ReminderAdmin(PolicyAdmin):
    """The delivery log; reminders have no history of their own, their state is their history."""

    list_display = [
        "created_at",
        "kind",
        "recipient_role",
        "task",
        "channel",
        "recipient",
        "endpoint",
        "state",
        "attempts",
        "next_attempt_at",
    ]
    list_filter = ["state", "channel", "kind"]
    search_fields = ["subject", "key"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

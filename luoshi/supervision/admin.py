"""Supervision settings in the admin: reminder rules, group robots, scoring rules; the rest read-only."""

from django.contrib import admin

from luoshi.core.admin import PolicyAdmin, ReferenceAdmin
from luoshi.supervision.models import (
    Activity,
    Commitment,
    Reminder,
    ReminderRule,
    ScoringRule,
    WebhookEndpoint,
)


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


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReferenceAdmin):
    list_display = ["name", "kind", "unit", "plan", "message_format", "active"]
    list_filter = ["kind", "active"]


@admin.register(ScoringRule)
class ScoringRuleAdmin(ReferenceAdmin):
    list_display = [
        "plan",
        "on_time_points",
        "overdue_points_per_day",
        "returned_points",
        "missed_report_points",
    ]


class ReadOnlyAdmin(ReferenceAdmin):
    """Rows written by the system or by their own pages: looked at here, never edited."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "generated_at", "acknowledged_at", "acknowledged_by"]
    list_filter = ["year"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "unit", "kind", "title", "participant_count"]
    list_filter = ["kind", "unit"]

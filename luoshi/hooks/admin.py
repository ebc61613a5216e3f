"""Webhooks out in the admin: the office adds subscriptions and looks at what was sent."""

from django.contrib import admin

from luoshi.core.admin import RecordAdmin, ReferenceAdmin
from luoshi.hooks.models import HookDelivery, HookSubscription


@admin.register(HookSubscription)
class HookSubscriptionAdmin(ReferenceAdmin):
    list_display = ["name", "url", "on_task_closed", "on_task_overdue", "on_bulletin_published", "active"]
    list_filter = ["active"]


@admin.register(HookDelivery)
class HookDeliveryAdmin(RecordAdmin):
    """Made by the events and sent by the worker: looked at here, never edited."""

    list_display = ["event", "subscription", "state", "attempts", "created_at", "sent_at", "next_attempt_at"]
    list_filter = ["event", "state", "subscription"]
    readonly_fields = [
        "subscription",
        "event",
        "event_id",
        "payload",
        "state",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
    ]

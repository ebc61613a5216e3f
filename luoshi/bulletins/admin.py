from django.contrib import admin

from luoshi.bulletins.models import Bulletin, BulletinDelivery, BulletinSchedule, BulletinSubscription
from luoshi.core.admin import RecordAdmin, ReferenceAdmin


@admin.register(Bulletin)
class BulletinAdmin(RecordAdmin):
    """Read-only here: bulletins are written and published on their own pages."""

    list_display = ["__str__", "title", "period_start", "period_end", "status"]
    list_filter = ["status", "period_kind"]


@admin.register(BulletinSubscription)
class BulletinSubscriptionAdmin(ReferenceAdmin):
    list_display = ["plan", "person", "endpoint", "in_app", "by_email", "active"]
    list_filter = ["plan", "active"]
    autocomplete_fields = ["person"]


@admin.register(BulletinSchedule)
class BulletinScheduleAdmin(ReferenceAdmin):
    list_display = ["plan", "cadence", "working_day", "scope_unit", "drafter", "active"]


@admin.register(BulletinDelivery)
class BulletinDeliveryAdmin(RecordAdmin):
    """Read-only: deliveries are made by publishing and sent by the worker."""

    list_display = ["bulletin", "subscription", "channel", "state", "attempts", "sent_at"]
    list_filter = ["state", "channel"]

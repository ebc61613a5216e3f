"""The group robots in the admin."""

from django.contrib import admin

from luoshi.core.admin import ReferenceAdmin
from luoshi.messaging.models import WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReferenceAdmin):
    list_display = ["name", "kind", "unit", "plan", "message_format", "active"]
    list_filter = ["kind", "active"]

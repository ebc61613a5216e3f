from django.contrib import admin

from luoshi.core.admin import RecordAdmin
from luoshi.notices.models import SupervisionNotice


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(RecordAdmin):
    """Read-only here: notices are issued and answered on their own pages."""

    list_display = ["__str__", "severity", "task", "lead_unit", "issued_at", "reply_by", "answered_at"]
    list_filter = ["severity"]

"""The plans' scoring rules in the admin."""

from django.contrib import admin

from luoshi.core.admin import ReferenceAdmin
from luoshi.scoring.models import ScoringRule


@admin.register(ScoringRule)
class ScoringRuleAdmin(ReferenceAdmin):
    list_display = [
        "plan",
        "on_time_points",
        "overdue_points_per_day",
        "returned_points",
        "missed_report_points",
    ]

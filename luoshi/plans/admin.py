from django.contrib import admin

from luoshi.core.admin import ReferenceAdmin, ReferenceInline
from luoshi.plans.models import Goal, Plan


class GoalInline(ReferenceInline):
    model = Goal


@admin.register(Plan)
class PlanAdmin(ReferenceAdmin):
    list_display = ["title", "document_number", "period_start", "period_end", "owner_unit"]
    inlines = [GoalInline]
    exclude = ["version"]

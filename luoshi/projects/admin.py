from django.contrib import admin

from luoshi.core.admin import ReferenceAdmin, ReferenceInline
from luoshi.projects.models import Project, ProjectStage, ProjectYear


class StageInline(ReferenceInline):
    model = ProjectStage


class YearInline(ReferenceInline):
    model = ProjectYear


@admin.register(Project)
class ProjectAdmin(ReferenceAdmin):
    list_display = ["name", "owner_unit", "industry", "total_investment", "plan"]
    list_filter = ["plan", "industry"]
    search_fields = ["name"]
    filter_horizontal = ["tasks"]
    inlines = [StageInline, YearInline]

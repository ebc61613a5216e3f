from django.contrib import admin

from luoshi.core.admin import ReferenceAdmin, ReferenceInline
from luoshi.indicators.models import Indicator, IndicatorActual, IndicatorTarget


class TargetInline(ReferenceInline):
    model = IndicatorTarget
    fk_name = "indicator"


class ActualInline(ReferenceInline):
    model = IndicatorActual


@admin.register(Indicator)
class IndicatorAdmin(ReferenceAdmin):
    list_display = ["name", "unit", "direction", "frequency", "owner_unit", "plan"]
    list_filter = ["plan", "frequency", "direction"]
    search_fields = ["name"]
    inlines = [TargetInline, ActualInline]

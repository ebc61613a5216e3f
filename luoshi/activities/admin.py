"""Activities in the admin, read-only: their own page records them."""

from django.contrib import admin

from luoshi.activities.models import Activity
from luoshi.core.admin import ReadOnlyAdmin


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "unit", "kind", "title", "participant_count"]
    list_filter = ["kind", "unit"]

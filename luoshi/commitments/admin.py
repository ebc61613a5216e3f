"""Commitments in the admin, read-only: their own pages write them."""

from django.contrib import admin

from luoshi.commitments.models import Commitment
from luoshi.core.admin import ReadOnlyAdmin


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "generated_at", "acknowledged_at", "acknowledged_by"]
    list_filter = ["year"]

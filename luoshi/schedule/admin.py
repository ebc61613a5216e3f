from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from luoshi.core.admin import ReferenceAdmin, ReferenceInline
from luoshi.schedule.models import DayKind, HolidaySpan, HolidayYear, calendar_changed
from luoshi.schedule.notice import Notice, NoticeLine, check_notice


class SpanFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """The spans of one notice, checked together: no day twice, make-up days on weekends."""
        super().clean()
        if self.instance.year is None:
            return  # the year itself is invalid; its own error is shown
        lines = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not (data.get("first_day") and data.get("last_day")):
                continue
            lines.append(
                NoticeLine(DayKind(data["kind"]), data.get("name", ""), data["first_day"], data["last_day"])
            )
        problems = check_notice(Notice(self.instance.year, self.instance.notice, tuple(lines)))
        if problems:
            raise ValidationError(problems)


class SpanInline(ReferenceInline):
    model = HolidaySpan
    formset = SpanFormSet
    fields = ["kind", "name", "first_day", "last_day"]


@admin.register(HolidayYear)
class HolidayYearAdmin(ReferenceAdmin):
    list_display = ["year", "notice", "updated_at"]
    search_fields = ["notice"]
    inlines = [SpanInline]

    # A notice saved or deleted here changes the working-day calendar: said here, where it happens.
    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        calendar_changed(form.instance.year)

    def delete_model(self, request, obj: HolidayYear) -> None:
        year = obj.year
        super().delete_model(request, obj)
        calendar_changed(year)

    def delete_queryset(self, request, queryset) -> None:
        years = list(queryset.values_list("year", flat=True))
        super().delete_queryset(request, queryset)
        calendar_changed(*years)

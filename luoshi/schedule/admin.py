from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from luoshi.core.admin import ReferenceAdmin, ReferenceInline
from luoshi.schedule.models import DayKind, HolidaySpan, HolidayYear
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

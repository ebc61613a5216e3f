"""Entering a year's holiday notice: the one path for the admin page's future form and the command."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from luoshi.core.access import Action, can
from luoshi.orgs.models import Person
from luoshi.schedule.models import HolidaySpan, HolidayYear, calendar_changed
from luoshi.schedule.notice import Notice, check_notice


def enter_holiday_year(actor: Person | None, notice: Notice) -> HolidayYear:
    """Enter a year's notice, replacing what was entered for that year; the calendar uses it at once.

    `actor` is None on the command line, where the operator of the server acts."""
    if actor is not None and not can(actor, Action.CREATE, HolidayYear):
        raise PermissionDenied("not allowed: enter holiday year")
    problems = check_notice(notice)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        holiday_year, _ = HolidayYear.objects.update_or_create(
            year=notice.year, defaults={"notice": notice.notice}
        )
        for span in holiday_year.spans.all():
            span.delete()  # one by one, so each removal is kept in the history
        for line in notice.lines:
            HolidaySpan.objects.create(
                holiday_year=holiday_year,
                kind=line.kind,
                name=line.name,
                first_day=line.first_day,
                last_day=line.last_day,
            )
    calendar_changed(notice.year)  # the calendar follows the notice now, in this process and the table
    return holiday_year

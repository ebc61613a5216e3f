"""Holiday notices (节假日安排) the office enters for years the calendar package does not cover yet."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.schedule import workdays

#: A listed span longer than this is surely a typing error (the longest holiday, 春节, is 8–9 days).
LONGEST_SPAN_DAYS = 31


def calendar_changed(*years: int) -> None:
    """Make the working-day calendar follow the office's entries of these years (all, when none given).

    Called explicitly (not by a signal, nor by the models' save) by the two writers of a year's notice,
    `actions.enter_holiday_year` and the admin, once the notice is saved; a reader sees there the two
    things a holiday entry changes: the in-process calendar is dropped (now, for reads
    later in this transaction, and again after commit, in case a read in between cached the state
    being committed), and the calendar table (`WorkingDay`) is rewritten in this transaction for the
    changed years and the days after them, and so are the days each task's schedule turns behind or
    late (plans.schedule_days)."""
    workdays.forget_office_calendar()
    transaction.on_commit(workdays.forget_office_calendar)
    refresh_working_days(*years)
    from luoshi.plans.schedule_days import refresh_all_schedule_days  # plans builds on this app

    refresh_all_schedule_days()  # backward schedules count working days


#: The days the calendar table holds: every date a task may carry (plans.models.MIN_DATE … MAX_DATE).
FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)


class WorkingDay(models.Model):
    """One day of the working-day calendar, in the database, so that 序时进度 is arithmetic in SQL.

    `number` counts the working days from FIRST_DAY up to and including the day, by the calendar in
    force (the office's entries over the package; Monday to Friday in a year nobody covers, as the
    task light estimates): the working days in [a, b] are number(b) − number(a) + working(a)."""

    day = models.DateField(_("日期"), primary_key=True)
    working = models.BooleanField(_("工作日"))
    number = models.PositiveIntegerField(_("累计工作日"))

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")

    def __str__(self) -> str:
        return f"{self.day} {self.number}"


def working_day_rows(first: dt.date, last: dt.date, before: int) -> list[WorkingDay]:
    """The calendar table's rows for [first, last], counting on from `before` working days."""
    cal = workdays.WorkingCalendar(workdays.read_office_entries())
    rows, number, day = [], before, first
    while day <= last:
        working = cal.is_working_day(day, estimate=True)
        number += working
        rows.append(WorkingDay(day=day, working=working, number=number))
        day += dt.timedelta(days=1)
    return rows


def refresh_working_days(*years: int) -> None:
    """Rewrite the calendar table for these years (with the year before each: a notice may reach
    into it), then move every later day's count by the difference; without years, all of it."""
    if years and not WorkingDay.objects.filter(day=FIRST_DAY).exists():
        years = ()  # an emptied table (a test's flush): fill all of it, never a part that counts from 0
    if years:
        first, last = (
            max(FIRST_DAY, dt.date(min(years) - 1, 1, 1)),
            min(LAST_DAY, dt.date(max(years), 12, 31)),
        )
    else:
        first, last = FIRST_DAY, LAST_DAY
    old = WorkingDay.objects.filter(day=last).values_list("number", flat=True).first()
    before = (
        WorkingDay.objects.filter(day=first - dt.timedelta(days=1)).values_list("number", flat=True).first()
        or 0
    )
    rows = working_day_rows(first, last, before)
    WorkingDay.objects.filter(day__gte=first, day__lte=last).delete()
    WorkingDay.objects.bulk_create(rows, batch_size=2000)
    if old is not None and old != rows[-1].number:
        WorkingDay.objects.filter(day__gt=last).update(number=F("number") + (rows[-1].number - old))


class HolidayYear(models.Model):
    """One year's holiday notice (国务院办公厅关于部分节假日安排的通知), as the office entered it.

    Once a year is entered, its days follow this notice and Monday to Friday, not the package."""

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    notice = models.CharField(
        _("通知"),
        max_length=200,
        blank=True,
        help_text=_(
            "通知名称与文号，如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"
        ),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        return f"{self.year} 年节假日安排"


class DayKind(models.TextChoices):
    OFF = "off", _("放假")
    WORK = "work", _("调休上班")


class HolidaySpan(models.Model):
    """A line of the notice: days off (放假), or a weekend made a working day (调休上班)."""

    holiday_year = models.ForeignKey(
        HolidayYear, on_delete=models.CASCADE, related_name="spans", verbose_name=_("节假日安排")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=50, blank=True, help_text=_("如：国庆节、中秋节"))
    first_day = models.DateField(_("起始日"))
    last_day = models.DateField(_("结束日"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["first_day", "id"]
        verbose_name = _("放假与调休")
        verbose_name_plural = _("放假与调休")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="holiday_span_ends_after_start",
                violation_error_message=_("结束日不能早于起始日。"),
            )
        ]

    def __str__(self) -> str:
        days = f"{self.first_day}" if self.first_day == self.last_day else f"{self.first_day}—{self.last_day}"
        return f"{self.name or self.get_kind_display()} {days}"

    def clean(self) -> None:
        """A span touches its notice's year and is not absurdly long."""
        super().clean()
        if not (self.first_day and self.last_day and self.holiday_year_id):
            return
        year = self.holiday_year.year
        if self.last_day.year < year or self.first_day.year > year:
            raise ValidationError(
                {"first_day": _("日期须在 %(year)s 年内（元旦可跨上年末）。") % {"year": year}}
            )
        if (self.last_day - self.first_day).days >= LONGEST_SPAN_DAYS:
            raise ValidationError(
                {"last_day": _("一段放假或调休不应超过 %(n)s 天。") % {"n": LONGEST_SPAN_DAYS}}
            )

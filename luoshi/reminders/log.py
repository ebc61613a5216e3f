"""What became of the reminders sent: by which channels they went, whether they were read, and whether
the lead unit answered with a progress report (or, for a 督办单, with its reply). The 催办 page reads this."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from luoshi.inbox.models import Notification
from luoshi.messaging.models import Channel
from luoshi.notices.models import SupervisionNotice
from luoshi.orgs.models import Unit
from luoshi.plans.models import Task
from luoshi.progress.models import ProgressReport
from luoshi.reminders.actions import LEVEL
from luoshi.reminders.models import Reminder, ReminderKind


@dataclass
class ReminderLine:
    """One reminder to one person (or group robot) about one task on one day, by all its channels."""

    issued_on: dt.date
    task: Task
    kind: str
    what: str  # the kind in words, with the level of an overdue step
    to: str
    channels: list[Reminder] = field(default_factory=list)
    read_at: dt.datetime | None = None
    answered_on: dt.date | None = None


@dataclass
class UnitReminders:
    unit: Unit
    lines: list[ReminderLine]

    @property
    def sent(self) -> int:
        return len(self.lines)

    @property
    def read(self) -> int:
        return sum(1 for line in self.lines if line.read_at)

    @property
    def answered(self) -> int:
        return sum(1 for line in self.lines if line.answered_on)

    @property
    def unanswered(self) -> int:
        return self.sent - self.answered


def _what(reminder: Reminder) -> str:
    label = str(ReminderKind(reminder.kind).label)
    if reminder.kind == ReminderKind.OVERDUE:
        return _("%(kind)s·第%(level)d级") % {"kind": label, "level": LEVEL[reminder.recipient_role]}
    return label


def _answers(lines: list[ReminderLine]) -> None:
    """Fill in each line's answer: the lead unit's first report on or after the day it went out, or,
    for a 督办单, the day it was answered."""
    tasks = {line.task.pk: line.task.lead_unit_id for line in lines}
    reports: dict[int, list[dt.date]] = defaultdict(list)
    rows = ProgressReport.objects.filter(task_id__in=list(tasks)).values_list(
        "task_id", "unit_id", "reported_on"
    )
    for task_id, unit_id, day in rows:
        if unit_id == tasks[task_id]:
            reports[task_id].append(day)
    notices = defaultdict(list)
    for notice in SupervisionNotice.objects.filter(task_id__in=list(tasks), answered_at__isnull=False):
        notices[notice.task_id].append(notice)
    for line in lines:
        if line.kind == ReminderKind.NOTICE:
            days = [n.answered_on for n in notices[line.task.pk] if n.issued_on == line.issued_on]
        else:
            days = [day for day in reports[line.task.pk] if day >= line.issued_on]
        line.answered_on = min(days, default=None)


def reminder_log(reminders: QuerySet) -> list[UnitReminders]:
    """The reminders, one line per person (or robot), task and day, grouped by the task's lead unit."""
    rows = reminders.select_related("task", "task__lead_unit", "recipient", "endpoint").order_by(
        "-issued_on", "task_id", "id"
    )
    lines: dict[tuple, ReminderLine] = {}
    for reminder in rows:
        address = (
            f"w{reminder.endpoint_id}" if reminder.channel == Channel.WEBHOOK else f"p{reminder.recipient_id}"
        )
        key = (reminder.issued_on, reminder.task_id, reminder.kind, reminder.recipient_role, address)
        line = lines.get(key)
        if line is None:
            to = (
                str(reminder.endpoint)
                if reminder.channel == Channel.WEBHOOK
                else reminder.recipient.display_name
            )
            line = lines[key] = ReminderLine(
                reminder.issued_on, reminder.task, reminder.kind, _what(reminder), to
            )
        line.channels.append(reminder)
    read = dict(
        Notification.objects.filter(
            reminder__in=[r for line in lines.values() for r in line.channels], read_at__isnull=False
        ).values_list("reminder_id", "read_at")
    )
    for line in lines.values():
        line.read_at = min((read[r.pk] for r in line.channels if r.pk in read), default=None)
    _answers(list(lines.values()))
    by_unit: dict[int, list[ReminderLine]] = defaultdict(list)
    for line in lines.values():
        by_unit[line.task.lead_unit_id].append(line)
    units = {line.task.lead_unit_id: line.task.lead_unit for line in lines.values()}
    return sorted(
        (UnitReminders(units[pk], unit_lines) for pk, unit_lines in by_unit.items()),
        key=lambda group: (-group.unanswered, group.unit.name),
    )

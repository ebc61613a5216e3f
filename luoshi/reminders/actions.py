"""Which reminders are due on a day, and the scan that records them for sending.

One path behind the worker, `luoshi remind` and its dry run: `due_reminders` works out, from the
plan's rules and the stored facts, every reminder that should exist by a day; `scan_reminders`
stores the ones that do not yet, as pending rows the sender delivers (`luoshi.messaging.sending`).

Overdue reminders escalate like an office does: owner → lead unit head → supervising leader, one
step at a time. A step goes out only once the step below it went out and the lead unit then stayed
silent (no progress report) for the plan's interval: the difference between the two steps' working
days. And a person, or a group robot, hears about a task at most once a day, whatever the level.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.core import clock
from luoshi.core.links import absolute
from luoshi.core.text import chinese_date
from luoshi.messaging import work_messages
from luoshi.messaging.models import Channel, DeliveryState, WebhookEndpoint
from luoshi.orgs.models import Person, Role, Unit
from luoshi.plans.models import ACTIVE_STATUSES, Milestone, Plan, Task, TaskKind, TaskStatus
from luoshi.progress.models import ProgressReport
from luoshi.reminders.cadence import TaskFacts, count_working_days_after
from luoshi.reminders.models import Recipient, Reminder, ReminderKind, ReminderRule
from luoshi.schedule.workdays import shift_working_days

#: Statuses in which a task's lead unit owes the work, so reminders run: assigned up to handed in.
REMINDED_STATUSES = (TaskStatus.ASSIGNED, *ACTIVE_STATUSES)

#: A plan with no rules gets these: (kind, working days, recipient, by group robot).
DEFAULT_RULES = (
    (ReminderKind.BEFORE_DEADLINE, 5, Recipient.OWNER, False),
    (ReminderKind.BEFORE_DEADLINE, 1, Recipient.OWNER, False),
    (ReminderKind.BEFORE_MILESTONE, 2, Recipient.OWNER, False),
    (ReminderKind.OVERDUE, 1, Recipient.OWNER, True),
    (ReminderKind.OVERDUE, 3, Recipient.UNIT_HEAD, True),
    (ReminderKind.OVERDUE, 5, Recipient.SUPERVISING_LEADER, True),
    (ReminderKind.NO_REPORT, 10, Recipient.OWNER, True),
)

#: The escalation level each recipient stands for (第几级催办).
LEVEL: dict[str, int] = {Recipient.OWNER: 1, Recipient.UNIT_HEAD: 2, Recipient.SUPERVISING_LEADER: 3}

#: When several reminders would reach one person about one task on one day, the first of these goes.
PRECEDENCE = (
    ReminderKind.OVERDUE,
    ReminderKind.NO_REPORT,
    ReminderKind.BEFORE_DEADLINE,
    ReminderKind.BEFORE_MILESTONE,
)


def _default_rules(plan: Plan) -> list[ReminderRule]:
    return [
        ReminderRule(plan=plan, kind=kind, working_days=days, recipient=recipient, by_webhook=webhook)
        for kind, days, recipient, webhook in DEFAULT_RULES
    ]


def ensure_reminder_rules(plan: Plan, *, create: bool = True) -> list[ReminderRule]:
    """The plan's active rules; a plan that has none at all is given the defaults first.

    With `create=False` (a dry run) the defaults are returned unsaved, and nothing is written.
    """
    if not plan.reminder_rules.exists():
        if not create:
            return _default_rules(plan)
        # ignore_conflicts: another worker may be doing the same right now.
        ReminderRule.objects.bulk_create(_default_rules(plan), ignore_conflicts=True)
    return list(plan.reminder_rules.filter(active=True))


@dataclass(frozen=True)
class DueReminder:
    """A reminder the rules call for on a day: what, to whom, by which channel. Not yet stored."""

    rule: ReminderRule
    task: Task
    milestone: Milestone | None
    due_on: dt.date
    channel: str
    recipient: Person | None
    endpoint: WebhookEndpoint | None
    subject: str
    body: str
    link: str

    @property
    def to(self) -> tuple[str, int]:
        """Its addressee: a group robot ("w", id) or a person ("p", id)."""
        if self.endpoint is not None:
            return "w", self.endpoint.pk
        assert self.recipient is not None, "a reminder goes to a robot or to a person"
        return "p", self.recipient.pk

    @property
    def key(self) -> str:
        address = "".join(map(str, self.to))
        milestone = self.milestone.pk if self.milestone else 0
        return f"{self.rule.pk}:{self.task.pk}:{milestone}:{self.channel}:{address}:{self.due_on.isoformat()}"

    @property
    def address(self) -> tuple[int, str, int]:
        """Who hears about which task by which channel: at most one reminder a day goes to each."""
        return self.task.pk, self.channel, self.to[1]

    @property
    def precedence(self) -> tuple[int, int]:
        """Sorts the reminder that should win a day first: overdue (the highest level first), then the rest."""
        return PRECEDENCE.index(self.rule.kind), -LEVEL[self.rule.recipient]

    def as_row(self, now: dt.datetime, today: dt.date) -> Reminder:
        return Reminder(
            key=self.key,
            rule=self.rule,
            kind=self.rule.kind,
            recipient_role=self.rule.recipient,
            task=self.task,
            milestone=self.milestone,
            due_on=self.due_on,
            channel=self.channel,
            recipient=self.recipient,
            endpoint=self.endpoint,
            subject=self.subject,
            body=self.body,
            link=self.link,
            issued_on=today,
            state=DeliveryState.PENDING,
            next_attempt_at=now,
            created_at=now,
        )


class _Directory:
    """Units, their heads, managers and leaders, and the group robots, read once per scan."""

    def __init__(self) -> None:
        self.units = {u.pk: u for u in Unit.objects.select_related("head", "supervising_leader")}
        self.managers: dict[int, Person] = {}
        for manager in Person.objects.filter(role=Role.MANAGER, is_active=True).order_by("id"):
            self.managers.setdefault(manager.unit_id, manager)
        self.robots_of_unit: dict[int, list[WebhookEndpoint]] = defaultdict(list)
        self.robots_of_plan: dict[int, list[WebhookEndpoint]] = defaultdict(list)
        for robot in WebhookEndpoint.objects.filter(active=True):
            if robot.unit_id:
                self.robots_of_unit[robot.unit_id].append(robot)
            elif robot.plan_id is not None:
                self.robots_of_plan[robot.plan_id].append(robot)

    @staticmethod
    def _active(person: Person | None) -> Person | None:
        return person if person is not None and person.is_active else None

    def head_of(self, unit_id: int) -> Person | None:
        """The unit's head, or failing one, its first manager."""
        return self._active(self.units[unit_id].head) or self.managers.get(unit_id)

    def leader_of(self, unit_id: int | None) -> Person | None:
        """The unit's supervising leader, or the nearest one up the unit tree."""
        while unit_id is not None:
            unit = self.units[unit_id]
            if self._active(unit.supervising_leader):
                return unit.supervising_leader
            unit_id = unit.parent_id
        return None

    def recipient(self, rule: ReminderRule, task: Task) -> Person | None:
        if rule.recipient == Recipient.OWNER:
            return self._active(task.owner) or self.head_of(task.lead_unit_id)
        if rule.recipient == Recipient.UNIT_HEAD:
            return self.head_of(task.lead_unit_id)
        return self.leader_of(task.lead_unit_id)

    def robots(self, task: Task) -> list[WebhookEndpoint]:
        return [*self.robots_of_unit[task.lead_unit_id], *self.robots_of_plan[task.plan_id]]


def compose(
    rule: ReminderRule,
    facts: TaskFacts,
    milestone: Milestone | None,
    due_on: dt.date,
    person: Person | None,
    today: dt.date,
) -> tuple[str, str]:
    """The subject and body of a reminder, in the office's words."""
    task = facts.task
    words = {
        "task": f"{task.code} {task.title}".strip(),
        "date": chinese_date(due_on),
        "deadline": chinese_date(task.deadline),
        "n": rule.working_days,
    }
    if rule.kind == ReminderKind.BEFORE_DEADLINE:
        words["left"] = count_working_days_after(today, due_on)
        subject = _("【到期提醒】“%(task)s”将于%(date)s到期") % words
        lead = (
            _("任务“%(task)s”的完成时限是%(date)s，还剩 %(left)d 个工作日，请抓紧推进、按时申请办结。")
            % words
        )
    elif rule.kind == ReminderKind.BEFORE_MILESTONE:
        assert milestone is not None, "a milestone rule reminds of a milestone"
        words.update(left=count_working_days_after(today, due_on), milestone=milestone.title)
        subject = _("【节点提醒】“%(task)s”的节点“%(milestone)s”将于%(date)s到期") % words
        lead = _("任务“%(task)s”的节点“%(milestone)s”计划于%(date)s完成，还剩 %(left)d 个工作日。") % words
    elif rule.kind == ReminderKind.OVERDUE:
        words.update(late=count_working_days_after(task.deadline, today), level=LEVEL[rule.recipient])
        subject = _("【逾期催办·第%(level)d级】“%(task)s”已逾期 %(late)d 个工作日") % words
        ask = {
            Recipient.OWNER: _("请尽快完成并申请办结，或书面说明原因。"),
            Recipient.UNIT_HEAD: _("请单位负责人督促落实，尽快办结。"),
            Recipient.SUPERVISING_LEADER: _("请分管领导过问督办。"),
        }[Recipient(rule.recipient)]
        lead = (
            _("任务“%(task)s”的完成时限是%(deadline)s，至今未办结，已逾期 %(late)d 个工作日。") % words + ask
        )
    else:
        last = facts.report_dates[-1] if facts.report_dates else None
        words["since"] = _("自%(date)s报送后") % {"date": chinese_date(last)} if last else _("自交办以来")
        subject = _("【催报】“%(task)s”已连续 %(n)d 个工作日未报送进度") % words
        lead = _("任务“%(task)s”%(since)s已连续 %(n)d 个工作日未报送进度，请及时报送进展和佐证材料。") % words
    facts_line = {
        "unit": task.lead_unit.display_name,
        "owner": task.owner.display_name if task.owner else _("未指定"),
        "deadline": chinese_date(task.deadline),
        "status": TaskStatus(facts.status).label,
    }
    lines = [
        *([_("%(name)s：") % {"name": person.display_name}] if person else []),
        lead,
        _("牵头单位：%(unit)s　责任人：%(owner)s") % facts_line,
        _("完成时限：%(deadline)s　当前状态：%(status)s") % facts_line,
    ]
    return subject, "\n".join(lines)


def task_link(task_id: int) -> str:
    """The task's page, as an absolute address for email and group robots."""
    return absolute(reverse("task_detail", args=[task_id]))


def _occasions(
    rule: ReminderRule, facts: TaskFacts, today: dt.date, is_leaf: bool
) -> Iterator[tuple[Milestone | None, dt.date]]:
    """The (milestone, date) this rule reminds about today for the task, if any."""
    task = facts.task
    days = rule.working_days
    if rule.kind == ReminderKind.BEFORE_DEADLINE:
        if shift_working_days(task.deadline, -days, estimate=True) <= today <= task.deadline:
            yield None, task.deadline
    elif rule.kind == ReminderKind.BEFORE_MILESTONE:
        for milestone in task.milestones.all():
            due = milestone.due_date
            if (
                milestone.completed_on is None
                and shift_working_days(due, -days, estimate=True) <= today <= due
            ):
                yield milestone, due
    elif rule.kind == ReminderKind.OVERDUE:
        return  # overdue reminders climb a ladder, one step at a time: `_escalation`
    elif is_leaf:  # progress is reported on leaf tasks; a parent's is rolled up from them
        mark = facts.current_silence_mark(days)
        if mark is not None:
            yield None, mark


def _candidate_tasks() -> list[Task]:
    return list(
        Task.objects.filter(status__in=REMINDED_STATUSES)
        .exclude(kind=TaskKind.AREA)
        .select_related("plan", "lead_unit", "owner")
        .prefetch_related("milestones", "transitions")
    )


def _lead_report_dates(tasks: Iterable[Task]) -> dict[int, list[dt.date]]:
    lead_of = {task.pk: task.lead_unit_id for task in tasks}
    dates: dict[int, list[dt.date]] = defaultdict(list)
    rows = ProgressReport.objects.filter(task_id__in=list(lead_of)).values_list(
        "task_id", "unit_id", "reported_on"
    )
    for task_id, unit_id, day in rows:
        if unit_id == lead_of[task_id]:
            dates[task_id].append(day)
    return dates


def _ladder(rules: Iterable[ReminderRule]) -> list[ReminderRule]:
    """A plan's overdue steps, lowest first: by working days, then by level."""
    steps = [rule for rule in rules if rule.kind == ReminderKind.OVERDUE]
    return sorted(steps, key=lambda rule: (rule.working_days, LEVEL[rule.recipient], rule.pk or 0))


def _first_issued(tasks: list[Task]) -> dict[tuple[int, int, dt.date], dt.date]:
    """(rule, task, deadline) → the day that overdue step first went out, for the tasks scanned."""
    rows = (
        Reminder.objects.filter(
            task_id__in=[task.pk for task in tasks], kind=ReminderKind.OVERDUE, rule__isnull=False
        )
        .values("rule_id", "task_id", "due_on")
        .annotate(first=Min("issued_on"))
    )
    return {(row["rule_id"], row["task_id"], row["due_on"]): row["first"] for row in rows}


def _escalation(
    ladder: list[ReminderRule], facts: TaskFacts, issued: dict, directory: "_Directory", today: dt.date
) -> Iterator[DueReminder]:
    """The overdue steps due today for a task, climbing one step at a time.

    A step is due once the task is its working days overdue and, above the first, once the step below
    went out and the lead unit has then been silent for the difference in working days between the
    two steps (a report restarts that wait). A step with nobody to reach is passed over.
    """
    task = facts.task
    if not task.deadline < today:
        return
    below: tuple[dt.date, int] | None = None  # (the day the step below went out, its working days)
    for rule in ladder:
        if shift_working_days(task.deadline, rule.working_days, estimate=True) > today:
            return
        if below is not None:
            went_out, below_days = below
            quiet_since = max([went_out, *(day for day in facts.report_dates if day >= went_out)])
            if shift_working_days(quiet_since, max(1, rule.working_days - below_days), estimate=True) > today:
                return
        reminders = list(_addressed(rule, facts, None, task.deadline, directory, today))
        if not reminders:
            continue
        yield from reminders
        sent_on = issued.get((rule.pk, task.pk, task.deadline))
        if sent_on is None:
            return  # the next step waits until this one has gone out
        below = (sent_on, rule.working_days)


def due_reminders(today: dt.date | None = None, *, dry_run: bool = False) -> list[DueReminder]:
    """Every reminder the rules call for on `today`, stored or not; a dry run writes nothing."""
    today = today or clock.today()
    tasks = _candidate_tasks()
    if not tasks:
        return []
    directory = _Directory()
    report_dates = _lead_report_dates(tasks)
    issued = _first_issued(tasks)
    # A task whose children are all drafts still carries its own work, and its own reports (see plans.rollup).
    parents = set(Task.objects.counted().filter(parent__in=tasks).values_list("parent_id", flat=True))
    rules_of: dict[int, list[ReminderRule]] = {}
    due: list[DueReminder] = []
    for task in tasks:
        if task.plan_id not in rules_of:
            rules_of[task.plan_id] = ensure_reminder_rules(task.plan, create=not dry_run)
        rules = rules_of[task.plan_id]
        facts = TaskFacts.of(task, task.transitions.all(), report_dates[task.pk], today)
        for rule in rules:
            for milestone, due_on in _occasions(rule, facts, today, is_leaf=task.pk not in parents):
                due.extend(_addressed(rule, facts, milestone, due_on, directory, today))
        due.extend(_escalation(_ladder(rules), facts, issued, directory, today))
    return due


def _addressed(
    rule: ReminderRule,
    facts: TaskFacts,
    milestone: Milestone | None,
    due_on: dt.date,
    directory: _Directory,
    today: dt.date,
) -> Iterator[DueReminder]:
    """One reminder per channel the rule uses: the person in-app, by email and through the office's WeCom
    or DingTalk app, and each group robot."""
    task = facts.task
    person = directory.recipient(rule, task)
    subject, body = compose(rule, facts, milestone, due_on, person, today)
    common: dict[str, Any] = {
        "rule": rule,
        "task": task,
        "milestone": milestone,
        "due_on": due_on,
        "subject": subject,
        "body": body,
        "link": task_link(task.pk),
    }
    if person is not None and rule.in_app:
        yield DueReminder(channel=Channel.IN_APP, recipient=person, endpoint=None, **common)
    if person is not None and rule.by_email and person.email:
        yield DueReminder(channel=Channel.EMAIL, recipient=person, endpoint=None, **common)
    if person is not None and rule.by_message:
        for channel in work_messages.channels_for(person):
            yield DueReminder(channel=channel, recipient=person, endpoint=None, **common)
    if rule.by_webhook:
        for robot in directory.robots(task):
            yield DueReminder(channel=Channel.WEBHOOK, recipient=person, endpoint=robot, **common)


def _stored_keys(keys: list[str]) -> set[str]:
    stored: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        stored.update(Reminder.objects.filter(key__in=chunk).values_list("key", flat=True))
    return stored


def _addressed_today(today: dt.date) -> set[tuple[int, str, int]]:
    """The (task, channel, person or robot) the rules' reminders already reached today."""
    rows = (
        Reminder.objects.filter(issued_on=today)
        .exclude(kind=ReminderKind.NOTICE)
        .values_list("task_id", "channel", "recipient_id", "endpoint_id")
    )
    return {
        (task, channel, robot if channel == Channel.WEBHOOK else person)
        for task, channel, person, robot in rows
    }


def new_reminders(today: dt.date | None = None, *, dry_run: bool = False) -> list[DueReminder]:
    """The due reminders not yet stored, at most one a day per person (or robot) and task: what the
    next scan will add. The others wait: one still due tomorrow goes out then."""
    today = today or clock.today()
    due = due_reminders(today, dry_run=dry_run)
    stored = _stored_keys([d.key for d in due])
    taken = _addressed_today(today)
    fresh: list[DueReminder] = []
    for reminder in sorted((d for d in due if d.key not in stored), key=lambda d: d.precedence):
        if reminder.address not in taken:
            taken.add(reminder.address)
            fresh.append(reminder)
    return fresh


def scan_reminders(today: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """Store the reminders due today that are not stored yet, as pending from `now`; return how many.

    Safe to run any number of times and in several workers at once: the unique key and the
    once-a-day constraints drop repeats.
    """
    today = today or clock.today()
    fresh = new_reminders(today)
    if not fresh:
        return 0
    now = now or clock.now()
    with transaction.atomic():
        Reminder.objects.bulk_create([d.as_row(now, today) for d in fresh], ignore_conflicts=True)
    return len(fresh)

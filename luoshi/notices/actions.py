"""Issuing a 督办单 to a task's lead unit, delivering it like a reminder, and the lead unit's answer."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.core import clock
from luoshi.core.access import Action, require
from luoshi.core.history import set_history_user
from luoshi.core.links import absolute
from luoshi.core.text import chinese_date
from luoshi.messaging.models import Channel, DeliveryState
from luoshi.notices.models import Severity, SupervisionNotice
from luoshi.orgs.models import Person, Role
from luoshi.plans.health import Light, healths_of
from luoshi.plans.models import Task, TaskStatus
from luoshi.plans.rollup import progress_of
from luoshi.progress.actions import validate_evidence
from luoshi.reminders.models import Recipient, Reminder, ReminderKind
from luoshi.schedule.workdays import shift_working_days

#: Working days the lead unit has to answer, by severity: the redder, the sooner.
REPLY_WORKING_DAYS = {Severity.RED: 3, Severity.YELLOW: 5, Severity.BLUE: 7}

#: The severity the office is offered for a task, from its light.
SEVERITY_OF_LIGHT = {
    Light.OVERDUE: Severity.RED,
    Light.RED: Severity.RED,
    Light.YELLOW: Severity.YELLOW,
    Light.RETURNED: Severity.YELLOW,
}


def suggested_severity(task: Task, today: dt.date | None = None) -> Severity:
    """Red for a task overdue or seriously behind, yellow for one behind, blue otherwise."""
    today = today or clock.today()
    health = healths_of([task], progress_of([task.pk]), today)[task.pk]
    return SEVERITY_OF_LIGHT.get(health.light, Severity.BLUE)


def default_reply_by(severity: str, today: dt.date | None = None) -> dt.date:
    return shift_working_days(today or clock.today(), REPLY_WORKING_DAYS[Severity(severity)], estimate=True)


def _next_number(year: int) -> int:
    return (SupervisionNotice.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1


def issue_notice(
    actor: Person, task: Task, *, severity: str, reason: str, reply_by: dt.date
) -> SupervisionNotice:
    """Number a 督办单 on the task, addressed to its lead unit, and send it to that unit's managers."""
    require(actor, Action.CREATE, SupervisionNotice(task=task))  # the supervision office
    if task.status in (TaskStatus.DRAFT, TaskStatus.CLOSED):
        raise ValidationError(
            _("任务当前状态为“%(status)s”，不能督办。") % {"status": task.get_status_display()}
        )
    now, today = clock.now(), clock.today()
    if reply_by <= today:
        raise ValidationError({"reply_by": _("答复期限须晚于今天。")})
    notice = SupervisionNotice(
        task=task,
        lead_unit=task.lead_unit,
        year=today.year,
        severity=severity,
        reason=reason.strip(),
        reply_by=reply_by,
        issuer_name=actor.unit.name if actor.unit else _("督查室"),
        issued_by=actor,
        issued_at=now,
    )
    set_history_user(notice, actor)
    for _attempt in range(5):  # two offices numbering at once: the unique number makes one of them retry
        notice.number = _next_number(today.year)
        notice.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                notice.save()
                deliver_notice(notice, now)
        except IntegrityError:
            notice.pk = None
            continue
        break
    else:
        raise ValidationError(_("督办单编号分配冲突，请重试。"))
    transaction.on_commit(_queue_sending)
    return notice


def _addressees(notice: SupervisionNotice) -> list[Person]:
    """The lead unit's managers, and its head if the head is someone else."""
    people = list(
        Person.objects.filter(unit=notice.lead_unit, role=Role.MANAGER, is_active=True).order_by("id")
    )
    head = notice.lead_unit.head
    if head is not None and head.is_active and head not in people:
        people.append(head)
    return people


def deliver_notice(notice: SupervisionNotice, now: dt.datetime) -> int:
    """Store the notice's sendings like reminders (in the app, and by e-mail where there is an address):
    the sender delivers, retries and never sends one twice."""
    task = notice.task
    words = {
        "number": notice.document_number,
        "severity": notice.get_severity_display(),
        "task": f"{task.code} {task.title}".strip(),
        "date": chinese_date(notice.reply_by),
    }
    subject = _("【督办单】%(number)s（%(severity)s）：“%(task)s”") % words
    body = "\n".join(
        [
            _("%(unit)s：") % {"unit": notice.lead_unit.name},
            _("督查室就任务“%(task)s”向你单位发出%(severity)s，编号%(number)s。") % words,
            _("督办事由：%(reason)s") % {"reason": notice.reason},
            _("请于%(date)s前在系统中答复办理情况。") % words,
        ]
    )
    link = absolute(reverse("notice_detail", args=[notice.pk]))
    rows = []
    for person in _addressees(notice):
        channels = [Channel.IN_APP, *([Channel.EMAIL] if person.email else [])]
        rows += [
            Reminder(
                key=f"notice:{notice.pk}:{channel}:p{person.pk}",
                kind=ReminderKind.NOTICE,
                recipient_role=Recipient.UNIT_HEAD,
                task=task,
                due_on=notice.reply_by,
                channel=channel,
                recipient=person,
                subject=subject[:200],
                body=body,
                link=link,
                issued_on=notice.issued_on,
                state=DeliveryState.PENDING,
                next_attempt_at=now,
                created_at=now,
            )
            for channel in channels
        ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _queue_sending() -> None:
    from luoshi.supervision.jobs import send_reminders  # the worker's tasks import the apps, not the reverse

    send_reminders.enqueue()


def answer_notice(
    actor: Person, notice: SupervisionNotice, *, reply: str, evidence: UploadedFile | None = None
) -> SupervisionNotice:
    """The lead unit's answer: what it has done, optionally with a file. Answered once."""
    require(actor, Action.ANSWER, notice)  # the lead unit's managers
    if notice.answered_at is not None:
        raise ValidationError(_("该督办单已答复。"))
    if not reply.strip():
        raise ValidationError({"reply": _("答复须写明办理情况。")})
    if evidence is not None:
        validate_evidence([evidence])
    notice.reply, notice.answered_by, notice.answered_at = reply.strip(), actor, clock.now()
    set_history_user(notice, actor)
    with transaction.atomic():
        if evidence is not None:
            notice.evidence_name = (evidence.name or "")[:255]
            notice.evidence.save(evidence.name, evidence, save=False)
        notice.save()
    return notice

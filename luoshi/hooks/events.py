"""What other systems hear of: each event is stored once per subscription that wants it, in the same
transaction as the change it reports, and sent by the worker (`luoshi.hooks.sending`)."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from luoshi.core import clock
from luoshi.core.links import absolute
from luoshi.hooks.models import Event, HookDelivery, HookSubscription
from luoshi.plans.models import Task


def emit(event: Event, event_id: str, data: dict[str, Any], now: dt.datetime | None = None) -> int:
    """Store the event for every active subscription that wants it; returns how many sendings are new.

    `event_id` names the fact (e.g. task 7 closed at a time): the same fact emitted again is not sent again."""
    return emit_many(event, [(event_id, data)], now)


def emit_many(event: Event, facts: list[tuple[str, dict[str, Any]]], now: dt.datetime | None = None) -> int:
    """`emit` for many facts of one kind at once (the daily scan's overdue tasks), in a few queries."""
    now = now or clock.now()
    subscriptions = list(
        HookSubscription.objects.filter(active=True, **{HookSubscription.WANTS[event]: True})
    )
    if not subscriptions or not facts:
        return 0
    rows = [
        HookDelivery(
            subscription=s,
            event=event,
            event_id=event_id,
            key=f"{event_id}:s{s.pk}",
            payload={"id": event_id, "event": str(event), "occurred_at": now.isoformat(), "data": data},
            next_attempt_at=now,
            created_at=now,
        )
        for event_id, data in facts
        for s in subscriptions
    ]
    stored = HookDelivery.objects.filter(event=event)
    before = stored.count()
    HookDelivery.objects.bulk_create(
        rows, batch_size=500, ignore_conflicts=True
    )  # the unique key keeps each once
    added = stored.count() - before
    if added:
        transaction.on_commit(_queue_sending)
    return added


def _queue_sending() -> None:
    from luoshi.hooks.jobs import (
        send_hooks,  # the job sends through the delivery module, which imports this one's models
    )

    send_hooks.enqueue()


def task_data(task: Any) -> dict[str, Any]:
    """A task as other systems see it: what the API's task list gives, and where to read more."""
    return {
        "task": {
            "id": task.pk,
            "plan_id": task.plan_id,
            "code": task.code,
            "title": task.title,
            "status": task.status,
            "lead_unit": {"id": task.lead_unit_id, "name": task.lead_unit.name},
            "deadline": task.deadline.isoformat(),
            "closed_at": task.closed_at.isoformat() if task.closed_at else None,
            "api_url": absolute(reverse("api:get_task", kwargs={"task_id": task.pk})),
            "page_url": absolute(reverse("task_detail", args=[task.pk])),
        }
    }


def task_closed(task: Any, at: dt.datetime) -> int:
    """A task was signed off (销号)."""
    return emit(Event.TASK_CLOSED, f"task.closed:{task.pk}:{int(at.timestamp())}", task_data(task), at)


def tasks_overdue(today: dt.date, now: dt.datetime | None = None) -> int:
    """Every task open past its deadline, once per task and deadline (a new deadline, passed, is news again)."""
    if not HookSubscription.objects.filter(active=True, on_task_overdue=True).exists():
        return 0
    sent = set(HookDelivery.objects.filter(event=Event.TASK_OVERDUE).values_list("event_id", flat=True))
    facts = []
    for task in Task.objects.overdue(today).select_related("lead_unit").order_by("id").iterator():
        event_id = f"task.overdue:{task.pk}:{task.deadline.isoformat()}"
        if event_id not in sent:
            facts.append((event_id, {**task_data(task), "overdue_since": task.deadline.isoformat()}))
    return emit_many(Event.TASK_OVERDUE, facts, now)


def bulletin_published(bulletin: Any) -> int:
    """A bulletin was published: its number, period and where to read and download it."""
    downloads = {
        fmt: absolute(reverse("api:download_bulletin", kwargs={"bulletin_id": bulletin.pk, "fmt": fmt}))
        for fmt in ("docx", "pdf", "xlsx")
    }
    data = {
        "bulletin": {
            "id": bulletin.pk,
            "plan_id": bulletin.plan_id,
            "title": bulletin.title,
            "document_number": bulletin.document_number,
            "period_kind": bulletin.period_kind,
            "period_start": bulletin.period_start.isoformat(),
            "period_end": bulletin.period_end.isoformat(),
            "published_at": timezone.localtime(bulletin.published_at).isoformat(),
            "api_url": absolute(reverse("api:get_bulletin", kwargs={"bulletin_id": bulletin.pk})),
            "page_url": absolute(reverse("bulletin_detail", args=[bulletin.pk])),
            "downloads": downloads,
        }
    }
    return emit(Event.BULLETIN_PUBLISHED, f"bulletin.published:{bulletin.pk}", data, bulletin.published_at)

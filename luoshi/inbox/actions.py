"""The in-app inbox (站内通知): posting a message, the unread count, marking read."""

import datetime as dt

from django.db.models import Q

from luoshi.core import clock
from luoshi.core.access import Action, get_for
from luoshi.inbox.models import Notification
from luoshi.orgs.models import Person
from luoshi.plans.models import Task
from luoshi.reminders.models import Reminder


def notify(
    recipient: Person,
    subject: str,
    *,
    body: str = "",
    task: Task | None = None,
    link: str = "",
    reminder: Reminder | None = None,
    at: dt.datetime | None = None,
) -> Notification:
    """Put a message in a person's inbox; a reminder posts at most one message."""
    fields = {
        "recipient": recipient,
        "subject": subject[:200],
        "body": body,
        "task": task,
        "link": link,
        "created_at": at or clock.now(),
    }
    if reminder is None:
        return Notification.objects.create(**fields)
    notification, _ = Notification.objects.get_or_create(reminder=reminder, defaults=fields)
    return notification


def unread_count(person: Person) -> int:
    return Notification.objects.visible_to(person).unread().count()


def mark_read(person: Person, notification_id: int) -> Notification:
    """Mark one of the person's messages read; someone else's is a 404, like a missing one."""
    notification = get_for(Notification, person, notification_id, Action.EDIT)
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(person: Person) -> int:
    return Notification.objects.visible_to(person).filter(Q(read_at__isnull=True)).update(read_at=clock.now())

"""Sending one reminder by its channel: the in-app inbox, e-mail, a group robot, or the office's WeCom or
DingTalk app; the retries, backoff and holds are every sending's (`luoshi.messaging.sending`)."""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.mail import get_connection, send_mail

from luoshi.core import clock
from luoshi.inbox.actions import notify
from luoshi.messaging import webhooks, work_messages
from luoshi.messaging.models import Channel
from luoshi.messaging.sending import MAIL_TIMEOUT, CannotDeliver, attempt, claim, send_due
from luoshi.orgs.models import Person
from luoshi.reminders.models import Reminder


def _recipient(reminder: Reminder) -> Person:
    if reminder.recipient is None:
        raise CannotDeliver("催办没有收件人")
    return reminder.recipient


def _in_app(reminder: Reminder, now: dt.datetime) -> None:
    # The inbox links within the site: the path of what the reminder is about (a task, or a 督办单).
    notify(
        _recipient(reminder),
        reminder.subject,
        body=reminder.body,
        task=reminder.task,
        link=urlsplit(reminder.link).path,
        reminder=reminder,
        at=now,
    )


def _email(reminder: Reminder, now: dt.datetime) -> None:
    address = _recipient(reminder).email
    if not address:
        raise CannotDeliver("收件人没有电子邮件地址")
    send_mail(
        reminder.subject,
        f"{reminder.body}\n\n查看任务：{reminder.link}\n",
        None,
        [address],
        connection=get_connection(timeout=MAIL_TIMEOUT),
    )


def _webhook(reminder: Reminder, now: dt.datetime) -> None:
    robot = reminder.endpoint
    if robot is None or not robot.active:
        raise CannotDeliver("群机器人已停用")
    mobile = reminder.recipient.phone if reminder.recipient else ""
    webhooks.post(robot, webhooks.payload(robot, reminder.subject, reminder.body, reminder.link, mobile))


def _work_message(reminder: Reminder, now: dt.datetime) -> None:
    app = work_messages.APPS[reminder.channel]
    userid = app.account(_recipient(reminder))
    if not userid or not app.configured():
        raise CannotDeliver(f"{reminder.get_channel_display()}：收件人没有账号或企业应用未配置")
    try:
        work_messages.send(app, userid, reminder.subject, reminder.body, reminder.link)
    except work_messages.UnknownAccount as error:
        raise CannotDeliver(str(error)) from None


SENDERS: dict[str, Callable[[Reminder, dt.datetime], None]] = {
    Channel.IN_APP: _in_app,
    Channel.EMAIL: _email,
    Channel.WEBHOOK: _webhook,
    Channel.WECOM: _work_message,
    Channel.DINGTALK: _work_message,
}


REMINDER_RELATED = ("task", "recipient", "endpoint")


def _claim(pk: int, now: dt.datetime) -> Reminder | None:
    """Take a due reminder for sending, or None if another worker took it first."""
    return claim(Reminder, pk, now, REMINDER_RELATED)


def send_reminder(reminder: Reminder, now: dt.datetime) -> str:
    """Try one claimed reminder once and record the outcome; returns its new state."""
    return attempt(reminder, now, lambda: SENDERS[reminder.channel](reminder, now))


def send_due_reminders(now: dt.datetime | None = None, limit: int = 500) -> Counter:
    """Send every reminder whose time has come; returns how many ended in each state."""
    now = now or clock.now()
    return send_due(Reminder, now, limit, REMINDER_RELATED, lambda r, at: SENDERS[r.channel](r, at))

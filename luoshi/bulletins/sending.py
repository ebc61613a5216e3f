"""Sending a published bulletin to its plan's subscribers: in the app with a link, by e-mail with the
PDF attached, and to group robots with the link.

Each (bulletin, subscriber, channel) is one `BulletinDelivery` row, stored in the same transaction as
the publishing, so nothing is lost on a restart and nothing goes out twice. A reminder row must name a
task, so bulletins keep their own small record; the way it is sent is the reminders' own: the backoff,
the attempt limit, the claim lease and the give-up rule of `luoshi.messaging.sending`, and the same
`notifications.notify` and `webhooks.post`.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from luoshi.bulletins.export import to_pdf
from luoshi.bulletins.models import Bulletin, BulletinDelivery, BulletinSubscription
from luoshi.core import clock
from luoshi.core.links import absolute
from luoshi.inbox.actions import notify
from luoshi.messaging import sending as policy
from luoshi.messaging import webhooks
from luoshi.messaging.models import Channel


def bulletin_link(bulletin: Bulletin) -> str:
    """The bulletin's page, as an absolute address for e-mail and group robots."""
    return absolute(reverse("bulletin_detail", args=[bulletin.pk]))


def _channels(subscription: BulletinSubscription) -> list[str]:
    if subscription.endpoint_id:
        return [Channel.WEBHOOK]
    return [
        c
        for c, wanted in ((Channel.IN_APP, subscription.in_app), (Channel.EMAIL, subscription.by_email))
        if wanted
    ]


def queue_deliveries(bulletin: Bulletin, now: dt.datetime | None = None) -> int:
    """One delivery per active subscriber of the plan and channel; returns how many were new."""
    now = now or clock.now()
    rows = [
        BulletinDelivery(
            bulletin=bulletin, subscription=subscription, channel=channel, next_attempt_at=now, created_at=now
        )
        for subscription in BulletinSubscription.objects.filter(plan_id=bulletin.plan_id, active=True)
        for channel in _channels(subscription)
    ]
    before = BulletinDelivery.objects.filter(bulletin=bulletin).count()
    BulletinDelivery.objects.bulk_create(rows, ignore_conflicts=True)  # the unique key keeps each one once
    return BulletinDelivery.objects.filter(bulletin=bulletin).count() - before


def _subject(bulletin: Bulletin) -> str:
    return f"【{bulletin.document_number}】{bulletin.title}"


def _summary(bulletin: Bulletin) -> str:
    content = bulletin.content or {}
    lines = [f"{content.get('issuer', '')} {content.get('published_on', '')} 印发。".strip()]
    top = [row["unit"] for row in content.get("ranking", [])[:3]]
    if top:
        lines.append("排名前列：" + "、".join(top))
    overdue = len(content.get("overdue_tasks", []))
    if overdue:
        lines.append(f"逾期未办结任务 {overdue} 项。")
    return "\n".join(lines)


def _in_app(delivery: BulletinDelivery, now: dt.datetime, pdfs: dict[int, bytes]) -> None:
    bulletin, person = delivery.bulletin, delivery.subscription.person
    if person is None:  # a robot's subscription goes by webhook
        raise policy.CannotDeliver("订阅没有订阅人")
    notify(
        person,
        _subject(bulletin),
        body=_summary(bulletin),
        link=reverse("bulletin_detail", args=[bulletin.pk]),
        at=now,
    )


def _email(delivery: BulletinDelivery, now: dt.datetime, pdfs: dict[int, bytes]) -> None:
    bulletin, person = delivery.bulletin, delivery.subscription.person
    address = person.email if person is not None else ""
    if not address:
        raise policy.CannotDeliver("订阅人没有电子邮件地址")
    if bulletin.content is None:
        raise policy.CannotDeliver("通报尚未印发")
    if bulletin.pk not in pdfs:  # one rendering per bulletin, however many subscribers
        pdfs[bulletin.pk] = to_pdf(bulletin.content)
    message = EmailMessage(
        _subject(bulletin),
        f"{_summary(bulletin)}\n\n通报全文见附件，也可在线查看：{bulletin_link(bulletin)}\n",
        None,
        [address],
        connection=get_connection(timeout=policy.MAIL_TIMEOUT),
    )
    message.attach(f"{bulletin.document_number}.pdf", pdfs[bulletin.pk], "application/pdf")
    message.send()


def _relabel(message: Any) -> Any:
    """`webhooks.payload` words its link for a task; a bulletin's link says 查看通报."""
    if isinstance(message, dict):
        return {key: _relabel(value) for key, value in message.items()}
    if isinstance(message, str):
        return message.replace("查看任务", "查看通报")
    return message


def _webhook(delivery: BulletinDelivery, now: dt.datetime, pdfs: dict[int, bytes]) -> None:
    robot, bulletin = delivery.subscription.endpoint, delivery.bulletin
    if robot is None or not robot.active:
        raise policy.CannotDeliver("群机器人已停用")
    message = webhooks.payload(robot, _subject(bulletin), _summary(bulletin), bulletin_link(bulletin))
    webhooks.post(robot, _relabel(message))


SENDERS: dict[str, Callable[[BulletinDelivery, dt.datetime, dict[int, bytes]], None]] = {
    Channel.IN_APP: _in_app,
    Channel.EMAIL: _email,
    Channel.WEBHOOK: _webhook,
}


DELIVERY_RELATED = ("bulletin", "subscription__person", "subscription__endpoint")


def send_delivery(delivery: BulletinDelivery, now: dt.datetime, pdfs: dict[int, bytes] | None = None) -> str:
    """Try one claimed delivery once and record the outcome, as a reminder's is; returns its new state."""
    pdfs = {} if pdfs is None else pdfs
    return policy.attempt(delivery, now, lambda: SENDERS[delivery.channel](delivery, now, pdfs))


def send_due_deliveries(now: dt.datetime | None = None, limit: int = 500) -> Counter:
    """Send every bulletin delivery whose time has come; returns how many ended in each state."""
    now = now or clock.now()
    pdfs: dict[int, bytes] = {}  # each bulletin's PDF is rendered once, however many subscribers
    return policy.send_due(
        BulletinDelivery,
        now,
        limit,
        DELIVERY_RELATED,
        lambda d, at: SENDERS[d.channel](d, at, pdfs),
    )

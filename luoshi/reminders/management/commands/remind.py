"""`luoshi remind [--dry-run] [--at YYYY-MM-DD]`: one reminder cycle, or what it would send."""

import datetime as dt
from argparse import ArgumentTypeError
from collections import Counter

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from luoshi.core import clock
from luoshi.messaging.models import Channel, DeliveryState
from luoshi.messaging.sending import RATE_LIMITED
from luoshi.reminders.actions import new_reminders
from luoshi.reminders.models import Reminder
from luoshi.reminders.sending import send_due_reminders
from luoshi.supervision.jobs import scan

#: What the sender reports beside the delivery states: messages left waiting for an outside service.
WAITING = {"deferred": "外部服务暂停中、稍后发送", RATE_LIMITED: "对方限流、稍后重发"}


def _outcome(state: str) -> str:
    return WAITING[state] if state in WAITING else str(DeliveryState(state).label)


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a date like 2026-11-27") from None


class Command(BaseCommand):
    help = "Scan for due reminders and send them (the worker's cycle, once); --dry-run only shows what would go out."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would go out now; change nothing"
        )
        parser.add_argument("--at", type=_day, help="act as if today were this day (YYYY-MM-DD)")

    def handle(self, *args, dry_run: bool, at: dt.date | None, **options) -> None:
        now = clock.now()
        if at is not None:  # the same time of day, on that day
            now = timezone.make_aware(dt.datetime.combine(at, timezone.localtime(now).time()))
        today = timezone.localdate(now)
        if dry_run:
            self._preview(today, now)
            return
        result = scan(now)
        outcomes = send_due_reminders(now)
        sent = "，".join(f"{_outcome(state)} {n} 条" for state, n in outcomes.items()) or "没有要发的"
        self.stdout.write(
            f"{today.isoformat()}：新增催办 {result.reminders_added} 条；发送结果：{sent}；"
            f"计分记录新增 {result.scores_added} 条、撤销 {result.scores_removed} 条。"
        )

    def _preview(self, today: dt.date, now: dt.datetime) -> None:
        """The new reminders the scan would add, then those already waiting whose time has come."""
        lines: list[tuple[str, str, str, str]] = []
        channels: Counter = Counter()
        for due in new_reminders(today, dry_run=True):
            lines.append(
                ("新增", str(Channel(due.channel).label), due.as_row(now, today).addressee, due.subject)
            )
            channels[Channel(due.channel).label] += 1
        waiting = (
            Reminder.objects.due(now)
            .select_related("recipient", "endpoint")
            .order_by("next_attempt_at", "id")
        )
        for reminder in waiting:
            state = "重试" if reminder.attempts else "待发"
            lines.append((state, reminder.get_channel_display(), reminder.addressee, reminder.subject))
            channels[reminder.get_channel_display()] += 1
        self.stdout.write(f"试运行（{today.isoformat()}）：以下催办将会发出，未做任何改动。")
        for state, channel, who, subject in lines:
            self.stdout.write(f"  [{state}] {channel}　→ {who}　{subject}")
        summary = "，".join(f"{name} {n} 条" for name, n in channels.items()) or "没有"
        self.stdout.write(f"共 {len(lines)} 条：{summary}。")

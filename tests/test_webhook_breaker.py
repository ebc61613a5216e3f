"""A hanging group robot costs one timeout, not one per message, and never holds up the e-mails; each
message is stamped with the time it really went."""

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from luoshi.core import clock
from luoshi.supervision import delivery, webhooks
from luoshi.supervision.models import (
    Channel,
    Reminder,
    ReminderKind,
    ReminderState,
    WebhookEndpoint,
    WebhookKind,
)
from luoshi.supervision.models.reminders import Recipient

HANG_SECONDS = 3.0


@pytest.fixture
def hanging_robot():
    hits: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            hits.append(time.monotonic())
            time.sleep(HANG_SECONDS)  # longer than the sender waits

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", hits
    server.shutdown()
    server.server_close()


def reminder(cast, n: int, channel: str, now: dt.datetime, **address) -> Reminder:
    return Reminder.objects.create(
        key=f"test-{channel}-{n}", kind=ReminderKind.OVERDUE, recipient_role=Recipient.OWNER, task=cast.measure,
        due_on=now.date(), channel=channel, subject=f"催办{n}", body="请抓紧", link="https://luoshi.example/t",
        next_attempt_at=now - dt.timedelta(minutes=n), created_at=now, **address)


def test_a_hanging_robot_is_tried_once_and_the_mail_goes_out_first(cast, hanging_robot, monkeypatch):
    url, hits = hanging_robot
    monkeypatch.setattr(webhooks, "TIMEOUT", 1.0)
    monkeypatch.setattr(delivery, "_broken_until", {})
    cast.caizheng_staff.email = "liu@caizheng.example"
    cast.caizheng_staff.save()
    first = WebhookEndpoint.objects.create(name="卡住的群", kind=WebhookKind.WECOM, url=url, unit=cast.caizheng)
    second = WebhookEndpoint.objects.create(name="也卡住的群", kind=WebhookKind.WECOM, url=url, plan=cast.plan)
    now = clock.now()
    for n in range(3):  # the robots' messages are the oldest, so they come first in time order
        reminder(cast, 30 + n, Channel.WEBHOOK, now, endpoint=first)
    for n in range(2):
        reminder(cast, 20 + n, Channel.WEBHOOK, now, endpoint=second)
    for n in range(5):
        reminder(cast, n, Channel.EMAIL, now, recipient=cast.caizheng_staff)

    started = time.monotonic()
    outcomes = delivery.send_due_reminders(now)
    elapsed = time.monotonic() - started

    assert len(mail.outbox) == 5 and outcomes[ReminderState.SENT] == 5
    assert len(hits) == 2 and outcomes["deferred"] == 3  # one timeout per robot, then its breaker holds the rest
    assert elapsed < 2 * 1.0 + HANG_SECONDS
    robot_rows = Reminder.objects.filter(channel=Channel.WEBHOOK)
    assert robot_rows.filter(state=ReminderState.RETRYING).count() == 2
    assert robot_rows.filter(state=ReminderState.PENDING, attempts=0).count() == 3  # still due, nothing lost
    # The second robot's message was stamped when it went, a timeout after the batch began, not at the start.
    tried_first = robot_rows.get(state=ReminderState.RETRYING, endpoint=first)
    tried_second = robot_rows.get(state=ReminderState.RETRYING, endpoint=second)
    assert tried_second.next_attempt_at >= tried_first.next_attempt_at + dt.timedelta(seconds=1)

"""A hanging group robot costs one timeout, not one per message or per worker process, and never holds up
the e-mails; each message is stamped with the time it really went."""

import datetime as dt
import importlib.util
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from luoshi.core import clock
from luoshi.messaging import sending as delivery
from luoshi.messaging import webhooks
from luoshi.messaging.models import Channel, DeliveryState, WebhookEndpoint, WebhookKind
from luoshi.reminders import sending as reminder_sending
from luoshi.reminders.models import Recipient, Reminder, ReminderKind

HANG_SECONDS = 3.0


@pytest.fixture
def hanging_robot():
    hits: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path == "/ok":  # a healthy robot on the same server
                body = b'{"errcode": 0, "errmsg": "ok"}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
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
    """The n-th message of a backlog: one issued each day (a person or robot hears of a task once a day)."""
    return Reminder.objects.create(
        key=f"test-{channel}-{n}",
        kind=ReminderKind.OVERDUE,
        recipient_role=Recipient.OWNER,
        task=cast.measure,
        due_on=now.date(),
        channel=channel,
        subject=f"催办{n}",
        body="请抓紧",
        link="https://luoshi.example/t",
        next_attempt_at=now - dt.timedelta(minutes=n),
        created_at=now,
        issued_on=now.date() - dt.timedelta(days=n),
        **address,
    )


def test_a_hanging_robot_is_tried_once_and_the_mail_goes_out_first(cast, hanging_robot, monkeypatch):
    url, hits = hanging_robot
    monkeypatch.setattr(webhooks, "TIMEOUT", 1.0)
    cast.caizheng_staff.email = "liu@caizheng.example"
    cast.caizheng_staff.save()
    first = WebhookEndpoint.objects.create(
        name="卡住的群", kind=WebhookKind.WECOM, url=url, unit=cast.caizheng
    )
    second = WebhookEndpoint.objects.create(
        name="正常的群", kind=WebhookKind.WECOM, url=url.replace("/hook", "/ok"), plan=cast.plan
    )
    now = clock.now()
    for n in range(3):  # the hanging robot's messages are the oldest, so they come first in time order
        reminder(cast, 30 + n, Channel.WEBHOOK, now, endpoint=first)
    reminder(cast, 20, Channel.WEBHOOK, now, endpoint=second)
    for n in range(5):
        reminder(cast, n, Channel.EMAIL, now, recipient=cast.caizheng_staff)

    started = time.monotonic()
    outcomes = reminder_sending.send_due_reminders(now)
    elapsed = time.monotonic() - started

    assert len(mail.outbox) == 5 and outcomes[DeliveryState.SENT] == 6  # the mail and the healthy robot
    assert len(hits) == 1 and outcomes["deferred"] == 2  # one timeout, then the breaker holds the rest
    assert elapsed < 1.0 + HANG_SECONDS
    robot_rows = Reminder.objects.filter(endpoint=first)
    assert robot_rows.filter(state=DeliveryState.RETRYING).count() == 1
    assert robot_rows.filter(state=DeliveryState.PENDING, attempts=0).count() == 2  # still due, nothing lost
    # The healthy robot's message went a timeout after the batch began, and says so.
    healthy = Reminder.objects.get(endpoint=second)
    assert healthy.state == DeliveryState.SENT and healthy.sent_at >= now + dt.timedelta(seconds=1)


def another_worker_process():
    """A fresh copy of the sending code, with none of this one's module state, as a second gunicorn worker
    or the task worker would have loaded it."""
    spec = importlib.util.spec_from_file_location("second_worker_delivery", delivery.__file__)
    second = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(second)
    return second


def send_due_reminders_in(process, now):
    """What `send_due_reminders` does, run by the sending loop of `process`."""
    return process.send_due(
        Reminder,
        now,
        500,
        reminder_sending.REMINDER_RELATED,
        lambda r, at: reminder_sending.SENDERS[r.channel](r, at),
    )


def test_a_robot_that_timed_out_in_one_worker_process_is_held_in_the_others(cast, hanging_robot, monkeypatch):
    url, hits = hanging_robot
    monkeypatch.setattr(webhooks, "TIMEOUT", 1.0)
    robot = WebhookEndpoint.objects.create(
        name="卡住的群", kind=WebhookKind.WECOM, url=url, unit=cast.caizheng
    )
    now = clock.now()
    for n in range(3):
        reminder(cast, n, Channel.WEBHOOK, now, endpoint=robot)
    first = reminder_sending.send_due_reminders(now)
    assert len(hits) == 1 and first["deferred"] == 2

    second = another_worker_process()
    started = time.monotonic()
    outcomes = send_due_reminders_in(second, now)
    assert len(hits) == 1, "the second process called the hanging robot again"
    assert outcomes["deferred"] == 2 and time.monotonic() - started < 1.0

    # Once the hold is over, every process tries the robot again.
    later = timezone.now() + dt.timedelta(seconds=delivery.BREAKER_WAIT + 1)
    monkeypatch.setattr(second, "wall_clock", lambda: later)
    send_due_reminders_in(second, now)
    assert len(hits) == 2

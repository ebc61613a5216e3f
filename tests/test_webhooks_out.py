"""Webhooks out: other systems that subscribed hear of a closed task, an overdue task and a published
bulletin — signed, retried with backoff until taken, never twice — tested against a real HTTP server."""

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from luoshi.bulletins import actions as bulletin_actions
from luoshi.bulletins.compose import parse_period
from luoshi.core import clock
from luoshi.core.models import ApiToken
from luoshi.hooks.models import Event, HookDelivery, HookSubscription
from luoshi.hooks.sending import send_due_hooks, verify
from luoshi.messaging.models import DeliveryState
from luoshi.plans import actions
from luoshi.plans.models import Task, TaskStatus
from luoshi.supervision.jobs import scan
from tests.cast import make_task
from tests.conftest import TODAY


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


@dataclass
class Receiver:
    """A subscriber's server: records each POST and answers with the next status of `answers` (then 200)."""

    url: str
    answers: list[int]
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver():
    state = Receiver(url="", answers=[])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/luoshi-events"
    yield state
    server.shutdown()
    server.server_close()


def close(cast, task: Task) -> Task:
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.CLOSING_REQUESTED)
    return actions.sign_off(cast.supervisor, Task.objects.get(pk=task.pk))


def test_a_closed_task_reaches_the_subscriber_signed_with_its_secret(cast, receiver):
    subscription = HookSubscription.objects.create(name="市督查平台", url=receiver.url)
    close(cast, cast.measure)
    assert dict(send_due_hooks()) == {DeliveryState.SENT: 1}

    [(headers, body)] = receiver.received
    assert headers["x-luoshi-event"] == "task.closed"
    assert headers["content-type"].startswith("application/json")
    # The receiver's check, as docs/integrate.md shows it: HMAC-SHA256 of "<timestamp>.<body>" with the secret.
    assert verify(subscription.secret, headers["x-luoshi-timestamp"], body, headers["x-luoshi-signature"])
    assert not verify("another secret", headers["x-luoshi-timestamp"], body, headers["x-luoshi-signature"])
    assert not verify(
        subscription.secret, headers["x-luoshi-timestamp"], body + b" ", headers["x-luoshi-signature"]
    )
    stale = str(int(headers["x-luoshi-timestamp"]) - 3600)
    assert not verify(subscription.secret, stale, body, headers["x-luoshi-signature"])

    event = json.loads(body)
    assert event["event"] == "task.closed" and event["id"] == headers["x-luoshi-event-id"]
    task = event["data"]["task"]
    assert (task["id"], task["title"], task["status"]) == (cast.measure.pk, cast.measure.title, "closed")
    assert task["lead_unit"] == {"id": cast.caizheng.pk, "name": "财政局"}
    assert task["api_url"].endswith(f"/api/tasks/{cast.measure.pk}")
    assert send_due_hooks() == {}  # sent once, never again


def test_a_failing_subscriber_is_retried_with_backoff_until_it_takes_the_event(cast, receiver):
    HookSubscription.objects.create(name="市督查平台", url=receiver.url, on_task_closed=False)
    receiver.answers = [500, 503]  # down twice, then up
    bulletin = bulletin_actions.draft_bulletin(
        cast.supervisor, plan=cast.plan, period=parse_period("2026-10")
    )
    bulletin_actions.publish_bulletin(
        cast.supervisor, bulletin_actions.review_bulletin(cast.supervisor, bulletin)
    )
    now = clock.now()

    assert send_due_hooks(now) == {DeliveryState.RETRYING: 1}
    row = HookDelivery.objects.get()
    assert (row.attempts, row.last_error) == (1, "SubscriberRefused: HTTP 500")
    assert row.next_attempt_at == now + dt.timedelta(minutes=1)
    assert send_due_hooks(now + dt.timedelta(seconds=30)) == {}  # not yet due: the server is left alone
    assert send_due_hooks(now + dt.timedelta(minutes=1)) == {DeliveryState.RETRYING: 1}
    row.refresh_from_db()
    assert row.next_attempt_at == now + dt.timedelta(minutes=1) + dt.timedelta(minutes=2)  # twice the wait
    assert send_due_hooks(now + dt.timedelta(minutes=3)) == {DeliveryState.SENT: 1}
    assert send_due_hooks(now + dt.timedelta(hours=1)) == {}

    assert len(receiver.received) == 3
    ids = {headers["x-luoshi-event-id"] for headers, _body in receiver.received}
    assert ids == {
        f"bulletin.published:{bulletin.pk}"
    }  # the same event each time: the receiver can deduplicate
    published = json.loads(receiver.received[-1][1])["data"]["bulletin"]
    assert published["document_number"] == "督查通报〔2026〕1号"
    assert set(published["downloads"]) == {"docx", "pdf", "xlsx"}


def test_an_overdue_task_is_announced_once_per_deadline_by_the_scan(cast, receiver, frozen_today):
    HookSubscription.objects.create(name="市督查平台", url=receiver.url)
    HookSubscription.objects.create(name="不要逾期", url=receiver.url, on_task_overdue=False)
    HookSubscription.objects.create(name="已停用", url=receiver.url, active=False)
    late = make_task(cast.plan, "编制园区规划", cast.jingfa, cast.area, deadline=TODAY - dt.timedelta(days=3))
    make_task(
        cast.plan,
        "尚未交办的草稿",
        cast.jingfa,
        cast.area,
        status=TaskStatus.DRAFT,
        deadline=TODAY - dt.timedelta(days=3),
    )

    scan()
    scan()  # a second scan the same day (or another worker) adds nothing
    overdue = HookDelivery.objects.filter(event=Event.TASK_OVERDUE)
    assert [(d.subscription.name, d.payload["data"]["task"]["id"]) for d in overdue] == [
        ("市督查平台", late.pk)
    ]

    Task.objects.filter(pk=late.pk).update(deadline=TODAY + dt.timedelta(days=10))  # given more time …
    frozen_today(TODAY + dt.timedelta(days=14))
    scan()  # … and late again: news again
    assert HookDelivery.objects.filter(event=Event.TASK_OVERDUE).count() == 2
    send_due_hooks(clock.now())
    assert [json.loads(body)["event"] for _headers, body in receiver.received] == ["task.overdue"] * 2


def test_no_subscription_means_nothing_is_stored(cast):
    close(cast, cast.measure)
    assert not HookDelivery.objects.exists()


def test_the_office_subscribes_a_system_over_the_api_and_sees_what_was_sent_to_it(cast, receiver):
    def api_as(person) -> Client:
        return Client(headers={"Authorization": f"Bearer {ApiToken.issue(person, 'test')[1]}"})

    body = {"name": "市督查平台", "url": receiver.url, "events": ["task.closed"]}
    assert (
        api_as(cast.caizheng_manager).post("/api/webhooks", body, content_type="application/json").status_code
        == 403
    )
    bad = api_as(cast.supervisor).post(
        "/api/webhooks", {**body, "url": "ftp://example.gov.cn"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "url" in bad.json()["detail"]
    office = api_as(cast.supervisor)
    made = office.post("/api/webhooks", body, content_type="application/json").json()
    assert made["events"] == ["task.closed"] and made["secret"] == HookSubscription.objects.get().secret
    assert "secret" not in office.get("/api/webhooks").json()["items"][0]  # shown once
    assert api_as(cast.viewer).get("/api/webhooks").json()["count"] == 0

    close(cast, cast.measure)
    send_due_hooks()
    [sent] = office.get(f"/api/webhooks/{made['id']}/deliveries").json()["items"]
    assert (sent["event"], sent["state"], sent["attempts"]) == ("task.closed", "sent", 1)
    assert api_as(cast.viewer).get(f"/api/webhooks/{made['id']}/deliveries").status_code == 404
    assert office.delete(f"/api/webhooks/{made['id']}").status_code == 204
    assert not HookSubscription.objects.exists()

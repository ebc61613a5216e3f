"""Reminders (催办): due before deadlines and milestones, escalating when overdue, chasing silent units —
delivered in-app, by email to a real SMTP server and to WeCom and DingTalk robots on a real HTTP server,
each exactly once, retried with backoff, and never lost to a restart."""

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import socket
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.http import Http404
from django.test import Client
from django.urls import include, path, reverse

from luoshi.core import clock
from luoshi.inbox.actions import mark_all_read, mark_read, unread_count
from luoshi.inbox.models import Notification
from luoshi.messaging import sending as delivery
from luoshi.messaging.models import Channel, DeliveryState, MessageFormat, WebhookEndpoint, WebhookKind
from luoshi.plans import actions
from luoshi.plans.models import Milestone, Plan, Task, TaskStatus
from luoshi.progress.actions import report_progress
from luoshi.reminders import sending as reminder_sending
from luoshi.reminders.actions import DEFAULT_RULES, scan_reminders
from luoshi.reminders.models import Recipient, Reminder, ReminderKind, ReminderRule
from luoshi.supervision.jobs import periodic_scan, send_reminders
from tests.cast import Cast, client_for, make_task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


DING_SECRET = "SEC-test-secret"

#: The project's pages plus the inbox, until the project's urls.py includes the inbox itself.
urlpatterns = [path("", include("luoshi.urls")), path("", include("luoshi.inbox.urls"))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos[0], str(message["subject"]).strip(), message.get_content()))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free local port; Django's mail goes to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


class Robots:
    """A local HTTP server playing both group-robot APIs; it can be told to fail the next requests."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.failures: list[tuple[int, dict]] = []  # (HTTP status, JSON answer) for the next requests
        robots = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                url = urllib.parse.urlsplit(self.path)
                robots.requests.append(
                    {
                        "path": url.path,
                        "query": urllib.parse.parse_qs(url.query),
                        "content_type": self.headers["Content-Type"],
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                status, answer = (
                    robots.failures.pop(0) if robots.failures else (200, {"errcode": 0, "errmsg": "ok"})
                )
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()


@pytest.fixture
def robots():
    server = Robots()
    yield server
    server.server.shutdown()
    server.server.server_close()


def days(first: dt.date, last: dt.date):
    while first <= last:
        yield first
        first += dt.timedelta(days=1)


def evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("请示.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


@dataclass
class World:
    cast: Cast
    plan: Plan
    request: Task  # 财政局, due Friday 20 November
    scheme: Task  # 经发局, a milestone on 11 November, due at the year's end


@pytest.fixture
def world(cast, robots, settings) -> World:
    """A two-month plan with two tasks, explicit rules, a unit robot (WeCom) and a plan robot (DingTalk)."""
    settings.SITE_URL = "https://luoshi.example.gov.cn"
    cast.plan.tasks.all().delete()  # the cast's long-running tasks would remind too
    for person, email in (
        (cast.caizheng_staff, "liu@caizheng.example"),
        (cast.caizheng_manager, "zhang@caizheng.example"),
        (cast.leader, "li@committee.example"),
    ):
        person.email = email
        person.save()
    cast.caizheng.head = cast.caizheng_manager
    cast.caizheng.save()
    plan = Plan.objects.create(
        title="港口转型攻坚方案",
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 12, 31),
        owner_unit=cast.committee,
    )
    request = make_task(
        plan,
        "形成专门请示报省财政厅",
        cast.caizheng,
        status=TaskStatus.ASSIGNED,
        start=dt.date(2026, 11, 2),
        deadline=dt.date(2026, 11, 20),
    )
    scheme = make_task(
        plan,
        "拿出绿色化工承接方案",
        cast.jingfa,
        status=TaskStatus.ASSIGNED,
        start=dt.date(2026, 11, 2),
        deadline=dt.date(2026, 12, 31),
    )
    request.owner, scheme.owner = cast.caizheng_staff, cast.jingfa_staff
    request.save()
    scheme.save()
    Milestone.objects.create(task=scheme, title="完成初稿", due_date=dt.date(2026, 11, 11))
    for kind, n, recipient, email, webhook in (
        (ReminderKind.BEFORE_DEADLINE, 2, Recipient.OWNER, True, False),
        (ReminderKind.BEFORE_MILESTONE, 1, Recipient.OWNER, False, False),
        (ReminderKind.OVERDUE, 1, Recipient.OWNER, True, True),
        (ReminderKind.OVERDUE, 3, Recipient.UNIT_HEAD, True, True),
        (ReminderKind.OVERDUE, 5, Recipient.SUPERVISING_LEADER, True, True),
        (ReminderKind.NO_REPORT, 10, Recipient.OWNER, True, False),
    ):
        ReminderRule.objects.create(
            plan=plan, kind=kind, working_days=n, recipient=recipient, by_email=email, by_webhook=webhook
        )
    WebhookEndpoint.objects.create(
        name="财政局工作群",
        kind=WebhookKind.WECOM,
        unit=cast.caizheng,
        url=f"{robots.base}/cgi-bin/webhook/send?key=caizheng",
    )
    WebhookEndpoint.objects.create(
        name="督查室钉钉群",
        kind=WebhookKind.DINGTALK,
        plan=plan,
        secret=DING_SECRET,
        url=f"{robots.base}/robot/send?access_token=duchashi",
    )
    return World(cast, plan, request, scheme)


def run_worker_cycle() -> None:
    """What the worker runs on a scan: the same task functions, called in this process."""
    periodic_scan.call()
    send_reminders.call()


def climb_to_the_unit_head(frozen_today) -> None:
    """Run the worker on the first overdue working day (the owner hears) and two later (the unit head)."""
    for day in (dt.date(2026, 11, 23), dt.date(2026, 11, 25)):
        frozen_today(day)
        run_worker_cycle()


def what_each_unit_did(cast, request, scheme, day: dt.date) -> None:
    """The plan's facts, day by day: acknowledgements, reports, a late closing."""
    request, scheme = Task.objects.get(pk=request.pk), Task.objects.get(pk=scheme.pk)
    if day == dt.date(2026, 11, 2):
        request = actions.acknowledge_task(cast.caizheng_manager, request)
        scheme = actions.acknowledge_task(cast.jingfa_manager, scheme)
        report_progress(cast.caizheng_staff, request, percent=10, narrative="已启动起草")
    if day in (dt.date(2026, 11, 2), dt.date(2026, 11, 9), dt.date(2026, 11, 20), dt.date(2026, 12, 3)):
        report_progress(cast.jingfa_staff, scheme, percent=20, narrative="方案编制中")
    if day == dt.date(2026, 11, 17):
        report_progress(cast.caizheng_staff, request, percent=60, narrative="请示已成稿")
    if day == dt.date(2026, 11, 30):
        report_progress(
            cast.caizheng_staff, request, percent=100, narrative="已报省财政厅", files=[evidence()]
        )
        actions.request_closing(cast.caizheng_manager, Task.objects.get(pk=request.pk), "已报送")
    if day == dt.date(2026, 12, 1):
        actions.sign_off(cast.supervisor, request)


def test_five_weeks_of_a_plan_send_exactly_the_right_reminders_once_by_each_channel(
    world, smtp, robots, frozen_today
):
    cast, request, scheme = world.cast, world.request, world.scheme
    went_out = []
    for day in days(dt.date(2026, 11, 2), dt.date(2026, 12, 4)):
        frozen_today(day)
        what_each_unit_did(cast, request, scheme, day)
        seen = (Notification.objects.count(), len(smtp.messages), len(robots.requests))
        run_worker_cycle()
        run_worker_cycle()  # a second worker, or the same one after a restart: nothing more goes out
        for note in Notification.objects.order_by("id")[seen[0] :]:
            went_out.append((day, "in_app", note.recipient.username, note.subject[:6]))
        for to, subject, _body in smtp.messages[seen[1] :]:
            went_out.append((day, "email", to, subject[:6]))
        for hit in robots.requests[seen[2] :]:
            went_out.append((day, "webhook", hit["path"], hit["json"]["msgtype"]))

    d = dt.date
    assert went_out == [
        (d(2026, 11, 10), "in_app", "jingfa_staff", "【节点提醒】"),
        (d(2026, 11, 16), "in_app", "caizheng_staff", "【催报】“形"),
        (d(2026, 11, 16), "email", "liu@caizheng.example", "【催报】“形"),
        (d(2026, 11, 18), "in_app", "caizheng_staff", "【到期提醒】"),
        (d(2026, 11, 18), "email", "liu@caizheng.example", "【到期提醒】"),
        (d(2026, 11, 23), "in_app", "caizheng_staff", "【逾期催办·"),
        (d(2026, 11, 23), "email", "liu@caizheng.example", "【逾期催办·"),
        (d(2026, 11, 23), "webhook", "/cgi-bin/webhook/send", "markdown"),
        (d(2026, 11, 23), "webhook", "/robot/send", "markdown"),
        (d(2026, 11, 25), "in_app", "caizheng_manager", "【逾期催办·"),
        (d(2026, 11, 25), "email", "zhang@caizheng.example", "【逾期催办·"),
        (d(2026, 11, 25), "webhook", "/cgi-bin/webhook/send", "markdown"),
        (d(2026, 11, 25), "webhook", "/robot/send", "markdown"),
        (d(2026, 11, 27), "in_app", "leader", "【逾期催办·"),
        (d(2026, 11, 27), "email", "li@committee.example", "【逾期催办·"),
        (d(2026, 11, 27), "webhook", "/cgi-bin/webhook/send", "markdown"),
        (d(2026, 11, 27), "webhook", "/robot/send", "markdown"),
    ]
    subjects = [subject for _to, subject, _body in smtp.messages]
    assert subjects[2:] == [
        "【逾期催办·第1级】“形成专门请示报省财政厅”已逾期 1 个工作日",
        "【逾期催办·第2级】“形成专门请示报省财政厅”已逾期 3 个工作日",
        "【逾期催办·第3级】“形成专门请示报省财政厅”已逾期 5 个工作日",
    ]
    link = f"https://luoshi.example.gov.cn/tasks/{request.pk}/"
    assert link in smtp.messages[-1][2] and "请分管领导过问督办" in smtp.messages[-1][2]

    # A worker restarted from scratch scans the busy days again: nothing new is stored or sent.
    totals = (
        Reminder.objects.count(),
        Notification.objects.count(),
        len(smtp.messages),
        len(robots.requests),
    )
    for day in sorted({day for day, *_ in went_out}):
        frozen_today(day)
        run_worker_cycle()
    assert (
        Reminder.objects.count(),
        Notification.objects.count(),
        len(smtp.messages),
        len(robots.requests),
    ) == totals
    assert set(Reminder.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_robot_messages_follow_the_wecom_and_dingtalk_formats_and_dingtalk_is_signed(
    world, robots, frozen_today
):
    request = world.request
    frozen_today(dt.date(2026, 11, 23))
    before = int(time.time() * 1000)
    run_worker_cycle()
    wecom, dingtalk = robots.requests
    assert wecom["path"] == "/cgi-bin/webhook/send" and wecom["query"] == {"key": ["caizheng"]}
    assert wecom["content_type"] == "application/json; charset=utf-8"
    assert set(wecom["json"]) == {"msgtype", "markdown"} and set(wecom["json"]["markdown"]) == {"content"}
    content = wecom["json"]["markdown"]["content"]
    assert content.startswith(
        "**【逾期催办·第1级】“形成专门请示报省财政厅”已逾期 1 个工作日**\n财政局刘科员："
    )
    assert content.endswith(f"[查看任务](https://luoshi.example.gov.cn/tasks/{request.pk}/)")

    assert dingtalk["path"] == "/robot/send" and dingtalk["query"]["access_token"] == ["duchashi"]
    timestamp = int(dingtalk["query"]["timestamp"][0])
    assert before <= timestamp <= int(time.time() * 1000)
    expected = base64.b64encode(
        hmac.new(DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert dingtalk["query"]["sign"] == [expected]  # parse_qs has undone the URL encoding
    message = dingtalk["json"]
    assert message["msgtype"] == "markdown"
    assert message["markdown"]["title"].startswith("【逾期催办·第1级】")
    assert message["markdown"]["text"].startswith("#### 【逾期催办·第1级】")
    assert message["at"] == {"atMobiles": [], "isAtAll": False}


def test_a_text_robot_mentions_the_person_by_mobile(world, robots, frozen_today):
    cast = world.cast
    WebhookEndpoint.objects.filter(kind=WebhookKind.WECOM).update(message_format=MessageFormat.TEXT)
    cast.caizheng_staff.phone = "13800000001"
    cast.caizheng_staff.save()
    frozen_today(dt.date(2026, 11, 23))
    run_worker_cycle()
    wecom = next(r for r in robots.requests if r["path"] == "/cgi-bin/webhook/send")["json"]
    assert wecom["msgtype"] == "text"
    assert wecom["text"]["mentioned_mobile_list"] == ["13800000001"]
    assert "查看任务：https://luoshi.example.gov.cn/tasks/" in wecom["text"]["content"]


def test_a_failing_robot_is_retried_with_exponential_backoff_and_every_try_is_recorded(
    world, robots, frozen_today, monkeypatch
):
    frozen_today(dt.date(2026, 11, 23))
    scan_reminders()
    WebhookEndpoint.objects.filter(kind=WebhookKind.DINGTALK).update(active=False)
    robots.failures = [
        (500, {"errmsg": "busy"}),
        (200, {"errcode": 45009, "errmsg": "api freq out of limit"}),
    ]
    start = clock.now()

    def at(minutes: float) -> dt.datetime:
        moment = start + dt.timedelta(minutes=minutes)
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    robot = Reminder.objects.get(channel=Channel.WEBHOOK, endpoint__kind=WebhookKind.WECOM)
    reminder_sending.send_due_reminders(at(0))
    robot.refresh_from_db()
    assert (robot.state, robot.attempts, robot.next_attempt_at) == (DeliveryState.RETRYING, 1, at(1))
    assert "500" in robot.last_error

    assert reminder_sending.send_due_reminders(at(0.5))[DeliveryState.SENT] == 0  # not yet time
    reminder_sending.send_due_reminders(at(1))
    robot.refresh_from_db()
    assert (robot.state, robot.attempts, robot.next_attempt_at) == (DeliveryState.RETRYING, 2, at(3))
    assert "45009" in robot.last_error

    reminder_sending.send_due_reminders(at(3))
    robot.refresh_from_db()
    assert (robot.state, robot.attempts, robot.last_error, robot.sent_at) == (
        DeliveryState.SENT,
        3,
        "",
        at(3),
    )
    assert len(robots.requests) == 3
    # The disabled DingTalk robot's reminder was given up at once, with the reason.
    dingtalk = Reminder.objects.get(endpoint__kind=WebhookKind.DINGTALK)
    assert (dingtalk.state, dingtalk.attempts, dingtalk.last_error) == (
        DeliveryState.GIVEN_UP,
        1,
        "CannotDeliver: 群机器人已停用",
    )


def test_a_reminder_is_given_up_after_the_last_try(world, robots, frozen_today, monkeypatch):
    frozen_today(dt.date(2026, 11, 23))
    monkeypatch.setattr(delivery, "MAX_ATTEMPTS", 3)
    scan_reminders()
    Reminder.objects.exclude(endpoint__kind=WebhookKind.WECOM).delete()
    robots.failures = [(503, {})] * 5
    now = clock.now()
    for minutes in (0, 1, 3, 7, 15, 31):
        reminder_sending.send_due_reminders(now + dt.timedelta(minutes=minutes))
    reminder = Reminder.objects.get()
    assert (reminder.state, reminder.attempts) == (DeliveryState.GIVEN_UP, 3)
    assert len(robots.requests) == 3


def test_a_reminder_claimed_by_a_worker_that_died_goes_out_once_the_lease_runs_out(world, smtp, frozen_today):
    frozen_today(dt.date(2026, 11, 23))
    scan_reminders()
    email = Reminder.objects.get(channel=Channel.EMAIL)
    now = clock.now()
    assert reminder_sending._claim(email.pk, now) is not None  # …and the worker is killed before sending
    Reminder.objects.exclude(pk=email.pk).delete()

    assert not reminder_sending.send_due_reminders(now)  # still held by the dead worker's lease
    assert smtp.messages == []
    reminder_sending.send_due_reminders(now + delivery.CLAIM_LEASE)
    email.refresh_from_db()
    assert email.state == DeliveryState.SENT and len(smtp.messages) == 1


def test_the_same_reminder_cannot_be_stored_twice(world, frozen_today):
    frozen_today(dt.date(2026, 11, 23))
    scan_reminders()
    first = Reminder.objects.first()
    first.pk = None
    with pytest.raises(IntegrityError):
        first.save()


def test_a_plan_without_rules_gets_the_defaults_on_its_first_scan(world, frozen_today):
    plan = world.plan
    plan.reminder_rules.all().delete()
    frozen_today(dt.date(2026, 11, 23))
    scan_reminders()
    assert plan.reminder_rules.count() == len(DEFAULT_RULES)
    overdue = plan.reminder_rules.filter(kind=ReminderKind.OVERDUE).order_by("working_days")
    assert [r.recipient for r in overdue] == [
        Recipient.OWNER,
        Recipient.UNIT_HEAD,
        Recipient.SUPERVISING_LEADER,
    ]


def test_remind_dry_run_shows_what_would_go_out_and_changes_nothing(world, frozen_today):
    plan = world.plan
    plan.reminder_rules.all().delete()
    out = io.StringIO()
    call_command("remind", "--dry-run", "--at", "2026-11-25", stdout=out)
    text = out.getvalue()
    assert "试运行（2026-11-25）" in text
    # Three working days overdue, but nobody was reminded yet: the first step goes out, not the second.
    assert "[新增] 电子邮件　→ 财政局刘科员 <liu@caizheng.example>　【逾期催办·第1级】" in text
    assert "第2级" not in text
    assert "[新增] 群机器人　→ 督查室钉钉群（钉钉群机器人）" in text
    assert Reminder.objects.count() == 0 and plan.reminder_rules.count() == 0

    call_command("remind", "--at", "2026-11-25", stdout=io.StringIO())
    sent = Counter(Reminder.objects.filter(state=DeliveryState.SENT).values_list("channel", flat=True))
    assert sent == {Channel.IN_APP: 1, Channel.EMAIL: 1, Channel.WEBHOOK: 2}


def test_the_inbox_counts_unread_messages_and_only_its_owner_marks_them_read(world, frozen_today):
    cast = world.cast
    climb_to_the_unit_head(frozen_today)
    assert unread_count(cast.caizheng_staff) == 1 and unread_count(cast.caizheng_manager) == 1
    note = Notification.objects.get(recipient=cast.caizheng_staff)
    assert note.link == f"/tasks/{note.task_id}/"
    with pytest.raises(Http404):
        mark_read(cast.caizheng_manager, note.pk)
    mark_read(cast.caizheng_staff, note.pk)
    assert unread_count(cast.caizheng_staff) == 0
    assert mark_all_read(cast.caizheng_manager) == 1 and unread_count(cast.caizheng_manager) == 0


def test_reminders_stop_once_closing_is_requested(world, frozen_today):
    cast, request = world.cast, world.request
    frozen_today(dt.date(2026, 11, 2))
    request = actions.acknowledge_task(cast.caizheng_manager, request)
    report_progress(cast.caizheng_staff, request, percent=100, narrative="完成", files=[evidence()])
    actions.request_closing(cast.caizheng_manager, Task.objects.get(pk=request.pk))
    frozen_today(dt.date(2026, 11, 27))
    assert scan_reminders() == 0


@pytest.mark.urls(__name__)
def test_the_inbox_page_lists_only_ones_own_messages_and_opening_one_marks_it_read(world, frozen_today):
    cast = world.cast
    climb_to_the_unit_head(frozen_today)
    staff = client_for(cast.caizheng_staff)
    page = staff.get(reverse("notification_list"))
    assert page.status_code == 200
    assert "【逾期催办·第1级】" in page.text and "【逾期催办·第2级】" not in page.text  # the head's, not hers
    assert "1 条未读" in staff.get(reverse("notification_badge")).text

    note = Notification.objects.get(recipient=cast.caizheng_staff)
    opened = staff.post(reverse("notification_read", args=[note.pk]))
    assert opened.status_code == 302 and opened["Location"] == f"/tasks/{world.request.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert staff.get(reverse("notification_badge")).text.count("0 条未读") == 1


@pytest.mark.urls(__name__)
def test_nobody_opens_or_marks_anothers_messages_and_strangers_are_sent_to_log_in(world, frozen_today):
    cast = world.cast
    climb_to_the_unit_head(frozen_today)
    note = Notification.objects.get(recipient=cast.caizheng_staff)
    assert client_for(cast.supervisor).post(reverse("notification_read", args=[note.pk])).status_code == 404
    assert (
        client_for(cast.caizheng_staff).get(reverse("notification_read", args=[note.pk])).status_code == 405
    )
    client_for(cast.caizheng_manager).post(reverse("notification_read_all"))
    note.refresh_from_db()
    assert note.read_at is None
    for name in ("notification_list", "notification_badge"):
        assert Client().get(reverse(name)).status_code == 302

"""Bulletins sent to subscribers (in the app, by e-mail with the PDF to a real SMTP server, to a group robot
on a real HTTP server), retried like reminders, and drafted on each plan's schedule exactly once a period."""

import datetime as dt
import shutil
import subprocess
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import PermissionDenied
from django_tasks_db.models import DBTaskResult

from luoshi.bulletins import actions
from luoshi.bulletins.compose import parse_period
from luoshi.bulletins.jobs import draft_scheduled_bulletins, send_bulletins
from luoshi.bulletins.models import (
    Bulletin,
    BulletinDelivery,
    BulletinSchedule,
    BulletinStatus,
    BulletinSubscription,
    ScheduleCadence,
)
from luoshi.bulletins.sending import send_due_deliveries
from luoshi.core import clock
from luoshi.inbox.models import Notification
from luoshi.messaging.models import Channel, DeliveryState, WebhookEndpoint, WebhookKind
from luoshi.supervision.jobs import periodic_scan, send_reminders
from tests.test_reminders import Robots, free_port


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


NOV = parse_period("2026-11")


class Mailbox:
    """An aiosmtpd handler that keeps every message whole, attachments included."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(
            (envelope.rcpt_tos[0], message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield mailbox
    controller.stop()


@pytest.fixture
def robots():
    server = Robots()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def subscribed(cast, robots, settings):
    """财政局's manager reads in the app and by e-mail, the leader by e-mail only, and the office's WeCom group."""
    settings.SITE_URL = "https://luoshi.example.gov.cn"
    cast.caizheng_manager.email = "zhang@caizheng.example"
    cast.caizheng_manager.save()
    cast.leader.email = "li@committee.example"
    cast.leader.save()
    actions.subscribe(cast.caizheng_manager, cast.plan, person=cast.caizheng_manager)
    actions.subscribe(cast.supervisor, cast.plan, person=cast.leader, in_app=False)
    robot = WebhookEndpoint.objects.create(
        name="督查室工作群",
        kind=WebhookKind.WECOM,
        plan=cast.plan,
        url=f"{robots.base}/cgi-bin/webhook/send?key=duchashi",
    )
    actions.subscribe(cast.supervisor, cast.plan, endpoint=robot)
    return cast


def publish(cast, period=NOV) -> Bulletin:
    draft = actions.draft_bulletin(cast.supervisor, plan=cast.plan, period=period)
    return actions.publish_bulletin(cast.supervisor, actions.review_bulletin(cast.supervisor, draft))


def test_publishing_sends_the_bulletin_in_the_app_by_email_with_the_pdf_and_to_the_group_robot(
    subscribed, smtp, robots, tmp_path
):
    cast = subscribed
    bulletin = publish(cast)
    assert BulletinDelivery.objects.filter(state=DeliveryState.PENDING).count() == 4
    send_reminders.call()  # the worker's sending beat delivers bulletins too

    note = Notification.objects.get()
    assert note.recipient == cast.caizheng_manager and note.link == f"/bulletins/{bulletin.pk}/"
    assert note.subject.startswith("【督查通报〔2026〕1号】关于")

    assert sorted(to for to, _message in smtp.messages) == ["li@committee.example", "zhang@caizheng.example"]
    message = smtp.messages[0][1]
    assert str(message["subject"]).strip().startswith("【督查通报〔2026〕1号】")
    assert (
        f"https://luoshi.example.gov.cn/bulletins/{bulletin.pk}/"
        in message.get_body(("plain",)).get_content()
    )
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "督查通报〔2026〕1号.pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        (tmp_path / "b.pdf").write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "b.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "督查通报〔2026〕1号" in text

    (hit,) = robots.requests
    assert hit["path"] == "/cgi-bin/webhook/send" and hit["json"]["msgtype"] == "markdown"
    content = hit["json"]["markdown"]["content"]
    assert content.startswith("**【督查通报〔2026〕1号】")
    assert content.endswith(f"[查看通报](https://luoshi.example.gov.cn/bulletins/{bulletin.pk}/)")

    assert set(BulletinDelivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    send_reminders.call()  # a second beat, or a restarted worker: nothing goes out twice
    assert (Notification.objects.count(), len(smtp.messages), len(robots.requests)) == (1, 2, 1)


def test_publishing_queues_a_sending_for_the_worker_once_committed(
    subscribed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(subscribed)
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [send_bulletins.module_path]


def test_a_robot_that_fails_is_retried_with_the_reminders_backoff_and_a_person_without_email_is_given_up(
    subscribed, smtp, robots, monkeypatch
):
    cast = subscribed
    cast.leader.email = ""
    cast.leader.save()
    robots.failures = [(500, {"errmsg": "busy"})]
    publish(cast)
    start = clock.now()
    send_due_deliveries(start)
    robot = BulletinDelivery.objects.get(channel=Channel.WEBHOOK)
    assert (robot.state, robot.attempts, robot.next_attempt_at) == (
        DeliveryState.RETRYING,
        1,
        start + dt.timedelta(minutes=1),
    )
    assert "500" in robot.last_error
    no_address = BulletinDelivery.objects.get(channel=Channel.EMAIL, subscription__person=cast.leader)
    assert (no_address.state, no_address.last_error) == (
        DeliveryState.GIVEN_UP,
        "CannotDeliver: 订阅人没有电子邮件地址",
    )

    assert not send_due_deliveries(start + dt.timedelta(seconds=30))  # not yet time
    send_due_deliveries(start + dt.timedelta(minutes=1))
    robot.refresh_from_db()
    assert (robot.state, robot.attempts, robot.last_error) == (DeliveryState.SENT, 2, "")
    assert len(robots.requests) == 2


def test_people_subscribe_themselves_and_only_the_office_subscribes_others_or_robots(subscribed):
    cast = subscribed
    mine = actions.subscribe(cast.jingfa_staff, cast.plan, person=cast.jingfa_staff, by_email=False)
    assert (mine.in_app, mine.by_email) == (True, False)
    with pytest.raises(PermissionDenied):
        actions.subscribe(cast.jingfa_staff, cast.plan, person=cast.jingfa_manager)
    robot = WebhookEndpoint.objects.get()
    with pytest.raises(PermissionDenied):
        actions.subscribe(cast.caizheng_manager, cast.plan, endpoint=robot)
    with pytest.raises(PermissionDenied):
        actions.unsubscribe(cast.jingfa_staff, BulletinSubscription.objects.get(person=cast.leader))
    actions.unsubscribe(cast.jingfa_staff, mine)
    assert BulletinSubscription.objects.count() == 3


def test_an_inactive_subscription_receives_nothing(subscribed, smtp, robots):
    BulletinSubscription.objects.filter(endpoint__isnull=False).update(active=False)
    publish(subscribed)
    send_bulletins.call()
    assert robots.requests == [] and len(smtp.messages) == 2


# --- drafted on a schedule ----------------------------------------------------------------------


def schedule(cast, cadence: str, working_day: int = 1) -> BulletinSchedule:
    return BulletinSchedule.objects.create(
        plan=cast.plan, cadence=cadence, working_day=working_day, drafter=cast.supervisor
    )


def test_a_weekly_schedule_drafts_last_weeks_bulletin_on_monday_once_however_often_the_scan_runs(
    cast, frozen_today
):
    schedule(cast, ScheduleCadence.WEEKLY)
    frozen_today(dt.date(2026, 11, 30))  # a Monday
    periodic_scan.call()
    periodic_scan.call()  # a second scan the same day, or a restarted worker
    frozen_today(dt.date(2026, 12, 2))
    periodic_scan.call()
    (draft,) = Bulletin.objects.all()
    assert (draft.period_kind, draft.period_start, draft.period_end) == (
        "week",
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 29),
    )
    assert draft.status == BulletinStatus.DRAFT and draft.created_by == cast.supervisor
    assert draft.issuer_unit == cast.supervision and draft.number is None  # drafted, never published

    frozen_today(dt.date(2026, 12, 7))
    assert [b.period_start for b in draft_scheduled_bulletins()] == [dt.date(2026, 11, 30)]


def test_a_monthly_schedule_waits_for_its_working_day_and_skips_a_period_drafted_on_demand(
    cast, frozen_today
):
    schedule(cast, ScheduleCadence.MONTHLY, working_day=3)
    frozen_today(dt.date(2026, 12, 2))  # December's 2nd working day
    assert draft_scheduled_bulletins() == []
    frozen_today(dt.date(2026, 12, 3))
    (november,) = draft_scheduled_bulletins()
    assert (november.period_start, november.period_end) == (NOV.start, NOV.end)
    assert draft_scheduled_bulletins() == []

    frozen_today(dt.date(2027, 1, 1))
    actions.draft_bulletin(
        cast.supervisor, plan=cast.plan, period=parse_period("2026-12")
    )  # on demand, early
    frozen_today(dt.date(2027, 1, 6))
    assert draft_scheduled_bulletins() == []
    assert Bulletin.objects.filter(period_start=dt.date(2026, 12, 1)).count() == 1


def test_a_quarterly_schedule_drafts_the_quarter_just_ended(cast, frozen_today):
    schedule(cast, ScheduleCadence.QUARTERLY, working_day=2)
    frozen_today(dt.date(2027, 1, 5))
    (draft,) = draft_scheduled_bulletins()
    assert (draft.period_kind, draft.period_start, draft.period_end) == (
        "quarter",
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )


def test_a_schedule_whose_drafter_left_the_office_drafts_nothing_and_tries_again_later(cast, frozen_today):
    sched = schedule(cast, ScheduleCadence.WEEKLY)
    sched.drafter = cast.jingfa_manager
    sched.save()
    frozen_today(dt.date(2026, 11, 30))
    assert draft_scheduled_bulletins() == []
    sched.refresh_from_db()
    assert sched.last_period_start is None
    BulletinSchedule.objects.filter(pk=sched.pk).update(drafter=cast.supervisor)
    assert len(draft_scheduled_bulletins()) == 1

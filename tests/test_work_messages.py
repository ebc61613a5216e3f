"""Reminders to a named person through the office's WeCom app (企业微信应用消息) and DingTalk work notices
(钉钉工作通知), against a local HTTP server that speaks each API's documented requests and answers: the
token is fetched once and shared, refreshed when the service calls it expired mid-run, a "too often"
answer holds the service and the message goes later — every reminder delivered exactly once."""

import datetime as dt
import importlib.util
import io
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from luoshi.core import clock
from luoshi.messaging import sending as delivery
from luoshi.messaging.models import Channel, DeliveryState, ServiceState
from luoshi.reminders import sending as reminder_sending
from luoshi.reminders.actions import scan_reminders
from luoshi.reminders.models import Recipient, Reminder, ReminderKind


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


CORP_ID, CORP_SECRET, WECOM_AGENT = "ww-park-committee", "wecom-secret", 1000002
APP_KEY, APP_SECRET, DING_AGENT = "ding-park-committee", "dingtalk-secret", 2871003


@dataclass
class FakeService:
    """The state of the local WeCom and DingTalk servers, and what they were sent."""

    base: str = ""
    valid_tokens: set[str] = field(default_factory=set)
    issued: int = 0
    token_requests: list[str] = field(default_factory=list)
    delivered: list[tuple[str, str, str]] = field(default_factory=list)  # (service, userid, text)
    expire_after_first_send: bool = False
    rate_limit_on_send: set[int] = field(default_factory=set)  # the n-th send request (1-based) is refused
    send_requests: int = 0
    bad_requests: list[str] = field(default_factory=list)
    http_429_once: bool = False  # the next send request gets HTTP 429 with Retry-After: 120
    lock: threading.Lock = field(default_factory=threading.Lock)

    def new_token(self) -> str:
        self.issued += 1
        token = f"TOKEN-{self.issued}"
        self.valid_tokens.add(token)
        return token


def wecom_send(service: FakeService, body: dict) -> dict:
    if (
        body.get("msgtype") != "text"
        or body.get("agentid") != WECOM_AGENT
        or not isinstance(body.get("touser"), str)
        or not isinstance(body.get("text", {}).get("content"), str)
    ):
        service.bad_requests.append(json.dumps(body, ensure_ascii=False))
        return {"errcode": 40008, "errmsg": "invalid message type"}
    if body["touser"] == "nobody":
        return {"errcode": 81013, "errmsg": "user & party & tag all invalid", "invaliduser": "nobody"}
    service.delivered.append(("wecom", body["touser"], body["text"]["content"]))
    return {
        "errcode": 0,
        "errmsg": "ok",
        "invaliduser": "",
        "invalidparty": "",
        "invalidtag": "",
        "unlicenseduser": "",
        "msgid": f"msg-{len(service.delivered)}",
        "response_code": "",
    }


def dingtalk_send(service: FakeService, body: dict) -> dict:
    msg = body.get("msg", {})
    if (
        body.get("agent_id") != DING_AGENT
        or not isinstance(body.get("userid_list"), str)
        or msg.get("msgtype") != "markdown"
        or not msg.get("markdown", {}).get("title")
        or not isinstance(msg["markdown"].get("text"), str)
    ):
        service.bad_requests.append(json.dumps(body, ensure_ascii=False))
        return {"errcode": 40035, "errmsg": "缺少参数"}
    service.delivered.append(("dingtalk", body["userid_list"], msg["markdown"]["text"]))
    return {"errcode": 0, "task_id": 256271667526 + len(service.delivered), "request_id": "4jzllmte0wau"}


@pytest.fixture
def work_apps(settings):
    """Both services on one local server, and Luoshi's settings pointing at it."""
    service = FakeService()

    class Handler(BaseHTTPRequestHandler):
        def answer(self, payload: dict) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            with service.lock:
                if url.path == "/cgi-bin/gettoken":
                    service.token_requests.append("wecom")
                    if (query.get("corpid"), query.get("corpsecret")) != (CORP_ID, CORP_SECRET):
                        return self.answer({"errcode": 40013, "errmsg": "invalid corpid"})
                    return self.answer(
                        {
                            "errcode": 0,
                            "errmsg": "ok",
                            "access_token": service.new_token(),
                            "expires_in": 7200,
                        }
                    )
                if url.path == "/gettoken":
                    service.token_requests.append("dingtalk")
                    if (query.get("appkey"), query.get("appsecret")) != (APP_KEY, APP_SECRET):
                        return self.answer({"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"})
                    return self.answer(
                        {
                            "errcode": 0,
                            "errmsg": "ok",
                            "access_token": service.new_token(),
                            "expires_in": 7200,
                        }
                    )
            self.send_error(404)

        def do_POST(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            token = dict(urllib.parse.parse_qsl(url.query)).get("access_token", "")
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            wecom = url.path == "/cgi-bin/message/send"
            if not wecom and url.path != "/topapi/message/corpconversation/asyncsend_v2":
                return self.send_error(404)
            with service.lock:
                if service.http_429_once:
                    service.http_429_once = False
                    self.send_response(429)
                    self.send_header("Retry-After", "120")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if token not in service.valid_tokens:  # each API's documented "expired" answer
                    return self.answer(
                        {"errcode": 42001, "errmsg": "access_token expired"}
                        if wecom
                        else {
                            "errcode": 88,
                            "sub_code": "42001",
                            "sub_msg": "access_token超时",
                            "errmsg": "ding talk error[subcode=42001,submsg=access_token超时]",
                        }
                    )
                service.send_requests += 1
                if service.send_requests in service.rate_limit_on_send:
                    return self.answer(
                        {"errcode": 45009, "errmsg": "api freq out of limit"}
                        if wecom
                        else {"errcode": 90002, "errmsg": "当前请求被限流"}
                    )
                answer = wecom_send(service, body) if wecom else dingtalk_send(service, body)
                if answer["errcode"] == 0 and service.expire_after_first_send:
                    service.expire_after_first_send = False
                    service.valid_tokens.clear()  # the token runs out between two messages
                return self.answer(answer)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    service.base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.WECOM_CORP_ID, settings.WECOM_CORP_SECRET, settings.WECOM_AGENT_ID = (
        CORP_ID,
        CORP_SECRET,
        WECOM_AGENT,
    )
    settings.DINGTALK_APP_KEY, settings.DINGTALK_APP_SECRET = APP_KEY, APP_SECRET
    settings.DINGTALK_AGENT_ID = DING_AGENT
    settings.WECOM_API = settings.DINGTALK_API = service.base
    yield service
    server.shutdown()
    server.server_close()


def reminder(cast, n: int, channel: str, now: dt.datetime) -> Reminder:
    """The n-th message of a backlog: one issued each day (a person hears of a task once a day)."""
    return Reminder.objects.create(
        key=f"test-{channel}-{n}",
        kind=ReminderKind.OVERDUE,
        recipient_role=Recipient.OWNER,
        task=cast.measure,
        due_on=now.date(),
        channel=channel,
        recipient=cast.caizheng_staff,
        subject=f"【逾期催办】第{n}条",
        body=f"刘科员：请抓紧办理第{n}项。",
        link="https://luoshi.example.gov.cn/tasks/7/",
        next_attempt_at=now - dt.timedelta(minutes=10 - n),
        created_at=now,
        issued_on=now.date() - dt.timedelta(days=n),
    )


@pytest.mark.parametrize("channel", [Channel.WECOM, Channel.DINGTALK])
def test_a_reminder_reaches_the_person_exactly_once_through_a_token_expiry_and_a_rate_limit(
    cast, work_apps, channel, monkeypatch
):
    cast.caizheng_staff.wecom_userid, cast.caizheng_staff.dingtalk_userid = "LiuKeYuan", "manager4411"
    cast.caizheng_staff.save()
    userid = "LiuKeYuan" if channel == Channel.WECOM else "manager4411"
    work_apps.expire_after_first_send = True
    work_apps.rate_limit_on_send = {3}  # the third message is refused as too frequent
    now = clock.now()
    rows = [reminder(cast, n, channel, now) for n in range(1, 5)]

    first = reminder_sending.send_due_reminders(now)
    # 1 goes with a new token; 2 meets "expired", gets a new token and goes; 3 is rate-limited; 4 waits.
    assert (first[DeliveryState.SENT], first[delivery.RATE_LIMITED], first["deferred"]) == (2, 1, 1)
    assert work_apps.token_requests == [channel, channel]
    assert ServiceState.objects.get(name=channel).access_token == "TOKEN-2"  # kept for every process

    again = reminder_sending.send_due_reminders(now + dt.timedelta(seconds=30))  # the hold still runs
    assert again[DeliveryState.SENT] == 0 and len(work_apps.delivered) == 2

    later = delivery.wall_clock() + dt.timedelta(seconds=61)
    monkeypatch.setattr(delivery, "wall_clock", lambda: later)
    last = reminder_sending.send_due_reminders(now + dt.timedelta(minutes=2))
    assert last[DeliveryState.SENT] == 2
    assert not reminder_sending.send_due_reminders(now + dt.timedelta(hours=1))  # nothing left to send

    assert work_apps.bad_requests == []
    assert work_apps.token_requests == [channel, channel]  # the kept token served the later batch
    texts = [text for service, to, text in work_apps.delivered if service == channel and to == userid]
    for row in rows:
        row.refresh_from_db()
        assert (row.state, row.attempts, row.last_error) == (DeliveryState.SENT, 1, "")
        assert sum(row.subject in text for text in texts) == 1, row.subject  # exactly once
        assert "https://luoshi.example.gov.cn/tasks/7/" in next(t for t in texts if row.subject in t)
    assert len(work_apps.delivered) == 4


def test_an_account_wecom_does_not_know_is_given_up_at_once(cast, work_apps):
    cast.caizheng_staff.wecom_userid = "nobody"
    cast.caizheng_staff.save()
    row = reminder(cast, 1, Channel.WECOM, clock.now())
    reminder_sending.send_due_reminders(clock.now())
    row.refresh_from_db()
    assert row.state == DeliveryState.GIVEN_UP and "81013" in row.last_error
    assert work_apps.delivered == []


def test_the_scan_addresses_a_person_through_each_configured_app_and_the_worker_delivers_it(
    cast, work_apps, frozen_today
):
    cast.caizheng_staff.wecom_userid, cast.caizheng_staff.dingtalk_userid = "LiuKeYuan", "manager4411"
    cast.caizheng_staff.save()
    cast.measure.owner = cast.caizheng_staff
    cast.measure.save()
    frozen_today(cast.measure.deadline + dt.timedelta(days=7))  # a week overdue
    assert scan_reminders() > 0
    to_liu = Reminder.objects.filter(recipient=cast.caizheng_staff, task=cast.measure)
    assert set(to_liu.values_list("channel", flat=True)) >= {Channel.IN_APP, Channel.WECOM, Channel.DINGTALK}
    wecom = to_liu.get(channel=Channel.WECOM)
    assert wecom.addressee == "财政局刘科员（企业微信应用消息 LiuKeYuan）"
    reminder_sending.send_due_reminders(clock.now())
    assert {(s, to) for s, to, text in work_apps.delivered if wecom.subject in text} == {
        ("wecom", "LiuKeYuan"),
        ("dingtalk", "manager4411"),
    }
    scan_reminders()  # a second scan on the same day adds nothing, so nothing goes twice
    reminder_sending.send_due_reminders(clock.now() + dt.timedelta(hours=1))
    assert len([1 for s, to, text in work_apps.delivered if wecom.subject in text]) == 2


def test_no_app_message_is_made_for_a_person_without_an_account_or_when_the_app_is_not_configured(
    cast, work_apps, frozen_today, settings
):
    cast.measure.owner = cast.caizheng_staff
    cast.measure.save()
    cast.caizheng_staff.wecom_userid = "LiuKeYuan"  # no DingTalk account
    cast.caizheng_staff.save()
    settings.WECOM_CORP_SECRET = ""  # and the WeCom app not configured
    frozen_today(cast.measure.deadline + dt.timedelta(days=7))
    scan_reminders()
    assert not Reminder.objects.filter(channel__in=[Channel.WECOM, Channel.DINGTALK]).exists()


def test_a_second_worker_process_uses_the_token_the_first_one_fetched(cast, work_apps):
    """Two readers of the kept token: a fresh copy of the sending code, as another process would load it."""
    cast.caizheng_staff.wecom_userid = "LiuKeYuan"
    cast.caizheng_staff.save()
    now = clock.now()
    reminder(cast, 1, Channel.WECOM, now)
    reminder_sending.send_due_reminders(now)
    spec = importlib.util.spec_from_file_location(
        "second_worker_work_messages", delivery.work_messages.__file__
    )
    second = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(second)
    second.send(second.WECOM, "LiuKeYuan", "另一进程", "正文", "https://luoshi.example.gov.cn/")
    assert work_apps.token_requests == ["wecom"] and len(work_apps.delivered) == 2


def test_luoshi_remind_reports_messages_held_back_by_a_rate_limit(cast, work_apps):
    cast.caizheng_staff.dingtalk_userid = "manager4411"
    cast.caizheng_staff.save()
    work_apps.rate_limit_on_send = {1}
    now = clock.now()
    for n in (1, 2):
        reminder(cast, n, Channel.DINGTALK, now)
    out = io.StringIO()
    call_command("remind", stdout=out)
    assert "对方限流、稍后重发 1 条" in out.getvalue() and "外部服务暂停中、稍后发送 1 条" in out.getvalue()
    assert Reminder.objects.filter(state=DeliveryState.PENDING, attempts=0).count() == 2


def test_an_http_429_holds_the_app_for_as_long_as_its_retry_after_says(cast, work_apps):
    cast.caizheng_staff.wecom_userid = "LiuKeYuan"
    cast.caizheng_staff.save()
    work_apps.http_429_once = True
    now = clock.now()
    row = reminder(cast, 1, Channel.WECOM, now)
    assert reminder_sending.send_due_reminders(now)[delivery.RATE_LIMITED] == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, row.next_attempt_at) == (
        DeliveryState.PENDING,
        0,
        now + dt.timedelta(seconds=120),
    )
    held = ServiceState.objects.get(name="wecom").held_until - delivery.wall_clock()
    assert dt.timedelta(seconds=110) < held <= dt.timedelta(seconds=120)

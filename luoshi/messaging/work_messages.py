"""Messages to one person through the office's own app: WeCom application messages and DingTalk work notices.

WeCom (企业微信应用消息, https://developer.work.weixin.qq.com/document/path/90236 and 91039):
  GET  {api}/cgi-bin/gettoken?corpid=…&corpsecret=…  → {"errcode": 0, "access_token": …, "expires_in": 7200}
  POST {api}/cgi-bin/message/send?access_token=…  {"touser": userid, "msgtype": "text", "agentid": n,
       "text": {"content": …}, "enable_duplicate_check": 1, …}  → {"errcode": 0, "invaliduser": "", "msgid": …}
DingTalk (钉钉工作通知, https://open.dingtalk.com/document/orgapp/asynchronous-sending-of-enterprise-session-messages):
  GET  {api}/gettoken?appkey=…&appsecret=…  → {"errcode": 0, "access_token": …, "expires_in": 7200}
  POST {api}/topapi/message/corpconversation/asyncsend_v2?access_token=…  {"agent_id": n, "userid_list":
       userid, "msg": {"msgtype": "markdown", "markdown": {"title": …, "text": …}}}  → {"errcode": 0, "task_id": …}
  A failure on the topapi may come as errcode 88 with the real code in `sub_code`.

Both tokens last two hours. The token is kept in the database (`ServiceState`), so every worker process
uses the one token until it expires, and whichever process hears "expired" or "invalid" fetches a new
one and tries once more (an answer of that kind means nothing was sent, so the retry cannot repeat a
message). "Called too often" raises `RateLimited`: the sender holds every message for that service for
a while and tries again later, without counting it as a failed try.
"""

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from luoshi.messaging.models import Channel, ServiceState
from luoshi.messaging.webhooks import TIMEOUT, clip
from luoshi.orgs.models import Person

#: A kept token is renewed this long before its stated expiry, so it never runs out mid-send.
TOKEN_MARGIN = dt.timedelta(minutes=5)
#: How long a service that answered "too often" is left alone when it does not say.
RATE_LIMIT_WAIT = 60
#: WeCom allows 2048 bytes of text content.
WECOM_TEXT_BYTES = 2000


class RateLimited(Exception):
    """The service answered that it is called too often: leave it alone `wait` seconds."""

    def __init__(self, message: str, wait: int = RATE_LIMIT_WAIT) -> None:
        super().__init__(message)
        self.wait = wait


class UnknownAccount(Exception):
    """The service does not know the person's account: no later try will reach them."""


class Refused(Exception):
    """The service answered with an error that is neither of the above."""


@dataclass(frozen=True)
class WorkApp:
    """One of the two services, as its documentation describes it."""

    channel: str
    token_path: str
    send_path: str
    token_errors: frozenset[int]  # the token expired or is not (any longer) valid: fetch a new one
    rate_errors: frozenset[int]  # called too often
    account_errors: frozenset[int]  # no such person

    @property
    def name(self) -> str:
        return str(self.channel)

    @property
    def api(self) -> str:
        return (settings.WECOM_API if self.channel == Channel.WECOM else settings.DINGTALK_API).rstrip("/")

    def credentials(self) -> dict[str, str]:
        if self.channel == Channel.WECOM:
            return {"corpid": settings.WECOM_CORP_ID, "corpsecret": settings.WECOM_CORP_SECRET}
        return {"appkey": settings.DINGTALK_APP_KEY, "appsecret": settings.DINGTALK_APP_SECRET}

    def agent_id(self) -> int | None:
        return settings.WECOM_AGENT_ID if self.channel == Channel.WECOM else settings.DINGTALK_AGENT_ID

    def configured(self) -> bool:
        return all(self.credentials().values()) and self.agent_id() is not None

    def account(self, person: Person) -> str:
        return person.wecom_userid if self.channel == Channel.WECOM else person.dingtalk_userid

    def message(self, userid: str, subject: str, body: str, link: str) -> dict[str, Any]:
        lines = body.splitlines()
        if self.channel == Channel.WECOM:
            content = "\n".join([subject, *lines, f"查看任务：{link}"])
            # WeCom drops the same content to the same person within half an hour: a second guard
            # against the one repeat a crash between its answer and our record could cause.
            return {
                "touser": userid,
                "msgtype": "text",
                "agentid": self.agent_id(),
                "text": {"content": clip(content, WECOM_TEXT_BYTES)},
                "safe": 0,
                "enable_duplicate_check": 1,
                "duplicate_check_interval": 1800,
            }
        text = "\n\n".join([f"#### {subject}", *lines, f"[查看任务]({link})"])
        return {
            "agent_id": self.agent_id(),
            "userid_list": userid,
            "msg": {"msgtype": "markdown", "markdown": {"title": subject, "text": clip(text)}},
        }


WECOM = WorkApp(
    channel=Channel.WECOM,
    token_path="/cgi-bin/gettoken",
    send_path="/cgi-bin/message/send",
    token_errors=frozenset({40014, 42001}),  # invalid access_token; access_token expired
    rate_errors=frozenset({45009, 45033}),  # api freq out of limit; too many concurrent calls
    account_errors=frozenset({81013}),  # user & party & tag all invalid
)
DINGTALK = WorkApp(
    channel=Channel.DINGTALK,
    token_path="/gettoken",
    send_path="/topapi/message/corpconversation/asyncsend_v2",
    token_errors=frozenset(
        {40001, 40014, 42001}
    ),  # access_token invalid; 不合法的access_token; access_token超时
    rate_errors=frozenset({90002, 90006, 90018, 90019}),  # 限流: all apps, per second, per corp, per app
    account_errors=frozenset({33012, 40003}),  # 无效的USERID; 不合法的UserID
)
APPS = {app.channel: app for app in (WECOM, DINGTALK)}


def channels_for(person: Person) -> list[str]:
    """The work-app channels that can reach this person: the app is configured and they have an account."""
    return [channel for channel, app in APPS.items() if app.configured() and app.account(person)]


def _call(url: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """GET (or POST JSON to) the service; its JSON answer, or RateLimited on an HTTP 429."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise Refused(f"not an http(s) address: {url}")
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="GET" if body is None else "POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        if error.code == 429:
            wait = error.headers.get("Retry-After", "")
            raise RateLimited("HTTP 429", int(wait) if wait.isdecimal() else RATE_LIMIT_WAIT) from None
        raise
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise Refused(f"not a JSON answer: {raw[:200]!r}") from None
    return answer if isinstance(answer, dict) else {"errcode": -1, "errmsg": f"unexpected answer {answer!r}"}


def _code(answer: dict[str, Any]) -> int:
    """The answer's error code; DingTalk's topapi puts the real one in `sub_code` behind errcode 88."""
    code = answer.get("errcode", 0)
    if code == 88 and str(answer.get("sub_code", "")).lstrip("-").isdecimal():
        code = int(answer["sub_code"])
    return int(code) if isinstance(code, (int, str)) and str(code).lstrip("-").isdecimal() else -1


def _refuse(app: WorkApp, answer: dict[str, Any], what: str) -> None:
    """Raise for an answer that is not a success."""
    code = _code(answer)
    text = f"{app.name} {what}: errcode {code}: {answer.get('sub_msg') or answer.get('errmsg', '')}"
    if code in app.rate_errors:
        raise RateLimited(text)
    if code in app.account_errors:
        raise UnknownAccount(text)
    raise Refused(text)


def access_token(app: WorkApp, *, stale: str = "") -> str:
    """The app's token, kept in the database; a new one when none is kept, it runs out, or it is `stale`.

    `stale` is the token the service just called expired: if another process has already replaced
    it, that newer token is used, and the service is not asked again."""
    state = ServiceState.objects.filter(name=app.name).first()
    now = timezone.now()
    if (
        state is not None
        and state.access_token
        and state.access_token != stale
        and state.token_expires_at is not None
        and state.token_expires_at > now + TOKEN_MARGIN
    ):
        return state.access_token
    answer = _call(f"{app.api}{app.token_path}?{urllib.parse.urlencode(app.credentials())}")
    if _code(answer) != 0 or not answer.get("access_token"):
        _refuse(app, answer, "gettoken")
    token = str(answer["access_token"])
    expires_at = now + dt.timedelta(seconds=int(answer.get("expires_in") or 7200))
    ServiceState.objects.update_or_create(
        name=app.name, defaults={"access_token": token, "token_expires_at": expires_at}
    )
    return token


def send(app: WorkApp, userid: str, subject: str, body: str, link: str) -> dict[str, Any]:
    """Send one message to one person; returns the service's answer, raises unless it was accepted."""
    message = app.message(userid, subject, body, link)
    token = access_token(app)
    answer = _call(f"{app.api}{app.send_path}?{urllib.parse.urlencode({'access_token': token})}", message)
    if _code(answer) in app.token_errors:  # nothing was sent: a new token, and one more try
        token = access_token(app, stale=token)
        answer = _call(f"{app.api}{app.send_path}?{urllib.parse.urlencode({'access_token': token})}", message)
    if _code(answer) != 0:
        _refuse(app, answer, "send")
    invalid = str(answer.get("invaliduser") or "").split("|")
    if userid in invalid:  # WeCom: accepted, but the one person it was for is unknown
        raise UnknownAccount(f"{app.name} send: invaliduser {userid}")
    return answer

"""Group robots: the message formats WeCom (企业微信) and DingTalk (钉钉) document, DingTalk's signing, the POST.

WeCom: https://developer.work.weixin.qq.com/document/path/91770 — {"msgtype": "markdown",
"markdown": {"content": …}} or {"msgtype": "text", "text": {"content": …, "mentioned_mobile_list": […]}}.
DingTalk: https://open.dingtalk.com/document/robots/custom-robot-access — {"msgtype": "markdown",
"markdown": {"title": …, "text": …}, "at": {…}}; with 加签, `timestamp` (ms) and `sign` =
urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))) are added to the URL.
Both answer HTTP 200 with {"errcode": 0, "errmsg": "ok"} on success.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from typing import Any

from luoshi.messaging.models import MessageFormat, WebhookEndpoint, WebhookKind

#: Seconds to wait for a robot to answer.
TIMEOUT = 10

#: WeCom refuses markdown content over 4096 bytes; DingTalk allows more, but keep one limit.
MAX_CONTENT_BYTES = 4000


class RobotRefused(Exception):
    """The robot answered, but not with errcode 0."""


def clip(text: str, limit: int = MAX_CONTENT_BYTES) -> str:
    """Cut text to at most `limit` bytes of UTF-8 without splitting a character."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode(errors="ignore") + "…"


def payload(
    endpoint: WebhookEndpoint, subject: str, body: str, link: str, mobile: str = ""
) -> dict[str, Any]:
    """The JSON body the robot expects for one message; `mobile` @-mentions the person it is about."""
    lines = body.splitlines()
    mobiles = [mobile] if mobile else []
    if endpoint.kind == WebhookKind.WECOM:
        if endpoint.message_format == MessageFormat.MARKDOWN:
            content = "\n".join([f"**{subject}**", *lines, f"[查看任务]({link})"])
            return {"msgtype": "markdown", "markdown": {"content": clip(content)}}
        content = "\n".join([subject, *lines, f"查看任务：{link}"])
        return {"msgtype": "text", "text": {"content": clip(content), "mentioned_mobile_list": mobiles}}
    mention = [f"@{mobile}"] if mobile else []  # DingTalk only notifies a mobile that the text names
    at = {"atMobiles": mobiles, "isAtAll": False}
    if endpoint.message_format == MessageFormat.MARKDOWN:
        text = "\n\n".join([f"#### {subject}", *lines, f"[查看任务]({link})", *mention])
        return {"msgtype": "markdown", "markdown": {"title": subject, "text": clip(text)}, "at": at}
    content = "\n".join([subject, *lines, f"查看任务：{link}", *mention])
    return {"msgtype": "text", "text": {"content": clip(content)}, "at": at}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签 signature of a timestamp, already URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(endpoint: WebhookEndpoint, timestamp_ms: int | None = None) -> str:
    """The address to POST to: DingTalk robots with a secret get `timestamp` and `sign` appended."""
    if endpoint.kind != WebhookKind.DINGTALK or not endpoint.secret:
        return endpoint.url
    # DingTalk rejects a timestamp more than an hour off, so this is the real time, not luoshi's clock.
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    separator = "&" if "?" in endpoint.url else "?"
    return f"{endpoint.url}{separator}timestamp={timestamp_ms}&sign={dingtalk_sign(endpoint.secret, timestamp_ms)}"


def post(endpoint: WebhookEndpoint, message: dict[str, Any]) -> None:
    """POST one message to a robot; raises on a network error, an HTTP error or a non-zero errcode."""
    url = signed_url(endpoint)
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise RobotRefused(f"not an http(s) address: {endpoint.url}")
    request = urllib.request.Request(
        url,
        data=json.dumps(message, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        answer = json.loads(response.read() or b"{}")
    if answer.get("errcode", 0) != 0:
        raise RobotRefused(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")

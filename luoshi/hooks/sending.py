"""Sending stored events to their subscribers: a JSON POST signed with the subscription's secret, retried
with the reminders' backoff and attempt limit (`luoshi.messaging.sending`), never sent twice.

Signature: `X-Luoshi-Signature: sha256=<hex>` is HMAC-SHA256 with the secret as key over
`<timestamp>.<body>`, where `X-Luoshi-Timestamp` is the sending's Unix time in seconds. A receiver
recomputes it over the raw body and refuses a timestamp far from its own clock (a replayed request).
"""

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from luoshi.core import clock
from luoshi.hooks.models import HookDelivery
from luoshi.messaging import sending as policy

#: Seconds to wait for a subscriber to answer.
TIMEOUT = 10
USER_AGENT = "Luoshi-Webhooks/1"


class SubscriberRefused(Exception):
    """The subscriber answered, but not with a 2xx status."""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The value of X-Luoshi-Signature for a body sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    sent_signature: str,
    *,
    tolerance: int = 300,
    now: float | None = None,
) -> bool:
    """What a receiver does (and the docs show): the signature matches and the timestamp is recent."""
    try:
        stamp = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - stamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, stamp, body), sent_signature)


def post(row: HookDelivery) -> None:
    """POST one event; raises on a network error or a status other than 2xx."""
    subscription = row.subscription
    if not subscription.active:
        raise policy.CannotDeliver("推送订阅已停用")
    if urllib.parse.urlsplit(subscription.url).scheme not in ("http", "https"):
        raise policy.CannotDeliver(f"not an http(s) address: {subscription.url}")
    body = json.dumps(row.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())  # the real time: the receiver compares it with its own clock
    request = urllib.request.Request(
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Luoshi-Event": row.event,
            "X-Luoshi-Delivery": str(row.pk),
            "X-Luoshi-Event-Id": row.event_id,
            "X-Luoshi-Timestamp": str(timestamp),
            "X-Luoshi-Signature": signature(subscription.secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            response.read()
    except urllib.error.HTTPError as error:  # urllib raises on 4xx and 5xx: say which
        raise SubscriberRefused(f"HTTP {error.code}") from None


def send_due_hooks(now: dt.datetime | None = None, limit: int = 500) -> Counter:
    """Send every event whose time has come (new ones and retries); how many ended in each state."""
    now = now or clock.now()
    return policy.send_due(HookDelivery, now, limit, ("subscription",), lambda row, at: post(row))

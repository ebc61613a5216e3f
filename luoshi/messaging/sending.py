"""Sending stored messages (reminders, 督办单, bulletins, webhooks out) by their channel, with retries and backoff, and nothing lost on a restart.

A reminder row is its own state machine: pending → sent, or → retrying (attempts, last error, next
try after an exponential backoff) → sent or given up. The sender claims a row by pushing its next
try a lease into the future before sending, so two workers never send it together, and a worker that
dies mid-send leaves it to be tried again once the lease runs out. (A crash between the mail server
accepting a message and the row being marked sent can repeat that one message: at least once, never lost.)

Each message is claimed and stamped with the time it is actually sent, not the batch's start, so a lease
never starts out already expired on a long batch. Messages to outside services (group robots, the
office's WeCom and DingTalk apps) come after mail and in-app messages. A service that times out is
left alone for a while (a circuit breaker), and one that answers "called too often" for as long as it
asks; that hold is kept in the database (`ServiceState`), so every worker process — gunicorn runs
several, and the task worker — respects it: one hanging robot costs one timeout, not one per message
or per process, and never delays the others. A rate-limited message is not a failed try: it waits.
"""

import datetime as dt
import functools
import logging
import time
import urllib.error
from collections import Counter
from collections.abc import Callable
from typing import TypeVar, cast

from django.db.models import F
from django.utils import timezone

from luoshi.messaging import work_messages
from luoshi.messaging.models import Delivery, DeliveryQuerySet, DeliveryState, ServiceState

logger = logging.getLogger(__name__)

#: One kind of sending (a reminder, a bulletin to a subscriber, an event to a subscribed system).
D = TypeVar("D", bound=Delivery)

#: Tries before a reminder is given up.
MAX_ATTEMPTS = 8
#: Wait before the first retry; each further retry waits twice as long, up to `LONGEST_WAIT`.
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)
#: How long a claimed reminder is held by the worker sending it.
CLAIM_LEASE = dt.timedelta(minutes=5)
#: Seconds to wait for the mail server.
MAIL_TIMEOUT = 10
#: After a robot times out, its other messages wait this long before it is tried again.
BREAKER_WAIT = 300.0
#: What `send_due` reports for a message sent back to wait for a service that asked to be called less.
RATE_LIMITED = "rate_limited"


def wall_clock() -> dt.datetime:
    """The real time, for holds on outside services (luoshi's own clock may be set to another day)."""
    return timezone.now()


def is_held(service: str) -> bool:
    """Whether some worker process has put this service on hold, and the hold still runs."""
    return ServiceState.objects.filter(name=service, held_until__gt=wall_clock()).exists()


def hold(service: str, seconds: float, because: str) -> None:
    """Leave the service alone for `seconds`, in every worker process."""
    until = wall_clock() + dt.timedelta(seconds=seconds)
    ServiceState.objects.update_or_create(
        name=service, defaults={"held_until": until, "held_because": because[:200]}
    )


def _timed_out(error: Exception) -> bool:
    return isinstance(error, TimeoutError) or (
        isinstance(error, urllib.error.URLError) and isinstance(error.reason, TimeoutError)
    )


class CannotDeliver(Exception):
    """The reminder can never go out as addressed (no email address, robot switched off): give up now."""


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed try: 1, 2, 4, 8 … minutes, at most `LONGEST_WAIT`."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def _rows(model: type[Delivery]) -> DeliveryQuerySet:
    """Every sending of a kind, by its manager: a DeliveryQuerySet's (or one made from it) for every kind."""
    return cast(DeliveryQuerySet, model._default_manager.all())


def claim(model: type[D], pk: int, now: dt.datetime, related: tuple[str, ...]) -> D | None:
    """Take a due sending for this worker for CLAIM_LEASE, or None if another worker took it first."""
    taken = _rows(model).due(now).filter(pk=pk).update(next_attempt_at=now + CLAIM_LEASE)
    if not taken:
        return None
    return model._default_manager.select_related(*related).get(pk=pk)


def attempt(
    row: Delivery, now: dt.datetime, send: Callable[[], None], sent_at: dt.datetime | None = None
) -> str:
    """Try one claimed sending once and record the outcome on its row; returns its new state.

    A retry is scheduled from `now`, the batch's time; `sent_at` is when this one really went."""
    attempts = row.attempts + 1
    rows = type(row)._default_manager.filter(pk=row.pk)
    try:
        send()
    except work_messages.RateLimited as error:  # not the message's fault: it waits, the try is not counted
        logger.info("%s %s: rate limited, waits %d s: %s", type(row).__name__, row.pk, error.wait, error)
        rows.update(
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=now + dt.timedelta(seconds=error.wait),
        )
        return RATE_LIMITED
    except Exception as error:  # any failure is recorded on the row, so one bad sending never stops the rest
        give_up = isinstance(error, CannotDeliver) or attempts >= MAX_ATTEMPTS
        state = DeliveryState.GIVEN_UP if give_up else DeliveryState.RETRYING
        logger.warning("%s %s: try %d failed: %s", type(row).__name__, row.pk, attempts, error)
        rows.update(
            state=state,
            attempts=F("attempts") + 1,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=now + backoff(attempts),
        )
        return state
    rows.update(state=DeliveryState.SENT, attempts=F("attempts") + 1, sent_at=sent_at or now, last_error="")
    return DeliveryState.SENT


def send_due(
    model: type[D],
    now: dt.datetime,
    limit: int,
    related: tuple[str, ...],
    send: Callable[[D, dt.datetime], None],
) -> Counter:
    """Claim and try every sending of `model` whose time has come; how many ended in each state.

    `send(row, at)` sends one; each due row names the outside service it goes to (`service`, see
    `DeliveryQuerySet.service`), or None for mail and in-app, which go first.
    """
    outcomes: Counter = Counter()
    started = time.monotonic()
    due = _rows(model).due(now).order_by("next_attempt_at", "id").values_list("id", "service")[:limit]
    for pk, service in sorted(due, key=lambda row: row[1] is not None):  # outside services last, order kept
        if service is not None and is_held(service):
            outcomes["deferred"] += 1  # left due: tried again once the hold ends
            continue
        at = now + dt.timedelta(
            seconds=int(time.monotonic() - started)
        )  # this message's own time, to the second
        row = claim(model, pk, at, related)
        if row is None:
            continue

        def send_one(row: D, at: dt.datetime, service: str | None) -> None:
            try:
                send(row, at)
            except work_messages.RateLimited as error:
                if service is not None:
                    hold(service, error.wait, f"rate limited: {error}")
                raise
            except Exception as error:
                if service is not None and _timed_out(error):
                    hold(service, BREAKER_WAIT, f"timed out: {error}")
                raise

        outcomes[attempt(row, now, functools.partial(send_one, row, at, service), sent_at=at)] += 1
    return outcomes

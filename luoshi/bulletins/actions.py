"""Drafting, reviewing and publishing bulletins."""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from luoshi.bulletins.compose import Period, compose
from luoshi.bulletins.models import Bulletin, BulletinStatus, BulletinSubscription
from luoshi.bulletins.sending import queue_deliveries
from luoshi.core import clock
from luoshi.core.access import Action, can, require
from luoshi.core.history import set_history_user
from luoshi.hooks import events as hook_events
from luoshi.messaging.models import WebhookEndpoint
from luoshi.orgs.models import Person, Unit
from luoshi.plans.models import Plan
from luoshi.scoring.actions import post_scores


def _require_unpublished(bulletin: Bulletin) -> None:
    if bulletin.is_published:
        raise ValidationError(_("通报已印发，不能再修改。"))


def draft_bulletin(
    actor: Person,
    *,
    plan: Plan,
    period: Period,
    scope_unit: Unit | None = None,
    issuer_unit: Unit | None = None,
    title: str = "",
) -> Bulletin:
    """Start a bulletin; its commendations and criticisms begin as generated draft sentences."""
    require(actor, Action.CREATE, Bulletin)
    issuer = issuer_unit or actor.unit
    if issuer is None:
        raise ValidationError({"issuer_unit": _("请指定发文单位。")})
    content = _composed(plan, period, scope_unit)
    bulletin = Bulletin(
        plan=plan,
        scope_unit=scope_unit,
        issuer_unit=issuer,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        title=title
        or _("关于%(plan)s落实情况的通报（%(period)s）") % {"plan": plan.title, "period": period.label},
        commendations=content["draft_commendations"],
        criticisms=content["draft_criticisms"],
        created_by=actor,
        content=content,
    )
    bulletin.full_clean()
    set_history_user(bulletin, actor)
    bulletin.save()
    return bulletin


def _composed(plan: Plan, period: Period, scope_unit: Unit | None, today: dt.date | None = None) -> dict:
    """The bulletin's figures as of now, composed once: the ranking reads the score ledger, so it is
    brought up to date with the facts of the period first."""
    post_scores(plan, until=min(period.end, today or clock.today()))
    return {**compose(plan, period, scope_unit, today=today), "composed_at": clock.now().isoformat()}


#: A step of a bulletin's workflow, as the page and the API take it.
BulletinStep = Callable[[Person, Bulletin], Bulletin]


def refresh_bulletin(actor: Person, bulletin: Bulletin) -> Bulletin:
    """Compose a draft's figures again from today's facts (a draft keeps those it was drafted with until then).

    The office's own words stay; like an edit, a refreshed draft needs a new review."""
    require(actor, Action.EDIT, bulletin)
    _require_unpublished(bulletin)
    bulletin.content = _composed(bulletin.plan, period_of(bulletin), bulletin.scope_unit)
    bulletin.status = BulletinStatus.DRAFT
    set_history_user(bulletin, actor)
    bulletin.save()
    return bulletin


def edit_bulletin(actor: Person, bulletin: Bulletin, **texts: str) -> Bulletin:
    """Change the title or the office's own words (commendations, criticisms, remarks) of a draft."""
    require(actor, Action.EDIT, bulletin)
    _require_unpublished(bulletin)
    allowed = {"title", "commendations", "criticisms", "remarks"}
    for name, value in texts.items():
        if name not in allowed:
            raise ValidationError({name: _("此字段不能修改。")})
        setattr(bulletin, name, value.strip())
    bulletin.status = BulletinStatus.DRAFT  # an edit after review needs a new review
    bulletin.full_clean()
    set_history_user(bulletin, actor)
    bulletin.save()
    return bulletin


def review_bulletin(actor: Person, bulletin: Bulletin) -> Bulletin:
    require(actor, Action.REVIEW, bulletin)
    _require_unpublished(bulletin)
    bulletin.status = BulletinStatus.REVIEWED
    bulletin.reviewed_by = actor
    set_history_user(bulletin, actor)
    bulletin.save()
    return bulletin


def publish_bulletin(actor: Person, bulletin: Bulletin, today: dt.date | None = None) -> Bulletin:
    """Number the bulletin and freeze its content: later changes to tasks never alter it."""
    require(actor, Action.PUBLISH, bulletin)
    if bulletin.status != BulletinStatus.REVIEWED:
        raise ValidationError(_("通报须先审核，才能印发。"))
    now = clock.now()
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        _require_unpublished(locked)
        year = (today or clock.today()).year
        last = (
            Bulletin.objects.select_for_update()
            .filter(issuer_unit=locked.issuer_unit, year=year)
            .aggregate(n=Max("number"))["n"]
        )
        locked.year, locked.number = year, (last or 0) + 1
        # Freeze the ranking on an up-to-date ledger (the worker may not have scanned since the draft).
        locked.content = {
            **_composed(locked.plan, period_of(locked), locked.scope_unit, today=today),
            "title": locked.title,
            "document_number": locked.document_number,
            "issuer": locked.issuer_unit.name,
            "published_on": (today or clock.today()).isoformat(),
            "commendations": locked.commendations,
            "criticisms": locked.criticisms,
            "remarks": locked.remarks,
        }
        locked.status = BulletinStatus.PUBLISHED
        locked.published_at = now
        set_history_user(locked, actor)
        locked.save()
        # Sent to the plan's subscribers: the deliveries are stored with the publishing, so none is lost,
        # and a sending is queued for the worker once the publishing is committed.
        queue_deliveries(locked, now)
        transaction.on_commit(_queue_sending)
        # And other systems that subscribed (webhooks out), stored in the same transaction.
        hook_events.bulletin_published(locked)
    return locked


def _queue_sending() -> None:
    from luoshi.bulletins.jobs import send_bulletins  # the tasks module drafts through this one

    send_bulletins.enqueue()


def subscribe(
    actor: Person,
    plan: Plan,
    *,
    person: Person | None = None,
    endpoint: WebhookEndpoint | None = None,
    in_app: bool = True,
    by_email: bool = True,
) -> BulletinSubscription:
    """Subscribe a person (in the app, by e-mail) or a group robot to a plan's bulletins.

    People subscribe themselves; the supervision office subscribes anyone and any robot."""
    if not can(actor, Action.CREATE, BulletinSubscription(plan=plan, person=person, endpoint=endpoint)):
        raise PermissionDenied("only the supervision office subscribes others or robots")
    subscription, _created = BulletinSubscription.objects.update_or_create(
        plan=plan,
        person=person,
        endpoint=endpoint,
        defaults={"in_app": in_app, "by_email": by_email, "active": True},
    )
    return subscription


def unsubscribe(actor: Person, subscription: BulletinSubscription) -> None:
    if not can(actor, Action.DELETE, subscription):
        raise PermissionDenied("only the subscriber or the supervision office ends a subscription")
    subscription.delete()


def period_of(bulletin: Bulletin) -> Period:
    return Period(bulletin.period_kind, bulletin.period_start, bulletin.period_end)


def bulletin_content(bulletin: Bulletin) -> dict:
    """What the bulletin says: the frozen snapshot once published; for a draft, the figures composed when it
    was drafted (or last refreshed) with the office's current words. Reading never composes again, except
    for a draft stored before drafts kept their figures."""
    if bulletin.is_published and bulletin.content is not None:
        return bulletin.content
    figures = bulletin.content or compose(bulletin.plan, period_of(bulletin), bulletin.scope_unit)
    return {
        **figures,
        "title": bulletin.title,
        "document_number": "",
        "issuer": bulletin.issuer_unit.name,
        "published_on": clock.today().isoformat(),
        "commendations": bulletin.commendations,
        "criticisms": bulletin.criticisms,
        "remarks": bulletin.remarks,
    }

"""The office subscribing another system to events, and ending a subscription."""

from django.db import transaction

from luoshi.core.access import Action, require
from luoshi.core.history import set_history_user
from luoshi.hooks.models import Event, HookSubscription
from luoshi.orgs.models import Person


def subscribe(actor: Person, *, name: str, url: str, events: list[Event]) -> HookSubscription:
    """A new subscription with a fresh secret; only the office subscribes (it knows the other systems)."""
    require(actor, Action.CREATE, HookSubscription)
    subscription = HookSubscription(
        name=name.strip(),
        url=url.strip(),
        **{field: event in events for event, field in HookSubscription.WANTS.items()},
    )
    subscription.full_clean()
    set_history_user(subscription, actor)
    subscription.save()
    return subscription


def unsubscribe(actor: Person, subscription: HookSubscription) -> None:
    """End a subscription; what was waiting to be sent to it is dropped with it."""
    require(actor, Action.DELETE, subscription)
    set_history_user(subscription, actor)
    with transaction.atomic():
        subscription.delete()

"""The stored light of each indicator (IndicatorStatus), so that pages count lights in the database
instead of computing every indicator's path.

The light is derived, by `status.indicator_status`, from the indicator, its targets, its actuals and
the actuals of the indicators its relative targets refer to. Every save or delete of those rows
refreshes the stored light of the indicators that read them, in the same transaction (the receivers
below, connected in `IndicatorsConfig.ready`: signals, because admin inlines, imports and the API
all write these rows and a cache must follow every one of them). `tests/test_indicator_stored_status.py`
proves the stored lights equal a recomputation after every kind of change. Bulk writes that skip
signals (the bench's COPY) call `refresh_statuses` themselves.

Indicators computed from project starts are not stored: their current year runs to today, so
their light moves with the calendar; pages compute those few on the fly.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from luoshi.core import clock
from luoshi.indicators.models import (
    ComputedFrom,
    Indicator,
    IndicatorActual,
    IndicatorStatus,
    IndicatorTarget,
)
from luoshi.indicators.status import indicator_status
from luoshi.indicators.trajectory import facts_for


def readers_of(indicator_ids: Iterable[int]) -> set[int]:
    """The indicators whose light reads these ones' facts: themselves and those with a relative target on them."""
    ids = set(indicator_ids)
    return ids | set(
        IndicatorTarget.objects.filter(reference_indicator_id__in=ids).values_list("indicator_id", flat=True)
    )


def refresh_statuses(indicator_ids: Iterable[int]) -> None:
    """Recompute and store the light of these indicators and of those that read them."""
    ids = readers_of(indicator_ids)
    if not ids:
        return
    with transaction.atomic():
        # Lock the indicators first, so that two changes at once cannot each store a light that
        # misses the other's actual: the second waits, then reads both.
        locked = Indicator.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        stored = locked.exclude(computed_from=ComputedFrom.PROJECT_STARTS)
        lights = {facts.id: indicator_status(facts) for facts in facts_for(stored, today=clock.today())}
        IndicatorStatus.objects.filter(indicator_id__in=ids).exclude(
            indicator_id__in=[pk for pk, status in lights.items() if status is not None]
        ).delete()
        IndicatorStatus.objects.bulk_create(
            [
                IndicatorStatus(
                    indicator_id=pk,
                    light=s.light,
                    period_end=s.period_end,
                    actual=s.actual,
                    expected=s.expected,
                    shortfall=s.shortfall,
                )
                for pk, s in lights.items()
                if s is not None
            ],
            update_conflicts=True,
            unique_fields=["indicator"],
            update_fields=["light", "period_end", "actual", "expected", "shortfall"],
        )


def refresh_all() -> None:
    """Every indicator's stored light, from scratch (after a bulk load)."""
    refresh_statuses(Indicator.objects.values_list("pk", flat=True))


def _indicator_changed(sender, instance: Indicator, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh_statuses([instance.pk])


def _part_changed(sender, instance: IndicatorActual | IndicatorTarget, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh_statuses([instance.indicator_id])


def _part_deleted(sender, instance: IndicatorActual | IndicatorTarget, origin=None, **kwargs) -> None:
    # Deleted with their indicator (or its plan), the stored light goes with the indicator: a refresh
    # here would write a row for an indicator about to be deleted.
    if (origin.model if isinstance(origin, QuerySet) else type(origin)) in (IndicatorActual, IndicatorTarget):
        refresh_statuses([instance.indicator_id])


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_indicator_changed, sender=Indicator, dispatch_uid="indicator_status_indicator")
    for model in (IndicatorActual, IndicatorTarget):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"indicator_status_{model.__name__}")
        post_delete.connect(
            _part_deleted, sender=model, dispatch_uid=f"indicator_status_{model.__name__}_delete"
        )

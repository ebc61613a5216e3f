"""What a public results page shows: chosen fields of the plan, read one page of rows at a time.

Only these fields ever leave: the plan's title, number and period; areas (code, title, deadline);
indicators (name, unit, latest actual and its period, light, next target); completed tasks (code,
title, kind, day closed); published bulletins (title, number, period, day published); and the
names of units where the office shows them. Never people, progress notes, comments, reasons,
descriptions or files. Each list is one page of rows in a fixed number of queries, so the page
costs the same at 100,000 tasks as at 100.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from luoshi.bulletins.models import Bulletin, BulletinStatus
from luoshi.indicators.models import Indicator, IndicatorTarget
from luoshi.indicators.status import IndicatorLight, indicator_status
from luoshi.indicators.trajectory import facts_for, resolve_targets
from luoshi.indicators.wording import amount, target_words
from luoshi.plans.models import Task, TaskKind, TaskStatus
from luoshi.public.models import PublicPage

#: Rows per page of completed tasks and of indicators.
PAGE_ROWS = 50
#: The latest published bulletins listed.
BULLETINS = 20


@dataclass(frozen=True)
class Paged:
    rows: list[dict]
    number: int
    pages: int
    total: int


def _page(total: int, asked: int) -> tuple[int, int, int]:
    """The page number within range, the number of pages and the first row's offset."""
    pages = max(1, -(-total // PAGE_ROWS))
    number = min(max(asked, 1), pages)
    return number, pages, (number - 1) * PAGE_ROWS


def areas(page: PublicPage) -> list[dict]:
    rows = (
        Task.objects.filter(plan_id=page.plan_id, parent__isnull=True)
        .exclude(status=TaskStatus.DRAFT)
        .select_related("lead_unit")
        .order_by("order", "id")
    )
    return [
        {
            "code": t.code,
            "title": t.title,
            "deadline": t.deadline,
            "closed": t.status == TaskStatus.CLOSED,
            "unit": t.lead_unit.display_name if page.show_units else "",
        }
        for t in rows
    ]


def task_counts(page: PublicPage) -> dict[str, int]:
    """Tasks given out (drafts are not) and those completed, in one query."""
    return Task.objects.filter(plan_id=page.plan_id).aggregate(
        total=Count("pk", filter=~Q(status=TaskStatus.DRAFT)),
        closed=Count("pk", filter=Q(status=TaskStatus.CLOSED)),
    )


def completed_tasks(page: PublicPage, asked: int, closed: int) -> Paged:
    number, pages, offset = _page(closed, asked)
    rows = (
        Task.objects.filter(plan_id=page.plan_id, status=TaskStatus.CLOSED)
        .select_related("lead_unit")
        .only("code", "title", "kind", "closed_at", "lead_unit__name", "lead_unit__short_name")
        .order_by("-closed_at", "-id")[offset : offset + PAGE_ROWS]
    )
    return Paged(
        [
            {
                "code": t.code,
                "title": t.title,
                "kind": TaskKind(t.kind).label,
                "closed": t.closed_at.date() if t.closed_at else None,
                "unit": t.lead_unit.display_name if page.show_units else "",
            }
            for t in rows
        ],
        number,
        pages,
        closed,
    )


def indicators(page: PublicPage, asked: int, today: dt.date) -> Paged:
    """One page of the plan's indicators, each with its latest actual, its light and its next target."""
    everyone = Indicator.objects.filter(plan_id=page.plan_id)
    total = everyone.count()
    number, pages, offset = _page(total, asked)
    shown = list(everyone.select_related("owner_unit").order_by("id")[offset : offset + PAGE_ROWS])
    facts = {f.id: f for f in facts_for(Indicator.objects.filter(pk__in=[i.pk for i in shown]), today=today)}
    # A relative target names its reference ("≥ 全省GDP增速 + 2.5 个百分点"), as the indicator page does.
    references = dict(
        IndicatorTarget.objects.filter(indicator__in=shown, reference_indicator__isnull=False).values_list(
            "pk", "reference_indicator__name"
        )
    )
    rows = []
    for indicator in shown:
        status, targets = indicator_status(facts[indicator.pk]), resolve_targets(facts[indicator.pk])
        light = status.light if status else IndicatorLight.NO_DATA
        upcoming = next((t for t in targets if t.due_date >= today), targets[-1] if targets else None)
        rows.append(
            {
                "name": indicator.name,
                "light": light,
                "light_label": light.label,
                "actual": amount(status.actual, indicator.unit) if status else "—",
                "period": status.period_end if status else None,
                "target": target_words(upcoming, indicator.unit, references.get(upcoming.id, ""))
                if upcoming
                else "",
                "due": upcoming.due_date if upcoming else None,
                "unit": indicator.owner_unit.display_name if page.show_units else "",
            }
        )
    return Paged(rows, number, pages, total)


def bulletins(page: PublicPage) -> list[dict]:
    rows = (
        Bulletin.objects.filter(plan_id=page.plan_id, status=BulletinStatus.PUBLISHED)
        .select_related("issuer_unit")
        .order_by("-published_at", "-id")[:BULLETINS]
    )
    return [
        {
            "title": b.title,
            "number": b.document_number,
            "period_start": b.period_start,
            "period_end": b.period_end,
            "published": b.published_at.date() if b.published_at else None,
        }
        for b in rows
    ]

"""Rolled-up progress of tasks: a parent's progress is the weighted mean of its counted children's.

A task with no counted children (a leaf) has 100 when closed, else its latest report's percent,
else 0. Only counted tasks (`definitions.counted`: assigned or later) carry weight. A task whose
children are all drafts is still a leaf, so its own reports keep counting while it is being split:
the work passes to the children when the office assigns them (交办), not when a unit drafts them.

Kept, not re-walked. Each task stores its figure (`Task.rolled_up`); every action that changes a
fact the figure depends on — a progress report, a workflow step (交办 of a draft, 办结), a weight, a
deletion — calls `refresh_rollups` on the task it changed, in the same transaction. That recomputes
the task and its ancestors only, from their children's stored figures: a few rows per level,
whatever the size of the plan, where recomputing on read walked every subtree below every task a
page shows (seconds at 100,000 tasks). The ancestors are locked first, so two reports under one
parent cannot each miss the other's figure.

`scratch_progress` computes the same figures from the facts alone, bottom up (each task once, no
ancestor × leaf pairs). Readings of a past day (`as_of`: a bulletin's period, the cockpit's 截至)
use it, `luoshi check-rollups` compares it with the stored figures (and repairs them after a bulk
load), and tests/test_rollup_kept.py proves on random sequences of actions that the two agree.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Exists, FloatField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL

from luoshi.core.clock import end_of_day
from luoshi.core.tree import subtree_ids
from luoshi.plans.definitions import counted
from luoshi.plans.models import Task, TaskStatus, TaskTransition
from luoshi.progress.models import ProgressReport

#: Two figures closer than this are the same (they are means of percents; floats differ in the last bits).
SAME = 1e-6


@dataclass(frozen=True)
class Facts:
    """What one task's rolled-up progress depends on, as of a moment."""

    id: int
    parent_id: int | None
    weight: float
    counted: bool
    closed: bool
    latest: int | None  # its latest report's percent


def bottom_up(facts: Iterable[Facts]) -> dict[int, float]:
    """Every task's rolled-up progress (unrounded) from the facts of a whole subtree, each task once."""
    rows = {f.id: f for f in facts}
    children: dict[int, list[Facts]] = {}
    for f in rows.values():
        if f.counted and f.parent_id in rows:
            children.setdefault(f.parent_id, []).append(f)
    out: dict[int, float] = {}
    # Deepest first: a task's depth is known once its parent's is, so order by a walk from the tops.
    order, level = [], [pk for pk, f in rows.items() if f.parent_id not in rows]
    below: dict[int, list[int]] = {}
    for f in rows.values():
        if f.parent_id in rows:
            below.setdefault(f.parent_id, []).append(f.id)
    while level:
        order.append(level)
        level = [child for pk in level for child in below.get(pk, ())]
    for level in reversed(order):
        for pk in level:
            out[pk] = _figure(rows[pk], children.get(pk, ()), out)
    return out


def _figure(task: Facts, counted_children: Iterable[Facts], figures: Mapping[int, float]) -> float:
    kids = list(counted_children)
    if not kids:
        return 100.0 if task.closed else float(task.latest or 0)
    total = sum(k.weight for k in kids)
    return sum(k.weight * figures[k.id] for k in kids) / total


def _latest(as_of: dt.date | None = None) -> Subquery:
    reports = ProgressReport.objects.filter(task=OuterRef("pk"))
    if as_of is not None:
        reports = reports.filter(reported_on__lte=as_of)
    return Subquery(reports.order_by("-reported_on", "-id").values("percent")[:1])


def facts_of(tasks: QuerySet, as_of: dt.date | None = None) -> list[Facts]:
    """The facts of these tasks in one query, now or as of the end of `as_of`."""
    rows = tasks.order_by().annotate(latest=_latest(as_of))
    if as_of is None:
        return [
            Facts(pk, parent, weight, status != TaskStatus.DRAFT, status == TaskStatus.CLOSED, latest)
            for pk, parent, weight, status, latest in rows.values_list(
                "pk", "parent_id", "weight", "status", "latest"
            )
        ]
    end = end_of_day(as_of)
    assigned_later = TaskTransition.objects.filter(
        task=OuterRef("pk"), from_status=TaskStatus.DRAFT, at__gte=end
    )
    rows = rows.annotate(assigned_later=Exists(assigned_later))
    return [
        Facts(
            pk,
            parent,
            weight,
            status != TaskStatus.DRAFT and not later,
            closed_at is not None and closed_at < end,
            latest,
        )
        for pk, parent, weight, status, later, closed_at, latest in rows.values_list(
            "pk", "parent_id", "weight", "status", "assigned_later", "closed_at", "latest"
        )
    ]


def scratch_progress(tasks: QuerySet, as_of: dt.date | None = None) -> dict[int, float]:
    """Rolled-up progress (unrounded) of every task in `tasks`, from the facts alone; `tasks` must
    hold whole subtrees (a plan, or `Task.objects.subtree(...)`)."""
    return bottom_up(facts_of(tasks, as_of))


def rounded(value: float) -> float:
    """A figure to one decimal, half up (as SQL's CAST(x * 10 + 0.5 AS INTEGER) / 10 reads it in plans.lights)."""
    return int(value * 10 + 0.5) / 10


def _rounded(figures: Mapping[int, float]) -> dict[int, float]:
    return {pk: rounded(value) for pk, value in figures.items()}


def progress_of_plan(plan_id: int, *, as_of: dt.date | None = None) -> dict[int, float]:
    """Rolled-up progress (0–100) of every task in a plan, by task id (as of the end of `as_of`)."""
    tasks = Task.objects.filter(plan_id=int(plan_id))
    if as_of is None:
        return _rounded(dict(tasks.order_by().values_list("pk", "rolled_up")))
    return _rounded(scratch_progress(tasks, as_of))


def progress_of(task_ids: Iterable[int], *, as_of: dt.date | None = None) -> dict[int, float]:
    """Rolled-up progress (0–100) of the given tasks, by task id (as of the end of `as_of`)."""
    ids = [int(pk) for pk in task_ids]
    if not ids:
        return {}
    if as_of is None:
        return _rounded(dict(Task.objects.filter(pk__in=ids).order_by().values_list("pk", "rolled_up")))
    figures = scratch_progress(Task.objects.filter(pk__in=subtree_ids(Task, ids)), as_of)
    return _rounded({pk: figures[pk] for pk in ids if pk in figures})


def plan_progress(plan_id: int, *, as_of: dt.date | None = None) -> float:
    """The whole plan's progress: its counted top-level tasks, weighted."""
    roots = counted_tasks(Task.objects.filter(plan_id=plan_id, parent=None), as_of)
    if as_of is None:
        rows = list(roots.order_by().values_list("weight", "rolled_up"))
    else:
        figures = scratch_progress(Task.objects.filter(plan_id=plan_id), as_of)
        rows = [(w, figures.get(pk, 0.0)) for pk, w in roots.values_list("id", "weight")]
    total = sum(w for w, _ in rows)
    return rounded(sum(w * value for w, value in rows) / total) if total else 0.0


def _chain(task_ids: list[int]) -> RawSQL:
    """The given tasks and every task above them."""
    table = Task._meta.db_table
    marks = ", ".join(["%s"] * len(task_ids))
    return RawSQL(
        f"WITH RECURSIVE up(id) AS (SELECT id FROM {table} WHERE id IN ({marks})"
        f" UNION SELECT t.parent_id FROM {table} t JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL)"
        " SELECT id FROM up",
        task_ids,
    )


def refresh_rollups(task_ids: Iterable[int | None]) -> None:
    """Recompute the stored progress of these tasks and of every task above them, in four queries.

    Call it, inside the transaction, after changing anything a rollup reads: a report, a status
    into or out of draft or closed, a weight, a parent, a deletion (pass the parent)."""
    ids = sorted({int(pk) for pk in task_ids if pk is not None})
    if not ids:
        return
    # Lock the chain top to bottom in one order (PostgreSQL; SQLite holds one writer anyway), then
    # read: a concurrent change under the same parent commits first and is seen, never overwritten.
    stored = dict(
        Task.objects.filter(pk__in=_chain(ids))
        .order_by("pk")
        .select_for_update()
        .values_list("pk", "rolled_up")
    )
    chain = list(stored)
    rows = {f.id: f for f in facts_of(Task.objects.filter(pk__in=chain))}
    children: dict[int, list[Facts]] = {}
    kept: dict[int, float] = {}
    for pk, parent, weight, value in (
        Task.objects.filter(parent_id__in=chain)
        .filter(counted())
        .order_by()
        .values_list("pk", "parent_id", "weight", "rolled_up")
    ):
        children.setdefault(parent, []).append(Facts(pk, parent, weight, True, False, None))
        kept[pk] = value
    fresh: dict[int, float] = {}

    def figure(pk: int) -> float:
        if pk not in fresh:
            kids = children.get(pk, ())
            for kid in kids:
                if kid.id in rows:
                    kept[kid.id] = figure(kid.id)
            fresh[pk] = _figure(rows[pk], kids, kept)
        return fresh[pk]

    for pk in rows:
        figure(pk)
    changed = {pk: value for pk, value in fresh.items() if abs(value - stored.get(pk, 0.0)) > SAME}
    if changed:
        Task.objects.filter(pk__in=changed).update(
            rolled_up=Case(
                *(When(pk=pk, then=Value(value)) for pk, value in changed.items()), output_field=FloatField()
            )
        )


def rebuild_rollups(tasks: QuerySet) -> int:
    """Store the from-scratch figures of these tasks (whole subtrees: a plan, or every task); returns how
    many were wrong. For a bulk load that bypassed the actions, and `luoshi check-rollups --fix`."""
    wrong = stale_rollups(tasks)
    with connection.cursor() as cursor:  # one statement, sent many times (pipelined by psycopg)
        cursor.executemany(
            f"UPDATE {Task._meta.db_table} SET rolled_up = %s WHERE id = %s",
            [(value, pk) for pk, (_, value) in wrong.items()],
        )
    return len(wrong)


def stale_rollups(tasks: QuerySet) -> dict[int, tuple[float, float]]:
    """The tasks whose stored figure differs from the from-scratch one: id → (stored, from scratch)."""
    scratch = scratch_progress(tasks)
    stored = dict(tasks.order_by().values_list("pk", "rolled_up"))
    return {pk: (stored[pk], value) for pk, value in scratch.items() if abs(stored[pk] - value) > SAME}


def counted_tasks(tasks: QuerySet, as_of: dt.date | None = None) -> QuerySet:
    """The tasks that count (`definitions.counted`), now or as of the end of `as_of`."""
    tasks = tasks.filter(counted())
    if as_of is not None:
        assigned_later = TaskTransition.objects.filter(
            task=OuterRef("pk"), from_status=TaskStatus.DRAFT, at__gte=end_of_day(as_of)
        )
        tasks = tasks.exclude(Exists(assigned_later))
    return tasks


def statuses_as_of(tasks: QuerySet, day: dt.date) -> dict[int, str]:
    """Each task's workflow status at the end of `day`, from its transitions, in one query: the
    status its last step by then led to; before any step, the status its first step left; with no
    steps at all, its status now."""
    steps = TaskTransition.objects.filter(task=OuterRef("pk"))
    rows = (
        tasks.order_by()
        .annotate(
            then=Subquery(
                steps.filter(at__lt=end_of_day(day)).order_by("-at", "-id").values("to_status")[:1]
            ),
            before=Subquery(steps.order_by("at", "id").values("from_status")[:1]),
        )
        .values_list("pk", "status", "then", "before")
    )
    return {pk: then or before or status for pk, status, then, before in rows}

"""Rolled-up progress of tasks: a parent's progress is the weighted mean of its counted children's.

Computed by one recursive query: every task carries its share of each ancestor (the product of
its and its ancestors' weights, each normalised among counted siblings), and an ancestor's progress
is the sum over the leaves below it of share × the leaf's progress. A leaf's progress is 100 when
closed, else its latest report's percent, else 0.

Only counted tasks (`definitions.counted`: assigned or later) carry weight. A task whose children
are all drafts is still a leaf, so its own reports keep counting while it is being split: the work
passes to the children when the office assigns them (交办), not when a unit drafts them.

Given `as_of`, the same query reads the plan as it stood at the end of that day: reports dated by
then, tasks closed by then, and only tasks assigned by then.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from luoshi.core.clock import end_of_day
from luoshi.plans.definitions import counted
from luoshi.plans.models import Task, TaskStatus, TaskTransition
from luoshi.progress.models import ProgressReport

_SQL = """
WITH RECURSIVE walk(ancestor_id, task_id, share) AS (
    SELECT t.id, t.id, CAST(1 AS DOUBLE PRECISION) FROM {task} t WHERE {anchor}
    UNION ALL
    SELECT w.ancestor_id, c.id,
           w.share * c.weight / (SELECT SUM(s.weight) FROM {task} s WHERE s.parent_id = c.parent_id AND {counted_s})
    FROM walk w JOIN {task} c ON c.parent_id = w.task_id
    WHERE {counted_c}
)
SELECT w.ancestor_id,
       SUM(w.share * CASE WHEN {closed_t} THEN 100 ELSE COALESCE(
           (SELECT r.percent FROM {report} r WHERE r.task_id = t.id {reported_by}
            ORDER BY r.reported_on DESC, r.id DESC LIMIT 1), 0) END)
FROM walk w JOIN {task} t ON t.id = w.task_id
WHERE NOT EXISTS (SELECT 1 FROM {task} k WHERE k.parent_id = t.id AND {counted_k})
GROUP BY w.ancestor_id
"""


def _counted(alias: str, as_of: dt.date | None) -> tuple[str, list]:
    """SQL for "the task `alias` counts" (assigned, now or by the end of `as_of`), with its parameters."""
    live = f"{alias}.status <> %s"
    if as_of is None:
        return live, [TaskStatus.DRAFT.value]
    steps = TaskTransition._meta.db_table
    return (f"({live} AND NOT EXISTS (SELECT 1 FROM {steps} d WHERE d.task_id = {alias}.id "
            "AND d.from_status = %s AND d.at >= %s))"), [TaskStatus.DRAFT.value, TaskStatus.DRAFT.value,
                                                           end_of_day(as_of)]


def _run(anchor: str, params: list, as_of: dt.date | None = None) -> dict[int, float]:
    counted_s, s_params = _counted("s", as_of)
    counted_c, c_params = _counted("c", as_of)
    counted_k, k_params = _counted("k", as_of)
    if as_of is None:
        closed_t, t_params, reported_by, r_params = "t.status = %s", [TaskStatus.CLOSED.value], "", []
    else:
        closed_t, t_params = "(t.closed_at IS NOT NULL AND t.closed_at < %s)", [end_of_day(as_of)]
        reported_by, r_params = "AND r.reported_on <= %s", [as_of]
    sql = _SQL.format(task=Task._meta.db_table, report=ProgressReport._meta.db_table, anchor=anchor,
                      counted_s=counted_s, counted_c=counted_c, counted_k=counted_k, closed_t=closed_t,
                      reported_by=reported_by)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *s_params, *c_params, *t_params, *r_params, *k_params])
        return {int(task_id): round(float(value or 0), 1) for task_id, value in cursor.fetchall()}


def progress_of_plan(plan_id: int, *, as_of: dt.date | None = None) -> dict[int, float]:
    """Rolled-up progress (0–100) of every task in a plan, by task id (as of the end of `as_of`)."""
    return _run("t.plan_id = %s", [int(plan_id)], as_of)


def progress_of(task_ids: Iterable[int], *, as_of: dt.date | None = None) -> dict[int, float]:
    """Rolled-up progress (0–100) of the given tasks, by task id (as of the end of `as_of`)."""
    ids = [int(pk) for pk in task_ids]
    if not ids:
        return {}
    return _run(f"t.id IN ({', '.join(['%s'] * len(ids))})", ids, as_of)


def plan_progress(plan_id: int, *, as_of: dt.date | None = None) -> float:
    """The whole plan's progress: its counted top-level tasks, weighted."""
    roots = list(counted_tasks(Task.objects.filter(plan_id=plan_id, parent=None), as_of).values_list("id", "weight"))
    if not roots:
        return 0.0
    progress = progress_of((pk for pk, _ in roots), as_of=as_of)
    total = sum(w for _, w in roots)
    return round(sum(progress.get(pk, 0.0) * w for pk, w in roots) / total, 1)


def counted_tasks(tasks: QuerySet, as_of: dt.date | None = None) -> QuerySet:
    """The tasks that count (`definitions.counted`), now or as of the end of `as_of`."""
    tasks = tasks.filter(counted())
    if as_of is not None:
        assigned_later = TaskTransition.objects.filter(task=OuterRef("pk"), from_status=TaskStatus.DRAFT,
                                                       at__gte=end_of_day(as_of))
        tasks = tasks.exclude(Exists(assigned_later))
    return tasks


def statuses_as_of(tasks: QuerySet, day: dt.date) -> dict[int, str]:
    """Each task's workflow status at the end of `day`, from its transitions, in one query: the
    status its last step by then led to; before any step, the status its first step left; with no
    steps at all, its status now."""
    steps = TaskTransition.objects.filter(task=OuterRef("pk"))
    rows = tasks.order_by().annotate(
        then=Subquery(steps.filter(at__lt=end_of_day(day)).order_by("-at", "-id").values("to_status")[:1]),
        before=Subquery(steps.order_by("at", "id").values("from_status")[:1]),
    ).values_list("pk", "status", "then", "before")
    return {pk: then or before or status for pk, status, then, before in rows}

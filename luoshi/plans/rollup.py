"""Rolled-up progress of tasks: a parent's progress is the weighted mean of its children's.

Computed by one recursive query: every task carries its share of each ancestor (the product of
its and its ancestors' weights, each normalised among siblings), and an ancestor's progress is
the sum over the leaves below it of share × the leaf's progress. A leaf's progress is 100 when
closed, else its latest report's percent, else 0.
"""

from collections.abc import Iterable

from django.db import connection

from luoshi.plans.models import Task, TaskStatus
from luoshi.progress.models import ProgressReport

_SQL = """
WITH RECURSIVE walk(ancestor_id, task_id, share) AS (
    SELECT t.id, t.id, CAST(1 AS DOUBLE PRECISION) FROM {task} t WHERE {anchor}
    UNION ALL
    SELECT w.ancestor_id, c.id,
           w.share * c.weight / (SELECT SUM(s.weight) FROM {task} s WHERE s.parent_id = c.parent_id)
    FROM walk w JOIN {task} c ON c.parent_id = w.task_id
)
SELECT w.ancestor_id,
       SUM(w.share * CASE WHEN t.status = %s THEN 100 ELSE COALESCE(
           (SELECT r.percent FROM {report} r WHERE r.task_id = t.id
            ORDER BY r.reported_on DESC, r.id DESC LIMIT 1), 0) END)
FROM walk w JOIN {task} t ON t.id = w.task_id
WHERE NOT EXISTS (SELECT 1 FROM {task} k WHERE k.parent_id = t.id)
GROUP BY w.ancestor_id
"""


def _run(anchor: str, params: list) -> dict[int, float]:
    sql = _SQL.format(task=Task._meta.db_table, report=ProgressReport._meta.db_table, anchor=anchor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, TaskStatus.CLOSED.value])
        return {int(task_id): round(float(value or 0), 1) for task_id, value in cursor.fetchall()}


def progress_of_plan(plan_id: int) -> dict[int, float]:
    """Rolled-up progress (0–100) of every task in a plan, by task id."""
    return _run("t.plan_id = %s", [int(plan_id)])


def progress_of(task_ids: Iterable[int]) -> dict[int, float]:
    """Rolled-up progress (0–100) of the given tasks, by task id."""
    ids = [int(pk) for pk in task_ids]
    if not ids:
        return {}
    return _run(f"t.id IN ({', '.join(['%s'] * len(ids))})", ids)


def plan_progress(plan_id: int) -> float:
    """The whole plan's progress: its top-level tasks, weighted."""
    roots = list(Task.objects.filter(plan_id=plan_id, parent=None).values_list("id", "weight"))
    if not roots:
        return 0.0
    progress = progress_of(pk for pk, _ in roots)
    total = sum(w for _, w in roots)
    return round(sum(progress.get(pk, 0.0) * w for pk, w in roots) / total, 1)

"""Lights counted in the database: how many tasks of each light, by lead unit, for a whole plan.

`plans.health.task_health` stays the one definition of a light and its reasons; this module is
the same rule written as one SQL expression, for pages that count lights over every task (the
cockpit) and must not light 100,000 tasks in Python to draw five numbers. It can, because every
input is a column or a lookup: the status, the deadline, the stored rolled-up progress
(`Task.rolled_up`, see plans.rollup) and 序时进度 as arithmetic on the calendar table
(`schedule.WorkingDay`: the working days in [a, b] are number(b) − number(a) + working(a)), with
the same rounding in tenths as `health.expected_progress` and `health.in_tenths`.

The one input SQL cannot compute is the backward schedule (倒排工期) of a task's milestones. It can
only make a light worse, so the tasks with milestones whose SQL light is green or yellow are lit
again in Python (`health.healths_of`) and moved to their real light: a few per thousand tasks.

tests/test_light_counts.py proves the counts equal those of `healths_of` over every task.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from luoshi.plans.health import YELLOW_GAP, Light, healths_of
from luoshi.plans.models import Milestone, Task, TaskStatus
from luoshi.plans.rollup import rounded
from luoshi.schedule.models import WorkingDay

#: 序时进度 in tenths of a percent, as `health.expected_progress` computes it (placeholders: today, today, today's number).
_EXPECTED_TENTHS = """CASE WHEN %s < t.start_date THEN 0
     WHEN %s >= t.deadline THEN 1000
     WHEN d.number - s.number + CAST(s.working AS INTEGER) = 0 THEN 1000
     ELSE (2000 * (%s - s.number + CAST(s.working AS INTEGER)) + (d.number - s.number + CAST(s.working AS INTEGER)))
          / (2 * (d.number - s.number + CAST(s.working AS INTEGER))) END"""

_LIGHT_SQL = """
SELECT x.id, x.lead_unit_id, x.status,
  CASE WHEN x.status = %s THEN %s
       WHEN x.status = %s THEN %s
       WHEN x.deadline < %s THEN %s
       WHEN x.status = %s THEN %s
       WHEN x.gap <= 0 THEN %s
       WHEN x.gap <= %s THEN %s
       ELSE %s END
FROM (SELECT t.id, t.lead_unit_id, t.status, t.deadline,
             ({expected}) - CAST(t.rolled_up * 10 + 0.5 AS INTEGER) AS gap
      FROM {task} t
      JOIN {day} s ON s.day = t.start_date
      JOIN {day} d ON d.day = t.deadline
      WHERE t.id IN ({visible})) x
"""


@dataclass(frozen=True)
class LitRow:
    id: int
    lead_unit_id: int
    status: str
    light: str


def lit_rows(tasks: QuerySet, today: dt.date) -> list[LitRow]:
    """Each task's light (without the backward schedule, see the module note), in one query."""
    visible, visible_params = tasks.order_by().values("id").query.sql_with_params()
    today_number = WorkingDay.objects.filter(day=today).values_list("number", flat=True).first()
    if today_number is None:
        # The calendar table is empty (a database emptied around the migrations, as a test's flush
        # does; `luoshi migrate` fills it): light every task in Python, slower but the same lights.
        return _lit_in_python(tasks, today)
    sql = _LIGHT_SQL.format(
        expected=_EXPECTED_TENTHS, task=Task._meta.db_table, day=WorkingDay._meta.db_table, visible=visible
    )
    params = [
        TaskStatus.DRAFT.value,
        Light.DRAFT.value,
        TaskStatus.CLOSED.value,
        Light.DONE.value,
        today,
        Light.OVERDUE.value,
        TaskStatus.RETURNED.value,
        Light.RETURNED.value,
        Light.GREEN.value,
        int(YELLOW_GAP * 10),
        Light.YELLOW.value,
        Light.RED.value,
        today,
        today,
        today_number,
        *visible_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [LitRow(*row) for row in cursor.fetchall()]


def _lit_in_python(tasks: QuerySet, today: dt.date) -> list[LitRow]:
    rows = list(tasks.only("id", "lead_unit_id", "status", "start_date", "deadline", "rolled_up"))
    healths = healths_of(rows, {t.pk: rounded(t.rolled_up) for t in rows}, today)
    return [LitRow(t.pk, t.lead_unit_id, t.status, healths[t.pk].light.value) for t in rows]


@dataclass
class LightCounts:
    """Tasks by light, in all and per lead unit, with the statuses the cockpit also counts."""

    total: Counter  # light → tasks
    by_unit: dict[int, Counter]  # lead unit → light → tasks
    statuses: Counter  # status → tasks


def light_counts(tasks: QuerySet, today: dt.date) -> LightCounts:
    """How many of `tasks` (a queryset of one plan's tasks) are of each light today, in a fixed number
    of queries whatever their number."""
    rows = lit_rows(tasks, today)
    lights = {row.id: row.light for row in rows}
    # Only a backward schedule can make a green or yellow light worse; light those few in Python.
    maybe = [row.id for row in rows if row.light in (Light.GREEN, Light.YELLOW)]
    with_milestones = Milestone.objects.filter(task_id__in=tasks.order_by().values("pk")).values_list(
        "task_id", flat=True
    )
    scheduled = set(with_milestones.distinct()) & set(maybe) if maybe else set()
    if scheduled:
        again = list(
            Task.objects.filter(pk__in=scheduled).only("id", "status", "start_date", "deadline", "rolled_up")
        )
        for pk, health in healths_of(again, {t.pk: rounded(t.rolled_up) for t in again}, today).items():
            lights[pk] = health.light.value
    total: Counter[str] = Counter()
    by_unit: dict[int, Counter[str]] = {}
    statuses: Counter[str] = Counter()
    for row in rows:
        light = lights[row.id]
        total[light] += 1
        by_unit.setdefault(row.lead_unit_id, Counter())[light] += 1
        statuses[row.status] += 1
    return LightCounts(total, by_unit, statuses)

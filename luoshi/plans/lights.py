"""Lights counted in the database: how many tasks of each light, by lead unit, for a whole plan.

`plans.health.task_health` stays the one definition of a light and its reasons; this module is
the same rule written as one SQL expression, for pages that count lights over every task (the
cockpit) and must not light 100,000 tasks in Python to draw five numbers. It can, because every
input is a column or a lookup: the status, the deadline, the stored rolled-up progress
(`Task.rolled_up`, see plans.rollup) and 序时进度 as arithmetic on the calendar table
(`schedule.WorkingDay`: the working days in [a, b] are number(b) − number(a) + working(a)), with
the same rounding in tenths as `health.expected_progress` and `health.in_tenths`.

The one input that is not a column is the backward schedule (倒排工期) of a task's milestones, which
moves with the day: it is read from the days each task's schedule turns behind and late, kept per
task (`plans.schedule_days`). It can only make a light worse, so a task with milestones whose kept
days do not cover the day counted (a reading of a day before its latest milestone completion, or
milestones written around `refresh_schedule_days`) and whose light is green or yellow is lit again
in Python (`health.healths_of`): none, when counting today on a plan whose days are kept.

tests/test_light_counts.py proves the counts equal those of `healths_of` over every task.
"""

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from luoshi.plans.health import YELLOW_GAP, Light, healths_of
from luoshi.plans.models import Milestone, ScheduleDays, TaskStatus
from luoshi.plans.rollup import rounded
from luoshi.schedule.models import WorkingDay

#: 序时进度 in tenths of a percent, as `health.expected_progress` computes it.
_EXPECTED_TENTHS = """CASE WHEN %(today)s < t.start_date THEN 0
     WHEN %(today)s >= t.deadline THEN 1000
     WHEN d.number - s.number + CAST(s.working AS INTEGER) = 0 THEN 1000
     ELSE (2000 * (%(number)s - s.number + CAST(s.working AS INTEGER)) + (d.number - s.number + CAST(s.working AS INTEGER)))
          / (2 * (d.number - s.number + CAST(s.working AS INTEGER))) END"""

#: The least light the schedule allows, 0 (any), 1 (yellow) or 2 (red); NULL where the kept days
#: do not cover the day (see the module note).
_SCHEDULE_FLOOR = """CASE WHEN m.task_id IS NULL THEN 0
     WHEN v.task_id IS NULL OR %(today)s < v.holds_from THEN NULL
     WHEN v.late_from <= %(today)s THEN 2
     WHEN v.behind_from <= %(today)s THEN 1
     ELSE 0 END"""

#: The light of each task that is open and not overdue, whose light the calendar decides (AGAIN: to light
#: again in Python, see the module note).
_LIT_SQL = f"""
SELECT y.id, y.lead_unit_id, y.status,
        CASE WHEN y.status = %(returned)s THEN %(returned_light)s
             WHEN y.gap > %(yellow_gap)s OR y.floor = 2 THEN %(red)s
             WHEN y.floor IS NULL THEN %(again)s
             WHEN y.gap > 0 OR y.floor = 1 THEN %(yellow)s
             ELSE %(green)s END AS light
      FROM (SELECT t.id, t.lead_unit_id, t.status, t.deadline,
                   ({_EXPECTED_TENTHS}) - CAST(t.rolled_up * 10 + 0.5 AS INTEGER) AS gap,
                   {_SCHEDULE_FLOOR} AS floor
            FROM ({{visible}}) t
            JOIN {WorkingDay._meta.db_table} s ON s.day = t.start_date
            JOIN {WorkingDay._meta.db_table} d ON d.day = t.deadline
            LEFT JOIN {ScheduleDays._meta.db_table} v ON v.task_id = t.id
            LEFT JOIN (SELECT DISTINCT task_id FROM {Milestone._meta.db_table}) m ON m.task_id = t.id
            WHERE t.status NOT IN (%(draft)s, %(closed)s) AND t.deadline >= %(today)s) y
"""
#: Tasks counted by lead unit, status and light: the settled ones (draft, closed, overdue: their light is
#: their status or deadline) by themselves, then the rest through the calendar. Two parts rather than one
#: CASE over every task: the calendar is joined to the open tasks only, and PostgreSQL groups the settled
#: ones by plain columns (at 100,000 tasks, 120 → 66 ms).
_COUNT_SQL = f"""
SELECT t.lead_unit_id, t.status,
       CASE WHEN t.status = %(draft)s THEN %(draft_light)s WHEN t.status = %(closed)s THEN %(done)s
            ELSE %(overdue)s END,
       COUNT(*)
  FROM ({{visible}}) t
 WHERE t.status IN (%(draft)s, %(closed)s) OR t.deadline < %(today)s
 GROUP BY 1, 2, 3
UNION ALL
SELECT x.lead_unit_id, x.status, x.light, COUNT(*) FROM ({_LIT_SQL}) x GROUP BY 1, 2, 3"""
#: The tasks to light again in Python.
_AGAIN_SQL = f"SELECT x.id FROM ({_LIT_SQL}) x WHERE x.light = %(again)s"
#: Not a light: the tasks to light again in Python.
_AGAIN = "again"
#: What the count reads of each task.
_COLUMNS = ("id", "lead_unit_id", "status", "start_date", "deadline", "rolled_up")


def _positional(sql: str, named: dict, visible: str, visible_params: tuple) -> tuple[str, list]:
    """`sql` with %(name)s placeholders and {visible} subqueries, as one positional statement."""
    params: list = []

    def take(match: re.Match) -> str:
        params.append(named[match.group(1)])
        return "%s"

    parts = []
    for i, part in enumerate(sql.split("{visible}")):
        if i:
            parts.append(visible)
            params.extend(visible_params)
        parts.append(re.sub(r"%\((\w+)\)s", take, part))
    return "".join(parts), params


@dataclass
class LightCounts:
    """Tasks by light, in all and per lead unit, with the statuses the cockpit also counts."""

    total: Counter  # light → tasks
    by_unit: dict[int, Counter]  # lead unit → light → tasks
    statuses: Counter  # status → tasks


def light_counts(tasks: QuerySet, today: dt.date) -> LightCounts:
    """How many of `tasks` (a queryset of one plan's tasks) are of each light on `today`, counted in
    the database in two queries whatever their number (and a few more when some must be lit in Python)."""
    visible, visible_params = tasks.order_by().values(*_COLUMNS).query.sql_with_params()
    today_number = WorkingDay.objects.filter(day=today).values_list("number", flat=True).first()
    if today_number is None:
        # The calendar table is empty (a database emptied around the migrations, as a test's flush
        # does; `luoshi migrate` fills it): light every task in Python, slower but the same lights.
        return _counted_in_python(tasks, today)
    named = {
        "today": today,
        "number": today_number,
        "again": _AGAIN,
        "draft": TaskStatus.DRAFT.value,
        "draft_light": Light.DRAFT.value,
        "closed": TaskStatus.CLOSED.value,
        "done": Light.DONE.value,
        "overdue": Light.OVERDUE.value,
        "returned": TaskStatus.RETURNED.value,
        "returned_light": Light.RETURNED.value,
        "yellow_gap": int(YELLOW_GAP * 10),
        "red": Light.RED.value,
        "yellow": Light.YELLOW.value,
        "green": Light.GREEN.value,
    }
    sql, params = _positional(_COUNT_SQL, named, visible, visible_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counted = [row for row in rows if row[2] != _AGAIN]
    if len(counted) < len(rows):
        # Their schedule is not kept for this day: the lights as healths_of gives them.
        again = list(tasks.filter(pk__in=_again_ids(named, visible, visible_params)).only(*_COLUMNS))
        healths = healths_of(again, {t.pk: rounded(t.rolled_up) for t in again}, today)
        counted += [(t.lead_unit_id, t.status, healths[t.pk].light.value, 1) for t in again]
    return _tally(counted)


def _again_ids(named: dict, visible: str, visible_params: tuple) -> list[int]:
    sql, params = _positional(_AGAIN_SQL, named, visible, visible_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def _tally(rows: Iterable[tuple[int, str, str, int]]) -> LightCounts:
    total: Counter[str] = Counter()
    by_unit: dict[int, Counter[str]] = {}
    statuses: Counter[str] = Counter()
    for unit, status, light, n in rows:
        total[light] += n
        by_unit.setdefault(unit, Counter())[light] += n
        statuses[status] += n
    return LightCounts(total, by_unit, statuses)


def _counted_in_python(tasks: QuerySet, today: dt.date) -> LightCounts:
    rows = list(tasks.only(*_COLUMNS))
    healths = healths_of(rows, {t.pk: rounded(t.rolled_up) for t in rows}, today)
    return _tally((t.lead_unit_id, t.status, healths[t.pk].light.value, 1) for t in rows)

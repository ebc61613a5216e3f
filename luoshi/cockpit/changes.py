"""What changed between two days (环比): tasks newly overdue, newly closed, and progress by lead unit.

Both days are read the way a bulletin reads its period (`figures.read_plan`), so the comparison of
last month's end with this month's says what two bulletins would say.
"""

import datetime as dt
from dataclasses import dataclass, field

from luoshi.cockpit.figures import Reading, read_plan, unit_names
from luoshi.orgs.models import Person
from luoshi.plans.health import Health, Light
from luoshi.plans.models import Plan, Task, TaskKind


@dataclass
class UnitChange:
    unit_id: int
    name: str
    new_overdue: int = 0
    newly_closed: int = 0
    tasks: int = 0
    progress_then: float = 0.0
    progress_now: float = 0.0

    @property
    def progress_change(self) -> float:
        return round(self.progress_now - self.progress_then, 1)


@dataclass
class Changes:
    since: dt.date
    until: dt.date
    plan_progress_then: float
    plan_progress_now: float
    new_overdue: list[tuple[Task, Health]] = field(default_factory=list)
    newly_closed: list[tuple[Task, Health]] = field(default_factory=list)
    by_unit: list[UnitChange] = field(default_factory=list)


def end_of_previous_month(day: dt.date) -> dt.date:
    return day.replace(day=1) - dt.timedelta(days=1)


def changes_between(person: Person, plan: Plan, since: dt.date, until: dt.date, today: dt.date) -> Changes:
    """新增逾期, 新办结 and 进度变化 by lead unit between the end of `since` and the end of `until`.

    A unit's progress is the mean rolled-up progress of the work it leads (areas left out) that
    counts at `until`; a task not yet assigned at `since` stood at 0 then."""
    then, now = read_plan(person, plan, today, since), read_plan(person, plan, today, until)
    changes = Changes(since, until, then.plan_progress, now.plan_progress)
    names = unit_names()
    units: dict[int, UnitChange] = {}
    for task in now.tasks:
        light_now, light_then = now.healths[task.pk].light, then.healths[task.pk].light
        if light_now == Light.DRAFT or task.kind == TaskKind.AREA:
            continue
        unit = units.setdefault(task.lead_unit_id, UnitChange(task.lead_unit_id, names[task.lead_unit_id]))
        unit.tasks += 1
        unit.progress_now += _progress(now, task)
        unit.progress_then += _progress(then, task)
        if light_now == Light.OVERDUE and light_then != Light.OVERDUE:
            unit.new_overdue += 1
            changes.new_overdue.append((task, now.healths[task.pk]))
        if light_now == Light.DONE and light_then != Light.DONE:
            unit.newly_closed += 1
            changes.newly_closed.append((task, now.healths[task.pk]))
    for unit in units.values():
        unit.progress_now = round(unit.progress_now / unit.tasks, 1)
        unit.progress_then = round(unit.progress_then / unit.tasks, 1)
    changes.by_unit = sorted(units.values(), key=lambda u: (-u.new_overdue, u.progress_change, u.name))
    changes.new_overdue.sort(key=lambda pair: pair[0].deadline)
    changes.newly_closed.sort(key=lambda pair: pair[0].deadline)
    return changes


def _progress(reading: Reading, task: Task) -> float:
    health = reading.healths[task.pk]
    if health.light == Light.DRAFT:
        return 0.0
    return 100.0 if health.light == Light.DONE else health.progress

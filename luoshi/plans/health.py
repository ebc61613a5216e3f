"""Red/yellow/green (红黄绿灯) with its reasons: derived from the status, the deadline, expected
against reported progress, the backward schedule (倒排工期) and the last return (退回).

Expected progress (序时进度) is the share of the task's working days already elapsed. The schedule
can only make a light worse, never better: a task whose milestones' latest start has passed (it
will miss the deadline at the current pace, by more than `definitions.SCHEDULE_TOLERANCE` working
days) is at least yellow; one with a milestone past its latest finish and not done is at least red.
A returned task's light is its own (已退回), about the return: who returned it, when and why. A draft
has no light. This module is the only place that turns those facts into a light, and every light
carries its reasons in words, so that every page, the API, the bulletin and `luoshi schedule` say
the same thing for the same reason. `plans/lights.py` writes the same rule as one SQL expression to count
lights over a whole plan; tests/test_light_counts.py keeps the two equal.

`healths_of` lights a whole list at once in a fixed number of queries (序时进度 and 逾期工作日 in one, from the
calendar table as `plans/lights.py` reads it; the schedule verdicts in two, the returns in one), now
or — given the statuses as of a day — as the tasks stood that day; `healths_of_rows` does the same
for plain rows (`TaskFacts`), where building thousands of model instances would cost more than the
lights. tests/test_healths_fast.py proves both equal `task_health`, task by task.
"""

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from django.db import models
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from luoshi.core.clock import end_of_day, local_days
from luoshi.plans.definitions import (
    SCHEDULE_TOLERANCE,
    counted_working_days,
    is_counted,
    is_open_past_deadline,
    working_days_late,
)
from luoshi.plans.models import Task, TaskStatus, TaskTransition
from luoshi.schedule.backward import (
    PlannedMilestone,
    Schedule,
    ScheduleError,
    ScheduleVerdict,
    backward_schedule,
    planned_milestones_of,
)
from luoshi.schedule.models import WorkingDay

#: How far (in percentage points) reported progress may trail expected progress and still be yellow.
YELLOW_GAP = 15.0
#: Milestones named in a reason at most; the rest are counted.
NAMED_MILESTONES = 3


class Light(models.TextChoices):
    DONE = "done", gettext_lazy("已办结")
    GREEN = "green", gettext_lazy("正常推进")
    YELLOW = "yellow", gettext_lazy("进度滞后")
    RED = "red", gettext_lazy("严重滞后")
    OVERDUE = "overdue", gettext_lazy("已逾期")
    RETURNED = "returned", gettext_lazy("已退回")
    DRAFT = "draft", gettext_lazy("未交办")


#: The least severe light a schedule verdict allows; ON_TRACK allows any.
SCHEDULE_FLOOR = {ScheduleVerdict.BEHIND: Light.YELLOW, ScheduleVerdict.LATE: Light.RED}
#: Progress lights from best to worst, for "at least this bad".
_SEVERITY = [Light.GREEN, Light.YELLOW, Light.RED]


@dataclass(frozen=True)
class ScheduleFinding:
    """What a task's backward schedule says, with the milestones that make it say so."""

    verdict: ScheduleVerdict
    slack: int | None = None  # working days to spare (negative: late) of the work left
    expected_finish: dt.date | None = None
    late: tuple[
        tuple[str, dt.date], ...
    ] = ()  # open milestones past their latest finish: name, latest finish
    start_passed: tuple[tuple[str, dt.date], ...] = ()  # open milestones past their latest start


@dataclass(frozen=True)
class ReturnStep:
    """The last time the office sent a closing request back."""

    on: dt.date
    by: str
    note: str


@dataclass(frozen=True)
class Health:
    light: Light
    expected: float
    progress: float
    schedule: ScheduleVerdict | None = None  # None: no schedule information was given
    reasons: tuple[str, ...] = ()

    @property
    def gap(self) -> float:
        return max(0.0, self.expected - self.progress)

    @property
    def why(self) -> str:
        """The reasons as one line, for a tooltip or a table cell."""
        return "；".join(self.reasons)


def expected_progress(
    start: dt.date,
    deadline: dt.date,
    today: dt.date,
    count: Callable[[dt.date, dt.date], int] = counted_working_days,
) -> float:
    """序时进度: the percentage of the task's working days elapsed by the end of `today`, in tenths
    rounded half up (integer arithmetic, so that `plans.lights` computes the same figure in SQL).
    `count` counts the working days in [first, last] (`working_day_figures` gives one reading the
    calendar table)."""
    if today < start:
        return 0.0
    if today >= deadline:
        return 100.0
    total = count(start, deadline)
    if total == 0:
        return 100.0
    return tenths_of(count(start, today), total) / 10


def working_day_figures(
    dates: Mapping[int, tuple[dt.date, dt.date]], today: dt.date
) -> dict[int, tuple[float, int]]:
    """(序时进度, 逾期工作日) of many tasks, by id, from (start, deadline): `expected_progress` and
    `definitions.working_days_late`, counting on the calendar table's numbers (the working days in
    [a, b] are number(b) − number(a) + working(a)), read in one query. A day the table does not hold
    (an emptied database) is counted as those two functions count it by default."""
    one_day = dt.timedelta(days=1)
    days = {today}
    for start, deadline in dates.values():
        if start <= today < deadline:
            days.update((start, deadline))
        elif deadline < today:
            days.add(deadline + one_day)
    numbers: dict[dt.date, tuple[int, bool]] = {}
    if dates:
        numbers = {
            day: (number, working)
            for day, number, working in WorkingDay.objects.filter(day__in=days).values_list(
                "day", "number", "working"
            )
        }

    def count(first: dt.date, last: dt.date) -> int:
        a, b = numbers.get(first), numbers.get(last)
        if a is None or b is None:
            return counted_working_days(first, last)
        return b[0] - a[0] + a[1]

    return {
        pk: (expected_progress(start, deadline, today, count), working_days_late(deadline, today, count))
        for pk, (start, deadline) in dates.items()
    }


def tenths_of(part: int, whole: int) -> int:
    """part / whole as a percentage in tenths, rounded half up: 1/8 → 125 (12.5%)."""
    return (2000 * part + whole) // (2 * whole)


def in_tenths(percent: float) -> int:
    """A percentage in tenths, rounded half up, as `rollup` rounds and SQL's CAST(x * 10 + 0.5 AS INTEGER) does."""
    return int(percent * 10 + 0.5)


def _day(day: dt.date) -> str:
    return day.isoformat()


def _milestones(pairs: tuple[tuple[str, dt.date], ...], text: str) -> list[str]:
    lines = [text % {"name": name, "date": _day(day)} for name, day in pairs[:NAMED_MILESTONES]]
    if len(pairs) > NAMED_MILESTONES:
        lines.append(_("另有 %(n)d 个节点同样如此") % {"n": len(pairs) - NAMED_MILESTONES})
    return lines


def _schedule_reasons(finding: ScheduleFinding) -> list[str]:
    if finding.verdict == ScheduleVerdict.LATE:
        return _milestones(finding.late, _("节点“%(name)s”最迟应于 %(date)s 完成，仍未完成"))
    if finding.verdict == ScheduleVerdict.BEHIND:
        lines = _milestones(finding.start_passed, _("节点“%(name)s”最迟应于 %(date)s 开始，已过"))
        if finding.slack is not None and finding.expected_finish is not None:
            lines.append(
                _("按倒排工期预计 %(date)s 完成，晚于完成时限 %(days)d 个工作日")
                % {"date": _day(finding.expected_finish), "days": -finding.slack}
            )
        return lines
    return []


@functools.cache
def _words_in(language: str | None) -> dict[str, str]:
    """The sentences of a light's reasons, translated once per language (called with the active
    one): a list of thousands of tasks would otherwise look each up again for every task."""
    return {
        "draft": _("草稿，尚未交办，不计入统计"),
        "closed_on": _("已于 %(date)s 复核办结"),
        "closed": _("已复核办结"),
        "returned_by": _("%(date)s 被%(who)s退回：%(note)s"),
        "overdue": _("完成时限 %(date)s 已过 %(days)d 个工作日，仍未办结"),
        "returned": _("办结申请被退回，待整改"),
        "on_pace": _("进度 %(progress)s%%，不低于序时进度 %(expected)s%%"),
        "behind": _("进度 %(progress)s%%，落后序时进度 %(expected)s%% 共 %(gap)s 个百分点"),
    }


def task_health(
    *,
    status: str,
    start: dt.date,
    deadline: dt.date,
    progress: float,
    today: dt.date,
    schedule: ScheduleVerdict | ScheduleFinding | None = None,
    returned: ReturnStep | None = None,
    closed_on: dt.date | None = None,
    indicators: tuple[str, ...] = (),
    expected: float | None = None,
    late: int | None = None,
    words: Mapping[str, str] | None = None,
) -> Health:
    """The light of one task and its reasons, from its status, dates, rolled-up progress and, if
    given, its schedule (from `schedule_findings`; None means no schedule information), its last
    return (from `last_returns`) and its 序时进度 and working days late (from `working_day_figures`;
    computed when not given). `words`: the reasons' sentences in the active language (`_words_in`), for
    a caller lighting many tasks at once."""
    finding = ScheduleFinding(schedule) if isinstance(schedule, ScheduleVerdict) else schedule
    verdict = finding.verdict if finding is not None else None
    if expected is None:
        expected = expected_progress(start, deadline, today)
    if words is None:
        words = _words_in(get_language())
    if not is_counted(status):
        return Health(Light.DRAFT, expected, progress, verdict, (words["draft"],))
    if status == TaskStatus.CLOSED:
        done = words["closed_on"] % {"date": _day(closed_on)} if closed_on else words["closed"]
        return Health(Light.DONE, expected, 100.0, verdict, (done,))
    return_reason = (
        [words["returned_by"] % {"date": _day(returned.on), "who": returned.by, "note": returned.note}]
        if returned
        else []
    )
    if is_open_past_deadline(status, deadline, today):  # the one definition of 逾期未办结
        if late is None:
            late = working_days_late(deadline, today)
        reason = words["overdue"] % {
            "date": _day(deadline),
            "days": late,
        }
        return Health(Light.OVERDUE, expected, progress, verdict, (reason, *return_reason, *indicators))
    if status == TaskStatus.RETURNED:
        # A returned closing means the unit called it done and the office did not accept it yet:
        # the light is about that (its own word, 已退回), not about the progress figure reported.
        return Health(
            Light.RETURNED,
            expected,
            progress,
            verdict,
            (*(return_reason or [words["returned"]]), *indicators),
        )
    gap10 = in_tenths(expected) - in_tenths(progress)  # in tenths of a point, exact, as plans.lights counts
    gap = gap10 / 10
    figures = {"progress": f"{progress:g}", "expected": f"{expected:g}", "gap": f"{gap:g}"}
    if gap10 <= 0:
        light, reasons = Light.GREEN, [words["on_pace"] % figures]
    else:
        light = Light.YELLOW if gap10 <= YELLOW_GAP * 10 else Light.RED
        reasons = [words["behind"] % figures]
    floor = SCHEDULE_FLOOR.get(verdict) if verdict is not None else None
    if floor is not None:
        if _SEVERITY.index(floor) > _SEVERITY.index(light):
            light = floor
        reasons += _schedule_reasons(finding) if finding is not None else []
    return Health(light, expected, progress, verdict, (*reasons, *indicators))


def schedule_findings(task_ids: Iterable[int], *, today: dt.date) -> dict[int, ScheduleFinding]:
    """What the backward schedule says of many tasks at once, in three queries, as of the end of `today`
    (milestones completed later count as open).

    Tasks without milestones, closed tasks, and tasks whose milestones cannot be scheduled (a
    dependency cycle: reported on the task's schedule, not guessed at here) are left out. Years
    without a holiday notice are counted Monday to Friday, as the expected progress is. A schedule
    that misses the deadline by no more than `SCHEDULE_TOLERANCE` working days is on track."""
    ids = list(task_ids)
    open_tasks = dict(
        Task.objects.filter(pk__in=ids).exclude(status=TaskStatus.CLOSED).values_list("pk", "deadline")
    )
    return findings_of(open_tasks, today=today)


def findings_of(deadlines: Mapping[int, dt.date], *, today: dt.date) -> dict[int, ScheduleFinding]:
    """`schedule_findings` of open tasks whose deadlines are known (by id), in two queries."""
    findings: dict[int, ScheduleFinding] = {}
    for task_id, planned in planned_milestones_of(deadlines).items():
        finding = finding_for(planned, deadlines[task_id], today)
        if finding is not None:
            findings[task_id] = finding
    return findings


def finding_for(planned: list[PlannedMilestone], deadline: dt.date, today: dt.date) -> ScheduleFinding | None:
    """What the backward schedule of these milestones says as of the end of `today` (milestones
    completed later count as open); None if they cannot be scheduled (a dependency cycle)."""
    planned = [
        m if m.completed_on is None or m.completed_on <= today else dataclasses.replace(m, completed_on=None)
        for m in planned
    ]
    try:
        schedule = backward_schedule(planned, deadline=deadline, today=today, estimate=True)
    except ScheduleError:
        return None
    return finding_of(schedule)


def finding_of(schedule: Schedule) -> ScheduleFinding:
    """What a computed backward schedule says for the light; gaps within the tolerance are on track."""
    today, verdict = schedule.today, schedule.verdict
    if (
        verdict == ScheduleVerdict.BEHIND
        and schedule.slack is not None
        and -schedule.slack <= SCHEDULE_TOLERANCE
    ):
        verdict = ScheduleVerdict.ON_TRACK
    return ScheduleFinding(
        verdict,
        schedule.slack,
        schedule.expected_finish,
        late=tuple(
            (m.name, m.latest_finish) for m in schedule.milestones if not m.done and m.latest_finish < today
        ),
        start_passed=tuple(
            (m.name, m.latest_start)
            for m in schedule.milestones
            if not m.done and m.latest_start < today and m.slack < 0
        ),
    )


def schedule_verdicts(task_ids: Iterable[int], *, today: dt.date) -> dict[int, ScheduleVerdict]:
    """The schedule verdict of many tasks at once (see `schedule_findings`)."""
    return {pk: f.verdict for pk, f in schedule_findings(task_ids, today=today).items()}


def last_returns(task_ids: Iterable[int], *, today: dt.date) -> dict[int, ReturnStep]:
    """The last return (退回) of each task by the end of `today`, in one query."""
    steps = (
        TaskTransition.objects.filter(
            task_id__any_of=task_ids, to_status=TaskStatus.RETURNED, at__lt=end_of_day(today)
        )
        .select_related("actor")
        .order_by("task_id", "at", "id")
    )
    local_day = local_days()
    return {s.task_id: ReturnStep(local_day(s.at), s.actor.display_name, s.note) for s in steps}


def indicator_reasons(task_ids: Iterable[int], *, today: dt.date) -> dict[int, tuple[str, ...]]:
    """What the forecasts of the indicators linked to each task say, where a target is at risk or
    will be missed, in at most six queries."""
    from luoshi.indicators.forecast import Verdict, figures_for
    from luoshi.indicators.models import Indicator
    from luoshi.indicators.wording import above_reference, amount

    linked = Indicator.objects.filter(task_id__any_of=task_ids)
    task_of = dict(linked.values_list("pk", "task_id"))
    if not task_of:
        return {}
    out: dict[int, list[str]] = {}
    for figures in figures_for(linked, today=today):
        warning = next(
            (f for f in figures.forecasts if f.verdict in (Verdict.AT_RISK, Verdict.WILL_MISS)), None
        )
        if warning is None:
            continue

        measured_gap = warning.measured == "gap"

        def shown(value: float, gap: bool = measured_gap, unit: str = figures.unit) -> str:
            if gap:  # a relative target's figures are points above its reference
                return above_reference(value)
            return amount(value, unit)

        out.setdefault(task_of[figures.id], []).append(
            _("指标“%(name)s”%(due)s%(verdict)s：预测 %(forecast)s，目标 %(sign)s %(target)s")
            % {
                "name": figures.name,
                "due": warning.due_date.isoformat(),
                "verdict": warning.verdict.label,
                "forecast": "—" if warning.value is None else shown(warning.value),
                "sign": warning.comparator.label
                if hasattr(warning.comparator, "label")
                else warning.comparator,
                "target": "—" if warning.target_value is None else shown(warning.target_value),
            }
        )
    return {pk: tuple(lines) for pk, lines in out.items()}


class TaskFacts(NamedTuple):
    """What a light reads of a task row (`status` is its current one)."""

    pk: int
    status: str
    start_date: dt.date
    deadline: dt.date
    closed_on: dt.date | None = None  # the day named in 已办结's reason


def healths_of(
    tasks: Iterable[Task],
    progress: Mapping[int, float],
    today: dt.date,
    statuses: Mapping[int, str] | None = None,
    *,
    indicators: bool = False,
) -> dict[int, Health]:
    """The light and reasons of each task, by id, for a whole list at once in four queries whatever
    its length. `statuses` gives the tasks' statuses as of `today` when that is not now (a bulletin
    of a past period); otherwise their current status is used. `indicators` adds what the linked
    indicators' forecasts say (a few more queries and a forecast per linked indicator: for a task
    page, one page of the API and `luoshi schedule`, not for whole-plan lists)."""
    facts = []
    local_day = local_days()
    for t in tasks:
        closed_at = t.__dict__.get("closed_at")  # only when loaded: never a query per task
        closed_on = local_day(closed_at) if closed_at else None
        facts.append(TaskFacts(t.pk, t.status, t.start_date, t.deadline, closed_on))
    return healths_of_rows(facts, progress, today, statuses, indicators=indicators)


def healths_of_rows(
    tasks: Iterable[TaskFacts],
    progress: Mapping[int, float],
    today: dt.date,
    statuses: Mapping[int, str] | None = None,
    *,
    indicators: bool = False,
) -> dict[int, Health]:
    """`healths_of` for plain rows."""
    tasks = list(tasks)
    status = {t.pk: (statuses or {}).get(t.pk, t.status) for t in tasks}
    live = [t for t in tasks if is_counted(status[t.pk]) and status[t.pk] != TaskStatus.CLOSED]
    live_ids = [t.pk for t in live]
    # Closed now, open on a past day: no schedule then either (see `schedule_findings`).
    open_now = {t.pk: t.deadline for t in live if t.status != TaskStatus.CLOSED}
    findings = findings_of(open_now, today=today) if live else {}
    # Asked of every live task (kept for the returned ones), so that a list costs the same queries
    # whether or not it holds a returned task.
    returns = {
        pk: step
        for pk, step in (last_returns(live_ids, today=today) if live else {}).items()
        if status[pk] == TaskStatus.RETURNED
    }
    forecasts = indicator_reasons(live_ids, today=today) if indicators and live else {}
    figures = working_day_figures({t.pk: (t.start_date, t.deadline) for t in tasks}, today)
    words = _words_in(get_language())
    return {
        t.pk: task_health(
            status=status[t.pk],
            start=t.start_date,
            deadline=t.deadline,
            progress=progress.get(t.pk, 0.0),
            today=today,
            schedule=findings.get(t.pk),
            returned=returns.get(t.pk),
            indicators=forecasts.get(t.pk, ()),
            closed_on=t.closed_on,
            expected=figures[t.pk][0],
            late=figures[t.pk][1],
            words=words,
        )
        for t in tasks
    }


def light_figures(task: Task, today: dt.date) -> dict:
    """A task's light and reasons as plain data: what `luoshi schedule` prints and its API serves."""
    from luoshi.plans.rollup import progress_of

    health = healths_of([task], progress_of([task.pk]), today, indicators=True)[task.pk]
    return {"light": health.light.value, "label": str(health.light.label), "reasons": list(health.reasons)}

"""Dynamic scoring (动态增量计分): the ledger, posted from stored facts, and rankings by period.

`post_scores(plan, until)` works out every entry the plan's rules call for from the workflow steps,
progress reports, deadlines and indicator actuals as they stood by `until`; it adds the missing ones
and removes those whose fact no longer holds (a deadline moved, a report was back-dated). So it can
run any number of times, needs no hook in the workflow, and every entry points at its source record:
the closing or return step, the task, or the indicator actual. Entries are kept at the points the
rules gave when they were posted.

Posting is incremental: `ScoredTask` remembers per task how far it was posted and a fingerprint of its
facts, so a posting computes again only the tasks whose facts changed, and gives an unchanged late task
only its new late days. The result is the same as computing every entry from scratch
(`expected_postings`; `tests/test_scoring_incremental.py` compares the two after random facts).

What scores (areas, the top level of the tree, never do):
- closed with its last closing request on or before the deadline: + on-time points, dated the sign-off;
- requested that many working days early: + per day, up to a cap;
- each working day after the deadline until the work is handed in (the closing request that was
  accepted or awaits review): − per day;
- each closing request sent back: −;
- on a leaf task, each stretch of `report_every_days` working days without a report from the lead
  unit while reporting is due: − (the same rhythm the reminders use);
- an indicator target beaten: + for the indicator's owner unit (see `exceeded_targets`).
"""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.core import clock
from luoshi.indicators.models import Comparator, Indicator, IndicatorActual, IndicatorTarget
from luoshi.indicators.trajectory import facts_for, resolve_targets
from luoshi.plans.models import Plan, Task, TaskKind, TaskStatus, TaskTransition
from luoshi.progress.models import ProgressReport
from luoshi.reminders.cadence import TaskFacts, count_working_days_after, local_date, working_days_after
from luoshi.schedule.workdays import calendar
from luoshi.scoring.models import (
    ScoredTask,
    ScoreEntry,
    ScoreReason,
    ScoringRule,
    UnitDayPoints,
    UnitMonthPoints,
    UnitPoints,
)

ZERO = Decimal(0)


def scoring_rule_for(plan: Plan) -> ScoringRule:
    """The plan's scoring rule; a plan without one gets the defaults."""
    rule, _ = ScoringRule.objects.get_or_create(plan=plan)
    return rule


@dataclass(frozen=True)
class Posting:
    """An entry the rules call for, before it is stored."""

    key: str
    reason: str
    points: Decimal
    occurred_on: dt.date
    note: str
    source_type: type[models.Model]
    source_id: int
    unit_id: int
    person_id: int | None
    task_id: int | None


class Step(NamedTuple):
    """A workflow step as scoring reads it (the fields of `TaskTransition` it needs, without the model)."""

    pk: int
    task_id: int
    from_status: str
    to_status: str
    at: dt.datetime
    note: str


@dataclass(frozen=True)
class _Texts:
    """The notes' wording, translated once per posting rather than once per entry."""

    returned: str
    on_time: str
    early: str
    overdue: str
    missed: str

    @classmethod
    def now(cls) -> "_Texts":
        return cls(
            gettext("办结申请被退回：%(note)s"),
            gettext("在完成时限内办结"),
            gettext("提前 %(days)s 个工作日申请办结"),
            gettext("逾期第 %(n)s 个工作日（完成时限 %(deadline)s）"),
            gettext("连续 %(days)s 个工作日未报送进度"),
        )


def _task_postings(
    rule: ScoringRule,
    facts: TaskFacts,
    is_leaf: bool,
    after: dt.date | None = None,
    texts: _Texts | None = None,
) -> Iterator[Posting]:
    """The task's entries as of `facts.until`; only those dated after `after`, if given."""
    texts = texts or _Texts.now()
    task = facts.task
    of_task: dict[str, Any] = {"unit_id": task.lead_unit_id, "person_id": task.owner_id, "task_id": task.pk}
    later = (lambda day: day > after) if after is not None else (lambda day: True)
    for step in facts.transitions:
        if step.to_status == TaskStatus.RETURNED and rule.returned_points and later(local_date(step.at)):
            yield Posting(
                f"returned:{step.pk}",
                ScoreReason.RETURNED,
                -rule.returned_points,
                local_date(step.at),
                texts.returned % {"note": step.note},
                TaskTransition,
                step.pk,
                **of_task,
            )
    delivered = facts.delivered_on()
    # 按时办结 (`plans.definitions.handed_in_on_time`): the accepted closing request came by the deadline.
    if facts.status == TaskStatus.CLOSED and delivered is not None and delivered <= task.deadline:
        closing = facts.last_step_to(TaskStatus.CLOSED)
        closed_on = local_date(closing.at) if closing else delivered
        source = (TaskTransition, closing.pk) if closing else (Task, task.pk)
        if rule.on_time_points and later(closed_on):
            yield Posting(
                f"on_time:{task.pk}",
                ScoreReason.ON_TIME,
                rule.on_time_points,
                closed_on,
                texts.on_time,
                *source,
                **of_task,
            )
        early = count_working_days_after(delivered, task.deadline)
        bonus = min(early * rule.early_points_per_day, rule.early_points_cap)
        if bonus > 0 and later(closed_on):
            yield Posting(
                f"early:{task.pk}",
                ScoreReason.EARLY,
                bonus,
                closed_on,
                texts.early % {"days": early},
                *source,
                **of_task,
            )
    span = facts.overdue_span()
    if rule.overdue_points_per_day and span is not None:
        deadline, last = span
        # Late days already posted (up to `after`) are counted, not generated again.
        start = after if after is not None and after > deadline else deadline
        n = count_working_days_after(deadline, start) if start > deadline else 0
        for day in working_days_after(start, last):
            n += 1
            yield Posting(
                f"overdue:{task.pk}:{day.isoformat()}",
                ScoreReason.OVERDUE_DAY,
                -rule.overdue_points_per_day,
                day,
                texts.overdue % {"n": n, "deadline": deadline.isoformat()},
                Task,
                task.pk,
                **of_task,
            )
    if is_leaf and rule.missed_report_points:
        for mark in facts.silence_marks(rule.report_every_days):
            if later(mark):
                yield Posting(
                    f"missed_report:{task.pk}:{mark.isoformat()}",
                    ScoreReason.MISSED_REPORT,
                    -rule.missed_report_points,
                    mark,
                    texts.missed % {"days": rule.report_every_days},
                    Task,
                    task.pk,
                    **of_task,
                )


@dataclass(frozen=True)
class ExceededTarget:
    target: IndicatorTarget
    actual: IndicatorActual
    absolute: float  # the value the target stands for, e.g. twice the baseline


def exceeded_targets(plan: Plan, until: dt.date) -> list[ExceededTarget]:
    """The plan's indicator targets beaten by an actual entered by `until`, of every kind.

    Each target is first resolved to the absolute value it stands for (a doubling of the
    baseline, the province's rate + 2.5 points, +20 a year …) by `indicators.trajectory`, then
    judged by the latest stored actual on or before its due date. Targets whose value is not
    known yet (no baseline, no reference actual) and "about" targets (≈) earn nothing.
    """
    indicators = Indicator.objects.filter(plan=plan)
    resolved = {t.id: t for facts in facts_for(indicators, today=until) for t in resolve_targets(facts)}
    targets = IndicatorTarget.objects.filter(
        indicator__plan=plan, comparator__in=[Comparator.AT_LEAST, Comparator.AT_MOST]
    ).select_related("indicator", "indicator__task")
    actuals: dict[int, list[IndicatorActual]] = defaultdict(list)
    for actual in IndicatorActual.objects.filter(indicator__plan=plan, period_end__lte=until).order_by(
        "period_end"
    ):
        actuals[actual.indicator_id].append(actual)
    beaten = []
    for target in targets:
        absolute = resolved[target.pk].absolute if target.pk in resolved else None
        latest = next(
            (
                a
                for a in reversed(actuals[target.indicator_id])
                if a.period_end <= min(target.due_date, until)
            ),
            None,
        )
        if absolute is None or latest is None:
            continue
        if (target.comparator == Comparator.AT_LEAST and latest.value > absolute) or (
            target.comparator == Comparator.AT_MOST and latest.value < absolute
        ):
            beaten.append(ExceededTarget(target, latest, absolute))
    return beaten


def _target_postings(rule: ScoringRule, plan: Plan, until: dt.date) -> Iterator[Posting]:
    if not rule.target_exceeded_points:
        return
    for hit in exceeded_targets(plan, until):
        indicator = hit.target.indicator
        task = indicator.task
        yield Posting(
            f"target:{hit.target.pk}",
            ScoreReason.TARGET_EXCEEDED,
            rule.target_exceeded_points,
            hit.actual.period_end,
            gettext("%(indicator)s 实际 %(actual)s%(unit)s，超过目标 %(target)s%(unit)s")
            % {
                "indicator": indicator.name,
                "actual": f"{hit.actual.value:g}",
                "target": f"{hit.absolute:g}",
                "unit": indicator.unit,
            },
            IndicatorActual,
            hit.actual.pk,
            unit_id=indicator.owner_unit_id,
            person_id=task.owner_id if task else None,
            task_id=task.pk if task else None,
        )


#: Tasks posted together: their steps, reports and stored entries are read in one query each.
CHUNK = 500


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _scoring_tasks(plan: Plan) -> QuerySet:
    """The tasks that can score: neither areas nor drafts."""
    return Task.objects.filter(plan=plan).exclude(kind=TaskKind.AREA).exclude(status=TaskStatus.DRAFT)


def _parents(plan: Plan) -> set[int]:
    # A task whose children are all drafts still carries its own work, and its own reports (see plans.rollup).
    return set(
        Task.objects.counted().filter(plan=plan, parent__isnull=False).values_list("parent_id", flat=True)
    )


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day`, local time: steps taken before it were taken by the end of `day`."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _lead_reports(until: dt.date) -> QuerySet:
    """Progress reports by their task's lead unit, made for a day up to `until`: the ones scoring reads."""
    return ProgressReport.objects.filter(unit_id=F("task__lead_unit_id"), reported_on__lte=until)


def _facts_of(tasks: list[Task], until: dt.date) -> Iterator[TaskFacts]:
    """Each task's facts as of `until`: a query for the steps and one for the reports of them all."""
    ids = [task.pk for task in tasks]
    steps: dict[int, list[Step]] = defaultdict(list)
    for row in TaskTransition.objects.filter(task_id__in=ids).values_list(
        "pk", "task_id", "from_status", "to_status", "at", "note"
    ):
        steps[row[1]].append(Step(*row))
    report_dates: dict[int, list[dt.date]] = defaultdict(list)
    for task_id, day in _lead_reports(until).filter(task_id__in=ids).values_list("task_id", "reported_on"):
        report_dates[task_id].append(day)
    for task in tasks:
        yield TaskFacts.of(task, steps[task.pk], report_dates[task.pk], until)


_TASK_FIELDS = ("id", "plan_id", "lead_unit_id", "owner_id", "status", "deadline", "start_date", "closed_at")


def expected_postings(plan: Plan, until: dt.date) -> Iterator[Posting]:
    """Every ledger entry the plan's rules call for by the end of `until`, computed from scratch
    (`post_scores` computes only the changed tasks' ones; tests compare the two)."""
    rule, texts, parents = scoring_rule_for(plan), _Texts.now(), _parents(plan)
    ids = list(_scoring_tasks(plan).order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(ids):
        tasks = list(Task.objects.filter(pk__in=chunk).only(*_TASK_FIELDS).order_by("pk"))
        for facts in _facts_of(tasks, until):
            yield from _task_postings(rule, facts, facts.task.pk not in parents, texts=texts)
    yield from _target_postings(rule, plan, until)


def _rule_fingerprint(rule: ScoringRule) -> str:
    """The rule's amounts and rhythm, and the office's holiday entries: a change to either may change every entry."""
    office = calendar().office
    amounts = (
        rule.on_time_points,
        rule.early_points_per_day,
        rule.early_points_cap,
        rule.overdue_points_per_day,
        rule.returned_points,
        rule.missed_report_points,
    )
    return repr(
        (
            # Normalised: a rule just created holds its defaults as written (5), one read back as stored (5.00).
            *(Decimal(amount).normalize() for amount in amounts),
            rule.report_every_days,
            sorted(office.years),
            sorted(office.days.items()),
        )
    )


@dataclass(frozen=True)
class PostingResult:
    added: int
    removed: int

    def __add__(self, other: "PostingResult") -> "PostingResult":
        return PostingResult(self.added + other.added, self.removed + other.removed)


NOTHING = PostingResult(0, 0)


@dataclass(frozen=True)
class _Posting:
    """One run of `post_scores`: what every task's postings need."""

    plan: Plan
    rule: ScoringRule
    until: dt.date
    parents: set[int]
    texts: _Texts
    now: dt.datetime


_COLUMNS = (
    "key",
    "plan_id",
    "unit_id",
    "person_id",
    "task_id",
    "reason",
    "points",
    "occurred_on",
    "note",
    "source_type_id",
    "source_id",
    "posted_at",
)


def _insert(postings: Iterable[Posting], plan_id: int, now: dt.datetime) -> None:
    """Store new entries as rows, without a model instance each: `COPY` on PostgreSQL, one `executemany` on
    SQLite (a province's first posting writes millions). The caller holds the plan's posting lock and has
    left out every key already stored, so no row conflicts."""
    postings = list(postings)
    # Looked up before the COPY starts: no other statement may use the connection while it runs.
    types = {
        model: ContentType.objects.get_for_model(model).pk for model in {p.source_type for p in postings}
    }

    def rows() -> Iterator[tuple]:
        for p in postings:
            yield (
                p.key,
                plan_id,
                p.unit_id,
                p.person_id,
                p.task_id,
                str(p.reason),
                p.points,
                p.occurred_on,
                p.note[:300],
                types[p.source_type],
                p.source_id,
                now,
            )

    table, columns = ScoreEntry._meta.db_table, ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
        elif connection.vendor == "sqlite":
            cursor.executemany(
                f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})",
                list(rows()),
            )
        else:
            ScoreEntry.objects.bulk_create(
                [ScoreEntry(**dict(zip(_COLUMNS, row, strict=True))) for row in rows()],
                batch_size=1000,
                ignore_conflicts=True,
            )


#: (unit, day) → [points, gained, lost, entries]: how a chunk's writes change `UnitDayPoints` (and its months).
Changes = dict[tuple[int, dt.date], list]


def _count(changes: Changes, unit_id: int, day: dt.date, points: Decimal, sign: int) -> None:
    """Count an entry added (sign 1) or removed (sign −1) in its unit's day."""
    change = changes.setdefault((unit_id, day), [ZERO, ZERO, ZERO, 0])
    change[0] += sign * points
    change[1 if points > 0 else 2] += sign * points
    change[3] += sign


def _apply(plan_id: int, changes: Changes) -> None:
    """Add a chunk's changes to the plan's `UnitDayPoints` and `UnitMonthPoints`, in the transaction that
    wrote its entries; a day or month left without entries goes."""
    months: Changes = {}
    for (unit_id, day), change in changes.items():
        month = months.setdefault((unit_id, day.replace(day=1)), [ZERO, ZERO, ZERO, 0])
        for i, value in enumerate(change):
            month[i] += value
    _upsert(UnitDayPoints, "day", plan_id, changes)
    _upsert(UnitMonthPoints, "month", plan_id, months)


def _upsert(model: type[UnitPoints], period: str, plan_id: int, changes: Changes) -> None:
    """Add changes keyed (unit, day or month) to a table of sums: one upsert, then one delete of the emptied
    periods if any."""
    changes = {key: change for key, change in changes.items() if change[3] or any(change[:3])}
    if not changes:
        return
    table = model._meta.db_table
    rows = [(plan_id, unit_id, day, *change) for (unit_id, day), change in changes.items()]
    insert = f"INSERT INTO {table} (plan_id, unit_id, {period}, points, gained, lost, entries)"
    add = (
        f" ON CONFLICT (plan_id, unit_id, {period}) DO UPDATE SET points = {table}.points + excluded.points,"
        f" gained = {table}.gained + excluded.gained, lost = {table}.lost + excluded.lost,"
        f" entries = {table}.entries + excluded.entries"
    )
    with connection.cursor() as cursor:
        if (
            connection.vendor == "postgresql"
        ):  # one statement for the chunk's days (thousands on a first posting)
            cursor.execute(
                f"{insert} SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::date[], %s::numeric[],"
                f" %s::numeric[], %s::numeric[], %s::integer[]){add}",
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            cursor.executemany(f"{insert} VALUES (%s, %s, %s, %s, %s, %s, %s){add}", rows)
    emptied = [key for key, change in changes.items() if change[3] < 0]
    if emptied:
        units, days = {unit_id for unit_id, _day in emptied}, [day for _unit, day in emptied]
        model._default_manager.filter(
            plan_id=plan_id,
            entries=0,
            unit_id__in=units,
            **{f"{period}__gte": min(days), f"{period}__lte": max(days)},
        ).delete()


def _added(changes: Changes, postings: Iterable[Posting]) -> Changes:
    for p in postings:
        _count(changes, p.unit_id, p.occurred_on, p.points, 1)
    return changes


def count_entry(entry: ScoreEntry) -> None:
    """Add an entry saved on its own (not by `post_scores`) to `UnitDayPoints`."""
    changes: Changes = {}
    _count(changes, entry.unit_id, entry.occurred_on, Decimal(entry.points), 1)
    _apply(entry.plan_id, changes)


def forget_entries(entries: QuerySet) -> None:
    """Take entries about to be deleted other than by posting (with their task) out of `UnitDayPoints`."""
    by_plan: dict[int, Changes] = defaultdict(dict)
    for plan_id, unit_id, day, points in entries.values_list("plan_id", "unit_id", "occurred_on", "points"):
        _count(by_plan[plan_id], unit_id, day, points, -1)
    for plan_id, changes in by_plan.items():
        _apply(plan_id, changes)


def _lock(run: "_Posting") -> None:
    """One posting of a plan at a time (the worker's scan and a draft may post together): each chunk reads
    what is stored, then writes what is missing, under the plan's scoring-rule row lock."""
    list(ScoringRule.objects.select_for_update().filter(pk=run.rule.pk).values_list("pk"))


def _post_tasks(run: "_Posting", work: list[tuple[int, dt.date | None, str, str, bool]]) -> PostingResult:
    """Post a chunk of tasks: each (id, posted through, fingerprint, seen, scores) recomputed as of `run.until`
    from scratch (through None) or only after the day it was posted through; then record how far."""
    ids = [task_id for task_id, *_rest in work]
    after = {task_id: through for task_id, through, *_rest in work if through is not None}
    scoring = {task_id for task_id, *_rest, scores in work if scores}
    tasks = list(Task.objects.filter(pk__in=scoring).only(*_TASK_FIELDS).order_by("pk"))
    expected: dict[str, Posting] = {}
    for facts in _facts_of(tasks, run.until):
        pk = facts.task.pk
        for posting in _task_postings(run.rule, facts, pk not in run.parents, after.get(pk), run.texts):
            expected[posting.key] = posting
    with transaction.atomic():
        _lock(run)
        # Entries dated after `until` are read too: a key stored later stays as it is (as posting always did).
        stored = ScoreEntry.objects.filter(task_id__in=ids).exclude(reason=ScoreReason.TARGET_EXCEEDED)
        if len(after) == len(ids):  # only tails: read only the entries after the earliest day posted through
            stored = stored.filter(occurred_on__gt=min(after.values()))
        stale, changes = [], Changes()
        for key, pk, task_id, day, unit_id, points in stored.values_list(
            "key", "id", "task_id", "occurred_on", "unit_id", "points"
        ):
            if task_id in after and day <= after[task_id]:
                continue
            if expected.pop(key, None) is None and day <= run.until:
                stale.append(pk)
                _count(changes, unit_id, day, points, -1)
        _insert(expected.values(), run.plan.pk, run.now)
        ScoreEntry.objects.filter(pk__in=stale).delete()
        _apply(run.plan.pk, _added(changes, expected.values()))
        ScoredTask.objects.bulk_create(
            [
                ScoredTask(task_id=task_id, plan=run.plan, through=run.until, facts=facts, seen=seen)
                for task_id, _through, facts, seen, _scores in work
            ],
            update_conflicts=True,
            unique_fields=["task"],
            update_fields=["through", "facts", "seen"],
        )
    return PostingResult(len(expected), len(stale))


def _post_targets(run: "_Posting") -> PostingResult:
    expected = {p.key: p for p in _target_postings(run.rule, run.plan, run.until)}
    with transaction.atomic():
        _lock(run)
        stale, changes = [], Changes()
        # By their source (indexed), not their reason: a province's ledger holds millions of other entries.
        targets = ScoreEntry.objects.filter(
            source_type=ContentType.objects.get_for_model(IndicatorActual),
            plan=run.plan,
            reason=ScoreReason.TARGET_EXCEEDED,
        )
        for key, pk, day, unit_id, points in targets.values_list(
            "key", "id", "occurred_on", "unit_id", "points"
        ):
            if expected.pop(key, None) is None and day <= run.until:
                stale.append(pk)
                _count(changes, unit_id, day, points, -1)
        _insert(expected.values(), run.plan.pk, run.now)
        ScoreEntry.objects.filter(pk__in=stale).delete()
        _apply(run.plan.pk, _added(changes, expected.values()))
    return PostingResult(len(expected), len(stale))


def post_scores(plan: Plan, until: dt.date | None = None) -> PostingResult:
    """Bring the plan's ledger up to date with the facts as of `until` (today by default).

    Afterwards the plan's entries dated up to `until` are exactly those `expected_postings(plan, until)`
    calls for; later entries are left as they are. Only the tasks whose facts changed since their last
    posting are computed again; a task whose facts did not change only gets the days after the one it
    was posted through (a late task's new late days), or nothing if `until` is not later — nor if `until`
    is earlier and no workflow step was taken after it: a report dated after a day changes no entry dated
    by then (a missed-report mark falls before the next report), a step may (a return reopens the late
    days after a closing request). The work goes
    in chunks of tasks, so memory stays flat however large the plan.
    """
    until = until or clock.today()
    rule = scoring_rule_for(plan)
    run = _Posting(plan, rule, until, _parents(plan), _Texts.now(), clock.now())
    end = _end_of(until)
    steps = {
        row[0]: row[1:]
        for row in TaskTransition.objects.filter(task__plan=plan)
        .values("task_id")
        .annotate(n=Count("id"), last=Max("id"), by_then=Count("id", filter=Q(at__lt=end)))
        .values_list("task_id", "n", "last", "by_then")
        .order_by()
    }
    reports = {
        row[0]: row[1:]
        for row in ProgressReport.objects.filter(task__plan=plan, unit_id=F("task__lead_unit_id"))
        .values("task_id")
        .annotate(n=Count("id"), last=Max("id"), by_then=Count("id", filter=Q(reported_on__lte=until)))
        .values_list("task_id", "n", "last", "by_then")
        .order_by()
    }
    posted = {
        task_id: (through, facts, seen)
        for task_id, through, facts, seen in ScoredTask.objects.filter(plan=plan).values_list(
            "task_id", "through", "facts", "seen"
        )
    }
    ruled = _rule_fingerprint(rule)
    work: list[tuple[int, dt.date | None, str, str, bool]] = []
    result = NOTHING
    tasks = Task.objects.filter(plan=plan).values_list("id", "kind", *_TASK_FIELDS[2:]).order_by("id")
    for task_id, kind, lead, owner, status, deadline, start, closed_at in tasks.iterator(chunk_size=5000):
        n_steps, last_step, steps_then = steps.get(task_id, (0, 0, 0))
        n_reports, last_report, reports_then = reports.get(task_id, (0, 0, 0))
        scores = kind != TaskKind.AREA and status != TaskStatus.DRAFT
        facts = hashlib.blake2b(
            repr(
                (
                    ruled,
                    scores,
                    lead,
                    owner,
                    status,
                    deadline,
                    start,
                    closed_at and local_date(closed_at),
                    task_id in run.parents,
                    n_steps,
                    last_step,
                    n_reports,
                    last_report,
                )
            ).encode(),
            digest_size=16,
        ).hexdigest()
        seen = f"{steps_then}:{reports_then}"
        through, was, was_seen = posted.get(task_id, (None, "", ""))
        if through is not None and was == facts and until < through and was_seen.startswith(f"{steps_then}:"):
            # An earlier day, and no workflow step since it: the entries up to it are those already posted
            # (see `post_scores`). Posted
            # through the later day still, so the next scan does not compute the task again.
            continue
        if through is None or (was, was_seen) != (facts, seen):
            work.append((task_id, None, facts, seen, scores))  # new or changed: from scratch
        elif until > through:
            work.append((task_id, through, facts, seen, scores))  # unchanged: only the days since
        if len(work) >= CHUNK:
            result += _post_tasks(run, work)
            work = []
    if work:
        result += _post_tasks(run, work)
    return result + _post_targets(run)


def post_all_scores(until: dt.date | None = None) -> PostingResult:
    """Post scores for every plan that has tasks."""
    result = NOTHING
    for plan in Plan.objects.filter(tasks__isnull=False).distinct():
        result += post_scores(plan, until)
    return result


# Queries for the cockpit and the bulletin's ranking table.


def score_ledger(
    period_start: dt.date,
    period_end: dt.date,
    *,
    plan: Plan | None = None,
    unit_ids: list[int] | None = None,
    person_id: int | None = None,
) -> QuerySet:
    """The entries in a period (both days included), oldest first: why a score moved."""
    entries = ScoreEntry.objects.filter(occurred_on__gte=period_start, occurred_on__lte=period_end)
    if plan is not None:
        entries = entries.filter(plan=plan)
    if unit_ids is not None:
        entries = entries.filter(unit_id__in=unit_ids)
    if person_id is not None:
        entries = entries.filter(person_id=person_id)
    return entries.select_related("unit", "person", "task", "source_type").order_by("occurred_on", "id")


@dataclass(frozen=True)
class Score:
    """One row of a ranking: a unit's or a person's points in a period. Rank 1 is best; ties share a rank."""

    id: int
    name: str
    total: Decimal
    gained: Decimal
    lost: Decimal
    entries: int
    rank: int


def _ranked(totals: Iterable[tuple[int, str, Decimal, Decimal, Decimal, int]]) -> list[Score]:
    """(id, name, total, gained, lost, entries) rows as a ranking: best total first, equal totals sharing
    a rank (1, 2, 2, 4), then by id."""
    scores: list[Score] = []
    for i, (pk, name, total, gained, lost, n) in enumerate(sorted(totals, key=lambda row: (-row[2], row[0]))):
        rank = scores[-1].rank if scores and scores[-1].total == total else i + 1
        scores.append(Score(pk, name, total, gained, lost, n, rank))
    return scores


def scores_by_unit(
    period_start: dt.date, period_end: dt.date, *, plan: Plan | None = None, unit_ids: list[int] | None = None
) -> list[Score]:
    """Each unit's points in the period, ranked: the same as summing the entries, read from the ledger's
    sums — by month (`UnitMonthPoints`) for the months the period holds whole, by day (`UnitDayPoints`) for
    the ends it cuts. Units without entries are absent."""
    first = period_start if period_start.day == 1 else _next_month(period_start)
    after = _next_month(period_end)  # the first day after the last whole month
    if after - dt.timedelta(days=1) != period_end:
        after = period_end.replace(day=1)
    parts: list[QuerySet] = []
    if first < after:  # whole months from `first` up to `after`, days around them
        parts.append(UnitMonthPoints.objects.filter(month__gte=first, month__lt=after))
        parts.append(UnitDayPoints.objects.filter(day__gte=period_start, day__lt=first))
        parts.append(UnitDayPoints.objects.filter(day__gte=after, day__lte=period_end))
    else:
        parts.append(UnitDayPoints.objects.filter(day__gte=period_start, day__lte=period_end))
    totals: dict[int, list] = {}
    for sums in parts:
        if plan is not None:
            sums = sums.filter(plan=plan)
        if unit_ids is not None:
            sums = sums.filter(unit_id__in=unit_ids)
        rows = sums.values_list("unit_id", "unit__name").annotate(
            Sum("points"), Sum("gained"), Sum("lost"), Sum("entries")
        )
        for unit_id, name, *figures in rows.order_by():
            total = totals.setdefault(unit_id, [name, ZERO, ZERO, ZERO, 0])
            for i, figure in enumerate(figures, 1):
                total[i] += figure
    return _ranked((unit_id, *total) for unit_id, total in totals.items())


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def scores_by_person(
    period_start: dt.date, period_end: dt.date, *, plan: Plan | None = None, unit_ids: list[int] | None = None
) -> list[Score]:
    """Each responsible person's points in the period, ranked."""
    entries = (
        score_ledger(period_start, period_end, plan=plan, unit_ids=unit_ids)
        .filter(person__isnull=False)
        .annotate(person_name=Coalesce(NullIf("person__full_name", Value("")), "person__username"))
    )
    rows = entries.values_list("person_id", "person_name").annotate(
        total=Sum("points"),
        gained=Sum("points", filter=Q(points__gt=0), default=ZERO),
        lost=Sum("points", filter=Q(points__lt=0), default=ZERO),
        n=Count("id"),
    )
    return _ranked(rows.order_by())

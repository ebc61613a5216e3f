"""Dynamic scoring (动态增量计分): the ledger, posted from stored facts, and rankings by period.

`post_scores(plan, until)` works out every entry the plan's rules call for from the workflow steps,
progress reports, deadlines and indicator actuals as they stood by `until`; it adds the missing ones
and removes those whose fact no longer holds (a deadline moved, a report was back-dated). So it can
run any number of times, needs no hook in the workflow, and every entry points at its source record:
the closing or return step, the task, or the indicator actual. Entries are kept at the points the
rules gave when they were posted.

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
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Coalesce, NullIf, Rank
from django.utils.translation import gettext

from luoshi.core import clock
from luoshi.indicators.models import Comparator, IndicatorActual, IndicatorTarget
from luoshi.plans.models import Plan, Task, TaskKind, TaskStatus
from luoshi.progress.models import ProgressReport
from luoshi.supervision.cadence import TaskFacts, count_working_days_after, local_date
from luoshi.supervision.models import ScoreEntry, ScoreReason, ScoringRule

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
    source: models.Model
    unit_id: int
    person_id: int | None
    task: Task | None

    def as_entry(self, plan: Plan, now: dt.datetime) -> ScoreEntry:
        return ScoreEntry(
            key=self.key, plan=plan, unit_id=self.unit_id, person_id=self.person_id, task=self.task,
            reason=self.reason, points=self.points, occurred_on=self.occurred_on, note=self.note[:300],
            source_type=ContentType.objects.get_for_model(self.source), source_id=self.source.pk, posted_at=now,
        )


def _task_postings(rule: ScoringRule, facts: TaskFacts, is_leaf: bool) -> Iterator[Posting]:
    task = facts.task
    of_task = {"unit_id": task.lead_unit_id, "person_id": task.owner_id, "task": task}
    for step in facts.transitions:
        if step.to_status == TaskStatus.RETURNED and rule.returned_points:
            yield Posting(f"returned:{step.pk}", ScoreReason.RETURNED, -rule.returned_points, local_date(step.at),
                          gettext("办结申请被退回：%(note)s") % {"note": step.note}, step, **of_task)
    delivered = facts.delivered_on()
    # 按时办结 (`plans.definitions.handed_in_on_time`): the accepted closing request came by the deadline.
    if facts.status == TaskStatus.CLOSED and delivered is not None and delivered <= task.deadline:
        closing = facts.last_step_to(TaskStatus.CLOSED)
        closed_on = local_date(closing.at) if closing else delivered
        source = closing or task
        if rule.on_time_points:
            yield Posting(f"on_time:{task.pk}", ScoreReason.ON_TIME, rule.on_time_points, closed_on,
                          gettext("在完成时限内办结"), source, **of_task)
        early = count_working_days_after(delivered, task.deadline)
        bonus = min(early * rule.early_points_per_day, rule.early_points_cap)
        if bonus > 0:
            yield Posting(f"early:{task.pk}", ScoreReason.EARLY, bonus, closed_on,
                          gettext("提前 %(days)s 个工作日申请办结") % {"days": early}, source, **of_task)
    if rule.overdue_points_per_day:
        for n, day in enumerate(facts.overdue_days(), start=1):
            yield Posting(f"overdue:{task.pk}:{day.isoformat()}", ScoreReason.OVERDUE_DAY,
                          -rule.overdue_points_per_day, day,
                          gettext("逾期第 %(n)s 个工作日（完成时限 %(deadline)s）")
                          % {"n": n, "deadline": task.deadline.isoformat()}, task, **of_task)
    if is_leaf and rule.missed_report_points:
        for mark in facts.silence_marks(rule.report_every_days):
            yield Posting(f"missed_report:{task.pk}:{mark.isoformat()}", ScoreReason.MISSED_REPORT,
                          -rule.missed_report_points, mark,
                          gettext("连续 %(days)s 个工作日未报送进度") % {"days": rule.report_every_days}, task, **of_task)


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
    from luoshi.indicators.models import Indicator
    from luoshi.indicators.trajectory import facts_for, resolve_targets

    indicators = Indicator.objects.filter(plan=plan)
    resolved = {t.id: t for facts in facts_for(indicators, today=until) for t in resolve_targets(facts)}
    targets = IndicatorTarget.objects.filter(
        indicator__plan=plan, comparator__in=[Comparator.AT_LEAST, Comparator.AT_MOST]
    ).select_related("indicator", "indicator__task")
    actuals: dict[int, list[IndicatorActual]] = defaultdict(list)
    for actual in IndicatorActual.objects.filter(indicator__plan=plan, period_end__lte=until).order_by("period_end"):
        actuals[actual.indicator_id].append(actual)
    beaten = []
    for target in targets:
        absolute = resolved[target.pk].absolute if target.pk in resolved else None
        latest = next((a for a in reversed(actuals[target.indicator_id])
                       if a.period_end <= min(target.due_date, until)), None)
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
            f"target:{hit.target.pk}", ScoreReason.TARGET_EXCEEDED, rule.target_exceeded_points,
            hit.actual.period_end,
            gettext("%(indicator)s 实际 %(actual)s%(unit)s，超过目标 %(target)s%(unit)s") % {
                "indicator": indicator.name, "actual": f"{hit.actual.value:g}", "target": f"{hit.absolute:g}",
                "unit": indicator.unit},
            hit.actual, unit_id=indicator.owner_unit_id, person_id=task.owner_id if task else None, task=task,
        )


def expected_postings(plan: Plan, until: dt.date) -> list[Posting]:
    """Every ledger entry the plan's rules call for by the end of `until`."""
    rule = scoring_rule_for(plan)
    tasks = list(
        Task.objects.filter(plan=plan).exclude(kind=TaskKind.AREA).exclude(status=TaskStatus.DRAFT)
        .prefetch_related("transitions")
    )
    # A task whose children are all drafts still carries its own work, and its own reports (see plans.rollup).
    parents = set(Task.objects.counted().filter(plan=plan, parent__isnull=False).values_list("parent_id", flat=True))
    lead_of = {task.pk: task.lead_unit_id for task in tasks}
    report_dates: dict[int, list[dt.date]] = defaultdict(list)
    for task_id, unit_id, day in ProgressReport.objects.filter(task__plan=plan).values_list(
        "task_id", "unit_id", "reported_on"
    ):
        if lead_of.get(task_id) == unit_id:
            report_dates[task_id].append(day)
    postings: list[Posting] = []
    for task in tasks:
        facts = TaskFacts.of(task, task.transitions.all(), report_dates[task.pk], until)
        postings.extend(_task_postings(rule, facts, is_leaf=task.pk not in parents))
    postings.extend(_target_postings(rule, plan, until))
    return postings


@dataclass(frozen=True)
class PostingResult:
    added: int
    removed: int


def post_scores(plan: Plan, until: dt.date | None = None) -> PostingResult:
    """Bring the plan's ledger up to date with the facts as of `until` (today by default)."""
    until = until or clock.today()
    expected = {p.key: p for p in expected_postings(plan, until)}
    stored = dict(ScoreEntry.objects.filter(plan=plan, occurred_on__lte=until).values_list("key", "id"))
    missing = [p for key, p in expected.items() if key not in stored]
    stale = [pk for key, pk in stored.items() if key not in expected]
    now = clock.now()
    with transaction.atomic():
        ScoreEntry.objects.bulk_create([p.as_entry(plan, now) for p in missing], ignore_conflicts=True)
        ScoreEntry.objects.filter(pk__in=stale).delete()
    return PostingResult(len(missing), len(stale))


def post_all_scores(until: dt.date | None = None) -> PostingResult:
    """Post scores for every plan that has tasks."""
    added = removed = 0
    for plan in Plan.objects.filter(tasks__isnull=False).distinct():
        result = post_scores(plan, until)
        added, removed = added + result.added, removed + result.removed
    return PostingResult(added, removed)


# Queries for the cockpit and the bulletin's ranking table.


def score_ledger(period_start: dt.date, period_end: dt.date, *, plan: Plan | None = None,
                 unit_ids: list[int] | None = None, person_id: int | None = None) -> QuerySet:
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


def _ranked(entries: QuerySet, by: str, name: str) -> list[Score]:
    rows = (
        entries.values(by, name)
        .annotate(
            total=Sum("points"),
            gained=Sum("points", filter=Q(points__gt=0), default=ZERO),
            lost=Sum("points", filter=Q(points__lt=0), default=ZERO),
            entries=Count("id"),
            rank=Window(Rank(), order_by=Sum("points").desc()),
        )
        .order_by("rank", by)
    )
    return [Score(row[by], row[name], row["total"], row["gained"], row["lost"], row["entries"], row["rank"])
            for row in rows]


def scores_by_unit(period_start: dt.date, period_end: dt.date, *, plan: Plan | None = None,
                   unit_ids: list[int] | None = None) -> list[Score]:
    """Each unit's points in the period, ranked, in one SQL aggregate. Units without entries are absent."""
    return _ranked(score_ledger(period_start, period_end, plan=plan, unit_ids=unit_ids), "unit_id", "unit__name")


def scores_by_person(period_start: dt.date, period_end: dt.date, *, plan: Plan | None = None,
                     unit_ids: list[int] | None = None) -> list[Score]:
    """Each responsible person's points in the period, ranked."""
    entries = (
        score_ledger(period_start, period_end, plan=plan, unit_ids=unit_ids)
        .filter(person__isnull=False)
        .annotate(person_name=Coalesce(NullIf("person__full_name", Value("")), "person__username"))
    )
    return _ranked(entries, "person_id", "person_name")

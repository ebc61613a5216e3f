"""A plan of a given size, written in bulk (COPY on PostgreSQL, executemany on SQLite), not through the actions.

The shape follows a provincial plan: 25 areas (方面), 200 key tasks, measures below them and work items
below those; every work item has progress reports from its lead unit, workflow steps, a few have
milestones and support units; indicators with targets and actuals, projects with stages, years and
tasks. Everything is derived from a fixed random seed, so a size gives the same plan every time.
History tables are left empty (bulk loading is not editing).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from luoshi.core import clock
from luoshi.core.models import ApiToken, hash_token
from luoshi.indicators.models import Indicator, IndicatorActual, IndicatorTarget
from luoshi.indicators.stored import refresh_all
from luoshi.orgs.models import Person, Role, Unit, UnitKind
from luoshi.plans.models import Milestone, Plan, Task, TaskKind, TaskStatus, TaskTransition
from luoshi.plans.rollup import rebuild_rollups
from luoshi.plans.schedule_days import refresh_all_schedule_days
from luoshi.progress.models import ProgressReport
from luoshi.projects.models import Project, ProjectStage, ProjectYear, Stage


@dataclass(frozen=True)
class Size:
    name: str
    tasks: int
    reports: int
    units: int
    indicators: int
    projects: int


SIZES = {
    "S": Size("S", tasks=1_000, reports=10_000, units=50, indicators=20, projects=50),
    "M": Size("M", tasks=10_000, reports=100_000, units=100, indicators=200, projects=500),
    "L": Size("L", tasks=100_000, reports=1_000_000, units=500, indicators=2_000, projects=5_000),
}

PASSWORD = "bench-password"
TOKEN = "bench-token-of-the-supervision-office"
PLAN_START, PLAN_END = dt.date(2025, 1, 1), dt.date(2028, 12, 31)
AREAS, KEYS = 5, 200
#: Leaf statuses, in proportion.
LEAF_STATUSES = (
    [TaskStatus.IN_PROGRESS] * 5
    + [TaskStatus.ACKNOWLEDGED, TaskStatus.ASSIGNED, TaskStatus.RETURNED, TaskStatus.CLOSING_REQUESTED]
    + [TaskStatus.CLOSED] * 3
)
#: Of the work items already due, this share is closed; the rest are overdue (about 7% of all work items,
#: which gives a score ledger of the size the issue reports: about 850,000 entries at L).
CLOSED_WHEN_DUE = 0.85
#: The workflow steps that lead to each status.
PATHS = {
    TaskStatus.ASSIGNED: [TaskStatus.DRAFT, TaskStatus.ASSIGNED],
    TaskStatus.ACKNOWLEDGED: [TaskStatus.DRAFT, TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED],
    TaskStatus.IN_PROGRESS: [
        TaskStatus.DRAFT,
        TaskStatus.ASSIGNED,
        TaskStatus.ACKNOWLEDGED,
        TaskStatus.IN_PROGRESS,
    ],
    TaskStatus.CLOSING_REQUESTED: [
        TaskStatus.DRAFT,
        TaskStatus.ASSIGNED,
        TaskStatus.ACKNOWLEDGED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.CLOSING_REQUESTED,
    ],
    TaskStatus.RETURNED: [
        TaskStatus.DRAFT,
        TaskStatus.ASSIGNED,
        TaskStatus.ACKNOWLEDGED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.CLOSING_REQUESTED,
        TaskStatus.RETURNED,
    ],
    TaskStatus.CLOSED: [
        TaskStatus.DRAFT,
        TaskStatus.ASSIGNED,
        TaskStatus.ACKNOWLEDGED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.CLOSING_REQUESTED,
        TaskStatus.CLOSED,
    ],
}


@dataclass
class Generated:
    """What the measurements need to find again: the plan, the people, the interesting tasks."""

    plan_id: int
    supervisor: str
    staff: str  # staff of a unit with a typical number of tasks
    staff_unit_id: int
    key_task_id: int  # a key task (a subtree of about tasks/200)
    leaf_task_id: int
    counts: dict[str, int]


class Writer:
    """Rows into a model's table with explicit ids; columns not given take the field's default."""

    def __init__(self) -> None:
        self.now = timezone.now().replace(microsecond=0)
        self.counts: dict[str, int] = {}

    def next_id(self, model: type[models.Model]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
            return int(cursor.fetchone()[0]) + 1

    def write(self, model: type[models.Model], names: Sequence[str], rows: Iterable[tuple]) -> None:
        opts = model._meta
        given = [opts.get_field(n) if n != "id" else opts.pk for n in names]
        rest = [f for f in opts.concrete_fields if f not in given and not f.primary_key]
        constants = tuple(self._default(f) for f in rest)
        columns = [connection.ops.quote_name(f.column) for f in given + rest]
        sqlite = connection.vendor == "sqlite"
        kinds = [type(f) for f in given + rest]
        count = 0
        with connection.cursor() as cursor:
            if sqlite:
                sql = (
                    f"INSERT INTO {opts.db_table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})"
                )
                batch: list[tuple] = []
                for row in rows:
                    batch.append(
                        tuple(_sqlite_value(v, k) for v, k in zip(row + constants, kinds, strict=True))
                    )
                    if len(batch) == 20_000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                cursor.executemany(sql, batch)
                count += len(batch)
            else:
                with cursor.cursor.copy(f"COPY {opts.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + constants)
                        count += 1
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{opts.db_table}', 'id'), "
                    f"(SELECT MAX(id) FROM {opts.db_table}))"
                )
        self.counts[opts.db_table] = self.counts.get(opts.db_table, 0) + count

    def _default(self, field: models.Field):
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            return self.now
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if isinstance(field, models.CharField | models.TextField | models.FileField):
            return ""
        raise ValueError(f"{field} needs a value")


def _sqlite_value(value, kind):
    """What Django itself would store in SQLite: UTC text for datetimes, text for decimals."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def generate(size: Size, seed: int = 13) -> Generated:
    """Write a plan of the given size into the (empty or not) database, in one transaction."""
    with transaction.atomic():
        generated = _generate(size, seed)
        # Written around the actions: store each task's rolled-up progress as `luoshi check-rollups --fix` does.
        rebuild_rollups(Task.objects.filter(plan_id=generated.plan_id))
        refresh_all()  # the stored indicator lights, which COPY and executemany bypass
        # and the days each task's backward schedule turns behind and late (milestones written by COPY too)
        refresh_all_schedule_days(Task.objects.filter(plan_id=generated.plan_id).values("pk"))
    _analyze()
    return generated


def _generate(size: Size, seed: int) -> Generated:
    rnd = random.Random(seed)
    w = Writer()
    today = clock.today()

    # Units: one committee, bureaus below it, sections below the bureaus.
    unit0 = w.next_id(Unit)
    bureaus = max(5, size.units // 10)
    units = list(range(unit0, unit0 + size.units))
    unit_rows = [(unit0, f"规模测试省政府{unit0}", "省政府", UnitKind.COMMITTEE, None, 0)]
    for i, pk in enumerate(units[1:], start=1):
        if i <= bureaus:
            unit_rows.append((pk, f"规模测试厅局{pk}", f"厅局{pk}", UnitKind.BUREAU, unit0, i))
        else:
            unit_rows.append(
                (pk, f"规模测试处室{pk}", f"处室{pk}", UnitKind.SECTION, units[1 + i % bureaus], i)
            )
    w.write(Unit, ["id", "name", "short_name", "kind", "parent_id", "order"], unit_rows)

    # People: the supervision office, and one staff member and one manager for each unit.
    person0 = w.next_id(Person)
    password = make_password(PASSWORD)
    tag = f"{unit0}"
    supervisor = f"bench_supervisor_{tag}"
    people = [(person0, supervisor, "督查室", unit0, Role.SUPERVISOR, True, True, password, w.now)]
    staff_of: dict[int, int] = {}
    for i, unit in enumerate(units):
        staff_of[unit] = person0 + 1 + 2 * i
        people.append(
            (
                person0 + 1 + 2 * i,
                f"bench_staff_{unit}",
                f"工作人员{unit}",
                unit,
                Role.STAFF,
                False,
                True,
                password,
                w.now,
            )
        )
        people.append(
            (
                person0 + 2 + 2 * i,
                f"bench_manager_{unit}",
                f"管理员{unit}",
                unit,
                Role.MANAGER,
                False,
                True,
                password,
                w.now,
            )
        )
    w.write(
        Person,
        [
            "id",
            "username",
            "full_name",
            "unit_id",
            "role",
            "is_staff",
            "is_active",
            "password",
            "date_joined",
        ],
        people,
    )
    ApiToken.objects.filter(key_hash=hash_token(TOKEN)).delete()
    ApiToken.objects.create(person_id=person0, name="bench", key_hash=hash_token(TOKEN), prefix=TOKEN[:8])

    plan_id = w.next_id(Plan)
    w.write(
        Plan,
        ["id", "title", "period_start", "period_end", "owner_unit_id", "created_at"],
        [(plan_id, f"规模测试实施方案（{size.name}）", PLAN_START, PLAN_END, unit0, w.now)],
    )

    # The task tree: areas, key tasks, measures, work items; parents are spread evenly.
    task0 = w.next_id(Task)
    keys = min(KEYS, size.tasks // 10)
    measures = size.tasks // 5
    levels = [AREAS, keys, measures, size.tasks - AREAS - keys - measures]
    kinds = [TaskKind.AREA, TaskKind.TARGET, TaskKind.MEASURE, TaskKind.WORK]
    tasks: list[tuple] = []
    deadline_of: dict[int, dt.date] = {}
    level_ids: list[list[int]] = []
    next_pk = task0
    for depth, count in enumerate(levels):
        ids = list(range(next_pk, next_pk + count))
        next_pk += count
        level_ids.append(ids)
        for i, pk in enumerate(ids):
            parent = level_ids[depth - 1][i % len(level_ids[depth - 1])] if depth else None
            leaf = depth == len(levels) - 1
            if depth == 0:
                deadline = PLAN_END
            else:
                deadline = min(deadline_of[parent], PLAN_START + dt.timedelta(days=200 + rnd.randrange(1200)))
            deadline_of[pk] = deadline
            status = rnd.choice(LEAF_STATUSES) if leaf else TaskStatus.IN_PROGRESS
            if leaf and deadline < today and rnd.random() < CLOSED_WHEN_DUE:
                status = TaskStatus.CLOSED
            closed_at = None
            if status == TaskStatus.CLOSED:
                day = min(deadline + dt.timedelta(days=rnd.randrange(-60, 20)), today)
                closed_at = timezone.make_aware(dt.datetime.combine(day, dt.time(16)))
            lead = units[1 + rnd.randrange(size.units - 1)]
            tasks.append(
                (
                    pk,
                    plan_id,
                    parent,
                    f"{depth + 1}.{i + 1}",
                    f"{kinds[depth].label}{i + 1}：规模测试任务",
                    kinds[depth],
                    lead,
                    staff_of[lead] if leaf else None,
                    PLAN_START,
                    deadline,
                    float(1 + rnd.randrange(3)),
                    status,
                    closed_at,
                    i,
                    w.now,
                    w.now,
                )
            )
    w.write(
        Task,
        [
            "id",
            "plan_id",
            "parent_id",
            "code",
            "title",
            "kind",
            "lead_unit_id",
            "owner_id",
            "start_date",
            "deadline",
            "weight",
            "status",
            "closed_at",
            "order",
            "created_at",
            "updated_at",
        ],
        tasks,
    )
    leaves = tasks[-levels[-1] :]  # the work items, written last

    link0 = w.next_id(Task.support_units.through)
    w.write(
        Task.support_units.through,
        ["id", "task_id", "unit_id"],
        ((link0 + i, t[0], units[1 + (i * 7) % (size.units - 1)]) for i, t in enumerate(tasks[::3])),
    )

    # Workflow steps: every task walked along the path to its status, a week apart.
    step0 = w.next_id(TaskTransition)

    def steps():
        pk = step0
        for t in tasks:
            path = PATHS[t[11]]
            at = timezone.make_aware(
                dt.datetime.combine(PLAN_START + dt.timedelta(days=t[13] % 60), dt.time(9))
            )
            for j, (a, b) in enumerate(itertools.pairwise(path)):
                when = t[12] if b == TaskStatus.CLOSED else at + dt.timedelta(days=7 * j)
                if b == TaskStatus.CLOSING_REQUESTED and t[12] is not None:
                    when = t[12] - dt.timedelta(days=2)
                yield (pk, t[0], a, b, person0, min(when, w.now), "")
                pk += 1

    w.write(TaskTransition, ["id", "task_id", "from_status", "to_status", "actor_id", "at", "note"], steps())

    # Progress reports on the work items by their lead unit, rising over time.
    report0 = w.next_id(ProgressReport)
    span = (today - PLAN_START).days

    def reports():
        per_leaf, extra = divmod(size.reports, len(leaves))
        pk = report0
        for i, t in enumerate(leaves):
            n = per_leaf + (1 if i < extra else 0)
            days = sorted(rnd.randrange(span) for _ in range(n))
            for j, day in enumerate(days):
                percent = min(100, (j + 1) * 100 // (n + 2) + rnd.randrange(10))
                yield (
                    pk,
                    t[0],
                    t[6],
                    staff_of[t[6]],
                    PLAN_START + dt.timedelta(days=day),
                    percent,
                    "按计划推进",
                    w.now,
                )
                pk += 1

    w.write(
        ProgressReport,
        ["id", "task_id", "unit_id", "author_id", "reported_on", "percent", "narrative", "created_at"],
        reports(),
    )

    milestone0 = w.next_id(Milestone)
    w.write(
        Milestone,
        ["id", "task_id", "title", "due_date", "duration_days", "order"],
        (
            (
                milestone0 + 2 * i + j,
                t[0],
                f"节点{j + 1}",
                min(t[9], today + dt.timedelta(days=30 * (j + 1))),
                10,
                j,
            )
            for i, t in enumerate(leaves[::20])
            for j in range(2)
        ),
    )

    # Indicators with one target and yearly actuals; projects with stages, years and a task each.
    indicator0 = w.next_id(Indicator)
    w.write(
        Indicator,
        ["id", "plan_id", "name", "unit", "owner_unit_id", "baseline_value", "baseline_date"],
        (
            (
                indicator0 + i,
                plan_id,
                f"规模测试指标{i + 1}",
                "吨",
                units[1 + i % (size.units - 1)],
                100.0,
                dt.date(2024, 12, 31),
            )
            for i in range(size.indicators)
        ),
    )
    target0 = w.next_id(IndicatorTarget)
    w.write(
        IndicatorTarget,
        ["id", "indicator_id", "due_date", "value"],
        (
            (target0 + i, indicator0 + i, dt.date(2027, 12, 31), 200.0 + i % 50)
            for i in range(size.indicators)
        ),
    )
    actual0 = w.next_id(IndicatorActual)
    w.write(
        IndicatorActual,
        ["id", "indicator_id", "period_end", "value"],
        (
            (
                actual0 + 2 * i + j,
                indicator0 + i,
                dt.date(2025 + j, 12 if j == 0 else 9, 30 if j else 31),
                120.0 + 20 * j + i % 30,
            )
            for i in range(size.indicators)
            for j in range(2)
        ),
    )
    project0 = w.next_id(Project)
    w.write(
        Project,
        ["id", "plan_id", "name", "owner_unit_id", "total_investment"],
        (
            (
                project0 + i,
                plan_id,
                f"规模测试项目{i + 1}",
                units[1 + i % (size.units - 1)],
                Decimal(10_000 + i),
            )
            for i in range(size.projects)
        ),
    )
    stage0 = w.next_id(ProjectStage)
    w.write(
        ProjectStage,
        ["id", "project_id", "stage", "planned_date", "actual_date"],
        (
            (
                stage0 + 2 * i + j,
                project0 + i,
                (Stage.START, Stage.COMPLETION)[j],
                dt.date(2025 + 2 * j, 6, 30),
                dt.date(2025, 7, 15) if j == 0 and i % 2 else None,
            )
            for i in range(size.projects)
            for j in range(2)
        ),
    )
    year0 = w.next_id(ProjectYear)
    w.write(
        ProjectYear,
        ["id", "project_id", "year", "planned_investment", "completed_investment"],
        (
            (year0 + 2 * i + j, project0 + i, 2025 + j, Decimal(3000), Decimal(1000 + (i % 2000) * j))
            for i in range(size.projects)
            for j in range(2)
        ),
    )
    link0 = w.next_id(Project.tasks.through)
    w.write(
        Project.tasks.through,
        ["id", "project_id", "task_id"],
        ((link0 + i, project0 + i, level_ids[2][i % len(level_ids[2])]) for i in range(size.projects)),
    )

    typical = _typical_unit(Counter(t[6] for t in tasks))
    return Generated(
        plan_id=plan_id,
        supervisor=supervisor,
        staff=f"bench_staff_{typical}",
        staff_unit_id=typical,
        key_task_id=level_ids[1][0],
        leaf_task_id=level_ids[-1][0],
        counts=w.counts,
    )


def _typical_unit(led: Counter) -> int:
    """A unit with a typical load: the median number of tasks led."""
    return sorted(led, key=lambda u: (led[u], u))[len(led) // 2]


def find_generated() -> Generated:
    """The plan generated last in this database, to measure it again without generating it."""
    plan = Plan.objects.filter(title__startswith="规模测试实施方案").latest("id")
    typical = _typical_unit(Counter(Task.objects.filter(plan=plan).values_list("lead_unit_id", flat=True)))
    first = Task.objects.filter(plan=plan).order_by("id")
    return Generated(
        plan_id=plan.pk,
        supervisor=Person.objects.filter(username__startswith="bench_supervisor_").latest("id").username,
        staff=f"bench_staff_{typical}",
        staff_unit_id=typical,
        key_task_id=first.filter(kind=TaskKind.TARGET)[0].pk,
        leaf_task_id=first.filter(kind=TaskKind.WORK)[0].pk,
        counts={},
    )


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum would gather soon after a real load."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

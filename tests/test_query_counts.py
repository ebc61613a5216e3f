"""Every main page runs the same number of SQL queries whether its plan has ~100 tasks or ~2,000.

One plan is built at the small size, every page is measured, the plan is grown twentyfold (tasks,
reports, workflow steps, milestones, indicators, projects), and every page is measured again. Each
page is requested once before it is measured, so that per-process caches (content types, the
working-day calendar) are warm at both sizes alike. The counts are written to
test-output/query-counts.txt for the record.
"""

import datetime as dt
import itertools
import math
import time
import types
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from luoshi.core import middleware
from luoshi.indicators.models import Indicator, IndicatorActual, IndicatorTarget
from luoshi.plans.models import Milestone, Task, TaskKind, TaskStatus, TaskTransition
from luoshi.progress.models import Evidence, ProgressReport
from luoshi.projects.models import Project, ProjectStage, ProjectYear, Stage
from luoshi.schedule import workdays

OUTPUT = Path(__file__).resolve().parents[1] / "test-output" / "query-counts.txt"
STATUSES = [
    TaskStatus.IN_PROGRESS,
    TaskStatus.IN_PROGRESS,
    TaskStatus.ACKNOWLEDGED,
    TaskStatus.RETURNED,
    TaskStatus.CLOSING_REQUESTED,
    TaskStatus.CLOSED,
    TaskStatus.ASSIGNED,
]


def grow(cast, batch: int, measures: int) -> None:
    """Add an area with 5 key tasks of `measures` measures each, with everything that hangs on them."""
    plan, units = cast.plan, [cast.caizheng, cast.jingfa, cast.jingfa_section, cast.xuanchuan]
    start = plan.period_start
    area = Task.objects.create(
        plan=plan,
        title=f"方面{batch}",
        lead_unit=cast.office,
        kind=TaskKind.AREA,
        status=TaskStatus.IN_PROGRESS,
        start_date=start,
        deadline=plan.period_end,
        order=batch,
    )
    keys = Task.objects.bulk_create(
        Task(
            plan=plan,
            parent=area,
            title=f"重点任务{batch}-{k}",
            lead_unit=units[k % 4],
            kind=TaskKind.TARGET,
            status=TaskStatus.IN_PROGRESS,
            start_date=start,
            deadline=dt.date(2028, 12, 31),
            order=k,
            code=f"{k}",
        )
        for k in range(5)
    )
    leaves = Task.objects.bulk_create(
        Task(
            plan=plan,
            parent=key,
            title=f"措施{batch}-{k}-{m}",
            lead_unit=units[(k + m) % 4],
            kind=TaskKind.MEASURE,
            status=STATUSES[m % len(STATUSES)],
            start_date=start,
            deadline=dt.date(2026, 1, 31) + dt.timedelta(days=(m * 37) % 900),
            order=m,
            code=f"{k}.{m}",
        )
        for k, key in enumerate(keys)
        for m in range(measures)
    )
    Task.support_units.through.objects.bulk_create(
        Task.support_units.through(task_id=t.pk, unit_id=units[(i + 1) % 4].pk)
        for i, t in enumerate(leaves)
        if i % 3 == 0
    )
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(
            task=t,
            unit=t.lead_unit,
            author=cast.caizheng_staff,
            reported_on=dt.date(2026, 10, 1),
            percent=(i * 13) % 101,
            narrative="进展",
        )
        for i, t in enumerate(leaves)
        if i % 2 == 0
    )
    Evidence.objects.bulk_create(
        Evidence(report=r, file="evidence/x.pdf", original_name="x.pdf", size=3) for r in reports[::4]
    )
    at = timezone.make_aware(dt.datetime(2026, 10, 5, 9))
    TaskTransition.objects.bulk_create(
        TaskTransition(
            task=t,
            from_status=TaskStatus.CLOSING_REQUESTED,
            to_status=t.status,
            actor=cast.supervisor,
            at=at,
            note="补充材料",
        )
        for t in leaves
        if t.status == TaskStatus.RETURNED
    )
    Milestone.objects.bulk_create(
        Milestone(
            task=t,
            title=f"节点{j}",
            due_date=min(t.deadline, dt.date(2026, 12, 1) + dt.timedelta(days=30 * j)),
            duration_days=5,
        )
        for t in [*keys, *leaves[:: max(1, measures // 2)]]
        for j in range(2)
    )
    indicator = Indicator.objects.create(
        plan=plan,
        name=f"指标{batch}",
        unit="吨",
        owner_unit=units[batch % 4],
        baseline_value=100,
        baseline_date=dt.date(2023, 12, 31),
    )
    IndicatorTarget.objects.create(indicator=indicator, due_date=dt.date(2027, 12, 31), value=200)
    IndicatorActual.objects.bulk_create(
        IndicatorActual(indicator=indicator, period_end=dt.date(y, 12, 31), value=v)
        for y, v in ((2024, 120), (2025, 140))
    )
    for p in range(2):
        project = Project.objects.create(
            plan=plan, name=f"项目{batch}-{p}", owner_unit=units[p % 4], total_investment=1000 * (p + 1)
        )
        project.tasks.add(keys[p])
        ProjectStage.objects.create(
            project=project,
            stage=Stage.START,
            planned_date=dt.date(2025, 6, 30),
            actual_date=dt.date(2025, 7, 15) if p else None,
        )
        ProjectYear.objects.create(
            project=project, year=2026, planned_investment=500, completed_investment=200
        )


def pages(cast) -> dict[str, tuple[str, str]]:
    """page → (who looks at it, URL)."""
    key = Task.objects.filter(plan=cast.plan, kind=TaskKind.TARGET).order_by("id").first()
    leaf = key.children.order_by("id").first()
    plan = f"?plan={cast.plan.pk}"
    return {
        "cockpit (supervisor)": ("supervisor", reverse("cockpit") + plan),
        "cockpit (leader)": ("leader", reverse("cockpit") + plan),
        "my tasks (unit staff)": ("caizheng_staff", reverse("my_tasks")),
        "my tasks (unit manager)": ("caizheng_manager", reverse("my_tasks")),
        "task tree": ("supervisor", reverse("task_list") + plan),
        "task tree, filtered": (
            "supervisor",
            reverse("task_list") + plan + f"&unit={cast.caizheng.pk}&light=red&q=措施",
        ),
        "task tree, children": ("supervisor", reverse("task_children", args=[key.pk])),
        "task tree, unit staff": ("jingfa_staff", reverse("task_list") + plan + "&overdue=on"),
        "export xlsx": ("supervisor", reverse("task_export", args=["xlsx"]) + plan + "&status=in_progress"),
        "export csv": ("leader", reverse("task_export", args=["csv"]) + plan),
        "task page": ("caizheng_staff", reverse("task_detail", args=[leaf.pk])),
        "gantt": ("supervisor", reverse("gantt") + plan + "&depth=1"),
        "gantt of a subtree": ("supervisor", reverse("gantt") + plan + f"&root={key.pk}"),
        "supervision board": ("supervisor", reverse("supervision_board") + plan),
        "units": ("supervisor", reverse("unit_list") + plan),
        "unit page": ("leader", reverse("unit_detail", args=[cast.caizheng.pk]) + plan),
        "indicators": ("viewer", reverse("indicator_list") + plan),
        "indicator page": (
            "viewer",
            reverse("indicator_detail", args=[Indicator.objects.order_by("id").first().pk]),
        ),
        "projects": ("supervisor", reverse("project_list") + plan),
        "project page": (
            "supervisor",
            reverse("project_detail", args=[Project.objects.order_by("id").first().pk]),
        ),
    }


def measure(cast) -> dict[str, int]:
    counts = {}
    clients = {}
    for name, (who, url) in pages(cast).items():
        if who not in clients:
            clients[who] = Client()
            clients[who].force_login(getattr(cast, who))
        client = clients[who]
        assert client.get(url).status_code == 200, name  # warm the caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_every_main_page_runs_as_many_queries_at_2000_tasks_as_at_100(cast, monkeypatch):
    # Two timers would add queries to whichever page a slow run (a loaded machine) happens to measure
    # when they fire: the idle sign-out writes the session's last-seen time once a minute (3 queries),
    # and the working-day calendar is read again after five minutes. Their clocks stand still here.
    now = time.time()
    monkeypatch.setattr(middleware, "time", types.SimpleNamespace(time=lambda: now))
    monkeypatch.setattr(workdays, "OFFICE_CALENDAR_TTL", math.inf)
    grow(cast, 1, measures=16)  # 1 + 5 + 80 tasks, next to the cast's own
    small_tasks = Task.objects.count()
    small = measure(cast)
    for batch in itertools.count(2):
        if Task.objects.count() >= 2000:
            break
        grow(cast, batch, measures=78)
    large_tasks = Task.objects.count()
    large = measure(cast)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(
        f"page\tqueries at {small_tasks} tasks\tqueries at {large_tasks} tasks\n"
        + "".join(f"{name}\t{small[name]}\t{large[name]}\n" for name in small)
    )
    assert small_tasks < 110 and large_tasks >= 2000
    assert large == small


def test_the_cockpit_my_tasks_and_the_plan_and_list_api_run_as_many_queries_whenever_and_however_large(cast):
    """Issue 13: the same queries at two sizes, and for the API whether or not its token's last use is
    due to be written down (a minute apart)."""
    from unittest import mock

    from luoshi.core import clock
    from luoshi.core.models import ApiToken
    from luoshi.plans.schedule_days import refresh_all_schedule_days

    _, raw = ApiToken.issue(cast.supervisor, "驾驶舱脚本")
    program = Client(headers={"Authorization": f"Bearer {raw}"})
    people = {who: Client() for who in ("supervisor", "leader", "caizheng_staff", "jingfa_staff")}
    for who, client in people.items():
        client.force_login(getattr(cast, who))
    plan = f"?plan={cast.plan.pk}"
    pages = {
        "cockpit (supervisor)": (people["supervisor"], reverse("cockpit") + plan),
        "cockpit (leader)": (people["leader"], reverse("cockpit") + plan),
        "my tasks (财政局 staff)": (people["caizheng_staff"], reverse("my_tasks")),
        "my tasks (经发局 staff)": (people["jingfa_staff"], reverse("my_tasks")),
        "plan API": (program, f"/api/plans/{cast.plan.pk}"),
        "list API": (program, f"/api/tasks{plan}"),
    }

    def counts(minutes_later: int = 0) -> dict[str, int]:
        """Each page warmed, then measured right after, or that many minutes after (the token's last
        use then due to be written)."""
        out = {}
        for name, (client, url) in pages.items():
            assert client.get(url).status_code == 200, name  # warm the caches
            moment = clock.now() + dt.timedelta(minutes=minutes_later)
            with (
                mock.patch.object(clock, "now", lambda moment=moment: moment),
                CaptureQueriesContext(connection) as queries,
            ):
                assert client.get(url).status_code == 200, name
            out[name] = len(queries)
        return out

    grow(cast, 1, measures=16)
    refresh_all_schedule_days()  # grow writes milestones around the actions
    small = counts()
    later = counts(minutes_later=2)
    for batch in range(2, 6):
        grow(cast, batch, measures=78)
    refresh_all_schedule_days()
    assert Task.objects.count() >= 1500
    assert counts() == later == small

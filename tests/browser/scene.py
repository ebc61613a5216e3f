"""Something on every page: the cast's plan with more tasks in every state, milestones, reports with
evidence, indicators with targets and actuals, and projects with stages and yearly investment.

Plain code on top of tests.cast; the page tests and the browser tests both use it. The cast's day
is 2026-11-27 (tests.conftest.TODAY).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from luoshi.indicators.models import Comparator, Indicator, IndicatorActual, IndicatorTarget, TargetKind
from luoshi.plans.models import Milestone, Task, TaskKind, TaskStatus, TaskTransition
from luoshi.plans.rollup import rebuild_rollups
from luoshi.progress.models import Evidence, ProgressReport
from luoshi.projects.models import Project, ProjectStage, ProjectYear, Stage
from luoshi.scoring.actions import post_scores
from tests.cast import Cast, make_task

D = dt.date


@dataclass
class Scene:
    cast: Cast
    overdue: Task
    closing: Task
    returned: Task
    due_soon: Task
    assigned: Task
    port: Indicator
    containers: Indicator
    project: Project


def _report(task: Task, author, percent: int, day: dt.date, text: str, evidence: str = "") -> ProgressReport:
    report = ProgressReport.objects.create(
        task=task, unit=task.lead_unit, author=author, reported_on=day, percent=percent, narrative=text
    )
    if evidence:
        Evidence.objects.create(
            report=report, file=f"evidence/{task.pk}/{evidence}", original_name=evidence, size=1200
        )
    return report


def _moved(
    task: Task, to: str, actor, day: dt.date, note: str = "", frm: str = TaskStatus.IN_PROGRESS
) -> None:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
    TaskTransition.objects.create(task=task, from_status=frm, to_status=to, actor=actor, at=at, note=note)


def make_scene(cast: Cast) -> Scene:
    c = cast
    c.area.code, c.key.code, c.measure.code, c.jingfa_task.code = "一", "1", "1.1", "2"
    for task in (c.area, c.key, c.measure, c.jingfa_task):
        task.save(update_fields=["code"])
    second_area = make_task(c.plan, "产业项目建设", c.office, kind=TaskKind.AREA)
    second_area.code = "二"
    second_area.save(update_fields=["code"])

    overdue = make_task(
        c.plan,
        "完成铁路专用线前期手续",
        c.jingfa,
        second_area,
        deadline=D(2026, 10, 31),
        kind=TaskKind.PROJECT,
    )
    closing = make_task(
        c.plan,
        "编制港口物流园区控制性详规",
        c.caizheng,
        c.key,
        deadline=D(2026, 12, 31),
        status=TaskStatus.CLOSING_REQUESTED,
    )
    returned = make_task(
        c.plan,
        "建立重点项目联席会议制度",
        c.jingfa,
        second_area,
        deadline=D(2027, 3, 31),
        status=TaskStatus.RETURNED,
        kind=TaskKind.MEASURE,
    )
    due_soon = make_task(c.plan, "报送年度招商引资计划", c.caizheng, c.key, deadline=D(2026, 12, 4))
    assigned = make_task(
        c.plan,
        "梳理亿元以上项目清单",
        c.caizheng,
        second_area,
        deadline=D(2027, 6, 30),
        status=TaskStatus.ASSIGNED,
        support=(c.jingfa,),
    )
    done = make_task(
        c.plan, "召开全区动员大会", c.office, second_area, deadline=D(2025, 3, 31), status=TaskStatus.CLOSED
    )
    Task.objects.filter(pk=done.pk).update(closed_at=timezone.make_aware(dt.datetime(2025, 3, 20, 16)))
    for i, (task, code) in enumerate(
        [(closing, "1.2"), (due_soon, "1.3"), (overdue, "3"), (returned, "4"), (assigned, "5"), (done, "6")]
    ):
        task.code, task.order = code, 10 + i
        task.save(update_fields=["code", "order"])

    _report(c.measure, c.caizheng_staff, 30, D(2026, 9, 30), "已完成请示初稿，正在征求意见。", "请示初稿.pdf")
    _report(overdue, c.jingfa_staff, 60, D(2026, 8, 15), "用地预审已批复，环评正在审查。")
    _report(closing, c.caizheng_staff, 100, D(2026, 11, 20), "详规已通过专家评审。", "专家评审意见.pdf")
    _moved(
        closing, TaskStatus.CLOSING_REQUESTED, c.caizheng_manager, D(2026, 11, 21), "详规已批复，申请销号。"
    )
    _report(returned, c.jingfa_staff, 100, D(2026, 10, 10), "联席会议制度已印发。", "制度文件.pdf")
    _moved(returned, TaskStatus.CLOSING_REQUESTED, c.jingfa_manager, D(2026, 10, 11))
    _moved(
        returned,
        TaskStatus.RETURNED,
        c.supervisor,
        D(2026, 10, 20),
        "缺少会议纪要，请补充佐证材料。",
        frm=TaskStatus.CLOSING_REQUESTED,
    )
    _report(c.jingfa_task, c.jingfa_staff, 40, D(2026, 11, 2), "承接方案已形成初稿。")
    _report(due_soon, c.caizheng_staff, 70, D(2026, 11, 25), "计划已汇总，待局务会审定。")

    draft = Milestone.objects.create(
        task=c.measure, title="起草请示", due_date=D(2026, 12, 31), duration_days=20, completed_on=None
    )
    review = Milestone.objects.create(
        task=c.measure, title="征求相关部门意见", due_date=D(2027, 1, 29), duration_days=15
    )
    submit = Milestone.objects.create(
        task=c.measure, title="报送省财政厅", due_date=D(2027, 3, 26), duration_days=5
    )
    review.depends_on.add(draft)
    submit.depends_on.add(review)
    Milestone.objects.create(
        task=c.jingfa_task,
        title="形成承接方案初稿",
        due_date=D(2026, 10, 30),
        completed_on=D(2026, 10, 28),
        duration_days=30,
    )
    Milestone.objects.create(
        task=c.jingfa_task, title="方案报管委会审定", due_date=D(2027, 5, 28), duration_days=10
    )

    port = Indicator.objects.create(
        plan=c.plan,
        name="港口货物吞吐量",
        unit="吨",
        owner_unit=c.jingfa,
        baseline_value=2.1e8,
        baseline_date=D(2023, 12, 31),
        task=c.key,
    )
    IndicatorTarget.objects.create(indicator=port, due_date=D(2026, 12, 31), value=3e8)
    IndicatorTarget.objects.create(indicator=port, due_date=D(2029, 12, 31), value=3.6e8)
    for year, value in ((2024, 2.35e8), (2025, 2.52e8)):
        IndicatorActual.objects.create(indicator=port, period_end=D(year, 12, 31), value=value)
    containers = Indicator.objects.create(
        plan=c.plan,
        name="集装箱吞吐量",
        unit="标箱",
        owner_unit=c.jingfa,
        baseline_value=5e5,
        baseline_date=D(2023, 12, 31),
    )
    first = IndicatorTarget.objects.create(
        indicator=containers, due_date=D(2026, 12, 31), value=1e6, kind=TargetKind.ABSOLUTE
    )
    IndicatorTarget.objects.create(
        indicator=containers,
        due_date=D(2029, 12, 31),
        value=2,
        kind=TargetKind.MULTIPLE,
        relative_to_target=first,
    )
    for year, value in ((2024, 5.6e5), (2025, 6.1e5)):
        IndicatorActual.objects.create(indicator=containers, period_end=D(year, 12, 31), value=value)
    tech = Indicator.objects.create(
        plan=c.plan,
        name="新增高新技术企业",
        unit="家",
        owner_unit=c.caizheng,
        baseline_value=40,
        baseline_date=D(2023, 12, 31),
    )
    IndicatorTarget.objects.create(
        indicator=tech,
        due_date=D(2029, 12, 31),
        value=20,
        kind=TargetKind.INCREMENT,
        comparator=Comparator.AT_LEAST,
    )
    for year, value in ((2024, 61), (2025, 83)):
        IndicatorActual.objects.create(indicator=tech, period_end=D(year, 12, 31), value=value)

    project = None
    for i, (name, unit, industry, total, start_planned, start_actual) in enumerate(
        [
            ("临港化工新材料产业园", c.jingfa, "化工", 850000, D(2025, 3, 1), D(2025, 2, 20)),
            ("铁路专用线一期", c.jingfa, "交通", 320000, D(2025, 9, 1), D(2025, 11, 15)),
            ("集装箱码头扩建", c.caizheng, "港口", 560000, D(2026, 6, 30), None),
        ]
    ):
        p = Project.objects.create(
            plan=c.plan,
            name=name,
            owner_unit=unit,
            industry=industry,
            total_investment=total,
            location="临港片区",
        )
        p.tasks.add(overdue if i == 1 else c.key)
        ProjectStage.objects.create(
            project=p, stage=Stage.START, planned_date=start_planned, actual_date=start_actual
        )
        ProjectStage.objects.create(project=p, stage=Stage.COMPLETION, planned_date=D(2028, 12, 31))
        for year, planned, completed in (
            (2025, total * 0.2, total * 0.18 if start_actual else 0),
            (2026, total * 0.3, total * 0.22 if start_actual else 0),
            (2027, total * 0.3, 0),
        ):
            ProjectYear.objects.create(
                project=p, year=year, planned_investment=planned, completed_investment=completed
            )
        project = project or p
    # Written around the actions, like a bulk load: the stored rollups are rebuilt as `luoshi check-rollups --fix` would.
    rebuild_rollups(Task.objects.filter(plan=c.plan))
    post_scores(c.plan, D(2026, 11, 27))  # the score ledger, as the worker would have posted it
    return Scene(c, overdue, closing, returned, due_soon, assigned, port, containers, project)

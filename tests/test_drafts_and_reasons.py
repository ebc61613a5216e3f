"""Drafts are not yet work, and every light says why — the same reasons on every page, the API,
the bulletin and `luoshi schedule`."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luoshi.bulletins.compose import compose, parse_period
from luoshi.cockpit.figures import task_figures
from luoshi.orgs.models import Unit
from luoshi.plans import actions
from luoshi.plans.health import Light, healths_of
from luoshi.plans.models import Milestone, Task, TaskStatus
from luoshi.plans.on_time import on_time_by_unit
from luoshi.plans.rollup import plan_progress, progress_of, progress_of_plan
from luoshi.progress.actions import report_progress
from tests.cast import client_for, make_task
from tests.conftest import TODAY


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("完成.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


# --- Drafts -------------------------------------------------------------------------------------


def test_splitting_a_reported_task_keeps_its_progress_until_the_children_are_assigned(cast):
    report_progress(cast.caizheng_staff, cast.measure, percent=75, narrative="请示已起草")
    before = progress_of_plan(cast.plan.pk)
    plan_before = plan_progress(cast.plan.pk)
    assert before[cast.measure.pk] == 75.0
    child = actions.create_task(
        cast.caizheng_manager, plan=cast.plan, parent=cast.measure, title="征求意见", lead_unit=cast.caizheng
    )
    assert progress_of_plan(cast.plan.pk) == {**before, child.pk: 0.0}  # a draft changes nothing above it
    assert plan_progress(cast.plan.pk) == plan_before
    # Once the office assigns the child, the child carries the work (the rule in the README): the
    # unit now reports on the part it was given.
    actions.assign_task(cast.supervisor, child)
    assert progress_of([cast.measure.pk])[cast.measure.pk] == 0.0


def test_a_draft_has_no_light_and_counts_in_no_figure(cast):
    # A draft split off under 2024-dated work: it must not be 严重滞后 or drag its parent down.
    draft = make_task(
        cast.plan,
        "草拟中的分解任务",
        cast.jingfa,
        cast.area,
        status=TaskStatus.DRAFT,
        start=dt.date(2024, 1, 1),
        deadline=dt.date(2026, 10, 31),
    )
    tasks = list(Task.objects.filter(plan=cast.plan))
    healths = healths_of(tasks, progress_of_plan(cast.plan.pk), TODAY)
    assert healths[draft.pk].light == Light.DRAFT and "未交办" in healths[draft.pk].why
    assert not Task.objects.overdue(TODAY).filter(pk=draft.pk).exists()

    figures = task_figures(cast.supervisor, cast.plan, TODAY)
    assert (figures.total, figures.drafts) == (4, 1)
    assert Light.DRAFT not in figures.counts and sum(figures.counts.values()) == figures.total
    assert cast.jingfa.pk not in {u.unit_id for u in figures.by_unit if u.counts[Light.OVERDUE]}
    assert on_time_by_unit(Task.objects.filter(plan=cast.plan), TODAY)[cast.jingfa.pk].due == 0

    overall = compose(cast.plan, parse_period("2026-11"))["overall"]
    assert (overall["tasks"], overall["drafts"], overall["overdue"]) == (3, 1, 0)

    office = client_for(cast.supervisor)
    assert "草稿 1 项，未交办" in office.get(reverse("cockpit")).content.decode()
    unit_page = office.get(reverse("unit_detail", args=[cast.jingfa.pk]))
    assert unit_page.status_code == 200 and "未交办" in unit_page.content.decode()


# --- Reasons ------------------------------------------------------------------------------------


def returned_at_full_progress(cast, frozen_today) -> Task:
    """财政局's measure, reported at 100% and handed in, returned by the office on 20 November."""
    frozen_today(dt.date(2026, 11, 16))
    report_progress(
        cast.caizheng_staff, cast.measure, percent=100, narrative="已报省财政厅", files=[evidence()]
    )
    actions.request_closing(cast.caizheng_manager, cast.measure)
    frozen_today(dt.date(2026, 11, 20))
    actions.return_task(cast.supervisor, cast.measure, "缺少省财政厅回执")
    frozen_today(TODAY)
    return Task.objects.get(pk=cast.measure.pk)


def test_a_returned_task_says_who_returned_it_when_and_why_everywhere(cast, frozen_today):
    task = returned_at_full_progress(cast, frozen_today)
    reason = "2026-11-20 被督查室王主任退回：缺少省财政厅回执"
    health = healths_of([task], progress_of([task.pk]), TODAY)[task.pk]
    # About the return, in its own word, not 进度滞后 at 100%.
    assert health.light == Light.RETURNED and health.reasons == (reason,)
    assert str(health.light.label) == "已退回"

    office = client_for(cast.supervisor)
    assert reason in office.get(reverse("task_detail", args=[task.pk])).content.decode()
    api = office.get(f"/api/tasks?plan={cast.plan.pk}").json()
    rows = api["items"] if isinstance(api, dict) else api
    assert next(r for r in rows if r["id"] == task.pk)["reasons"] == [reason]
    bulletin = compose(cast.plan, parse_period("2026-11"))
    row = next(r for r in bulletin["at_risk_tasks"] if r["id"] == task.pk)
    assert row["reasons"] == [reason] and row["light"] == Light.RETURNED
    assert bulletin["overall"]["returned"] == 1 and bulletin["overall"]["yellow"] == 0
    out = io.StringIO()
    call_command("schedule", str(task.pk), "--estimate", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["light"]["reasons"] == [reason]


def test_overdue_behind_and_milestone_lights_name_their_cause(cast, frozen_today):
    Task.objects.filter(pk=cast.measure.pk).update(deadline=dt.date(2026, 11, 20))
    late = Task.objects.get(pk=cast.measure.pk)
    behind = make_task(
        cast.plan,
        "编制方案",
        cast.jingfa,
        cast.area,
        start=dt.date(2026, 1, 1),
        deadline=dt.date(2026, 12, 31),
    )
    # Due Mon 30 Nov: 会签 26, 27, 30 Nov; so 起草请示 had to finish by Wed 25 Nov.
    milestone_task = make_task(
        cast.plan,
        "报送请示",
        cast.caizheng,
        cast.area,
        start=dt.date(2026, 11, 1),
        deadline=dt.date(2026, 11, 30),
    )
    Milestone.objects.create(
        task=milestone_task, title="起草请示", due_date=dt.date(2026, 11, 20), duration_days=3
    )
    Milestone.objects.create(
        task=milestone_task, title="会签", due_date=dt.date(2026, 11, 30), duration_days=3
    )
    Milestone.objects.filter(task=milestone_task, title="会签").first().depends_on.add(
        Milestone.objects.get(task=milestone_task, title="起草请示")
    )
    report_progress(cast.caizheng_staff, milestone_task, percent=90, narrative="初稿")
    healths = healths_of(
        [late, behind, milestone_task], progress_of([late.pk, behind.pk, milestone_task.pk]), TODAY
    )

    assert healths[late.pk].light == Light.OVERDUE
    # Fri 20 Nov → Fri 27 Nov: 23, 24, 25, 26, 27 — five working days.
    assert healths[late.pk].reasons[0] == "完成时限 2026-11-20 已过 5 个工作日，仍未办结"
    assert healths[behind.pk].light == Light.RED
    assert healths[behind.pk].reasons[0].startswith("进度 0%，落后序时进度 ")
    assert healths[milestone_task.pk].light == Light.RED
    assert "节点“起草请示”最迟应于 2026-11-25 完成，仍未完成" in healths[milestone_task.pk].reasons


def test_the_tree_the_board_and_the_unit_page_show_the_reason_with_the_light(cast, frozen_today):
    task = returned_at_full_progress(cast, frozen_today)
    office = client_for(cast.supervisor)
    reason = "缺少省财政厅回执"
    tree = office.get(reverse("task_list"), {"plan": cast.plan.pk, "q": task.title}).content.decode()
    board = office.get(reverse("supervision_board")).content.decode()
    unit = office.get(reverse("unit_detail", args=[cast.caizheng.pk])).content.decode()
    for page in (tree, board, unit):
        assert reason in page


def test_lights_and_reasons_of_a_long_list_take_the_same_queries_as_of_a_short_one(cast, frozen_today):
    returned_at_full_progress(cast, frozen_today)
    Milestone.objects.create(
        task=cast.jingfa_task, title="节点", due_date=dt.date(2026, 12, 1), duration_days=2
    )
    few = list(Task.objects.filter(plan=cast.plan))
    for i in range(30):
        task = make_task(cast.plan, f"任务{i}", cast.caizheng, cast.area, status=TaskStatus.RETURNED)
        Milestone.objects.create(task=task, title="节点", due_date=dt.date(2026, 12, 1), duration_days=2)
    many = list(Task.objects.filter(plan=cast.plan))
    with CaptureQueriesContext(connection) as short:
        healths_of(few, {}, TODAY)
    with CaptureQueriesContext(connection) as long:
        healths_of(many, {}, TODAY)
    assert len(short) == len(long) <= 4


# --- Unit ranks ---------------------------------------------------------------------------------


def test_a_units_page_gives_its_rank_in_the_list(cast, frozen_today):
    from luoshi.scoring.actions import post_scores, scores_by_unit

    Task.objects.filter(pk=cast.measure.pk).update(deadline=dt.date(2026, 11, 10))  # 财政局 loses points
    frozen_today(dt.date(2026, 11, 16))
    report_progress(cast.jingfa_staff, cast.jingfa_task, percent=100, narrative="完成", files=[evidence()])
    actions.request_closing(cast.jingfa_manager, cast.jingfa_task)
    actions.sign_off(cast.supervisor, cast.jingfa_task)  # 经发局 earns points
    frozen_today(TODAY)
    post_scores(cast.plan, until=TODAY)
    ranks = {s.id: s.rank for s in scores_by_unit(cast.plan.period_start, TODAY, plan=cast.plan)}
    assert ranks[cast.caizheng.pk] > 1
    office = client_for(cast.supervisor)
    for unit in Unit.objects.filter(pk__in=ranks):
        page = office.get(reverse("unit_detail", args=[unit.pk])).content.decode()
        assert f"排名第 {ranks[unit.pk]}" in page, unit.name


def test_the_task_page_and_the_api_tell_what_a_linked_indicators_forecast_says(cast):
    from luoshi.indicators.models import Indicator, IndicatorActual, IndicatorTarget

    indicator = Indicator.objects.create(
        plan=cast.plan, owner_unit=cast.caizheng, name="新增高新技术企业", unit="家", task=cast.measure
    )
    for year, value in ((2023, 10), (2024, 11), (2025, 12)):
        IndicatorActual.objects.create(indicator=indicator, period_end=dt.date(year, 12, 31), value=value)
    IndicatorTarget.objects.create(indicator=indicator, due_date=dt.date(2027, 12, 31), value=100)
    office = client_for(cast.supervisor)
    page = office.get(reverse("task_detail", args=[cast.measure.pk])).content.decode()
    assert "指标“新增高新技术企业”2027-12-31预计完不成：预测 14家，目标 ≥ 100家" in page
    rows = office.get(f"/api/tasks?plan={cast.plan.pk}").json()["items"]
    assert any(
        "新增高新技术企业" in r for r in next(t for t in rows if t["id"] == cast.measure.pk)["reasons"]
    )


def test_a_linked_relative_targets_reason_is_in_points_above_its_reference(cast):
    from luoshi.indicators.models import Indicator, IndicatorActual, IndicatorTarget, TargetKind

    province = Indicator.objects.create(plan=cast.plan, owner_unit=cast.caizheng, name="全省增速", unit="%")
    growth = Indicator.objects.create(
        plan=cast.plan, owner_unit=cast.caizheng, name="园区增速", unit="%", task=cast.measure
    )
    for year, ours, theirs in ((2023, 7.0, 6.0), (2024, 7.5, 6.5), (2025, 8.0, 7.0)):
        IndicatorActual.objects.create(indicator=growth, period_end=dt.date(year, 12, 31), value=ours)
        IndicatorActual.objects.create(indicator=province, period_end=dt.date(year, 12, 31), value=theirs)
    IndicatorTarget.objects.create(
        indicator=growth,
        due_date=dt.date(2027, 12, 31),
        kind=TargetKind.RELATIVE,
        value=2.5,
        reference_indicator=province,
    )
    page = client_for(cast.supervisor).get(reverse("task_detail", args=[cast.measure.pk])).content.decode()
    # the margin holds at 1 point against a target of 2.5 points above the province: said in points, not as 1 and 2.5
    assert "预测 高于参照 1 个百分点，目标 ≥ 高于参照 2.5 个百分点" in page

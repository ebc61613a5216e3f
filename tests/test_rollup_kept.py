"""The stored rollup (`Task.rolled_up`) always equals a recomputation from the facts, whatever the actions.

Random sequences of the actions that change a rollup — split (a draft), 交办, report, 申请办结 and
办结, 退回, a weight change, deleting a draft — on the cast's plan; after every step the stored figure
of every task equals `scratch_progress`, and the pages read only the stored figures.
"""

import datetime as dt
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.plans import actions
from luoshi.plans.models import Task, TaskStatus
from luoshi.plans.rollup import (
    SAME,
    plan_progress,
    progress_of,
    progress_of_plan,
    refresh_rollups,
    scratch_progress,
    stale_rollups,
)
from luoshi.progress.actions import latest_percent, report_progress
from tests.cast import make_task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


STEPS = 60


def evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("材料.txt", "佐证".encode(), content_type="text/plain")


class Run:
    """One random sequence of actions by the people who may take them."""

    def __init__(self, cast, rng: random.Random) -> None:
        self.cast, self.rng = cast, rng
        for task in (cast.key, cast.measure):  # the cast's 财政局 tasks, reportable from the start
            Task.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS)

    def tasks(self, *statuses: str) -> list[Task]:
        found = Task.objects.filter(plan=self.cast.plan, lead_unit=self.cast.caizheng)
        return list(found.filter(status__in=statuses) if statuses else found)

    def step(self) -> str:
        moves = [
            self.split,
            self.assign,
            self.report,
            self.report,
            self.report,
            self.close,
            self.give_back,
            self.reweigh,
            self.delete_draft,
        ]
        return self.rng.choice(moves)()

    def split(self) -> str:
        parent = self.rng.choice(self.tasks() or [self.cast.key])
        child = actions.create_task(
            self.cast.supervisor,
            plan=self.cast.plan,
            parent=parent,
            title="分解任务",
            lead_unit=self.cast.caizheng,
            weight=self.rng.choice([0.5, 1, 2, 3]),
        )
        return f"split {parent.pk} → {child.pk}"

    def assign(self) -> str:
        drafts = self.tasks(TaskStatus.DRAFT)
        if not drafts:
            return "no draft"
        task = self.rng.choice(drafts)
        actions.assign_task(self.cast.supervisor, task)
        actions.acknowledge_task(self.cast.caizheng_manager, task)
        return f"assign {task.pk}"

    def report(self) -> str:
        open_ = self.tasks(TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED)
        if not open_:
            return "nothing open"
        task = self.rng.choice(open_)
        percent = self.rng.randint(0, 100)
        previous = latest_percent(task)
        reason = "调整口径" if previous is not None and percent < previous else ""
        day = dt.date(2026, 11, self.rng.randint(1, 27))  # not always the latest date: order by day, then id
        report_progress(
            self.cast.caizheng_staff,
            task,
            percent=percent,
            narrative="进展",
            reason=reason,
            reported_on=day,
            files=[evidence()],
        )
        return f"report {task.pk} {percent}% on {day}"

    def close(self) -> str:
        ready = [t for t in self.tasks(TaskStatus.IN_PROGRESS, TaskStatus.RETURNED) if t.reports.exists()]
        if not ready:
            return "nothing to close"
        task = self.rng.choice(ready)
        actions.request_closing(self.cast.caizheng_manager, task, note="已完成")
        actions.sign_off(self.cast.supervisor, Task.objects.get(pk=task.pk))
        return f"close {task.pk}"

    def give_back(self) -> str:
        ready = [t for t in self.tasks(TaskStatus.IN_PROGRESS) if t.reports.exists()]
        if not ready:
            return "nothing to return"
        task = self.rng.choice(ready)
        actions.request_closing(self.cast.caizheng_manager, task, note="已完成")
        actions.return_task(self.cast.supervisor, Task.objects.get(pk=task.pk), note="材料不全")
        return f"return {task.pk}"

    def reweigh(self) -> str:
        open_ = [t for t in self.tasks() if t.status != TaskStatus.CLOSED]
        if not open_:
            return "nothing to reweigh"
        task = self.rng.choice(open_)
        weight = self.rng.choice([0.5, 1, 2, 5])
        actions.update_task(
            self.cast.supervisor, task, expected_version=task.version, changes={"weight": weight}
        )
        return f"reweigh {task.pk} {weight}"

    def delete_draft(self) -> str:
        drafts = [
            t
            for t in self.tasks(TaskStatus.DRAFT)
            if not Task.objects.subtree([t.pk]).exclude(status=TaskStatus.DRAFT).exists()
        ]
        if not drafts:
            return "no draft to delete"
        task = self.rng.choice(drafts)
        actions.delete_task(self.cast.supervisor, task)
        return f"delete {task.pk}"


@pytest.mark.parametrize("seed", range(6))
def test_stored_rollups_equal_a_recomputation_after_every_action(cast, seed):
    run = Run(cast, random.Random(seed))
    done = []
    for _ in range(STEPS):
        done.append(run.step())
        assert stale_rollups(Task.objects.filter(plan=cast.plan)) == {}, done
    figures = scratch_progress(Task.objects.filter(plan=cast.plan))
    assert progress_of_plan(cast.plan.pk) == {pk: round(v, 1) for pk, v in figures.items()}
    assert any(v not in (0, 100) for v in figures.values())  # the run did move figures


def test_a_figure_read_from_scratch_for_a_past_day_ignores_later_facts(cast, frozen_today):
    Task.objects.filter(pk=cast.measure.pk).update(status=TaskStatus.IN_PROGRESS)
    report_progress(
        cast.caizheng_staff, cast.measure, percent=40, narrative="进展", reported_on=dt.date(2026, 11, 2)
    )
    frozen_today(dt.date(2026, 12, 3))
    report_progress(
        cast.caizheng_staff, cast.measure, percent=90, narrative="进展", reported_on=dt.date(2026, 12, 2)
    )
    assert progress_of([cast.key.pk]) == {cast.key.pk: 90}
    assert progress_of([cast.key.pk], as_of=dt.date(2026, 11, 30)) == {cast.key.pk: 40}
    assert plan_progress(cast.plan.pk, as_of=dt.date(2026, 11, 30)) == pytest.approx(20)  # (40 + 0) / 2
    assert plan_progress(cast.plan.pk) == pytest.approx(45)


def test_reading_stored_figures_costs_one_query_whatever_the_plan(cast):
    for i in range(40):
        make_task(cast.plan, f"工作{i}", cast.jingfa, cast.jingfa_task)
    with CaptureQueriesContext(connection) as queries:
        progress_of_plan(cast.plan.pk)
        progress_of([cast.area.pk, cast.key.pk])
    assert len(queries) == 2


def test_a_refresh_touches_only_the_chain_above_the_change(cast):
    leaves = [make_task(cast.plan, f"工作{i}", cast.caizheng, cast.measure) for i in range(30)]
    refresh_rollups([leaves[0].pk])
    with CaptureQueriesContext(connection) as queries:
        refresh_rollups([leaves[1].pk])
    assert len(queries) <= 4


def test_check_rollups_finds_and_fixes_a_figure_written_around_the_actions(cast, capsys):
    Task.objects.filter(pk=cast.measure.pk).update(status=TaskStatus.CLOSED)  # a bulk load, not an action
    with pytest.raises(CommandError, match="3 项任务"):  # the measure, its key task and the area
        call_command("check_rollups")
    call_command("check_rollups", "--fix")
    assert abs(Task.objects.get(pk=cast.key.pk).rolled_up - 100) < SAME
    assert abs(Task.objects.get(pk=cast.area.pk).rolled_up - 50) < SAME
    call_command("check_rollups")  # agrees now
    assert "0 项汇总进度不一致" in capsys.readouterr().out

"""The provincial-scale benchmark (bench/scale.py) as a smoke test at size S: every page and job runs
on a bulk-generated plan, and every answer that has a hand-written SQL baseline agrees with it.
Nothing here is about time."""

from bench.scale_data import SIZES, generate
from bench.scale_jobs import run_jobs
from luoshi.plans.models import Task
from luoshi.progress.models import ProgressReport

JOBS = {"cockpit", "cockpit task figures", "tree first screen", "whole-plan rollup", "rollup from scratch", "plan API", "my tasks", "task page",
        "list API first page", "subtree JSON", "subtree Gantt", "bulletin draft"}
WITH_BASELINE = {"whole-plan rollup", "rollup from scratch", "plan API", "list API first page", "subtree JSON"}


def test_the_scale_benchmark_runs_at_s_and_its_answers_equal_the_hand_written_sqls(db):
    generated = generate(SIZES["S"])
    assert Task.objects.filter(plan_id=generated.plan_id).count() == 1_000
    assert ProgressReport.objects.count() == 10_000
    measures = {m.job: m for m in run_jobs(generated, repeat=0)}
    assert set(measures) == JOBS
    assert {name for name, m in measures.items() if m.agrees is not None} == WITH_BASELINE
    assert all(measures[name].agrees for name in WITH_BASELINE)
    assert all(m.queries > 0 and m.runs == 1 for m in measures.values())
    assert measures["subtree JSON"].detail["tasks"] > 100

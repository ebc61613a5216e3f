"""The provincial-scale benchmark (bench/scale.py) as a smoke test at size S: every page and job runs
on a bulk-generated plan, and every answer that has a hand-written SQL baseline agrees with it.
Nothing here is about time."""

from bench.scale_data import SIZES, generate
from bench.scale_jobs import run_jobs
from luoshi.core import clock
from luoshi.plans.models import Plan, Task
from luoshi.progress.models import ProgressReport
from luoshi.scoring.actions import expected_postings, post_scores
from luoshi.scoring.models import ScoreEntry

JOBS = {
    "cockpit",
    "cockpit task figures",
    "tree first screen",
    "whole-plan rollup",
    "rollup from scratch",
    "plan API",
    "my tasks",
    "task page",
    "list API first page",
    "subtree JSON",
    "subtree Gantt",
    "score ledger, first posting",
    "bulletin draft",
    "score ranking",
}
WITH_BASELINE = {
    "whole-plan rollup",
    "rollup from scratch",
    "plan API",
    "list API first page",
    "subtree JSON",
    "score ranking",
}


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
    # The ledger the drafts posted incrementally is the one posting from scratch calls for.
    today = clock.today()
    post_scores(Plan.objects.get(pk=generated.plan_id), today)
    posted = ScoreEntry.objects.filter(plan_id=generated.plan_id, occurred_on__lte=today)
    expected = expected_postings(Plan.objects.get(pk=generated.plan_id), today)
    assert sorted(posted.values_list("key", "points")) == sorted((p.key, p.points) for p in expected)
    assert posted.filter(reason="overdue_day").count() > 1_000

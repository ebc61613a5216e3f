"""The provincial-scale benchmark (bench/scale.py) as a smoke test at size S: every page and job runs
on a bulk-generated plan, and every answer that has a hand-written SQL baseline agrees with it.
No test here judges a time; the last ones check how a figure taken while the host ran slow is taken again."""

import time

from bench import scale_jobs
from bench.host_pace import Host
from bench.scale_data import SIZES, generate
from bench.scale_jobs import run_jobs, timed_at_pace
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


class ScriptedHost(Host):
    """A host whose pace is read from a script: one figure for each run timed (its slower probe's)."""

    def __init__(self, paces: list[float], quick_moments: bool = True) -> None:
        self.quickest, self.paces, self.quick_moments = 1.0, list(paces), quick_moments

    def pace(self, seconds: float) -> float:
        return self.paces.pop(0)

    def wait_until_quick(self, seconds: float = 0) -> bool:
        return self.quick_moments  # a quick moment came at once, or none in the time allowed


def sleeper(durations: list[float]):
    """A job that sleeps for the next of `durations` on each call."""
    left = iter(durations)
    return lambda: time.sleep(next(left))


def test_a_goals_figure_is_the_median_of_runs_with_the_host_quick_before_and_after_gathered_over_attempts():
    # Two attempts of a warming run and two more; the host slow beside the first run of each.
    job = sleeper([0, 0.25, 0.001, 0, 0.25, 0.001])
    timing, attempts = timed_at_pace(job, 2, ScriptedHost([1.6, 1.05, 1.3, 1.1]))
    assert [a["quick"] for a in attempts] == [1, 1]  # one quick run was not enough: the job was taken again
    assert timing.runs == 2 and timing.seconds < 0.1  # the two quick runs; the slow ones left out
    assert len(timing.run_seconds) == len(timing.run_probes) == 2


def test_a_host_that_stays_slow_gets_a_bounded_number_of_attempts_and_the_least_slow_is_kept():
    calls = iter(range(100))
    timing, attempts = timed_at_pace(lambda: next(calls), 1, ScriptedHost([1.9, 1.4, 1.7, 1.5, 1.2]))
    assert [a["pace"] for a in attempts] == [1.9, 1.4, 1.7, 1.5]  # the first and AGAIN more
    assert len(attempts) == 1 + scale_jobs.AGAIN and not any(a["quick"] for a in attempts)
    assert timing.answer == 3  # the second timing (pace 1.4): its warming run and one more


def test_a_job_of_seconds_run_once_is_taken_again_until_one_run_is_quick(monkeypatch):
    monkeypatch.setattr(scale_jobs, "REPEAT_BELOW_SECONDS", 0.0)  # every job counts as one of seconds
    timing, attempts = timed_at_pace(sleeper([0.25, 0.001]), 9, ScriptedHost([1.9, 1.1]))
    assert [a["quick"] for a in attempts] == [0, 1]  # the bulletin: one run per attempt
    assert timing.runs == 1 and timing.seconds < 0.1


def test_a_job_no_goal_judges_or_a_host_with_no_quick_moment_is_not_taken_again():
    _timing, attempts = timed_at_pace(lambda: None, 3, ScriptedHost([1.9] * 3), retake=False)
    assert len(attempts) == 1  # no goal is judged on its time: its pace is printed, that is all
    # A host with no quick moment in the wait allowed: the figure stands, with its pace.
    _timing, attempts = timed_at_pace(lambda: None, 3, ScriptedHost([1.9] * 3, quick_moments=False))
    assert len(attempts) == 1


def test_the_host_is_found_quick_or_not_by_its_probe():
    host = Host()
    assert host.quickest > 0
    host.quickest = 1.0  # a probe of a second is far slower than any real one: quick at the first probe
    assert host.wait_until_quick(seconds=5)
    assert host.quickest < 1.0  # and the quickest probe learnt from it
    host.quickest = 1e-9  # no probe runs that fast
    started = time.monotonic()
    assert not host.wait_until_quick(seconds=0.5)
    assert time.monotonic() - started < 5

"""The pages and jobs of issue 13, each measured on a generated plan, with hand-written SQL for the same
answer where the issue asks for a ratio.

A page is requested through Django's whole stack in this process (`django.test.Client`: middleware,
view, template; no network), so its time is the server's time. For each job: wall time, SQL queries
(counted by an execute wrapper, nothing kept), and the peak resident memory of this process while the
job ran (Linux: the high-water mark is reset before each job through /proc/self/clear_refs).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import statistics
import time
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.host_pace import AGAIN, SLOW_HOST, Host, probe
from bench.scale_data import TOKEN, Generated
from luoshi.bulletins.actions import draft_bulletin
from luoshi.bulletins.compose import parse_period
from luoshi.cockpit.figures import task_figures
from luoshi.core import clock
from luoshi.orgs.models import Person
from luoshi.plans.models import Plan, Task
from luoshi.plans.rollup import progress_of_plan
from luoshi.scoring.actions import post_scores, scores_by_unit

#: A job faster than this is run again `repeat` times after a first (warming) run, and the median counts.
REPEAT_BELOW_SECONDS = 2.0
HOST = "127.0.0.1"


@dataclass
class Measure:
    job: str
    seconds: float
    cpu_seconds: float  # of this process: the rest of `seconds` is spent waiting, mostly on the database
    queries: int
    peak_mb: float | None
    runs: int
    baseline_seconds: float | None = None
    agrees: bool | None = None  # the answer equals the hand-written SQL's
    detail: dict = field(default_factory=dict)
    probe_seconds: float | None = None  # the host probe's median time beside the kept runs
    # Each attempt as {seconds, pace}: more than one when a goal's figure was taken while the host ran slow.
    attempts: list[dict] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.baseline_seconds if self.baseline_seconds else None

    def as_json(self) -> dict:
        return {**asdict(self), "ratio": round(self.ratio, 2) if self.ratio else None}


class QueryCounter:
    """Counts the SQL statements the job sends, keeping none of them."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


# --- Timing ------------------------------------------------------------------------------------------


class Timing(NamedTuple):
    queries: int  # of one run
    peak_mb: float | None
    answer: object  # of the last run
    # The runs kept (after the warming one, or the warming one when it is the only one): each one's seconds,
    # CPU seconds of this process, and the slower of the two probes timed just before and just after it — a run
    # counts as quick only if the host was quick on both sides.
    run_seconds: tuple[float, ...]
    run_cpu: tuple[float, ...]
    run_probes: tuple[float, ...]

    @property
    def seconds(self) -> float:
        return statistics.median(self.run_seconds)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(self.run_cpu)

    @property
    def runs(self) -> int:
        return len(self.run_seconds)

    @property
    def probe_seconds(self) -> float:
        return statistics.median(self.run_probes)


def timed(fn: Callable[[], object], repeat: int) -> Timing:
    """Run `fn` once to warm, then `repeat` times more unless the first run took REPEAT_BELOW_SECONDS or more,
    with the host probe timed before the first run and after each."""
    times: list[float] = []
    cpu: list[float] = []
    probes: list[float] = [probe()]
    peak: float | None = None
    counter = QueryCounter()
    answer = None
    for run in range(1 + repeat):
        counter.count = 0
        _reset_peak()
        started, cpu_started = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(counter):
            answer = fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        probes.append(probe())
        run_peak = _peak_mb()
        peak = run_peak if peak is None or run_peak is None else max(peak, run_peak)
        if run == 0 and times[0] >= REPEAT_BELOW_SECONDS:
            break
    beside = [max(before, after) for before, after in itertools.pairwise(probes)]
    kept = slice(1, None) if len(times) > 1 else slice(None)
    return Timing(counter.count, peak, answer, tuple(times[kept]), tuple(cpu[kept]), tuple(beside[kept]))


def timed_at_pace(
    fn: Callable[[], object], repeat: int, host: Host, retake: bool = True
) -> tuple[Timing, list[dict[str, float]]]:
    """`timed`, and for a job whose figure a goal judges (`retake`): its figure taken from quick runs only —
    runs with the host quick (within SLOW_HOST of its quickest probe) both just before and just after them —
    gathered over attempts, each next one once a probe finds the host quick, until there are as many quick
    runs as an attempt makes (`repeat`, or one for a job of seconds) or AGAIN more attempts were made. With
    no quick run at all, the attempt at the quickest pace is kept. Returns the timing kept and every attempt
    as {seconds, pace, quick} (pace: the attempt's median against the quickest probe seen by then; quick: its
    quick runs)."""
    attempts: list[tuple[float, Timing]] = []
    record: list[dict[str, float]] = []
    quick: list[tuple[float, float, float]] = []  # (seconds, CPU seconds, probe) of the quick runs
    while True:
        timing = timed(fn, repeat)
        paces = [host.pace(p) for p in timing.run_probes]
        pace = statistics.median(paces)
        attempts.append((pace, timing))
        runs = zip(timing.run_seconds, timing.run_cpu, timing.run_probes, paces, strict=True)
        found = [(s, c, p) for s, c, p, run_pace in runs if run_pace <= SLOW_HOST]
        quick += found
        record.append({"seconds": timing.seconds, "pace": round(pace, 2), "quick": len(found)})
        enough = len(quick) >= len(attempts[0][1].run_seconds)  # as many as one attempt's runs
        if not retake or enough or len(attempts) > AGAIN or not host.wait_until_quick():
            break
    if retake and quick:
        seconds, cpu, probes = zip(*quick, strict=True)
        kept = attempts[-1][1]._replace(run_seconds=seconds, run_cpu=cpu, run_probes=probes)
    else:
        kept = min(attempts, key=lambda a: a[0])[1]
    return kept, record


# --- Hand-written SQL: the same answers, written for speed ------------------------------------------

BASELINE_ROLLUP = """
WITH RECURSIVE
siblings(parent_id, total) AS (
    SELECT parent_id, SUM(weight) FROM plans_task WHERE plan_id = %s AND parent_id IS NOT NULL GROUP BY parent_id),
part(id, parent_id, share) AS (
    SELECT t.id, t.parent_id, t.weight / s.total FROM plans_task t JOIN siblings s ON s.parent_id = t.parent_id),
leaf(id, value) AS MATERIALIZED (
    SELECT t.id, CASE WHEN t.status = 'closed' THEN 100 ELSE COALESCE(
        (SELECT r.percent FROM progress_progressreport r WHERE r.task_id = t.id
         ORDER BY r.reported_on DESC, r.id DESC LIMIT 1), 0) END
    FROM plans_task t WHERE t.plan_id = %s AND NOT EXISTS (SELECT 1 FROM plans_task k WHERE k.parent_id = t.id)),
walk(ancestor_id, task_id, share) AS (
    SELECT id, id, CAST(1 AS DOUBLE PRECISION) FROM plans_task WHERE plan_id = %s
    UNION ALL
    SELECT w.ancestor_id, p.id, w.share * p.share FROM walk w JOIN part p ON p.parent_id = w.task_id)
SELECT w.ancestor_id, SUM(w.share * l.value) FROM walk w JOIN leaf l ON l.id = w.task_id GROUP BY w.ancestor_id
"""


def baseline_rollup(plan_id: int) -> dict[int, float]:
    """Every task's rolled-up progress: sibling sums and each leaf's latest report computed once
    (MATERIALIZED keeps PostgreSQL from inlining the leaves into the walk, which would look the latest
    report up once per ancestor again)."""
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_ROLLUP, [plan_id] * 3)
        return {int(pk): round(float(value or 0), 1) for pk, value in cursor.fetchall()}


def baseline_plan_progress(plan_id: int, rollup: dict[int, float]) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, weight FROM plans_task WHERE plan_id = %s AND parent_id IS NULL", [plan_id]
        )
        roots = cursor.fetchall()
    return round(sum(rollup[pk] * w for pk, w in roots) / sum(w for _, w in roots), 1)


def baseline_first_page(plan_id: int) -> tuple[list[int], int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM plans_task WHERE plan_id = %s ORDER BY deadline, id LIMIT 50", [plan_id]
        )
        ids = [int(r[0]) for r in cursor.fetchall()]
        cursor.execute("SELECT COUNT(*) FROM plans_task WHERE plan_id = %s", [plan_id])
        return ids, int(cursor.fetchone()[0])


def baseline_subtree(root_id: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE sub(id) AS (SELECT id FROM plans_task WHERE id = %s"
            " UNION ALL SELECT t.id FROM plans_task t JOIN sub ON t.parent_id = sub.id) SELECT id FROM sub",
            [root_id],
        )
        return sorted(int(r[0]) for r in cursor.fetchall())


def baseline_score_ranking(plan_id: int, start: dt.date, end: dt.date) -> dict[int, float]:
    """Each unit's points in the period: one GROUP BY over the ledger."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, SUM(points) FROM supervision_scoreentry"
            " WHERE plan_id = %s AND occurred_on BETWEEN %s AND %s GROUP BY unit_id",
            [plan_id, start, end],
        )
        return {int(unit): float(points) for unit, points in cursor.fetchall()}


def _close(a: dict[int, float], b: dict[int, float]) -> bool:
    """Equal keys, values within rounding (the last digit may differ by summation order)."""
    return a.keys() == b.keys() and all(abs(a[k] - b[k]) <= 0.11 for k in a)


# --- The jobs -----------------------------------------------------------------------------------------


def subtree_root(plan_id: int, around: int = 2000) -> tuple[int, int]:
    """The task whose subtree size is nearest `around`, and that size."""
    parents = dict(Task.objects.filter(plan_id=plan_id).values_list("id", "parent_id"))
    size = dict.fromkeys(parents, 1)
    depth_of: dict[int, int] = {}

    def depth(pk: int) -> int:
        if pk not in depth_of:
            parent = parents[pk]
            depth_of[pk] = 0 if parent is None else depth(parent) + 1
        return depth_of[pk]

    for pk in sorted(parents, key=depth, reverse=True):
        if parents[pk] is not None:
            size[parents[pk]] += size[pk]
    best = min(size, key=lambda pk: (abs(size[pk] - around), pk))
    return best, size[best]


def _page(client: Client, url: str) -> Callable[[], bytes]:
    def get() -> bytes:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content

    return get


def job_functions(gen: Generated) -> dict[str, Callable[[], object]]:
    """Each job as a function of no arguments: a page as the person who looks at it, or a call."""
    plan_id = gen.plan_id
    supervisor = Client(HTTP_HOST=HOST)
    supervisor.force_login(Person.objects.get(username=gen.supervisor))
    staff = Client(HTTP_HOST=HOST)
    staff.force_login(Person.objects.get(username=gen.staff))
    program = Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    plan_q = f"?plan={plan_id}"
    sub_id, _size = subtree_root(plan_id)
    plan = Plan.objects.get(pk=plan_id)
    person = Person.objects.get(username=gen.supervisor)
    month = clock.today().replace(day=1) - dt.timedelta(days=1)

    def bulletin() -> bytes:
        """Draft the last month's bulletin and open its page, as the supervision office does."""
        made = draft_bulletin(person, plan=plan, period=parse_period(f"{month:%Y-%m}"))
        return _page(supervisor, reverse("bulletin_detail", args=[made.pk]))()

    return {
        "cockpit": _page(supervisor, reverse("cockpit") + plan_q),
        "tree first screen": _page(supervisor, reverse("task_list") + plan_q),
        "cockpit task figures": lambda: task_figures(person, plan, clock.today()),
        "whole-plan rollup": lambda: progress_of_plan(plan_id),
        "rollup from scratch": lambda: progress_of_plan(plan_id, as_of=clock.today()),
        "plan API": _page(program, f"/api/plans/{plan_id}"),
        "my tasks": _page(staff, reverse("my_tasks")),
        "task page": _page(supervisor, reverse("task_detail", args=[gen.key_task_id])),
        "list API first page": _page(program, f"/api/tasks?plan={plan_id}"),
        "subtree JSON": _page(program, f"/api/tasks/{sub_id}/subtree"),
        "subtree Gantt": _page(supervisor, reverse("gantt") + plan_q + f"&root={gen.key_task_id}"),
        "score ledger, first posting": lambda: post_scores(plan),
        # The cockpit's unit ranking: every unit's points since the plan began, from the whole ledger.
        "score ranking": lambda: scores_by_unit(plan.period_start, clock.today(), plan=plan),
        "bulletin draft": bulletin,
    }


def run_jobs(
    gen: Generated,
    repeat: int = 5,
    jobs: set[str] | None = None,
    measured: Callable[[list[Measure]], None] | None = None,
    host: Host | None = None,
    retake: Collection[str] = (),
) -> list[Measure]:
    """Measure every job (or those named) on the generated plan; `measured(so_far)` is called after each.
    The jobs named in `retake` (those a goal is judged on) are measured again while the host runs slow."""
    plan_id = gen.plan_id
    fns = job_functions(gen)
    sub_id, sub_size = subtree_root(plan_id)
    host = host or Host()
    out: list[Measure] = []

    def wanted(name: str) -> bool:
        return jobs is None or name in jobs

    def add(name: str, once: bool = False, **detail) -> object:
        t, attempts = timed_at_pace(fns[name], 0 if once else repeat, host, name in retake)
        if isinstance(t.answer, bytes):
            detail["bytes"] = len(t.answer)
        out.append(
            Measure(
                name,
                t.seconds,
                t.cpu_seconds,
                t.queries,
                t.peak_mb,
                t.runs,
                detail=detail,
                probe_seconds=t.probe_seconds,
                attempts=attempts,
            )
        )
        if measured is not None:
            measured(out)
        return t.answer

    def compare(measure: Measure, baseline: Callable[[], object], agrees: Callable[[object], bool]) -> None:
        t = timed(baseline, repeat)
        measure.baseline_seconds, measure.agrees = t.seconds, agrees(t.answer)
        if measured is not None:
            measured(out)

    if wanted("cockpit"):
        add("cockpit")
    if wanted("cockpit task figures"):
        add("cockpit task figures")  # the cockpit's lights, counts and plan progress, without its charts
    if wanted("tree first screen"):
        add("tree first screen")
    # The rollup and its baseline: the baseline's answers also check the API's figures below.
    rollup_base = baseline_rollup(plan_id)
    if wanted("whole-plan rollup"):
        answer = add("whole-plan rollup", rows=len(rollup_base))
        compare(out[-1], lambda: baseline_rollup(plan_id), lambda expected: _close(answer, expected))
    if wanted("rollup from scratch"):  # what a past day (as_of) and luoshi check-rollups compute
        answer = add("rollup from scratch", rows=len(rollup_base))
        compare(out[-1], lambda: baseline_rollup(plan_id), lambda expected: _close(answer, expected))
    if wanted("plan API"):
        progress = json.loads(add("plan API"))["progress"]
        compare(
            out[-1],
            lambda: baseline_plan_progress(plan_id, baseline_rollup(plan_id)),
            lambda expected: abs(expected - progress) <= 0.11,
        )
    if wanted("my tasks"):
        add("my tasks", unit=gen.staff_unit_id)
    if wanted("task page"):
        add("task page")
    if wanted("list API first page"):
        got = json.loads(add("list API first page"))

        def agrees(expected) -> bool:
            ids, count = expected
            return (
                [i["id"] for i in got["items"]] == ids
                and got["count"] == count
                and all(abs(i["progress"] - rollup_base[i["id"]]) <= 0.11 for i in got["items"])
            )

        compare(out[-1], lambda: baseline_first_page(plan_id), agrees)
    if wanted("subtree JSON"):
        got = json.loads(add("subtree JSON", tasks=sub_size))
        compare(
            out[-1],
            lambda: baseline_subtree(sub_id),
            lambda expected: (
                sorted(i["id"] for i in got["tasks"]) == expected
                and all(abs(i["progress"] - rollup_base[i["id"]]) <= 0.11 for i in got["tasks"])
            ),
        )
    if wanted("subtree Gantt"):
        add("subtree Gantt")
    if wanted("bulletin draft"):
        # The worker's daily scan keeps the ledger posted; a plan loaded in bulk is posted once first, as it does.
        add("score ledger, first posting", once=True)  # once: a second posting has nothing to do
        add("bulletin draft")
    if wanted("score ranking"):
        plan = Plan.objects.get(pk=plan_id)
        got = {
            score.id: float(score.total)
            for score in add("score ranking", since=plan.period_start.isoformat())
        }
        compare(
            out[-1],
            lambda: baseline_score_ranking(plan_id, plan.period_start, clock.today()),
            lambda expected: expected == got and len(got) > 0,
        )
    return out

"""Provincial scale (issue 13): generate plans of S, M and L size in bulk, measure each page and job,
and print pass/fail against each goal of the issue.

    .venv/bin/python bench/scale.py                                   # SQLite S, M; PostgreSQL S, M, L
    .venv/bin/python bench/scale.py --sizes S M --databases sqlite    # a part of it
    .venv/bin/python bench/scale.py --json scale.json                 # also write every figure as JSON

Each (database, size) runs in a fresh process on a fresh database: SQLite in a temporary folder,
PostgreSQL in the database named by --postgres (dropped and created again; its name must contain
"bench"). Generated data never touches the working tree. See bench/README.md, section "Scale".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.host_pace import SLOW_HOST, Host  # noqa: E402  (after the path: bench/ is not installed)

#: Sizes each database is measured at (the issue measures SQLite up to M).
PLAN = {"sqlite": ["S", "M"], "postgres": ["S", "M", "L"]}
PAGES_UNDER_300_MS = [
    "cockpit",
    "cockpit task figures",
    "tree first screen",
    "my tasks",
    "task page",
    "list API first page",
]
#: Jobs that post the score ledger, in chunks of 500 tasks so that their memory stays flat and each
#: transaction short (a bulletin draft first posts the ledger as of its period's end): a few statements
#: per chunk with work, by design, so their counts grow with the plan; the query-count goal is about the
#: others.
CHUNKED = {"score ledger, first posting", "bulletin draft"}
#: The jobs whose time a goal judges, by (database, size): measured again while the host runs slow.
GOAL_JOBS = {
    ("postgres", "L"): [*PAGES_UNDER_300_MS, "bulletin draft"],
    ("sqlite", "M"): ["tree first screen", "subtree JSON"],
}


def _one(
    size: str,
    result: Path,
    repeat: int,
    jobs: list[str] | None,
    reuse: bool,
    quickest: float | None,
    retake: list[str],
) -> None:
    """In a child process: migrate the fresh database, generate, measure, write the result."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    django.setup()
    from django.core.management import call_command

    from bench.scale_data import SIZES, find_generated, generate
    from bench.scale_jobs import run_jobs

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generated = find_generated() if reuse else generate(SIZES[size])
    seconds = None if reuse else time.perf_counter() - started  # None: reused, not generated
    host = Host(quickest)

    def write(measures) -> None:  # after each job, so that a job that fails leaves the others' figures
        result.write_text(
            json.dumps(
                {
                    "generate_seconds": None if seconds is None else round(seconds, 1),
                    "rows": generated.counts,
                    "quickest_probe": host.quickest,
                    "jobs": [m.as_json() for m in measures],
                },
                ensure_ascii=False,
            )
        )

    write([])
    run_jobs(
        generated, repeat=repeat, jobs=set(jobs) if jobs else None, measured=write, host=host, retake=retake
    )


def _fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop database {name!r}: its name must contain 'bench'")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def run(
    database: str,
    size: str,
    postgres: str,
    repeat: int,
    jobs: list[str] | None,
    reuse: bool,
    host: Host,
) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"luoshi-scale-{database}-{size}-") as data:
        env = {**os.environ, "LUOSHI_DATA_DIR": data, "LUOSHI_DEBUG": "false"}
        (Path(data) / "static").mkdir()
        if database == "postgres":
            if not reuse:
                _fresh_postgres(postgres)
            env["LUOSHI_DATABASE_URL"] = postgres
        else:
            env["LUOSHI_DATABASE_URL"] = f"sqlite:///{data}/bench.sqlite3"
        result = Path(data) / "result.json"
        command = [sys.executable, __file__, "--one", size, "--result", str(result), "--repeat", str(repeat)]
        command += ["--quickest", repr(host.quickest)]
        if (database, size) in GOAL_JOBS:
            command += ["--retake", *GOAL_JOBS[database, size]]
        if jobs:
            command += ["--jobs", *jobs]
        if reuse:
            command.append("--reuse")
        done = subprocess.run(command, env=env, cwd=ROOT, preexec_fn=_limit_memory)
        if not result.exists():
            raise SystemExit(f"{database} {size}: the run failed before measuring anything")
        figures = json.loads(result.read_text())
        host.quickest = min(host.quickest, figures["quickest_probe"])
        if done.returncode:
            figures["failed"] = f"exit status {done.returncode} after {len(figures['jobs'])} jobs"
        return figures


#: The most memory (address space) a measuring process may take: a job past it fails with MemoryError
#: instead of pushing the machine's other work out of memory.
MEMORY_LIMIT_BYTES = 10 * 1024**3


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def _fmt(value, unit: str = "") -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    return f"{value}{unit}"


def _pace(job: dict, quickest: float) -> str:
    return f"{job['probe_seconds'] / quickest:.2f}×" if job.get("probe_seconds") else "–"


def print_run(database: str, size: str, result: dict, quickest: float) -> None:
    """The run's table; "host" is the host's pace beside the runs kept (1.00× = the quickest probe of this
    bench run), and a job taken again while the host ran slow lists its attempts below (quick: its runs with
    the host quick just before and just after)."""
    if result.get("failed"):
        print(f"\n{database} {size}: FAILED ({result['failed']}); the jobs measured before:")
    print(
        f"\n{database} {size}: "
        + (
            "reused"
            if result["generate_seconds"] is None
            else f"generated in {result['generate_seconds']} s ({result['rows'].get('plans_task', 0):,} tasks,"
            f" {result['rows'].get('progress_progressreport', 0):,} reports)"
        )
    )
    print(
        f"  {'job':<22}{'time':>10}{'our CPU':>10}{'baseline':>10}{'ratio':>8}{'queries':>9}{'peak MB':>9}{'runs':>5}"
        f"{'host':>7}  agrees  detail"
    )
    for job in result["jobs"]:
        agrees = {True: "yes", False: "NO", None: "–"}[job["agrees"]]
        detail = ", ".join(f"{k}={v}" for k, v in job["detail"].items())
        print(
            f"  {job['job']:<22}{_fmt(job['seconds'], 's'):>10}{_fmt(job.get('cpu_seconds'), 's'):>10}"
            f"{_fmt(job['baseline_seconds'], 's'):>10}{_fmt(job['ratio']):>8}{job['queries']:>9}{_fmt(job['peak_mb']):>9}{job['runs']:>5}"
            f"{_pace(job, quickest):>7}  {agrees:<7} {detail}"
        )
    for job in result["jobs"]:
        attempts = job.get("attempts", [])
        if len(attempts) > 1:
            tried = ", ".join(
                f"{_fmt(a['seconds'], 's')} at {a['pace']:.2f}× ({a.get('quick', 0)} quick)" for a in attempts
            )
            if not any(a.get("quick") for a in attempts):
                kept = "no run was quick: the quickest host's attempt"
            else:
                kept = (
                    f"the median of its {job['runs']} quick runs" if job["runs"] > 1 else "its one quick run"
                )
            print(f"  {job['job']}: taken again while the host ran slow: {tried}; kept {kept}")


def goals(results: dict[str, dict[str, dict]], quickest: float) -> list[dict]:
    """Each goal of the issue: pass, FAIL, or not run (its database or size was not measured). A timed
    goal names the host's pace when its figure was taken; a FAIL taken while the host ran slow says so."""

    def job(database: str, size: str, name: str) -> dict | None:
        run_ = results.get(database, {}).get(size)
        return next((j for j in run_["jobs"] if j["job"] == name), None) if run_ else None

    out: list[dict] = []

    def goal(text: str, value, passed: bool | None, timed: dict | None = None) -> None:
        if timed and timed.get("probe_seconds"):
            pace = timed["probe_seconds"] / quickest
            value += f" (host {pace:.2f}×{'' if passed or pace <= SLOW_HOST else ', slow: run it again'})"
        out.append(
            {
                "goal": text,
                "measured": value,
                "result": "not run" if passed is None else ("PASS" if passed else "FAIL"),
            }
        )

    for name in PAGES_UNDER_300_MS:
        j = job("postgres", "L", name)
        goal(f"L PostgreSQL: {name} ≤ 300 ms", _fmt(j and j["seconds"], "s"), j and j["seconds"] <= 0.3, j)
    j = job("postgres", "L", "whole-plan rollup")
    goal(
        "L PostgreSQL: whole-plan rollup ≤ 2× hand-written SQL",
        _fmt(j and j["ratio"], "×"),
        j and j["ratio"] <= 2,
    )
    j = job("postgres", "L", "bulletin draft")
    goal("L PostgreSQL: bulletin ≤ 30 s", _fmt(j and j["seconds"], "s"), j and j["seconds"] <= 30, j)
    goal(
        "L PostgreSQL: bulletin peak memory ≤ 500 MB",
        _fmt(j and j["peak_mb"], " MB"),
        j and j["peak_mb"] is not None and j["peak_mb"] <= 500,
    )
    pg = results.get("postgres", {})
    if all(s in pg for s in "SML"):
        differ = sorted(
            {
                j["job"]
                for s in "SML"
                for j in pg[s]["jobs"]
                if j["job"] not in CHUNKED
                and len({(job("postgres", t, j["job"]) or {}).get("queries") for t in "SML"}) > 1
            }
        )
        goal(
            "PostgreSQL: query counts the same at S, M and L (but the chunked jobs)",
            "differ: " + ", ".join(differ) if differ else "same",
            not differ,
        )
    else:
        goal("PostgreSQL: query counts the same at S, M and L (but the chunked jobs)", "–", None)
    gen = pg.get("L")
    goal(
        "L PostgreSQL: generated in under 3 minutes",
        _fmt(gen and gen["generate_seconds"], " s"),
        None if not gen or gen["generate_seconds"] is None else gen["generate_seconds"] < 180,
    )
    j = job("sqlite", "M", "tree first screen")
    goal(
        "M SQLite: tree page ≤ 35 ms (Redmine's issue list)",
        _fmt(j and j["seconds"], "s"),
        j and j["seconds"] <= 0.035,
        j,
    )
    j = job("sqlite", "M", "subtree JSON")
    goal(
        "M SQLite: subtree of ~2,000 tasks as JSON ≤ 100 ms",
        _fmt(j and j["seconds"], "s") + (f" ({j['detail'].get('tasks')} tasks)" if j else ""),
        j and j["seconds"] <= 0.1,
        j,
    )
    failed = [
        f"{d} {s}: {r['failed']}" for d, sizes in results.items() for s, r in sizes.items() if r.get("failed")
    ]
    goal("every job finished", "; ".join(failed) or "all finished", not failed)
    disagree = [
        f"{d} {s} {j['job']}"
        for d, sizes in results.items()
        for s, r in sizes.items()
        for j in r["jobs"]
        if j["agrees"] is False
    ]
    goal("every answer equals the hand-written SQL's", "; ".join(disagree) or "all agree", not disagree)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=["S", "M", "L"], default=["S", "M", "L"])
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/luoshi_bench",
        help="the PostgreSQL database to use (dropped and created again)",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs of a fast job after a warming run (median)"
    )
    parser.add_argument("--jobs", nargs="+", help="only these jobs (by name)")
    parser.add_argument("--json", type=Path, help="write every figure and the goals to this file")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the plan a PostgreSQL run left in the database again, without generating",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--quickest", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--retake", nargs="*", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one(args.one, args.result, args.repeat, args.jobs, args.reuse, args.quickest, args.retake)
        return
    host = Host()  # the host's quickest probe, handed to each run and lowered by what each run saw
    results: dict[str, dict[str, dict]] = {}
    for database in args.databases:
        for size in args.sizes:
            if size not in PLAN[database] or (args.reuse and database != "postgres"):
                continue
            results.setdefault(database, {})[size] = result = run(
                database, size, args.postgres, args.repeat, args.jobs, args.reuse, host
            )
            print_run(database, size, result, host.quickest)
    checked = goals(results, host.quickest)
    print(f"\nThe host's quickest probe in this run: {host.quickest * 1000:.1f} ms (a pace of 1.00×)")
    print("\nGoals of issue 13")
    for g in checked:
        print(f"  {g['result']:<8} {g['goal']}: {g['measured']}")
    report = {"results": results, "goals": checked, "quickest_probe": host.quickest}
    print("\nJSON")
    print(json.dumps(report, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

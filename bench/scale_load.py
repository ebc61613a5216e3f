"""The load test of issue 13: 50 people for 60 s against the M plan, 80% reads (the cockpit among them)
and 20% progress reports, with locust (headless) against `luoshi serve` on 127.0.0.1 only; afterwards
every report the server accepted is looked for in the database.

    .venv/bin/python bench/scale_load.py --database sqlite
    .venv/bin/python bench/scale_load.py --database postgres [--users 50 --seconds 60 --size M]

Needs locust (`pip install -e ".[bench]"`). Prints the figures per request kind, the goal (p95 ≤ 300 ms,
no errors, nothing lost) and writes them as JSON with --json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"  # the only load target there ever is


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    django.setup()


def prepare(size: str, out: Path) -> None:
    """In a child process: migrate, generate, and give each writer a token and tasks to report on."""
    _django()
    from django.core.management import call_command
    from django.test import Client

    from bench.scale_data import SIZES, TOKEN, generate
    from luoshi.core.models import ApiToken
    from luoshi.orgs.models import Person
    from luoshi.plans.models import ACTIVE_STATUSES, Task

    call_command("migrate", verbosity=0)
    gen = generate(SIZES[size])
    leaves = (
        Task.objects.filter(plan_id=gen.plan_id, status__in=ACTIVE_STATUSES, children=None)
        .order_by("lead_unit_id", "id")
        .values_list("lead_unit_id", "id")
    )
    by_unit: dict[int, list[int]] = {}
    for unit_id, task_id in leaves:
        by_unit.setdefault(unit_id, []).append(task_id)
    writers = []
    for unit_id in sorted(by_unit)[:50]:
        _token, raw = ApiToken.issue(Person.objects.get(username=f"bench_staff_{unit_id}"), "load")
        writers.append({"token": raw, "tasks": by_unit[unit_id][:20]})
    ids = list(Task.objects.filter(plan_id=gen.plan_id).order_by("id").values_list("id", flat=True))
    keys = list(Task.objects.filter(plan_id=gen.plan_id, kind="target").values_list("id", flat=True))
    browser = Client()
    browser.force_login(Person.objects.get(username=gen.supervisor))
    out.write_text(
        json.dumps(
            {
                "plan_id": gen.plan_id,
                "session": browser.cookies["sessionid"].value,
                "token": TOKEN,
                "writers": writers,
                "task_ids": ids[:: max(1, len(ids) // 500)],
                "key_ids": keys,
            }
        )
    )


def verify(writes: Path, out: Path) -> None:
    """In a child process: is every accepted report in the database, as it was sent?"""
    _django()
    from luoshi.progress.models import ProgressReport

    accepted = json.loads(writes.read_text())
    stored = {
        pk: (task_id, percent)
        for pk, task_id, percent in ProgressReport.objects.filter(
            pk__in=[w["id"] for w in accepted]
        ).values_list("id", "task_id", "percent")
    }
    lost = [w for w in accepted if stored.get(w["id"]) != (w["task_id"], w["percent"])]
    out.write_text(
        json.dumps({"accepted": len(accepted), "found": len(accepted) - len(lost), "lost": len(lost)})
    )


def _child(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, __file__, *args], env=env, check=True, cwd=ROOT)


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("the server stopped before it answered")
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer within a minute")


def _stats(prefix: str) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        return [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "max_ms": float(row["Max Response Time"] or 0),
            }
            for row in csv.DictReader(f)
        ]


def run(database: str, size: str, users: int, seconds: int, port: int, postgres: str) -> dict:
    from bench.scale import _fresh_postgres

    with tempfile.TemporaryDirectory(prefix=f"luoshi-load-{database}-") as data:
        env = {**os.environ, "LUOSHI_DATA_DIR": data, "LUOSHI_DEBUG": "false", "LUOSHI_ALLOWED_HOSTS": HOST}
        if database == "postgres":
            _fresh_postgres(postgres)
            env["LUOSHI_DATABASE_URL"] = postgres
        else:
            env["LUOSHI_DATABASE_URL"] = f"sqlite:///{data}/load.sqlite3"
        info, writes, checked = Path(data, "info.json"), Path(data, "writes.json"), Path(data, "checked.json")
        _child(env, "--prepare", size, "--out", str(info))
        log = open(Path(data, "server.log"), "w")  # noqa: SIM115 (open while the server runs)
        server = subprocess.Popen(
            [sys.executable, "-m", "luoshi.cli", "serve", "--host", HOST, "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            try:
                _wait_until_up(port, server)
            except SystemExit:
                print(Path(data, "server.log").read_text()[-3000:], file=sys.stderr)
                raise
            prefix = str(Path(data, "locust"))
            subprocess.run(
                [
                    str(Path(sys.executable).parent / "locust"),
                    "-f",
                    str(ROOT / "bench/scale_locustfile.py"),
                    "--headless",
                    "-u",
                    str(users),
                    "-r",
                    str(max(1, users // 5)),
                    "-t",
                    f"{seconds}s",
                    "--host",
                    f"http://{HOST}:{port}",
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--stop-timeout",
                    "30",
                ],
                env={**env, "LUOSHI_LOAD_INFO": str(info), "LUOSHI_LOAD_WRITES": str(writes)},
                cwd=data,
            )
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.close()
        _child(env, "--verify", str(writes), "--out", str(checked))
        return {
            "database": database,
            "size": size,
            "users": users,
            "seconds": seconds,
            "requests": _stats(prefix),
            "writes": json.loads(checked.read_text()),
        }


def show(result: dict) -> dict:
    print(f"\n{result['database']} {result['size']}: {result['users']} users, {result['seconds']} s")
    print(f"  {'request':<18}{'count':>7}{'failed':>7}{'req/s':>7}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}")
    for r in result["requests"]:
        print(
            f"  {r['name']:<18}{r['requests']:>7}{r['failures']:>7}{r['rps']:>7.1f}{r['p50_ms']:>6.0f}ms"
            f"{r['p95_ms']:>6.0f}ms{r['p99_ms']:>6.0f}ms{r['max_ms']:>6.0f}ms"
        )
    total = next(r for r in result["requests"] if r["name"] == "Aggregated")
    w = result["writes"]
    print(f"  reports accepted {w['accepted']}, found in the database {w['found']}, lost {w['lost']}")
    passed = total["p95_ms"] <= 300 and total["failures"] == 0 and w["lost"] == 0
    goal = {
        "goal": f"{result['database']}: {result['users']} users, p95 ≤ 300 ms, no errors, nothing lost",
        "measured": f"p95 {total['p95_ms']:.0f} ms, {total['failures']} errors, {w['lost']} lost",
        "result": "PASS" if passed else "FAIL",
    }
    print(f"  {goal['result']:<8} {goal['goal']}: {goal['measured']}")
    return goal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--size", choices=["S", "M", "L"], default="M")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/luoshi_bench")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--verify", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return prepare(args.prepare, args.out)
    if args.verify:
        return verify(args.verify, args.out)
    results = []
    for database in args.database:
        result = run(database, args.size, args.users, args.seconds, args.port, args.postgres)
        result["goal"] = show(result)
        results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

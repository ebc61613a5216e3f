"""Where one job's time goes, on the plan a bench run left in the database: its slowest SQL statements
and the luoshi functions that take the most time.

    LUOSHI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench \\
        .venv/bin/python bench/scale_profile.py cockpit [--warm] [--top 15]

The database keeps the plan of the last size `bench/scale.py` measured on it (L after a full run).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class QueryTimer:
    """Each statement's time, summed over statements that read alike (numbers and lists folded)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            shape = re.sub(r"(%s, )+%s", "%s…", re.sub(r"\s+", " ", sql))
            self.seconds[shape] += time.perf_counter() - started
            self.calls[shape] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("job")
    parser.add_argument("--warm", action="store_true", help="run the job once before profiling it")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    django.setup()
    from django.db import connection

    from bench.scale_data import find_generated
    from bench.scale_jobs import job_functions

    job = job_functions(find_generated())[args.job]
    if args.warm:
        job()
    timer, profiler = QueryTimer(), cProfile.Profile()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        profiler.enable()
        job()
        profiler.disable()
    total = time.perf_counter() - started
    in_sql = sum(timer.seconds.values())
    print(f"{args.job}: {total:.2f} s, of which {in_sql:.2f} s in {sum(timer.calls.values())} SQL statements")
    print("\nslowest statements (total s, calls, statement)")
    for shape, seconds in sorted(timer.seconds.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {seconds:8.2f} {timer.calls[shape]:6}  {shape[:300]}")
    print("\nluoshi functions by cumulative time (SQL included)")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"luoshi/(?!.*(templatetags|middleware))", args.top * 2)
    print("\n".join(line for line in out.getvalue().splitlines() if "luoshi/" in line or "ncalls" in line))


if __name__ == "__main__":
    main()

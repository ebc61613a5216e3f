"""How fast this shared machine runs right now, so that the benchmarks can tell its slow phases
from the code's time.

This 2-core machine is shared with other work, and its speed swings by ~40% over minutes (a fixed
pure-Python loop took 376-553 ms in one evening). A fixed probe is therefore timed beside every run of a
job: its time against the quickest probe seen says how slow the host was while the job ran. A fast job
measured while the host ran over SLOW_HOST times slower is measured again after a pause, up to AGAIN
times, and the figure kept is the one taken while the host was quickest: chosen by the probe, never by
the job's own time. Every attempt is kept and printed.
"""

from __future__ import annotations

import statistics
import time

#: Over this pace (probe time / quickest probe) a fast job's figure is taken again.
SLOW_HOST = 1.15
AGAIN = 3
PAUSE_SECONDS = 15.0


def probe() -> float:
    """Seconds of a fixed pure-Python workload (~7 ms on a quiet machine): dict writes and string formatting,
    the kind of work that rendering and lighting do."""
    started = time.perf_counter()
    seen: dict[int, str] = {}
    for i in range(40_000):
        seen[i % 1009] = f"{i}"
    return time.perf_counter() - started


class Host:
    """The quickest probe seen so far (by this process, or handed down by the parent): a pace of 1.0."""

    def __init__(self, quickest: float | None = None) -> None:
        self.quickest = min([probe() for _ in range(9)] + ([quickest] if quickest else []))

    def pace(self, probes: list[float]) -> float:
        self.quickest = min(self.quickest, *probes)
        return statistics.median(probes) / self.quickest

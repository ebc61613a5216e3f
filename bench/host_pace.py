"""How fast this shared machine runs right now, so that the benchmarks can tell its slow phases
from the code's time.

This 2-core machine is shared with other work, and its speed swings over minutes: a fixed pure-Python
loop took 376-553 ms in one evening, and this probe 6 ms at one moment and 11.5 ms for the next twenty
minutes on an idle-looking machine (load average 0.1, no steal shown). A fixed probe is therefore timed
beside every run of a job: its time against the quickest probe seen is the host's pace while the job ran.
A job that a goal is judged on, measured while the host ran over SLOW_HOST times slow, is measured again
as soon as a probe finds the host quick (waiting up to WAIT_SECONDS each time, up to AGAIN times), and the
figure kept is the attempt taken at the quickest pace: chosen by the probe, never by the job's own time.
Every attempt is kept and printed.
"""

from __future__ import annotations

import time

#: Over this pace (probe time / quickest probe) a goal's figure is taken again.
SLOW_HOST = 1.15
AGAIN = 3
#: How long to wait for a quick moment before each attempt again.
WAIT_SECONDS = 30.0


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

    def pace(self, seconds: float) -> float:
        """A probe's time against the quickest (which it may lower)."""
        self.quickest = min(self.quickest, seconds)
        return seconds / self.quickest

    def wait_until_quick(self, seconds: float = WAIT_SECONDS) -> bool:
        """Probe every quarter second until the host runs within SLOW_HOST of its quickest; False if it
        did not within `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.pace(probe()) <= SLOW_HOST:
                return True
            time.sleep(0.25)
        return False

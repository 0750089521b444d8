"""``python bench/run.py --profile SCENARIO``: where our round trip spends its time.

Runs our contender in a loop under ``cProfile`` for a few seconds and prints the functions
with the most own time (``tottime``) and the most cumulative time, as a share of the total.
cProfile adds a fixed cost to every Python call, so shares of small, often-called functions
are inflated; use the numbers to find hot spots, and the benchmark to measure a change.
"""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Callable

__all__ = ["profile"]

_TOP = 25


def _report(stats: pstats.Stats, sort: str, total: float) -> None:
    rows = []
    for func, (_, ncalls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((tottime if sort == "tottime" else cumtime, ncalls, func))
    rows.sort(reverse=True)
    print(f"\ntop {_TOP} by {sort} (share of {total:.2f} s profiled)")
    for seconds, ncalls, (filename, line, name) in rows[:_TOP]:
        where = filename.rsplit("site-packages/", 1)[-1].rsplit("src/", 1)[-1]
        print(f"{seconds / total:7.1%}  {ncalls:>9}  {name}  ({where}:{line})")


def profile(func: Callable[[], object], seconds: float = 3.0) -> None:
    """Profile ``func`` called repeatedly for about ``seconds`` and print the hot spots."""
    for _ in range(200):  # warm-up outside the profiler
        func()
    profiler = cProfile.Profile()
    calls, deadline = 0, time.perf_counter() + seconds
    profiler.enable()
    while time.perf_counter() < deadline:
        for _ in range(100):
            func()
        calls += 100
    profiler.disable()
    stats = pstats.Stats(profiler)
    total: float = stats.total_tt  # type: ignore[attr-defined]
    print(f"{calls} round trips profiled, {total / calls * 1e6:.1f} us each under cProfile")
    _report(stats, "tottime", total)
    _report(stats, "cumtime", total)

"""Timing: calibrate each contender, then interleave short slices and keep the median.

Every contender is a zero-argument callable doing one request/response round trip. It is
first warmed up and calibrated (how many calls fill one *slice* of ``seconds / slices``).
A repetition then runs ``slices`` rounds; each round times one slice of every contender, in
an order rotated from round to round, so a change in the machine's speed (other processes,
CPU frequency) lands on all contenders alike. A contender's rate for the repetition is its
calls divided by its time over all its slices; the result is the median over repetitions.

The garbage collector stays enabled, as in a server; a full collection runs (untimed) before
each round, so that one contender's garbage is not collected on another one's clock.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["Measurement", "calibrate", "measure", "time_batch"]

_MIN_CALIBRATION_TIME = 0.02


@dataclass
class Measurement:
    """A contender's calls per slice and its rates (calls per second), one per repetition."""

    name: str
    calls: int
    rates: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """The median rate in requests per second."""
        return statistics.median(self.rates)

    @property
    def spread(self) -> float:
        """(max - min) / median of the rates: how noisy the repetitions were."""
        return (max(self.rates) - min(self.rates)) / self.median


def time_batch(func: Callable[[], object], calls: int) -> float:
    """Seconds taken by ``calls`` calls of ``func``."""
    loop = range(calls)
    start = time.perf_counter()
    for _ in loop:
        func()
    return time.perf_counter() - start


def calibrate(func: Callable[[], object], seconds: float) -> int:
    """Warm ``func`` up and return how many calls take about ``seconds``."""
    calls = 1
    while True:
        elapsed = time_batch(func, calls)
        if elapsed >= _MIN_CALIBRATION_TIME:
            break
        calls *= 2
    elapsed = min(time_batch(func, calls) for _ in range(2))
    return max(1, round(calls * seconds / elapsed))


def _repetition(
    contenders: Sequence[tuple[str, Callable[[], object]]],
    results: dict[str, Measurement],
    slices: int,
    first_round: int,
) -> None:
    spent = dict.fromkeys(results, 0.0)
    for number in range(slices):
        gc.collect()
        shift = (first_round + number) % len(contenders)
        for name, func in [*contenders[shift:], *contenders[:shift]]:
            spent[name] += time_batch(func, results[name].calls)
    for name, measurement in results.items():
        measurement.rates.append(measurement.calls * slices / spent[name])


def measure(
    contenders: Sequence[tuple[str, Callable[[], object]]],
    reps: int,
    seconds: float,
    *,
    slices: int = 10,
    budget: float = float("inf"),
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Measurement]:
    """Rates of every contender over ``reps`` repetitions of about ``seconds`` each.

    Stops early (after at least 3 repetitions) when the next repetition would end after
    ``budget`` seconds from the start, so a loaded machine does not stretch the run.
    """
    started = time.perf_counter()
    results = {
        name: Measurement(name, calibrate(func, seconds / slices)) for name, func in contenders
    }
    progress(f"calibrated {len(results)} contenders")
    for rep in range(reps):
        rep_start = time.perf_counter()
        _repetition(contenders, results, slices, rep * slices)
        now = time.perf_counter()
        progress(f"repetition {rep + 1}/{reps} done ({now - rep_start:.1f} s)")
        if rep + 1 >= 3 and now + (now - rep_start) - started > budget:
            progress(f"stopping after {rep + 1} repetitions: time budget of {budget:g} s")
            break
    return results

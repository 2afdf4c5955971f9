"""The timers the benchmarks share: medians of repeated runs (robust to a busy machine), alone or in turn."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_medians(
    first: Callable[[], object], second: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Medians of ``first`` and ``second`` timed in turn: both see the machine as it is at that
    moment (after a heavy row this machine runs slower for a second or two)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, kept in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            kept.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])

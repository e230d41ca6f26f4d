"""Timing, percentiles and the printed tables every part of the benchmark shares."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile (with 50 samples p99 is the slowest: say how many were taken)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def geometric_mean(values: Iterable[float]) -> float:
    logs = [math.log(value) for value in values]
    return math.exp(sum(logs) / len(logs)) if logs else float("nan")


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n## {title}", flush=True)
    if not rows:
        print("(nothing measured)")
        return
    columns = list(dict.fromkeys(k for row in rows for k in row))
    print(" | ".join(columns))
    for row in rows:
        print(
            " | ".join(f"{row.get(c):.2f}" if isinstance(row.get(c), float) else str(row.get(c, "")) for c in columns), flush=True
        )

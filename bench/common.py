"""What every bench shares: interleaved median timing, a figure row, and the one table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass


def median_times(*fns: Callable[[], object], repeat: int = 7) -> list[float]:
    """Median seconds of each function over `repeat` interleaved runs (after a warm-up), so
    that load from other processes weighs on all of them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for fn in fns:
        fn()
    for _ in range(repeat):
        for fn, bucket in zip(fns, times, strict=True):
            started = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - started)
    return [statistics.median(bucket) for bucket in times]


@dataclass(frozen=True)
class Figure:
    """One measured figure, its floor (what the same work costs at the least) and its goal."""

    name: str
    seconds: float | None = None
    floor: float | None = None
    floor_name: str = ""
    max_ratio: float | None = None
    max_seconds: float | None = None
    note: str = ""
    unit: str = "s"  # what `seconds` and `floor` count when not time, e.g. "MiB"

    @property
    def ratio(self) -> float | None:
        if self.seconds is None or not self.floor:
            return None
        return self.seconds / self.floor

    @property
    def goal(self) -> str:
        if self.max_ratio is not None:
            return f"≤ {self.max_ratio:g}× {self.floor_name}".strip()
        if self.max_seconds is not None:
            return f"≤ {self.max_seconds:g} s"
        return ""

    @property
    def verdict(self) -> str:
        if self.max_ratio is not None and self.ratio is not None:
            return "ok" if self.ratio <= self.max_ratio else "OVER"
        if self.max_seconds is not None and self.seconds is not None:
            return "ok" if self.seconds <= self.max_seconds else "OVER"
        return ""


def _ms(seconds: float | None, unit: str = "s") -> str:
    if seconds is None:
        return "-"
    if unit != "s":
        return f"{seconds:.0f} {unit}"
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def print_table(figures: Iterable[Figure]) -> None:
    """Print figures as one table: figure, measured, floor, ratio, goal, verdict, note."""
    header = f"{'figure':50} {'measured':>11} {'floor':>11} {'ratio':>7}  {'goal':24} {'':4}  note"
    print(header)
    print("-" * len(header))
    for f in figures:
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else "-"
        print(
            f"{f.name:50} {_ms(f.seconds, f.unit):>11} {_ms(f.floor, f.unit):>11} {ratio:>7}  "
            f"{f.goal:24} {f.verdict:4}  {f.note}"
        )

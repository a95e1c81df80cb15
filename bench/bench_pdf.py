"""PDF bench: the journey PDF of a template journey (with its programs) and of the generated
large journey (30 moments × 15 channels, 400 touchpoints, 2,000 findings).

Goals: template ≤ 1.5 s, large ≤ 4 s. Prints figures and the ratio to each goal.
Run: uv run python -m bench.bench_pdf
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench.generate import large_journey
from journeys import rendering
from journeys.model import Journey, Program
from journeys.report.pdf import build_journey_pdf
from journeys.yaml_io import load_file

TEMPLATES = Path(__file__).resolve().parents[1] / "templates_journeys"
DAY = date(2025, 3, 14)


def median_time(fn: Callable[[], bytes], repeat: int = 5) -> tuple[float, int]:
    """Median seconds of `repeat` runs after a warm-up, and the size of the output."""
    size = len(fn())
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), size


def template_case() -> tuple[Journey, list[Program]]:
    docs = [load_file(path) for path in sorted(TEMPLATES.glob("*.yaml"))]
    journeys = [d for d in docs if isinstance(d, Journey)]
    programs = [d for d in docs if isinstance(d, Program)]
    for journey in journeys:
        linked = [p for p in programs if p.journey == journey.id]
        if linked:
            return journey, linked
    return journeys[0], []


def main() -> None:
    print(f"engine: {rendering.engine_name()}")
    journey, programs = template_case()
    big = large_journey()
    cases = [
        (f"template {journey.id} + {len(programs)} program(s)", journey, programs, 1.5),
        ("large 30×15, 400 touchpoints, 2,000 findings", big, [], 4.0),
    ]
    for label, doc, progs, goal in cases:
        for page in ("A3", "A4"):
            seconds, size = median_time(
                lambda d=doc, p=progs, pg=page: build_journey_pdf(d, p, page=pg, generated_on=DAY)
            )
            verdict = "ok" if seconds <= goal else "OVER GOAL"
            print(
                f"{label:52} {page}  {seconds:6.2f} s  {size / 1024:7.0f} KiB  "
                f"{seconds / goal:5.2f}× of {goal} s goal: {verdict}"
            )


if __name__ == "__main__":
    main()

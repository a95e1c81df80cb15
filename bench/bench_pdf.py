"""PDF bench: the journey PDF of a template journey (with its programs) and of the generated
large journey (30 moments × 15 channels, 400 touchpoints, 2,000 findings), with the findings
appendix (build_journey_pdf's default) and as the exports make it (without).

Goals: template ≤ 1.5 s, large ≤ 4 s. Prints figures and the ratio to each goal.
Run: uv run python -m bench.bench_pdf
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bench.common import Figure, median_times, print_table
from bench.generate import large_journey
from journeys.contract.model import Journey, Program
from journeys.contract.yaml_io import load_file
from journeys.render import engine as rendering
from journeys.report.pdf import build_journey_pdf

TEMPLATES = Path(__file__).resolve().parents[1] / "templates_journeys"
DAY = date(2025, 3, 14)


def template_case() -> tuple[Journey, list[Program]]:
    docs = [load_file(path) for path in sorted(TEMPLATES.glob("*.yaml"))]
    journeys = [d for d in docs if isinstance(d, Journey)]
    programs = [d for d in docs if isinstance(d, Program)]
    for journey in journeys:
        linked = [p for p in programs if p.journey == journey.id]
        if linked:
            return journey, linked
    return journeys[0], []


def figures() -> list[Figure]:
    journey, programs = template_case()
    big = large_journey()
    cases = [
        (f"PDF template journey + {len(programs)} program(s)", journey, programs, 1.5, True),
        ("PDF large journey (30×15, 2,000 findings)", big, [], 4.0, True),
        ("PDF large journey, no appendix", big, [], 4.0, False),
    ]
    rows = []
    for label, doc, progs, goal, appendix in cases:
        for page in ("A3", "A4"):
            (seconds,) = median_times(
                lambda d=doc, p=progs, pg=page, a=appendix: build_journey_pdf(
                    d, p, page=pg, generated_on=DAY, appendix=a
                ),
                repeat=3,
            )
            rows.append(Figure(f"{label} {page}", seconds, max_seconds=goal))
    return rows


if __name__ == "__main__":
    print(f"engine: {rendering.engine_name()}")
    print_table(figures())

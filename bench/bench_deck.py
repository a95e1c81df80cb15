"""Deck bench: the PowerPoint deck of a template journey (with its programs) and of the
generated large journey (30 moments × 15 channels, 400 touchpoints, 2,000 findings), each
timed against the journey PDF of the same journey (A3), in the same run.

Goal: each deck ≤ 2× its PDF's time (the issue asks it of the large journey). Prints
figures and the ratios.
Run: uv run python -m bench.bench_deck
"""

from __future__ import annotations

from bench.bench_pdf import DAY, template_case
from bench.common import Figure, median_times, print_table
from bench.generate import large_journey
from journeys.export.deck import build_journey_deck
from journeys.render import engine as rendering
from journeys.report.pdf import build_journey_pdf


def figures() -> list[Figure]:
    journey, programs = template_case()
    cases = [
        (f"deck template journey + {len(programs)} program(s)", journey, programs, 2.0),
        ("deck large journey (30×15, 2,000 findings)", large_journey(), [], 2.0),
    ]
    rows = []
    for label, doc, progs, goal in cases:
        pdf, deck = median_times(
            lambda d=doc, p=progs: build_journey_pdf(d, p, page="A3", generated_on=DAY),
            lambda d=doc, p=progs: build_journey_deck(d, p, generated_on=DAY),
            repeat=3,
        )
        rows.append(Figure(label, deck, floor=pdf, floor_name="its PDF (A3)", max_ratio=goal))
    return rows


if __name__ == "__main__":
    print(f"engine: {rendering.engine_name()}")
    print_table(figures())

"""Workbook bench: the editable Excel grid of the generated large journey (30 moments × 15
channels, 400 touchpoints, 2,000 findings) against its PDF, the same journey's other deliverable.

Goal: the workbook ≤ 2× the PDF's time (A3). Also printed: reading that workbook back (limits
checked, every cell as text) and diffing it against its base, which an import does first.
Run: uv run python -m bench.bench_workbook
"""

from __future__ import annotations

from datetime import date

from bench.common import Figure, median_times, print_table
from bench.generate import large_journey
from journeys.export.workbook import BookSource, build_workbook
from journeys.export.workbook_cells import sheet_names
from journeys.library.workbook_diff import read_grid
from journeys.library.workbook_findings import FindingsReader
from journeys.library.workbook_read import read_workbook
from journeys.report.pdf import build_journey_pdf

DAY = date(2025, 3, 14)


def _source() -> BookSource:
    journey = large_journey()
    numbers = iter(range(1, 1_000_000))
    ids = {tp.id: [next(numbers) for _ in tp.findings] for tp in journey.touchpoints}
    return BookSource(journey, ids, revision=1)


def _read_back(data: bytes, source: BookSource) -> None:
    book = read_workbook(data)
    grid_name, findings_name = sheet_names("fr")
    grid, findings = book.sheet(grid_name), book.sheet(findings_name)
    assert grid is not None and findings is not None
    reader, moments, channels = read_grid(grid, source.journey)
    labels = {e.ident: e.item.label for e in [*moments, *channels]}
    ids = {k: list(v) for k, v in source.finding_ids.items()}
    FindingsReader(findings, source.journey, ids, "fr", reader.final, labels, reader.out).read()
    assert not reader.out.edits and not reader.out.problems, "an unchanged workbook reads as is"


def figures() -> list[Figure]:
    source = _source()
    journey = source.journey
    data = build_workbook(source)
    pdf, workbook, read = median_times(
        lambda: build_journey_pdf(journey, [], page="A3", generated_on=DAY),
        lambda: build_workbook(source),
        lambda: _read_back(data, source),
        repeat=3,
    )
    return [
        Figure("PDF large journey A3 (the floor)", pdf),
        Figure(
            "Workbook large journey (xlsx)",
            workbook,
            floor=pdf,
            floor_name="PDF",
            max_ratio=2.0,
            note=f"{len(data) // 1024} KB",
        ),
        Figure("Workbook large journey read back + diff", read, floor=pdf, floor_name="PDF"),
    ]


if __name__ == "__main__":
    print_table(figures())

"""Dry-run bench: the four template programs (one per kind of journey) run over 1 M generated
subscribers for 12 months — the rows read where they live, the walk through every step, the
pressure over the caps and the quiet hours — against the engine scanning the same base once
(the floor: DuckDB reading every subscription's typed start, end and term, and counting them).

Goal: ≤ 3× the scan (issue #15). Also printed: the walk alone, and the pressure with quiet hours.
Run: uv run python -m bench.bench_dryrun [ROWS] (`python -m bench --quick`: 100 000 rows)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.common import Figure, median_times, print_table
from journeys.contract.model import Program
from journeys.contract.yaml_io import load_file
from journeys.data.clean import guess_formats, subscriptions
from journeys.data.demo import generate
from journeys.data.mapping import suggest_mapping
from journeys.data.source import open_file
from journeys.programs.dryrun import dry_run
from journeys.programs.dryrun_model import Assumptions, Population
from journeys.programs.dryrun_services import rows_population
from journeys.programs.pressure import Caps, QuietRules, pressure, quiet_hours

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("first_subscription", "fixed_term_renewal", "sepa_open_ended", "add_on_purchase")
ROWS = 1_000_000


def _programs() -> list[Program]:
    found = [load_file(ROOT / "templates_journeys" / f"{kind}.en.program.yaml") for kind in KINDS]
    return [p for p in found if isinstance(p, Program)]


def _scan(path: Path) -> int:
    """The floor: the base's typed subscriptions read once and counted, in the engine."""
    opened = open_file(path)
    try:
        table = opened.table
        mapping = suggest_mapping([c for c in table.columns if not c.startswith("__")])
        subs = subscriptions(table, mapping, guess_formats(table, mapping))
        counted = subs.aggregate(
            n=subs.count(), first=subs.start.min(), last=subs.end.max(), months=subs.months.sum()
        )
        return int(counted.to_pyarrow()["n"][0].as_py())
    finally:
        opened.close()


def _read(path: Path, assumptions: Assumptions) -> Population:
    """The rows as the dry run reads them: segment columns only for entry criteria (none in
    these four programs), as journeys.programs.dryrun_services does."""
    opened = open_file(path)
    try:
        return rows_population(opened.table, assumptions, segments=False)
    finally:
        opened.close()


def _full(path: Path, programs: list[Program], assumptions: Assumptions) -> int:
    """What `journeys dryrun` does with a base of rows: read, walk, pressure, quiet hours."""
    population = _read(path, assumptions)
    run = dry_run(programs, population, assumptions)
    where = {"day0": run.day0, "days": run.days}
    pressure(run.sends, caps=Caps(), **where)  # type: ignore[arg-type]
    quiet_hours(run.sends, rules=QuietRules(), **where)  # type: ignore[arg-type]
    return run.sends.size


def figures(rows: int = ROWS, *, quick: bool = False) -> list[Figure]:
    rows = min(rows, 100_000) if quick else rows
    programs = _programs()
    assumptions = Assumptions(months=12)
    with tempfile.TemporaryDirectory(prefix="bench-dryrun-") as folder:
        files = generate(Path(folder), rows, seed=7, fmt="parquet")
        path = files.subscriptions
        population = _read(path, assumptions)
        run = dry_run(programs, population, assumptions)
        sends = run.sends.size
        where = {"day0": run.day0, "days": run.days}
        scan, full, walk, checks = median_times(
            lambda: _scan(path),
            lambda: _full(path, programs, assumptions),
            lambda: dry_run(programs, population, assumptions),
            lambda: (
                pressure(run.sends, caps=Caps(), **where),  # type: ignore[arg-type]
                quiet_hours(run.sends, rules=QuietRules(), **where),  # type: ignore[arg-type]
            ),
            repeat=3,
        )
    size = f"{rows:,}".replace(",", " ")
    return [
        Figure(f"scan of {size} generated subscriptions (the floor)", scan),
        Figure(
            f"dry run: 4 template programs × {size} subscribers, 12 months",
            full,
            floor=scan,
            floor_name="one scan",
            max_ratio=3.0,
            note=f"{sends:,} sends; read + walk + pressure + quiet hours".replace(",", " "),
        ),
        Figure("  of which the walk through the steps", walk, floor=scan, floor_name="one scan"),
        Figure("  of which pressure and quiet hours", checks, floor=scan, floor_name="one scan"),
    ]


if __name__ == "__main__":
    print_table(figures(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS))

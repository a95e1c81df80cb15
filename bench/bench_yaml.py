"""YAML bench: load + validate, and import + export through the store, of the large journey.

Floor: the raw PyYAML C-loader parse of the same file. Prints figures and ratios.
Run: uv run python -m bench.bench_yaml
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from bench.generate import large_journey
from journeys import services
from journeys.yaml_io import dump_document, load_document


def best_of(fn: Callable[[], object], repeat: int = 7) -> float:
    """Median of `repeat` runs, in seconds (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run() -> list[tuple[str, float, float | None, float | None, str]]:
    """Return rows: (figure, seconds, floor seconds, ratio, goal)."""
    text = dump_document(large_journey())
    data = text.encode()
    raw = best_of(lambda: yaml.load(data, Loader=yaml.CSafeLoader))
    ours = best_of(lambda: load_document(data))
    dump = best_of(lambda: dump_document(load_document(data)), repeat=3)
    with tempfile.TemporaryDirectory() as folder:
        store = services.open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        counter = iter(range(1000))

        def do_import() -> None:
            replacement = text.replace("id: grand-parcours", f"id: grand-parcours-{next(counter)}")
            services.import_yaml(replacement, store=store)

        imported = best_of(do_import, repeat=5)
        exported = best_of(lambda: services.export_yaml("grand-parcours-0", store=store), repeat=5)
        store.dispose()
    return [
        ("YAML load + validate (large journey)", ours, raw, ours / raw, "<= 2x raw parse"),
        ("YAML raw C-loader parse (floor)", raw, None, None, ""),
        ("YAML load + dump", dump, raw, dump / raw, ""),
        ("store import (large journey, SQLite)", imported, None, None, "<= 0.5 s"),
        ("store export (large journey, SQLite)", exported, None, None, ""),
    ]


def print_table(rows: list[tuple[str, float, float | None, float | None, str]]) -> None:
    print(f"{'figure':44} {'value':>10} {'floor':>10} {'ratio':>7}  goal")
    for figure, value, floor, ratio, goal in rows:
        floor_s = f"{floor * 1000:8.1f}ms" if floor else ""
        ratio_s = f"{ratio:6.2f}x" if ratio else ""
        print(f"{figure:44} {value * 1000:8.1f}ms {floor_s:>10} {ratio_s:>7}  {goal}")


if __name__ == "__main__":
    print_table(run())

"""Store bench: 30 people adding findings to one journey at once, against one person adding
the same number alone (the floor: the same writes with no one to wait for).

Run: uv run python -m bench.bench_store [--postgres URL]
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import Figure, print_table
from bench.generate import large_journey
from journeys import services
from journeys.contract.model import Finding, FindingType

PEOPLE, EACH = 30, 20


def _add(store: services.Store, who: int, count: int) -> None:
    for n in range(count):
        services.add_finding(
            "grand-parcours",
            f"tp-{(who * 7 + n) % 400:03d}",
            Finding(type=FindingType.IRRITANT, intensity=2, text=f"p{who}-n{n}"),
            store=store,
        )


def _timed_writes(store: services.Store, people: int, each: int) -> float:
    threads = [threading.Thread(target=_add, args=(store, p, each)) for p in range(people)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def figures(url: str | None = None) -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        store = services.open_store(url or f"sqlite:///{Path(folder) / 'bench.db'}")
        services.import_document(large_journey(), store=store, replace=True)
        alone = _timed_writes(store, 1, PEOPLE * EACH)
        together = _timed_writes(store, PEOPLE, EACH)
        stored = services.list_journeys(store=store)[0].irritants
        store.dispose()
    backend = "PostgreSQL" if url else "SQLite"
    return [
        Figure(
            f"concurrent writes, {PEOPLE} people × {EACH} findings ({backend})",
            together,
            alone,
            "one writer alone",
            note=f"{together / (PEOPLE * EACH) * 1000:.1f} ms a finding; {stored} irritants stored",
        )
    ]


if __name__ == "__main__":
    print_table(figures(sys.argv[2] if sys.argv[1:2] == ["--postgres"] else None))

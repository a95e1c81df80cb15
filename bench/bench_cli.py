"""CLI start: `journeys validate` of one template, as a fresh process, from launch to exit.

Floor: a fresh process that only imports what validating needs at the least, `python -c
"import yaml, pydantic"`. Run: uv run python -m bench.bench_cli
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, median_times, print_table

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates_journeys" / "first_subscription.fr.journey.yaml"


def _journeys_command() -> list[str]:
    """The installed console script next to this Python (as users run it), else its module."""
    script = Path(sys.executable).parent / "journeys"
    return [str(script)] if script.exists() else [sys.executable, "-m", "journeys.cli.main"]


def figures() -> list[Figure]:
    validate = [*_journeys_command(), "validate", str(TEMPLATE)]
    floor = [sys.executable, "-c", "import yaml, pydantic"]
    with tempfile.TemporaryDirectory() as folder:  # no .env or workspace of the checkout

        def run(command: list[str]) -> None:
            subprocess.run(command, cwd=folder, check=True, capture_output=True)

        ours, raw = median_times(lambda: run(validate), lambda: run(floor), repeat=9)
    return [
        Figure(
            "CLI start (journeys validate, one template)",
            ours,
            raw,
            "import yaml, pydantic",
            max_ratio=3,
            note=f"{Path(validate[0]).name}, fresh process, median of 9",
        )
    ]


if __name__ == "__main__":
    print_table(figures())

"""`journeys validate` and `--help` start without loading the store, the PDF, charts or diagrams."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "templates_journeys" / "first_subscription.fr.journey.yaml"

# What a light command must not load: each costs from a tenth of a second to seconds at start.
HEAVY = (
    "reportlab",
    "plotly",
    "networkx",
    "streamlit",
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "pandas",
    "numpy",
    "pyarrow",
    "ibis",
    "duckdb",
    "lifelines",
    "psycopg",
    "svglib",
    "graphviz",
    "wasmtime",
    "journeys.store",
    "journeys.services",
)

# Runs the installed `journeys` console script's entry point (as .venv/bin/journeys does), then
# writes the names of every module loaded to the file given as first argument.
CHILD = """
import json, sys
from importlib.metadata import entry_points

out = sys.argv.pop(1)
(entry,) = entry_points(group="console_scripts", name="journeys")
sys.argv[0] = "journeys"
try:
    sys.exit(entry.load()())
finally:
    with open(out, "w") as f:
        json.dump(sorted(sys.modules), f)
"""


def run_cli(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    modules_file = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(modules_file), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "100"},
        timeout=120,
    )
    return done, json.loads(modules_file.read_text())


def heavy_among(modules: list[str]) -> list[str]:
    return sorted({h for m in modules for h in HEAVY if m == h or m.startswith(f"{h}.")})


def test_validate_of_a_template_loads_only_the_contract(tmp_path):
    done, modules = run_cli(tmp_path, "validate", str(TEMPLATE))

    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{TEMPLATE}: valid journey 'premier-abonnement'\n"
    assert "journeys.contract.model" in modules
    assert heavy_among(modules) == []


def test_validate_refusing_a_bad_file_exits_1_without_loading_heavy_modules(tmp_path):
    bad = tmp_path / "bad.journey.yaml"
    bad.write_text("format: journeys/v1\nkind: journey\nid: Not An Id\n", encoding="utf-8")

    done, modules = run_cli(tmp_path, "validate", str(TEMPLATE), str(bad))

    assert done.returncode == 1
    assert f"{TEMPLATE}: valid journey" in done.stdout
    assert str(bad) in done.stderr
    assert done.stderr.rstrip().endswith("1 of 2 document(s) refused")
    assert heavy_among(modules) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("--help",),
            ("validate", "export", "visits", "derive", "hash-password", "base", "demo-base"),
        ),
        (("visits", "--help"), ("import", "list")),
        (("base", "--help"), ("import", "list")),
        (("demo-base", "--help"), ("--template", "--parquet")),
    ],
)
def test_help_lists_the_commands_without_loading_heavy_modules(tmp_path, args, expected):
    done, modules = run_cli(tmp_path, *args)

    assert done.returncode == 0, done.stderr
    for command in expected:
        assert command in done.stdout
    assert heavy_among(modules) == []


# The same command through the typer app alone (what the entry point hands everything but a plain
# `validate FILE…` to).
TYPER_CHILD = """
import sys
from journeys.cli.main import app

sys.argv[0] = "journeys"
app()
"""


def test_validate_answers_without_typer_and_says_what_the_typer_command_says(tmp_path):
    bad = tmp_path / "bad.journey.yaml"
    bad.write_text("format: journeys/v1\nkind: journey\nid: Not An Id\n", encoding="utf-8")
    args = ("validate", str(TEMPLATE), str(bad), str(tmp_path / "missing.yaml"))

    done, modules = run_cli(tmp_path, *args)
    through_typer = subprocess.run(
        [sys.executable, "-c", TYPER_CHILD, *args], capture_output=True, text=True, cwd=tmp_path
    )

    assert not [m for m in modules if m == "typer" or m.startswith(("typer.", "click"))]
    assert (done.returncode, done.stdout, done.stderr) == (
        through_typer.returncode,
        through_typer.stdout,
        through_typer.stderr,
    )
    assert done.stderr.rstrip().endswith("2 of 3 document(s) refused")


def test_validate_with_an_option_goes_through_typer(tmp_path):
    done, modules = run_cli(tmp_path, "validate", "--help")

    assert done.returncode == 0, done.stderr
    assert "journeys/v1 contract" in done.stdout
    assert "typer" in modules

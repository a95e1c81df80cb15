"""Every shipped program template dry-runs over a small demo base (its aggregates, in the real
store on SQLite and PostgreSQL) and over a generated demo population, every step's volumes add
up; `journeys dryrun` prints them and writes the CSV (`step,entered,reached,left…`)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy.engine import URL
from typer.testing import CliRunner

from journeys import services
from journeys.data import services as data
from journeys.data.demo import generate
from journeys.programs.dryrun import is_contact
from journeys.programs.dryrun_model import Assumptions
from journeys.programs.dryrun_services import PopulationChoice, dry_run_journey
from journeys.store.db import Store

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates_journeys").glob("*.yaml"))
PROGRAMS = [p for p in TEMPLATES if p.name.endswith(".program.yaml")]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    return generate(tmp_path_factory.mktemp("demo"), 1500, seed=11)


def _workspace(store: Store, demo) -> list[str]:  # type: ignore[no-untyped-def]
    for path in TEMPLATES:
        services.import_yaml(path.read_bytes(), store=store, source_name=path.name)
    data.import_base(
        "demo", demo.subscriptions, store=store, events=demo.events, payments=demo.payments
    )
    return [j.id for j in services.list_journeys(store=store)]


def _check_volumes(report) -> None:  # type: ignore[no-untyped-def]
    sends = report.run.sends
    for program, result in zip(report.programs, report.run.runs, strict=True):
        for step in program.steps:
            v = result.steps[step.id]
            assert v.entered == v.reached + v.ended + v.goal + v.waiting, (program.id, v)
            assert min(v.entered, v.reached, v.left, v.waiting) >= 0
            code = (
                sends.steps.index((program.id, step.id)) if is_contact(step) and v.reached else -1
            )
            sent = int((sends.step == code).sum()) if code >= 0 else 0
            assert sent == (v.reached if is_contact(step) else 0), (program.id, step.id)


def test_every_template_program_dry_runs_over_the_demo_base(store: Store, demo):
    journeys = _workspace(store, demo)
    ran = []
    for journey_id in journeys:
        report = dry_run_journey(journey_id, store=store, choice=PopulationChoice(base="demo"))
        assert report.run.population.origin == "base"
        _check_volumes(report)
        ran += [r.program_id for r in report.run.runs]
        assert sum(r.entered for r in report.run.runs) > 0
    assert len(ran) == len(PROGRAMS) >= 8


def test_template_programs_dry_run_over_a_generated_population_and_a_number(store: Store, demo):
    journeys = _workspace(store, demo)
    for journey_id in journeys:
        for choice in (PopulationChoice(demo_rows=600), PopulationChoice(subscribers=300)):
            report = dry_run_journey(
                journey_id, store=store, choice=choice, assumptions=Assumptions(months=6)
            )
            _check_volumes(report)
            assert report.run.days in range(181, 185)


def invoke(url: URL, *args: str):  # type: ignore[no-untyped-def]
    from journeys.cli.main import app

    database = url.render_as_string(hide_password=False)
    return CliRunner().invoke(app, [*args, "--database", database])


def test_cli_dryrun_prints_the_volumes_and_writes_one_row_per_step(
    database_url: URL, demo, tmp_path
):
    store = services.open_store(database_url)
    try:
        _workspace(store, demo)
        program = services.get_program("programme-renouvellement-duree-fixe", store=store)
    finally:
        store.dispose()
    out = tmp_path / "volumes.csv"

    done = invoke(
        database_url,
        "dryrun",
        "renouvellement-duree-fixe",
        "--base",
        "demo",
        "--share",
        "email-connu=0.9",
        "--output",
        str(out),
    )

    assert done.exit_code == 0, done.output
    assert (
        "« Email de l'abonné connu ? » : Email connu 90\u00a0%, Pas d'email 10\u00a0%"
        in done.output
    )
    assert "Horizon : du " in done.output
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0][:4] == ["step", "entered", "reached", "left"]
    assert [r[0] for r in rows[1:]] == [s.id for s in program.steps]
    counted = invoke(database_url, "dryrun", "renouvellement-duree-fixe", "--subscribers", "1000")
    assert counted.exit_code == 0, counted.output
    assert "1\u00a0000 abonnés, tous entrés le" in counted.output


def test_cli_dryrun_refuses_an_unknown_journey_and_a_bad_share_in_one_line(database_url: URL):
    unknown = invoke(database_url, "dryrun", "nowhere", "--subscribers", "10")
    assert unknown.exit_code == 1
    assert "nowhere" in unknown.output and "Traceback" not in unknown.output
    bad = invoke(database_url, "dryrun", "nowhere", "--share", "decision")
    assert bad.exit_code == 1
    assert "--share 'decision': expected NAME=NUMBER" in bad.output
    both = invoke(database_url, "dryrun", "nowhere", "--base", "b", "--subscribers", "3")
    assert "choose one of --base, --subscribers, --demo" in both.output


def test_cli_dryrun_refuses_a_share_naming_no_decision(database_url: URL):
    store = services.open_store(database_url)
    try:
        template = ROOT / "templates_journeys" / "fixed_term_renewal.fr.program.yaml"
        journey = ROOT / "templates_journeys" / "fixed_term_renewal.fr.journey.yaml"
        for path in (journey, template):
            services.import_yaml(path.read_bytes(), store=store, source_name=path.name)
    finally:
        store.dispose()
    typo = invoke(
        database_url,
        "dryrun",
        "renouvellement-duree-fixe",
        "--subscribers",
        "10",
        "--share",
        "adresse-email=0.9",
    )
    assert typo.exit_code == 1
    assert "share 'adresse-email': no decision of that id (decisions: " in typo.output
    assert "email-connu" in typo.output
    rate = invoke(
        database_url,
        "dryrun",
        "renouvellement-duree-fixe",
        "--subscribers",
        "10",
        "--rate",
        "visite=2",
    )
    assert "rate 'visite': no step is anchored on that event" in rate.output


def test_cli_dryrun_takes_a_program_id_too(database_url: URL, tmp_path):
    store = services.open_store(database_url)
    try:
        for name in ("fixed_term_renewal.fr.journey", "fixed_term_renewal.fr.program"):
            path = ROOT / "templates_journeys" / f"{name}.yaml"
            services.import_yaml(path.read_bytes(), store=store, source_name=path.name)
        program = services.get_program("programme-renouvellement-duree-fixe", store=store)
    finally:
        store.dispose()
    out = tmp_path / "one.csv"

    done = invoke(database_url, "dryrun", program.id, "--subscribers", "1000", "-o", str(out))

    assert done.exit_code == 0, done.output
    assert f"{program.title} ({program.id})" in done.output
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert [r[0] for r in rows[1:]] == [s.id for s in program.steps]
    assert rows[1][1:4] == ["1000", "1000", "0"]  # the trigger: every subscriber enters

"""Programs that say what the law checks need (subscription, purposes, entry criteria, goals):
stored and read back on SQLite and PostgreSQL, kept by the upgrade of an older workspace; the
dunning template checked and drawn; `journeys check` exits 1 on a broken rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from typer.testing import CliRunner

from journeys import services
from journeys.contract.model import Entry, Program, Purpose, StepKind, Subscription, Timing
from journeys.contract.yaml_io import dump_document, load_file
from journeys.programs.checks import check_program
from journeys.programs.compliance import FAILED, PASSED, check_compliance
from journeys.programs.diagrams import detailed_dot, macro_dot
from journeys.programs.services import program_templates
from journeys.render import engine as rendering
from journeys.store.db import open_store
from journeys.store.migrations import alembic_config
from tests.integration.conftest import build_program
from tests.needs import need_binary

TEMPLATES = Path(__file__).resolve().parents[2] / "templates_journeys"
DUNNING = ("sepa_open_ended.fr.dunning.program.yaml", "sepa_open_ended.en.dunning.program.yaml")


@pytest.mark.parametrize(
    "subscription",
    [
        None,
        Subscription(),  # open-ended, said so
        Subscription(term_months=12),
        Subscription(term_months=24, tacit_renewal=True, prenotification_days=2),
    ],
)
def test_the_new_fields_come_back_identical_from_the_store(store, subscription):
    base = build_program()
    steps = [*base.steps]
    steps[0] = steps[0].model_copy(
        update={"entry": Entry(offer=['Offre "Duo" €'], payment_method=["Carte", "SEPA"])}
    )
    steps[1] = steps[1].model_copy(update={"purpose": Purpose.RENEWAL_REMINDER})
    steps.append(
        steps[1].model_copy(
            update={
                "id": "paye",
                "kind": StepKind.GOAL,
                "channel": None,
                "purpose": None,
                "timing": Timing(anchor="event", event="paiement-recu"),
            }  # fmt: skip
        )
    )
    program = Program.model_validate(
        base.model_copy(update={"steps": steps, "subscription": subscription}).model_dump(
            by_alias=True
        )
    )
    services.import_document(program, store=store)

    assert services.get_program(program.id, store=store) == program
    exported = services.export_yaml(program.id, store=store, kind="program")
    assert exported == dump_document(program)


def _at_revision(url: URL, revision: str) -> None:
    """Bring a new database to an older `revision` only (its folder made as the app does)."""
    store = open_store(url, migrate=False)
    try:
        with store.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        store.dispose()


def test_a_workspace_from_before_keeps_its_programs_when_upgraded(empty_database_url):
    _at_revision(empty_database_url, "0005_subscriber_bases")
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO program (id, slug, title, objective, language, version, revision,"
            " created_at, updated_at) VALUES (1, 'ancien', 'Ancien', 'lifetime', 'fr', 1, 0,"
            " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO phase (id, program_id, slug, label, position, version)"
            " VALUES (1, 1, 'a', 'A', 0, 1)"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO step (id, program_id, phase_id, slug, kind, label, position, version)"
            " VALUES (1, 1, 1, 'debut', 'trigger', 'Début', 0, 1)"
        ))  # fmt: skip
    engine.dispose()

    store = open_store(empty_database_url)
    try:
        program = services.get_program("ancien", store=store)
    finally:
        store.dispose()

    assert program.subscription is None
    assert (program.steps[0].purpose, program.steps[0].entry) == (None, None)


def test_the_upgrade_goes_back_down_and_up_again(empty_database_url):
    _at_revision(empty_database_url, "head")
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0005_subscriber_bases")
        command.upgrade(config, "head")
    engine.dispose()


# --- the dunning template --------------------------------------------------------------------


@pytest.mark.parametrize("name", DUNNING)
def test_the_dunning_template_passes_the_checks_against_the_sepa_journey(name):
    program = load_file(TEMPLATES / name)
    journey = load_file(TEMPLATES / name.replace(".dunning.program.", ".journey."))
    assert isinstance(program, Program)

    assert program.journey == journey.id
    assert check_program(program, journey) == []
    verdicts = {c.rule: c.status for c in check_compliance(program, journey)}
    assert FAILED not in verdicts.values()
    assert verdicts["sepa_prenotification"] == PASSED
    labels = {link.label for link in program.links}
    assert {"AM04", "AC04", "MD07", "MD06"} <= {label.split()[0] for label in labels if label}
    kinds = {step.kind for step in program.steps}
    assert {StepKind.GOAL, StepKind.EXIT, StepKind.WAIT} <= kinds


@pytest.mark.parametrize(
    "engine", ["embedded", pytest.param("system", marks=pytest.mark.needs_dot)]
)
def test_the_dunning_template_draws_both_views_as_png(engine):
    if engine == "system":
        need_binary("dot")
    program = load_file(TEMPLATES / DUNNING[0])
    journey = load_file(TEMPLATES / "sepa_open_ended.fr.journey.yaml")
    assert isinstance(program, Program)

    for build in (macro_dot, detailed_dot):
        png = rendering.render(build(program, journey), "png", engine=engine)
        assert png.startswith(b"\x89PNG")


def test_the_dunning_template_is_offered_after_the_main_sepa_program():
    names = [t.file_name for t in program_templates(language="fr")]

    assert names.index("sepa_open_ended.fr.program.yaml") < names.index(DUNNING[0])


# --- journeys check ----------------------------------------------------------------------------


def test_journeys_check_exits_1_on_a_broken_rule_with_its_text_and_0_on_the_dunning(database_url):
    from journeys.cli.main import app

    database = database_url.render_as_string(hide_password=False)
    files = [str(TEMPLATES / n) for n in ("sepa_open_ended.fr.journey.yaml",
             "sepa_open_ended.fr.program.yaml", DUNNING[0])]  # fmt: skip
    assert CliRunner().invoke(app, ["import", *files, "--database", database]).exit_code == 0

    broken = CliRunner().invoke(app, ["check", "programme-abonnement-sepa", "--database", database])
    sound = CliRunner().invoke(
        app, ["check", "programme-relance-impayes", "--language", "en", "--database", database]
    )
    quiet = CliRunner().invoke(
        app, ["check", "programme-abonnement-sepa", "--no-compliance", "--database", database]
    )

    assert broken.exit_code == 1, broken.output
    assert "NON RESPECTÉE · Résiliation en ligne en trois clics" in broken.output
    assert "[demande-resiliation]" in broken.output
    assert "fonctionnalité gratuite, directement et facilement accessible" in broken.output
    assert sound.exit_code == 0, sound.output
    assert "MET · Pre-notification of SEPA debits" in sound.output
    assert "[nouvelle-presentation]" in sound.output
    assert (quiet.exit_code, quiet.output) == (0, "")

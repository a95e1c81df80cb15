"""The program PDF for managers holds what a dry run and the law checks say, read back from the
real PDF: the volumes of a hand-computable program over 1,000 stated subscribers, the pressure
and quiet hours, a Chatel reminder at D-20 failing with its reference and text; over a linked
subscriber base by default; left out when asked; user text printed as typed (escaped)."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from journeys import services
from journeys.contract.model import Program
from journeys.data import services as data
from journeys.data.demo import generate
from journeys.export import services as exports
from journeys.i18n import format_date
from journeys.store.db import Store

DAY = date(2026, 1, 5)  # a Monday, the dry run's first day
TITLE = "Relance <b>test</b> & co"
A4 = {(595, 842), (842, 595)}


def _step(sid: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"id": sid, "phase": extra.pop("phase", "accueil"), "kind": kind,
            "label": extra.pop("label", sid.title()), **extra}  # fmt: skip


def hand_program(language: str = "fr", journey: str | None = None) -> Program:
    """trigger → wait 30 days → decision 40/60 (written on the links) → an email or an SMS →
    two exits; and a renewal reminder 20 days before a tacitly renewed 12-month term."""
    return Program.model_validate(
        {
            "id": "relance-test",
            "title": TITLE,
            "objective": "lifetime",
            "language": language,
            "journey": journey,
            "subscription": {"term_months": 12, "tacit_renewal": True},
            "phases": [
                {"id": "accueil", "label": "Accueil"},
                {"id": "terme", "label": "Renouvellement"},
            ],
            "steps": [
                _step("trigger", "trigger", timing={"anchor": "start"}),
                _step("wait-30", "wait", timing={"anchor": "start", "offset_days": 30}),
                _step("decision", "decision", label="Email connu ?"),
                _step(
                    "email",
                    "message",
                    label="Bienvenue <i>email</i>",
                    channel="email",
                    timing={"anchor": "start", "offset_days": 31},
                ),
                _step(
                    "sms",
                    "message",
                    label="Bienvenue SMS",
                    channel="sms",
                    timing={"anchor": "start", "offset_days": 31},
                ),
                _step("exit-a", "exit", label="Sortie email"),
                _step("exit-b", "exit", label="Sortie SMS"),
                _step(
                    "echeance",
                    "trigger",
                    phase="terme",
                    timing={"anchor": "term_end", "offset_days": -20},
                ),
                _step(
                    "rappel",
                    "message",
                    phase="terme",
                    label="Rappel de reconduction",
                    channel="email",
                    purpose="renewal_reminder",
                    timing={"anchor": "term_end", "offset_days": -20},
                ),
                _step("exit-c", "exit", phase="terme", label="Sortie rappel"),
            ],  # fmt: skip
            "links": [
                {"from": "trigger", "to": "wait-30"},
                {"from": "wait-30", "to": "decision"},
                {"from": "decision", "to": "email", "label": "Oui · 40 %"},
                {"from": "decision", "to": "sms", "label": "Non · 60 %"},
                {"from": "email", "to": "exit-a"},
                {"from": "sms", "to": "exit-b"},
                {"from": "echeance", "to": "rappel"},
                {"from": "rappel", "to": "exit-c"},
            ],
        }
    )


def pages(pdf: bytes) -> list[str]:
    """Each page's text, one line per printed line, spaces squeezed."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for page in reader.pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size in A4, size
        text = page.extract_text().replace("\u00a0", " ").replace("\u202f", " ")
        out.append("\n".join(re.sub(r"\s+", " ", line).strip() for line in text.splitlines()))
    return out


def flat(text: str) -> str:
    """The text as one line (sentences wrap in table cells and paragraphs)."""
    return " ".join(text.split())


def row(text: str, label: str) -> list[str]:
    """The figures printed after a table row's label (on its line and the next ones)."""
    after = text.split(f"\n{label}\n", 1)[1].split("\n")
    return after[:5]


def _pdf(store: Store, program_id: str, **options: Any) -> list[str]:
    made = exports.export_download(
        program_id, store=store, fmt="pdf", view="detailed", page="A4", generated_on=DAY, **options
    )
    assert made.media_type == "application/pdf"
    return pages(made.data)


def test_the_program_pdf_holds_the_hand_computed_volumes_and_the_failing_chatel_check(
    store: Store,
) -> None:
    services.import_document(hand_program(), store=store)

    found = _pdf(store, "relance-test", dryrun=True, subscribers=1000)

    results = "\n".join(found[1:])
    said = flat(results)
    assert "Avant la mise en service : simulation à blanc et contrôles" in said
    assert f"1 000 abonnés, tous entrés le {format_date(DAY, 'fr', numeric=True)}" in said
    volumes = results.split("Volumes par étape", 1)[1]
    assert row(volumes, "Trigger")[1:] == ["1 000", "1 000", "0", "0"][:4]
    assert row(volumes, "Email connu ?")[1:5] == ["1 000", "1 000", "0", "0"]
    assert row(volumes, "Bienvenue <i>email</i>")[1:5] == ["400", "400", "0", "0"]
    assert row(volumes, "Bienvenue SMS")[1:5] == ["600", "600", "0", "0"]
    assert row(volumes, "Sortie email")[1:5] == ["400", "400", "400", "0"]
    assert row(volumes, "Sortie SMS")[1:5] == ["600", "600", "600", "0"]
    outcomes = results.split("Sorties et objectifs", 1)[1]
    assert row(outcomes, "Sortie rappel")[:2] == ["Sortie", "1 000"]
    assert "« Email connu ? » : Oui 40 %, Non 60 % — parts écrites sur les liens." in said
    pressure = results.split("Pression commerciale", 1)[1]
    assert row(pressure, "SMS")[:5] == ["2", "1", "0", "0", "600"]
    assert "0 envois sur 2 000 tombent dans les heures de repos" in said
    chatel = results.split("Règles de droit français", 1)[1]
    rule = flat(chatel)
    assert "1 non respectée(s), 0 à vérifier, 0 respectée(s), 2 sans objet" in rule
    assert "L215-1 (loi Chatel) ✖ Non respectée" in rule
    assert "« Rappel de reconduction » part 20 jours avant le terme : trop tard" in rule
    assert "au plus tôt trois mois et au plus tard un mois avant le terme" in rule
    assert TITLE in found[0] and f"Page {len(found)} sur {len(found)}" in found[-1]


def test_the_results_are_worded_in_english_for_an_english_program(store: Store) -> None:
    services.import_document(hand_program("en"), store=store)

    results = "\n".join(_pdf(store, "relance-test", dryrun=True, subscribers=1000)[1:])

    assert "Before going live: dry run and checks" in flat(results)
    day = format_date(DAY, "en", numeric=True)
    assert f"1,000 subscribers, all starting on {day}" in flat(results)
    assert row(results.split("Volumes by step", 1)[1], "Bienvenue SMS")[1:5] == [
        "600",
        "600",
        "0",
        "0",
    ]
    assert "Marketing pressure" in results and "Quiet hours" in results
    assert "French law checks" not in results  # not by default for an English program


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    return generate(tmp_path_factory.mktemp("demo"), 1500, seed=11, profile="renewal")


def test_over_a_linked_base_the_dry_run_is_in_by_default_and_left_out_when_asked(
    store: Store, demo
) -> None:
    services.create_from_template("fixed_term_renewal.fr.journey", store=store)
    program = services.create_program_from_template("fixed_term_renewal.fr.program", store=store)
    data.import_base("demo", demo.subscriptions, store=store, events=demo.events)
    data.link_journey_base("renouvellement-duree-fixe", "demo", {}, store=store)

    default = flat("\n".join(_pdf(store, program.id)))
    assert "Base « demo » :" in default
    assert "Volumes par étape" in default and "Pression commerciale" in default
    assert "Règles de droit français" in default

    left_out = flat("\n".join(_pdf(store, program.id, dryrun=False)))
    assert "Volumes par étape" not in left_out
    assert "Simulation à blanc laissée de côté pour ce document." in left_out
    assert "Règles de droit français" in left_out


def test_without_a_base_nor_a_rule_that_applies_nothing_is_added(store: Store) -> None:
    services.import_document(hand_program("en"), store=store)

    found = _pdf(store, "relance-test")

    assert not [p for p in found if "Before going live" in p]
    assert f"Page {len(found)} of {len(found)}" in found[-1]


def test_journeys_export_runs_the_dry_run_into_the_program_pdf_or_leaves_it_out(
    database_url, tmp_path
) -> None:
    from typer.testing import CliRunner

    from journeys.cli.main import app

    store = services.open_store(database_url)
    try:
        services.import_document(hand_program(), store=store)
    finally:
        store.dispose()
    database = database_url.render_as_string(hide_password=False)
    found = {}
    for option in ("--dryrun", "--no-dryrun"):
        target = tmp_path / f"{option}.pdf"
        args = ["export", "relance-test", "-f", "pdf", "--page", "A4", "-o", str(target)]
        done = CliRunner().invoke(app, [*args, option, "--database", database])
        assert done.exit_code == 0, done.output
        found[option] = flat("\n".join(pages(target.read_bytes())))
    assert "10 000 abonnés, tous entrés le" in found["--dryrun"]
    assert "Volumes par étape" in found["--dryrun"]
    assert "Volumes par étape" not in found["--no-dryrun"]
    assert "laissée de côté" in found["--no-dryrun"] and "loi Chatel" in found["--no-dryrun"]

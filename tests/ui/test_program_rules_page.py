"""The Programs page and the French law checks: shown by default for a French program, with
the rule's text when broken; the subscribers' contract in the header, a step's purpose and a
trigger's entry criteria in the tables, saved and read back."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from journeys import services
from journeys.contract.model import Subscription
from pages.programs.tables import WAS, build_program, tables_of
from tests.ui.helpers import click, open_page, run, texts

SEPA = "abonnement-sepa"
RENEWAL = "renouvellement-duree-fixe"


def _widget(widgets, prefix: str):
    (widget,) = [w for w in widgets if (w.key or "").startswith(prefix)]
    return widget


def test_a_french_program_shows_its_broken_rule_with_the_laws_text(workspace):
    services.create_from_template("sepa_open_ended.fr.journey", store=workspace)
    services.create_program_from_template("sepa_open_ended.fr.program", store=workspace)

    at = open_page("pages/programs/page.py", journey=SEPA)

    shown = texts(at)
    assert at.toggle(key="programs_compliance_programme-abonnement-sepa").value is True
    assert 'data-rule="online_cancellation" data-status="failed"' in shown
    assert "Non respectée</b> · Résiliation en ligne en trois clics" in shown
    assert "« Résiliation en ligne » (manquant)" in shown
    assert "fonctionnalité gratuite, directement et facilement accessible" in shown
    assert "Code de la consommation, art. L215-1-1" in shown
    at.toggle(key="programs_compliance_programme-abonnement-sepa").set_value(False)
    run(at)
    assert "programs-compliance" not in texts(at)


def test_an_english_program_has_the_checks_off_until_asked(workspace):
    services.create_from_template("sepa_open_ended.en.journey", store=workspace)
    services.create_program_from_template("sepa_open_ended.en.dunning.program", store=workspace)

    at = open_page("pages/programs/page.py", journey="sepa-open-ended")  # a French interface

    assert "programs-compliance" not in texts(at)
    at.toggle(key="programs_compliance_program-dunning").set_value(True)
    run(at)
    shown = texts(at)
    assert 'data-rule="sepa_prenotification" data-status="passed"' in shown
    assert "est pré-notifié 14 jours avant" in shown


def test_the_header_says_the_contract_renews_tacitly_and_the_reminder_is_then_required(
    workspace,
):
    services.create_from_template("fixed_term_renewal.fr.journey", store=workspace)
    services.create_program_from_template("fixed_term_renewal.fr.program", store=workspace)
    at = open_page("pages/programs/page.py", journey=RENEWAL)
    assert _widget(at.selectbox, "programs_h_contract_").value == "fixed_term"
    assert "sans reconduction tacite" in texts(at)

    _widget(at.checkbox, "programs_h_tacit_").check()
    run(at)
    click(at, "programs_save")

    program = services.get_program("programme-renouvellement-duree-fixe", store=workspace)
    assert program.subscription == Subscription(term_months=12, tacit_renewal=True)
    assert "aucune étape n'est le rappel avant reconduction" in texts(at)


def test_purpose_and_entry_cells_give_back_the_program_and_bad_cells_are_located(workspace):
    services.create_program_from_template("sepa_open_ended.fr.dunning.program", store=workspace)
    program = services.get_program("programme-relance-impayes", store=workspace)
    t = tables_of(program)
    steps = [{**row, WAS: row["id"]} for row in t["steps"]]
    phases = [{**row, WAS: row["id"]} for row in t["phases"]]
    assert steps[0]["entry"] == "payment_method: Prélèvement SEPA, Carte bancaire"

    same = build_program(program.id, t["header"], phases, steps, t["links"])
    assert same.problems == () and same.program == program

    steps[0]["entry"] = "offre: Forfait 20 Go; paiement: Carte bancaire"
    steps[1]["purpose"] = "renewal_reminder"
    changed = build_program(program.id, t["header"], phases, steps, t["links"]).program
    assert changed is not None
    assert changed.steps[0].entry is not None
    assert (changed.steps[0].entry.offer, changed.steps[0].entry.payment_method) == (
        ["Forfait 20 Go"],
        ["Carte bancaire"],
    )
    assert changed.steps[1].purpose is not None
    assert changed.steps[1].purpose.value == "renewal_reminder"

    steps[0]["entry"] = "Prélèvement SEPA"
    steps[1]["entry"] = "offer: X"
    broken = build_program(program.id, t["header"], phases, steps, t["links"])
    assert broken.program is None
    assert [(p.row, p.column, p.code) for p in broken.problems] == [
        (1, "entry", "bad_entry"),
        (2, "entry", "entry_not_trigger"),
    ]


def test_a_fixed_term_without_its_length_is_refused_in_the_header(workspace):
    services.create_program_from_template("fixed_term_renewal.fr.program", store=workspace)
    program = services.get_program("programme-renouvellement-duree-fixe", store=workspace)
    t = tables_of(program)
    header = {**t["header"], "term_months": None}

    built = build_program(
        program.id,
        header,
        [{**r, WAS: r["id"]} for r in t["phases"]],
        [{**r, WAS: r["id"]} for r in t["steps"]],
        t["links"],
    )

    assert built.program is None
    assert [(p.table, p.column, p.code) for p in built.problems] == [
        ("header", "term_months", "required")
    ]


def test_the_page_offers_the_main_sepa_program_first_then_the_dunning_one(workspace):
    services.create_from_template("sepa_open_ended.fr.journey", store=workspace)

    at: AppTest = open_page("pages/programs/page.py", journey=SEPA)

    chosen = at.selectbox(key="programs_new_template")
    assert chosen.value == "sepa_open_ended.fr.program.yaml"
    assert "Programme de relance des impayés (prélèvement SEPA et carte) · FR" in chosen.options

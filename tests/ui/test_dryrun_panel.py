"""The dry-run panel of the programs page in AppTest: a number of subscribers run through the
renewal program gives the engine's volumes, a decision share typed in is used and said, a
stored base is offered first, every chart is drawn; labels holding Markdown show as text."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from journeys import services
from journeys.data import services as ds
from journeys.data.demo import generate
from journeys.programs import services as ps
from tests.ui.helpers import click, open_page, run, texts

PAGE = "pages/programs/page.py"
JOURNEY = "renouvellement-duree-fixe"
PROGRAM = "programme-renouvellement-duree-fixe"
KEY = "programs_dryrun_"


@pytest.fixture
def store(workspace):
    services.create_from_template("fixed_term_renewal.fr.journey", store=workspace)
    services.create_program_from_template("fixed_term_renewal.fr.program", store=workspace)
    return workspace


def counted(at: AppTest, count: int) -> AppTest:
    at.radio(key=KEY + "population").set_value("count")
    run(at)
    at.number_input(key=KEY + "count").set_value(count)
    return run(at)


def table(at: AppTest) -> dict[str, tuple[int, int, int, int]]:
    (frame,) = [d.value for d in at.dataframe if "reached" in d.value.columns]
    return {
        row["step"]: (row["entered"], row["reached"], row["left"], row["waiting"])
        for row in frame.to_dict("records")
    }


def test_a_number_of_subscribers_runs_through_the_program_with_every_chart(store):
    at = counted(open_page(PAGE, journey=JOURNEY), 1000)
    assert "Simulation à blanc : volumes, pression et heures de repos" in [
        e.label for e in at.expander
    ]

    at = click(at, KEY + "go")

    shown = texts(at)
    assert "Résultats de la simulation" in shown
    assert "1\u00a0000 abonnés, tous entrés le" in shown
    assert "aucune part indiquée : partage égal" in shown  # the even split is said
    volumes = table(at)
    assert volumes["Abonnement annuel démarré"] == (1000, 1000, 0, 0)
    assert volumes["Email de bienvenue avec accès à l'édition numérique"][1] == 500
    assert "personne ne dépasse le plafond" in shown
    assert len(at.get("plotly_chart")) == 2  # Sankey, messages per week: no one over a cap
    assert "Pression tous programmes confondus" in shown
    assert "Heures de repos" in shown
    drawn = [h.value for h in at.get("html") if "pg-dryrun-diagram" in h.value]
    assert drawn and "data:image/svg+xml;base64," in drawn[0], "the diagram, at its own size"
    at = run(at.toggle(key=f"programs_dryrun_fit_{PROGRAM}").set_value(True))
    assert at.get("imgs") or at.get("image"), "the diagram fitted to the width"


def test_the_pressure_calendar_shows_those_over_a_cap(store):
    at = counted(open_page(PAGE, journey=JOURNEY), 1000)
    cap = next(n for n in at.number_input if n.key == f"{KEY}cap_email")
    at = run(cap.set_value(0))  # no email at all in 7 days: every email breaks it
    at = click(at, KEY + "go")
    assert len(at.get("plotly_chart")) == 3  # Sankey, messages per week, pressure calendar
    assert "plafond de 0 envoi(s) en 7 jours" in texts(at)


def test_a_share_typed_in_is_used_and_said(store):
    at = counted(open_page(PAGE, journey=JOURNEY), 1000)
    first = next(n for n in at.number_input if n.key.startswith(f"{KEY}share_{PROGRAM}_email"))
    assert first.value == 50.0  # prefilled evenly
    assert "Préremplies à parts égales (50\u00a0%, 50\u00a0%) : aucune part indiquée." in texts(at)
    first.set_value(80.0)
    second = next(n for n in at.number_input if n.key == first.key[:-1] + "1")
    second.set_value(20.0)
    run(at)

    at = click(at, KEY + "go")

    assert table(at)["Email de bienvenue avec accès à l'édition numérique"][1] == 800
    assert "parts indiquées pour cette simulation" in texts(at)


def test_a_stored_base_is_offered_first_and_runs_in_english(store, tmp_path):
    demo = generate(tmp_path / "demo", 1500, seed=3)
    ds.import_base("presse", demo.subscriptions, store=store, events=demo.events)
    at = open_page(PAGE, lang="en", journey=JOURNEY)
    assert at.radio(key=KEY + "population").value == "base"

    at = click(at, KEY + "go")

    shown = texts(at)
    assert "Base “presse”: " in shown
    assert "renewal rate at the 12-month term of base “presse”" in shown
    assert "Dry-run results" in shown


def test_user_text_in_the_results_shows_as_text(store):
    editable = ps.get_program_for_edit(PROGRAM, store=store)
    program = editable.program
    steps = [
        s.model_copy(update={"label": "**Bold** [link](http://x.example)"})
        if s.id == "email-connu"
        else s
        for s in program.steps
    ]
    changed = program.model_copy(update={"steps": steps})
    ps.save_program(
        type(program).model_validate(changed.model_dump(by_alias=True)),
        store=store,
        expected_version=editable.version,
    )
    at = counted(open_page(PAGE, journey=JOURNEY), 100)
    at = click(at, KEY + "go")

    assert "« **Bold** [link](http://x.example) » : " in texts(at)


def test_an_event_rate_typed_in_is_used_and_said(workspace):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    services.create_program_from_template("first_subscription.fr.program", store=workspace)
    at = counted(open_page(PAGE, journey="premier-abonnement"), 1000)
    rate = at.number_input(key=KEY + "rate_abandon-tunnel")
    assert rate.value == 0.1  # assumed, and said so on hover
    rate.set_value(2.0)
    run(at)

    at = click(at, KEY + "go")

    shown = texts(at)
    assert "Événement « abandon-tunnel » : 2,00 par abonné et par an — fréquence indiquée" in shown
    (frame,) = [d.value for d in at.dataframe if "reached" in d.value.columns]
    entered = dict(zip(frame["step"], frame["reached"], strict=True))
    assert 1700 < entered["Tunnel de souscription abandonné (email saisi)"] < 2300


def test_all_the_programs_of_the_journey_run_together_and_share_the_caps(store):
    services.create_program_from_template(
        "fixed_term_renewal.fr.program", store=store, new_id="second", title="Second programme"
    )
    at = counted(open_page(PAGE, journey=JOURNEY), 500)
    at.radio(key=KEY + "scope").set_value("journey")
    run(at)

    at = click(at, KEY + "go")

    titles = [t.label for t in at.tabs][-2:]
    assert titles == ["Programme relationnel renouvellement", "Second programme"]
    # the same subscribers called back by both programs within days: over the phone cap
    found = re.search(r"Téléphone : (\d+) abonnés dépassent le plafond de 1 envoi", texts(at))
    assert found and 50 < int(found.group(1)) < 200
    assert "(Second programme)" in texts(at)  # whose step it is, when several programs run

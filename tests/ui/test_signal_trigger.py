"""A pre-churn signal becomes a trigger step in one click, from the data page's signals tab:
each signal row picks one of the programs of the journeys reading the base and adds the step
(anchored on the event, its lift and volume as the KPI note), said with the step and the
program; no program says so with a way to the programs page; a refused click says why in one
line (the program gone, the event unknown); FR and EN."""

from __future__ import annotations

import pytest

from journeys import services
from journeys.contract.model import Anchor, StepKind
from journeys.data import attrition
from journeys.data import services as ds
from journeys.data.demo import generate
from pages.data import views
from tests.ui.helpers import open_page, run, texts

PAGE = "pages/data/page.py"
JOURNEY = "premier-abonnement"
PROGRAM = "programme-premier-abonnement"
EVENT = "Visite page de résiliation"
PROGRAM_KEY = "data_signal_program_"
ADD_KEY = "data_signal_add_"


@pytest.fixture(autouse=True)
def _fresh_views():
    views.forget()
    yield
    views.forget()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    return generate(tmp_path_factory.mktemp("demo"), 1500, seed=4)


@pytest.fixture
def linked(workspace, demo):
    """The demo base, read by the first-subscription journey, which has its program."""
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    services.create_program_from_template("first_subscription.fr.program", store=workspace)
    ds.import_base("presse", demo.subscriptions, store=workspace, events=demo.events)
    ds.link_journey_base(JOURNEY, "presse", {}, store=workspace)
    return workspace


def _signals_tab(lang: str = "fr"):
    at = open_page(PAGE, lang=lang)
    at.session_state[f"data_view_{lang}"] = (
        "Signaux avant départ" if lang == "fr" else "Pre-churn signals"
    )
    return run(at)


def test_one_click_turns_a_signal_into_a_trigger_step_of_the_journeys_program(linked):
    before = services.get_program(PROGRAM, store=linked)
    view = ds.get_base_view("presse", store=linked)
    signal = next(s for s in attrition.signals(view.aggregates, 30) if s.event == EVENT)
    at = _signals_tab()
    picker = at.selectbox(key=PROGRAM_KEY + EVENT)
    assert picker.value == PROGRAM
    assert "Programme relationnel premier abonnement" in picker.options[0]

    at = run(at.button(key=ADD_KEY + EVENT).click())

    program = services.get_program(PROGRAM, store=linked)
    assert len(program.steps) == len(before.steps) + 1
    step = program.steps[-1]
    assert step.kind is StepKind.TRIGGER and step.label == EVENT
    assert step.timing is not None and step.timing.anchor is Anchor.EVENT
    assert step.timing.event == "visite-page-de-resiliation"
    assert step.kpi is not None
    assert f"×{signal.lift:.1f}".replace(".", ",") in step.kpi and "presse" in step.kpi
    assert f"{signal.left} des {signal.subscribers} abonnés" in step.kpi.replace("\u00a0", "")
    shown = texts(at)
    assert (
        f"Étape déclencheur « {EVENT} » ajoutée au programme "
        "« Programme relationnel premier abonnement »"
    ) in shown
    at = run(at.button(key="data_signal_open").click())  # the program, the step in it
    assert at.session_state["programs_selected"] == PROGRAM
    assert at.title[0].value == "Programmes relationnels"
    steps = next(d.value for d in at.dataframe if "kpi" in d.value.columns)
    shown = steps.to_dict("records")[-1]
    assert (shown["label"], shown["kind"], shown["kpi"]) == (EVENT, "trigger", step.kpi)


def test_the_program_gone_or_the_event_unknown_is_said_in_one_line(linked, demo):
    at = _signals_tab()
    services.delete_program(PROGRAM, store=linked)
    at = run(at.button(key=ADD_KEY + EVENT).click())
    assert "Ce programme n'existe plus" in texts(at)
    assert all("\n" not in e.value for e in at.error)

    services.restore_program(PROGRAM, store=linked)
    at = _signals_tab()
    ds.import_base("presse", demo.subscriptions, store=linked)  # again, without its events
    at = run(at.button(key=ADD_KEY + EVENT).click())
    assert f"L'événement « {EVENT} » n'est plus un signal de la base « presse »" in texts(at)
    before = services.get_program(PROGRAM, store=linked)
    assert not [s for s in before.steps if s.label == EVENT], "nothing was added"


def test_without_a_program_the_tab_says_so_and_points_to_the_programs_page(workspace, demo):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    ds.import_base("presse", demo.subscriptions, store=workspace, events=demo.events)
    ds.link_journey_base(JOURNEY, "presse", {}, store=workspace)
    at = _signals_tab()
    assert "Aucun programme relationnel" in texts(at)
    assert not [b for b in at.button if (b.key or "").startswith(ADD_KEY)]
    links = [p for p in at.get("page_link")]
    assert any("programs" in p.proto.page for p in links)


def test_the_click_is_said_in_english_too(linked):
    at = _signals_tab("en")
    at = run(at.button(key=ADD_KEY + EVENT).click())
    assert (
        f"Trigger step “{EVENT}” added to the program “Programme relationnel premier abonnement”"
    ) in texts(at)

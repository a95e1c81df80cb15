"""The programs and exports pages driven through AppTest, and the pieces under them: the
editing tables turned into a program, and the versioned save."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from journeys import services
from journeys.contract.model import Program, StepKind
from journeys.programs import services as ps
from pages.programs.tables import WAS, build_program, tables_of
from tests.ui.helpers import click, open_page, run, texts

JOURNEY = "renouvellement-duree-fixe"
PROGRAM = "programme-renouvellement-duree-fixe"


@pytest.fixture
def store(workspace):
    """A workspace holding the fixed-term renewal journey."""
    services.create_from_template("fixed_term_renewal.fr.journey", store=workspace)
    return workspace


@pytest.fixture
def with_program(store):
    """The renewal journey and its relationship program."""
    services.create_program_from_template("fixed_term_renewal.fr.program", store=store)
    return store


def add_step(
    at: AppTest,
    label: str,
    *,
    kind: str,
    phase: str,
    after: str | None = None,
    branch: str = "",
    anchor: str | None = None,
) -> AppTest:
    at.selectbox(key="programs_add_step_kind").set_value(kind)
    at.text_input(key="programs_add_step_label").input(label)
    at.selectbox(key="programs_add_step_phase").set_value(phase)
    if after:
        at.selectbox(key="programs_add_step_after").set_value(after)
        at.text_input(key="programs_add_step_branch").input(branch)
    if anchor:
        at.selectbox(key="programs_add_step_anchor").set_value(anchor)
    return click(at, "programs_add_step_submit")


# --- the pages run ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "programs", "exports", "preview"),
    [
        ("fr", "Programmes relationnels", "Exports", "Aperçu"),
        ("en", "Relationship programs", "Exports", "Preview"),
    ],
)
def test_both_pages_run_in_french_and_in_english(with_program, lang, programs, exports, preview):
    at = open_page("pages/programs/page.py", lang=lang, journey=JOURNEY)
    assert programs in [t.value for t in at.title]
    assert preview in [s.value for s in at.subheader]
    assert at.session_state["programs_selected"] == PROGRAM
    assert at.get("imgs") or at.get("image"), "the diagram preview is drawn"
    at.switch_page("pages/exports/page.py")
    run(at)
    assert exports in [t.value for t in at.title]


def test_both_pages_run_in_an_empty_workspace(workspace):
    at = open_page("pages/programs/page.py")
    assert "Aucun programme relationnel pour l'instant" in texts(at)
    at.switch_page("pages/exports/page.py")
    run(at)
    assert "Rien à exporter" in texts(at)


# --- create, edit, check ----------------------------------------------------------------------


def test_creates_a_program_from_the_template_that_fits_the_journey_and_links_it(store):
    at = open_page("pages/programs/page.py", journey=JOURNEY)
    assert at.selectbox(key="programs_new_template").value == "fixed_term_renewal.fr.program.yaml"
    assert at.selectbox(key="programs_new_journey").value == JOURNEY
    at.text_input(key="programs_new_title").input("Programme ADD 2025")
    click(at, "programs_new_submit")
    assert "Programme relationnel « Programme ADD 2025 » créé." in texts(at)
    (summary,) = services.list_programs(store=store, journey_id=JOURNEY)
    assert (summary.title, summary.journey) == ("Programme ADD 2025", JOURNEY)
    assert at.session_state["programs_selected"] == summary.id
    # taken twice, the template gets a free id instead of an error
    click(at, "programs_new_submit")
    assert len(services.list_programs(store=store, journey_id=JOURNEY)) == 2


def test_creates_a_blank_program_linked_to_the_journey(store):
    at = open_page("pages/programs/page.py", lang="en", journey=JOURNEY)
    at.radio(key="programs_new_source").set_value("blank")
    run(at)
    at.text_input(key="programs_new_title").input("Win-back program")
    click(at, "programs_new_submit")
    program = services.get_program("win-back-program", store=store)
    assert (program.journey, program.phases, program.language) == (JOURNEY, [], "en")
    assert "The program has no steps yet" in texts(at)


def test_adds_a_phase_and_a_step_then_saves_them(with_program):
    at = open_page("pages/programs/page.py", journey=JOURNEY)
    at.text_input(key="programs_add_phase_label").input("Parrainage")
    at.selectbox(key="programs_add_phase_moment").set_value("reconquete")
    click(at, "programs_add_phase_submit")
    assert "Modifications non enregistrées" in texts(at)
    assert "La phase « Parrainage » n'a pas encore d'étapes." in texts(at)
    assert services.get_program(PROGRAM, store=with_program).phases[-1].id == "reconquete"

    add_step(
        at,
        "Email de parrainage",
        kind="message",
        phase="parrainage",
        after="invitation-parrainage",
        anchor="start",
    )
    assert "Téléphone / centre de contacts" in at.selectbox(key="programs_add_step_channel").options
    click(at, "programs_save")
    assert "enregistré (version 2)" in texts(at)
    program = services.get_program(PROGRAM, store=with_program)
    assert (program.phases[-1].id, program.phases[-1].moment) == ("parrainage", "reconquete")
    step = program.steps[-1]
    assert (step.id, step.kind, step.phase) == (
        "email-de-parrainage",
        StepKind.MESSAGE,
        "parrainage",
    )
    assert program.links[-1].from_ == "invitation-parrainage"
    assert "Le message « Email de parrainage » n'a pas de canal." in texts(at)


def test_a_decision_with_one_branch_is_reported_in_plain_words(with_program):
    at = open_page("pages/programs/page.py", journey=JOURNEY)
    add_step(
        at,
        "Client fidèle ?",
        kind="decision",
        phase="bienvenue",
        after="abonnement-demarre",
        branch="",
    )
    assert "La décision « Client fidèle ? » a 0 branche(s) : il en faut au moins 2." in texts(at)
    add_step(at, "Remercier", kind="exit", phase="bienvenue", after="client-fidele", branch="Oui")
    shown = texts(at)
    assert "La décision « Client fidèle ? » a 1 branche(s) : il en faut au moins 2." in shown
    assert '<li class="error">' in shown
    assert services.get_program(PROGRAM, store=with_program).steps[1].id == "email-connu"


def test_a_step_that_breaks_the_contract_is_named_and_nothing_is_saved(with_program):
    at = open_page("pages/programs/page.py", lang="en", journey=JOURNEY)
    add_step(at, "Payment failed", kind="trigger", phase="renouvellement", anchor="event")
    shown = texts(at)
    assert "Steps, row 25, “Event” — with the reference “Event”, give the event's name." in shown
    assert "nothing is saved while they remain" in shown
    assert at.button(key="programs_save").disabled
    assert len(services.get_program(PROGRAM, store=with_program).steps) == 24


def test_a_concurrent_save_is_not_overwritten_unawares(with_program):
    at = open_page("pages/programs/page.py", journey=JOURNEY)
    at.text_input(key="programs_add_phase_label").input("Mes remarques")
    click(at, "programs_add_phase_submit")
    theirs = ps.get_program_for_edit(PROGRAM, store=with_program)
    changed = theirs.program.model_copy(update={"title": "Leur titre"})
    ps.save_program(changed, store=with_program, expected_version=theirs.version)
    run(at)
    assert "Quelqu'un d'autre a enregistré ce programme" in texts(at)
    assert services.get_program(PROGRAM, store=with_program).title == "Leur titre"
    click(at, "programs_conflict_mine")
    program = services.get_program(PROGRAM, store=with_program)
    assert program.phases[-1].label == "Mes remarques"


def header_title(at: AppTest):
    (widget,) = [w for w in at.text_input if (w.key or "").startswith("programs_h_title_")]
    return widget


def test_unsaved_edits_survive_a_visit_to_another_page(with_program):
    at = open_page("pages/programs/page.py", journey=JOURNEY)
    header_title(at).input("Programme fidélité 2026")
    run(at)
    assert "Modifications non enregistrées" in texts(at)
    at.switch_page("pages/library/page.py")
    run(at)
    at.switch_page("pages/programs/page.py")
    run(at)
    assert header_title(at).value == "Programme fidélité 2026"
    assert "Modifications non enregistrées" in texts(at)
    click(at, "programs_save")
    assert _program(with_program).title == "Programme fidélité 2026"


def test_delete_moves_the_program_to_the_trash_and_restore_brings_it_back(with_program):
    at = open_page("pages/programs/page.py", journey=JOURNEY)
    click(at, "programs_delete_do")
    assert services.list_programs(store=with_program) == []
    click(at, f"programs_restore_{PROGRAM}")
    assert [p.id for p in services.list_programs(store=with_program)] == [PROGRAM]


# --- exports ----------------------------------------------------------------------------------


def test_export_buttons_produce_the_bytes_and_save_to_the_export_folder(with_program, tmp_path):
    at = open_page("pages/exports/page.py", journey=JOURNEY)
    click(at, "exports_prepare")
    export = at.session_state["exports_result"][1]
    assert export.data.startswith(b"%PDF") and export.filename.endswith(".pdf")
    assert at.get("download_button"), "the download button is offered"
    click(at, "exports_save")
    saved = list((tmp_path / "exports").glob("*.pdf"))
    assert len(saved) == 1 and saved[0].read_bytes().startswith(b"%PDF")
    assert str(saved[0].resolve()) in texts(at)

    at.button_group(key="exports_kind").set_value("program")
    run(at)
    assert "exports_result" not in at.session_state, "a changed choice drops the old file"
    at.button_group(key="exports_format_program").set_value("svg")
    at.button_group(key="exports_view").set_value("detailed")
    click(at, "exports_prepare")
    export = at.session_state["exports_result"][1]
    assert b"<svg" in export.data
    assert "_detailed_" in export.filename and export.filename.endswith(".svg")


def test_export_of_a_journey_as_csv_and_yaml_in_english(with_program):
    at = open_page("pages/exports/page.py", lang="en", journey=JOURNEY)
    at.button_group(key="exports_format_journey").set_value("csv")
    click(at, "exports_prepare")
    assert at.session_state["exports_result"][1].media_type == "text/csv"
    at.button_group(key="exports_format_journey").set_value("yaml")
    click(at, "exports_prepare")
    assert at.session_state["exports_result"][1].data.startswith(b"format: journeys/v1")


# --- under the page: tables -> program, versioned save ----------------------------------------


def _marked(rows):
    return [{**row, WAS: row["id"]} for row in rows]


def _program(store) -> Program:
    return services.get_program(PROGRAM, store=store)


def test_unchanged_tables_give_back_the_same_program(with_program):
    program = _program(with_program)
    t = tables_of(program)
    built = build_program(
        program.id, t["header"], _marked(t["phases"]), _marked(t["steps"]), t["links"]
    )
    assert built.problems == () and built.program == program


def test_renamed_ids_are_followed_and_blank_ids_come_from_labels(with_program):
    program = _program(with_program)
    t = tables_of(program)
    phases, steps = _marked(t["phases"]), _marked(t["steps"])
    phases[0]["id"] = "accueil"
    steps[0]["id"] = "depart"
    steps.append({"label": "Appel de courtoisie", "kind": "action", "phase": "accueil"})
    built = build_program(program.id, t["header"], phases, steps, t["links"])
    assert built.problems == ()
    new = built.program
    assert new is not None
    assert {s.phase for s in new.steps if s.id in ("email-connu", "depart")} == {"accueil"}
    assert new.links[0].from_ == "depart"
    assert new.steps[-1].id == "appel-de-courtoisie"


def test_phases_are_put_in_the_order_column_and_problems_keep_their_drawn_row(with_program):
    program = _program(with_program)
    t = tables_of(program)
    phases = _marked(t["phases"])
    phases[0]["order"] = 99
    built = build_program(program.id, t["header"], phases, _marked(t["steps"]), t["links"])
    assert built.program is not None and built.program.phases[-1].id == "bienvenue"
    phases[1]["label"] = " "
    built = build_program(program.id, t["header"], phases, _marked(t["steps"]), t["links"])
    assert built.program is None
    assert [(p.table, p.row, p.column, p.code) for p in built.problems] == [
        ("phases", 2, "label", "required")
    ]


def test_save_program_refuses_a_stale_version_and_writes_nothing(with_program):
    first = ps.get_program_for_edit(PROGRAM, store=with_program)
    version = ps.save_program(
        first.program.model_copy(update={"title": "A"}),
        store=with_program,
        expected_version=first.version,
    )
    assert version == first.version + 1
    with pytest.raises(services.StaleVersionError):
        ps.save_program(
            first.program.model_copy(update={"title": "B"}),
            store=with_program,
            expected_version=first.version,
        )
    assert _program(with_program).title == "A"
    assert ps.get_program_for_edit(PROGRAM, store=with_program).version == version


def test_free_program_id_skips_ids_in_use_even_in_the_trash(with_program):
    services.delete_program(PROGRAM, store=with_program)
    assert ps.free_program_id(PROGRAM, store=with_program) == f"{PROGRAM}-2"
    assert ps.free_program_id("tout-neuf", store=with_program) == "tout-neuf"

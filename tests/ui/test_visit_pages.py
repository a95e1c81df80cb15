"""The road form, the visits page and the compare page driven through AppTest."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from journeys import services
from journeys.visits import services as vs
from journeys.visits.agency.mapping import ColumnMapping, ValueMapping
from journeys.visits.drafts import ObservationDraft
from tests.fixtures.agency_files import (
    BAD_DATE_AGENCY_FILE,
    LATER_TIMED_AGENCY_FILE,
    SHORT_AGENCY_FILE,
    TIMED_AGENCY_FILE,
    UNKNOWN_TYPE_AGENCY_FILE,
)
from tests.ui.helpers import button, open_page, run, start, texts

JOURNEY = "premier-abonnement"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 60


@pytest.fixture
def store(workspace):
    """A workspace holding the first-subscription journey."""
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    return workspace


def start_visit(store, shopper: str = "Marie") -> tuple[AppTest, str]:
    at = open_page("pages/road/page.py", journey=JOURNEY)
    at.selectbox(key="road_start_journey").set_value(JOURNEY)
    at.text_input(key="road_shopper").input(shopper)
    run(at)
    run(button(at, "Commencer la visite").click())
    token = at.query_params["draft"]
    assert isinstance(token, str) and token
    return at, token


@pytest.mark.parametrize(
    "page", ["pages/road/page.py", "pages/visits/page.py", "pages/compare/page.py"]
)
def test_each_visit_page_runs_with_and_without_a_selected_journey(store, page):
    open_page(page, journey=JOURNEY)
    at = start()
    at.switch_page(page)
    run(at)


def test_the_road_form_saves_each_field_as_typed_and_a_reload_finds_it_again(store):
    at, token = start_visit(store)
    at.selectbox(key="road_o_moment").set_value("souscription")
    run(at)
    at.selectbox(key="road_o_channel").set_value("site-web")
    run(at)
    at.segmented_control(key="road_o_type").set_value("irritant")
    run(at)
    at.text_area(key="road_o_text").input("Formulaire tro")
    run(at)

    saved = vs.load_draft(token, store=store).draft
    assert (saved.shopper, saved.observations[0].text) == ("Marie", "Formulaire tro")

    again = open_page("pages/road/page.py", journey=JOURNEY, draft=token)
    assert again.text_area(key="road_o_text").value == "Formulaire tro"
    assert again.selectbox(key="road_o_moment").value == "souscription"
    assert again.segmented_control(key="road_o_type").value == "irritant"
    assert again.query_params["draft"] == token


def test_the_road_form_says_what_is_missing_then_sends_the_visit_to_the_board(store):
    at, token = start_visit(store)
    at.selectbox(key="road_o_moment").set_value("souscription")
    run(at)
    at.selectbox(key="road_o_channel").set_value("site-web")
    run(at)
    at.segmented_control(key="road_o_type").set_value("delight")
    run(at)
    run(button(at, "Envoyer la visite").click())
    assert "Constat : à remplir" in texts(at)
    assert vs.list_visits(JOURNEY, store=store) == []

    at.text_area(key="road_o_text").input("Tarif très clair")
    run(at)
    at.file_uploader[0].set_value(("guichet.png", PNG, "image/png"))
    run(at)
    run(button(at, "Envoyer la visite").click())

    assert "Visite envoyée" in texts(at)
    (visit,) = vs.list_visits(JOURNEY, store=store)
    assert (visit.observations, visit.photos) == (1, 1)
    board = open_page("pages/board/page.py", journey=JOURNEY)
    (canvas,) = [e for e in board.get("bidi_component") if e.key == "board_canvas"]
    cards = json.loads(canvas.proto.bytes.partition(b"\n")[2])["cards"]
    assert [c["visits"] for c in cards if c["visits"]] == [1]  # "1 visite" on its card


def test_a_refused_photo_is_explained_and_not_attached(store):
    at, token = start_visit(store)
    at.file_uploader[0].set_value(("virus.png", b"MZ\x90\x00", "image/png"))
    run(at)
    assert "n'est pas une photo" in texts(at)
    assert vs.load_draft(token, store=store).draft.observations[0].photos == []


def test_the_road_form_moves_between_observations(store):
    at, token = start_visit(store)
    at.text_area(key="road_o_text").input("Premier")
    run(at)
    run(button(at, "Nouvelle").click())
    assert at.text_area(key="road_o_text").value == ""
    at.text_area(key="road_o_text").input("Second")
    run(at)
    run(at.button(key="road_prev").click())
    assert at.text_area(key="road_o_text").value == "Premier"
    assert [o.text for o in vs.load_draft(token, store=store).draft.observations] == [
        "Premier",
        "Second",
    ]


def test_the_visits_page_imports_an_agency_file_after_its_values_are_mapped(store):
    # AppTest cannot type a new agency name: this one is known from an earlier file.
    vs.save_agency_mapping("Agence Qualimétrie", ColumnMapping(), ValueMapping(), store=store)
    at = open_page("pages/visits/page.py", journey=JOURNEY)
    at.selectbox(key="visits_csv_agency").set_value("Agence Qualimétrie")
    run(at)
    at.file_uploader[0].set_value(("agence.csv", SHORT_AGENCY_FILE, "text/csv"))
    run(at)
    assert "cp1252" in texts(at)
    (value_pick,) = [s for s in at.selectbox if s.key and s.key.startswith("visits_csv_val_")]
    value_pick.set_value("telephone")
    run(at)
    assert "Prêt : 2 visite(s), 2 observation(s)." in texts(at)

    run(at.button(key="visits_csv_import").click())

    assert "Import réussi" in texts(at)
    assert len(vs.list_visits(JOURNEY, store=store)) == 2
    saved = vs.load_agency_mapping("agence qualimetrie", store=store)
    assert saved is not None and saved[1].channels == {"Tél.": "telephone"}


def upload(store, data: bytes, agency: str = "Agence Qualimétrie") -> AppTest:
    """The visits page with `data` uploaded for `agency`."""
    # AppTest cannot type a new agency name: this one is known from an earlier file.
    if agency not in vs.list_agencies(store=store):
        vs.save_agency_mapping(agency, ColumnMapping(), ValueMapping(), store=store)
    at = open_page("pages/visits/page.py", journey=JOURNEY)
    at.selectbox(key="visits_csv_agency").set_value(agency)
    run(at)
    at.file_uploader[0].set_value(("agence.csv", data, "text/csv"))
    return run(at)


def test_an_unknown_type_label_starts_empty_and_blocks_the_import_until_chosen(store):
    at = upload(store, UNKNOWN_TYPE_AGENCY_FILE)

    (pick,) = [s for s in at.selectbox if s.key and s.key.startswith("visits_csv_val_type")]
    assert pick.value is None
    assert "Rupture" in pick.help  # the guess is a suggestion only
    assert at.button(key="visits_csv_import").disabled
    assert "l'import attend vos choix" in texts(at)
    saved = vs.load_agency_mapping("agence qualimetrie", store=store)
    assert saved is not None and saved[1].types == {}

    pick.set_value("delight")
    run(at)
    assert not at.button(key="visits_csv_import").disabled
    run(at.button(key="visits_csv_import").click())

    saved = vs.load_agency_mapping("agence qualimetrie", store=store)
    assert saved is not None and saved[1].types == {"Coup de cœur": "delight"}
    (visit,) = [
        vs.get_visit(JOURNEY, v.id, store=store) for v in vs.list_visits(JOURNEY, store=store)
    ]
    assert [o.type.value for o in visit.observations] == ["delight", "irritant"]


def test_the_visits_page_maps_the_hour_says_how_intensity_is_set_and_skips_known_visits(store):
    phone = ValueMapping(channels={"Tél.": "telephone"})
    vs.save_agency_mapping("Agence Qualimétrie", ColumnMapping(), phone, store=store)
    vs.import_agency_csv(
        TIMED_AGENCY_FILE,
        JOURNEY,
        vs.mapping_for_headers(
            [
                "Date",
                "Heure",
                "Enquêtrice",
                "Moment de vie",
                "Canal",
                "Type de constat",
                "Note",
                "Commentaire",
            ],
            store=store,
        ),
        phone,
        store=store,
    )
    at = upload(store, LATER_TIMED_AGENCY_FILE)

    assert at.selectbox(key="visits_csv_col_visit_time").value == "Heure"
    assert "déduite de la note sur 5 (colonne « Note »)" in texts(at)
    assert at.button(key="visits_csv_import").disabled
    assert any("Visite déjà importée" in d.value.to_string() for d in at.dataframe)
    at.radio(key="visits_csv_existing").set_value("skip")
    run(at)
    assert "1 visite(s) déjà dans le parcours seront ignorées" in texts(at)
    run(at.button(key="visits_csv_import").click())

    assert "1 visite(s) déjà importée(s) ignorée(s)." in texts(at)
    times = [f"{v.visited_at.astimezone():%H:%M}" for v in vs.list_visits(JOURNEY, store=store)]
    assert times == ["09:12", "09:31", "10:05", "14:05"]


def test_the_visits_page_lists_a_bad_files_rows_and_imports_nothing(store):
    at = open_page("pages/visits/page.py", journey=JOURNEY)
    at.file_uploader[0].set_value(("agence.csv", BAD_DATE_AGENCY_FILE, "text/csv"))
    run(at)
    assert "ne peut pas être importé" in texts(at)
    table = at.dataframe[0].value
    assert table.iloc[0].tolist()[:3] == [2, "Date de visite", "Date invalide"]
    assert at.button(key="visits_csv_import").disabled
    assert vs.list_visits(JOURNEY, store=store) == []


def test_the_visits_page_reports_what_visits_say_and_deletes_a_visit(store):
    info = vs.new_draft(JOURNEY, store=store)
    draft = info.draft.model_copy(
        update={
            "shopper": "Paul",
            "observations": [
                ObservationDraft(
                    moment="souscription",
                    channel="site-web",
                    type="irritant",
                    text="Trop long",
                    rating=2,
                    wait_minutes="4",
                )
            ],
        }
    )
    vs.save_draft(info.token, draft, store=store)
    vs.submit_visit(info.token, store=store)

    at = open_page("pages/visits/page.py", journey=JOURNEY)
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert figure["data"][0]["type"] == "heatmap"
    assert "Trop long" in at.dataframe[0].value.to_string()

    at.selectbox(key="visits_pick").set_value(vs.list_visits(JOURNEY, store=store)[0].id)
    run(at)
    run(at.button(key="visits_delete").click())
    assert vs.list_visits(JOURNEY, store=store) == []
    assert "corbeille" in texts(at)


def test_the_compare_page_derives_the_target_and_shows_the_gap_and_both_curves(store):
    at = open_page("pages/compare/page.py", journey=JOURNEY)
    assert at.text_input(key="compare_new_id").value == "premier-abonnement-cible"
    run(at.button(key="compare_derive").click())

    assert "Parcours cible créé" in texts(at)
    target = services.get_journey("premier-abonnement-cible", store=store)
    assert target.derived_from == JOURNEY
    curves = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [trace["name"] for trace in curves["data"]] == ["Existant", "Cible"]
    cells = at.dataframe[0].value
    assert len(cells) == len(vs.journey_gap(JOURNEY, target.id, store=store).changed_cells)


def test_deleting_an_observation_asks_for_a_second_tap(store):
    at, token = start_visit(store)
    at.text_area(key="road_o_text").input("À garder")
    run(at)
    run(button(at, "Nouvelle").click())
    at.text_area(key="road_o_text").input("À jeter")
    run(at)

    run(at.button(key="road_remove").click())
    assert len(vs.load_draft(token, store=store).draft.observations) == 2
    run(at.button(key="road_remove_no").click())
    run(at.button(key="road_remove").click())
    run(at.button(key="road_remove_yes").click())

    assert [o.text for o in vs.load_draft(token, store=store).draft.observations] == ["À garder"]
    assert at.text_area(key="road_o_text").value == "À garder"

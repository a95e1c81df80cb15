"""Mystery-shopper visits on the real store (SQLite and PostgreSQL): drafts, submission,
photos, trash, evidence, the report, agency CSV import, derive and compare."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest

from journeys import services
from journeys.board.compare import PROBLEMS, TO_FIX
from journeys.board.evidence import EvidenceLevel
from journeys.board.html import render_board
from journeys.contract.model import (
    Channel,
    Finding,
    FindingType,
    Journey,
    Moment,
    Source,
    Touchpoint,
    TouchpointStatus,
)
from journeys.contract.yaml_io import load_file
from journeys.roles import Actor, PermissionDenied, Role
from journeys.visits import services as vs
from journeys.visits.agency.mapping import ColumnMapping, ValueMapping, VisitField, suggest_mapping
from journeys.visits.agency.preview import sniff
from journeys.visits.charts import gap_curves
from journeys.visits.drafts import ObservationDraft, VisitDraft
from journeys.visits.photos import MAX_PHOTO_BYTES, PhotoRefused
from tests.fixtures.agency_files import (
    AGENCY_FILE,
    BAD_AGENCY_FILE,
    LATER_TIMED_AGENCY_FILE,
    TIMED_AGENCY_FILE,
    VISIT_ID_AGENCY_FILE,
)

TEMPLATES = sorted(services.TEMPLATES_DIR.glob("*.journey.yaml"))
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 60
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x02" * 40
HEIC = b"\x00\x00\x00\x18ftypheic" + b"\x03" * 40


@pytest.fixture
def journey(store) -> Journey:
    return services.create_from_template("first_subscription.fr.journey", store=store)


def small_journey(journey_id: str = "essai") -> Journey:
    """Three cells: one touchpoint, two touchpoints, and an empty one."""
    return Journey(
        id=journey_id,
        title="Essai",
        moments=[
            Moment(id="souscription", label="Souscription"),
            Moment(id="accueil", label="Accueil"),
        ],
        channels=[Channel(id="web", label="Site web"), Channel(id="email", label="Email")],
        touchpoints=[
            Touchpoint(id="formulaire", moment="souscription", channel="web", label="Formulaire"),
            Touchpoint(id="mail-a", moment="accueil", channel="email", label="Mail A"),
            Touchpoint(id="mail-b", moment="accueil", channel="email", label="Mail B"),
        ],
    )


def observation(**fields) -> ObservationDraft:
    base = {"moment": "souscription", "channel": "web", "type": "irritant", "text": "Trop long"}
    return ObservationDraft(**(base | fields))


def filled(info: vs.DraftInfo, *observations: ObservationDraft, shopper="Marie") -> VisitDraft:
    return info.draft.model_copy(update={"shopper": shopper, "observations": list(observations)})


def findings_of(store, journey_id: str) -> list[tuple[str, Finding]]:
    journey = services.get_journey(journey_id, store=store)
    return [(tp.id, f) for tp in journey.touchpoints for f in tp.findings]


# --- drafts --------------------------------------------------------------------------------


def test_a_draft_keeps_every_field_as_typed_and_is_found_again_by_its_token(store, journey):
    info = vs.new_draft(journey.id, store=store, shopper="Marie")
    typed = filled(
        info,
        observation(text="Formulaire trop l", wait_minutes="3,", rating=None),
        observation(moment="", channel="", type="", text="", verbatim="« moitié »"),
    )

    assert vs.save_draft(info.token, typed, store=store) == 2
    again = vs.load_draft(info.token, store=store)

    assert again.draft == typed
    assert again.version == 2 and again.visit is None
    assert again.draft.observations[0].wait_minutes == "3,"


def test_saving_under_a_new_token_creates_the_draft_and_each_call_replaces_it(store, journey):
    token = "x" * 24
    draft = VisitDraft(journey=journey.id, shopper="Paul")

    assert vs.save_draft(token, draft, store=store) == 1
    assert vs.save_draft(token, {"journey": journey.id, "shopper": "Paula"}, store=store) == 2
    assert vs.load_draft(token, store=store).draft.shopper == "Paula"


def test_a_malformed_token_or_an_oversized_draft_is_refused(store, journey):
    with pytest.raises(services.NotFoundError):
        vs.load_draft("../../etc/passwd", store=store)
    with pytest.raises(vs.DraftRefused):
        vs.save_draft("y" * 24, {"journey": journey.id, "shopper": "x" * 301}, store=store)


# --- submission ----------------------------------------------------------------------------


def test_submitting_turns_observations_into_mystery_shopper_findings_of_the_visit(store, journey):
    info = vs.new_draft(journey.id, store=store)
    draft = filled(
        info,
        observation(channel="site-web", text="Formulaire trop long", rating=2, wait_minutes="3,5"),
        observation(
            moment="reception-acces", channel="email", type="break", intensity=3, text="Codes lundi"
        ),
        ObservationDraft(moment="reception-acces", channel="email"),  # blank: left out
    )
    vs.save_draft(info.token, draft, store=store)

    visit = vs.submit_visit(info.token, store=store)

    assert [o.touchpoint for o in visit.observations] == [
        "tunnel-souscription",
        "email-codes-acces",
    ]
    assert visit.observations[0].wait_minutes == 3.5
    mine = [(tp, f) for tp, f in findings_of(store, journey.id) if f.visit == visit.id]
    assert [(tp, f.text, f.source) for tp, f in mine] == [
        ("tunnel-souscription", "Formulaire trop long", Source.MYSTERY_SHOPPER),
        ("email-codes-acces", "Codes lundi", Source.MYSTERY_SHOPPER),
    ]
    assert vs.load_draft(info.token, store=store).visit == visit.id
    assert [v.id for v in vs.list_visits(journey.id, store=store)] == [visit.id]


def test_sending_a_draft_again_returns_its_visit_and_the_draft_is_then_frozen(store, journey):
    info = vs.new_draft(journey.id, store=store)
    vs.save_draft(info.token, filled(info, observation(channel="site-web")), store=store)
    first = vs.submit_visit(info.token, store=store)

    assert vs.submit_visit(info.token, store=store).id == first.id
    with pytest.raises(vs.DraftSubmitted):
        vs.save_draft(info.token, info.draft, store=store)
    assert len(vs.list_visits(journey.id, store=store)) == 1
    assert sum(f.visit == first.id for _, f in findings_of(store, journey.id)) == 1


def test_two_phones_sending_the_same_draft_at_once_make_one_visit(store, journey):
    info = vs.new_draft(journey.id, store=store)
    vs.save_draft(info.token, filled(info, observation(channel="site-web")), store=store)
    sent: list[str] = []
    threads = [
        threading.Thread(target=lambda: sent.append(vs.submit_visit(info.token, store=store).id))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(sent) == 2 and sent[0] == sent[1]
    assert len(vs.list_visits(journey.id, store=store)) == 1


def test_an_incomplete_draft_is_refused_with_its_problems_and_changes_nothing(store, journey):
    before = services.get_journey(journey.id, store=store)
    info = vs.new_draft(journey.id, store=store)
    draft = filled(
        info,
        observation(channel="site-web", text=""),
        observation(moment="souscription", channel="email", wait_minutes="vingt"),
        shopper="",
    )
    vs.save_draft(info.token, draft, store=store)

    with pytest.raises(vs.DraftIncomplete) as refused:
        vs.submit_visit(info.token, store=store)

    found = {(p.observation, p.field, p.code) for p in refused.value.problems}
    assert found == {
        (None, "shopper", "required"),
        (0, "text", "required"),
        (1, "wait_minutes", "bad_number"),
        (1, "touchpoint", "choose_touchpoint"),  # two touchpoints there, none named
    }
    assert services.get_journey(journey.id, store=store) == before
    assert vs.list_visits(journey.id, store=store) == []
    assert vs.load_draft(info.token, store=store).visit is None


def test_an_observation_in_an_empty_cell_adds_a_touchpoint_there(store):
    services.import_document(small_journey(), store=store)
    info = vs.new_draft("essai", store=store)
    draft = filled(
        info,
        observation(moment="accueil", channel="web", text="Aucune page d'accueil"),
        observation(moment="accueil", channel="web", type="delight", text="Prix clair"),
        observation(moment="accueil", channel="email", touchpoint="mail-b", text="Mail B vide"),
    )
    vs.save_draft(info.token, draft, store=store)

    visit = vs.submit_visit(info.token, store=store)

    journey = services.get_journey("essai", store=store)
    new = [tp for tp in journey.touchpoints if (tp.moment, tp.channel) == ("accueil", "web")]
    assert [(tp.id, tp.label, len(tp.findings)) for tp in new] == [
        ("web-accueil", "Site web — Accueil", 2)
    ]
    assert visit.observations[2].touchpoint == "mail-b"


# --- photos --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp"), (HEIC, "image/heic")],
)
def test_a_photo_is_typed_by_its_bytes_and_kept_once(store, data, content_type):
    first = vs.save_photo(data, "C:\\fakepath\\IMG 0001.jpg", store=store)
    second = vs.save_photo(data, "autre.jpg", store=store)

    assert first.content_type == content_type and first.file_name == "IMG 0001.jpg"
    assert first.sha256 == second.sha256
    assert vs.get_photo(first.sha256, store=store) == (data, content_type)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\x00" * 20, "not_an_image"),
        (b"<svg onload=alert(1)>", "not_an_image"),
        (JPEG + b"\x00" * MAX_PHOTO_BYTES, "too_big"),
    ],
)
def test_what_is_not_a_photo_we_keep_is_refused(store, data, code):
    with pytest.raises(PhotoRefused) as refused:
        vs.save_photo(data, "x.jpg", store=store)
    assert refused.value.code == code


def test_photos_of_a_draft_come_back_with_the_visit(store, journey):
    photo = vs.save_photo(PNG, "guichet.png", store=store)
    info = vs.new_draft(journey.id, store=store)
    vs.save_draft(
        info.token, filled(info, observation(channel="site-web", photos=[photo])), store=store
    )
    visit = vs.submit_visit(info.token, store=store)

    stored = vs.get_visit(journey.id, visit.id, store=store)
    assert stored.observations[0].photos == [photo]
    assert vs.list_visits(journey.id, store=store)[0].photos == 1


# --- trash ---------------------------------------------------------------------------------


def test_deleting_a_visit_trashes_its_findings_and_restoring_brings_them_back(store, journey):
    info = vs.new_draft(journey.id, store=store)
    vs.save_draft(info.token, filled(info, observation(channel="site-web")), store=store)
    visit = vs.submit_visit(info.token, store=store)
    with_visit = services.get_journey(journey.id, store=store)

    assert vs.delete_visit(journey.id, visit.id, store=store) == 1
    assert services.get_journey(journey.id, store=store) == journey
    assert vs.list_visits(journey.id, store=store) == []
    assert [v.id for v in vs.list_visits(journey.id, store=store, include_deleted=True)] == [
        visit.id
    ]

    assert vs.restore_visit(journey.id, visit.id, store=store) == 1
    assert services.get_journey(journey.id, store=store) == with_visit
    with pytest.raises(services.NotFoundError):
        vs.restore_visit(journey.id, visit.id, store=store)


# --- evidence and report -------------------------------------------------------------------


def test_evidence_is_assumed_confirmed_by_visits_or_measured(store):
    journey = small_journey()
    journey.touchpoints[0].findings = [Finding(type=FindingType.IRRITANT, intensity=2, text="x")]
    journey.touchpoints[1].findings = [
        Finding(type=FindingType.IRRITANT, intensity=1, text="y", source=Source.DATA)
    ]
    journey.touchpoints[2].findings = [Finding(type=FindingType.DELIGHT, intensity=1, text="z")]
    services.import_document(journey, store=store)
    assert vs.evidence("essai", store=store)["formulaire"].level is EvidenceLevel.ASSUMED

    for shopper in ("Marie", "Paul"):
        info = vs.new_draft("essai", store=store)
        draft = filled(
            info,
            observation(text=f"vu par {shopper}"),
            observation(text="deux fois la même visite"),
            observation(moment="accueil", channel="email", touchpoint="mail-a", text="lent"),
            shopper=shopper,
        )
        vs.save_draft(info.token, draft, store=store)
        vs.submit_visit(info.token, store=store)

    evidence = vs.evidence("essai", store=store)
    assert (evidence["formulaire"].level, evidence["formulaire"].visits) == (
        EvidenceLevel.CONFIRMED,
        2,
    )
    assert (evidence["mail-a"].level, evidence["mail-a"].visits) == (EvidenceLevel.MEASURED, 2)
    assert evidence["mail-b"].level is EvidenceLevel.ASSUMED
    board = render_board(services.get_journey("essai", store=store), evidence=evidence)
    assert board.count('data-visits="2"') == 2


def test_the_report_rates_cells_ranks_irritants_times_waits_and_names_blind_spots(store):
    services.import_document(small_journey(), store=store)
    rows = [
        ("Marie", [observation(rating=2, wait_minutes="10", intensity=3, text="Trop long")]),
        ("Paul", [observation(rating=4, wait_minutes="20", intensity=3, text="trop  LONG")]),
        ("Léa", [observation(rating=3, type="break", intensity=1, text="Page blanche")]),
    ]
    for shopper, observations in rows:
        info = vs.new_draft("essai", store=store)
        vs.save_draft(info.token, filled(info, *observations, shopper=shopper), store=store)
        vs.submit_visit(info.token, store=store)

    journey, report = vs.visits_report("essai", store=store)

    assert (report.visits, report.observations) == (3, 3)
    assert [(r.moment, r.channel, r.count, r.mean) for r in report.ratings] == [
        ("souscription", "web", 3, 3.0)
    ]
    assert report.rating_matrix(journey) == [[3.0, None], [None, None]]
    assert [(i.text, i.count, i.visits, i.score) for i in report.irritants] == [
        ("Trop long", 2, 2, 6),
        ("Page blanche", 1, 1, 1),
    ]
    assert [(w.mean, w.high, w.count) for w in report.waits] == [(15.0, 20.0, 2)]
    assert report.uncovered == (("accueil", "email"),)


# --- agency CSV ----------------------------------------------------------------------------


def agency_mapping() -> ColumnMapping:
    return suggest_mapping(sniff(AGENCY_FILE).headers)


def test_a_semicolon_windows_1252_agency_file_with_french_headers_imports_after_mapping(
    store, journey
):
    found = sniff(AGENCY_FILE)
    assert (found.encoding, found.delimiter) == ("cp1252", ";")
    mapping = agency_mapping()
    assert mapping.missing_required() == []
    check = vs.check_agency_csv(AGENCY_FILE, journey.id, mapping, store=store)
    assert not check.ok
    assert [(u.field, u.value, u.rows) for u in check.preview.unknown] == [
        (VisitField.CHANNEL, "Tél.", (4,))
    ]
    values = ValueMapping(channels={"Tél.": "telephone"})

    done = vs.import_agency_csv(
        AGENCY_FILE, journey.id, mapping, values, store=store, agency="Agence Qualimétrie"
    )

    assert done.visits == ("2024-03-05-1430-helene", "2024-03-06-0905-noel")
    assert done.observations == 5
    mine = [(tp, f) for tp, f in findings_of(store, journey.id) if f.visit]
    assert Counter(tp for tp, _ in mine) == {
        "tunnel-souscription": 2,
        "email-codes-acces": 1,
        "appel-service-client": 1,
        "premier-journal-porte": 1,
    }
    assert {f.source for _, f in mine} == {Source.MYSTERY_SHOPPER}
    evidence = vs.evidence(journey.id, store=store)
    assert evidence["tunnel-souscription"].visits == 2
    assert evidence["appel-service-client"].visits == 1
    board = render_board(services.get_journey(journey.id, store=store), evidence=evidence)
    assert "Numéro d&#x27;abonné demandé deux fois — 20 min d&#x27;attente" in board
    assert "2 visites" in board
    visits = vs.list_visits(journey.id, store=store)
    assert {(v.shopper, v.agency, v.origin) for v in visits} == {
        ("Hélène", "Agence Qualimétrie", "csv"),
        ("Noël", "Agence Qualimétrie", "csv"),
    }
    wait = vs.get_visit(journey.id, "2024-03-05-1430-helene", store=store).observations[0]
    assert (wait.wait_minutes, wait.rating, wait.verbatim) == (
        3.5,
        2,
        "« J'ai abandonné deux fois »",
    )


def test_a_bad_agency_file_changes_nothing_and_says_which_rows_are_wrong_and_why(store, journey):
    before = services.get_journey(journey.id, store=store)
    mapping = suggest_mapping(sniff(BAD_AGENCY_FILE).headers)

    with pytest.raises(vs.CsvImportRefused) as refused:
        vs.import_agency_csv(BAD_AGENCY_FILE, journey.id, mapping, store=store, agency="X")

    errors = {(e.row, e.column, e.code) for e in refused.value.errors}
    assert errors == {
        (3, "Date de visite", "bad_date"),
        (4, "Moment de vie", "unknown_moment"),
        (5, "Intensité", "bad_number"),
        (6, None, "ragged_row"),
    }
    by_row = {e.row: e for e in refused.value.errors}
    assert "Souscription (souscription)" in by_row[4].message  # what was expected
    assert "from 1 to 3" in by_row[5].message
    assert services.get_journey(journey.id, store=store) == before
    assert vs.list_visits(journey.id, store=store, include_deleted=True) == []
    assert vs.list_agencies(store=store) == []


def test_the_same_agency_file_is_not_imported_twice(store, journey):
    values = ValueMapping(channels={"Tél.": "telephone"})
    vs.import_agency_csv(AGENCY_FILE, journey.id, agency_mapping(), values, store=store)
    once = services.get_journey(journey.id, store=store)

    with pytest.raises(vs.CsvImportRefused) as refused:
        vs.import_agency_csv(AGENCY_FILE, journey.id, agency_mapping(), values, store=store)

    assert {e.code for e in refused.value.errors} == {"visit_exists"}
    assert services.get_journey(journey.id, store=store) == once


PHONE = ValueMapping(channels={"Tél.": "telephone"})


def import_file(store, data: bytes, **options):
    mapping = suggest_mapping(sniff(data).headers)
    return vs.import_agency_csv(
        data, "premier-abonnement", mapping, PHONE, store=store, agency="Qualimétrie", **options
    )


def test_two_calls_the_same_morning_are_two_visits_at_their_hours(store, journey):
    done = import_file(store, TIMED_AGENCY_FILE)

    assert done.visits == (
        "2026-11-03-0912-helene",
        "2026-11-03-0931-helene",
        "2026-11-03-1405-paul",
    )
    listed = vs.list_visits(journey.id, store=store)
    assert [(v.shopper, f"{v.visited_at.astimezone():%d/%m/%Y %H:%M}") for v in listed] == [
        ("Hélène", "03/11/2026 09:12"),
        ("Hélène", "03/11/2026 09:31"),
        ("Paul", "03/11/2026 14:05"),
    ]
    first = vs.get_visit(journey.id, "2026-11-03-0912-helene", store=store)
    assert (first.shopper, first.persona, first.scenario) == (
        "Hélène",
        "Retraitée",
        "Résiliation par téléphone",
    )
    assert [
        (o.type, o.rating, o.intensity, o.wait_minutes, o.verbatim) for o in first.observations
    ] == [
        (FindingType.IRRITANT, 1, 3, 12.5, "« On me balade »"),
        (FindingType.BREAK, 3, 2, None, None),
    ]
    mine = {f.text: f.intensity for _, f in findings_of(store, journey.id) if f.visit}
    assert mine["Conseillère aimable, dossier retrouvé"] == 3  # a delight rated 5 of 5
    assert mine["Formulaire trop long — 9,90 € de frais"] == 3  # an irritant rated 2 of 5


def test_a_later_file_with_a_new_visit_the_same_day_is_refused_or_imports_only_what_is_new(
    store, journey
):
    import_file(store, TIMED_AGENCY_FILE)
    before = services.get_journey(journey.id, store=store)

    with pytest.raises(vs.CsvImportRefused) as refused:
        import_file(store, LATER_TIMED_AGENCY_FILE)

    assert [(e.code, e.value) for e in refused.value.errors] == [
        ("visit_exists", "2026-11-03-0931-helene")
    ]
    assert "03/11/2026 09:31" in refused.value.errors[0].message
    assert services.get_journey(journey.id, store=store) == before

    check = vs.check_agency_csv(
        LATER_TIMED_AGENCY_FILE,
        journey.id,
        suggest_mapping(sniff(LATER_TIMED_AGENCY_FILE).headers),
        PHONE,
        store=store,
        existing=vs.OnExisting.SKIP,
    )
    assert check.ok and [v.id for v in check.skipped] == ["2026-11-03-0931-helene"]
    done = import_file(store, LATER_TIMED_AGENCY_FILE, existing=vs.OnExisting.SKIP)

    assert (done.visits, done.skipped, done.observations) == (
        ("2026-11-03-1005-helene",),
        ("2026-11-03-0931-helene",),
        1,
    )
    assert len(vs.list_visits(journey.id, store=store)) == 4
    again = import_file(store, TIMED_AGENCY_FILE, existing=vs.OnExisting.SKIP)
    assert again.visits == () and len(again.skipped) == 3
    assert len(vs.list_visits(journey.id, store=store)) == 4


def test_a_visit_id_of_the_agency_identifies_its_visits(store, journey):
    done = import_file(store, VISIT_ID_AGENCY_FILE)
    assert done.visits == ("qm-2611-001", "qm-2611-002")

    with pytest.raises(vs.CsvImportRefused) as refused:
        import_file(store, VISIT_ID_AGENCY_FILE)

    assert [e.value for e in refused.value.errors] == ["qm-2611-001", "qm-2611-002"]
    assert {e.column for e in refused.value.errors} == {"N° de visite"}
    assert import_file(store, VISIT_ID_AGENCY_FILE, existing=vs.OnExisting.SKIP).visits == ()


def test_a_row_in_a_cell_with_several_touchpoints_must_name_one(store, journey):
    data = (
        "Date;Enquêteur;Moment;Canal;Type;Commentaire\n"
        "05/03/2024;Marie;Souscription;Email;irritant;Aucun email\n"
    ).encode()
    mapping = suggest_mapping(sniff(data).headers)

    check = vs.check_agency_csv(data, journey.id, mapping, store=store)

    assert [(e.code, e.suggestions) for e in check.errors] == [
        ("ambiguous_cell", ("email-relance-panier", "email-confirmation"))
    ]


def test_an_agency_mapping_is_remembered_and_offered_for_its_next_file(store, journey):
    headers = sniff(AGENCY_FILE).headers
    mapping = ColumnMapping(
        columns=agency_mapping().columns | {VisitField.TEXT: "Verbatim", VisitField.VERBATIM: ""}
    )
    mapping.columns.pop(VisitField.VERBATIM)
    values = ValueMapping(channels={"Tél.": "telephone"}, moments={"Accueil": "ailleurs"})
    vs.save_agency_mapping("Agence Qualimétrie", mapping, values, store=store)

    assert vs.list_agencies(store=store) == ["Agence Qualimétrie"]
    proposed = vs.mapping_for_headers(headers, store=store, agency="AGENCE qualimetrie")
    assert proposed.columns[VisitField.TEXT] == "Verbatim"
    assert proposed.columns[VisitField.VISITED_AT] == "Date de visite"
    saved = vs.load_agency_mapping("agence qualimétrie", store=store, journey=journey)
    assert saved is not None
    assert saved[1] == ValueMapping(channels={"Tél.": "telephone"})  # 'ailleurs' is not here


# --- as-is → to-be -------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_derive_and_compare_give_the_gap_cell_by_cell_and_both_curves(store, template: Path):
    current = load_file(template)
    services.import_document(current, store=store)

    target = vs.derive_target_journey(current.id, store=store, new_id=f"{current.id}-cible")
    gap = vs.journey_gap(current.id, target.id, store=store)

    assert services.get_journey(target.id, store=store) == target
    expected: dict[tuple[str, str], dict[str, set]] = {}
    for tp in current.touchpoints:
        cell = expected.setdefault((tp.moment, tp.channel), {"changed": set(), "resolved": set()})
        cell.setdefault("remaining", set())
        if tp.status in TO_FIX:
            cell["changed"].add(tp.id)
        for f in tp.findings:
            if f.type in PROBLEMS:
                cell["resolved" if f.improvement else "remaining"].add((tp.id, f.text))
    for cell in gap.cells:
        want = expected[(cell.moment, cell.channel)]
        assert {c.after.id for c in cell.changed} == want["changed"]
        assert all(c.fields == ("status",) for c in cell.changed)
        assert all(c.after.status is TouchpointStatus.PLANNED for c in cell.changed)
        assert {(r.touchpoint, r.finding.text) for r in cell.resolved} == want["resolved"]
        assert {(r.touchpoint, r.finding.text) for r in cell.remaining} == want["remaining"]
        assert not (cell.added or cell.removed or cell.introduced or cell.delights_removed)
    changed = {c for c, w in expected.items() if w["changed"] or w["resolved"]}
    assert {(c.moment, c.channel) for c in gap.changed_cells} == changed
    assert len(gap.resolved) > 0
    assert len(gap.current_curve) == len(gap.target_curve) == len(current.moments)
    for before, after in zip(gap.current_curve, gap.target_curve, strict=True):
        assert after.score >= before.score and after.delight == before.delight
    figure = gap_curves(gap, lang=current.language)
    assert [len(trace.y) for trace in figure.data] == [len(current.moments)] * 2
    with pytest.raises(services.DuplicateIdError):
        vs.derive_target_journey(current.id, store=store, new_id=target.id)


# --- roles ---------------------------------------------------------------------------------


def test_a_contributor_adds_visits_but_only_an_editor_deletes_them_or_derives(store, journey):
    contributor = store.as_actor(Actor("agence", Role.CONTRIBUTOR))
    viewer = store.as_actor(Actor("direction", Role.VIEWER))
    info = vs.new_draft(journey.id, store=contributor)
    vs.save_draft(info.token, filled(info, observation(channel="site-web")), store=contributor)
    visit = vs.submit_visit(info.token, store=contributor)
    values = ValueMapping(channels={"Tél.": "telephone"})
    vs.import_agency_csv(AGENCY_FILE, journey.id, agency_mapping(), values, store=contributor)
    before = services.get_journey(journey.id, store=store)

    for denied in (
        lambda: vs.delete_visit(journey.id, visit.id, store=contributor),
        lambda: vs.derive_target_journey(journey.id, store=contributor, new_id="cible"),
        lambda: vs.new_draft(journey.id, store=viewer),
        lambda: vs.save_photo(PNG, "x.png", store=viewer),
        lambda: vs.import_agency_csv(AGENCY_FILE, journey.id, agency_mapping(), store=viewer),
    ):
        with pytest.raises(PermissionDenied):
            denied()
    assert services.get_journey(journey.id, store=store) == before
    assert len(vs.list_visits(journey.id, store=viewer)) == 3

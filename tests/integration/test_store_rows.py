"""The store functions the workshop, visit and program services call instead of writing SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from journeys.contract.model import FindingType
from journeys.errors import NotFoundError, StaleVersionError
from journeys.store import agency_rows, documents, draft_rows, join_codes, queries
from journeys.store import notes as store_notes
from journeys.store import repository as repo
from journeys.store.notes import NoteStatus
from journeys.store.tables import utcnow
from journeys.store.visit_tables import AgencyMappingRow
from journeys.workshop.join_link import new_join_code
from tests.integration.conftest import build_journey, build_program

JID = "premier-abonnement"


@pytest.fixture
def journey_pk(store, sample_journey) -> int:
    documents.store_document(sample_journey, store=store)
    with store.read_session() as session:
        return repo.journey_pk(session, JID)


def _code(store, journey_pk):
    with store.read_session() as session:
        return join_codes.workshop_code(session, journey_pk)


# --- journeys and programs -----------------------------------------------------------------


def test_the_row_id_of_a_journey_in_the_trash_is_not_found(store, journey_pk):
    documents.set_deleted("journey", JID, store=store, deleted=True)
    with store.read_session() as session, pytest.raises(NotFoundError):
        repo.journey_pk(session, JID)


def test_program_ids_include_those_in_the_trash(store):
    documents.store_document(build_program("vivant"), store=store)
    documents.store_document(build_program("jete"), store=store)
    documents.set_deleted("program", "jete", store=store, deleted=True)

    with store.read_session() as session:
        assert queries.program_slugs(session) == {"vivant", "jete"}


def test_a_program_update_from_its_version_is_written_and_bumps_it(store, sample_program):
    documents.store_document(sample_program, store=store)
    changed = sample_program.model_copy(update={"title": "Nouveau titre", "goal": "Fidéliser"})

    version = documents.update_program(changed, store=store, expected_version=1)

    assert version == 2
    with store.read_session() as session:
        assert repo.load_program(session, sample_program.id) == changed


def test_a_program_update_from_an_old_version_writes_nothing(store, sample_program):
    documents.store_document(sample_program, store=store)
    documents.update_program(sample_program, store=store, expected_version=1)
    changed = sample_program.model_copy(update={"title": "Perdu"})

    with pytest.raises(StaleVersionError):
        documents.update_program(changed, store=store, expected_version=1)

    with store.read_session() as session:
        assert repo.load_program(session, sample_program.id) == sample_program
        assert repo.program_row(session, sample_program.id).version == 2


# --- join codes and notes ------------------------------------------------------------------


def test_opening_a_workshop_keeps_the_code_it_already_has(store, journey_pk):
    first, second = new_join_code(), new_join_code()

    assert join_codes.open_workshop(journey_pk, first, store=store) == first
    assert join_codes.open_workshop(journey_pk, second, store=store) == first
    assert _code(store, journey_pk) == first


def test_opening_a_workshop_with_another_journeys_code_writes_nothing(store, journey_pk):
    code = new_join_code()
    join_codes.open_workshop(journey_pk, code, store=store)
    documents.store_document(build_journey("autre"), store=store)
    with store.read_session() as session:
        other_pk = repo.journey_pk(session, "autre")

    assert join_codes.open_workshop(other_pk, code, store=store) is None
    assert _code(store, other_pk) is None


def test_a_new_join_code_replaces_the_old_one_unless_another_journey_has_it(store, journey_pk):
    taken = new_join_code()
    documents.store_document(build_journey("autre"), store=store)
    with store.read_session() as session:
        other_pk = repo.journey_pk(session, "autre")
    join_codes.open_workshop(other_pk, taken, store=store)
    old, new = new_join_code(), new_join_code()
    join_codes.open_workshop(journey_pk, old, store=store)

    assert join_codes.set_join_code(JID, new, store=store)
    assert _code(store, journey_pk) == new
    assert not join_codes.set_join_code(JID, taken, store=store)
    assert _code(store, journey_pk) == new
    with pytest.raises(NotFoundError):
        join_codes.set_join_code("inconnu", new_join_code(), store=store)


def _add_note(session, journey_pk, text, **where):
    where = where or {"moment": "souscription", "channel": "web", "touchpoint": None}
    place = store_notes.cell_ids(session, journey_pk, JID, **where)
    return store_notes.add_note(
        session,
        journey_pk,
        place,
        finding_type=FindingType.IRRITANT,
        intensity=3,
        text=text,
        author="Léa",
    )


def test_notes_are_read_back_by_status_and_date_oldest_first(store, journey_pk):
    before = utcnow() - timedelta(seconds=1)
    with store.session() as session:
        first = _add_note(session, journey_pk, "Un")
        second = _add_note(session, journey_pk, "Deux")
    with store.session() as session:
        values = {"status": NoteStatus.DISCARDED.value, "deleted_at": utcnow()}
        store_notes.transition(session, second, NoteStatus.NEW, values, "discarded")

    with store.read_session() as session:
        every = store_notes.notes(session, journey_pk, JID)
        new = store_notes.notes(session, journey_pk, JID, statuses=[NoteStatus.NEW])
        both = store_notes.notes(
            session, journey_pk, JID, statuses=[NoteStatus.NEW, NoteStatus.DISCARDED]
        )
        later = store_notes.notes(session, journey_pk, JID, since=utcnow() + timedelta(hours=1))
        recent = store_notes.notes(session, journey_pk, JID, since=before)

    assert [n.id for n in every] == [first, second] == [n.id for n in both]
    assert [n.id for n in recent] == [first, second]
    assert [(n.id, n.text, n.author, n.intensity) for n in new] == [(first, "Un", "Léa", 3)]
    assert later == []


def test_pending_counts_count_the_new_notes_of_each_touchpoint(store, journey_pk):
    with store.session() as session:
        _add_note(session, journey_pk, "Un", moment=None, channel=None, touchpoint="formulaire")
        _add_note(session, journey_pk, "Deux", moment=None, channel=None, touchpoint="formulaire")
        gone = _add_note(session, journey_pk, "Trois", moment=None, channel=None, touchpoint="pub")
        _add_note(session, journey_pk, "Sans point de contact")
    with store.session() as session:
        values = {"status": NoteStatus.DISCARDED.value, "deleted_at": utcnow()}
        store_notes.transition(session, gone, NoteStatus.NEW, values, "discarded")

    with store.read_session() as session:
        assert store_notes.pending_counts(session, journey_pk) == {"formulaire": 2}


# --- drafts of visits ----------------------------------------------------------------------

TOKEN = "jeton-de-brouillon-0123"


def test_a_draft_is_kept_updated_and_marked_submitted(store, journey_pk):
    now = utcnow()
    with store.session() as session:
        draft_rows.insert_draft(session, journey_pk, TOKEN, '{"a": 1}', now=now)
    with store.session() as session:
        row = draft_rows.draft_row(session, TOKEN, lock=True)
        assert (row.content, row.version, row.visit_slug) == ('{"a": 1}', 1, None)
        assert draft_rows.update_draft(row, '{"a": 2}', now=now) == 2
    with store.session() as session:
        assert draft_rows.draft_journey(session, TOKEN) == JID
        draft_rows.mark_submitted(draft_rows.draft_row(session, TOKEN, lock=True), "visite-1")

    with store.read_session() as session:
        row = draft_rows.draft_row(session, TOKEN)
        assert (row.content, row.version, row.visit_slug) == ('{"a": 2}', 2, "visite-1")
        assert row.submitted_at is not None


def test_an_unknown_draft_is_none_or_not_found(store, journey_pk):
    with store.read_session() as session:
        assert draft_rows.draft_row(session, TOKEN) is None
        with pytest.raises(NotFoundError):
            draft_rows.draft_journey(session, TOKEN)


# --- agencies' mappings --------------------------------------------------------------------


def test_an_agency_mapping_is_kept_then_replaced_with_its_version_bumped(store):
    with store.session() as session:
        assert agency_rows.agency_mapping(session, "ipsos", lock=True) is None
        agency_rows.save_agency_mapping(session, "ipsos", "Ipsos", '{"c": 1}', '{"v": 1}')
    with store.session() as session:
        agency_rows.save_agency_mapping(session, "ipsos", "IPSOS ", '{"c": 2}', '{"v": 2}')
        agency_rows.save_agency_mapping(session, "bva", "BVA", "{}", "{}")

    with store.read_session() as session:
        assert agency_rows.agency_mapping(session, "ipsos") == ('{"c": 2}', '{"v": 2}')
        assert sorted(agency_rows.agency_names(session)) == ["BVA", "IPSOS "]
        versions = dict(
            session.execute(select(AgencyMappingRow.key, AgencyMappingRow.version)).all()
        )
    assert versions == {"ipsos": 2, "bva": 1}

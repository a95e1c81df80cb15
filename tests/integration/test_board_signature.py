"""The signature an open board reads every second (SQLite and PostgreSQL): one small query
that changes with any edit of the journey and with any note sent or handled, and nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from journeys import services
from journeys.contract.model import FindingType, Touchpoint
from journeys.errors import NotFoundError
from journeys.roles import Actor, PermissionDenied, Role
from journeys.workshop import participants as p
from journeys.workshop.participants import NoteDraft

JID = "premier-abonnement"


@pytest.fixture
def code(store, sample_journey) -> str:
    services.import_document(sample_journey, store=store)
    return p.open_workshop(JID, store=store)


def _note(store, code: str, text: str = "Le code promo ne marche pas") -> int:
    draft = NoteDraft(type=FindingType.IRRITANT, text=text, moment="souscription", channel="web")
    return p.submit_note(JID, code, draft, store=store)


def test_a_fresh_journey_signs_with_the_boards_revision_and_no_notes(store, code):
    now = services.board_signature(JID, store=store)
    assert now.revision == services.get_journey_for_edit(JID, store=store).revision
    assert (now.new_notes, now.last_note, now.notes_revision) == (0, 0, 0)


def test_an_edit_changes_the_revision_and_not_the_notes(store, code):
    before = services.board_signature(JID, store=store)
    tp = Touchpoint(id="appli", moment="decouverte", channel="email", label="Appli")
    services.add_touchpoint(JID, tp, store=store)
    after = services.board_signature(JID, store=store)
    assert after.revision[0] == before.revision[0]
    assert after.revision[1] > before.revision[1]
    assert after.notes == before.notes
    assert after.revision == services.get_journey_for_edit(JID, store=store).revision


def test_notes_sent_and_handled_change_the_notes_and_not_the_revision(store, code):
    start = services.board_signature(JID, store=store)
    first = _note(store, code)
    sent = services.board_signature(JID, store=store)
    assert (sent.new_notes, sent.last_note) == (1, first)
    assert sent.revision == start.revision
    p.discard_note(first, store=store)
    discarded = services.board_signature(JID, store=store)
    assert discarded.new_notes == 0 and discarded.notes != sent.notes
    p.restore_note(first, store=store)
    restored = services.board_signature(JID, store=store)
    assert restored.new_notes == 1 and restored.notes not in (sent.notes, discarded.notes)
    second = _note(store, code, "Deuxième note")
    assert services.board_signature(JID, store=store).new_notes == 2
    p.accept_note(second, store=store)  # a finding: the board changes too
    accepted = services.board_signature(JID, store=store)
    assert accepted.new_notes == 1 and accepted.last_note == second
    assert accepted.revision[1] > restored.revision[1]


def test_the_workshop_state_moves_the_signature_and_nothing_else_of_it(store, code):
    start = services.board_signature(JID, store=store)
    assert start.workshop == 0  # nothing shared yet
    _note(store, code)
    services.set_presenting(JID, "souscription", store=store)
    presented = services.board_signature(JID, store=store)
    assert presented.workshop == services.workshop_revision(JID, store=store) > 0
    assert presented.new_notes == 1  # the notes are counted once, whatever the state row
    services.set_follow(JID, True, store=store)
    followed = services.board_signature(JID, store=store)
    assert followed.workshop > presented.workshop
    assert (followed.revision, followed.notes) == (presented.revision, presented.notes)


def test_another_journeys_notes_and_edits_do_not_count(store, code, sample_journey):
    other = sample_journey.model_copy(update={"id": "autre"})
    services.import_document(other, store=store)
    before = services.board_signature(JID, store=store)
    other_code = p.open_workshop("autre", store=store)
    draft = NoteDraft(type=FindingType.DELIGHT, text="Bien", moment="souscription", channel="web")
    p.submit_note("autre", other_code, draft, store=store)
    services.add_touchpoint(
        "autre", Touchpoint(id="x", moment="decouverte", channel="web", label="X"), store=store
    )
    assert services.board_signature(JID, store=store) == before


def test_a_watcher_tick_is_one_query(store, code):
    _note(store, code)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "ROLLBACK", "COMMIT", "PRAGMA")):
            statements.append(statement)

    services.board_signature(JID, store=store)  # warm: the pool's first connection
    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        services.board_signature(JID, store=store)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert len(statements) == 1, statements


def test_a_journey_in_the_trash_or_unknown_is_not_found(store, code):
    services.delete_journey(JID, store=store)
    for journey_id in (JID, "inconnu"):
        with pytest.raises(NotFoundError):
            services.board_signature(journey_id, store=store)


def test_someone_on_the_network_who_is_not_signed_in_may_not_read_it(store, code):
    participant = store.as_actor(Actor("phone", Role.PARTICIPANT))
    with pytest.raises(PermissionDenied):
        services.board_signature(JID, store=participant)
    viewer = store.as_actor(Actor("client", Role.VIEWER))
    assert services.board_signature(JID, store=viewer).revision

"""Participants send notes with the join code; the facilitator accepts, merges or discards them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import ValidationError

from journeys import services
from journeys.contract.model import FindingType, Source
from journeys.errors import InvalidReferenceError, NotFoundError
from journeys.roles import Actor, PermissionDenied, Role
from journeys.store.db import open_store
from journeys.workshop import participants as p
from journeys.workshop.participants import NoteDraft, NoteStatus

JID = "premier-abonnement"


@pytest.fixture
def workshop(store, sample_journey):
    """The sample journey, open for notes; returns its join code."""
    services.import_document(sample_journey, store=store)
    return p.open_workshop(JID, store=store)


def _draft(text="Le code promo ne marche pas", **where):
    where = where or {"moment": "souscription", "channel": "web"}
    return NoteDraft(type=FindingType.IRRITANT, text=text, **where)


def _findings(store, touchpoint_id):
    journey = services.get_journey(JID, store=store)
    return next(tp for tp in journey.touchpoints if tp.id == touchpoint_id).findings


# --- the join code -------------------------------------------------------------------------


def test_opening_a_workshop_twice_returns_the_same_short_unambiguous_code(store, workshop):
    assert p.open_workshop(JID, store=store) == workshop
    assert len(workshop) == p.CODE_LENGTH
    assert set(workshop) <= set(p.CODE_ALPHABET)
    assert not set(workshop) & set("0O1IL")


def test_a_note_without_a_code_is_refused_and_nothing_is_stored(store, workshop):
    for code in (None, ""):
        with pytest.raises(p.JoinCodeError):
            p.submit_note(JID, code, _draft(), store=store)
    assert p.list_notes(JID, store=store) == []


def test_a_note_with_a_wrong_code_is_refused(store, workshop):
    wrong = "".join(c for c in p.CODE_ALPHABET if c != workshop[0])[: p.CODE_LENGTH]
    with pytest.raises(p.JoinCodeError):
        p.submit_note(JID, wrong, _draft(), store=store)
    assert not p.check_join_code(JID, wrong, store=store)
    assert p.list_notes(JID, store=store) == []


def test_a_code_is_only_good_for_its_own_journey(store, workshop, sample_journey):
    services.duplicate_journey(JID, store=store, new_id="autre")
    p.open_workshop("autre", store=store)
    with pytest.raises(p.JoinCodeError):
        p.submit_note("autre", workshop, _draft(), store=store)
    with pytest.raises(p.JoinCodeError):
        p.submit_note("inconnu", workshop, _draft(), store=store)


def test_a_code_typed_loosely_is_recognised(store, workshop):
    typed = f" {workshop[:3].lower()} - {workshop[3:]} "
    assert p.check_join_code(JID, typed, store=store)
    assert p.find_workshop(typed, store=store) == JID
    assert p.find_workshop("ZZZ", store=store) is None


def test_rotating_the_code_invalidates_the_old_one(store, workshop):
    new = p.rotate_join_code(JID, store=store)
    assert new != workshop
    assert not p.check_join_code(JID, workshop, store=store)
    assert p.check_join_code(JID, new, store=store)
    with pytest.raises(p.JoinCodeError):
        p.submit_note(JID, workshop, _draft(), store=store)
    assert p.submit_note(JID, new, _draft(), store=store) > 0


def test_a_journey_in_the_trash_takes_no_notes(store, workshop):
    services.delete_journey(JID, store=store)
    assert not p.check_join_code(JID, workshop, store=store)
    assert p.find_workshop(workshop, store=store) is None
    with pytest.raises(p.JoinCodeError):
        p.submit_note(JID, workshop, _draft(), store=store)


def test_the_capture_form_shows_the_grid_but_no_findings(store, workshop):
    form = p.capture_form(JID, workshop, store=store)
    assert form.moments == [("decouverte", "Découverte"), ("souscription", "Souscription")]
    assert {tp.id for tp in form.touchpoints} == {"formulaire", "pub", "codes"}
    assert "Rupture" not in repr(form)
    with pytest.raises(p.JoinCodeError):
        p.capture_form(JID, "AAAAAA", store=store)


def test_two_facilitators_opening_the_workshop_at_once_get_one_code(database_url, sample_journey):
    first = open_store(database_url)
    services.import_document(sample_journey, store=first)
    stores = [first, open_store(database_url, migrate=False)]
    barrier = threading.Barrier(2)

    def open_it(s):
        barrier.wait()
        return p.open_workshop(JID, store=s)

    try:
        with ThreadPoolExecutor(2) as pool:
            codes = list(pool.map(open_it, stores))
    finally:
        for s in stores:
            s.dispose()
    assert codes[0] == codes[1]


# --- sending notes ---------------------------------------------------------------------------


def test_a_note_is_stored_as_new_with_its_cell_and_author(store, workshop):
    note_id = p.submit_note(
        JID,
        workshop,
        NoteDraft(
            type="break", intensity=3, text="  Pas\nde  mail ", touchpoint="codes", author=" Léa "
        ),
        store=store,
    )
    (note,) = p.list_notes(JID, store=store)
    assert (note.id, note.moment, note.channel, note.touchpoint) == (
        note_id,
        "souscription",
        "email",
        "codes",
    )
    assert (note.type, note.intensity, note.text, note.author) == (
        FindingType.BREAK,
        3,
        "Pas de mail",
        "Léa",
    )
    assert note.status is NoteStatus.NEW


def test_hostile_text_is_kept_inert(store, workshop):
    hostile = '<script>alert(1)</script> **gras** =HYPERLINK("x") \u202eevil\u200b'
    p.submit_note(JID, workshop, _draft(hostile), store=store)
    (note,) = p.list_notes(JID, store=store)
    assert note.text == '<script>alert(1)</script> **gras** =HYPERLINK("x") evil'


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "x" * (p.TEXT_MAX + 1)])
def test_a_note_needs_one_to_three_hundred_characters(text):
    with pytest.raises(ValidationError):
        _draft(text)
    assert len(_draft("x" * p.TEXT_MAX).text) == p.TEXT_MAX


def test_a_note_needs_a_place(store):
    with pytest.raises(ValidationError):
        NoteDraft(type="irritant", text="où ?", moment="souscription")


@pytest.mark.parametrize(
    "where",
    [
        {"moment": "inconnu", "channel": "web"},
        {"moment": "souscription", "channel": "fax"},
        {"touchpoint": "inconnu"},
    ],
)
def test_a_note_on_an_unknown_moment_channel_or_touchpoint_is_refused(store, workshop, where):
    with pytest.raises(InvalidReferenceError):
        p.submit_note(JID, workshop, _draft(**where), store=store)
    assert p.list_notes(JID, store=store) == []


def test_twenty_participants_sending_at_once_lose_nothing(database_url, sample_journey):
    first = open_store(database_url)
    services.import_document(sample_journey, store=first)
    code = p.open_workshop(JID, store=first)
    stores = [first] + [open_store(database_url, migrate=False) for _ in range(19)]
    barrier = threading.Barrier(len(stores))

    def send(index):
        barrier.wait()
        return p.submit_note(
            JID, code, _draft(f"note {index}", touchpoint="formulaire"), store=stores[index]
        )

    try:
        with ThreadPoolExecutor(len(stores)) as pool:
            ids = list(pool.map(send, range(len(stores))))
        notes = p.list_notes(JID, store=first)
    finally:
        for s in stores:
            s.dispose()
    assert len(set(ids)) == 20
    assert sorted(n.text for n in notes) == sorted(f"note {i}" for i in range(20))
    assert {n.id for n in notes} == set(ids)


def test_list_notes_filters_by_status_and_time(store, workshop):
    first = p.submit_note(JID, workshop, _draft("un"), store=store)
    since = p.get_note(first, store=store).created_at
    second = p.submit_note(JID, workshop, _draft("deux"), store=store)
    p.discard_note(first, store=store)
    assert [n.id for n in p.list_notes(JID, store=store, status="new")] == [second]
    assert [n.id for n in p.list_notes(JID, store=store, status=[NoteStatus.DISCARDED])] == [first]
    assert [n.id for n in p.list_notes(JID, store=store, since=since)] == [second]
    with pytest.raises(NotFoundError):
        p.list_notes("inconnu", store=store)


def test_the_inbox_reads_code_new_and_discarded_notes_at_once(store, sample_journey):
    services.import_document(sample_journey, store=store)
    assert p.inbox(JID, store=store) == p.Inbox(code=None, new=[], discarded=[])
    code = p.open_workshop(JID, store=store)
    first = p.submit_note(JID, code, _draft("un"), store=store)
    second = p.submit_note(JID, code, _draft("deux"), store=store)
    third = p.submit_note(JID, code, _draft("trois"), store=store)
    p.discard_note(first, store=store)
    p.accept_note(third, store=store)  # handled: in neither list
    box = p.inbox(JID, store=store)
    assert box.code == code
    assert [n.id for n in box.new] == [second]
    assert [(n.id, n.status) for n in box.discarded] == [(first, NoteStatus.DISCARDED)]
    assert box.new == p.list_notes(JID, store=store, status="new")
    with pytest.raises(NotFoundError):
        p.inbox("inconnu", store=store)
    services.delete_journey(JID, store=store)
    with pytest.raises(NotFoundError):
        p.inbox(JID, store=store)


# --- the facilitator's inbox -------------------------------------------------------------------


def test_accepting_a_note_on_a_touchpoint_adds_a_workshop_finding_there(store, workshop):
    note_id = p.submit_note(JID, workshop, _draft(touchpoint="pub"), store=store)
    assert p.pending_counts(JID, store=store) == {"pub": 1}
    note = p.accept_note(note_id, store=store)
    assert note.status is NoteStatus.ACCEPTED
    assert note.merged_touchpoint == "pub"
    (finding,) = _findings(store, "pub")
    assert (finding.type, finding.text, finding.source) == (
        FindingType.IRRITANT,
        "Le code promo ne marche pas",
        Source.WORKSHOP,
    )
    refs = services.get_journey_for_edit(JID, store=store).finding_refs["pub"]
    assert note.merged_finding_id == refs[0].id
    assert p.pending_counts(JID, store=store) == {}


def test_accepting_a_note_on_a_cell_creates_a_touchpoint_there(store, workshop):
    note_id = p.submit_note(
        JID,
        workshop,
        _draft(text="Appel au service client", moment="decouverte", channel="email"),
        store=store,
    )
    note = p.accept_note(note_id, store=store)
    journey = services.get_journey(JID, store=store)
    (added,) = [tp for tp in journey.touchpoints if tp.id == note.merged_touchpoint]
    assert (added.moment, added.channel, added.label) == ("decouverte", "email", note.text)
    assert [f.text for f in added.findings] == ["Appel au service client"]


def test_a_long_note_makes_a_short_touchpoint_label(store, workshop):
    text = "mot " * 70
    note_id = p.submit_note(JID, workshop, _draft(text=text), store=store)
    note = p.accept_note(note_id, store=store)
    label = next(
        tp.label
        for tp in services.get_journey(JID, store=store).touchpoints
        if tp.id == note.merged_touchpoint
    )
    assert len(label) <= p.LABEL_MAX and label.endswith("…")


def test_a_note_is_accepted_only_once(store, workshop):
    note_id = p.submit_note(JID, workshop, _draft(touchpoint="pub"), store=store)
    p.accept_note(note_id, store=store)
    with pytest.raises(p.NoteStateError):
        p.accept_note(note_id, store=store)
    with pytest.raises(p.NoteStateError):
        p.discard_note(note_id, store=store)
    assert len(_findings(store, "pub")) == 1


def test_a_failed_accept_leaves_the_note_new(store, workshop):
    note_id = p.submit_note(JID, workshop, _draft(touchpoint="pub"), store=store)
    services.delete_touchpoint(JID, "pub", store=store)
    with pytest.raises(NotFoundError):
        p.accept_note(note_id, store=store)
    assert p.get_note(note_id, store=store).status is NoteStatus.NEW


def test_merging_a_note_files_it_under_another_touchpoint(store, workshop):
    note_id = p.submit_note(JID, workshop, _draft(), store=store)
    note = p.merge_note(note_id, "formulaire", store=store)
    assert (note.status, note.merged_touchpoint) == (NoteStatus.MERGED, "formulaire")
    assert _findings(store, "formulaire")[-1].text == "Le code promo ne marche pas"


def test_merging_a_note_into_an_existing_finding_adds_nothing(store, workshop):
    refs = services.get_journey_for_edit(JID, store=store).finding_refs["formulaire"]
    before = _findings(store, "formulaire")
    note_id = p.submit_note(JID, workshop, _draft(), store=store)
    note = p.merge_note(note_id, "formulaire", store=store, into_finding=refs[0].id)
    assert note.merged_finding_id == refs[0].id
    assert _findings(store, "formulaire") == before
    other = p.submit_note(JID, workshop, _draft(), store=store)
    with pytest.raises(NotFoundError):
        p.merge_note(other, "pub", store=store, into_finding=refs[0].id)
    assert p.get_note(other, store=store).status is NoteStatus.NEW


def test_a_discarded_note_can_be_restored(store, workshop):
    note_id = p.submit_note(JID, workshop, _draft(), store=store)
    p.discard_note(note_id, store=store)
    note = p.get_note(note_id, store=store)
    assert note.status is NoteStatus.DISCARDED and note.discarded_at is not None
    assert p.list_notes(JID, store=store, status="new") == []
    p.restore_note(note_id, store=store)
    note = p.get_note(note_id, store=store)
    assert note.status is NoteStatus.NEW and note.discarded_at is None
    with pytest.raises(p.NoteStateError):
        p.restore_note(note_id, store=store)
    with pytest.raises(NotFoundError):
        p.discard_note(999_999, store=store)


def test_the_join_link_and_its_qr_code():
    url = p.join_url("http://192.168.1.20:8501/", "premier-abonnement", "K7MQ4P", lang="fr")
    assert url == "http://192.168.1.20:8501/capture?j=premier-abonnement&code=K7MQ4P&lang=fr"
    assert p.capture_address("http://h:1") == "http://h:1/capture"
    assert p.qr_data_uri(url).startswith("data:image/svg+xml")
    assert p.format_code("K7MQ4P") == "K7M Q4P"


def test_a_participant_needs_only_the_code_and_may_do_nothing_else(store, workshop):
    phone = store.as_actor(Actor("participant", Role.PARTICIPANT))
    assert p.capture_form(JID, workshop, store=phone).title
    note_id = p.submit_note(JID, workshop, _draft(), store=phone)
    for refused in (
        lambda: p.list_notes(JID, store=phone),
        lambda: p.accept_note(note_id, store=phone),
        lambda: p.rotate_join_code(JID, store=phone),
    ):
        with pytest.raises(PermissionDenied):
            refused()


def test_a_viewer_sees_the_inbox_but_cannot_handle_notes_or_change_the_code(store, workshop):
    viewer = store.as_actor(Actor("viewer", Role.VIEWER))
    note_id = p.submit_note(JID, workshop, _draft(), store=store)
    assert [n.id for n in p.list_notes(JID, store=viewer)] == [note_id]
    for refused in (
        lambda: p.accept_note(note_id, store=viewer),
        lambda: p.merge_note(note_id, "pub", store=viewer),
        lambda: p.discard_note(note_id, store=viewer),
        lambda: p.rotate_join_code(JID, store=viewer),
        lambda: p.open_workshop(JID, store=viewer),
    ):
        with pytest.raises(PermissionDenied):
            refused()
    assert p.get_note(note_id, store=store).status is NoteStatus.NEW
    assert p.check_join_code(JID, workshop, store=store)

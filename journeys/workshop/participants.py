"""Participants' notes during a workshop: the join code, sending a note, the facilitator's inbox.

A participant sends a note from a phone with the journey's join code; it waits in the inbox
(status `new`) until the facilitator accepts it (a finding on its touchpoint, or a new
touchpoint in its cell), files it under another touchpoint (`merged`), or discards it
(restorable).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from journeys import services, throttle
from journeys.contract.editing import journey_ids, short_label, unique_id
from journeys.contract.model import Finding, FindingType, Slug, Source, Touchpoint
from journeys.errors import DuplicateIdError, NotFoundError, StoreError
from journeys.roles import Permission, requires
from journeys.store import join_codes
from journeys.store import notes as store_notes
from journeys.store import repository as repo
from journeys.store.db import Store
from journeys.store.join_codes import JoinCodeError
from journeys.store.notes import NoteStateError, NoteStatus, ParticipantNote
from journeys.store.tables import utcnow
from journeys.throttle import Throttled
from journeys.workshop.join_link import (
    CAPTURE_PATH,
    CODE_ALPHABET,
    CODE_LENGTH,
    capture_address,
    format_code,
    join_url,
    local_network_host,
    new_join_code,
    normalise_code,
    qr_data_uri,
)

__all__ = [
    "CAPTURE_PATH",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CaptureForm",
    "CaptureTouchpoint",
    "Inbox",
    "JoinCodeError",
    "NoteDraft",
    "NoteStateError",
    "NoteStatus",
    "ParticipantNote",
    "accept_note",
    "capture_address",
    "capture_form",
    "check_join_code",
    "clean_text",
    "discard_note",
    "find_workshop",
    "format_code",
    "get_note",
    "inbox",
    "join_url",
    "list_notes",
    "local_network_host",
    "merge_note",
    "normalise_code",
    "open_workshop",
    "pending_counts",
    "qr_data_uri",
    "restore_note",
    "rotate_join_code",
    "short_label",
    "submit_note",
    "Throttled",
]

# The facilitator's side is guarded by role like every service. The participant's side
# (capture_form, submit_note, check_join_code, find_workshop) is not: whoever holds the
# journey's join code may send notes to it, and nothing else.
_edit = requires(Permission.EDIT)
_read = requires(Permission.READ)

TEXT_MAX = 300
AUTHOR_MAX = 40
LABEL_MAX = 60

# Control characters, zero-width and bidirectional overrides: a note is shown as typed, never
# as something that reorders or hides the text around it.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def clean_text(value: str) -> str:
    """The text as it will be stored: NFC, invisible characters dropped, spaces collapsed."""
    text = _INVISIBLE.sub(" ", unicodedata.normalize("NFC", value))
    return " ".join(text.split())


class NoteDraft(BaseModel):
    """What a participant sends: a cell (moment + channel) or a touchpoint, a type, a text."""

    model_config = ConfigDict(extra="forbid")

    type: FindingType
    text: str
    moment: Slug | None = None
    channel: Slug | None = None
    touchpoint: Slug | None = None
    intensity: int = Field(2, ge=1, le=3)
    author: str | None = None

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        text = clean_text(value)
        if not 1 <= len(text) <= TEXT_MAX:
            raise ValueError(f"the note needs 1 to {TEXT_MAX} characters")
        return text

    @field_validator("author")
    @classmethod
    def _author(cls, value: str | None) -> str | None:
        return clean_text(value or "")[:AUTHOR_MAX] or None

    @model_validator(mode="after")
    def _placed(self) -> NoteDraft:
        if not self.touchpoint and not (self.moment and self.channel):
            raise ValueError("a note needs a touchpoint, or a moment and a channel")
        return self


@dataclass(frozen=True)
class CaptureTouchpoint:
    id: str
    label: str
    moment: str
    channel: str


@dataclass(frozen=True)
class CaptureForm:
    """What the participant's form needs of the journey, and nothing more (no findings)."""

    journey_id: str
    title: str
    language: str
    moments: list[tuple[str, str]]
    channels: list[tuple[str, str]]
    touchpoints: list[CaptureTouchpoint]


# --- the join code -------------------------------------------------------------------------


@_edit
def open_workshop(journey_id: str, *, store: Store) -> str:
    """Return the journey's join code, creating it on first use. Raises NotFoundError."""
    with store.read_session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        code = join_codes.workshop_code(session, journey_pk)
    if code is not None:
        return code
    for _ in range(5):
        # None when another facilitator opened it at the same instant, or the code was taken
        code = join_codes.open_workshop(journey_pk, new_join_code(), store=store)
        if code is not None:
            return code
    raise StoreError(f"could not open the workshop of journey '{journey_id}'; try again")


@_edit
def rotate_join_code(journey_id: str, *, store: Store) -> str:
    """Give the journey a new join code (the old one stops working); return it.

    Raises NotFoundError.
    """
    open_workshop(journey_id, store=store)
    for _ in range(5):
        code = new_join_code()
        if join_codes.set_join_code(journey_id, code, store=store):
            return code  # else the new code is another journey's: draw again
    raise StoreError(f"could not rotate the join code of journey '{journey_id}'; try again")


def check_join_code(
    journey_id: str, code: str | None, *, store: Store, client: str | None = None
) -> bool:
    """True if `code` is the live journey's join code now (compared in constant time).

    `client` (a browser's address): a guess, throttled per client and per journey (see
    journeys.throttle); None for a code already proven in this session. Raises Throttled.
    """
    if client is not None:
        throttle.check(throttle.JOIN_CLIENT, client, store=store)
        throttle.check(throttle.JOIN_JOURNEY, journey_id, store=store)
    with store.read_session() as session:
        good = join_codes.code_matches(session, journey_id, code)
    if client is not None:
        _count_guess(good, client, journey_id, store)
    return good


def find_workshop(code: str | None, *, store: Store, client: str | None = None) -> str | None:
    """Return the id of the live journey whose join code is `code` (typed by hand), or None.

    `client`: as for check_join_code (throttled per client only). Raises Throttled.
    """
    if client is not None:
        throttle.check(throttle.JOIN_CLIENT, client, store=store)
    with store.read_session() as session:
        found = join_codes.journey_with_code(session, code)
    if client is not None:
        _count_guess(found is not None, client, None, store)
    return found


def _count_guess(good: bool, client: str, journey_id: str | None, store: Store) -> None:
    if good:
        throttle.forget(throttle.JOIN_CLIENT, client, store=store)
        return
    throttle.count(throttle.JOIN_CLIENT, client, store=store)
    if journey_id is not None:
        throttle.count(throttle.JOIN_JOURNEY, journey_id, store=store)


def capture_form(
    journey_id: str, code: str | None, *, store: Store, client: str | None = None
) -> CaptureForm:
    """Return what the participant's form shows. `client`: as for check_join_code.

    Raises JoinCodeError (also: no such journey), Throttled.
    """
    if client is not None and not check_join_code(journey_id, code, store=store, client=client):
        raise JoinCodeError()
    with store.read_session() as session:
        if not join_codes.code_matches(session, journey_id, code):
            raise JoinCodeError()
        journey = repo.load_journey(session, journey_id)
    return CaptureForm(
        journey_id=journey.id,
        title=journey.title,
        language=journey.language,
        moments=[(m.id, m.label) for m in journey.moments],
        channels=[(c.id, c.label) for c in journey.channels],
        touchpoints=[
            CaptureTouchpoint(tp.id, tp.label, tp.moment, tp.channel) for tp in journey.touchpoints
        ],
    )


# --- sending and listing notes -------------------------------------------------------------


def submit_note(
    journey_id: str, code: str | None, note: NoteDraft, *, store: Store, client: str | None = None
) -> int:
    """Store a participant's note as `new`; return its id. `client` (a browser's address)
    may send throttle.NOTES.limit notes a minute.

    Raises JoinCodeError (no valid code, or no such journey: both look the same to a
    participant), InvalidReferenceError (unknown moment, channel or touchpoint), Throttled.
    """
    if client is not None:
        throttle.check(throttle.NOTES, client, store=store)
        note_id = submit_note(journey_id, code, note, store=store)
        throttle.count(throttle.NOTES, client, store=store)
        return note_id
    with store.session() as session:
        if not join_codes.code_matches(session, journey_id, code):
            raise JoinCodeError()
        journey_pk = repo.journey_pk(session, journey_id)
        place = store_notes.cell_ids(
            session,
            journey_pk,
            journey_id,
            moment=note.moment,
            channel=note.channel,
            touchpoint=note.touchpoint,
        )
        return store_notes.add_note(
            session,
            journey_pk,
            place,
            finding_type=note.type,
            intensity=note.intensity,
            text=note.text,
            author=note.author,
        )


@_read
def list_notes(
    journey_id: str,
    *,
    store: Store,
    status: NoteStatus | str | Iterable[NoteStatus | str] | None = None,
    since: datetime | None = None,
) -> list[ParticipantNote]:
    """Return the journey's notes, oldest first: only those of `status` (one or several) and
    created after `since` when given. Raises NotFoundError."""
    statuses = None
    if status is not None:
        wanted = [status] if isinstance(status, str) else list(status)
        statuses = [NoteStatus(s) for s in wanted]
    with store.read_session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        return store_notes.notes(session, journey_pk, journey_id, statuses=statuses, since=since)


@dataclass(frozen=True)
class Inbox:
    """What the facilitator's inbox shows, read at one instant: the join code (None until the
    workshop is opened), the new notes and the discarded ones, oldest first."""

    code: str | None
    new: list[ParticipantNote]
    discarded: list[ParticipantNote]


@_read
def inbox(journey_id: str, *, store: Store) -> Inbox:
    """Return the journey's inbox in one read (two queries). Raises NotFoundError."""
    waiting = (NoteStatus.NEW, NoteStatus.DISCARDED)
    with store.read_session() as session:
        journey_pk, code = join_codes.journey_and_code(session, journey_id)
        found = store_notes.notes(session, journey_pk, journey_id, statuses=waiting)
    return Inbox(
        code=code,
        new=[n for n in found if n.status is NoteStatus.NEW],
        discarded=[n for n in found if n.status is NoteStatus.DISCARDED],
    )


@_read
def get_note(note_id: int, *, store: Store) -> ParticipantNote:
    """Return one note. Raises NotFoundError."""
    with store.read_session() as session:
        return store_notes.note(session, note_id)


@_read
def pending_counts(journey_id: str, *, store: Store) -> dict[str, int]:
    """Return touchpoint id → number of new notes about it (the board's `new_notes`)."""
    with store.read_session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        return store_notes.pending_counts(session, journey_pk)


# --- the facilitator's inbox ---------------------------------------------------------------


@_edit
def accept_note(note_id: int, *, store: Store, label: str | None = None) -> ParticipantNote:
    """Turn a new note into a finding: on its touchpoint, or on a new touchpoint in its cell
    (labelled `label`, default: the start of the note). Return the note, now `accepted`.

    Raises NoteStateError (not new), NotFoundError / InvalidReferenceError when its
    touchpoint, moment or channel was deleted meanwhile (the note stays new).
    """
    with _claimed(note_id, NoteStatus.ACCEPTED, store) as note:
        touchpoint = note.touchpoint or _new_touchpoint(note, label, store)
        finding_id = services.add_finding(note.journey_id, touchpoint, _finding(note), store=store)
        with store.session() as session:
            store_notes.link(session, note_id, touchpoint, finding_id)
    return get_note(note_id, store=store)


@_edit
def merge_note(
    note_id: int, touchpoint_id: str, *, store: Store, into_finding: int | None = None
) -> ParticipantNote:
    """File a new note under another touchpoint: as a new finding there, or, given
    `into_finding`, as a duplicate of that finding (nothing added). Return the note, `merged`.

    Raises NoteStateError, NotFoundError (touchpoint or finding not live in the journey).
    """
    with _claimed(note_id, NoteStatus.MERGED, store) as note:
        if into_finding is None:
            finding_id = services.add_finding(
                note.journey_id, touchpoint_id, _finding(note), store=store
            )
        else:
            finding_id = _live_finding(note.journey_id, touchpoint_id, into_finding, store)
        with store.session() as session:
            store_notes.link(session, note_id, touchpoint_id, finding_id)
    return get_note(note_id, store=store)


@_edit
def discard_note(note_id: int, *, store: Store) -> None:
    """Set a new note aside (restorable with restore_note). Raises NoteStateError."""
    with store.session() as session:
        values = {"status": NoteStatus.DISCARDED.value, "deleted_at": utcnow()}
        store_notes.transition(session, note_id, NoteStatus.NEW, values, "discarded")


@_edit
def restore_note(note_id: int, *, store: Store) -> None:
    """Bring a discarded note back to the inbox as new. Raises NoteStateError."""
    with store.session() as session:
        values = {"status": NoteStatus.NEW.value, "deleted_at": None}
        store_notes.transition(session, note_id, NoteStatus.DISCARDED, values, "restored")


@contextmanager
def _claimed(note_id: int, status: NoteStatus, store: Store) -> Iterator[ParticipantNote]:
    """Take a new note (new → `status`) before acting on it, so that two facilitators never
    both turn it into a finding; give it back (new again) if the action fails."""
    with store.session() as session:
        store_notes.transition(
            session, note_id, NoteStatus.NEW, {"status": status.value}, status.value
        )
    try:
        yield get_note(note_id, store=store)
    except BaseException:
        with store.session() as session:
            values = {"status": NoteStatus.NEW.value}
            store_notes.transition(session, note_id, status, values, "given back")
        raise


def _finding(note: ParticipantNote) -> Finding:
    return Finding(type=note.type, intensity=note.intensity, text=note.text, source=Source.WORKSHOP)


def _new_touchpoint(note: ParticipantNote, label: str | None, store: Store) -> str:
    """Add a touchpoint in the note's cell and return its id (a fresh one if taken meanwhile)."""
    label = clean_text(label or "")[:TEXT_MAX] or short_label(note.text, LABEL_MAX)
    for _ in range(3):
        journey = services.get_journey(note.journey_id, store=store)
        ident = unique_id(short_label(label, 50), journey_ids(journey))
        touchpoint = Touchpoint(id=ident, moment=note.moment, channel=note.channel, label=label)
        try:
            services.add_touchpoint(note.journey_id, touchpoint, store=store)
            return ident
        except DuplicateIdError:
            continue  # someone added a touchpoint with that id meanwhile
    raise DuplicateIdError("touchpoint", label, where=f"journey '{note.journey_id}'")


def _live_finding(journey_id: str, touchpoint_id: str, finding_id: int, store: Store) -> int:
    refs = services.get_journey_for_edit(journey_id, store=store).finding_refs
    if finding_id not in {ref.id for ref in refs.get(touchpoint_id, [])}:
        raise NotFoundError("finding", finding_id, where=f"touchpoint '{touchpoint_id}'")
    return finding_id

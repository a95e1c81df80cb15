"""Dot-voting in the room: each participant (from a phone, with the join code) and the
facilitator spend N dots on the journey's irritants and breaks, several on one if they like;
the tally orders the findings of the journey's PDF.

The facilitator opens and closes the vote and sets N (default 5). Nobody votes on a closed
vote. Clearing the votes for a new round keeps them: the latest cleared round can be put back
(restore_cleared_votes), added to the dots cast since. A dot counts while its finding can be
voted on (live, an irritant or a break, not resolved): a finding moved to the trash gives its
dots back to their voters, and gets them back when restored (a voter who spent them meanwhile
is then over N, and cannot cast another until they take some back). Replacing a journey's
whole content (a snapshot restored, the YAML imported over it) makes new findings: their dots
are gone.

Voters: `facilitator:<name>` (facilitator_voter) and `phone:<token>` (participant_voter, the
token a phone keeps for the session). Phones see their own dots only, never the room's.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass

from journeys.board.priorities import VoteKey, vote_key
from journeys.contract.model import FindingType, Journey, JourneyState
from journeys.errors import NotFoundError
from journeys.library.documents import get_journey_for_edit
from journeys.roles import Permission, requires
from journeys.store import dot_votes as store_votes
from journeys.store import join_codes, queries
from journeys.store import repository as repo
from journeys.store import workshop_state as store_state
from journeys.store.db import Store
from journeys.store.dot_votes import (
    NoDotsLeftError,
    NotVotableError,
    VoteClosedError,
    VoteSummary,
)
from journeys.store.join_codes import JoinCodeError
from journeys.store.workshop_state import WorkshopState

__all__ = [
    "DOTS_MAX",
    "Ballot",
    "BallotFinding",
    "BallotMoment",
    "NoDotsLeftError",
    "NotVotableError",
    "VoteClosedError",
    "VoteSummary",
    "ballot",
    "ballot_signature",
    "cast_dot",
    "clear_votes",
    "close_vote",
    "dots_left",
    "facilitator_voter",
    "journey_votes",
    "new_participant_token",
    "open_vote",
    "participant_voter",
    "phone_ballot",
    "phone_cast",
    "phone_withdraw",
    "report_votes",
    "restore_cleared_votes",
    "set_dots_per_voter",
    "vote_summary",
    "vote_tally",
    "withdraw_dot",
]

DOTS_MAX = 20
VOTER_MAX = 120
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

_edit = requires(Permission.EDIT)
_read = requires(Permission.READ)


@dataclass(frozen=True)
class BallotFinding:
    """An irritant or break to vote on: its handle (the finding's row id), what it says, where
    (labels), the voter's dots on it, and the room's (None on a phone)."""

    ref: int
    type: FindingType
    intensity: int
    text: str
    touchpoint: str
    channel: str
    mine: int
    total: int | None = None


@dataclass(frozen=True)
class BallotMoment:
    id: str
    label: str
    findings: tuple[BallotFinding, ...]


@dataclass(frozen=True)
class Ballot:
    """What a voter sees: whether the vote is open, the dots each voter has (`dots`) and
    those this one has left, the findings by moment in board order."""

    journey_id: str
    open: bool
    dots: int
    left: int
    moments: tuple[BallotMoment, ...]


# --- voters --------------------------------------------------------------------------------


def facilitator_voter(store: Store) -> str:
    """The voter id of the store's actor voting from the board: `facilitator:<name>`."""
    return _voter(f"facilitator:{store.actor.name}"[:VOTER_MAX])


def new_participant_token() -> str:
    """A new phone's voter token (random, URL-safe)."""
    return secrets.token_urlsafe(12)


def participant_voter(token: str) -> str:
    """The voter id of a phone: `phone:<token>`. Raises ValueError for a token not made by
    new_participant_token (8 to 64 letters, digits, - or _)."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise ValueError("a participant's token has 8 to 64 letters, digits, - or _")
    return f"phone:{token}"


def _voter(voter: str) -> str:
    if not isinstance(voter, str) or not voter.strip() or len(voter) > VOTER_MAX:
        raise ValueError(f"a voter id has 1 to {VOTER_MAX} characters")
    if _CONTROL.search(voter):
        raise ValueError("a voter id has no control characters")
    return voter


# --- the facilitator -----------------------------------------------------------------------


@_edit
def open_vote(journey_id: str, *, store: Store) -> WorkshopState:
    """Open the vote: participants and facilitator may spend their dots. Return the state.

    Raises NotFoundError."""
    return store_state.change(journey_id, {"vote_open": True}, store=store)


@_edit
def close_vote(journey_id: str, *, store: Store) -> WorkshopState:
    """Close the vote (the dots stay, the tally holds). Return the state. Raises NotFoundError."""
    return store_state.change(journey_id, {"vote_open": False}, store=store)


@_edit
def set_dots_per_voter(journey_id: str, dots: int, *, store: Store) -> WorkshopState:
    """Give each voter `dots` dots (1 to DOTS_MAX); a voter who spent more keeps them, with
    none left. Return the state. Raises ValueError, NotFoundError."""
    if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= DOTS_MAX:
        raise ValueError(f"each voter has 1 to {DOTS_MAX} dots, not {dots!r}")
    return store_state.change(journey_id, {"dots_per_voter": dots}, store=store)


@_edit
def clear_votes(journey_id: str, *, store: Store) -> int:
    """Take every dot of the journey back, for a new round; return how many there were. They
    are kept: restore_cleared_votes puts the latest cleared round back.

    Raises NotFoundError."""
    return store_votes.clear(journey_id, store=store)


@_edit
def restore_cleared_votes(journey_id: str, *, store: Store) -> int:
    """Put the latest cleared round of dots back, added to the dots cast since (a voter may
    then be over N and cast no more until they take some back); return how many dots came
    back (0: none was cleared). Raises NotFoundError."""
    return store_votes.restore_cleared(journey_id, store=store)


@_edit
def cast_dot(journey_id: str, finding_ref: int, voter: str, *, store: Store) -> int:
    """Put one of `voter`'s dots on the finding of row id `finding_ref` (as
    services.update_finding takes it); return the dots `voter` has left.

    Raises VoteClosedError, NotVotableError (a delight, resolved, deleted, another journey's),
    NoDotsLeftError, ValueError (voter id), NotFoundError (journey)."""
    return store_votes.cast(journey_id, int(finding_ref), _voter(voter), store=store)


@_edit
def withdraw_dot(journey_id: str, finding_ref: int, voter: str, *, store: Store) -> int:
    """Take one of `voter`'s dots back from the finding `finding_ref` (none there: nothing
    changes); return the dots `voter` has left. Raises VoteClosedError, ValueError,
    NotFoundError."""
    return store_votes.withdraw(journey_id, int(finding_ref), _voter(voter), store=store)


@_read
def dots_left(journey_id: str, voter: str, *, store: Store) -> int:
    """Return the dots `voter` may still spend on the journey. Raises NotFoundError."""
    with store.read_session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        dots = store_state.read_state(session, journey_id).dots
        return max(0, dots - store_votes.spent(session, journey_pk, _voter(voter)))


@_read
def vote_tally(journey_id: str, *, store: Store) -> dict[int, int]:
    """Return finding row id → its dots, for the findings that have some and can be voted on.

    Raises NotFoundError."""
    with store.read_session() as session:
        return store_votes.tally(session, repo.journey_pk(session, journey_id))


@_read
def vote_summary(journey_id: str, *, store: Store) -> VoteSummary:
    """Return where the vote stands: open or not, dots per voter, how many voters and dots
    count, the dots of the latest cleared round (one small query). Raises NotFoundError."""
    with store.read_session() as session:
        return store_votes.summary(session, journey_id)


@_read
def ballot(journey_id: str, voter: str, *, store: Store) -> Ballot:
    """Return the facilitator's ballot: `voter`'s dots and the room's on each finding.

    Raises NotFoundError, ValueError (voter id)."""
    return _ballot(journey_id, _voter(voter), store, with_totals=True)


def _ballot(journey_id: str, voter: str, store: Store, *, with_totals: bool) -> Ballot:
    with store.read_session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        state = store_state.read_state(session, journey_id)
        findings = store_votes.votable_findings(session, journey_pk)
        mine = store_votes.voter_dots(session, journey_pk, voter)
        totals = store_votes.tally(session, journey_pk) if with_totals else None
    moments: dict[str, tuple[str, list[BallotFinding]]] = {}
    for f in findings:
        _, shown = moments.setdefault(f.moment, (f.moment_label, []))
        total = None if totals is None else totals.get(f.id, 0)
        shown.append(
            BallotFinding(
                f.id,
                f.type,
                f.intensity,
                f.text,
                f.touchpoint_label,
                f.channel_label,
                mine.get(f.id, 0),
                total,
            )
        )
    return Ballot(
        journey_id=journey_id,
        open=state.voting,
        dots=state.dots,
        left=max(0, state.dots - sum(mine.values())),
        moments=tuple(
            BallotMoment(ident, label, tuple(shown)) for ident, (label, shown) in moments.items()
        ),
    )


# --- the participants' phones --------------------------------------------------------------
# Not guarded by role, like sending a note: whoever holds the journey's join code may vote on
# it, with the token of their phone, and nothing else.


def _check_code(journey_id: str, code: str | None, store: Store) -> None:
    with store.read_session() as session:
        if not join_codes.code_matches(session, journey_id, code):
            raise JoinCodeError()


def phone_ballot(journey_id: str, code: str | None, token: str, *, store: Store) -> Ballot:
    """Return a phone's ballot (its own dots only). Raises JoinCodeError, ValueError (token)."""
    voter = participant_voter(token)
    _check_code(journey_id, code, store)
    return _ballot(journey_id, voter, store, with_totals=False)


def phone_cast(
    journey_id: str, code: str | None, token: str, finding_ref: int, *, store: Store
) -> int:
    """Put one of a phone's dots on a finding; return its dots left. Raises JoinCodeError,
    VoteClosedError, NotVotableError, NoDotsLeftError, ValueError (token)."""
    voter = participant_voter(token)
    _check_code(journey_id, code, store)
    return store_votes.cast(journey_id, int(finding_ref), voter, store=store)


def phone_withdraw(
    journey_id: str, code: str | None, token: str, finding_ref: int, *, store: Store
) -> int:
    """Take one of a phone's dots back from a finding; return its dots left. Raises
    JoinCodeError, VoteClosedError, ValueError (token)."""
    voter = participant_voter(token)
    _check_code(journey_id, code, store)
    return store_votes.withdraw(journey_id, int(finding_ref), voter, store=store)


def ballot_signature(journey_id: str, code: str | None, *, store: Store) -> tuple[int, ...] | None:
    """What a phone compares every few seconds to know its ballot changed: the vote opened or
    closed, N changed, the journey edited, the dots cleared or put back (not others' dots: the
    room's votes are not shown on phones). None when the code no longer opens the journey."""
    with store.read_session() as session:
        if not join_codes.code_matches(session, journey_id, code):
            return None
        state = store_state.read_state(session, journey_id)
        journey = queries.journey_revision(session, journey_id)
        cleared = store_votes.cleared_mark(session, journey[0])
    return (int(state.voting), state.dots, *journey, *cleared)


# --- the report ----------------------------------------------------------------------------


@_read
def journey_votes(journey_id: str, *, store: Store) -> dict[VoteKey, int]:
    """Return the journey's dots keyed as board.priorities reads them (touchpoint id, text).

    Raises NotFoundError."""
    editable = get_journey_for_edit(journey_id, store=store)
    counts = vote_tally(journey_id, store=store)
    keyed: dict[VoteKey, int] = defaultdict(int)
    for touchpoint in editable.journey.touchpoints:
        refs = editable.finding_refs.get(touchpoint.id, [])
        for ref, finding in zip(refs, touchpoint.findings, strict=True):
            if counts.get(ref.id):
                keyed[vote_key(touchpoint.id, finding)] += counts[ref.id]
    return dict(keyed)


@_read
def report_votes(journey: Journey, *, store: Store) -> dict[VoteKey, int]:
    """Return the dots the journey's PDF orders its findings by: its own, and for a target
    journey those of its current journey too (the room votes on the journey as it is; the
    target's plan and remaining problems are ranked by it)."""
    votes = _if_live(journey.id, store)
    if journey.state is JourneyState.TARGET and journey.derived_from:
        for key, count in _if_live(journey.derived_from, store).items():
            votes[key] = votes.get(key, 0) + count
    return votes


def _if_live(journey_id: str, store: Store) -> dict[VoteKey, int]:
    try:
        return journey_votes(journey_id, store=store)
    except NotFoundError:
        return {}

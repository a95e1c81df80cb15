"""Dot-voting in the store: casting and taking back a dot, counting each voter's and each
finding's, the findings a vote is about; clearing the dots for a new round, and putting a
cleared round back. A finding's dots count while it can be voted on (live, on a live
touchpoint, an irritant or a break not resolved)."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, aliased

from journeys.contract.model import FindingStatus, FindingType
from journeys.errors import NotFoundError, StoreError
from journeys.store import repository as repo
from journeys.store import workshop_state
from journeys.store.db import Store
from journeys.store.note_tables import (
    DEFAULT_DOTS,
    ClearedDotVoteRow,
    DotVoteRow,
    WorkshopStateRow,
)
from journeys.store.tables import (
    ChannelRow,
    FindingRow,
    JourneyRow,
    MomentRow,
    TouchpointRow,
    utcnow,
)

VOTABLE_TYPES = (FindingType.IRRITANT.value, FindingType.BREAK.value)


class VoteClosedError(StoreError):
    """The journey's vote is not open: nothing was changed."""

    def __init__(self, journey_id: str):
        self.journey_id = journey_id
        super().__init__(f"the vote on journey '{journey_id}' is closed: the facilitator opens it")


class NoDotsLeftError(StoreError):
    """The voter has spent every dot: one must be taken back before another goes elsewhere."""

    def __init__(self, dots: int):
        self.dots = dots
        super().__init__(f"all {dots} dots are spent: take one back to put it elsewhere")


class NotVotableError(StoreError):
    """The finding is not one the vote is about (a delight, resolved, deleted, unknown, or of
    another journey)."""

    def __init__(self, finding_id: int, journey_id: str):
        self.finding_id = finding_id
        super().__init__(
            f"finding {finding_id} cannot take dots: only the irritants and breaks of journey "
            f"'{journey_id}' that are on its board and not resolved can"
        )


@dataclass(frozen=True)
class VotableFinding:
    """A finding the vote is about, where it sits (ids and labels), in board order."""

    id: int
    moment: str
    moment_label: str
    channel_label: str
    touchpoint: str
    touchpoint_label: str
    type: FindingType
    intensity: int
    text: str


def _votable(journey_pk: int) -> list[Any]:
    """The conditions for a finding (joined with its touchpoint) to be voted on."""
    return [
        TouchpointRow.journey_id == journey_pk,
        TouchpointRow.deleted_at.is_(None),
        FindingRow.deleted_at.is_(None),
        FindingRow.type.in_(VOTABLE_TYPES),
        FindingRow.status != FindingStatus.RESOLVED.value,
    ]


def _counted(journey_pk: int) -> Any:
    """The dots of the journey that count: on findings that can be voted on."""
    return (
        select(DotVoteRow.finding_id, DotVoteRow.voter, DotVoteRow.dots)
        .join(FindingRow, FindingRow.id == DotVoteRow.finding_id)
        .join(TouchpointRow, TouchpointRow.id == FindingRow.touchpoint_id)
        .where(DotVoteRow.journey_id == journey_pk, *_votable(journey_pk))
    )


def tally(session: Session, journey_pk: int) -> dict[int, int]:
    """Finding row id → its dots (findings with none are left out)."""
    counted = _counted(journey_pk).subquery()
    found = session.execute(
        select(counted.c.finding_id, func.sum(counted.c.dots)).group_by(counted.c.finding_id)
    ).all()
    return {finding: int(dots) for finding, dots in found if dots}


def voter_dots(session: Session, journey_pk: int, voter: str) -> dict[int, int]:
    """Finding row id → the dots `voter` put on it (that count)."""
    found = session.execute(_counted(journey_pk).where(DotVoteRow.voter == voter)).all()
    return {finding: dots for finding, _, dots in found if dots}


def spent(session: Session, journey_pk: int, voter: str) -> int:
    return sum(voter_dots(session, journey_pk, voter).values())


def votable_findings(session: Session, journey_pk: int) -> list[VotableFinding]:
    """The findings the vote is about, by moment, channel, touchpoint and their own order."""
    found = session.execute(
        select(
            FindingRow.id,
            MomentRow.slug,
            MomentRow.label,
            ChannelRow.label,
            TouchpointRow.slug,
            TouchpointRow.label,
            FindingRow.type,
            FindingRow.intensity,
            FindingRow.text,
        )
        .join(TouchpointRow, TouchpointRow.id == FindingRow.touchpoint_id)
        .join(MomentRow, MomentRow.id == TouchpointRow.moment_id)
        .join(ChannelRow, ChannelRow.id == TouchpointRow.channel_id)
        .where(*_votable(journey_pk))
        .order_by(
            MomentRow.position,
            MomentRow.id,
            ChannelRow.position,
            ChannelRow.id,
            TouchpointRow.position,
            TouchpointRow.id,
            FindingRow.position,
            FindingRow.id,
        )
    ).all()
    return [
        VotableFinding(ident, m, m_label, c_label, tp, tp_label, FindingType(kind), n, text)
        for ident, m, m_label, c_label, tp, tp_label, kind, n, text in found
    ]


def _can_take_dots(session: Session, journey_pk: int, finding_id: int) -> bool:
    found = session.scalar(
        select(FindingRow.id)
        .join(TouchpointRow, TouchpointRow.id == FindingRow.touchpoint_id)
        .where(FindingRow.id == finding_id, *_votable(journey_pk))
    )
    return found is not None


def cast(journey_id: str, finding_id: int, voter: str, *, store: Store) -> int:
    """Put one of `voter`'s dots on a finding; return the dots they have left.

    Raises NotFoundError (journey), VoteClosedError, NotVotableError, NoDotsLeftError; nothing
    is changed then."""
    with store.session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        is_open, dots = workshop_state.lock(session, journey_pk)
        if not is_open:
            raise VoteClosedError(journey_id)
        if not _can_take_dots(session, journey_pk, finding_id):
            raise NotVotableError(finding_id, journey_id)
        used = spent(session, journey_pk, voter)
        if used >= dots:
            raise NoDotsLeftError(dots)
        mine = _mine(journey_pk, voter, finding_id)
        if session.scalar(select(DotVoteRow.id).where(*mine)) is None:
            session.add(
                DotVoteRow(
                    journey_id=journey_pk,
                    finding_id=finding_id,
                    voter=voter,
                    dots=1,
                    updated_at=utcnow(),
                )
            )
        else:
            _add(session, mine, 1)
        workshop_state.bump(session, journey_pk, {})
        return dots - used - 1


def withdraw(journey_id: str, finding_id: int, voter: str, *, store: Store) -> int:
    """Take one of `voter`'s dots back from a finding (none there: nothing changes); return the
    dots they have left. Raises NotFoundError (journey), VoteClosedError."""
    with store.session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        is_open, dots = workshop_state.lock(session, journey_pk)
        if not is_open:
            raise VoteClosedError(journey_id)
        if voter_dots(session, journey_pk, voter).get(finding_id, 0) > 0:
            mine = _mine(journey_pk, voter, finding_id)
            _add(session, mine, -1)
            session.execute(
                delete(DotVoteRow).where(*mine, DotVoteRow.dots <= 0),
                execution_options={"synchronize_session": False},
            )
            workshop_state.bump(session, journey_pk, {})
        return max(0, dots - spent(session, journey_pk, voter))


def clear(journey_id: str, *, store: Store) -> int:
    """Take every dot of the journey back for a new round, keeping them as the journey's next
    cleared round (restore_cleared puts it back); return how many there were (0: nothing
    changes)."""
    with store.session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        workshop_state.lock(session, journey_pk)
        cast = session.execute(
            select(DotVoteRow.finding_id, DotVoteRow.voter, DotVoteRow.dots).where(
                DotVoteRow.journey_id == journey_pk, DotVoteRow.dots > 0
            )
        ).all()
        if not cast:
            return 0
        cleared = ClearedDotVoteRow
        last = session.scalar(
            select(func.max(cleared.round)).where(cleared.journey_id == journey_pk)
        )
        now = utcnow()
        session.add_all(
            cleared(
                journey_id=journey_pk,
                finding_id=finding,
                voter=voter,
                dots=dots,
                round=(last or 0) + 1,
                cleared_at=now,
            )
            for finding, voter, dots in cast
        )
        session.execute(
            delete(DotVoteRow).where(DotVoteRow.journey_id == journey_pk),
            execution_options={"synchronize_session": False},
        )
        workshop_state.bump(session, journey_pk, {})
        return sum(dots for _, _, dots in cast)


def restore_cleared(journey_id: str, *, store: Store) -> int:
    """Put the journey's latest cleared round back, adding its dots to those cast since (a
    voter may then be over N, like a finding back from the trash); return how many dots came
    back (0: no round was cleared, nothing changes)."""
    with store.session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        workshop_state.lock(session, journey_pk)
        cleared = ClearedDotVoteRow
        latest = session.scalar(
            select(func.max(cleared.round)).where(cleared.journey_id == journey_pk)
        )
        if latest is None:
            return 0
        mine = (cleared.journey_id == journey_pk, cleared.round == latest)
        back = session.execute(
            select(cleared.finding_id, cleared.voter, cleared.dots).where(*mine)
        ).all()
        cast = {
            (finding, voter): ident
            for ident, finding, voter in session.execute(
                select(DotVoteRow.id, DotVoteRow.finding_id, DotVoteRow.voter).where(
                    DotVoteRow.journey_id == journey_pk
                )
            )
        }
        now = utcnow()
        for finding, voter, dots in back:
            ident = cast.get((finding, voter))
            if ident is None:
                session.add(
                    DotVoteRow(
                        journey_id=journey_pk,
                        finding_id=finding,
                        voter=voter,
                        dots=dots,
                        updated_at=now,
                    )
                )
            else:
                _add(session, [DotVoteRow.id == ident], dots)
        session.execute(
            delete(cleared).where(*mine), execution_options={"synchronize_session": False}
        )
        workshop_state.bump(session, journey_pk, {})
        return sum(dots for _, _, dots in back)


def cleared_mark(session: Session, journey_pk: int) -> tuple[int, int]:
    """(cleared rows, latest round) of the journey: moves when a round is cleared or put back."""
    cleared = ClearedDotVoteRow
    found = session.execute(
        select(func.count(cleared.id), func.coalesce(func.max(cleared.round), 0)).where(
            cleared.journey_id == journey_pk
        )
    ).one()
    return int(found[0]), int(found[1])


@dataclass(frozen=True)
class VoteSummary:
    """Where a journey's vote stands: open or not, each voter's dots, how many voters have
    dots that count and how many dots they are, and the dots of the latest cleared round
    (0: none to put back)."""

    open: bool
    dots: int
    voters: int
    cast: int
    cleared: int


def summary(session: Session, journey_id: str) -> VoteSummary:
    """The live journey's vote summary, in one query. Raises NotFoundError."""
    journey = JourneyRow.id
    counted = (
        select(DotVoteRow.voter)
        .join(FindingRow, FindingRow.id == DotVoteRow.finding_id)
        .join(TouchpointRow, TouchpointRow.id == FindingRow.touchpoint_id)
        .where(DotVoteRow.journey_id == journey, DotVoteRow.dots > 0, *_votable(journey))
    )
    voters = counted.with_only_columns(func.count(func.distinct(DotVoteRow.voter)))
    dots = counted.with_only_columns(func.coalesce(func.sum(DotVoteRow.dots), 0))
    cleared, rounds = ClearedDotVoteRow, aliased(ClearedDotVoteRow)
    latest = select(func.max(rounds.round)).where(rounds.journey_id == journey)
    kept = select(func.coalesce(func.sum(cleared.dots), 0)).where(
        cleared.journey_id == journey, cleared.round == latest.scalar_subquery()
    )
    state = WorkshopStateRow
    found = session.execute(
        select(
            state.vote_open,
            state.dots_per_voter,
            voters.scalar_subquery(),
            dots.scalar_subquery(),
            kept.scalar_subquery(),
        )
        .select_from(JourneyRow)
        .outerjoin(state, state.journey_id == journey)
        .where(JourneyRow.slug == journey_id, JourneyRow.deleted_at.is_(None))
    ).one_or_none()
    if found is None:
        raise NotFoundError("journey", journey_id)
    is_open, per_voter, voter_count, cast, back = found
    return VoteSummary(
        open=bool(is_open),
        dots=DEFAULT_DOTS if per_voter is None else int(per_voter),
        voters=int(voter_count or 0),
        cast=int(cast or 0),
        cleared=int(back or 0),
    )


def _mine(journey_pk: int, voter: str, finding_id: int) -> list[Any]:
    return [
        DotVoteRow.journey_id == journey_pk,
        DotVoteRow.voter == voter,
        DotVoteRow.finding_id == finding_id,
    ]


def _add(session: Session, mine: list[Any], step: int) -> None:
    session.execute(
        update(DotVoteRow).where(*mine).values(dots=DotVoteRow.dots + step, updated_at=utcnow()),
        execution_options={"synchronize_session": False},
    )

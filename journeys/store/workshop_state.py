"""What every screen of a journey's workshop follows, in the store: the moment presented,
follow-me, the timer and the vote's settings, one row per journey with a revision."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from journeys.errors import InvalidReferenceError, NotFoundError
from journeys.store import repository as repo
from journeys.store import rows
from journeys.store.db import Store
from journeys.store.note_tables import DEFAULT_DOTS, WorkshopStateRow
from journeys.store.tables import JourneyRow, MomentRow, utcnow

# The columns a change may set (the moment presented goes through set_presenting).
CHANGEABLE = frozenset(
    {"follow", "timer_started_at", "timer_seconds", "vote_open", "dots_per_voter"}
)


@dataclass(frozen=True)
class WorkshopState:
    """A journey's workshop as every screen shows it: the moment presented (its id; None when
    nobody presents), whether screens follow the facilitator, the timer (None: stopped), whether
    the vote is open and each voter's dots; `revision` changes with every change of it and every
    dot cast or taken back."""

    presenting: str | None
    follow: bool
    timer_started_at: datetime | None
    timer_seconds: int | None
    revision: int
    voting: bool = False
    dots: int = DEFAULT_DOTS

    @property
    def timer_ends_at(self) -> datetime | None:
        """When the running timer rings (None: no timer)."""
        if self.timer_started_at is None or self.timer_seconds is None:
            return None
        return self.timer_started_at + timedelta(seconds=self.timer_seconds)

    def timer_left(self, now: datetime) -> int | None:
        """Whole seconds left on the timer at `now` (0 once it has rung; None: no timer)."""
        ends = self.timer_ends_at
        if ends is None:
            return None
        return max(0, int((ends - now).total_seconds() + 0.999))


_NONE = WorkshopState(None, False, None, None, 0)


def read_state(session: Session, journey_id: str) -> WorkshopState:
    """The live journey's workshop state (the defaults before its first change), in one query.

    Raises NotFoundError."""
    state, moment = WorkshopStateRow, MomentRow
    found = session.execute(
        select(
            JourneyRow.id,
            moment.slug,
            state.follow,
            state.timer_started_at,
            state.timer_seconds,
            state.revision,
            state.vote_open,
            state.dots_per_voter,
        )
        .select_from(JourneyRow)
        .outerjoin(state, state.journey_id == JourneyRow.id)
        .outerjoin(
            moment,
            and_(moment.id == state.presenting_moment_id, moment.deleted_at.is_(None)),
        )
        .where(JourneyRow.slug == journey_id, JourneyRow.deleted_at.is_(None))
    ).one_or_none()
    if found is None:
        raise NotFoundError("journey", journey_id)
    _, presenting, follow, started, seconds, revision, voting, dots = found
    if revision is None:  # no row yet
        return _NONE
    return WorkshopState(presenting, follow, started, seconds, revision, voting, dots)


def revision(session: Session, journey_id: str) -> int:
    """The revision of the live journey's workshop state (0 before its first change), in one
    small query. Raises NotFoundError."""
    found = session.execute(
        select(JourneyRow.id, WorkshopStateRow.revision)
        .outerjoin(WorkshopStateRow, WorkshopStateRow.journey_id == JourneyRow.id)
        .where(JourneyRow.slug == journey_id, JourneyRow.deleted_at.is_(None))
    ).one_or_none()
    if found is None:
        raise NotFoundError("journey", journey_id)
    return found[1] or 0


def change(journey_id: str, values: dict[str, Any], *, store: Store) -> WorkshopState:
    """Set some of the CHANGEABLE columns of the journey's state (its revision goes up);
    return the new state. Raises NotFoundError."""
    unknown = set(values) - CHANGEABLE
    assert not unknown, f"not a column a change may set: {unknown}"
    with store.session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        ensure(session, journey_pk)
        bump(session, journey_pk, values)
        return read_state(session, journey_id)


def set_presenting(journey_id: str, moment: str | None, *, store: Store) -> WorkshopState:
    """Present the live moment `moment` (None: stop presenting); return the new state.

    Raises NotFoundError (journey), InvalidReferenceError (no such live moment)."""
    with store.session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        moment_pk = None
        if moment is not None:
            row = rows.live_child(session, MomentRow, journey_pk, moment)
            if row is None:
                raise InvalidReferenceError("moment", moment, where=f"journey '{journey_id}'")
            moment_pk = row.id
        ensure(session, journey_pk)
        bump(session, journey_pk, {"presenting_moment_id": moment_pk})
        return read_state(session, journey_id)


def ensure(session: Session, journey_pk: int) -> None:
    """Make the journey's state row if it has none (two screens making it at once: one wins,
    the other finds it made)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(WorkshopStateRow)
        .values(
            journey_id=journey_pk,
            follow=False,
            vote_open=False,
            dots_per_voter=DEFAULT_DOTS,
            revision=0,
            updated_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["journey_id"])
    )


def lock(session: Session, journey_pk: int) -> tuple[bool, int]:
    """Lock the journey's state row (made if missing) until the end of the transaction, so
    that the dots of one journey are counted one cast at a time; return (vote open, dots per
    voter). SQLite's write transactions are one at a time already."""
    ensure(session, journey_pk)
    found = session.execute(
        select(WorkshopStateRow.vote_open, WorkshopStateRow.dots_per_voter)
        .where(WorkshopStateRow.journey_id == journey_pk)
        .with_for_update()
    ).one()
    return bool(found[0]), int(found[1])


def bump(session: Session, journey_pk: int, values: dict[str, Any]) -> None:
    """Write `values` on the journey's state row (which must exist) and raise its revision."""
    session.execute(
        update(WorkshopStateRow)
        .where(WorkshopStateRow.journey_id == journey_pk)
        .values(**values, revision=WorkshopStateRow.revision + 1, updated_at=utcnow()),
        execution_options={"synchronize_session": False},
    )

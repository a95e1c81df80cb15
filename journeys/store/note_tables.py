"""Tables of the live workshop (SQLModel): participants' notes, each journey's join code, what
the room sees (the moment presented, follow-me, the timer) and the dots of its vote."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field

from journeys.store.tables import ENUM, _parent, _Row, _when

JOIN_CODE = String(16)


def _optional(target: str) -> Column[int]:
    """A link that outlives its target: the note stays when the touchpoint is purged."""
    return Column(Integer, ForeignKey(target, ondelete="SET NULL"), nullable=True)


class ParticipantNoteRow(_Row, table=True):
    """A note sent by a participant; it waits in the facilitator's inbox until handled.

    status: new → accepted (a finding was made of it) | merged (folded into an existing
    touchpoint's finding) | discarded (restorable: back to new).
    """

    __tablename__ = "participant_note"
    __table_args__ = (
        Index("ix_participant_note_journey_id_created_at", "journey_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(sa_column=_parent("journey.id"))
    moment_id: int = Field(
        sa_column=Column(Integer, ForeignKey("moment.id", ondelete="CASCADE"), nullable=False)
    )
    channel_id: int = Field(
        sa_column=Column(Integer, ForeignKey("channel.id", ondelete="CASCADE"), nullable=False)
    )
    touchpoint_id: int | None = Field(default=None, sa_column=_optional("touchpoint.id"))
    type: str = Field(sa_type=ENUM)
    intensity: int
    text: str = Field(sa_type=Text)
    author: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_column=_when(False))
    status: str = Field(default="new", sa_type=ENUM, sa_column_kwargs={"server_default": "new"})
    merged_touchpoint_id: int | None = Field(default=None, sa_column=_optional("touchpoint.id"))
    merged_finding_id: int | None = Field(default=None, sa_column=_optional("finding.id"))
    version: int = 1
    deleted_at: datetime | None = Field(default=None, sa_column=_when())


class WorkshopSessionRow(_Row, table=True):
    """The journey's open workshop: the join code participants type (or scan) to send notes.

    Codes are unique across journeys, so that a participant who types only the code lands on
    the right journey.
    """

    __tablename__ = "workshop_session"

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("journey.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    join_code: str = Field(sa_type=JOIN_CODE, unique=True)
    created_at: datetime = Field(sa_column=_when(False))
    rotated_at: datetime = Field(sa_column=_when(False))
    version: int = 1


DEFAULT_DOTS = 5  # each voter's dots when the facilitator has not said otherwise
VOTER = String(120)


class WorkshopStateRow(_Row, table=True):
    """What every screen of a journey's workshop follows: the moment presented (none: not
    presenting; a moment in the trash counts as none), follow-me, the timer (started at, for
    how long; none: stopped), the vote (open or not, dots per voter). `revision` goes up with
    every change of it and every dot cast or taken back: screens compare it each second.

    One row per journey, made by its first change."""

    __tablename__ = "workshop_state"

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("journey.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    presenting_moment_id: int | None = Field(default=None, sa_column=_optional("moment.id"))
    follow: bool = Field(default=False, sa_type=Boolean)
    timer_started_at: datetime | None = Field(default=None, sa_column=_when())
    timer_seconds: int | None = None
    vote_open: bool = Field(default=False, sa_type=Boolean)
    dots_per_voter: int = DEFAULT_DOTS
    revision: int = 0
    updated_at: datetime = Field(sa_column=_when(False))


class DotVoteRow(_Row, table=True):
    """The dots one voter put on one finding (an irritant or a break) of a journey.

    A voter is `phone:<token>` (a participant's phone) or `facilitator:<name>`. The dots of a
    finding count while it can be voted on (live, an open irritant or break): in the trash,
    they go back to their voters; restored, they come back.
    """

    __tablename__ = "dot_vote"
    __table_args__ = (
        Index(
            "uq_dot_vote_journey_id_voter_finding_id",
            "journey_id",
            "voter",
            "finding_id",
            unique=True,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(
        sa_column=Column(Integer, ForeignKey("journey.id", ondelete="CASCADE"), nullable=False)
    )
    finding_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("finding.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    voter: str = Field(sa_type=VOTER)
    dots: int
    updated_at: datetime = Field(sa_column=_when(False))


class ClearedDotVoteRow(_Row, table=True):
    """Dots the facilitator cleared for a new round, kept so that the round can come back: the
    dots one voter had put on one finding when round `round` of the journey was cleared (1 for
    its first clear, then 2…). Putting a round back brings its latest round first."""

    __tablename__ = "cleared_dot_vote"
    __table_args__ = (Index("ix_cleared_dot_vote_journey_id_round", "journey_id", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(
        sa_column=Column(Integer, ForeignKey("journey.id", ondelete="CASCADE"), nullable=False)
    )
    finding_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("finding.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    voter: str = Field(sa_type=VOTER)
    dots: int
    round: int
    cleared_at: datetime = Field(sa_column=_when(False))

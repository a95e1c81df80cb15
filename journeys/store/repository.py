"""Reading and writing whole documents in a session: find, load, bulk insert, replace content."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from journeys.contract.model import Journey, Program
from journeys.errors import NotFoundError, StaleVersionError
from journeys.store import convert
from journeys.store.tables import (
    ChannelRow,
    FindingRow,
    FlowRow,
    JourneyObjectiveRow,
    JourneyRow,
    LinkRow,
    MomentRow,
    PhaseRow,
    ProgramRow,
    StepRow,
    TouchpointRow,
    utcnow,
)

Row = TypeVar("Row")


def bulk_insert(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert every row with one statement; return the new ids in the order of `rows`."""
    if not rows:
        return []
    statement = insert(table).returning(table.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, list(rows)))


def _ordered(session: Session, statement: Any, table: Any) -> list[Any]:
    return list(session.scalars(statement.order_by(table.position, table.id)))


# --- finding documents ---------------------------------------------------------------------


def journey_row(
    session: Session, slug: str, *, deleted: bool | None = False, lock: bool = False
) -> JourneyRow:
    """The row of journey `slug`: live (deleted=False), in the trash (True) or either (None).

    `lock` takes a row lock (PostgreSQL) so that concurrent whole-journey writes queue up.
    Raises NotFoundError.
    """
    return document_row(session, JourneyRow, "journey", slug, deleted, lock)


def journey_pk(session: Session, slug: str) -> int:
    """The row id of the live journey `slug`. Raises NotFoundError."""
    row_id = journey_row(session, slug).id
    assert row_id is not None
    return row_id


def program_row(
    session: Session, slug: str, *, deleted: bool | None = False, lock: bool = False
) -> ProgramRow:
    """The row of program `slug` (see journey_row). Raises NotFoundError."""
    return document_row(session, ProgramRow, "program", slug, deleted, lock)


def document_row(
    session: Session, table: Any, what: str, slug: str, deleted: bool | None, lock: bool
) -> Any:
    """The JourneyRow or ProgramRow `slug` (see journey_row). Raises NotFoundError."""
    statement = select(table).where(table.slug == slug)
    if deleted is not None:
        statement = statement.where(
            table.deleted_at.is_not(None) if deleted else table.deleted_at.is_(None)
        )
    if lock:
        statement = statement.with_for_update()
    row = session.scalars(statement).one_or_none()
    if row is None:
        raise NotFoundError(what, slug, where="the trash" if deleted else "")
    return row


def touch(session: Session, table: Any, row_id: int, now: datetime | None = None) -> None:
    """Mark a journey or program as just changed (its content, not its own fields)."""
    session.execute(
        update(table)
        .where(table.id == row_id)
        .values(updated_at=now or utcnow(), revision=table.revision + 1),
        execution_options={"synchronize_session": False},
    )


def versioned_update(
    session: Session,
    table: Any,
    where: Any,
    values: dict[str, Any],
    *,
    expected_version: int | None,
    what: str,
    ident: object,
) -> int:
    """Update one row and bump its version; return the new version.

    With `expected_version`, the row is only changed if it is still at that version — checked
    and written in one statement, so two concurrent updates cannot both pass. Raises
    StaleVersionError (someone else changed or deleted it), NotFoundError.
    """
    statement = update(table).where(*where).values(**values, version=table.version + 1)
    if expected_version is not None:
        statement = statement.where(table.version == expected_version)
    new_version = session.scalars(
        statement.returning(table.version), execution_options={"synchronize_session": False}
    ).one_or_none()
    if new_version is not None:
        return new_version
    current = session.scalars(select(table.version).where(*where)).one_or_none()
    if expected_version is None:
        raise NotFoundError(what, ident)
    raise StaleVersionError(what, ident, expected_version, current)


# --- journeys ------------------------------------------------------------------------------


def insert_journey(session: Session, journey: Journey, *, now: datetime | None = None) -> int:
    """Insert a new journey with all its content; return its row id."""
    now = now or utcnow()
    values = {**convert.journey_columns(journey), "version": 1}
    values |= {"created_at": now, "updated_at": now}
    (journey_id,) = bulk_insert(session, JourneyRow, [values])
    insert_journey_content(session, journey_id, journey, now=now)
    return journey_id


def insert_journey_content(
    session: Session, journey_id: int, journey: Journey, *, now: datetime | None = None
) -> None:
    """Insert objectives, moments, channels, touchpoints, findings and flows: one insert each."""
    now = now or utcnow()
    parent = {"journey_id": journey_id}
    if journey.objectives:
        session.execute(insert(JourneyObjectiveRow), convert.objective_values(journey_id, journey))
    moments = convert.positioned(parent, [convert.moment_columns(m) for m in journey.moments])
    channels = convert.positioned(parent, [convert.channel_columns(c) for c in journey.channels])
    moment_ids = dict(
        zip([m.id for m in journey.moments], bulk_insert(session, MomentRow, moments), strict=True)
    )
    channel_ids = dict(
        zip(
            [c.id for c in journey.channels],
            bulk_insert(session, ChannelRow, channels),
            strict=True,
        )
    )
    touchpoints = convert.touchpoint_values(
        journey_id, journey.touchpoints, moment_ids, channel_ids
    )
    tp_ids = bulk_insert(session, TouchpointRow, touchpoints)
    findings = convert.finding_values(journey.touchpoints, tp_ids)
    bulk_insert(session, FindingRow, [{**f, "created_at": now} for f in findings])
    by_slug = dict(zip([t.id for t in journey.touchpoints], tp_ids, strict=True))
    bulk_insert(session, FlowRow, convert.flow_values(journey_id, journey.flows, by_slug))


def delete_journey_content(session: Session, journey_id: int) -> None:
    """Delete every moment, channel, touchpoint, finding, flow (live or in the trash)."""
    options = {"synchronize_session": False}
    touchpoints = select(TouchpointRow.id).where(TouchpointRow.journey_id == journey_id)
    statements = [
        delete(FlowRow).where(FlowRow.journey_id == journey_id),
        delete(FindingRow).where(FindingRow.touchpoint_id.in_(touchpoints)),
        delete(TouchpointRow).where(TouchpointRow.journey_id == journey_id),
        delete(MomentRow).where(MomentRow.journey_id == journey_id),
        delete(ChannelRow).where(ChannelRow.journey_id == journey_id),
        delete(JourneyObjectiveRow).where(JourneyObjectiveRow.journey_id == journey_id),
    ]
    for statement in statements:
        session.execute(statement, execution_options=options)


def load_journey_content(session: Session, row: JourneyRow) -> convert.JourneyContent:
    """The live rows of a journey, in order."""
    jid = row.id
    live_tp = select(TouchpointRow).where(
        TouchpointRow.journey_id == jid, TouchpointRow.deleted_at.is_(None)
    )
    findings = (
        select(FindingRow)
        .join(TouchpointRow, FindingRow.touchpoint_id == TouchpointRow.id)
        .where(TouchpointRow.journey_id == jid, TouchpointRow.deleted_at.is_(None))
        .where(FindingRow.deleted_at.is_(None))
    )
    return convert.JourneyContent(
        journey=row,
        objectives=list(
            session.scalars(
                select(JourneyObjectiveRow)
                .where(JourneyObjectiveRow.journey_id == jid)
                .order_by(JourneyObjectiveRow.position)
            )
        ),
        moments=_ordered(session, _live(MomentRow, jid), MomentRow),
        channels=_ordered(session, _live(ChannelRow, jid), ChannelRow),
        touchpoints=_ordered(session, live_tp, TouchpointRow),
        findings=_ordered(session, findings, FindingRow),
        flows=_ordered(session, select(FlowRow).where(FlowRow.journey_id == jid), FlowRow),
    )


def _live(table: Any, journey_id: int) -> Any:
    return select(table).where(table.journey_id == journey_id, table.deleted_at.is_(None))


def load_journey(session: Session, slug: str) -> Journey:
    """The live journey `slug` as a document. Raises NotFoundError."""
    return convert.journey_from_rows(load_journey_content(session, journey_row(session, slug)))


# --- programs ------------------------------------------------------------------------------


def insert_program(session: Session, program: Program, *, now: datetime | None = None) -> int:
    """Insert a new program with its phases, steps and links; return its row id."""
    now = now or utcnow()
    values = {**convert.program_columns(program), "version": 1}
    values |= {"created_at": now, "updated_at": now}
    (program_id,) = bulk_insert(session, ProgramRow, [values])
    insert_program_content(session, program_id, program)
    return program_id


def insert_program_content(session: Session, program_id: int, program: Program) -> None:
    phase_ids = dict(
        zip(
            [p.id for p in program.phases],
            bulk_insert(session, PhaseRow, convert.phase_values(program_id, program.phases)),
            strict=True,
        )
    )
    step_rows = convert.step_values(program_id, program.steps, phase_ids)
    step_ids = dict(
        zip([s.id for s in program.steps], bulk_insert(session, StepRow, step_rows), strict=True)
    )
    bulk_insert(session, LinkRow, convert.link_values(program_id, program.links, step_ids))


def delete_program_content(session: Session, program_id: int) -> None:
    options = {"synchronize_session": False}
    for table in (LinkRow, StepRow, PhaseRow):
        session.execute(
            delete(table).where(table.program_id == program_id), execution_options=options
        )


def load_program(session: Session, slug: str) -> Program:
    """The live program `slug` as a document. Raises NotFoundError."""
    row = program_row(session, slug)
    content = convert.ProgramContent(
        program=row,
        phases=_ordered(session, select(PhaseRow).where(PhaseRow.program_id == row.id), PhaseRow),
        steps=_ordered(session, select(StepRow).where(StepRow.program_id == row.id), StepRow),
        links=_ordered(session, select(LinkRow).where(LinkRow.program_id == row.id), LinkRow),
    )
    return convert.program_from_rows(content)

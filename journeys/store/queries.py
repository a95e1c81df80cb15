"""Read-side queries: journey and program lists with counts, the editable journey, the trash."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from journeys.contract.model import JourneyState, JourneyType, Objective
from journeys.errors import NotFoundError
from journeys.store import repository as repo
from journeys.store.convert import journey_from_rows
from journeys.store.tables import (
    FindingRow,
    JourneyRow,
    PhaseRow,
    ProgramRow,
    SnapshotRow,
    StepRow,
    TouchpointRow,
)
from journeys.store.views import (
    EditableJourney,
    FindingRef,
    JourneySummary,
    ProgramSummary,
    SnapshotInfo,
)


def journey_summaries(
    session: Session,
    *,
    journey_type: str | None = None,
    state: str | None = None,
    include_deleted: bool = False,
) -> list[JourneySummary]:
    """Journeys by title, with live touchpoint and finding counts (three queries in all)."""
    statement = select(JourneyRow).order_by(JourneyRow.title, JourneyRow.slug)
    if journey_type is not None:
        statement = statement.where(JourneyRow.journey_type == JourneyType(journey_type).value)
    if state is not None:
        statement = statement.where(JourneyRow.state == JourneyState(state).value)
    if not include_deleted:
        statement = statement.where(JourneyRow.deleted_at.is_(None))
    rows = list(session.scalars(statement))
    touchpoints, findings = _counts(session)
    return [_summary(row, touchpoints, findings) for row in rows]


def journey_titles(session: Session) -> list[tuple[str, str, str]]:
    """(id, title, state) of the live journeys by title: one small query, for pickers."""
    statement = (
        select(JourneyRow.slug, JourneyRow.title, JourneyRow.state)
        .where(JourneyRow.deleted_at.is_(None))
        .order_by(JourneyRow.title, JourneyRow.slug)
    )
    return [(slug, title, state) for slug, title, state in session.execute(statement)]


def _counts(session: Session) -> tuple[dict[int, int], dict[tuple[int, str], int]]:
    live_tp = TouchpointRow.deleted_at.is_(None)
    touchpoints = session.execute(
        select(TouchpointRow.journey_id, func.count())
        .where(live_tp)
        .group_by(TouchpointRow.journey_id)
    )
    findings = session.execute(
        select(TouchpointRow.journey_id, FindingRow.type, func.count())
        .join(TouchpointRow, FindingRow.touchpoint_id == TouchpointRow.id)
        .where(live_tp, FindingRow.deleted_at.is_(None))
        .group_by(TouchpointRow.journey_id, FindingRow.type)
    )
    return (
        {jid: n for jid, n in touchpoints},
        {(jid, kind): n for jid, kind, n in findings},
    )


def _summary(row: JourneyRow, touchpoints: dict, findings: dict) -> JourneySummary:
    assert row.id is not None
    return JourneySummary(
        id=row.slug,
        title=row.title,
        journey_type=JourneyType(row.journey_type),
        state=JourneyState(row.state),
        language=row.language,
        derived_from=row.derived_from,
        touchpoints=touchpoints.get(row.id, 0),
        delights=findings.get((row.id, "delight"), 0),
        irritants=findings.get((row.id, "irritant"), 0),
        breaks=findings.get((row.id, "break"), 0),
        version=row.version,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
    )


def program_summaries(
    session: Session, *, journey_id: str | None = None, include_deleted: bool = False
) -> list[ProgramSummary]:
    """Programs by title, with their phase and step counts."""
    statement = select(ProgramRow).order_by(ProgramRow.title, ProgramRow.slug)
    if journey_id is not None:
        statement = statement.where(ProgramRow.journey == journey_id)
    if not include_deleted:
        statement = statement.where(ProgramRow.deleted_at.is_(None))
    phases = _count_by(session, PhaseRow.program_id)
    steps = _count_by(session, StepRow.program_id)
    return [
        ProgramSummary(
            id=row.slug,
            title=row.title,
            journey=row.journey,
            objective=Objective(row.objective),
            language=row.language,
            phases=phases.get(row.id, 0),
            steps=steps.get(row.id, 0),
            version=row.version,
            updated_at=row.updated_at,
            deleted_at=row.deleted_at,
        )
        for row in session.scalars(statement)
    ]


def program_slugs(session: Session) -> set[str]:
    """Every program id, those in the trash included."""
    return set(session.scalars(select(ProgramRow.slug)))


def _count_by(session: Session, column: Any) -> dict[int, int]:
    return dict(session.execute(select(column, func.count()).group_by(column)).all())


def editable_journey(session: Session, journey_id: str) -> EditableJourney:
    """The live journey with the versions and finding handles the board sends back."""
    row = repo.journey_row(session, journey_id)
    content = repo.load_journey_content(session, row)
    slugs = {t.id: t.slug for t in content.touchpoints}
    refs: dict[str, list[FindingRef]] = defaultdict(list)
    for finding in content.findings:
        assert finding.id is not None
        refs[slugs[finding.touchpoint_id]].append(FindingRef(finding.id, finding.version))
    return EditableJourney(
        journey=journey_from_rows(content),
        version=row.version,
        updated_at=row.updated_at,
        moment_versions={m.slug: m.version for m in content.moments},
        channel_versions={c.slug: c.version for c in content.channels},
        touchpoint_versions={t.slug: t.version for t in content.touchpoints},
        finding_refs={slug: refs.get(slug, []) for slug in slugs.values()},
        revision=(row.id, row.revision),
    )


def journey_revision(session: Session, journey_id: str) -> tuple[int, int]:
    """(row id, revision) of a live journey: cheap, and different after any change of it."""
    found = session.execute(
        select(JourneyRow.id, JourneyRow.revision).where(
            JourneyRow.slug == journey_id, JourneyRow.deleted_at.is_(None)
        )
    ).one_or_none()
    if found is None:
        raise NotFoundError("journey", journey_id)
    return found[0], found[1]


def snapshots(session: Session, journey_id: str) -> list[SnapshotInfo]:
    """The snapshots of a journey (live or in the trash), most recent first."""
    row = repo.journey_row(session, journey_id, deleted=None)
    statement = (
        select(SnapshotRow.id, SnapshotRow.name, SnapshotRow.created_at)
        .where(SnapshotRow.journey_id == row.id)
        .order_by(SnapshotRow.created_at.desc(), SnapshotRow.id.desc())
    )
    return [
        SnapshotInfo(id=sid, journey_id=journey_id, name=name, created_at=created)
        for sid, name, created in session.execute(statement)
    ]


def snapshot_content(session: Session, snapshot_id: int) -> str:
    """The YAML kept in a snapshot. Raises NotFoundError."""
    snapshot = session.get(SnapshotRow, snapshot_id)
    if snapshot is None:
        raise NotFoundError("snapshot", snapshot_id)
    return snapshot.content


def journey_snapshot(
    session: Session, journey_id: str, snapshot_id: int
) -> tuple[SnapshotInfo, str]:
    """A snapshot of journey `journey_id` (live or in the trash) and its YAML.

    Raises NotFoundError for an unknown journey, and for a snapshot of another journey."""
    row = repo.journey_row(session, journey_id, deleted=None)
    snapshot = session.get(SnapshotRow, snapshot_id)
    if snapshot is None or snapshot.journey_id != row.id:
        raise NotFoundError("snapshot", snapshot_id, where=f"journey '{journey_id}'")
    assert snapshot.id is not None
    info = SnapshotInfo(snapshot.id, journey_id, snapshot.name, snapshot.created_at)
    return info, snapshot.content

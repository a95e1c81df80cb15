"""Visits in a session: insert one with its findings, load them back, trash and restore them."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from journeys.contract.model import FindingType, Touchpoint
from journeys.errors import NotFoundError, RestoreConflictError
from journeys.store import photo_rows, rows
from journeys.store.convert import finding_columns, touchpoint_columns
from journeys.store.repository import bulk_insert
from journeys.store.tables import (
    ChannelRow,
    FindingRow,
    JourneyRow,
    MomentRow,
    TouchpointRow,
    utcnow,
)
from journeys.store.visit_tables import (
    ObservationRow,
    VisitRow,
)
from journeys.visits.model import Observation, Visit, VisitStatus, observation_to_finding


def visit_slugs(session: Session, journey_pk: int) -> set[str]:
    """Every visit id of a journey, deleted ones included (they may come back)."""
    return set(session.scalars(select(VisitRow.slug).where(VisitRow.journey_id == journey_pk)))


def visit_identities(session: Session, journey_pk: int) -> list[tuple[str, datetime, str]]:
    """(id, time, shopper) of every visit of a journey, deleted ones included."""
    statement = select(VisitRow.slug, VisitRow.visited_at, VisitRow.shopper).where(
        VisitRow.journey_id == journey_pk
    )
    return [(slug, when, shopper) for slug, when, shopper in session.execute(statement)]


def touchpoint_slugs(session: Session, journey_pk: int) -> set[str]:
    """Every touchpoint id of a journey, deleted ones included."""
    statement = select(TouchpointRow.slug).where(TouchpointRow.journey_id == journey_pk)
    return set(session.scalars(statement))


def insert_touchpoints(
    session: Session, journey_pk: int, touchpoints: Sequence[Touchpoint]
) -> None:
    """Add touchpoints (without findings) at the end of the journey's list."""
    position = rows.next_position(
        session, TouchpointRow.position, TouchpointRow.journey_id == journey_pk
    )
    values = []
    for offset, tp in enumerate(touchpoints):
        moment = rows.live_child(session, MomentRow, journey_pk, tp.moment)
        channel = rows.live_child(session, ChannelRow, journey_pk, tp.channel)
        values.append(
            {**touchpoint_columns(tp), "journey_id": journey_pk, "version": 1}
            | {"moment_id": moment.id, "channel_id": channel.id, "position": position + offset}
        )
    bulk_insert(session, TouchpointRow, values)


def insert_visit(
    session: Session,
    journey_pk: int,
    visit: Visit,
    targets: Mapping[int, str],
    *,
    origin: str,
    agency: str | None = None,
    draft_token: str | None = None,
    now: datetime | None = None,
) -> int:
    """Insert a visit, its observations (with photos) and one finding per observation.

    `targets` maps each observation's index to the touchpoint its finding goes to.
    Raises NotFoundError for a photo that was never stored.
    """
    now = now or utcnow()
    values = {
        "journey_id": journey_pk,
        "slug": visit.id,
        "visited_at": visit.visited_at,
        "shopper": visit.shopper,
        "persona": visit.persona,
        "scenario": visit.scenario,
        "origin": origin,
        "agency": agency,
        "draft_token": draft_token,
        "created_at": now,
        "version": 1,
    }
    (visit_pk,) = bulk_insert(session, VisitRow, [values])
    observations = [
        _observation_values(visit_pk, i, obs, targets[i])
        for i, obs in enumerate(visit.observations)
    ]
    observation_ids = bulk_insert(session, ObservationRow, observations)
    photo_rows.link_photos(session, visit.observations, observation_ids)
    _add_findings(session, journey_pk, visit, targets, now)
    return visit_pk


def _observation_values(visit_pk: int, index: int, obs: Observation, touchpoint: str) -> dict:
    return {
        "visit_id": visit_pk,
        "position": index,
        "moment": obs.moment,
        "channel": obs.channel,
        "touchpoint": touchpoint,
        "type": obs.type.value,
        "intensity": obs.intensity,
        "text": obs.text,
        "rating": obs.rating,
        "wait_minutes": obs.wait_minutes,
        "verbatim": obs.verbatim,
    }


def _add_findings(
    session: Session, journey_pk: int, visit: Visit, targets: Mapping[int, str], now: datetime
) -> None:
    slugs = set(targets.values())
    touchpoints: dict[str, int] = dict(
        session.execute(
            select(TouchpointRow.slug, TouchpointRow.id).where(
                TouchpointRow.journey_id == journey_pk,
                TouchpointRow.slug.in_(slugs),
                TouchpointRow.deleted_at.is_(None),
            )
        ).all()
    )
    next_at: dict[int, int] = {}
    values = []
    for index, obs in enumerate(visit.observations):
        tp_pk = touchpoints[targets[index]]
        if tp_pk not in next_at:
            next_at[tp_pk] = rows.next_position(
                session, FindingRow.position, FindingRow.touchpoint_id == tp_pk
            )
        finding = observation_to_finding(obs, visit.id)
        values.append(
            {**finding_columns(finding), "touchpoint_id": tp_pk, "position": next_at[tp_pk]}
            | {"version": 1, "created_at": now}
        )
        next_at[tp_pk] += 1
    bulk_insert(session, FindingRow, values)


# --- reading -------------------------------------------------------------------------------


def load_visits(
    session: Session, journey_pk: int, *, deleted: bool | None = False, slug: str | None = None
) -> list[tuple[VisitRow, Visit]]:
    """The visits of a journey by date (live ones, deleted ones, or both with None)."""
    statement = select(VisitRow).where(VisitRow.journey_id == journey_pk)
    if slug is not None:
        statement = statement.where(VisitRow.slug == slug)
    if deleted is not None:
        live = VisitRow.deleted_at.is_(None)
        statement = statement.where(~live if deleted else live)
    visit_rows = list(session.scalars(statement.order_by(VisitRow.visited_at, VisitRow.id)))
    if not visit_rows:
        return []
    observations: dict[int, list[ObservationRow]] = {}
    ids = [v.id for v in visit_rows if v.id is not None]
    for obs in session.scalars(
        select(ObservationRow)
        .where(ObservationRow.visit_id.in_(ids))
        .order_by(ObservationRow.visit_id, ObservationRow.position)
    ):
        observations.setdefault(obs.visit_id, []).append(obs)
    photos = photo_rows.observation_photos(
        session, [o.id for group in observations.values() for o in group if o.id]
    )
    journey_slug = _journey_slug(session, journey_pk)
    return [
        (row, _visit(row, journey_slug, observations.get(row.id, []), photos)) for row in visit_rows
    ]


def _journey_slug(session: Session, journey_pk: int) -> str:
    return session.scalars(select(JourneyRow.slug).where(JourneyRow.id == journey_pk)).one()


def _visit(row: VisitRow, journey: str, observations: list[ObservationRow], photos: dict) -> Visit:
    return Visit(
        id=row.slug,
        journey=journey,
        visited_at=row.visited_at,
        shopper=row.shopper,
        persona=row.persona,
        scenario=row.scenario,
        status=VisitStatus.SUBMITTED,
        observations=[
            Observation(
                moment=o.moment,
                channel=o.channel,
                touchpoint=o.touchpoint,
                type=FindingType(o.type),
                intensity=o.intensity,
                text=o.text,
                rating=o.rating,
                wait_minutes=o.wait_minutes,
                verbatim=o.verbatim,
                photos=photos.get(o.id, []),
            )
            for o in observations
        ],
    )


def load_visit(session: Session, journey_pk: int, slug: str) -> Visit:
    """The visit `slug` of a journey (live or deleted) with its observations.

    Raises NotFoundError.
    """
    for row, visit in load_visits(session, journey_pk, deleted=None, slug=slug):
        if row.slug == slug:
            return visit
    raise NotFoundError("visit", slug)


def visit_row(session: Session, journey_pk: int, slug: str, *, deleted: bool) -> VisitRow:
    """The live (or deleted) visit `slug` of a journey. Raises NotFoundError."""
    live = VisitRow.deleted_at.is_(None)
    row = session.scalars(
        select(VisitRow).where(
            VisitRow.journey_id == journey_pk, VisitRow.slug == slug, ~live if deleted else live
        )
    ).one_or_none()
    if row is None:
        raise NotFoundError("visit", slug, where="the trash" if deleted else "")
    return row


# --- trash ---------------------------------------------------------------------------------


def _visit_findings(journey_pk: int, slug: str) -> list[Any]:
    in_journey = select(TouchpointRow.id).where(TouchpointRow.journey_id == journey_pk)
    return [FindingRow.touchpoint_id.in_(in_journey), FindingRow.visit == slug]


def delete_visit(session: Session, journey_pk: int, slug: str) -> int:
    """Move a visit and its live findings to the trash together; return how many findings."""
    row = visit_row(session, journey_pk, slug, deleted=False)
    now = utcnow()
    row.deleted_at, row.version = now, row.version + 1
    result = session.execute(
        update(FindingRow)
        .where(*_visit_findings(journey_pk, slug), FindingRow.deleted_at.is_(None))
        .values(deleted_at=now, version=FindingRow.version + 1),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount


def restore_visit(session: Session, journey_pk: int, slug: str) -> int:
    """Bring back a visit and the findings deleted with it; return how many findings.

    Raises RestoreConflictError when one of those findings' touchpoints is deleted.
    """
    row = visit_row(session, journey_pk, slug, deleted=True)
    same_time = [*_visit_findings(journey_pk, slug), FindingRow.deleted_at == row.deleted_at]
    orphans = session.scalars(
        select(TouchpointRow.slug)
        .join(FindingRow, FindingRow.touchpoint_id == TouchpointRow.id)
        .where(*same_time, TouchpointRow.deleted_at.is_not(None))
    ).first()
    if orphans is not None:
        raise RestoreConflictError(
            f"cannot restore visit '{slug}': its touchpoint '{orphans}' is deleted; "
            "restore it first"
        )
    result = session.execute(
        update(FindingRow)
        .where(*same_time)
        .values(deleted_at=None, version=FindingRow.version + 1),
        execution_options={"synchronize_session": False},
    )
    row.deleted_at, row.version = None, row.version + 1
    return result.rowcount

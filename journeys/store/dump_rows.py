"""The whole workspace in a session, for a dump and its restore: read everything a user made,
and write it back, ids (slugs) and times as they were."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from journeys.contract.model import Journey, Program
from journeys.dump.model import (
    BaseLink,
    DumpedAgencyMapping,
    DumpedBase,
    DumpedClearedVote,
    DumpedNote,
    DumpedVisit,
    DumpedVote,
    VotesFile,
)
from journeys.errors import DuplicateIdError
from journeys.store import convert, photo_rows, rows, visit_rows
from journeys.store import repository as repo
from journeys.store.base_rows import JourneyBaseRow, SubscriberBaseRow
from journeys.store.db import Store
from journeys.store.note_tables import (
    DEFAULT_DOTS,
    ClearedDotVoteRow,
    DotVoteRow,
    ParticipantNoteRow,
    WorkshopStateRow,
)
from journeys.store.notes import notes as journey_notes
from journeys.store.tables import (
    ChannelRow,
    FindingRow,
    JourneyRow,
    LinkRow,
    MomentRow,
    PhaseRow,
    ProgramRow,
    SnapshotRow,
    StepRow,
    TouchpointRow,
    utcnow,
)
from journeys.store.visit_tables import AgencyMappingRow, ObservationRow, VisitRow
from journeys.visits.model import observation_to_finding
from journeys.visits.photos import CheckedPhoto

# --- reading -------------------------------------------------------------------------------


def read_consistently(session: Session) -> None:
    """Make every read of the session see the workspace as it was at its first one (PostgreSQL
    reads each statement afresh by default; SQLite's read transaction already does this)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def journeys(session: Session) -> Iterator[tuple[Journey, datetime | None]]:
    """Every journey (live or in the trash) with its live content, and when it was deleted."""
    for row in session.scalars(select(JourneyRow).order_by(JourneyRow.slug)):
        yield convert.journey_from_rows(repo.load_journey_content(session, row)), row.deleted_at


def programs(session: Session) -> Iterator[tuple[Program, datetime | None]]:
    """Every program (live or in the trash), and when it was deleted."""
    for row in session.scalars(select(ProgramRow).order_by(ProgramRow.slug)):
        content = convert.ProgramContent(
            program=row,
            phases=_children(session, PhaseRow, row.id),
            steps=_children(session, StepRow, row.id),
            links=_children(session, LinkRow, row.id),
        )
        yield convert.program_from_rows(content), row.deleted_at


def _children(session: Session, table: Any, program_pk: int) -> list[Any]:
    statement = select(table).where(table.program_id == program_pk)
    return list(session.scalars(statement.order_by(table.position, table.id)))


def snapshots(session: Session, journey_id: str) -> list[tuple[str, datetime, str]]:
    """(name, time, YAML) of each snapshot of a journey, oldest first."""
    statement = (
        select(SnapshotRow.name, SnapshotRow.created_at, SnapshotRow.content)
        .join(JourneyRow, JourneyRow.id == SnapshotRow.journey_id)
        .where(JourneyRow.slug == journey_id)
        .order_by(SnapshotRow.created_at, SnapshotRow.id)
    )
    return [(name, when, content) for name, when, content in session.execute(statement)]


def visits(session: Session, journey_id: str) -> list[DumpedVisit]:
    """Every visit of a journey (live or in the trash) with all its columns, by date."""
    journey_pk = repo.journey_row(session, journey_id, deleted=None).id
    return [
        DumpedVisit(
            journey=journey_id,
            id=visit.id,
            visited_at=row.visited_at,
            shopper=row.shopper,
            persona=row.persona,
            scenario=row.scenario,
            origin=row.origin,
            agency=row.agency,
            draft_token=row.draft_token,
            created_at=row.created_at,
            deleted_at=row.deleted_at,
            observations=visit.observations,
        )
        for row, visit in visit_rows.load_visits(session, journey_pk, deleted=None)
    ]


def photo_bytes(session: Session, sha256: str) -> tuple[bytes, str]:
    """The bytes and type of a stored photo. Raises NotFoundError."""
    return photo_rows.photo_bytes(session, sha256)


def notes(session: Session, journey: Journey) -> list[DumpedNote]:
    """The participants' notes of a journey whose moment and channel are live in it, oldest
    first; a link to a touchpoint that is no longer live is left out."""
    journey_pk = repo.journey_row(session, journey.id, deleted=None).id
    moments = {m.id for m in journey.moments}
    channels = {c.id for c in journey.channels}
    touchpoints = {t.id for t in journey.touchpoints}
    return [
        DumpedNote(
            moment=note.moment,
            channel=note.channel,
            touchpoint=note.touchpoint if note.touchpoint in touchpoints else None,
            type=note.type,
            intensity=note.intensity,
            text=note.text,
            author=note.author,
            created_at=note.created_at,
            status=note.status.value,
            merged_touchpoint=(
                note.merged_touchpoint if note.merged_touchpoint in touchpoints else None
            ),
            discarded_at=note.discarded_at,
        )
        for note in journey_notes(session, journey_pk, journey.id)
        if note.moment in moments and note.channel in channels
    ]


def _live_findings(session: Session, journey_pk: int) -> dict[int, tuple[str, int]]:
    """Finding row id → (touchpoint id, its place among that touchpoint's findings) of the
    journey's live findings, as the journey's file lists them."""
    found = session.execute(
        select(FindingRow.id, TouchpointRow.slug)
        .join(TouchpointRow, TouchpointRow.id == FindingRow.touchpoint_id)
        .where(
            TouchpointRow.journey_id == journey_pk,
            TouchpointRow.deleted_at.is_(None),
            FindingRow.deleted_at.is_(None),
        )
        .order_by(FindingRow.position, FindingRow.id)
    ).all()
    places: dict[int, tuple[str, int]] = {}
    counts: dict[str, int] = {}
    for finding_id, slug in found:
        places[finding_id] = (slug, counts.get(slug, 0))
        counts[slug] = counts.get(slug, 0) + 1
    return places


def votes(session: Session, journey_id: str) -> VotesFile | None:
    """The journey's dot vote: whether it is open, each voter's dots, the dots on its live
    findings (those in its trash are left out, as the findings are); None when it never had
    one. The moment presented, follow-me and the timer are a live session's passing state:
    left out, like the join code."""
    journey_pk = repo.journey_row(session, journey_id, deleted=None).id
    state = session.execute(
        select(WorkshopStateRow.vote_open, WorkshopStateRow.dots_per_voter).where(
            WorkshopStateRow.journey_id == journey_pk
        )
    ).one_or_none()
    places = _live_findings(session, journey_pk)
    cast = session.execute(
        select(DotVoteRow.finding_id, DotVoteRow.voter, DotVoteRow.dots)
        .where(DotVoteRow.journey_id == journey_pk, DotVoteRow.dots > 0)
        .order_by(DotVoteRow.voter, DotVoteRow.finding_id)
    ).all()
    dumped = [
        DumpedVote(touchpoint=places[f][0], finding=places[f][1], voter=voter, dots=dots)
        for f, voter, dots in cast
        if f in places
    ]
    cleared = [
        DumpedClearedVote(
            touchpoint=places[f][0],
            finding=places[f][1],
            voter=voter,
            dots=dots,
            round=round_,
            cleared_at=when,
        )
        for f, voter, dots, round_, when in session.execute(
            select(
                ClearedDotVoteRow.finding_id,
                ClearedDotVoteRow.voter,
                ClearedDotVoteRow.dots,
                ClearedDotVoteRow.round,
                ClearedDotVoteRow.cleared_at,
            )
            .where(ClearedDotVoteRow.journey_id == journey_pk, ClearedDotVoteRow.dots > 0)
            .order_by(
                ClearedDotVoteRow.round, ClearedDotVoteRow.voter, ClearedDotVoteRow.finding_id
            )
        )
        if f in places
    ]
    is_open, dots = state if state is not None else (False, DEFAULT_DOTS)
    if not dumped and not cleared and not is_open and dots == DEFAULT_DOTS:
        return None
    return VotesFile(journey=journey_id, open=is_open, dots=dots, votes=dumped, cleared=cleared)


def agency_mappings(session: Session) -> list[tuple[str, str, str, str, datetime]]:
    """(key, name, column mapping JSON, value mapping JSON, time) of every agency, by key."""
    statement = select(
        AgencyMappingRow.key,
        AgencyMappingRow.name,
        AgencyMappingRow.columns,
        AgencyMappingRow.value_map,
        AgencyMappingRow.updated_at,
    ).order_by(AgencyMappingRow.key)
    return [tuple(found) for found in session.execute(statement)]  # type: ignore[misc]


def subscriber_bases(session: Session) -> list[DumpedBase]:
    """Every subscriber base (its mapping and aggregates as stored), by name."""
    return [
        DumpedBase(
            name=row.name,
            source=row.source,
            mapping=row.mapping,
            aggregates=row.aggregates,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        for row in session.scalars(select(SubscriberBaseRow).order_by(SubscriberBaseRow.name))
    ]


def base_links(session: Session) -> list[BaseLink]:
    """Which base each journey reads, by journey."""
    return [
        BaseLink(
            journey=row.journey_slug,
            base=row.base_name,
            moments=row.moments,
            updated_at=row.updated_at,
        )
        for row in session.scalars(select(JourneyBaseRow).order_by(JourneyBaseRow.journey_slug))
    ]


# --- writing -------------------------------------------------------------------------------


@contextmanager
def restore_session(store: Store) -> Iterator[Session]:
    """A write transaction for a restore: an id taken meanwhile by someone else refuses it
    whole (DuplicateIdError), like an id found taken before."""
    try:
        with store.session() as session:
            yield session
    except IntegrityError as exc:
        raise DuplicateIdError(
            "journey, program, agency mapping or subscriber base",
            "of the dump",
            hint="someone added it while the dump was being restored; nothing was restored",
        ) from exc


def store_photo(session: Session, photo: CheckedPhoto) -> None:
    """Keep a photo's bytes (once per content)."""
    photo_rows.store_photo(session, photo)


def holds_anything(session: Session) -> bool:
    """True when the workspace holds a journey or a program (even in the trash), an agency's
    mapping or a subscriber base: everything else of a workspace belongs to one of them."""
    tables = (JourneyRow, ProgramRow, AgencyMappingRow, SubscriberBaseRow)
    return any(session.scalar(select(func.count()).select_from(t)) for t in tables)


def check_free(session: Session, wanted: dict[str, set[str]]) -> None:
    """Raise DuplicateIdError for the first journey, program, agency mapping or subscriber
    base of `wanted` (by what: ids) that the workspace already holds."""
    columns = {
        "journey": JourneyRow.slug,
        "program": ProgramRow.slug,
        "agency mapping": AgencyMappingRow.key,
        "subscriber base": SubscriberBaseRow.name,
    }
    for what, column in columns.items():
        taken = session.scalars(select(column).where(column.in_(wanted.get(what, set())))).first()
        if taken is not None:
            raise DuplicateIdError(what, taken, hint="the workspace already holds it")


def insert_document(session: Session, document: Journey | Program, deleted_at: Any) -> None:
    """Insert a journey or program, in the trash when `deleted_at` is given."""
    table: Any = JourneyRow if isinstance(document, Journey) else ProgramRow
    if isinstance(document, Journey):
        pk = repo.insert_journey(session, document)
    else:
        pk = repo.insert_program(session, document)
    if deleted_at is not None:
        session.get(table, pk).deleted_at = deleted_at


def insert_snapshot(
    session: Session, journey_id: str, name: str, created_at: datetime, content: str
) -> None:
    journey_pk = repo.journey_row(session, journey_id, deleted=None).id
    session.add(
        SnapshotRow(journey_id=journey_pk, name=name, created_at=created_at, content=content)
    )


def insert_visit(session: Session, visit: DumpedVisit) -> None:
    """Insert a visit with its observations and photo links (the photos stored first).

    A live visit's findings are in its journey already; a visit in the trash gets back the
    findings of its observations, in the trash with it, so that restoring it brings them back.
    """
    journey_pk = repo.journey_row(session, visit.journey, deleted=None).id
    values = {
        "journey_id": journey_pk,
        "slug": visit.id,
        "visited_at": visit.visited_at,
        "shopper": visit.shopper,
        "persona": visit.persona,
        "scenario": visit.scenario,
        "origin": visit.origin,
        "agency": visit.agency,
        "draft_token": visit.draft_token,
        "created_at": visit.created_at,
        "deleted_at": visit.deleted_at,
        "version": 1,
    }
    (visit_pk,) = repo.bulk_insert(session, VisitRow, [values])
    observations = [
        {
            "visit_id": visit_pk,
            "position": i,
            **obs.model_dump(include=_OBSERVATION_COLUMNS),
            "type": obs.type.value,
        }
        for i, obs in enumerate(visit.observations)
    ]
    ids = repo.bulk_insert(session, ObservationRow, observations)
    photo_rows.link_photos(session, visit.observations, ids)
    if visit.deleted_at is not None:
        _deleted_findings(session, journey_pk, visit)


_OBSERVATION_COLUMNS = {
    "moment",
    "channel",
    "touchpoint",
    "intensity",
    "text",
    "rating",
    "wait_minutes",
    "verbatim",
}


def _deleted_findings(session: Session, journey_pk: int, visit: DumpedVisit) -> None:
    touchpoints: dict[str, int] = dict(
        session.execute(
            select(TouchpointRow.slug, TouchpointRow.id).where(
                TouchpointRow.journey_id == journey_pk, TouchpointRow.deleted_at.is_(None)
            )
        ).all()
    )
    for obs in visit.observations:
        tp_pk = touchpoints.get(obs.touchpoint or "")
        if tp_pk is None:  # its touchpoint is not in the journey any more
            continue
        position = rows.next_position(
            session, FindingRow.position, FindingRow.touchpoint_id == tp_pk
        )
        finding = convert.finding_columns(observation_to_finding(obs, visit.id))
        session.add(
            FindingRow(
                **finding,
                touchpoint_id=tp_pk,
                position=position,
                created_at=visit.created_at,
                deleted_at=visit.deleted_at,
            )
        )
        session.flush()


def insert_notes(session: Session, journey_id: str, notes: list[DumpedNote]) -> None:
    """Insert a journey's participants' notes; their moments, channels and touchpoints must
    be live in it (checked before)."""
    journey_pk = repo.journey_row(session, journey_id, deleted=None).id
    places: dict[Any, dict[str, int]] = {
        table: dict(
            session.execute(
                select(table.slug, table.id).where(
                    table.journey_id == journey_pk, table.deleted_at.is_(None)
                )
            ).all()
        )
        for table in (MomentRow, ChannelRow, TouchpointRow)
    }
    session.add_all(
        ParticipantNoteRow(
            journey_id=journey_pk,
            moment_id=places[MomentRow][note.moment],
            channel_id=places[ChannelRow][note.channel],
            touchpoint_id=places[TouchpointRow].get(note.touchpoint or ""),
            type=note.type.value,
            intensity=note.intensity,
            text=note.text,
            author=note.author,
            created_at=note.created_at,
            status=note.status,
            merged_touchpoint_id=places[TouchpointRow].get(note.merged_touchpoint or ""),
            version=1,
            deleted_at=note.discarded_at,
        )
        for note in notes
    )


def insert_votes(session: Session, file: VotesFile) -> None:
    """Write a journey's dot vote back (its places checked against the journey before)."""
    journey_pk = repo.journey_row(session, file.journey, deleted=None).id
    session.add(
        WorkshopStateRow(
            journey_id=journey_pk,
            vote_open=file.open,
            dots_per_voter=file.dots,
            revision=0,
            updated_at=utcnow(),
        )
    )
    ids = {place: finding for finding, place in _live_findings(session, journey_pk).items()}
    session.add_all(
        DotVoteRow(
            journey_id=journey_pk,
            finding_id=ids[(vote.touchpoint, vote.finding)],
            voter=vote.voter,
            dots=vote.dots,
            updated_at=utcnow(),
        )
        for vote in file.votes
    )
    session.add_all(
        ClearedDotVoteRow(
            journey_id=journey_pk,
            finding_id=ids[(vote.touchpoint, vote.finding)],
            voter=vote.voter,
            dots=vote.dots,
            round=vote.round,
            cleared_at=vote.cleared_at,
        )
        for vote in file.cleared
    )


def insert_agency_mapping(
    session: Session, mapping: DumpedAgencyMapping, columns: str, value_map: str
) -> None:
    """Keep an agency's mappings (JSON, already checked) as they were saved."""
    session.add(
        AgencyMappingRow(
            key=mapping.key,
            name=mapping.name,
            columns=columns,
            value_map=value_map,
            version=1,
            updated_at=mapping.updated_at,
        )
    )


def insert_base(session: Session, base: DumpedBase) -> None:
    """Keep a subscriber base (JSON already checked) as it was."""
    session.add(
        SubscriberBaseRow(
            name=base.name,
            source=base.source,
            mapping=base.mapping,
            aggregates=base.aggregates,
            created_at=base.created_at,
            updated_at=base.updated_at,
            version=1,
        )
    )


def insert_base_link(session: Session, link: BaseLink) -> None:
    session.add(
        JourneyBaseRow(
            journey_slug=link.journey,
            base_name=link.base,
            moments=link.moments,
            updated_at=link.updated_at,
        )
    )

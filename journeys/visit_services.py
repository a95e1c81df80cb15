"""Use cases of mystery-shopper visits: phone drafts, submission, the list, photos, evidence,
what the visits say, and the as-is → to-be step (derive a target journey, measure the gap)."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from journeys import compare
from journeys.agency_import import (
    AgencyCheck,
    AgencyImport,
    CsvImportRefused,
    check_agency_csv,
    import_agency_csv,
    list_agencies,
    load_agency_mapping,
    mapping_for_headers,
    save_agency_mapping,
)
from journeys.csv_mapping import slugify
from journeys.evidence import Evidence, touchpoint_evidence
from journeys.model import Journey
from journeys.photos import PhotoRefused, check_photo
from journeys.store import documents, rows, visit_rows
from journeys.store import repository as repo
from journeys.store.db import Store
from journeys.store.errors import NotFoundError, RestoreConflictError, StoreError
from journeys.store.tables import JourneyRow, utcnow
from journeys.store.visit_tables import VisitDraftRow
from journeys.visit_drafts import (
    DraftProblem,
    DraftRefused,
    VisitDraft,
    draft_problems,
    draft_to_visit,
    parse_draft,
)
from journeys.visit_plan import plan_findings
from journeys.visit_report import VisitsReport
from journeys.visit_report import visits_report as build_report
from journeys.visits import Photo, Visit

__all__ = [
    "AgencyCheck",
    "AgencyImport",
    "CsvImportRefused",
    "DraftIncomplete",
    "DraftInfo",
    "DraftRefused",
    "DraftSubmitted",
    "NotFoundError",
    "PhotoRefused",
    "RestoreConflictError",
    "StoreError",
    "VisitSummary",
    "check_agency_csv",
    "delete_visit",
    "derive_target_journey",
    "evidence",
    "get_photo",
    "get_visit",
    "import_agency_csv",
    "journey_gap",
    "list_agencies",
    "list_visits",
    "load_agency_mapping",
    "load_draft",
    "mapping_for_headers",
    "new_draft",
    "restore_visit",
    "save_agency_mapping",
    "save_draft",
    "save_photo",
    "submit_visit",
    "visits_report",
]

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class DraftSubmitted(StoreError):
    """The draft has already become a visit: it is kept as it was sent."""

    def __init__(self, token: str, visit: str):
        self.token, self.visit = token, visit
        super().__init__(f"this draft was already sent as visit '{visit}'")


class DraftIncomplete(StoreError, ValueError):
    """A draft that cannot become a visit yet; `problems` say where and why."""

    def __init__(self, problems: list[DraftProblem]):
        self.problems = problems
        shown = ", ".join(
            f"{p.field}{'' if p.observation is None else f'[{p.observation}]'}: {p.code}"
            for p in problems
        )
        super().__init__(f"the visit cannot be sent yet: {shown}")


@dataclass(frozen=True)
class DraftInfo:
    """A draft as stored: its content, version, and the visit it became (once submitted)."""

    token: str
    draft: VisitDraft
    version: int
    updated_at: datetime
    visit: str | None


@dataclass(frozen=True)
class VisitSummary:
    """One line of the visit list."""

    id: str
    visited_at: datetime
    shopper: str
    origin: str
    agency: str | None
    observations: int
    photos: int
    deleted_at: datetime | None


# --- drafts --------------------------------------------------------------------------------


def new_draft(journey_id: str, *, store: Store, shopper: str = "") -> DraftInfo:
    """Start a draft visit of a journey, dated now; return it with its token (for the URL).

    Raises NotFoundError when the journey is not live.
    """
    draft = VisitDraft(
        journey=journey_id,
        shopper=shopper,
        visited_at=datetime.now().replace(second=0, microsecond=0).isoformat(),
    )
    token = secrets.token_urlsafe(18)
    with store.session() as session:
        journey_pk = repo.journey_row(session, journey_id).id
        now = utcnow()
        row = VisitDraftRow(
            token=token,
            journey_id=journey_pk,
            content=draft.model_dump_json(),
            created_at=now,
            updated_at=now,
        )
        session.add(row)
    return DraftInfo(token, draft, 1, now, None)


def save_draft(token: str, draft: VisitDraft | Mapping[str, object], *, store: Store) -> int:
    """Keep the draft as typed, creating it under `token` if new; return its version.

    Every call replaces the stored content (the page calls it on each change).
    Raises DraftRefused (content that cannot be a draft), DraftSubmitted, NotFoundError
    (a journey that is not live, a malformed token).
    """
    checked = draft if isinstance(draft, VisitDraft) else parse_draft(draft)
    _check_token(token)
    content = checked.model_dump_json()
    with store.session() as session:
        row = _draft_row(session, token, lock=True)
        now = utcnow()
        if row is None:
            journey_pk = repo.journey_row(session, checked.journey).id
            session.add(
                VisitDraftRow(
                    token=token,
                    journey_id=journey_pk,
                    content=content,
                    created_at=now,
                    updated_at=now,
                )
            )
            return 1
        if row.visit_slug:
            raise DraftSubmitted(token, row.visit_slug)
        row.content, row.updated_at, row.version = content, now, row.version + 1
        return row.version


def load_draft(token: str, *, store: Store) -> DraftInfo:
    """Return the draft kept under `token`. Raises NotFoundError."""
    _check_token(token)
    with store.read_session() as session:
        row = _draft_row(session, token)
        if row is None:
            raise NotFoundError("draft", token)
        return DraftInfo(
            token, parse_draft(row.content), row.version, row.updated_at, row.visit_slug
        )


def submit_visit(token: str, *, store: Store) -> Visit:
    """Turn a draft into a visit and its findings (source mystery_shopper), all or nothing.

    Each observation's finding goes to its touchpoint (a new one for a cell the workshop
    left empty). Sending the same draft again returns the visit it already became.
    Raises DraftIncomplete, NotFoundError.
    """
    _check_token(token)
    with store.session() as session:
        journey_slug = _draft_journey(session, token)
        journey_pk = rows.lock_journey(session, journey_slug)
        row = _draft_row(session, token, lock=True)
        if row.visit_slug:
            return get_visit_in(session, journey_pk, row.visit_slug)
        journey = repo.load_journey(session, journey_slug)
        draft = parse_draft(row.content).model_copy(update={"journey": journey_slug})
        problems = draft_problems(draft, journey)
        if problems:
            raise DraftIncomplete(problems)
        visit = draft_to_visit(draft, journey, _new_visit_id(session, journey_pk, draft))
        plan = plan_findings(
            journey, [visit], taken=visit_rows.touchpoint_slugs(session, journey_pk)
        )
        visit_rows.insert_touchpoints(session, journey_pk, plan.new_touchpoints)
        targets = {i: plan.targets[(visit.id, i)] for i in range(len(visit.observations))}
        visit_rows.insert_visit(
            session, journey_pk, visit, targets, origin="road", draft_token=token
        )
        row.visit_slug, row.submitted_at = visit.id, utcnow()
    placed = [
        o.model_copy(update={"touchpoint": targets[i]}) for i, o in enumerate(visit.observations)
    ]
    return visit.model_copy(update={"observations": placed})


def _check_token(token: str) -> None:
    if not _TOKEN.fullmatch(token or ""):
        raise NotFoundError("draft", token)


def _draft_row(session: Session, token: str, *, lock: bool = False) -> VisitDraftRow | None:
    statement = select(VisitDraftRow).where(VisitDraftRow.token == token)
    if lock:
        statement = statement.with_for_update()
    return session.scalars(statement.execution_options(populate_existing=True)).one_or_none()


def _draft_journey(session: Session, token: str) -> str:
    slug = session.scalars(
        select(JourneyRow.slug)
        .join(VisitDraftRow, VisitDraftRow.journey_id == JourneyRow.id)
        .where(VisitDraftRow.token == token)
    ).one_or_none()
    if slug is None:
        raise NotFoundError("draft", token)
    return slug


def _new_visit_id(session: Session, journey_pk: int, draft: VisitDraft) -> str:
    taken = visit_rows.visit_slugs(session, journey_pk)
    base = slugify(f"{draft.visited_at[:10]}-{draft.shopper}", 70)
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    return ident


# --- visits --------------------------------------------------------------------------------


def list_visits(
    journey_id: str, *, store: Store, include_deleted: bool = False
) -> list[VisitSummary]:
    """Return the visits of a journey by date (deleted ones too with `include_deleted`)."""
    with store.read_session() as session:
        journey_pk = repo.journey_row(session, journey_id).id
        found = visit_rows.load_visits(
            session, journey_pk, deleted=None if include_deleted else False
        )
    return [
        VisitSummary(
            visit.id,
            visit.visited_at,
            visit.shopper,
            row.origin,
            row.agency,
            len(visit.observations),
            sum(len(o.photos) for o in visit.observations),
            row.deleted_at,
        )
        for row, visit in found
    ]


def get_visit(journey_id: str, visit_id: str, *, store: Store) -> Visit:
    """Return a live visit with its observations. Raises NotFoundError."""
    with store.read_session() as session:
        return get_visit_in(session, repo.journey_row(session, journey_id).id, visit_id)


def get_visit_in(session: Session, journey_pk: int, visit_id: str) -> Visit:
    for _, visit in visit_rows.load_visits(session, journey_pk, deleted=None):
        if visit.id == visit_id:
            return visit
    raise NotFoundError("visit", visit_id)


def delete_visit(journey_id: str, visit_id: str, *, store: Store) -> int:
    """Move a visit and its findings to the trash; return how many findings went with it.

    Raises NotFoundError.
    """
    with store.session() as session:
        return visit_rows.delete_visit(session, rows.lock_journey(session, journey_id), visit_id)


def restore_visit(journey_id: str, visit_id: str, *, store: Store) -> int:
    """Bring back a deleted visit and its findings; return how many findings came back.

    Raises NotFoundError, RestoreConflictError (a touchpoint of its findings is deleted).
    """
    with store.session() as session:
        return visit_rows.restore_visit(session, rows.lock_journey(session, journey_id), visit_id)


# --- photos --------------------------------------------------------------------------------


def save_photo(data: bytes, file_name: str | None, *, store: Store) -> Photo:
    """Keep a photo's bytes (once per content) and return the reference a draft holds.

    Raises photos.PhotoRefused (empty, over 12 MB, not JPEG / PNG / WebP / HEIC).
    """
    checked = check_photo(data, file_name)
    with store.session() as session:
        visit_rows.store_photo(session, checked)
    return Photo(
        file_name=checked.file_name, sha256=checked.sha256, content_type=checked.content_type
    )


def get_photo(sha256: str, *, store: Store) -> tuple[bytes, str]:
    """Return the bytes and content type of a stored photo. Raises NotFoundError."""
    with store.read_session() as session:
        return visit_rows.photo_bytes(session, sha256)


# --- what the visits say -------------------------------------------------------------------


def evidence(journey_id: str, *, store: Store) -> dict[str, Evidence]:
    """Return each touchpoint's evidence (level and visit count). Raises NotFoundError."""
    with store.read_session() as session:
        return touchpoint_evidence(repo.load_journey(session, journey_id))


def visits_report(journey_id: str, *, store: Store) -> tuple[Journey, VisitsReport]:
    """Return the journey and what its live visits say about it. Raises NotFoundError."""
    with store.read_session() as session:
        journey = repo.load_journey(session, journey_id)
        journey_pk = repo.journey_row(session, journey_id).id
        visits = [v for _, v in visit_rows.load_visits(session, journey_pk)]
    return journey, build_report(journey, visits)


# --- as-is → to-be -------------------------------------------------------------------------


def derive_target_journey(
    journey_id: str, *, store: Store, new_id: str, title: str | None = None
) -> Journey:
    """Store the target journey derived from a current one (compare.derive_target); return it.

    Raises NotFoundError, DuplicateIdError, ValueError (new id not a slug, or the same id).
    """
    current = get_journey(journey_id, store=store)
    target = compare.derive_target(current, new_id=new_id, title=title)
    documents.store_document(target, store=store)
    return target


def journey_gap(current_id: str, target_id: str, *, store: Store) -> compare.JourneyGap:
    """Return the cell-by-cell gap between a current and a target journey. Raises NotFoundError."""
    with store.read_session() as session:
        current = repo.load_journey(session, current_id)
        target = repo.load_journey(session, target_id)
    return compare.compare(current, target)


def get_journey(journey_id: str, *, store: Store) -> Journey:
    with store.read_session() as session:
        return repo.load_journey(session, journey_id)

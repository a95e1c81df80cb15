"""Use cases of mystery-shopper visits: the list, trash, photos, evidence, what the visits
say, and the as-is → to-be step (derive a target journey, measure the gap). Phone drafts
(draft_services) and agency files (agency_import) are re-exported here for the pages."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from journeys.board import compare
from journeys.board.evidence import Evidence, touchpoint_evidence
from journeys.contract.model import Journey
from journeys.errors import NotFoundError, RestoreConflictError, StoreError
from journeys.roles import Permission, requires
from journeys.store import documents, photo_rows, rows, visit_rows
from journeys.store import repository as repo
from journeys.store.db import Store
from journeys.visits.agency.importer import (
    AgencyCheck,
    AgencyImport,
    CsvImportRefused,
    OnExisting,
    check_agency_csv,
    import_agency_csv,
    list_agencies,
    load_agency_mapping,
    mapping_for_headers,
    save_agency_mapping,
)
from journeys.visits.draft_services import (
    DraftIncomplete,
    DraftInfo,
    DraftSubmitted,
    load_draft,
    new_draft,
    save_draft,
    submit_visit,
)
from journeys.visits.drafts import DraftRefused
from journeys.visits.model import Photo, Visit
from journeys.visits.photos import PhotoRefused, check_photo
from journeys.visits.report import VisitsReport
from journeys.visits.report import visits_report as build_report

__all__ = [
    "AgencyCheck",
    "AgencyImport",
    "CsvImportRefused",
    "DraftIncomplete",
    "DraftInfo",
    "DraftRefused",
    "DraftSubmitted",
    "NotFoundError",
    "OnExisting",
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


# --- visits --------------------------------------------------------------------------------


@requires(Permission.READ)
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


@requires(Permission.READ)
def get_visit(journey_id: str, visit_id: str, *, store: Store) -> Visit:
    """Return a live visit with its observations. Raises NotFoundError."""
    with store.read_session() as session:
        return visit_rows.load_visit(session, repo.journey_row(session, journey_id).id, visit_id)


@requires(Permission.EDIT)
def delete_visit(journey_id: str, visit_id: str, *, store: Store) -> int:
    """Move a visit and its findings to the trash; return how many findings went with it.

    Raises NotFoundError.
    """
    with store.session() as session:
        return visit_rows.delete_visit(session, rows.lock_journey(session, journey_id), visit_id)


@requires(Permission.EDIT)
def restore_visit(journey_id: str, visit_id: str, *, store: Store) -> int:
    """Bring back a deleted visit and its findings; return how many findings came back.

    Raises NotFoundError, RestoreConflictError (a touchpoint of its findings is deleted).
    """
    with store.session() as session:
        return visit_rows.restore_visit(session, rows.lock_journey(session, journey_id), visit_id)


# --- photos --------------------------------------------------------------------------------


@requires(Permission.CONTRIBUTE)
def save_photo(data: bytes, file_name: str | None, *, store: Store) -> Photo:
    """Keep a photo's bytes (once per content) and return the reference a draft holds.

    Raises photos.PhotoRefused (empty, over the size cap, not JPEG / PNG / WebP / HEIC).
    """
    checked = check_photo(data, file_name)
    with store.session() as session:
        photo_rows.store_photo(session, checked)
    return Photo(
        file_name=checked.file_name, sha256=checked.sha256, content_type=checked.content_type
    )


@requires(Permission.READ)
def get_photo(sha256: str, *, store: Store) -> tuple[bytes, str]:
    """Return the bytes and content type of a stored photo. Raises NotFoundError."""
    with store.read_session() as session:
        return photo_rows.photo_bytes(session, sha256)


# --- what the visits say -------------------------------------------------------------------


@requires(Permission.READ)
def evidence(journey_id: str, *, store: Store) -> dict[str, Evidence]:
    """Return each touchpoint's evidence (level and visit count). Raises NotFoundError."""
    with store.read_session() as session:
        return touchpoint_evidence(repo.load_journey(session, journey_id))


@requires(Permission.READ)
def visits_report(journey_id: str, *, store: Store) -> tuple[Journey, VisitsReport]:
    """Return the journey and what its live visits say about it. Raises NotFoundError."""
    with store.read_session() as session:
        journey = repo.load_journey(session, journey_id)
        journey_pk = repo.journey_row(session, journey_id).id
        visits = [v for _, v in visit_rows.load_visits(session, journey_pk)]
    return journey, build_report(journey, visits)


# --- as-is → to-be -------------------------------------------------------------------------


@requires(Permission.EDIT)
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


@requires(Permission.READ)
def journey_gap(current_id: str, target_id: str, *, store: Store) -> compare.JourneyGap:
    """Return the cell-by-cell gap between a current and a target journey. Raises NotFoundError."""
    with store.read_session() as session:
        current = repo.load_journey(session, current_id)
        target = repo.load_journey(session, target_id)
    return compare.compare(current, target)


@requires(Permission.READ)
def get_journey(journey_id: str, *, store: Store) -> Journey:
    with store.read_session() as session:
        return repo.load_journey(session, journey_id)

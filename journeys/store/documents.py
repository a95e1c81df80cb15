"""Whole-document writes: store or replace, snapshot and restore, header edits, trash."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from journeys.contract.model import JOURNEY_HEADER_FIELDS, Journey, Program
from journeys.contract.yaml_io import dump_document, load_document
from journeys.errors import DuplicateIdError, NotFoundError
from journeys.store import repository as repo
from journeys.store.convert import journey_columns, journey_from_rows, program_columns
from journeys.store.db import Store
from journeys.store.tables import JourneyObjectiveRow, JourneyRow, ProgramRow, SnapshotRow, utcnow

HEADER_FIELDS = frozenset(JOURNEY_HEADER_FIELDS)


def store_document(
    document: Journey | Program, *, store: Store, replace: bool = False, reason: str = "import"
) -> None:
    """Insert a document in one transaction; with `replace`, overwrite the one with its id.

    A replaced journey is first snapshotted as "before <reason> …". Raises DuplicateIdError.
    """
    kind = document.kind
    try:
        with store.session() as session:
            if isinstance(document, Journey):
                _store_journey(session, document, replace, reason)
            else:
                _store_program(session, document, replace)
    except IntegrityError as exc:  # a concurrent import took the id between check and insert
        raise DuplicateIdError(kind, document.id) from exc


def _existing(session: Session, table: Any, slug: str, replace: bool, what: str) -> Any:
    row = session.scalars(select(table).where(table.slug == slug).with_for_update()).one_or_none()
    if row is not None and not replace:
        hint = "it is in the trash" if row.deleted_at else "choose another id or replace it"
        raise DuplicateIdError(what, slug, hint=hint)
    return row


def _store_journey(session: Session, journey: Journey, replace: bool, reason: str) -> None:
    row = _existing(session, JourneyRow, journey.id, replace, "journey")
    if row is None:
        repo.insert_journey(session, journey)
        return
    replace_journey_content(session, row, journey, reason=reason)


def replace_journey_content(
    session: Session, row: JourneyRow, journey: Journey, *, reason: str
) -> None:
    """Snapshot the journey as it is, then give it the content of `journey` (out of the trash)."""
    now = utcnow()
    take_snapshot(session, row, f"before {reason} {now:%Y-%m-%d %H:%M:%S}", now=now)
    repo.delete_journey_content(session, row.id)
    for name, value in journey_columns(journey).items():
        setattr(row, name, value)
    row.version += 1
    row.revision += 1
    row.updated_at, row.deleted_at = now, None
    session.flush()
    repo.insert_journey_content(session, row.id, journey, now=now)


def _store_program(session: Session, program: Program, replace: bool) -> None:
    row = _existing(session, ProgramRow, program.id, replace, "program")
    if row is None:
        repo.insert_program(session, program)
        return
    repo.delete_program_content(session, row.id)
    for name, value in program_columns(program).items():
        setattr(row, name, value)
    row.version += 1
    row.revision += 1
    row.updated_at, row.deleted_at = utcnow(), None
    session.flush()
    repo.insert_program_content(session, row.id, program)


# --- snapshots -----------------------------------------------------------------------------


def take_snapshot(session: Session, row: JourneyRow, name: str, *, now: Any = None) -> SnapshotRow:
    """Keep the journey's live content as canonical YAML under `name`."""
    content = repo.load_journey_content(session, row)
    snapshot = SnapshotRow(
        journey_id=row.id,
        name=name,
        created_at=now or utcnow(),
        content=dump_document(journey_from_rows(content)),
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def restore_snapshot(snapshot_id: int, *, store: Store) -> Journey:
    """Replace a journey's content with a snapshot (itself snapshotted first); return it."""
    with store.session() as session:
        snapshot = session.get(SnapshotRow, snapshot_id)
        if snapshot is None:
            raise NotFoundError("snapshot", snapshot_id)
        row = session.scalars(
            select(JourneyRow).where(JourneyRow.id == snapshot.journey_id).with_for_update()
        ).one()
        journey = load_document(snapshot.content, source=f"snapshot {snapshot.name}")
        assert isinstance(journey, Journey)
        journey = journey.model_copy(update={"id": row.slug})
        replace_journey_content(session, row, journey, reason=f"restore of “{snapshot.name}”")
        return journey


# --- header fields and trash ---------------------------------------------------------------


def header_values(row: JourneyRow, changes: Mapping[str, Any]) -> tuple[dict[str, Any], list]:
    """Validate header changes against the contract; return (column values, objectives)."""
    unknown = set(changes) - HEADER_FIELDS
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))} of a journey here")
    current = {name: getattr(row, name) for name in HEADER_FIELDS - {"objectives"}}
    checked = Journey.model_validate({"id": row.slug, **current, **changes})
    values = {k: v for k, v in journey_columns(checked).items() if k in changes}
    return values, checked.objectives


def update_header(
    journey_id: str, changes: Mapping[str, Any], *, store: Store, expected_version: int | None
) -> int:
    with store.session() as session:
        row = repo.journey_row(session, journey_id)
        values, objectives = header_values(row, changes)
        version = repo.versioned_update(
            session,
            JourneyRow,
            [JourneyRow.id == row.id, JourneyRow.deleted_at.is_(None)],
            {**values, "updated_at": utcnow(), "revision": JourneyRow.revision + 1},
            expected_version=expected_version,
            what="journey",
            ident=journey_id,
        )
        if "objectives" in changes:
            _replace_objectives(session, row.id, objectives)
        return version


def update_program(program: Program, *, store: Store, expected_version: int) -> int:
    """Give the live program `program.id` the content of `program`, in one transaction, if it is
    still at `expected_version`; return its new version.

    The version is checked and bumped in the statement that claims the row, so of two saves
    from one version only one is written. Raises NotFoundError, StaleVersionError.
    """
    with store.session() as session:
        row = repo.program_row(session, program.id)
        columns = {k: v for k, v in program_columns(program).items() if k != "slug"}
        version = repo.versioned_update(
            session,
            ProgramRow,
            [ProgramRow.id == row.id, ProgramRow.deleted_at.is_(None)],
            {**columns, "updated_at": utcnow()},
            expected_version=expected_version,
            what="program",
            ident=program.id,
        )
        assert row.id is not None
        repo.delete_program_content(session, row.id)
        repo.insert_program_content(session, row.id, program)
        return version


def _replace_objectives(session: Session, journey_id: int, objectives: list) -> None:
    session.execute(
        delete(JourneyObjectiveRow).where(JourneyObjectiveRow.journey_id == journey_id),
        execution_options={"synchronize_session": False},
    )
    session.add_all(
        JourneyObjectiveRow(journey_id=journey_id, position=i, objective=o.value)
        for i, o in enumerate(objectives)
    )


_TABLES: dict[str, Any] = {"journey": JourneyRow, "program": ProgramRow}


def set_deleted(what: str, slug: str, *, store: Store, deleted: bool) -> None:
    """Move a journey or program (`what`) to the trash (deleted=True) or back.
    Raises NotFoundError."""
    table = _TABLES[what]
    with store.session() as session:
        row = repo.document_row(session, table, what, slug, not deleted, True)
        row.deleted_at = utcnow() if deleted else None
        row.updated_at = utcnow()
        row.revision += 1

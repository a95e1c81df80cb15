"""Use cases for the pages and the CLI: documents, templates, trash, snapshots, board edits."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

from journeys.contract.model import (
    Journey,
    JourneyState,
    JourneyType,
    Program,
)
from journeys.contract.yaml_io import DocumentError, dump_document, load_document, load_file
from journeys.errors import (
    DuplicateIdError,
    InvalidReferenceError,
    NotFoundError,
    RestoreConflictError,
    StaleVersionError,
    StoreError,
)
from journeys.roles import Permission, PermissionDenied, requires
from journeys.store import cells, documents, edits, findings, queries, trash
from journeys.store import repository as repo
from journeys.store.db import Store, open_store
from journeys.store.tables import JourneyRow, ProgramRow, SnapshotRow
from journeys.store.views import (
    EditableJourney,
    FindingRef,
    JourneySummary,
    ProgramSummary,
    SnapshotInfo,
    TemplateInfo,
    TrashItem,
    TrashKind,
)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates_journeys"

_edit = requires(Permission.EDIT)
_read = requires(Permission.READ)

# The board's fine-grained, versioned edits live with the store; they are services too,
# guarded here like every other service.
add_touchpoint = _edit(cells.add_touchpoint)
update_touchpoint = _edit(cells.update_touchpoint)
delete_touchpoint = _edit(cells.delete_touchpoint)
restore_touchpoint = _edit(cells.restore_touchpoint)
add_moment = _edit(edits.add_moment)
update_moment = _edit(edits.update_moment)
move_moment = _edit(edits.move_moment)
delete_moment = _edit(edits.delete_moment)
restore_moment = _edit(edits.restore_moment)
add_channel = _edit(edits.add_channel)
update_channel = _edit(edits.update_channel)
move_channel = _edit(edits.move_channel)
delete_channel = _edit(edits.delete_channel)
restore_channel = _edit(edits.restore_channel)
add_finding = _edit(findings.add_finding)
update_finding = _edit(findings.update_finding)
delete_finding = _edit(findings.delete_finding)
restore_finding = _edit(findings.restore_finding)
add_flow = _edit(findings.add_flow)
update_flow = _edit(findings.update_flow)
delete_flow = _edit(findings.delete_flow)

__all__ = [
    "DuplicateIdError",
    "EditableJourney",
    "FindingRef",
    "InvalidReferenceError",
    "JourneySummary",
    "NotFoundError",
    "PermissionDenied",
    "ProgramSummary",
    "RestoreConflictError",
    "SnapshotInfo",
    "StaleVersionError",
    "Store",
    "StoreError",
    "TEMPLATES_DIR",
    "TemplateInfo",
    "TrashItem",
    "TrashKind",
    "add_channel",
    "add_finding",
    "add_flow",
    "add_moment",
    "add_touchpoint",
    "create_from_template",
    "create_program_from_template",
    "delete_channel",
    "delete_finding",
    "delete_flow",
    "delete_journey",
    "delete_moment",
    "delete_program",
    "delete_touchpoint",
    "duplicate_journey",
    "export_yaml",
    "get_journey",
    "get_journey_for_edit",
    "get_program",
    "import_document",
    "import_yaml",
    "journey_titles",
    "list_journeys",
    "list_programs",
    "list_snapshots",
    "list_templates",
    "list_trash",
    "move_channel",
    "move_moment",
    "open_store",
    "rename_journey",
    "restore_channel",
    "restore_finding",
    "restore_journey",
    "restore_moment",
    "restore_program",
    "restore_snapshot",
    "restore_touchpoint",
    "restore_trash_item",
    "snapshot_journey",
    "snapshot_yaml",
    "update_channel",
    "update_finding",
    "update_flow",
    "update_journey_info",
    "update_moment",
    "update_touchpoint",
]

# --- reading ---------------------------------------------------------------------------


@_read
def list_journeys(
    *,
    store: Store,
    journey_type: JourneyType | str | None = None,
    state: JourneyState | str | None = None,
    include_deleted: bool = False,
) -> list[JourneySummary]:
    """Return the journeys of the workspace, by title, with their touchpoint and finding counts.

    Deleted journeys (in the trash) are left out unless `include_deleted`.
    """
    with store.read_session() as session:
        return queries.journey_summaries(
            session,
            journey_type=None if journey_type is None else JourneyType(journey_type).value,
            state=None if state is None else JourneyState(state).value,
            include_deleted=include_deleted,
        )


@_read
def journey_titles(*, store: Store) -> list[tuple[str, str, JourneyState]]:
    """Return (id, title, state) of every live journey, by title; no counts (see list_journeys)."""
    with store.read_session() as session:
        return [
            (slug, title, JourneyState(state))
            for slug, title, state in queries.journey_titles(session)
        ]


@_read
def get_journey(journey_id: str, *, store: Store) -> Journey:
    """Return the live content of a journey. Raises NotFoundError (also when in the trash)."""
    with store.read_session() as session:
        return repo.load_journey(session, journey_id)


@_read
def get_journey_for_edit(journey_id: str, *, store: Store) -> EditableJourney:
    """Return the journey with the versions and finding ids the board passes back on edits.

    Raises NotFoundError.
    """
    with store.read_session() as session:
        revision = queries.journey_revision(session, journey_id)
        key = (str(store.url), journey_id)
        cached = _EDITABLE.get(key)
        if cached is not None and cached.revision == revision:
            return cached
        editable = queries.editable_journey(session, journey_id)
    while len(_EDITABLE) >= 32:
        _EDITABLE.pop(next(iter(_EDITABLE)))
    _EDITABLE[key] = editable
    return editable


# The board rereads its journey on every rerun of every participant's page: a journey is
# loaded again only when its revision changed (treat what is returned as read-only).
_EDITABLE: dict[tuple[str, str], EditableJourney] = {}


@_read
def list_programs(
    *, store: Store, journey_id: str | None = None, include_deleted: bool = False
) -> list[ProgramSummary]:
    """Return the programs (only those linked to `journey_id` when given), by title."""
    with store.read_session() as session:
        return queries.program_summaries(
            session, journey_id=journey_id, include_deleted=include_deleted
        )


@_read
def get_program(program_id: str, *, store: Store) -> Program:
    """Return a program. Raises NotFoundError (also when in the trash)."""
    with store.read_session() as session:
        return repo.load_program(session, program_id)


# --- templates, import, export ---------------------------------------------------------


def list_templates(*, folder: Path | None = None) -> list[TemplateInfo]:
    """Return the templates of `folder` (default: templates_journeys/ of the project), by file.

    A template file that does not load is skipped (the template test suite reports it).
    """
    infos = []
    for path in sorted((folder or TEMPLATES_DIR).glob("*.yaml")):
        try:
            document = load_file(path)
        except DocumentError:
            continue
        journey_type = document.journey_type if isinstance(document, Journey) else None
        infos.append(
            TemplateInfo(
                file_name=path.name,
                kind=document.kind,
                id=document.id,
                title=document.title,
                journey_type=journey_type,
                language=document.language,
                path=path,
            )
        )
    return infos


@_edit
def create_from_template(
    template_name: str, *, store: Store, new_id: str | None = None, title: str | None = None
) -> Journey:
    """Create a journey from a journey template (file name, with or without `.yaml`).

    `new_id` defaults to the template's id. Raises NotFoundError for an unknown template,
    DuplicateIdError if the id is taken, ValueError if `new_id` is not a valid slug.
    """
    template = _template(template_name, Journey)
    journey = _renamed(template, new_id=new_id, title=title)
    documents.store_document(journey, store=store)
    return journey


@_edit
def create_program_from_template(
    template_name: str,
    *,
    store: Store,
    new_id: str | None = None,
    title: str | None = None,
    journey_id: str | None = None,
) -> Program:
    """Create a program from a program template, optionally linked to `journey_id`.

    Raises as `create_from_template`.
    """
    template = _template(template_name, Program)
    changes = {} if journey_id is None else {"journey": journey_id}
    program = _renamed(template, new_id=new_id, title=title, **changes)
    documents.store_document(program, store=store)
    return program


@_edit
def import_yaml(
    data: str | bytes, *, store: Store, source_name: str = "<upload>", replace: bool = False
) -> Journey | Program:
    """Read a YAML document and store it, all or nothing; return what was stored.

    An id already used by a journey (or program) of the workspace, even one in the trash, is
    refused with DuplicateIdError unless `replace`; replacing first snapshots the old journey
    ("before import …"). Raises yaml_io.DocumentError for a document that breaks the contract.
    """
    document = load_document(data, source=source_name)
    documents.store_document(document, store=store, replace=replace)
    return document


@_edit
def import_document(
    document: Journey | Program, *, store: Store, replace: bool = False
) -> Journey | Program:
    """Store an already validated document; same rules as `import_yaml`."""
    documents.store_document(document, store=store, replace=replace)
    return document


@_read
def export_yaml(
    doc_id: str, *, store: Store, kind: Literal["journey", "program"] | None = None
) -> str:
    """Return the canonical YAML of a journey or program (a journey first when `kind` is None).

    Raises NotFoundError.
    """
    with store.read_session() as session:
        if kind == "program":
            return dump_document(repo.load_program(session, doc_id))
        try:
            return dump_document(repo.load_journey(session, doc_id))
        except NotFoundError:
            if kind == "journey":
                raise
        try:
            return dump_document(repo.load_program(session, doc_id))
        except NotFoundError:
            raise NotFoundError("journey or program", doc_id) from None


# --- whole journeys ----------------------------------------------------------------------


@_edit
def rename_journey(
    journey_id: str, title: str, *, store: Store, expected_version: int | None = None
) -> int:
    """Change the title of a journey; return its new version.

    Raises StaleVersionError if `expected_version` is given and no longer current.
    """
    return documents.update_header(
        journey_id, {"title": title}, store=store, expected_version=expected_version
    )


@_edit
def update_journey_info(
    journey_id: str,
    changes: Mapping[str, Any],
    *,
    store: Store,
    expected_version: int | None = None,
) -> int:
    """Change header fields of a journey; return its new version.

    `changes` may hold title, journey_type, state, language, derived_from, persona,
    description, objectives. Raises ValueError (invalid value or unknown field),
    StaleVersionError.
    """
    return documents.update_header(
        journey_id, changes, store=store, expected_version=expected_version
    )


@_edit
def duplicate_journey(
    journey_id: str,
    *,
    store: Store,
    new_id: str,
    title: str | None = None,
    as_target: bool = False,
) -> Journey:
    """Copy a journey under `new_id`; as a target: state=target and derived_from=source id.

    Raises NotFoundError, DuplicateIdError.
    """
    source = get_journey(journey_id, store=store)
    changes: dict[str, Any] = {}
    if as_target:
        changes = {"state": JourneyState.TARGET, "derived_from": journey_id}
    copy = _renamed(source, new_id=new_id, title=title, **changes)
    documents.store_document(copy, store=store)
    return copy


@_edit
def delete_journey(journey_id: str, *, store: Store) -> None:
    """Move a journey to the trash (restorable). Raises NotFoundError."""
    documents.set_deleted(JourneyRow, "journey", journey_id, store=store, deleted=True)


@_edit
def restore_journey(journey_id: str, *, store: Store) -> None:
    """Bring a journey back from the trash. Raises NotFoundError if it is not there."""
    documents.set_deleted(JourneyRow, "journey", journey_id, store=store, deleted=False)


@_edit
def delete_program(program_id: str, *, store: Store) -> None:
    """Move a program to the trash (restorable). Raises NotFoundError."""
    documents.set_deleted(ProgramRow, "program", program_id, store=store, deleted=True)


@_edit
def restore_program(program_id: str, *, store: Store) -> None:
    """Bring a program back from the trash. Raises NotFoundError if it is not there."""
    documents.set_deleted(ProgramRow, "program", program_id, store=store, deleted=False)


@_read
def list_trash(*, store: Store) -> list[TrashItem]:
    """Return what can be restored, most recent first.

    Things deleted along with their parent (touchpoints of a deleted moment, findings of a
    deleted touchpoint) are not listed: they come back with the parent.
    """
    with store.read_session() as session:
        return trash.trash_items(session)


@_edit
def restore_trash_item(item: TrashItem, *, store: Store) -> None:
    """Restore one item of `list_trash`. Raises RestoreConflictError, NotFoundError."""
    trash.restore_item(item, store=store)


# --- snapshots ---------------------------------------------------------------------------


@_edit
def snapshot_journey(journey_id: str, name: str, *, store: Store) -> SnapshotInfo:
    """Keep a named copy of the journey as it is now. Raises NotFoundError."""
    with store.session() as session:
        row = repo.journey_row(session, journey_id, deleted=None)
        snapshot = documents.take_snapshot(session, row, name)
        assert snapshot.id is not None
        return SnapshotInfo(snapshot.id, journey_id, snapshot.name, snapshot.created_at)


@_read
def list_snapshots(journey_id: str, *, store: Store) -> list[SnapshotInfo]:
    """Return the snapshots of a journey, most recent first."""
    with store.read_session() as session:
        return queries.snapshots(session, journey_id)


@_read
def snapshot_yaml(snapshot_id: int, *, store: Store) -> str:
    """Return the YAML kept in a snapshot. Raises NotFoundError."""
    with store.read_session() as session:
        snapshot = session.get(SnapshotRow, snapshot_id)
        if snapshot is None:
            raise NotFoundError("snapshot", snapshot_id)
        return snapshot.content


@_edit
def restore_snapshot(snapshot_id: int, *, store: Store) -> Journey:
    """Replace the journey's content with the snapshot and return it.

    The current content is first snapshotted as "before restore …", so nothing is lost.
    Raises NotFoundError.
    """
    return documents.restore_snapshot(snapshot_id, store=store)


# --- helpers -----------------------------------------------------------------------------

D = TypeVar("D", Journey, Program)


def _template(template_name: str, kind: type[D]) -> D:
    name = template_name if template_name.endswith(".yaml") else f"{template_name}.yaml"
    path = TEMPLATES_DIR / Path(name).name
    if not path.is_file():
        raise NotFoundError("template", template_name, where=str(TEMPLATES_DIR))
    document = load_file(path)
    if not isinstance(document, kind):
        raise NotFoundError(f"{kind.__name__.lower()} template", template_name)
    return document


def _renamed(document: D, *, new_id: str | None, title: str | None, **changes: Any) -> D:
    """A validated copy with another id / title / fields (ValueError for an invalid value)."""
    data = document.model_dump(by_alias=True)
    data |= {k: v for k, v in {"id": new_id, "title": title}.items() if v is not None}
    return type(document).model_validate(data | changes)

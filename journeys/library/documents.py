"""Journeys and programs as documents: list, read, import, export, rename, duplicate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from journeys.contract.model import Journey, JourneyState, JourneyType, Program
from journeys.contract.yaml_io import dump_document, load_document
from journeys.errors import NotFoundError
from journeys.roles import Permission, requires
from journeys.store import documents, queries
from journeys.store import repository as repo
from journeys.store.db import Store
from journeys.store.views import EditableJourney, JourneySummary, ProgramSummary

D = TypeVar("D", Journey, Program)

# --- reading ---------------------------------------------------------------------------


@requires(Permission.READ)
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


@requires(Permission.READ)
def journey_titles(*, store: Store) -> list[tuple[str, str, JourneyState]]:
    """Return (id, title, state) of every live journey, by title; no counts (see list_journeys)."""
    with store.read_session() as session:
        return [
            (slug, title, JourneyState(state))
            for slug, title, state in queries.journey_titles(session)
        ]


@requires(Permission.READ)
def get_journey(journey_id: str, *, store: Store) -> Journey:
    """Return the live content of a journey. Raises NotFoundError (also when in the trash)."""
    with store.read_session() as session:
        return repo.load_journey(session, journey_id)


@requires(Permission.READ)
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


@requires(Permission.READ)
def list_programs(
    *, store: Store, journey_id: str | None = None, include_deleted: bool = False
) -> list[ProgramSummary]:
    """Return the programs (only those linked to `journey_id` when given), by title."""
    with store.read_session() as session:
        return queries.program_summaries(
            session, journey_id=journey_id, include_deleted=include_deleted
        )


@requires(Permission.READ)
def get_program(program_id: str, *, store: Store) -> Program:
    """Return a program. Raises NotFoundError (also when in the trash)."""
    with store.read_session() as session:
        return repo.load_program(session, program_id)


# --- import, export ----------------------------------------------------------------------


@requires(Permission.EDIT)
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


@requires(Permission.EDIT)
def import_document(
    document: Journey | Program, *, store: Store, replace: bool = False
) -> Journey | Program:
    """Store an already validated document; same rules as `import_yaml`."""
    documents.store_document(document, store=store, replace=replace)
    return document


@requires(Permission.READ)
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


@requires(Permission.EDIT)
def rename_journey(
    journey_id: str, title: str, *, store: Store, expected_version: int | None = None
) -> int:
    """Change the title of a journey; return its new version.

    Raises StaleVersionError if `expected_version` is given and no longer current.
    """
    return documents.update_header(
        journey_id, {"title": title}, store=store, expected_version=expected_version
    )


@requires(Permission.EDIT)
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


@requires(Permission.EDIT)
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
    copy = renamed(source, new_id=new_id, title=title, **changes)
    documents.store_document(copy, store=store)
    return copy


def renamed(document: D, *, new_id: str | None, title: str | None, **changes: Any) -> D:
    """Return a validated copy with another id / title / fields (ValueError for an invalid one)."""
    data = document.model_dump(by_alias=True)
    data |= {k: v for k, v in {"id": new_id, "title": title}.items() if v is not None}
    return type(document).model_validate(data | changes)

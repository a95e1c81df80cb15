"""Use cases of the programs page: read a program with its version, save it without
overwriting someone else's edit, create a blank one, pick a free id."""

from __future__ import annotations

from dataclasses import dataclass

from journeys.contract.editing import unique_id
from journeys.contract.model import Objective, Program
from journeys.roles import Permission, requires
from journeys.services import TemplateInfo, list_templates
from journeys.store import documents, queries
from journeys.store import repository as repo
from journeys.store.db import Store

__all__ = [
    "EditableProgram",
    "create_blank_program",
    "free_program_id",
    "get_program_for_edit",
    "program_templates",
    "save_program",
]


@dataclass(frozen=True)
class EditableProgram:
    """A program with the version a later `save_program` must name."""

    program: Program
    version: int


@requires(Permission.READ)
def get_program_for_edit(program_id: str, *, store: Store) -> EditableProgram:
    """Return the live program and its version, read together. Raises NotFoundError."""
    with store.read_session() as session:
        row = repo.program_row(session, program_id)
        return EditableProgram(repo.load_program(session, program_id), row.version)


@requires(Permission.EDIT)
def save_program(program: Program, *, store: Store, expected_version: int) -> int:
    """Replace the live program that has `program.id` with `program`; return its new version.

    The version is checked and bumped in the same statement that claims the row, so of two
    people saving from the same version one wins and the other gets StaleVersionError with
    nothing written. Raises NotFoundError (also when in the trash), StaleVersionError.
    """
    return documents.update_program(program, store=store, expected_version=expected_version)


@requires(Permission.EDIT)
def create_blank_program(
    program_id: str,
    title: str,
    *,
    store: Store,
    objective: Objective | str,
    journey_id: str | None = None,
    language: str = "fr",
    goal: str | None = None,
) -> Program:
    """Create a program with no phases nor steps yet. Raises pydantic.ValidationError for an
    invalid id or title, DuplicateIdError when the id is taken (also by one in the trash)."""
    program = Program.model_validate(
        {
            "id": program_id,
            "title": title,
            "objective": objective,
            "journey": journey_id or None,
            "language": language,
            "goal": goal or None,
        }
    )
    documents.store_document(program, store=store)
    return program


@requires(Permission.READ)
def free_program_id(wanted: str, *, store: Store) -> str:
    """Return `wanted`, or `wanted-2`, `wanted-3`… : the first id no program uses (trash
    included), so that a template can be taken twice."""
    with store.read_session() as session:
        taken = queries.program_slugs(session)
    return unique_id(wanted, taken)


def program_templates(*, language: str | None = None) -> list[TemplateInfo]:
    """Return the shipped program templates, those in `language` first; for each journey type
    its main program (`type.lang.program.yaml`) before the others (`type.lang.dunning…`)."""
    programs = [t for t in list_templates() if t.kind == "program"]

    def order(t: TemplateInfo) -> tuple[bool, str, int, str]:
        return (t.language != language, t.file_name.split(".")[0], t.file_name.count("."),
                t.file_name)  # fmt: skip

    return sorted(programs, key=order)

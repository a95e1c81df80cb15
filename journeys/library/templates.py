"""The shipped templates (templates_journeys/): list them, start a journey or program from one."""

from __future__ import annotations

from pathlib import Path

from journeys.contract.model import Journey, Program
from journeys.contract.yaml_io import DocumentError, load_file
from journeys.errors import NotFoundError
from journeys.library.documents import D, renamed
from journeys.roles import Permission, requires
from journeys.store import documents
from journeys.store.db import Store
from journeys.store.views import TemplateInfo

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates_journeys"


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


@requires(Permission.EDIT)
def create_from_template(
    template_name: str, *, store: Store, new_id: str | None = None, title: str | None = None
) -> Journey:
    """Create a journey from a journey template (file name, with or without `.yaml`).

    `new_id` defaults to the template's id. Raises NotFoundError for an unknown template,
    DuplicateIdError if the id is taken, ValueError if `new_id` is not a valid slug.
    """
    template = load_template(template_name, Journey)
    journey = renamed(template, new_id=new_id, title=title)
    documents.store_document(journey, store=store)
    return journey


@requires(Permission.EDIT)
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
    template = load_template(template_name, Program)
    changes = {} if journey_id is None else {"journey": journey_id}
    program = renamed(template, new_id=new_id, title=title, **changes)
    documents.store_document(program, store=store)
    return program


def load_template(template_name: str, kind: type[D]) -> D:
    """Return the template `template_name` (with or without `.yaml`) of TEMPLATES_DIR.

    Raises NotFoundError when there is no such file or it holds another kind of document.
    """
    name = template_name if template_name.endswith(".yaml") else f"{template_name}.yaml"
    path = TEMPLATES_DIR / Path(name).name
    if not path.is_file():
        raise NotFoundError("template", template_name, where=str(TEMPLATES_DIR))
    document = load_file(path)
    if not isinstance(document, kind):
        raise NotFoundError(f"{kind.__name__.lower()} template", template_name)
    return document

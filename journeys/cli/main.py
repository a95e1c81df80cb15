"""The `journeys` command line: thin typer commands over the services."""

from __future__ import annotations

# Each command imports what it needs when it runs: `journeys validate` and `--help` must not
# pay for the store, the PDF, the charts or the diagrams (3–4 s measured, against ~0.2 s for
# yaml + pydantic). tests/integration/test_cli_start.py checks what a command loads.
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from journeys.cli import clip
from journeys.cli.visits import derive, visits_app

if TYPE_CHECKING:
    from journeys.contract.model import Journey, Program
    from journeys.services import Store

app = typer.Typer(
    help="Journey Workshop: subscriber journeys and relationship programs kept as YAML.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(visits_app, name="visits")  # journeys visits import FILE --journey ID --agency NAME
app.command()(derive)  # journeys derive ID --id NEW_ID

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", envvar="JOURNEYS_DATABASE_URL", help="SQLAlchemy URL of the store."),
]


class ExportFormat(StrEnum):
    yaml = "yaml"
    pdf = "pdf"
    svg = "svg"
    png = "png"
    dot = "dot"
    csv = "csv"


class View(StrEnum):
    macro = "macro"
    detailed = "detailed"


def _store(database: str | None) -> Store:
    from journeys import services
    from journeys.settings import get_settings

    try:
        return services.open_store(database or get_settings().database_url)
    except services.StoreError as error:  # unreachable or wrong URL: one line, no traceback
        raise _fail(str(error)) from None


def _fail(message: str) -> typer.Exit:
    typer.echo(clip(message), err=True)
    return typer.Exit(code=1)


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="YAML documents.")]) -> None:
    """Check documents against the journeys/v1 contract; exit 1 if any is refused."""
    from journeys.cli.validate import validate_files

    if validate_files(files, echo=typer.echo):
        raise typer.Exit(code=1)


@app.command("format")
def format_(
    files: Annotated[list[Path], typer.Argument(help="YAML documents to rewrite.")],
    check: Annotated[bool, typer.Option(help="Only report files not in canonical form.")] = False,
) -> None:
    """Rewrite documents in canonical form (contract key order, stable bytes)."""
    from journeys.contract.yaml_io import DocumentError, dump_document, dump_file, load_file

    changed = 0
    for path in files:
        try:
            document = load_file(path)
        except DocumentError as error:
            raise _fail(str(error)) from None
        before = path.read_bytes()
        if dump_document(document).encode() != before:
            changed += 1
            typer.echo(f"{path}: {'not canonical' if check else 'rewritten'}")
            if not check:
                dump_file(document, path)
    if check and changed:
        raise typer.Exit(code=1)


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="YAML documents to import.")],
    replace: Annotated[bool, typer.Option(help="Replace a document with the same id.")] = False,
    database: DatabaseOption = None,
) -> None:
    """Import documents into the workspace; each file is all or nothing."""
    from journeys import services
    from journeys.contract.yaml_io import DocumentError
    from journeys.errors import StoreError

    store, failed = _store(database), 0
    for path in files:
        try:
            data = path.read_bytes()
            document = services.import_yaml(
                data, store=store, source_name=str(path), replace=replace
            )
        except (DocumentError, StoreError, OSError) as error:
            failed += 1
            typer.echo(str(error), err=True)
        else:
            typer.echo(f"{path}: imported {document.kind} '{document.id}'")
    if failed:
        raise _fail(f"{failed} of {len(files)} file(s) not imported; the workspace is unchanged")


@app.command()
def export(
    doc_id: Annotated[str, typer.Argument(help="Id of a journey or a program.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.yaml,
    view: Annotated[View, typer.Option(help="Diagram view of a program.")] = View.detailed,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (a new one).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace the --output file if it exists.")] = False,
    page: Annotated[str, typer.Option(help="PDF page size: A3 or A4.")] = "A3",
    database: DatabaseOption = None,
) -> None:
    """Export a journey or program (into the export folder unless --output is given)."""
    from journeys.errors import StoreError
    from journeys.export import files
    from journeys.export import services as export_services
    from journeys.render.engine import RenderError
    from journeys.settings import get_settings

    def refuse(error: files.OutputRefused) -> typer.Exit:
        hint = "; --force replaces it" if isinstance(error, files.OutputExistsError) else ""
        return _fail(f"{error}{hint}")

    if output is not None:
        try:  # before the export is made: a PDF takes seconds
            files.check_output(output, replace=force)
        except files.OutputRefused as error:
            raise refuse(error) from None
    store = _store(database)
    export_dir = get_settings().export_dir
    try:
        if output is None:
            path = export_services.export_to_file(
                doc_id,
                store=store,
                fmt=fmt.value,
                view=view.value,
                export_dir=export_dir,
                page=page,
            )
        else:
            made = export_services.export_download(
                doc_id, store=store, fmt=fmt.value, view=view.value, page=page
            )
            path = files.write_output(output, made.data, replace=force)
    except files.OutputRefused as error:
        raise refuse(error) from None
    except (StoreError, ValueError, RenderError) as error:
        raise _fail(str(error)) from None
    except OSError as error:
        raise _fail(f"cannot write {output or export_dir}: {error.strerror or error}") from None
    typer.echo(str(path))


@app.command("list")
def list_(
    programs: Annotated[bool, typer.Option(help="List programs instead of journeys.")] = False,
    trash: Annotated[bool, typer.Option(help="List what is in the trash.")] = False,
    database: DatabaseOption = None,
) -> None:
    """List the workspace's journeys (or programs, or the trash)."""
    from journeys import services

    store = _store(database)
    if trash:
        for item in services.list_trash(store=store):
            typer.echo(f"{item.kind}\t{item.label}\t{item.deleted_at:%Y-%m-%d %H:%M}")
        return
    if programs:
        for program in services.list_programs(store=store):
            typer.echo(f"{program.id}\t{program.title}\t{program.journey or '-'}")
        return
    for j in services.list_journeys(store=store):
        typer.echo(
            f"{j.id}\t{j.title}\t{j.journey_type}\t{j.state}\t"
            f"{j.touchpoints} tp, {j.delights}+ {j.irritants}! {j.breaks}x"
        )


@app.command()
def templates() -> None:
    """List the shipped templates."""
    from journeys import services

    for info in services.list_templates():
        typer.echo(f"{info.file_name}\t{info.kind}\t{info.language}\t{info.title}")


@app.command()
def new(
    template: Annotated[str, typer.Option("--template", "-t", help="Template file name.")],
    new_id: Annotated[str | None, typer.Option("--id")] = None,
    title: Annotated[str | None, typer.Option()] = None,
    database: DatabaseOption = None,
) -> None:
    """Create a journey (or program) from a template."""
    from journeys import services
    from journeys.errors import StoreError

    store = _store(database)
    try:
        document: Journey | Program
        if ".program" in template:
            document = services.create_program_from_template(
                template, store=store, new_id=new_id, title=title
            )
        else:
            document = services.create_from_template(
                template, store=store, new_id=new_id, title=title
            )
    except (StoreError, ValueError) as error:
        raise _fail(str(error)) from None
    typer.echo(f"created {document.kind} '{document.id}'")


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Folder.")] = None,
) -> None:
    """Write the JSON Schemas (journey and program) for editors; print them without --output."""
    from journeys.contract.schema import json_schema_text
    from journeys.contract.yaml_io import write_atomically

    for kind in ("journey", "program"):
        text = json_schema_text(kind)
        if output is None:
            typer.echo(text)
        else:
            path = write_atomically(output / f"{kind}.schema.json", text.encode())
            typer.echo(str(path))


@app.command()
def snapshot(
    journey_id: str,
    name: Annotated[str, typer.Argument(help='For example "after workshop 1".')],
    database: DatabaseOption = None,
) -> None:
    """Take a named snapshot of a journey."""
    from journeys import services
    from journeys.errors import StoreError

    try:
        info = services.snapshot_journey(journey_id, name, store=_store(database))
    except StoreError as error:
        raise _fail(str(error)) from None
    typer.echo(f"snapshot {info.id} '{info.name}' of '{journey_id}'")


@app.command()
def snapshots(journey_id: str, database: DatabaseOption = None) -> None:
    """List the snapshots of a journey."""
    from journeys import services

    for info in services.list_snapshots(journey_id, store=_store(database)):
        typer.echo(f"{info.id}\t{info.created_at:%Y-%m-%d %H:%M}\t{info.name}")


@app.command()
def restore(snapshot_id: int, database: DatabaseOption = None) -> None:
    """Restore a journey from a snapshot (the current state is snapshotted first)."""
    from journeys import services
    from journeys.errors import StoreError

    try:
        journey = services.restore_snapshot(snapshot_id, store=_store(database))
    except StoreError as error:
        raise _fail(str(error)) from None
    typer.echo(f"restored '{journey.id}' from snapshot {snapshot_id}")


@app.command()
def backup(
    destination: Annotated[Path, typer.Argument(help="New file for the copy.")],
    database: DatabaseOption = None,
) -> None:
    """Copy the SQLite workspace to a new file, safely while the app runs."""
    from journeys.errors import StoreError
    from journeys.store.backup import backup_sqlite

    try:
        path = backup_sqlite(_store(database), destination)
    except StoreError as error:
        raise _fail(str(error)) from None
    typer.echo(f"workspace copied to {path}")


@app.command()
def dump(
    folder: Annotated[Path, typer.Argument(help="Folder for the YAML files.")],
    database: DatabaseOption = None,
) -> None:
    """Write every journey and program as YAML (restore with `journeys import FOLDER/*.yaml`)."""
    from journeys import services
    from journeys.contract.yaml_io import write_atomically

    store = _store(database)
    documents: list[tuple[Literal["journey", "program"], str]]
    documents = [("journey", j.id) for j in services.list_journeys(store=store)]
    documents += [("program", p.id) for p in services.list_programs(store=store)]
    for kind, doc_id in documents:
        text = services.export_yaml(doc_id, store=store, kind=kind)
        path = write_atomically(folder / f"{doc_id}.{kind}.yaml", text.encode())
        typer.echo(str(path))


@app.command("hash-password")
def hash_password_(
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Print the hash to put in JOURNEYS_EDITOR_PASSWORD_HASH (the password is never stored)."""
    from journeys.roles import hash_password

    try:
        typer.echo(hash_password(password))
    except ValueError as refused:  # empty or only spaces: anyone could sign in
        raise _fail(f"hash-password: {refused}; nothing printed") from None


if __name__ == "__main__":
    app()

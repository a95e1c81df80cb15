"""The `journeys` command line: thin typer commands over the services."""

from __future__ import annotations

# Each command imports what it needs when it runs: `journeys validate` and `--help` must not
# pay for the store, the PDF, the charts or the diagrams (3–4 s measured, against ~0.2 s for
# yaml + pydantic). tests/integration/test_cli_start.py checks what a command loads.
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from journeys.cli.check import check
from journeys.cli.common import DatabaseOption, fail, open_cli_store
from journeys.cli.data import attrition, base_app, demo_base, signals
from journeys.cli.dryrun import dryrun
from journeys.cli.visits import derive, visits_app

if TYPE_CHECKING:
    from journeys.contract.model import Journey, Program

app = typer.Typer(
    help="Journey Workshop: subscriber journeys and relationship programs kept as YAML.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(visits_app, name="visits")  # journeys visits import FILE --journey ID --agency NAME
app.add_typer(base_app, name="base")  # journeys base import FILE --name NAME
app.command()(attrition)  # journeys attrition NAME [--by COLUMN] --output FILE.csv
app.command()(signals)  # journeys signals NAME --output FILE.csv
app.command("demo-base")(demo_base)  # journeys demo-base FOLDER [--template ID] [--parquet]
app.command()(derive)  # journeys derive ID --id NEW_ID
app.command()(check)  # journeys check PROGRAM_ID [--compliance/--no-compliance] [--language]
app.command()(dryrun)  # journeys dryrun JOURNEY_ID|PROGRAM_ID [--program ID] [--base N | ...]


class ExportFormat(StrEnum):
    yaml = "yaml"
    pdf = "pdf"
    svg = "svg"
    png = "png"
    dot = "dot"
    csv = "csv"
    xlsx = "xlsx"
    pptx = "pptx"


class View(StrEnum):
    macro = "macro"
    detailed = "detailed"


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
            raise fail(str(error)) from None
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
    files: Annotated[
        list[Path], typer.Argument(help="YAML documents, or Excel workbooks (.xlsx) to import.")
    ],
    replace: Annotated[bool, typer.Option(help="Replace a document with the same id.")] = False,
    preview: Annotated[
        bool, typer.Option("--preview", help="Print what would change; change nothing.")
    ] = False,
    database: DatabaseOption = None,
) -> None:
    """Import documents into the workspace; each file is all or nothing.

    A workbook exported here comes back as edits of its journey (conflicts with newer edits
    refuse it); a grid written by hand becomes a new journey.
    """
    from journeys import services
    from journeys.cli.workbook import import_workbook_file, is_workbook
    from journeys.contract.yaml_io import DocumentError
    from journeys.errors import StoreError

    store, failed = open_cli_store(database), 0
    for path in files:
        if is_workbook(path):
            done = import_workbook_file(path, store=store, preview=preview, echo=typer.echo)
            failed += not done
            continue
        if preview:
            try:
                document = load_preview(path)
            except (DocumentError, OSError) as error:
                failed += 1
                typer.echo(str(error), err=True)
            else:
                typer.echo(f"{path}: would import {document.kind} '{document.id}'")
            continue
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
        raise fail(f"{failed} of {len(files)} file(s) not imported; the workspace is unchanged")


def load_preview(path: Path) -> Journey | Program:
    """A YAML document read for --preview (the contract checked, nothing stored)."""
    from journeys.contract.yaml_io import load_document

    return load_document(path.read_bytes(), source=str(path))


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
    appendix: Annotated[
        bool, typer.Option(help="Journey PDF: add the full findings table as an appendix.")
    ] = False,
    dryrun: Annotated[
        bool | None,
        typer.Option(
            "--dryrun/--no-dryrun",
            help="Program PDF: a dry run after the diagram (default: when a base is linked).",
        ),
    ] = None,
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
        return fail(f"{error}{hint}")

    if output is not None:
        try:  # before the export is made: a PDF takes seconds
            files.check_output(output, replace=force)
        except files.OutputRefused as error:
            raise refuse(error) from None
    store = open_cli_store(database)
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
                appendix=appendix,
                dryrun=dryrun,
            )
        else:
            made = export_services.export_download(
                doc_id,
                store=store,
                fmt=fmt.value,
                view=view.value,
                page=page,
                appendix=appendix,
                dryrun=dryrun,
            )
            path = files.write_output(output, made.data, replace=force)
    except files.OutputRefused as error:
        raise refuse(error) from None
    except (StoreError, ValueError, RenderError) as error:
        raise fail(str(error)) from None
    except OSError as error:
        raise fail(f"cannot write {output or export_dir}: {error.strerror or error}") from None
    typer.echo(str(path))


@app.command("list")
def list_(
    programs: Annotated[bool, typer.Option(help="List programs instead of journeys.")] = False,
    trash: Annotated[bool, typer.Option(help="List what is in the trash.")] = False,
    database: DatabaseOption = None,
) -> None:
    """List the workspace's journeys (or programs, or the trash)."""
    from journeys import services

    store = open_cli_store(database)
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

    store = open_cli_store(database)
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
        raise fail(str(error)) from None
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
        info = services.snapshot_journey(journey_id, name, store=open_cli_store(database))
    except StoreError as error:
        raise fail(str(error)) from None
    typer.echo(f"snapshot {info.id} '{info.name}' of '{journey_id}'")


@app.command()
def snapshots(journey_id: str, database: DatabaseOption = None) -> None:
    """List the snapshots of a journey."""
    from journeys import services

    for info in services.list_snapshots(journey_id, store=open_cli_store(database)):
        typer.echo(f"{info.id}\t{info.created_at:%Y-%m-%d %H:%M}\t{info.name}")


@app.command()
def restore(snapshot_id: int, database: DatabaseOption = None) -> None:
    """Restore a journey from a snapshot (the current state is snapshotted first)."""
    from journeys import services
    from journeys.errors import StoreError

    try:
        journey = services.restore_snapshot(snapshot_id, store=open_cli_store(database))
    except StoreError as error:
        raise fail(str(error)) from None
    typer.echo(f"restored '{journey.id}' from snapshot {snapshot_id}")


@app.command()
def diff(
    journey_id: str,
    snapshot_a: Annotated[int, typer.Argument(help="Snapshot to compare from (`snapshots ID`).")],
    snapshot_b: Annotated[
        int | None, typer.Argument(help="Snapshot to compare to; left out: the journey now.")
    ] = None,
    lang: Annotated[
        str | None, typer.Option(help="fr or en (default: the journey's language).")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Print what changed in a journey between two snapshots, or since a snapshot."""
    from journeys import services
    from journeys.board.diff_list import diff_heading, diff_text, version_label
    from journeys.errors import StoreError
    from journeys.i18n import LANGUAGES, document_language

    if lang is not None and lang not in LANGUAGES:
        raise fail(f"unknown language '{lang}' (known: {', '.join(LANGUAGES)})")
    try:
        found = services.diff_snapshots(
            journey_id, snapshot_a, snapshot_b, store=open_cli_store(database)
        )
    except StoreError as error:
        raise fail(str(error)) from None
    changes = found.changes
    words = lang or document_language(changes.after.language)
    before, after = (
        version_label(words, info.id, info.name, info.created_at) if info else version_label(words)
        for info in (found.before, found.after)
    )
    heading = diff_heading(changes, before, after, words)
    typer.echo(diff_text(changes, words, heading=heading), nl=False)


@app.command()
def backup(
    destination: Annotated[Path, typer.Argument(help="New file for the copy.")],
    database: DatabaseOption = None,
) -> None:
    """Copy the SQLite workspace to a new file, safely while the app runs."""
    from journeys.errors import StoreError
    from journeys.store.backup import backup_sqlite

    try:
        path = backup_sqlite(open_cli_store(database), destination)
    except StoreError as error:
        raise fail(str(error)) from None
    typer.echo(f"workspace copied to {path}")


_DUMP_LEAVES_OUT = (
    "Not in a dump, on purpose: join codes of workshops (a new one is made), sign-in back-off "
    "counters, phone drafts not yet sent, the moments, channels, touchpoints and findings "
    "deleted inside a journey and notes placed on them (restore them first to keep them), the "
    "link of a merged note to its finding, row versions, and when journeys and programs were "
    "created and last changed. `journeys backup` (SQLite) or pg_dump copy everything."
)


@app.command(epilog=_DUMP_LEAVES_OUT)
def dump(
    folder: Annotated[Path, typer.Argument(help="New (or empty) folder for the dump.")],
    database: DatabaseOption = None,
) -> None:
    """Write the whole workspace into FOLDER: journeys and programs (trash too) as YAML, visits
    with every field, their photos, snapshots, participants' notes, agencies' mappings,
    subscriber bases (aggregates).

    Restore with `journeys restore-dump FOLDER`.
    """
    from journeys.dump import services as dump_services

    store = open_cli_store(database)
    try:
        summary = dump_services.dump_workspace(folder, store=store)
    except dump_services.DumpRefused as error:
        raise fail(f"dump refused, nothing written: {error}") from None
    except OSError as error:
        raise fail(f"cannot write {folder}: {error.strerror or error}; nothing written") from None
    typer.echo(f"{folder}: {summary.describe()}")
    typer.echo(f"restore with: journeys restore-dump {folder}")


@app.command("restore-dump", epilog=_DUMP_LEAVES_OUT)
def restore_dump(
    folder: Annotated[Path, typer.Argument(help="A folder written by `journeys dump`.")],
    merge: Annotated[
        bool,
        typer.Option(help="Add to a workspace that is not empty (refused if an id is there)."),
    ] = False,
    database: DatabaseOption = None,
) -> None:
    """Restore a dump into an empty workspace, all or nothing (the folder is checked whole
    first; any problem names its file and line, and nothing is written)."""
    from journeys.dump import services as dump_services
    from journeys.errors import StoreError

    store = open_cli_store(database)
    try:
        summary = dump_services.restore_dump(folder, store=store, merge=merge)
    except dump_services.WorkspaceNotEmpty as error:
        hint = "(a new --database or JOURNEYS_DATABASE_URL), or add --merge"
        raise fail(f"{error}: {hint}\nnothing was restored") from None
    except (dump_services.DumpRefused, StoreError) as error:
        raise fail(f"{error}\nnothing was restored") from None
    typer.echo(f"restored from {folder}: {summary.describe()}")


@app.command("hash-password")
def hash_password_(
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Print the hash to put in JOURNEYS_EDITOR_PASSWORD_HASH (the password is never stored)."""
    from journeys.roles import hash_password

    try:
        typer.echo(hash_password(password))
    except ValueError as refused:  # empty or only spaces: anyone could sign in
        raise fail(f"hash-password: {refused}; nothing printed") from None


if __name__ == "__main__":
    app()

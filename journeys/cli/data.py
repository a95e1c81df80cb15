"""`journeys base …`, `journeys attrition`, `journeys signals`, `journeys demo-base`: subscriber
data, thin typer commands over journeys.data.services (imports inside the commands)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from journeys.cli.common import DatabaseOption, fail, open_cli_store

if TYPE_CHECKING:
    from journeys.data.mapping import Mapping
    from journeys.data.services import BaseView

base_app = typer.Typer(
    help="Subscriber bases: import an extract (aggregates only), list.", no_args_is_help=True
)

MAX_MAPPING_BYTES = 256 * 1024


def _progress(share: float, what: str) -> None:
    if sys.stderr.isatty():
        typer.echo(f"\r{share:4.0%} {what:<30}", err=True, nl=False)
        if share >= 1:
            typer.echo("", err=True)
    else:
        typer.echo(f"{share:.0%} {what}", err=True)


def _read_mapping(path: Path) -> Mapping:
    from pydantic import ValidationError

    from journeys.contract.yaml_io import DocumentError, load_yaml
    from journeys.data.mapping import Mapping

    try:
        data = path.read_bytes()
    except OSError as error:
        raise fail(f"{path}: cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_MAPPING_BYTES:
        raise fail(f"{path}: a mapping is at most {MAX_MAPPING_BYTES // 1024} KB")
    try:
        raw = load_yaml(data.decode("utf-8", errors="replace"), source=str(path))
        return Mapping.model_validate(raw)
    except DocumentError as error:
        raise fail(str(error)) from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise fail(f"{path}: {where}: {first['msg']}") from None


@base_app.command("import")
def import_(
    source: Annotated[
        str, typer.Argument(help="CSV or Parquet file, or a database URL with --table.")
    ],
    name: Annotated[str, typer.Option("--name", help="The base's name in the workspace.")],
    mapping: Annotated[Path | None, typer.Option("--mapping", help="Mapping file (YAML).")] = None,
    table: Annotated[
        str | None, typer.Option("--table", help="Table name when SOURCE is a database URL.")
    ] = None,
    events: Annotated[
        Path | None, typer.Option("--events", help="Events file (id, date, type).")
    ] = None,
    payments: Annotated[
        Path | None,
        typer.Option("--payments", help="Payments file (id, due date, status, reject code)."),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Read a subscriber extract, check every row, keep only its aggregates (never a row)."""
    from journeys.data import services

    chosen = _read_mapping(mapping) if mapping else None
    store = open_cli_store(database)
    try:
        result = services.import_base(
            name,
            source,
            store=store,
            table=table,
            mapping=chosen,
            events=events,
            payments=payments,
            progress=_progress,
        )
    except services.BaseProblems as refused:
        typer.echo(f"{source}: {refused.total} row(s) cannot be read; nothing stored", err=True)
        for problem in refused.problems[:50]:
            typer.echo(
                f"  row {problem.row}, {problem.column}: {_words(problem.code)}"
                f" ({problem.value[:60]})",
                err=True,
            )
        if refused.total > 50:
            typer.echo(f"  … and {refused.total - 50} more", err=True)
        raise typer.Exit(code=1) from None
    except (services.SourceError, services.MappingError, ValueError) as refused:
        raise fail(f"{source}: {refused}; nothing stored") from None
    summary = result.summary
    typer.echo(
        f"base '{name}': {summary.rows} subscriptions, {summary.active} active,"
        f" {summary.ended} ended ({summary.involuntary} after a payment failure),"
        f" from {summary.first_start} to {summary.last_date}"
    )


PROBLEM_WORDS = {
    "missing_id": "no subscriber id",
    "missing_start": "no start date",
    "bad_date": "start date in an unknown format",
    "bad_end_date": "end date in an unknown format",
    "end_before_start": "ends before it starts",
    "duplicate_id": "this id is on several rows",
    "bad_price": "price is not a number",
}


def _words(code: str) -> str:
    return PROBLEM_WORDS.get(code, code)


@base_app.command("list")
def list_(database: DatabaseOption = None) -> None:
    """The bases in the workspace."""
    from journeys.data import services

    store = open_cli_store(database)
    for name in services.list_base_names(store=store):
        view = services.get_base_view(name, store=store)
        s = view.aggregates.summary
        typer.echo(
            f"{name}\t{view.source}\t{s.rows} subscriptions\t{s.first_start} → {s.last_date}"
        )


def _base_view(name: str, database: str | None) -> BaseView:
    """The stored base's aggregates, or its absence told in one line."""
    from journeys.data import services
    from journeys.errors import NotFoundError

    try:
        return services.get_base_view(name, store=open_cli_store(database))
    except NotFoundError as error:
        raise fail(str(error)) from None


def attrition(
    name: Annotated[str, typer.Argument(help="The base's name.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")],
    by: Annotated[
        str | None, typer.Option("--by", help="Split by this column (a segment).")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Write the life table: month,at_risk,ended,survival (and segment with --by)."""

    view = _base_view(name, database)
    header = [
        "month",
        "at_risk",
        "ended",
        "survival",
        "lower",
        "upper",
        "hazard",
        "voluntary",
        "involuntary",
    ]
    tables = {"": view.table}
    if by is not None:
        if by not in view.aggregates.segments:
            known = ", ".join(view.aggregates.segments) or "none"
            raise fail(f"--by {by[:80]!r}: not a segment of '{name}' (segments: {known})")
        tables = view.segment_table(by)
        header = ["segment", *header]
    rows = []
    for segment, table in tables.items():
        for r in table.rows:
            line = [
                r.month,
                r.at_risk,
                r.ended,
                f"{r.survival:.6f}",
                f"{r.lower:.6f}",
                f"{r.upper:.6f}",
                f"{r.hazard:.6f}",
                r.voluntary,
                r.involuntary,
            ]
            rows.append([segment, *line] if by is not None else line)
    _write_csv(output, header, rows)


def signals(
    name: Annotated[str, typer.Argument(help="The base's name.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")],
    database: DatabaseOption = None,
) -> None:
    """Write the pre-churn signals: event, window, subscribers, left, rate, base rate, lift."""
    from journeys.data import attrition as analysis
    from journeys.data.aggregate import SIGNAL_WINDOWS

    view = _base_view(name, database)
    header = [
        "event",
        "window_days",
        "subscribers",
        "left",
        "rate",
        "base_rate",
        "lift",
        "lift_low",
        "lift_high",
    ]
    rows = [
        [
            s.event,
            s.window,
            s.subscribers,
            s.left,
            f"{s.rate:.6f}",
            f"{s.base_rate:.6f}",
            f"{s.lift:.4f}",
            f"{s.lower:.4f}",
            f"{s.upper:.4f}",
        ]
        for window in SIGNAL_WINDOWS
        for s in analysis.signals(view.aggregates, window)
    ]
    if not rows:
        typer.echo(f"'{name}' has no events: import it with --events FILE", err=True)
    _write_csv(output, header, rows)


DEMO_PROFILES = ("press", "renewal", "sepa", "add-on")  # journeys.data.demo.PROFILES


def demo_base(
    folder: Annotated[Path, typer.Argument(help="Folder for the files.")],
    rows: Annotated[int, typer.Option("--rows", min=100, max=50_000_000)] = 50_000,
    parquet: Annotated[
        bool, typer.Option("--parquet", help="Parquet (typed columns) instead of French CSV.")
    ] = False,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            help="The journey template the base goes with (e.g. abonnement-sepa,"
            " fixed-term-renewal): picks its profile.",
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile", help="press (the default), renewal, sepa or add-on.", show_default=False
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed")] = 7,
) -> None:
    """Write a synthetic subscriber base (subscriptions, events, payments) to try with: a press
    base by default, or the one matching a journey template."""
    from journeys.data.demo import generate, profile_for_template

    chosen = profile or "press"
    if profile is not None and profile not in DEMO_PROFILES:
        raise fail(f"--profile {profile[:40]!r}: one of {', '.join(DEMO_PROFILES)}")
    if template is not None:
        try:
            chosen = profile_for_template(template)
        except ValueError as error:
            raise fail(str(error)) from None
        if profile is not None and profile != chosen:
            raise fail(f"--template {template} goes with --profile {chosen}, not {profile}")
    try:
        files = generate(
            folder, rows, seed=seed, fmt="parquet" if parquet else "csv", profile=chosen
        )
    except OSError as error:
        raise fail(f"{folder}: cannot be written ({error.strerror or error})") from None
    for path in (files.subscriptions, files.events, files.payments):
        typer.echo(str(path))


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    import io

    from journeys.contract.yaml_io import write_atomically
    from journeys.export.touchpoints_csv import neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
    try:
        write_atomically(path, buffer.getvalue().encode("utf-8"))
    except OSError as error:
        raise fail(f"{path}: cannot be written ({error.strerror or error})") from None
    typer.echo(str(path))

"""`journeys visits …` and `journeys derive`: thin typer commands over the visit services."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from journeys.cli.common import DatabaseOption, fail, open_cli_store

if TYPE_CHECKING:  # loaded by the commands that use them, so that `--help` stays light
    from journeys.visits.agency.mapping import ColumnMapping, ValueMapping
    from journeys.visits.agency.rows import RowError

MAX_MAPPING_BYTES = 256 * 1024


class Existing(StrEnum):
    """`--existing`: what to do with visits of the file already in the journey."""

    REFUSE = "refuse"
    SKIP = "skip"


visits_app = typer.Typer(
    help="Mystery-shopper visits: agency CSV import, list.", no_args_is_help=True
)


def read_mapping_file(path: Path) -> tuple[ColumnMapping, ValueMapping]:
    """Read a mapping file (YAML or JSON): `columns:` field → header, optional `values:`.

    Raises ValueError with a readable message.
    """
    from pydantic import ValidationError

    from journeys.contract.yaml_io import load_yaml
    from journeys.visits.agency.mapping import ColumnMapping, ValueMapping

    with path.open("rb") as handle:
        data = handle.read(MAX_MAPPING_BYTES + 1)
    if len(data) > MAX_MAPPING_BYTES:
        raise ValueError(f"{path}: a mapping file holds at most {MAX_MAPPING_BYTES // 1024} KB")
    # The hardened reader: a few hundred bytes of nested aliases would otherwise expand into
    # gigabytes. It refuses aliases, tags and deep nesting; DocumentError is a ValueError.
    content = load_yaml(data, source=str(path))
    if not isinstance(content, dict) or not set(content) <= {"columns", "values"}:
        raise ValueError(f"{path}: expected the keys 'columns' and (optionally) 'values'")
    try:
        return (
            ColumnMapping.model_validate({"columns": content.get("columns") or {}}),
            ValueMapping.model_validate(content.get("values") or {}),
        )
    except ValidationError as exc:
        raise ValueError(f"{path}: {exc}") from None


def _describe(error: RowError) -> str:
    where = "file" if error.row is None else f"row {error.row}"
    column = f", column '{error.column}'" if error.column else ""
    return f"{where}{column}: {error.message}"


@visits_app.command("import")
def import_file(
    file: Annotated[
        Path, typer.Argument(help="The agency's CSV file.", exists=True, dir_okay=False)
    ],
    journey: Annotated[str, typer.Option("--journey", help="Id of the journey visited.")],
    agency: Annotated[str, typer.Option("--agency", help="Agency name (its mapping is reused).")],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Mapping file (YAML/JSON).", dir_okay=False)
    ] = None,
    existing: Annotated[
        Existing,
        typer.Option(
            "--existing",
            help="Visits already in the journey (same visit id, else same shopper, date and "
            "time): refuse the whole file, or skip them and import the new ones.",
        ),
    ] = Existing.REFUSE,
    database: DatabaseOption = None,
) -> None:
    """Import an agency's CSV file, all or nothing, with the agency's saved mapping.

    Without an intensity column, a finding's intensity follows the rating (1-5): 1-2 gives 3,
    3 gives 2, 4-5 gives 1 for irritants and breaks, the reverse for delights; 2 without one.
    """
    from journeys.visits import services as vs
    from journeys.visits.agency.mapping import ValueMapping
    from journeys.visits.agency.preview import CsvError, sniff

    store = open_cli_store(database)
    data = file.read_bytes()
    try:
        headers = sniff(data).headers
        target = vs.get_journey(journey, store=store)
        saved = vs.load_agency_mapping(agency, store=store, journey=target)
        columns = vs.mapping_for_headers(headers, store=store, agency=agency)
        values = saved[1] if saved else ValueMapping()
        if mapping is not None:
            columns, given = read_mapping_file(mapping)
            values = ValueMapping.model_validate(
                {k: getattr(values, k) | getattr(given, k) for k in ValueMapping.model_fields}
            )
        done = vs.import_agency_csv(
            data,
            journey,
            columns,
            values,
            store=store,
            agency=agency,
            existing=vs.OnExisting(existing.value),
        )
    except vs.CsvImportRefused as refused:
        for error in refused.errors:
            typer.echo(f"{file}: {_describe(error)}", err=True)
        hint = ""
        if any(e.code == "visit_exists" for e in refused.errors):
            hint = " (to import only the new visits: --existing skip)"
        raise fail(
            f"{file}: not imported ({len(refused.errors)} problem(s)); nothing changed{hint}"
        ) from None
    except (CsvError, ValueError, vs.StoreError, OSError) as exc:
        raise fail(f"{file}: {exc}") from None
    skipped = f"; skipped {len(done.skipped)} visit(s) already imported" if done.skipped else ""
    typer.echo(
        f"{file}: imported {len(done.visits)} visit(s), {done.observations} observation(s) "
        f"into '{journey}'{skipped}; {_intensity_rule(columns)}; "
        f"mapping remembered for '{agency}'"
    )


def _intensity_rule(columns: ColumnMapping) -> str:
    """Say where the findings' intensity came from, as the import read it."""
    from journeys.visits.agency.mapping import VisitField

    intensity = columns.columns.get(VisitField.INTENSITY)
    rating = columns.columns.get(VisitField.RATING)
    if intensity:
        rule = f"intensity from column '{intensity}'"
        return rule + (f", else from the rating ('{rating}')" if rating else "")
    if rating:
        return (
            f"intensity from the rating ('{rating}'): 1-2 gives 3, 3 gives 2, 4-5 gives 1 "
            "for irritants and breaks, the reverse for delights"
        )
    return "intensity 2 (no intensity or rating column)"


@visits_app.command("list")
def list_visits(
    journey: Annotated[str, typer.Option("--journey", help="Id of the journey.")],
    database: DatabaseOption = None,
) -> None:
    """List the visits of a journey."""
    from journeys.visits import services as vs

    try:
        visits = vs.list_visits(journey, store=open_cli_store(database))
    except vs.StoreError as exc:
        raise fail(str(exc)) from None
    for v in visits:
        when = v.visited_at.astimezone()  # the store keeps UTC; the hour as the visit had it
        typer.echo(
            f"{v.id}\t{when:%Y-%m-%d %H:%M}\t{v.shopper}\t{v.agency or v.origin}\t"
            f"{v.observations} obs."
        )


def derive(
    journey_id: Annotated[str, typer.Argument(help="Id of the current (as-is) journey.")],
    new_id: Annotated[str, typer.Option("--id", help="Id of the target journey to create.")],
    title: Annotated[str | None, typer.Option(help="Title of the target journey.")] = None,
    database: DatabaseOption = None,
) -> None:
    """Derive the target (to-be) journey from a current one and print the gap."""
    from journeys.visits import services as vs

    store = open_cli_store(database)
    try:
        target = vs.derive_target_journey(journey_id, store=store, new_id=new_id, title=title)
    except (vs.StoreError, ValueError) as exc:
        raise fail(str(exc).splitlines()[0]) from None
    gap = vs.journey_gap(journey_id, target.id, store=store)
    typer.echo(
        f"created target journey '{target.id}' from '{journey_id}': "
        f"{len(gap.changed_cells)} cell(s) change, {len(gap.resolved)} problem(s) resolved, "
        f"{len(gap.remaining)} remaining"
    )

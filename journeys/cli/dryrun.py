"""`journeys dryrun ID`: a journey's programs (or one; ID may name a program) run over a base, a
generated demo base or a number of subscribers; prints the volumes by step, the assumptions,
the pressure over the caps and the sends in quiet hours; `--output` writes one row per step
(CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from journeys.cli.common import DatabaseOption, fail, open_cli_store

if TYPE_CHECKING:
    from journeys.programs.dryrun_services import DryRunReport
    from journeys.store.db import Store


def _pairs(items: list[str], what: str) -> dict[str, list[float]]:
    """`NAME=0.4` or `NAME=0.2,0.3,0.5` -> {NAME: [numbers]}; refused with a clear line."""
    found: dict[str, list[float]] = {}
    for item in items:
        name, sep, text = item.partition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            found[name.strip()] = [float(v.replace(",", ".")) for v in text.split(";") if v]
            if not found[name.strip()]:
                raise ValueError
        except ValueError:
            raise fail(f"{what} {item[:80]!r}: expected NAME=NUMBER") from None
    return found


def _shares(items: list[str]) -> dict[str, tuple[float, ...]]:
    """`--share STEP=0.4` (the first branch), `--share STEP=0.2/0.3/0.5` (each branch)."""
    return {k: tuple(v) for k, v in _pairs([i.replace("/", ";") for i in items], "--share").items()}


def dryrun(
    journey_id: Annotated[
        str, typer.Argument(help="Id of the journey whose programs run, or of one program.")
    ],
    program: Annotated[
        list[str] | None, typer.Option("--program", help="Only this program (repeatable).")
    ] = None,
    base: Annotated[
        str | None, typer.Option("--base", help="A stored subscriber base (its aggregates).")
    ] = None,
    subscribers: Annotated[
        int | None, typer.Option("--subscribers", help="This many subscribers, no data.")
    ] = None,
    demo: Annotated[
        int | None, typer.Option("--demo", help="A demo base of this many generated rows.")
    ] = None,
    months: Annotated[int, typer.Option("--months", help="Horizon in months (1 to 36).")] = 12,
    share: Annotated[
        list[str] | None,
        typer.Option("--share", help="STEP=0.4 (first branch) or STEP=0.2/0.3/0.5 (each)."),
    ] = None,
    rate: Annotated[
        list[str] | None, typer.Option("--rate", help="EVENT=0.2: occurrences a subscriber a year.")
    ] = None,
    churn: Annotated[
        float, typer.Option("--churn", help="Monthly churn of --subscribers (0 to 1).")
    ] = 0.0,
    term: Annotated[
        int | None, typer.Option("--term", help="Term in months (0: open-ended).")
    ] = None,
    cap: Annotated[
        list[str] | None, typer.Option("--cap", help="CHANNEL=3: sends in 7 days (email, sms…).")
    ] = None,
    timezone: Annotated[
        str, typer.Option("--timezone", help="Where the subscribers are (quiet hours).")
    ] = "Europe/Paris",
    send_hour: Annotated[int, typer.Option("--send-hour", help="Hour of planned sends.")] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same run).")] = 7,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="CSV: step,entered,reached,left…")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="fr or en (default: the journey's).")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Dry-run a journey's relationship programs over a horizon: subscribers entering,
    reaching and leaving each step, messages per channel, pressure and quiet hours."""
    from journeys.errors import NotFoundError, StoreError
    from journeys.programs.dryrun_model import Assumptions
    from journeys.programs.dryrun_services import PopulationChoice, dry_run_journey
    from journeys.programs.pressure import DEFAULT_CAPS, Caps, QuietRules

    if sum(x is not None for x in (base, subscribers, demo)) > 1:
        raise fail("choose one of --base, --subscribers, --demo")
    try:
        caps = {**DEFAULT_CAPS, **{k: int(v[0]) for k, v in _pairs(cap or [], "--cap").items()}}
        assumptions = Assumptions(
            months=months,
            shares=_shares(share or []),
            event_rates={k: v[0] for k, v in _pairs(rate or [], "--rate").items()},
            monthly_churn=churn,
            term_months=term,
            seed=seed,
        )
        rules = QuietRules(timezone=timezone, send_hour=send_hour)
        choice = PopulationChoice(base=base, subscribers=subscribers, demo_rows=demo)
    except ValueError as error:
        raise fail(str(error)) from None
    store = open_cli_store(database)
    try:
        journey, programs = _target(journey_id, program or [], store)
        report = dry_run_journey(
            journey,
            store=store,
            program_ids=programs or None,
            choice=choice,
            assumptions=assumptions,
            caps=Caps(caps),
            quiet=rules,
        )
    except (NotFoundError, StoreError, ValueError) as error:
        raise fail(str(error)) from None
    finally:
        store.dispose()
    _print(report, language)
    if output is not None:
        _write(report, output)


def _target(ident: str, programs: list[str], store: Store) -> tuple[str | None, list[str]]:
    """The journey and programs to run: ID names a journey, or else one program (run with
    its journey, whose base is read by default). Raises NotFoundError."""
    from journeys import services

    try:
        services.get_journey(ident, store=store)
    except services.NotFoundError:
        try:
            found = services.get_program(ident, store=store)
        except services.NotFoundError:
            raise services.NotFoundError(
                "journey or program", ident, where="the workspace"
            ) from None
        journey = found.journey
        if journey is not None:
            try:
                services.get_journey(journey, store=store)
            except services.NotFoundError:
                journey = None  # a program whose journey is gone runs alone
        return journey, [ident, *(p for p in programs if p != ident)]
    return ident, programs


def _print(report: DryRunReport, language: str | None) -> None:
    from journeys.i18n import document_language
    from journeys.programs import dryrun_text as words

    journey = report.journey
    lang = document_language(language or (journey.language if journey else "en"))
    run = report.run
    for line in words.population_statements(run, lang):
        typer.echo(line)
    for program, result in zip(report.programs, run.runs, strict=True):
        typer.echo(f"\n{program.title} ({program.id})")
        typer.echo(f"  {'step':32} {'entered':>9} {'reached':>9} {'left':>9} {'waiting':>9}")
        for step in program.steps:
            v = result.steps[step.id]
            typer.echo(
                f"  {step.id[:32]:32} {v.entered:>9} {v.reached:>9} {v.left:>9} {v.waiting:>9}"
            )
        for line in words.program_statements(program, result, run, lang):
            typer.echo(f"  - {line}")
    typer.echo("")
    for finding in report.pressure.findings:
        mark = "OVER" if finding.broken else "ok  "
        text = words.cap_text(finding, report.pressure, report.programs, journey, lang)
        typer.echo(f"{mark} {text}")
    for line in words.quiet_statements(report.quiet, report.programs, lang):
        typer.echo(line)


def _write(report: DryRunReport, path: Path) -> None:
    from journeys.contract.yaml_io import write_atomically
    from journeys.programs.dryrun_output import csv_text, step_rows

    if path.is_dir():
        raise fail(f"{path}: is a folder; give a file name")
    text = csv_text(step_rows(report.run, report.programs))
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as error:
        raise fail(f"{path}: cannot be written ({error.strerror or error})") from None
    typer.echo(str(path))

"""`journeys check PROGRAM_ID`: the program's checks and the French law checks, each message with
its step ids; exit 1 on a failed rule or a check error (a thin command over the services)."""

from __future__ import annotations

from typing import Annotated

import typer

from journeys.cli.common import DatabaseOption, fail, open_cli_store


def check(
    program_id: Annotated[str, typer.Argument(help="Id of the program.")],
    compliance: Annotated[
        bool | None,
        typer.Option(
            "--compliance/--no-compliance",
            help="French law checks (default: on for a French program or journey).",
        ),
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="fr or en (default: the program's).")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Check a program: reachability, exits, decisions, loops, links to its journey, and the
    rules of French law (tacit-renewal notice, online cancellation, SEPA pre-notification)."""
    from journeys import services
    from journeys.i18n import document_language
    from journeys.programs.checks import ERROR, check_program
    from journeys.programs.compliance import FAILED, applies_by_default, check_compliance
    from journeys.programs.compliance_text import issue_text, report_lines

    store = open_cli_store(database)
    try:
        program = services.get_program(program_id, store=store)
        journey = None
        if program.journey:
            try:
                journey = services.get_journey(program.journey, store=store)
            except services.NotFoundError:
                typer.echo(f"journey '{program.journey}' not found: links not checked", err=True)
    except services.NotFoundError as error:
        raise fail(str(error)) from None
    finally:
        store.dispose()
    lang = document_language(language or program.language)
    issues = check_program(program, journey)
    for issue in issues:
        where = f" [{', '.join(issue.steps)}]" if issue.steps else ""
        typer.echo(f"{issue.severity.upper()} {issue.code}: {issue_text(issue, lang)}{where}")
    failed = any(issue.severity == ERROR for issue in issues)
    if applies_by_default(program, journey) if compliance is None else compliance:
        checks = check_compliance(program, journey)
        for line in report_lines(checks, lang):
            typer.echo(line)
        failed = failed or any(c.status == FAILED for c in checks)
    if failed:
        raise typer.Exit(code=1)

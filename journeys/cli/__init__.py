"""The `journeys` command line: typer commands that import what they need when they run."""

from __future__ import annotations

import sys


def main() -> None:
    """The `journeys` entry point. `journeys validate FILE…`, the command a pre-commit hook or a
    CI job runs over hundreds of files, answers without loading typer (a third of its start-up);
    everything else, options and `--help` included, goes through the typer app."""
    args = sys.argv[1:]
    if len(args) > 1 and args[0] == "validate" and not any(a.startswith("-") for a in args[1:]):
        from journeys.cli.validate import validate_files

        raise SystemExit(validate_files(args[1:], echo=_echo))
    from journeys.cli.main import app

    try:
        app()
    except ValueError as error:  # a refused JOURNEYS_* setting: its one line, no traceback
        from journeys.settings import SettingsRefused

        if not isinstance(error, SettingsRefused):
            raise
        _echo(clip(str(error)), err=True)
        raise SystemExit(1) from None


def clip(message: str, width: int = 400) -> str:
    """`message` with each line cut to `width` characters and "…": an error quoting a
    100,000-character argument or value stays readable."""
    return "\n".join(
        line if len(line) <= width else line[:width] + "…" for line in message.splitlines()
    )


def _echo(message: str, err: bool = False) -> None:
    print(message, file=sys.stderr if err else sys.stdout, flush=True)

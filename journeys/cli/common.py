"""What every `journeys` command that opens the store shares: the `--database` option, the store
opened with a one-line refusal, and a failure told in one line with exit code 1."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from journeys.cli import clip

if TYPE_CHECKING:  # loaded when a command opens the store, so that `--help` stays light
    from journeys.store.db import Store

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", envvar="JOURNEYS_DATABASE_URL", help="SQLAlchemy URL of the store."),
]


def open_cli_store(database: str | None) -> Store:
    from journeys.errors import StoreError
    from journeys.settings import get_settings
    from journeys.store.db import open_store

    try:
        return open_store(database or get_settings().database_url)
    except StoreError as error:  # unreachable or wrong URL: one line, no traceback
        raise fail(str(error)) from None


def fail(message: str) -> typer.Exit:
    typer.echo(clip(message), err=True)
    return typer.Exit(code=1)

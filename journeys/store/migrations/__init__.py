"""Alembic migrations of the store, run from code (no alembic.ini): `upgrade_to_head(engine)`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

HERE = Path(__file__).resolve().parent
# Any constant: lets PostgreSQL servers serialise two processes migrating the same database.
_PG_LOCK_KEY = 7_401_526_339


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at this folder (and at `url`, for the alembic CLI)."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def head_revision() -> str:
    """The newest migration of the code."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migration found"
    return head


def current_revision(connection: Connection) -> str | None:
    """The migration the database is at (None: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the database to the newest schema, in one transaction; no-op when already there."""
    head = head_revision()
    with engine.execution_options(journeys_write=True).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
        if current_revision(connection) == head:
            return
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

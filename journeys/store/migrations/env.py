"""Alembic environment: migrates the connection handed over by upgrade_to_head (or a URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from journeys.store.db import create_store_engine
from journeys.store.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("give a connection (upgrade_to_head) or sqlalchemy.url")
    engine = create_store_engine(url)
    with engine.execution_options(journeys_write=True).begin() as connection:
        _run(connection)
    engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (--sql) migrations are not supported")
run_migrations_online()

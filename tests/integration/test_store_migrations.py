"""The migrations build the whole schema on an empty database, once, matching the tables."""

from __future__ import annotations

import threading

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from journeys import services
from journeys.store.db import open_store
from journeys.store.migrations import current_revision, head_revision
from journeys.store.tables import metadata


def test_opening_an_empty_database_creates_the_whole_schema(empty_database_url):
    store = open_store(empty_database_url)
    try:
        tables = set(inspect(store.engine).get_table_names())
        assert {t.name for t in metadata.sorted_tables} | {"alembic_version"} == tables
        with store.engine.connect() as connection:
            assert current_revision(connection) == head_revision()
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        store.dispose()


def test_opening_a_database_twice_migrates_once_and_keeps_the_data(
    empty_database_url, sample_journey
):
    first = open_store(empty_database_url)
    services.import_document(sample_journey, store=first)
    first.dispose()

    second = open_store(empty_database_url)
    try:
        assert services.get_journey(sample_journey.id, store=second) == sample_journey
        with second.engine.connect() as connection:
            assert current_revision(connection) == head_revision()
    finally:
        second.dispose()


def test_a_sqlite_store_creates_its_folder_and_tunes_its_connections(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'deep' / 'er' / 'journeys.db'}")
    try:
        assert (tmp_path / "deep" / "er" / "journeys.db").is_file()
        with store.engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 30_000
    finally:
        store.dispose()


def test_the_default_store_lives_in_the_workspace_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JOURNEYS_DATABASE_URL", raising=False)

    store = open_store()
    try:
        assert (tmp_path / "workspace" / "journeys.db").is_file()
    finally:
        store.dispose()


def test_an_in_memory_store_is_one_database_for_every_thread(sample_journey):
    store = open_store("sqlite://")
    seen = []
    try:
        services.import_document(sample_journey, store=store)
        reader = threading.Thread(
            target=lambda: seen.append(services.get_journey(sample_journey.id, store=store))
        )
        reader.start()
        reader.join()
        assert seen == [sample_journey]
    finally:
        store.dispose()

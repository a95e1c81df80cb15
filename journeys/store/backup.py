"""Back up a workspace: a consistent copy of a SQLite file while the app runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from journeys.errors import StoreError
from journeys.store.db import Store


def backup_sqlite(store: Store, destination: Path) -> Path:
    """Copy the store's SQLite database to `destination` with SQLite's online backup.

    Safe while others write (it copies a consistent state). Raises StoreError for a store
    that is not a SQLite file (use pg_dump for PostgreSQL).
    """
    url = store.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise StoreError(
            "backup copies a SQLite workspace file; for PostgreSQL use pg_dump (see README)"
        )
    destination = Path(destination)
    if destination.exists():
        raise StoreError(f"{destination} already exists; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(url.database)
    try:
        target = sqlite3.connect(destination)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return destination

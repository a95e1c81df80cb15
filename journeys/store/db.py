"""Engine factory and the Store (unit of work): SQLite tuned for several writers, or PostgreSQL."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from journeys.errors import StoreError
from journeys.roles import LOCAL_ACTOR, Actor

# Services that hand one transaction to several store functions type it with this name, so
# that nothing outside the store imports SQLAlchemy.
__all__ = [
    "SQLITE_BUSY_TIMEOUT_MS",
    "DatabaseUnavailableError",
    "Session",
    "Store",
    "create_store_engine",
    "open_store",
]

SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE = {"journeys_write": True}


def create_store_engine(url: str | URL) -> Engine:
    """Return an engine for `url`; for SQLite, create the folder and tune every connection.

    SQLite connections get WAL (readers never wait for the writer), foreign keys ON and a 30 s
    busy timeout; write transactions start with BEGIN IMMEDIATE so that two writers queue up
    instead of failing half-way.
    """
    url = make_url(url)
    if url.get_backend_name() != "sqlite":
        # A workshop is tens of people writing at once, queued on the journey's row lock: give
        # them connections, and let a request wait in line rather than fail after 30 s.
        return create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=40, pool_timeout=300
        )
    database = url.database or ""
    options: dict[str, Any] = {}
    if database in ("", ":memory:"):
        # One shared connection, or every thread would see its own empty database.
        options = {"poolclass": StaticPool}
    elif not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    engine = create_engine(url, connect_args=connect_args, **options)
    event.listen(engine, "connect", _tune_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _tune_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see "begin").
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    immediate = connection.get_execution_options().get("journeys_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """The live store: an engine, migrated to the latest schema, and sessions on it."""

    def __init__(self, engine: Engine, actor: Actor | None = None):
        self.engine = engine
        self.actor: Actor = actor or LOCAL_ACTOR
        self._writer = sessionmaker(engine.execution_options(**_WRITE), expire_on_commit=False)
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._commits = [0]  # shared with every as_actor view of this store

    @property
    def commits(self) -> int:
        """How many write transactions this process has committed through this store: what a
        cache of reads can be keyed by (writes from other processes do not count)."""
        return self._commits[0]

    def as_actor(self, actor: Actor) -> Store:
        """The same store (same engine and pool) acting for `actor`, whose role services check."""
        view = copy.copy(self)
        view.actor = actor
        return view

    @property
    def url(self) -> URL:
        return self.engine.url

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A write transaction: committed at the end of the block, rolled back on any error."""
        with self._writer() as session, session.begin():
            yield session
        self._commits[0] += 1  # after the commit: a read keyed by the new count sees it

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A read-only transaction (never takes SQLite's write lock); rolled back at the end."""
        with self._reader() as session:
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def open_store(url: str | URL | None = None, *, migrate: bool = True) -> Store:
    """Return a Store on `url` (default: the JOURNEYS_DATABASE_URL setting).

    The schema is brought to the latest migration first, so a new file or an empty database
    is ready to use. Raises DatabaseUnavailableError when the URL is wrong, the database
    unreachable or its schema cannot be brought up to date.
    """
    if url is None:
        from journeys.settings import get_settings

        url = get_settings().database_url
    try:
        engine = create_store_engine(url)
    except (SQLAlchemyError, ImportError, OSError) as exc:  # ImportError: no such driver
        raise DatabaseUnavailableError(url, exc) from exc
    if migrate:
        from journeys.store.migrations import upgrade_to_head

        try:
            upgrade_to_head(engine)  # the first connection: unreachable, refused, no rights
        except (SQLAlchemyError, OSError) as exc:
            engine.dispose()
            raise DatabaseUnavailableError(url, exc) from exc
    return Store(engine)


class DatabaseUnavailableError(StoreError):
    """The store could not be opened: which URL (password masked) and why, in one line."""

    def __init__(self, url: str | URL, error: BaseException):
        self.url = _masked(url)
        reason = getattr(error, "orig", None) or error  # the driver's words, not SQLAlchemy's
        if isinstance(error, ImportError):
            reason = f"its driver is not installed ({error})"
        lines = [line.strip() for line in str(reason).splitlines() if line.strip()]
        self.reason = lines[0] if lines else type(error).__name__
        super().__init__(f"cannot open the database {self.url}: {self.reason}")


def _masked(url: str | URL) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError, TypeError):  # not a URL: hide a password all the same
        return re.sub(r"(//[^/:@]*:)[^@/]*@", r"\1***@", str(url))

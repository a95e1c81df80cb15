"""Many edits of a journey in one transaction: each edit is the ordinary versioned one, and
either all of them are written or none (a stale version anywhere undoes the lot)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from journeys.store import repository as repo
from journeys.store.db import Store
from journeys.store.documents import take_snapshot


class _Joined(Store):
    """The store seen from inside an open transaction: every session is that transaction."""

    def __init__(self, store: Store, session: Session):
        super().__init__(store.engine, store.actor)
        self._open = session

    @contextmanager
    def session(self) -> Iterator[Session]:
        yield self._open
        self._open.flush()  # a clash with a unique index shows here, inside the edit's guard

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        yield self._open


@contextmanager
def one_transaction(
    store: Store, *, journey_id: str | None = None, snapshot: str | None = None
) -> Iterator[Store]:
    """Yield a store whose edits all join one transaction, committed when the block ends and
    rolled back if anything in it raises. With `snapshot`, the journey is first kept under
    that name (in the same transaction). Raises NotFoundError for an unknown journey."""
    with store.session() as session:
        if journey_id is not None and snapshot is not None:
            take_snapshot(session, repo.journey_row(session, journey_id, lock=True), snapshot)
        yield _Joined(store, session)

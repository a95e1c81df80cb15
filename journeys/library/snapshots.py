"""Snapshots: named copies of a journey, read back as YAML or restored in its place."""

from __future__ import annotations

from journeys.contract.model import Journey
from journeys.roles import Permission, requires
from journeys.store import documents, queries
from journeys.store import repository as repo
from journeys.store.db import Store
from journeys.store.views import SnapshotInfo


@requires(Permission.EDIT)
def snapshot_journey(journey_id: str, name: str, *, store: Store) -> SnapshotInfo:
    """Keep a named copy of the journey as it is now. Raises NotFoundError."""
    with store.session() as session:
        row = repo.journey_row(session, journey_id, deleted=None)
        snapshot = documents.take_snapshot(session, row, name)
        assert snapshot.id is not None
        return SnapshotInfo(snapshot.id, journey_id, snapshot.name, snapshot.created_at)


@requires(Permission.READ)
def list_snapshots(journey_id: str, *, store: Store) -> list[SnapshotInfo]:
    """Return the snapshots of a journey, most recent first."""
    with store.read_session() as session:
        return queries.snapshots(session, journey_id)


@requires(Permission.READ)
def snapshot_yaml(snapshot_id: int, *, store: Store) -> str:
    """Return the YAML kept in a snapshot. Raises NotFoundError."""
    with store.read_session() as session:
        return queries.snapshot_content(session, snapshot_id)


@requires(Permission.EDIT)
def restore_snapshot(snapshot_id: int, *, store: Store) -> Journey:
    """Replace the journey's content with the snapshot and return it.

    The current content is first snapshotted as "before restore …", so nothing is lost.
    Raises NotFoundError.
    """
    return documents.restore_snapshot(snapshot_id, store=store)

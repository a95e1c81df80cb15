"""Snapshots: named copies of a journey, read back as YAML, compared, or restored in its place."""

from __future__ import annotations

from dataclasses import dataclass

from journeys.board.diff import JourneyDiff, diff_journeys
from journeys.contract.model import Journey
from journeys.contract.yaml_io import load_document
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


@dataclass(frozen=True)
class SnapshotDiff:
    """Two versions of a journey compared; `after` is None for the journey as it is now."""

    journey_id: str
    before: SnapshotInfo
    after: SnapshotInfo | None
    changes: JourneyDiff


@requires(Permission.READ)
def diff_snapshots(
    journey_id: str, before: int, after: int | None = None, *, store: Store
) -> SnapshotDiff:
    """Compare snapshot `before` of a journey with snapshot `after`, or with the journey now.

    Raises NotFoundError: unknown journey (or, compared with now, one in the trash), or a
    snapshot that is not one of this journey's.
    """
    with store.read_session() as session:
        old_info, old_text = queries.journey_snapshot(session, journey_id, before)
        new_info: SnapshotInfo | None = None
        if after is None:
            new = repo.load_journey(session, journey_id)
        else:
            new_info, new_text = queries.journey_snapshot(session, journey_id, after)
    old = _snapshot(old_text, old_info, journey_id)
    if new_info is not None:
        new = _snapshot(new_text, new_info, journey_id)
    return SnapshotDiff(journey_id, old_info, new_info, diff_journeys(old, new))


def _snapshot(text: str, info: SnapshotInfo, journey_id: str) -> Journey:
    journey = load_document(text, source=f"snapshot {info.name}")
    assert isinstance(journey, Journey)
    # Kept under the id it had then: a renamed journey is still the same journey.
    return journey.model_copy(update={"id": journey_id})

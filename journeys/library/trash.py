"""The trash: delete journeys and programs (restorable), list what can come back, restore it."""

from __future__ import annotations

from journeys.roles import Permission, requires
from journeys.store import documents, trash
from journeys.store.db import Store
from journeys.store.views import TrashItem


@requires(Permission.EDIT)
def delete_journey(journey_id: str, *, store: Store) -> None:
    """Move a journey to the trash (restorable). Raises NotFoundError."""
    documents.set_deleted("journey", journey_id, store=store, deleted=True)


@requires(Permission.EDIT)
def restore_journey(journey_id: str, *, store: Store) -> None:
    """Bring a journey back from the trash. Raises NotFoundError if it is not there."""
    documents.set_deleted("journey", journey_id, store=store, deleted=False)


@requires(Permission.EDIT)
def delete_program(program_id: str, *, store: Store) -> None:
    """Move a program to the trash (restorable). Raises NotFoundError."""
    documents.set_deleted("program", program_id, store=store, deleted=True)


@requires(Permission.EDIT)
def restore_program(program_id: str, *, store: Store) -> None:
    """Bring a program back from the trash. Raises NotFoundError if it is not there."""
    documents.set_deleted("program", program_id, store=store, deleted=False)


@requires(Permission.READ)
def list_trash(*, store: Store) -> list[TrashItem]:
    """Return what can be restored, most recent first.

    Things deleted along with their parent (touchpoints of a deleted moment, findings of a
    deleted touchpoint) are not listed: they come back with the parent.
    """
    with store.read_session() as session:
        return trash.trash_items(session)


@requires(Permission.EDIT)
def restore_trash_item(item: TrashItem, *, store: Store) -> None:
    """Restore one item of `list_trash`. Raises RestoreConflictError, NotFoundError."""
    trash.restore_item(item, store=store)

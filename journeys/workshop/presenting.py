"""Presenting a journey in the room: the moment shown, follow-me, the workshop timer.

The state lives in the store, one row per journey with a revision: every screen (another tab,
the projector, a colleague's laptop, another app process behind a load balancer) reads it, and
compares `workshop_revision` each second to know it changed. Only those who may edit the
journey change it; everyone who may read it reads it.
"""

from __future__ import annotations

from journeys.roles import Permission, requires
from journeys.store import workshop_state as store_state
from journeys.store.db import Store
from journeys.store.tables import utcnow
from journeys.store.workshop_state import WorkshopState

__all__ = [
    "TIMER_MAX_SECONDS",
    "WorkshopState",
    "set_follow",
    "set_presenting",
    "start_timer",
    "stop_timer",
    "workshop_revision",
    "workshop_state",
]

TIMER_MAX_SECONDS = 4 * 3600  # a workshop's longest sequence; a day is several timers

_edit = requires(Permission.EDIT)
_read = requires(Permission.READ)


@_read
def workshop_state(journey_id: str, *, store: Store) -> WorkshopState:
    """Return what the journey's screens follow (defaults before any change): the moment
    presented, follow-me, the timer, the vote's settings, the revision. Raises NotFoundError."""
    with store.read_session() as session:
        return store_state.read_state(session, journey_id)


@_read
def workshop_revision(journey_id: str, *, store: Store) -> int:
    """Return the revision of the journey's workshop state (one small query): it changes with
    every change of the state and every dot cast or taken back. Raises NotFoundError."""
    with store.read_session() as session:
        return store_state.revision(session, journey_id)


@_edit
def set_presenting(journey_id: str, moment_id: str | None, *, store: Store) -> WorkshopState:
    """Present `moment_id` (a live moment of the journey), or stop presenting (None); return
    the new state. Raises NotFoundError (journey), InvalidReferenceError (unknown moment)."""
    return store_state.set_presenting(journey_id, moment_id, store=store)


@_edit
def set_follow(journey_id: str, on: bool, *, store: Store) -> WorkshopState:
    """Make every open screen follow the moment presented (or stop); return the new state.

    Raises NotFoundError."""
    return store_state.change(journey_id, {"follow": bool(on)}, store=store)


@_edit
def start_timer(journey_id: str, seconds: int, *, store: Store) -> WorkshopState:
    """Start the workshop timer now for `seconds` (a running one starts again); return the new
    state. Raises ValueError (not 1 s to TIMER_MAX_SECONDS), NotFoundError."""
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise ValueError(f"the timer needs a whole number of seconds, not {seconds!r}")
    if not 1 <= seconds <= TIMER_MAX_SECONDS:
        raise ValueError(
            f"the timer runs from 1 second to {TIMER_MAX_SECONDS // 3600} hours, not {seconds} s"
        )
    values = {"timer_started_at": utcnow(), "timer_seconds": seconds}
    return store_state.change(journey_id, values, store=store)


@_edit
def stop_timer(journey_id: str, *, store: Store) -> WorkshopState:
    """Stop the workshop timer (none running: the state stays stopped); return the new state.

    Raises NotFoundError."""
    values = {"timer_started_at": None, "timer_seconds": None}
    return store_state.change(journey_id, values, store=store)

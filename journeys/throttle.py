"""Attempts that must slow down: wrong passwords and join codes back off, notes have a rate.

Counted in the store (journeys.store.throttle), not in memory: several app processes sharing
one workspace, or a restarted one, see the same counts; a try costs one small read, a failure
one small write.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from journeys.errors import StoreError
from journeys.roles import verify_password
from journeys.store import throttle as counted
from journeys.store.db import Store
from journeys.store.tables import utcnow


class Throttled(StoreError):
    """Too many attempts: the next one is refused for `seconds` more (nothing was checked)."""

    def __init__(self, scope: str, seconds: float):
        self.scope, self.seconds = scope, max(1, math.ceil(seconds))
        super().__init__(f"too many attempts ({scope}): wait {self.seconds} s before the next")


@dataclass(frozen=True)
class Backoff:
    """After `free` failures within `window`, each try waits after the last failure: 2 s,
    then twice as long at every further failure, `cap` at most. A success forgets them."""

    scope: str
    free: int
    window: timedelta = timedelta(minutes=15)
    cap: timedelta = timedelta(minutes=5)

    def wait(self, failures: int, last: datetime | None, now: datetime) -> float:
        """Seconds still to wait before the next try (0: it may go)."""
        if failures < self.free or last is None:
            return 0.0
        delay = min(self.cap.total_seconds(), 2.0 ** min(failures - self.free + 1, 30))
        return max(0.0, (last - now).total_seconds() + delay)


@dataclass(frozen=True)
class Rate:
    """At most `limit` attempts within any `window`."""

    scope: str
    limit: int
    window: timedelta = timedelta(minutes=1)

    def wait(self, count: int, first: datetime | None, now: datetime) -> float:
        if count < self.limit or first is None:
            return 0.0
        return max(0.0, (first + self.window - now).total_seconds())


# Per client: a browser's address. Per journey: the workshop whose code is tried from many
# addresses; higher, so that a room of participants mistyping once each is not held up.
SIGN_IN = Backoff("sign_in", free=5)
JOIN_CLIENT = Backoff("join_client", free=5)
JOIN_JOURNEY = Backoff("join_journey", free=30, cap=timedelta(minutes=1))
NOTES = Rate("note", limit=10)


def check(policy: Backoff | Rate, key: str, *, store: Store, now: datetime | None = None) -> None:
    """Raise Throttled when `key` must wait before its next try under `policy`."""
    now = now or utcnow()
    count, first, last = counted.recent(policy.scope, key, store=store, since=now - policy.window)
    seconds = (
        policy.wait(count, last, now)
        if isinstance(policy, Backoff)
        else policy.wait(count, first, now)
    )
    if seconds > 0:
        raise Throttled(policy.scope, seconds)


def count(policy: Backoff | Rate, key: str, *, store: Store, now: datetime | None = None) -> None:
    """Count one attempt (a failure, for a Backoff) of `key` under `policy`."""
    counted.record(policy.scope, key, store=store, at=now or utcnow(), keep=policy.window)


def forget(policy: Backoff, key: str, *, store: Store) -> None:
    """A success: `key` starts afresh under `policy`."""
    counted.forget(policy.scope, key, store=store)


def sign_in(
    password: str,
    stored_hash: str | None,
    *,
    client: str,
    store: Store,
    now: datetime | None = None,
) -> bool:
    """True when `password` matches the configured hash; a client that failed too often is
    refused before the password is even compared. Raises Throttled."""
    check(SIGN_IN, client, store=store, now=now)
    if stored_hash and verify_password(password, stored_hash):
        forget(SIGN_IN, client, store=store)
        return True
    count(SIGN_IN, client, store=store, now=now)
    return False

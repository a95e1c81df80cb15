"""Errors raised by the store, each with a message a user can read as it is."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class NotFoundError(StoreError, LookupError):
    """A journey, program, moment, channel, touchpoint, finding or snapshot does not exist."""

    def __init__(self, what: str, ident: object, *, where: str = ""):
        self.what, self.ident = what, ident
        suffix = f" in {where}" if where else ""
        super().__init__(f"{what} '{ident}' not found{suffix}")


class DuplicateIdError(StoreError):
    """An id is already taken (live, or waiting in the trash)."""

    def __init__(self, what: str, ident: str, *, where: str = "", hint: str = ""):
        self.what, self.ident = what, ident
        place = f" in {where}" if where else ""
        super().__init__(f"{what} '{ident}' already exists{place}" + (f"; {hint}" if hint else ""))


class StaleVersionError(StoreError):
    """An update was based on a version someone else has changed since: nothing was written."""

    def __init__(self, what: str, ident: object, expected: int, current: int | None):
        self.what, self.ident = what, ident
        self.expected, self.current = expected, current
        now = "it has been deleted" if current is None else f"it is now at version {current}"
        super().__init__(
            f"{what} '{ident}' was changed by someone else: your edit was based on version "
            f"{expected}, {now}. Reload it and apply your change again."
        )


class InvalidReferenceError(StoreError, ValueError):
    """An edit points to a moment, channel or touchpoint that does not exist (or is deleted)."""

    def __init__(self, what: str, ident: str, *, where: str = ""):
        self.what, self.ident = what, ident
        place = f" in {where}" if where else ""
        super().__init__(f"unknown {what} '{ident}'{place}")


class RestoreConflictError(StoreError):
    """Restoring something would clash with what is live now (same id, or a deleted parent)."""

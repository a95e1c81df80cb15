"""Who may do what: roles, the actor a store acts for, and the check every service makes."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ParamSpec, TypeVar

from journeys.errors import StoreError


class Role(StrEnum):
    FACILITATOR = "facilitator"
    EDITOR = "editor"
    CONTRIBUTOR = "contributor"
    VIEWER = "viewer"
    PARTICIPANT = "participant"  # someone on the network who is not signed in: capture page only


class Permission(StrEnum):
    EDIT = "edit"  # change journeys and programs, import, delete, restore, snapshots
    CONTRIBUTE = "contribute"  # add notes and mystery-shopper visits
    READ = "read"
    EXPORT = "export"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FACILITATOR: frozenset(Permission),
    Role.EDITOR: frozenset(Permission),
    Role.CONTRIBUTOR: frozenset({Permission.CONTRIBUTE, Permission.READ}),
    Role.VIEWER: frozenset({Permission.READ, Permission.EXPORT}),
    Role.PARTICIPANT: frozenset(),
}


@dataclass(frozen=True)
class Actor:
    """Someone acting on the workspace; the local user of a laptop is a facilitator."""

    name: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


LOCAL_ACTOR = Actor("local", Role.FACILITATOR)


class PermissionDenied(StoreError, PermissionError):
    """The actor's role does not allow the action; nothing was done."""

    def __init__(self, actor: Actor, permission: Permission, action: str):
        self.actor, self.permission, self.action = actor, permission, action
        super().__init__(
            f"{actor.name} ({actor.role.value}) may not {action}: it needs the "
            f"'{permission.value}' permission"
        )


P = ParamSpec("P")
R = TypeVar("R")


def check(store: Any, permission: Permission, action: str) -> None:
    """Raise PermissionDenied unless the store's actor has `permission`."""
    actor: Actor = getattr(store, "actor", LOCAL_ACTOR)
    if not actor.may(permission):
        raise PermissionDenied(actor, permission, action)


def requires(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a service (which takes `store=` by keyword) so it checks the actor first."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        action = service.__name__.replace("_", " ")

        @functools.wraps(service)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            check(kwargs.get("store"), permission, action)
            return service(*args, **kwargs)

        guarded.permission = permission  # type: ignore[attr-defined]
        return guarded

    return decorate


# --- the laptop password: kept as a scrypt hash in configuration ---------------------------

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    """Return `scrypt$<salt hex>$<hash hex>` for the configuration (never the password).

    Raises ValueError for an empty password or one of spaces only.
    """
    if not password.strip():
        raise ValueError("the password is empty (or only spaces): choose one to type")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches a hash made by `hash_password` (constant-time compare)."""
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=len(expected), **_SCRYPT)
    return hmac.compare_digest(digest, expected)


def role_for_email(email: str | None, mapping: dict[str, str], default: Role) -> Role:
    """The role configured for a signed-in user (`*@domain` entries match a whole domain)."""
    if not email:
        return default
    email = email.lower()
    for key in (email, "*@" + email.rpartition("@")[2]):
        if key in mapping:
            return Role(mapping[key])
    return default

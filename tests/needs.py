"""Skip a test whose outside requirement is missing here; fail it instead in CI."""

from __future__ import annotations

import os
import shutil

import pytest


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def need(available: bool, what: str) -> None:
    """Skip locally when `what` is missing; in CI a missing requirement is a failure."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{what} is required in CI (.ci/run installs it)", pytrace=False)
    pytest.skip(f"{what} is not available on this machine (.ci/run installs it)")


def need_binary(name: str) -> str:
    """Return the path of a program on the PATH, or skip/fail as `need` does."""
    path = shutil.which(name)
    need(path is not None, f"the `{name}` program")
    return path or ""

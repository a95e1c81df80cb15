"""Matching two versions of a journey: text folded for comparison, two orders merged into one."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def fold(text: str) -> str:
    """Return `text` without accents, in lower case, its spacing collapsed: "Prix  Clair" and
    "prix clair" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def merged_order(before: Sequence[str], after: Sequence[str]) -> list[str]:
    """Return the ids of `after` in order, with those only in `before` put back after their
    predecessor there (first if they had none)."""
    order = list(after)
    for index, ident in enumerate(before):
        if ident in order:
            continue
        previous = before[index - 1] if index else None
        order.insert(order.index(previous) + 1 if previous in order else 0, ident)
    return order

"""Word-level text diff, and the fields that differ between two versions of a model."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from journeys.board.matching import fold

# Fields of the contract that hold prose: their changes get a word-level diff.
TEXT_FIELDS = frozenset(
    ("title", "persona", "description", "label", "owner", "text", "improvement", "kpi")
)
# One piece of a word-level diff: "=" kept, "-" removed, "+" added.
Segment = tuple[str, str]
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs; `words` is the word-level diff of a text field."""

    field: str
    before: Any
    after: Any
    words: tuple[Segment, ...] = ()


def word_diff(before: str, after: str) -> tuple[Segment, ...]:
    """Return the word-level diff of two texts as ("=" | "-" | "+", text) segments.

    Joining the "=" and "-" texts gives `before` back; the "=" and "+" ones give `after`.
    A space between two changed words goes with the change, so that "a b" → "c d" reads as
    one replacement rather than two.
    """
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    out: list[Segment] = []
    removed, added = "", ""
    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        kept = "".join(old[i1:i2])
        if op == "equal" and (removed or added) and kept.isspace() and index < len(opcodes) - 1:
            removed, added = removed + kept, added + kept
            continue
        if op == "equal":
            out += [s for s in (("-", removed), ("+", added)) if s[1]] + [("=", kept)]
            removed, added = "", ""
            continue
        removed += kept
        added += "".join(new[j1:j2])
    out += [s for s in (("-", removed), ("+", added)) if s[1]]
    return tuple(out)


def similarity(before: str, after: str) -> float:
    """Return how alike two texts are, word for word (0 to 1), accents and case set aside."""
    old, new = fold(before).split(), fold(after).split()
    return SequenceMatcher(None, old, new, autojunk=False).ratio()


def field_changes(before: object, after: object, fields: Iterable[str]) -> tuple[FieldChange, ...]:
    """Return the fields of two models that differ, text fields with their word diff."""
    changes = []
    for name in fields:
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        words = word_diff(old or "", new or "") if name in TEXT_FIELDS else ()
        changes.append(FieldChange(name.rstrip("_"), old, new, words))
    return tuple(changes)

"""Column headers matched to fields by their French and English names (agency files, subscriber
extracts): accents, case and punctuation folded, the closest matches assigned first."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TypeVar

F = TypeVar("F")

FUZZY_HEADERS = 300


def words(text: str) -> tuple[str, ...]:
    """'a | b c' -> ('a', 'b c'): synonyms written on one line."""
    return tuple(word.strip() for word in text.split("|"))


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Fold accents, case and punctuation: 'Attente (min)' -> 'attente min'."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def header_score(header: str, synonym: str) -> float:
    """How well a normalized header matches a normalized synonym (0 when not convincing)."""
    if header == synonym:
        return 1.0
    h_tokens, s_tokens = header.split(), synonym.split()
    if not h_tokens or not s_tokens:
        return 0.0
    if h_tokens[: len(s_tokens)] == s_tokens:
        return 0.8 + 0.1 * len(s_tokens) / len(h_tokens)
    if set(s_tokens) <= set(h_tokens):
        return 0.7 + 0.1 * len(s_tokens) / len(h_tokens)
    ratio = difflib.SequenceMatcher(None, header, synonym).ratio()
    return 0.85 * ratio if ratio >= 0.85 else 0.0


def match_headers(headers: Iterable[str], synonyms: Mapping[F, tuple[str, ...]]) -> dict[F, str]:
    """Return the best guess of which header feeds which field, in the order of `synonyms`.

    Each header feeds at most one field and each field takes at most one header; the closest
    matches are assigned first. Fields with no convincing header are left out. Past a few
    hundred headers only exact names are matched (fuzzy scoring would take minutes).
    """
    fields = list(synonyms)
    normalized = {fld: [normalize(s) for s in synonyms[fld]] for fld in fields}
    exact = {s: (i, fld) for i, fld in enumerate(fields) for s in normalized[fld]}
    candidates: list[tuple[float, int, int, str]] = []
    for h_index, header in enumerate(headers):
        key = normalize(header)
        if not key:
            continue
        if h_index >= FUZZY_HEADERS:
            if (found := exact.get(key)) is not None:
                candidates.append((-1.0, h_index, found[0], header))
            continue
        for f_index, fld in enumerate(fields):
            score = max(header_score(key, s) for s in normalized[fld])
            if score >= 0.7:
                candidates.append((-score, h_index, f_index, header))
    columns: dict[F, str] = {}
    used: set[str] = set()
    for _, _, f_index, header in sorted(candidates):
        fld = fields[f_index]
        if fld not in columns and header not in used:
            columns[fld] = header
            used.add(header)
    return {fld: columns[fld] for fld in fields if fld in columns}

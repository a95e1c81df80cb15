"""Message catalogs (French and English) and the lookup every visible string goes through."""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
_LOCALES = Path(__file__).with_name("locales")


@cache
def catalog(lang: str) -> dict[str, str]:
    """Return the flat key → message mapping of a language; raises ValueError if unknown.

    A language is `locales/<lang>.json` plus one `locales/<lang>.<feature>.json` per feature,
    so that features keep their messages apart; a key defined twice is an error.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    merged: dict[str, str] = {}
    files = [_LOCALES / f"{lang}.json", *sorted(_LOCALES.glob(f"{lang}.*.json"))]
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ValueError(f"catalog {path.name} must map keys to strings")
        if clash := merged.keys() & data.keys():
            raise ValueError(f"catalog {path.name} redefines {', '.join(sorted(clash))}")
        merged.update(data)
    return merged


def normalise_language(value: Any) -> str:
    """Return `value` if it names a known language, else the default one (for URL params)."""
    text = str(value or "").strip().lower()[:2]
    return text if text in LANGUAGES else DEFAULT_LANGUAGE


def document_language(value: str | None) -> str:
    """The language a document's fixed words are printed in (PDF, diagrams): its own when the
    catalogues have it, else English, the likelier second language of a reader of another one."""
    text = str(value or "").strip().lower()[:2]
    return text if text in LANGUAGES else "en"


def t(key: str, lang: str | None = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """Return the message `key` in `lang`, formatted with `params`.

    Falls back to French, then to the key itself, so that a missing message shows up on
    screen as its key rather than crashing a workshop.
    """
    lang = normalise_language(lang)
    message = catalog(lang).get(key)
    if message is None:
        message = catalog(DEFAULT_LANGUAGE).get(key, key)
    if not params:
        return message
    try:
        return message.format(**params)
    except (KeyError, IndexError, ValueError):
        return message


def placeholders(message: str) -> set[str]:
    """Return the names of the `{placeholders}` of a message."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def enum_label(prefix: str, value: Any, lang: str) -> str:
    """Return the catalog label of an enum value, e.g. `status.missing`."""
    raw = getattr(value, "value", value)
    return t(f"{prefix}.{raw}", lang)

"""Message catalogs (French and English) and the lookup every visible string goes through."""

from __future__ import annotations

import json
import re
import string
from datetime import date, datetime, time
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


# Date patterns of the catalogues (`date.*`), in the tokens of moment.js that Streamlit's tables
# read too: YYYY, MMM (the month's short name), MM, DD, D, HH, mm, ss.
_TOKENS = re.compile(r"YYYY|MMM|MM|DD|D|HH|mm|ss")


def _local(moment: datetime) -> datetime:
    """An aware moment (the store's are UTC) in the server's time zone; a naive one as it is."""
    return moment.astimezone() if moment.tzinfo is not None else moment


def _pattern(moment: date | time, pattern: str, lang: str) -> str:
    months = t("date.months_short", lang).split(",")

    def token(match: re.Match[str]) -> str:
        code = match.group()
        if code in ("HH", "mm", "ss"):
            value = {"HH": "hour", "mm": "minute", "ss": "second"}[code]
            return f"{getattr(moment, value):02d}"
        if not isinstance(moment, date):
            raise ValueError(f"{pattern!r} asks a date of a time of day")
        return {
            "YYYY": f"{moment.year:04d}",
            "MMM": months[moment.month - 1],
            "MM": f"{moment.month:02d}",
            "DD": f"{moment.day:02d}",
            "D": str(moment.day),
        }[code]

    return _TOKENS.sub(token, pattern)


def format_date(day: date, lang: str, *, numeric: bool = False) -> str:
    """Return `day` as the interface writes it: "3 déc. 2026" (or "03/12/2026" if `numeric`) in
    French, "Dec 3, 2026" in English; an aware datetime is first put in local time."""
    local = _local(day) if isinstance(day, datetime) else day
    return _pattern(local, t("date.numeric" if numeric else "date.short", lang), lang)


def format_time(moment: time | datetime, lang: str, *, seconds: bool = False) -> str:
    """Return the hour of `moment` on 24 hours ("14:05", "14:05:07" with `seconds`)."""
    local = _local(moment) if isinstance(moment, datetime) else moment
    return _pattern(local, "HH:mm:ss" if seconds else "HH:mm", lang)


def format_datetime(moment: datetime, lang: str, *, numeric: bool = False) -> str:
    """Return date and hour of `moment`, in local time: "3 déc. 2026, 14:05" ("03/12/2026 14:05"
    if `numeric`), "Dec 3, 2026, 14:05" in English."""
    key = "date.numeric_time" if numeric else "date.short_time"
    return _pattern(_local(moment), t(key, lang), lang)


def format_number(value: float, lang: str, digits: int = 0) -> str:
    """1\u00a0234,5 in French (a no-break space between thousands: one every font and a
    Windows console's code page have), 1,234.5 in English."""
    text = f"{value:,.{digits}f}"
    if lang == "fr":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def table_datetime_format(lang: str) -> str:
    """The moment.js pattern of a date and hour in a Streamlit table (its months are English
    words only: French tables show figures)."""
    return t("date.table_time", lang)


def date_input_format(lang: str) -> str:
    """The order of day, month and year in a Streamlit date field."""
    return t("date.input", lang)

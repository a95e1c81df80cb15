"""DOT text primitives: escaping user text, wrapping labels, attribute lists, timings."""

from __future__ import annotations

from journeys.contract.model import Anchor, Timing
from journeys.i18n import t

WRAP = 28


def labelled(label: str, value: str, language: str) -> str:
    """`Objective: value` in English, `Objectif : valeur` in French (a no-break space)."""
    return f"{label}{t('diagram.colon', language)}{value}"


_ESCAPES: dict[int, str | None] = {
    **{code: None for code in (*range(0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF)},
    **{code: None for code in range(0xD800, 0xE000)},  # lone surrogates
    ord("\\"): "\\\\",
    ord('"'): '\\"',
    ord("&"): "&amp;",
    ord("\t"): " ",
    **{ord(c): "\\n" for c in "\n\x85\u2028\u2029"},
}


def escape(text: str) -> str:
    """Return `text` safe inside a DOT double-quoted label, rendered literally.

    Backslashes and quotes are escaped, `&` is written as an entity (Graphviz decodes
    entities in every label), newlines become `\\n`, other control characters and
    characters XML cannot hold are dropped, so the SVG output stays well-formed.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_ESCAPES)


class Escaped(str):
    """Label text already escaped (lines joined with DOT line breaks)."""


def wrap(*parts: str | None, width: int = WRAP) -> list[str]:
    """Return the raw lines of the non-empty parts, each paragraph wrapped at `width`
    (greedy, on ASCII spaces only: a no-break space keeps `10 €` together)."""
    wrapped: list[str] = []
    for part in parts:
        for paragraph in (part or "").splitlines():
            line = ""
            for word in paragraph.replace("\t", " ").split(" "):
                while len(word) > width:  # a word longer than a line is cut
                    wrapped += [line, word[:width]] if line else [word[:width]]
                    line, word = "", word[width:]
                if not word:
                    continue
                if line and len(line) + 1 + len(word) > width:
                    wrapped.append(line)
                    line = ""
                line = f"{line} {word}" if line else word
            if line:
                wrapped.append(line)
    return wrapped


def lines(*parts: str | None, width: int = WRAP, left: bool = False) -> Escaped:
    """Wrap and escape each non-empty part, joined as centred (or left-aligned) DOT lines."""
    escaped = [escape(line) for line in wrap(*parts, width=width)]
    if left:
        return Escaped("".join(line + "\\l" for line in escaped))
    return Escaped("\\n".join(escaped))


def attrs(**values: str | float | None) -> str:
    """`[a="x", b="y"]` with every value quoted; plain str values are escaped."""
    items = []
    for name, value in values.items():
        if value is None:
            continue
        text = value if isinstance(value, Escaped) else escape(str(value))
        items.append(f'{name}="{text}"')
    return "[" + ", ".join(items) + "]" if items else ""


def timing_text(timing: Timing | None, language: str | None = "en") -> str:
    """`J+3`, `échéance −30 j`, `payment-failed +2 d`: a short, readable timing."""
    if timing is None:
        return ""
    days = timing.offset_days
    signed = f"+{days}" if days > 0 else (f"−{-days}" if days < 0 else "")
    if timing.anchor is Anchor.START:
        return f"{t('diagram.day', language)}{signed or '0'}"
    base = (
        t("diagram.term_end", language) if timing.anchor is Anchor.TERM_END else str(timing.event)
    )
    return f"{base} {signed} {t('diagram.days', language)}" if signed else base

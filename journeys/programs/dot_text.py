"""DOT text primitives: escaping user text, wrapping labels, attribute lists, diagram words."""

from __future__ import annotations

from journeys.contract.model import Anchor, Timing

WRAP = 28

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "objective": "Objective",
        "goal": "Goal",
        "moment": "Moment",
        "key": "key moment",
        "kpi": "KPI",
        "legend": "Legend",
        "actions": "Actions",
        "triggers": "Triggers",
        "nothing": "No communication yet",
        "detailed": "detailed view",
        "macro": "macro view",
        "trigger": "Trigger",
        "wait": "Wait",
        "message": "Message",
        "decision": "Decision",
        "action": "Action",
        "exit": "Exit",
        "day": "D",
        "days": "d",
        "term_end": "term end",
        "conversion": "Conversion",
        "lifetime": "Subscriber lifetime",
        "basket": "Average basket",
        "satisfaction": "Satisfaction",
        "recommendation": "Recommendation",
        "break": "break",
        "colon": ": ",
    },
    "fr": {
        "objective": "Objectif",
        "goal": "But",
        "moment": "Moment",
        "key": "moment clé",
        "kpi": "KPI",
        "legend": "Légende",
        "actions": "Actions",
        "triggers": "Déclencheurs",
        "nothing": "Pas encore de communication",
        "detailed": "vue détaillée",
        "macro": "vue macro",
        "trigger": "Déclencheur",
        "wait": "Attente",
        "message": "Message",
        "decision": "Décision",
        "action": "Action",
        "exit": "Sortie",
        "day": "J",
        "days": "j",
        "term_end": "échéance",
        "conversion": "Conversion",
        "lifetime": "Durée de vie de l'abonné",
        "basket": "Panier moyen",
        "satisfaction": "Satisfaction",
        "recommendation": "Recommandation",
        "break": "rupture",
        "colon": "\u00a0: ",  # French puts a no-break space before the colon
    },
}


def words(language: str | None) -> dict[str, str]:
    """Return the diagram vocabulary for `language` (English when unknown)."""
    return WORDS.get(language or "en", WORDS["en"])


def labelled(words: dict[str, str], key: str, value: str) -> str:
    """`Objective: value` in English, `Objectif : valeur` in French."""
    return f"{words[key]}{words['colon']}{value}"


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
    w = words(language)
    days = timing.offset_days
    signed = f"+{days}" if days > 0 else (f"−{-days}" if days < 0 else "")
    if timing.anchor is Anchor.START:
        return f"{w['day']}{signed or '0'}"
    base = w["term_end"] if timing.anchor is Anchor.TERM_END else str(timing.event)
    return f"{base} {signed} {w['days']}" if signed else base

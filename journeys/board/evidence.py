"""How well each touchpoint's findings are backed: assumed, confirmed by visits, or measured."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from html import escape

from journeys.contract.model import Journey, Source
from journeys.i18n import t


class EvidenceLevel(StrEnum):
    ASSUMED = "assumed"  # only the workshop says so
    CONFIRMED = "confirmed"  # mystery shoppers (or customers' own words) met it
    MEASURED = "measured"  # source data shows it


@dataclass(frozen=True)
class Evidence:
    """A touchpoint's level of evidence and how many distinct visits reported on it."""

    level: EvidenceLevel
    visits: int = 0


def touchpoint_evidence(journey: Journey) -> dict[str, Evidence]:
    """Return the evidence of every touchpoint that has findings, keyed by touchpoint id.

    Visits are counted from the findings' `visit` (distinct per touchpoint). A touchpoint
    is measured when a finding comes from data, confirmed when a visit, a mystery shopper or
    a verbatim backs one, and assumed when only the workshop does.
    """
    evidence: dict[str, Evidence] = {}
    for tp in journey.touchpoints:
        if not tp.findings:
            continue
        sources = {f.source for f in tp.findings}
        visits = len({f.visit for f in tp.findings if f.visit})
        if Source.DATA in sources:
            level = EvidenceLevel.MEASURED
        elif visits or sources & {Source.MYSTERY_SHOPPER, Source.VERBATIM}:
            level = EvidenceLevel.CONFIRMED
        else:
            level = EvidenceLevel.ASSUMED
        evidence[tp.id] = Evidence(level, visits)
    return evidence


# --- the board's badge ---------------------------------------------------------------------

# Shape as well as colour: ≈ assumed, ✓ confirmed, ◆ measured.
EVIDENCE_SYMBOLS = {
    EvidenceLevel.ASSUMED: "≈",
    EvidenceLevel.CONFIRMED: "✓",
    EvidenceLevel.MEASURED: "◆",
}
EVIDENCE_CSS = """
.jb-ev{font-weight:700;border-radius:3px;padding:0 4px;white-space:nowrap}
.jb-ev-assumed{border:1px dashed #6b7380;color:#4a525c}
.jb-ev-confirmed{background:#1d6b35;color:#fff}
.jb-ev-measured{background:#15191e;color:#fff}
"""


def evidence_badge(evidence: Evidence, lang: str) -> str:
    """Return the board's escaped HTML badge of a touchpoint's evidence (level, visit count)."""
    level = evidence.level.value
    text = f"{EVIDENCE_SYMBOLS[evidence.level]} {t(f'visits.evidence_{level}', lang)}"
    if evidence.visits:
        key = "visits.evidence_one" if evidence.visits == 1 else "visits.evidence_many"
        text += f" · {t(key, lang, count=evidence.visits)}"
    title = t(f"visits.evidence_{level}_help", lang)
    return (
        f'<span class="jb-ev jb-ev-{level}" title="{escape(title)}" '
        f'data-visits="{evidence.visits}">{escape(text)}</span>'
    )

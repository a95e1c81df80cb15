"""A journey diff drawn on the board: the later version, what was removed put back where it
was, and a mark (colour + symbol, see board.html) on each card, finding and header changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from journeys.board.diff import Change, FindingChange, JourneyDiff, TouchpointChange
from journeys.board.matching import merged_order
from journeys.contract.model import Channel, Finding, Journey, Moment, Touchpoint
from journeys.i18n import t

_Item = TypeVar("_Item", Moment, Channel)


@dataclass(frozen=True)
class CardMark:
    """How one card is marked: its own change (None when only findings changed), each of its
    findings' change (by index in the card drawn), and a note for the card's tooltip."""

    change: Change | None = None
    findings: Mapping[int, Change] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class BoardMarks:
    """What `board.html.render_board` marks: cards by touchpoint id, moments and channels."""

    cards: Mapping[str, CardMark]
    moments: Mapping[str, Change]
    channels: Mapping[str, Change]


def diff_board(diff: JourneyDiff, lang: str) -> tuple[Journey, BoardMarks]:
    """Return the journey to draw (the later version, with removed moments, channels,
    touchpoints and findings put back where they were) and the marks to draw on it."""
    before, after = diff.before, diff.after
    moments = _union(before.moments, after.moments)
    channels = _union(before.channels, after.channels)
    labels = {m.id: m.label for m in moments}, {c.id: c.label for c in channels}
    old = {tp.id: tp for tp in before.touchpoints}
    new = {tp.id: tp for tp in after.touchpoints}
    removed_findings: dict[str, list[FindingChange]] = {}
    for change in diff.findings:
        if change.change is Change.REMOVED and change.touchpoint in new:
            removed_findings.setdefault(change.touchpoint, []).append(change)
    cards: dict[str, CardMark] = {}
    for tp_change in diff.touchpoints:
        cards[tp_change.touchpoint.id] = CardMark(
            tp_change.change, {}, _note(tp_change, labels, lang)
        )
    finding_marks: dict[str, dict[int, Change]] = {}
    for found in diff.findings:
        if found.change is not Change.REMOVED:
            finding_marks.setdefault(found.touchpoint, {})[found.index] = found.change
    touchpoints: list[Touchpoint] = []
    for ident in merged_order(list(old), list(new)):
        tp = new.get(ident) or old[ident]
        extra = removed_findings.get(ident, [])
        marks = dict(finding_marks.get(ident, {}))
        if extra:
            marks |= {len(tp.findings) + i: Change.REMOVED for i in range(len(extra))}
            findings: list[Finding] = [*tp.findings, *(c.finding for c in extra)]
            tp = tp.model_copy(update={"findings": findings})
        if marks:
            card = cards.get(ident, CardMark())
            cards[ident] = CardMark(card.change, marks, card.note)
        touchpoints.append(tp)
    drawn = after.model_copy(
        update={"moments": moments, "channels": channels, "touchpoints": touchpoints, "flows": []}
    )
    return drawn, BoardMarks(
        cards=cards,
        moments={c.id: c.change for c in diff.moments},
        channels={c.id: c.change for c in diff.channels},
    )


def _union(before: list[_Item], after: list[_Item]) -> list[_Item]:
    old = {item.id: item for item in before}
    new = {item.id: item for item in after}
    return [new.get(ident) or old[ident] for ident in merged_order(list(old), list(new))]


def _note(
    change: TouchpointChange, labels: tuple[dict[str, str], dict[str, str]], lang: str
) -> str:
    """What the card's tooltip says: where it came from, which fields changed."""
    parts = []
    if change.change is Change.MOVED and change.before is not None:
        moments, channels = labels
        was = change.before
        where = f"{moments.get(was.moment, was.moment)} · {channels.get(was.channel, was.channel)}"
        parts.append(t("diff.moved_from", lang, where=where))
    if change.fields:
        names = ", ".join(t(f"field.{f.field}", lang) for f in change.fields)
        parts.append(t("diff.changed_fields", lang, fields=names))
    return " ; ".join(parts) if lang == "fr" else "; ".join(parts)

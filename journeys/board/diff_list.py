"""A journey diff as a list a person reads: one line per change, grouped by moment, FR/EN.

Changed words are written as `git diff --word-diff` writes them: [-removed-]{+added+}.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from journeys.board.diff import (
    CHANGE_SYMBOLS,
    ORDER_SYMBOL,
    Change,
    FindingChange,
    JourneyDiff,
    Reorder,
    TouchpointChange,
)
from journeys.board.html import SYMBOLS
from journeys.board.matching import merged_order
from journeys.board.text_diff import FieldChange, Segment
from journeys.contract.model import Finding, Touchpoint
from journeys.i18n import enum_label, format_datetime, t

# Fields the catalogues already name (field.*); the others are named under diff.field.*.
_NAMED_FIELDS = frozenset(
    ("label", "description", "owner", "status", "type", "intensity", "text", "source")
    + ("improvement", "visit", "key")
)
_QUOTES = frozenset("«“„\"'‹‘")
_ENUMS = {
    "status": "status",
    "type": "finding",
    "source": "source",
    "journey_type": "journey_type",
    "state": "state",
}


@dataclass(frozen=True)
class Entry:
    """One change as a line: its group (a heading), its change (None: an order), its text."""

    group: str
    change: Change | None
    text: str

    @property
    def symbol(self) -> str:
        return CHANGE_SYMBOLS[self.change] if self.change else ORDER_SYMBOL

    @property
    def line(self) -> str:
        return f"{self.symbol} {self.text}"


def words_text(words: Iterable[Segment]) -> str:
    """Return a word-level diff written [-removed-]{+added+}, kept words as they are."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in words)


class _Writer:
    """Writes the entries of one diff in one language."""

    def __init__(self, diff: JourneyDiff, lang: str) -> None:
        self.diff, self.lang = diff, lang
        before, after = diff.before, diff.after
        self.moments = {m.id: m.label for m in before.moments} | {
            m.id: m.label for m in after.moments
        }
        self.channels = {c.id: c.label for c in before.channels} | {
            c.id: c.label for c in after.channels
        }
        self.touchpoints = {tp.id: tp for tp in before.touchpoints} | {
            tp.id: tp for tp in after.touchpoints
        }
        self.moment_order = merged_order(
            [m.id for m in before.moments], [m.id for m in after.moments]
        )
        self.tp_order = {
            ident: i
            for i, ident in enumerate(
                merged_order(
                    [tp.id for tp in before.touchpoints], [tp.id for tp in after.touchpoints]
                )
            )
        }

    def t(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def entries(self) -> list[Entry]:
        diff, out = self.diff, []
        if diff.header:
            text = self._head("journey", Change.CHANGED, "", "") + self._fields(diff.header)
            out.append(Entry(self.t("diff.group.journey"), Change.CHANGED, text))
        for kind, items, order in (
            ("moment", diff.moments, diff.moment_order),
            ("channel", diff.channels, diff.channel_order),
        ):
            group = self.t(f"diff.group.{kind}s")
            for item in items:
                subject = f"{self._quoted(item.label)} ({item.id})"
                text = self._head(kind, item.change, "", subject) + self._fields(item.fields)
                out.append(Entry(group, item.change, text))
            if order:
                out.append(Entry(group, None, self._order(kind, order)))
        out += self._by_moment()
        group = self.t("diff.group.flows")
        for flow in diff.flows:
            ends = f"{self._tp(flow.flow.from_)} → {self._tp(flow.flow.to)}"
            text = self._head("flow", flow.change, "", ends) + self._fields(flow.fields)
            out.append(Entry(group, flow.change, text))
        return out

    def _by_moment(self) -> list[Entry]:
        placed: dict[str, list[tuple[tuple[int, int], Entry]]] = {}
        for change in self.diff.touchpoints:
            tp = change.touchpoint
            key = (self.tp_order[tp.id], -1)
            placed.setdefault(tp.moment, []).append((key, self._touchpoint(change)))
        for found in self.diff.findings:
            tp = self.touchpoints[found.touchpoint]
            key = (self.tp_order[tp.id], found.index)
            placed.setdefault(tp.moment, []).append((key, self._finding(found, tp)))
        out = []
        for moment in self.moment_order:
            group = self.t("diff.group.moment", label=self.moments[moment])
            for _, entry in sorted(placed.get(moment, []), key=lambda p: p[0]):
                out.append(Entry(group, entry.change, entry.text))
        return out

    def _touchpoint(self, change: TouchpointChange) -> Entry:
        tp = change.touchpoint
        subject = f"{self._quoted(tp.label)} ({tp.id})"
        if change.change in (Change.ADDED, Change.REMOVED) and tp.findings:
            count = len(tp.findings)
            key = "diff.with_findings_one" if count == 1 else "diff.with_findings"
            subject += self.t(key, count=count)
        where = f" · {self.channels.get(tp.channel, tp.channel)}"
        details = ""
        if change.change is Change.MOVED and change.before is not None:
            where = ""
            details = f" — {self._cell(change.before)} → {self._cell(tp)}"
        text = self._head("touchpoint", change.change, where, subject) + details
        return Entry("", change.change, text + self._fields(change.fields))

    def _finding(self, change: FindingChange, tp: Touchpoint) -> Entry:
        where = f" · {self._quoted(tp.label)}"
        details = ""
        if change.change is Change.MOVED and change.from_touchpoint:
            where = ""
            details = f" — {self._tp(change.from_touchpoint)} → {self._quoted(tp.label)}"
        before = change.before or change.finding
        text = self._head("finding", change.change, where, self._describe(before)) + details
        return Entry("", change.change, text + self._fields(change.fields, finding=True))

    # --- pieces of a line ----------------------------------------------------------------

    def _head(self, what: str, change: Change, where: str, subject: str) -> str:
        head = self.t("diff.head", what=self.t(f"diff.what.{what}"), done=self.t(f"diff.{change}"))
        return self.t("diff.line", head=head + where, subject=subject) if subject else head

    def _fields(self, fields: Iterable[FieldChange], *, finding: bool = False) -> str:
        parts = [self._field(f, finding) for f in fields]
        if not parts:
            return ""
        return " — " + self.t("diff.separator").join(parts)

    def _field(self, change: FieldChange, finding: bool) -> str:
        if finding and change.field == "status":
            key = "field.finding_status"
        else:
            prefix = "field" if change.field in _NAMED_FIELDS else "diff.field"
            key = f"{prefix}.{change.field}"
        if change.words:
            value = words_text(change.words)
        else:
            old = self._value(change.field, change.before, finding)
            value = f"{old} → {self._value(change.field, change.after, finding)}"
        return self.t("diff.field_change", field=self.t(key), change=value)

    def _value(self, field: str, value: Any, finding: bool) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return self.t("diff.yes" if value else "diff.no")
        if field == "objectives":
            return ", ".join(enum_label("objective", v, self.lang) for v in value)
        if finding and field == "status":
            return enum_label("finding_status", value, self.lang)
        if field in _ENUMS and isinstance(value, Enum):
            return enum_label(_ENUMS[field], value, self.lang)
        return str(value)

    def _describe(self, finding: Finding) -> str:
        mark = SYMBOLS[finding.type] * finding.intensity
        kind = enum_label("finding", finding.type, self.lang)
        text = finding.text
        quoted = text if text[:1] in _QUOTES else self._quoted(text)  # a verbatim, quoted already
        return f"{mark} {kind} {quoted}"

    def _order(self, kind: str, order: Reorder) -> str:
        names = self.moments if kind == "moment" else self.channels
        before = ", ".join(names[i] for i in order.before)
        after = ", ".join(names[i] for i in order.after)
        return self.t("diff.line", head=self.t(f"diff.order.{kind}"), subject=f"{before} → {after}")

    def _quoted(self, text: str) -> str:
        return self.t("diff.quote", text=text)

    def _tp(self, ident: str) -> str:
        tp = self.touchpoints.get(ident)
        return self._quoted(tp.label) if tp else ident

    def _cell(self, tp: Touchpoint) -> str:
        moment, channel = self.moments.get(tp.moment, ""), self.channels.get(tp.channel, "")
        return f"{moment or tp.moment} · {channel or tp.channel}"


def diff_entries(diff: JourneyDiff, lang: str) -> list[Entry]:
    """Return the changes of `diff` as lines in `lang`: the journey's own fields, moments,
    channels, then touchpoints and findings grouped by moment (board order), then flows."""
    return _Writer(diff, lang).entries()


def version_label(
    lang: str, snapshot: int | None = None, name: str = "", when: datetime | None = None
) -> str:
    """Name one side of a diff: a snapshot (its number, name and date), or now if None."""
    if snapshot is None:
        return t("diff.now", lang)
    date = format_datetime(when, lang, numeric=True) if when else ""
    return t("diff.snapshot", lang, id=snapshot, name=name, date=date)


def diff_heading(diff: JourneyDiff, before: str, after: str, lang: str) -> str:
    """The first line of a listing: the journey, and the two versions compared."""
    journey = diff.after
    return t("diff.heading", lang, title=journey.title, id=journey.id, before=before, after=after)


def diff_text(diff: JourneyDiff, lang: str, *, heading: str) -> str:
    """Return the whole listing: `heading`, each group's lines indented, then the counts."""
    lines = [heading, ""]
    if diff.empty:
        return "\n".join([*lines, t("diff.none", lang)]) + "\n"
    group = None
    for entry in diff_entries(diff, lang):
        if entry.group != group:
            group = entry.group
            lines.append(group)
        lines.append(f"  {entry.line}")
    counts = {change.value: count for change, count in diff.counts().items()}
    lines += ["", t("diff.summary", lang, **counts)]
    if _has_words(diff):
        removed, added = t("diff.word_removed", lang), t("diff.word_added", lang)
        lines.append(t("diff.words_hint", lang, removed=removed, added=added))
    return "\n".join(lines) + "\n"


def _has_words(diff: JourneyDiff) -> bool:
    groups: list[Iterable[FieldChange]] = [diff.header]
    for changes in (diff.moments, diff.channels, diff.touchpoints, diff.findings, diff.flows):
        groups += [change.fields for change in changes]
    return any(f.words for fields in groups for f in fields)

"""What changed between two versions of one journey (two snapshots, or a snapshot and now).

Moments, channels and touchpoints are matched by id. Findings have no id in the contract:
they are matched on the same touchpoint by content, then by text (accents, case and spacing
folded), then elsewhere in the journey by text (a finding moved to another touchpoint), then
on the same touchpoint by similar wording (a finding whose text was edited).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from journeys.board.matching import fold, merged_order
from journeys.board.text_diff import FieldChange, field_changes, similarity
from journeys.contract.model import (
    JOURNEY_HEADER_FIELDS,
    Channel,
    Finding,
    Flow,
    Journey,
    Moment,
    Touchpoint,
)


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"


# Shape as well as colour, as for the findings' marks (U+FE0E: the text glyph, not an emoji).
CHANGE_SYMBOLS: dict[Change, str] = {
    Change.ADDED: "+",
    Change.REMOVED: "−",
    Change.CHANGED: "~",
    Change.MOVED: "↦\ufe0e",
}
ORDER_SYMBOL = "⇅"


HEADER_FIELDS = JOURNEY_HEADER_FIELDS
MOMENT_FIELDS = ("label", "key", "description", "kpi")
CHANNEL_FIELDS = ("label", "description")
TOUCHPOINT_FIELDS = ("label", "status", "owner", "description")
FINDING_FIELDS = ("type", "intensity", "text", "source", "improvement", "status", "visit")
FLOW_FIELDS = ("break_", "label")
SIMILAR = 0.5  # word similarity above which an edited finding is the same finding


@dataclass(frozen=True)
class ItemChange:
    """A moment or a channel added, removed or changed (label, key, description)."""

    change: Change
    id: str
    before: Moment | Channel | None
    after: Moment | Channel | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def label(self) -> str:
        item = self.after or self.before
        assert item is not None
        return item.label


@dataclass(frozen=True)
class Reorder:
    """The order of the moments (or channels) kept on both sides, before and after."""

    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class TouchpointChange:
    """A touchpoint added, removed, changed or moved to another cell (maybe changed too)."""

    change: Change
    before: Touchpoint | None
    after: Touchpoint | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def touchpoint(self) -> Touchpoint:
        found = self.after or self.before
        assert found is not None
        return found


@dataclass(frozen=True)
class FindingChange:
    """A finding added, removed, changed, or moved to another touchpoint (maybe changed too).

    `touchpoint` and `index` say where it is now (where it was, if removed); `from_touchpoint`
    where it was, if moved. Findings that come and go with their touchpoint are told by the
    touchpoint's change.
    """

    change: Change
    touchpoint: str
    index: int
    before: Finding | None
    after: Finding | None
    fields: tuple[FieldChange, ...] = ()
    from_touchpoint: str | None = None

    @property
    def finding(self) -> Finding:
        found = self.after or self.before
        assert found is not None
        return found


@dataclass(frozen=True)
class FlowChange:
    change: Change
    before: Flow | None
    after: Flow | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def flow(self) -> Flow:
        found = self.after or self.before
        assert found is not None
        return found


@dataclass(frozen=True)
class JourneyDiff:
    """Every difference between two versions of a journey, in the after version's order."""

    before: Journey
    after: Journey
    header: tuple[FieldChange, ...]
    moments: tuple[ItemChange, ...]
    channels: tuple[ItemChange, ...]
    moment_order: Reorder | None
    channel_order: Reorder | None
    touchpoints: tuple[TouchpointChange, ...]
    findings: tuple[FindingChange, ...]
    flows: tuple[FlowChange, ...]

    @property
    def empty(self) -> bool:
        return not any(
            (self.header, self.moments, self.channels, self.moment_order, self.channel_order)
            + (self.touchpoints, self.findings, self.flows)
        )

    def counts(self) -> dict[Change, int]:
        """How many touchpoints and findings were added, removed, changed and moved."""
        found = {change: 0 for change in Change}
        for item in self.touchpoints:
            found[item.change] += 1
        for finding in self.findings:
            found[finding.change] += 1
        return found


# --- comparing -----------------------------------------------------------------------------


def diff_journeys(before: Journey, after: Journey) -> JourneyDiff:
    """Return what changed from `before` to `after`, two versions of the same journey."""
    touchpoints = _touchpoint_changes(before, after)
    appeared = {c.touchpoint.id for c in touchpoints if c.change is Change.ADDED}
    gone = {c.touchpoint.id for c in touchpoints if c.change is Change.REMOVED}
    return JourneyDiff(
        before=before,
        after=after,
        header=field_changes(before, after, HEADER_FIELDS),
        moments=_item_changes(before.moments, after.moments, MOMENT_FIELDS),
        channels=_item_changes(before.channels, after.channels, CHANNEL_FIELDS),
        moment_order=_reorder(before.moments, after.moments),
        channel_order=_reorder(before.channels, after.channels),
        touchpoints=touchpoints,
        findings=_FindingMatcher(before, after).changes(appeared, gone),
        flows=_flow_changes(before.flows, after.flows),
    )


def _item_changes(
    before: Sequence[Moment] | Sequence[Channel],
    after: Sequence[Moment] | Sequence[Channel],
    fields: tuple[str, ...],
) -> tuple[ItemChange, ...]:
    old = {item.id: item for item in before}
    new = {item.id: item for item in after}
    changes = []
    for ident in merged_order(list(old), list(new)):
        if ident not in new:
            changes.append(ItemChange(Change.REMOVED, ident, old[ident], None))
        elif ident not in old:
            changes.append(ItemChange(Change.ADDED, ident, None, new[ident]))
        elif found := field_changes(old[ident], new[ident], fields):
            changes.append(ItemChange(Change.CHANGED, ident, old[ident], new[ident], found))
    return tuple(changes)


def _reorder(
    before: Sequence[Moment] | Sequence[Channel], after: Sequence[Moment] | Sequence[Channel]
) -> Reorder | None:
    kept = {item.id for item in before} & {item.id for item in after}
    old = tuple(item.id for item in before if item.id in kept)
    new = tuple(item.id for item in after if item.id in kept)
    return Reorder(old, new) if old != new else None


def _touchpoint_changes(before: Journey, after: Journey) -> tuple[TouchpointChange, ...]:
    old = {tp.id: tp for tp in before.touchpoints}
    new = {tp.id: tp for tp in after.touchpoints}
    changes = []
    for ident in merged_order(list(old), list(new)):
        if ident not in new:
            changes.append(TouchpointChange(Change.REMOVED, old[ident], None))
            continue
        if ident not in old:
            changes.append(TouchpointChange(Change.ADDED, None, new[ident]))
            continue
        was, now = old[ident], new[ident]
        fields = field_changes(was, now, TOUCHPOINT_FIELDS)
        if (was.moment, was.channel) != (now.moment, now.channel):
            changes.append(TouchpointChange(Change.MOVED, was, now, fields))
        elif fields:
            changes.append(TouchpointChange(Change.CHANGED, was, now, fields))
    return tuple(changes)


def _flow_changes(before: Sequence[Flow], after: Sequence[Flow]) -> tuple[FlowChange, ...]:
    old = {(f.from_, f.to): f for f in before}
    new = {(f.from_, f.to): f for f in after}
    changes = [
        FlowChange(Change.REMOVED, flow, None) for key, flow in old.items() if key not in new
    ]
    for key, flow in new.items():
        if key not in old:
            changes.append(FlowChange(Change.ADDED, None, flow))
        elif fields := field_changes(old[key], flow, FLOW_FIELDS):
            changes.append(FlowChange(Change.CHANGED, old[key], flow, fields))
    return tuple(changes)


# --- findings ------------------------------------------------------------------------------

_Slot = tuple[str, int]  # (touchpoint id, index in its findings)


class _FindingMatcher:
    """Pairs the findings of two versions, strongest evidence first (see the module's doc)."""

    def __init__(self, before: Journey, after: Journey) -> None:
        self.old, self.new = _slots(before), _slots(after)
        self.old_left, self.new_left = dict(self.old), dict(self.new)
        self.pairs: list[tuple[_Slot, _Slot]] = []
        self.order = {
            ident: i
            for i, ident in enumerate(
                merged_order(
                    [tp.id for tp in before.touchpoints], [tp.id for tp in after.touchpoints]
                )
            )
        }

    def changes(self, appeared: set[str], gone: set[str]) -> tuple[FindingChange, ...]:
        """Return the findings' changes; those of `appeared` and `gone` touchpoints are left
        to the touchpoint's own change (unless they moved from or to another touchpoint)."""
        self._pair(lambda s, f: (s[0], _content(f)))
        self._pair(lambda s, f: (s[0], fold(f.text)))
        self._pair(lambda s, f: _content(f))
        self._pair(lambda s, f: fold(f.text))
        self._pair_similar()
        found: list[FindingChange] = []
        for was, now in self.pairs:
            before, after = self.old[was], self.new[now]
            fields = field_changes(before, after, FINDING_FIELDS)
            if was[0] != now[0]:
                found.append(FindingChange(Change.MOVED, *now, before, after, fields, was[0]))
            elif fields:
                found.append(FindingChange(Change.CHANGED, *now, before, after, fields))
        found += [
            FindingChange(Change.REMOVED, *slot, finding, None)
            for slot, finding in self.old_left.items()
            if slot[0] not in gone
        ]
        found += [
            FindingChange(Change.ADDED, *slot, None, finding)
            for slot, finding in self.new_left.items()
            if slot[0] not in appeared
        ]
        found.sort(key=lambda c: (self.order[c.touchpoint], c.index, c.change != Change.REMOVED))
        return tuple(found)

    def _pair(self, key: Callable[[_Slot, Finding], object]) -> None:
        waiting: dict[object, list[_Slot]] = {}
        for slot, finding in self.old_left.items():
            waiting.setdefault(key(slot, finding), []).append(slot)
        for slot, finding in list(self.new_left.items()):
            candidates = waiting.get(key(slot, finding))
            if candidates:
                self._take(candidates.pop(0), slot)

    def _pair_similar(self) -> None:
        scored = sorted(
            (-similarity(old.text, new.text), was, now)
            for was, old in self.old_left.items()
            for now, new in self.new_left.items()
            if was[0] == now[0]
        )
        for score, was, now in scored:
            if -score >= SIMILAR and was in self.old_left and now in self.new_left:
                self._take(was, now)

    def _take(self, was: _Slot, now: _Slot) -> None:
        self.pairs.append((was, now))
        del self.old_left[was], self.new_left[now]


def _content(finding: Finding) -> tuple[object, ...]:
    return tuple(getattr(finding, name) for name in FINDING_FIELDS)


def _slots(journey: Journey) -> dict[_Slot, Finding]:
    return {(tp.id, i): f for tp in journey.touchpoints for i, f in enumerate(tp.findings)}

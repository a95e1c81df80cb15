"""As-is to to-be: derive a target journey from a current one and measure the gap between them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from journeys.board.analysis import EmotionPoint, emotion_curve
from journeys.board.matching import fold as _fold
from journeys.board.matching import merged_order as _merged
from journeys.contract.model import (
    Channel,
    Finding,
    FindingType,
    Journey,
    JourneyState,
    Moment,
    Touchpoint,
    TouchpointStatus,
)
from journeys.i18n import t

PROBLEMS = (FindingType.IRRITANT, FindingType.BREAK)
TO_FIX = (TouchpointStatus.MISSING, TouchpointStatus.POORLY_HANDLED)
COMPARED_FIELDS = ("moment", "channel", "label", "status", "owner")
_Add = Callable[[str, str, str, object], None]
_Item = TypeVar("_Item", Moment, Channel)


def derive_target(current: Journey, *, new_id: str, title: str | None = None) -> Journey:
    """Return the to-be copy of a journey: state target, derived_from the current journey.

    Missing and poorly handled touchpoints become planned; irritants and breaks that have
    an improvement axis are left out (the plan resolves them: they stay, improvement
    included, in the current journey, and `compare` lists them as resolved). Delights and
    problems nobody has proposed an improvement for are kept. Raises ValueError when
    new_id is the current id or not a slug (pydantic ValidationError).
    """
    if new_id == current.id:
        raise ValueError(f"the target needs an id other than '{current.id}'")
    data = current.model_dump(by_alias=True)
    word = t("compare.title_suffix", current.language)
    data.update(
        id=new_id,
        title=title or f"{current.title[: 296 - len(word)]} — {word}",
        state=JourneyState.TARGET,
        derived_from=current.id,
    )
    for touchpoint in data["touchpoints"]:
        if touchpoint["status"] in TO_FIX:
            touchpoint["status"] = TouchpointStatus.PLANNED
        touchpoint["findings"] = [f for f in touchpoint.get("findings", []) if not _addressed(f)]
    return Journey.model_validate(data)


def _addressed(finding: dict[str, object]) -> bool:
    improvement = finding.get("improvement")
    return (
        finding["type"] in PROBLEMS and isinstance(improvement, str) and bool(improvement.strip())
    )


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingRef:
    """A finding and where it sits on the board."""

    touchpoint: str
    moment: str
    channel: str
    finding: Finding


@dataclass(frozen=True)
class TouchpointChange:
    """A touchpoint present in both journeys whose compared fields differ."""

    before: Touchpoint
    after: Touchpoint
    fields: tuple[str, ...]


@dataclass(frozen=True)
class CellGap:
    """What changes at one moment × channel intersection of the board."""

    moment: str
    channel: str
    added: tuple[Touchpoint, ...] = ()
    removed: tuple[Touchpoint, ...] = ()
    changed: tuple[TouchpointChange, ...] = ()
    resolved: tuple[FindingRef, ...] = ()
    remaining: tuple[FindingRef, ...] = ()
    introduced: tuple[FindingRef, ...] = ()
    delights_added: tuple[FindingRef, ...] = ()
    delights_removed: tuple[FindingRef, ...] = ()

    @property
    def has_changes(self) -> bool:
        """True when anything differs here (remaining problems alone are no change)."""
        return any(
            (self.added, self.removed, self.changed, self.resolved, self.introduced)
            + (self.delights_added, self.delights_removed)
        )


@dataclass(frozen=True)
class JourneyGap:
    """The as-is → to-be gap: board cells in board order, structure changes, both curves.

    The curves are `analysis.emotion_curve` of each journey, so charts draw them alike.
    """

    current: str
    target: str
    moments_added: tuple[Moment, ...]
    moments_removed: tuple[Moment, ...]
    channels_added: tuple[Channel, ...]
    channels_removed: tuple[Channel, ...]
    cells: tuple[CellGap, ...]
    current_curve: tuple[EmotionPoint, ...]
    target_curve: tuple[EmotionPoint, ...]

    @property
    def changed_cells(self) -> tuple[CellGap, ...]:
        return tuple(c for c in self.cells if c.has_changes)

    @property
    def resolved(self) -> tuple[FindingRef, ...]:
        return tuple(r for c in self.cells for r in c.resolved)

    @property
    def remaining(self) -> tuple[FindingRef, ...]:
        return tuple(r for c in self.cells for r in c.remaining)

    @property
    def introduced(self) -> tuple[FindingRef, ...]:
        return tuple(r for c in self.cells for r in c.introduced)


# --- comparing ---------------------------------------------------------------------------


def compare(current: Journey, target: Journey) -> JourneyGap:
    """Return the gap between an as-is journey and a to-be journey, cell by cell.

    Touchpoints are matched by id; findings by touchpoint id and text (accents, case and
    spacing folded). A problem of the current journey absent from the target is resolved.
    """
    moments = _merged([m.id for m in current.moments], [m.id for m in target.moments])
    channels = _merged([c.id for c in current.channels], [c.id for c in target.channels])
    builders: dict[tuple[str, str], dict[str, list[object]]] = {}

    def add(moment: str, channel: str, kind: str, item: object) -> None:
        builders.setdefault((moment, channel), {}).setdefault(kind, []).append(item)

    _touchpoint_gaps(current, target, add)
    _finding_gaps(current, target, add)
    cells = tuple(
        CellGap(m, c, **{k: tuple(v) for k, v in builders[(m, c)].items()})  # type: ignore[arg-type]
        for m in moments
        for c in channels
        if (m, c) in builders
    )
    return JourneyGap(
        current=current.id,
        target=target.id,
        moments_added=_only_in(target.moments, current.moments),
        moments_removed=_only_in(current.moments, target.moments),
        channels_added=_only_in(target.channels, current.channels),
        channels_removed=_only_in(current.channels, target.channels),
        cells=cells,
        current_curve=tuple(emotion_curve(current)),
        target_curve=tuple(emotion_curve(target)),
    )


def _touchpoint_gaps(current: Journey, target: Journey, add: _Add) -> None:
    before = {t.id: t for t in current.touchpoints}
    after = {t.id: t for t in target.touchpoints}
    for tp in current.touchpoints:
        if tp.id not in after:
            add(tp.moment, tp.channel, "removed", tp)
    for tp in target.touchpoints:
        old = before.get(tp.id)
        if old is None:
            add(tp.moment, tp.channel, "added", tp)
            continue
        fields = tuple(f for f in COMPARED_FIELDS if getattr(old, f) != getattr(tp, f))
        if fields:
            add(tp.moment, tp.channel, "changed", TouchpointChange(old, tp, fields))


def _finding_gaps(current: Journey, target: Journey, add: _Add) -> None:
    before = _finding_refs(current)
    after = _finding_refs(target)
    for key, ref in before.items():
        problem = ref.finding.type in PROBLEMS
        if key in after:
            if problem:
                later = after[key]
                add(later.moment, later.channel, "remaining", later)
        else:
            add(ref.moment, ref.channel, "resolved" if problem else "delights_removed", ref)
    for key, ref in after.items():
        if key not in before:
            problem = ref.finding.type in PROBLEMS
            add(ref.moment, ref.channel, "introduced" if problem else "delights_added", ref)


def _finding_refs(journey: Journey) -> dict[tuple[str, str, bool], FindingRef]:
    refs: dict[tuple[str, str, bool], FindingRef] = {}
    for tp in journey.touchpoints:
        for finding in tp.findings:
            key = (tp.id, _fold(finding.text), finding.type in PROBLEMS)
            refs.setdefault(key, FindingRef(tp.id, tp.moment, tp.channel, finding))
    return refs


def _only_in(items: Iterable[_Item], others: Iterable[_Item]) -> tuple[_Item, ...]:
    known = {o.id for o in others}
    return tuple(i for i in items if i.id not in known)

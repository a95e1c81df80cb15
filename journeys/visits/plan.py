"""Where visits' observations land on the board: the touchpoint of each, new ones for gaps."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from journeys.contract.editing import slugify
from journeys.contract.model import Journey, Touchpoint, TouchpointStatus
from journeys.i18n import t
from journeys.visits.model import Visit, touchpoint_for


@dataclass(frozen=True)
class AmbiguousObservation:
    """An observation whose cell holds several touchpoints and which names none of them."""

    visit: str
    index: int
    moment: str
    channel: str
    text: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class FindingPlan:
    """The touchpoint of every observation, keyed (visit id, index), and those to create."""

    targets: dict[tuple[str, int], str]
    new_touchpoints: tuple[Touchpoint, ...]
    ambiguous: tuple[AmbiguousObservation, ...]


def plan_findings(
    journey: Journey, visits: Sequence[Visit], *, taken: Collection[str] = ()
) -> FindingPlan:
    """Return where each observation's finding goes.

    An observation names its touchpoint, or its cell holds exactly one; a cell the workshop
    left empty gets one new touchpoint (what the shopper met there), shared by every
    observation of that cell; a cell with several touchpoints and none named is ambiguous.
    `taken` are ids the new touchpoints must not use (deleted touchpoints, for instance).
    """
    used = {tp.id for tp in journey.touchpoints} | set(taken)
    occupied = {(tp.moment, tp.channel) for tp in journey.touchpoints}
    created: dict[tuple[str, str], Touchpoint] = {}
    targets: dict[tuple[str, int], str] = {}
    ambiguous: list[AmbiguousObservation] = []
    for visit in visits:
        for index, obs in enumerate(visit.observations):
            cell = (obs.moment, obs.channel)
            found = touchpoint_for(obs, journey)
            if found is not None:
                targets[(visit.id, index)] = found.id
            elif obs.touchpoint is None and cell not in occupied:
                if cell not in created:
                    created[cell] = _new_touchpoint(journey, cell, used)
                    used.add(created[cell].id)
                targets[(visit.id, index)] = created[cell].id
            else:
                candidates = tuple(
                    tp.id for tp in journey.touchpoints if (tp.moment, tp.channel) == cell
                )
                ambiguous.append(AmbiguousObservation(visit.id, index, *cell, obs.text, candidates))
    return FindingPlan(targets, tuple(created.values()), tuple(ambiguous))


def _new_touchpoint(journey: Journey, cell: tuple[str, str], used: set[str]) -> Touchpoint:
    moment = next(m for m in journey.moments if m.id == cell[0])
    channel = next(c for c in journey.channels if c.id == cell[1])
    base = slugify(f"{channel.id}-{moment.id}", 72)
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}-{n}"
    lang = journey.language
    return Touchpoint(
        id=ident,
        moment=moment.id,
        channel=channel.id,
        label=t("visits.new_touchpoint", lang, channel=channel.label, moment=moment.label)[:300],
        status=TouchpointStatus.EXISTING,
        description=t("visits.new_touchpoint_description", lang),
    )

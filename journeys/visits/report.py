"""What the visits say about a journey: ratings per cell, top irritants, waits, blind spots."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import mean

from journeys.contract.model import FindingType, Journey
from journeys.visits.model import Observation, Visit

PROBLEMS = (FindingType.IRRITANT, FindingType.BREAK)
CellKey = Callable[[tuple[str, str]], tuple[int, int, str, str]]


@dataclass(frozen=True)
class CellStat:
    """Numbers gathered at one moment × channel: how many, the mean, the highest."""

    moment: str
    channel: str
    count: int
    mean: float
    high: float


@dataclass(frozen=True)
class Irritant:
    """One problem the shoppers met, with how often and how hard (score = sum of intensities)."""

    text: str
    type: FindingType
    moment: str
    channel: str
    count: int
    visits: int
    mean_intensity: float

    @property
    def score(self) -> float:
        return self.count * self.mean_intensity


@dataclass(frozen=True)
class VisitsReport:
    """A journey seen through its visits; cells are (moment id, channel id)."""

    visits: int
    observations: int
    ratings: tuple[CellStat, ...]
    waits: tuple[CellStat, ...]
    irritants: tuple[Irritant, ...]
    uncovered: tuple[tuple[str, str], ...]
    covered: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    def rating_matrix(self, journey: Journey) -> list[list[float | None]]:
        """Mean ratings with one row per channel and one column per moment (None: no rating)."""
        by_cell = {(s.moment, s.channel): s.mean for s in self.ratings}
        return [[by_cell.get((m.id, c.id)) for m in journey.moments] for c in journey.channels]

    def rating_counts(self, journey: Journey) -> list[list[int]]:
        by_cell = {(s.moment, s.channel): s.count for s in self.ratings}
        return [[by_cell.get((m.id, c.id), 0) for m in journey.moments] for c in journey.channels]


def visits_report(journey: Journey, visits: Sequence[Visit], *, top: int = 10) -> VisitsReport:
    """Return the report of `visits` on `journey`, cells in board order.

    Irritants are grouped by cell and text (accents, case and spacing folded) and ranked by
    frequency × mean intensity; uncovered cells are the board's touchpoint cells no
    observation reached.
    """
    order = _cell_order(journey)
    pairs = [(v, o) for v in visits for o in v.observations]
    ratings = _stats(((o, o.rating) for _, o in pairs), order)
    waits = _stats(((o, o.wait_minutes) for _, o in pairs), order)
    covered = frozenset((o.moment, o.channel) for _, o in pairs)
    cells = sorted({(tp.moment, tp.channel) for tp in journey.touchpoints}, key=order)
    return VisitsReport(
        visits=len(visits),
        observations=len(pairs),
        ratings=ratings,
        waits=tuple(sorted(waits, key=lambda s: (-s.mean, order((s.moment, s.channel))))),
        irritants=_irritants(pairs, top),
        uncovered=tuple(c for c in cells if c not in covered),
        covered=covered,
    )


def _cell_order(journey: Journey) -> CellKey:
    moments = {m.id: i for i, m in enumerate(journey.moments)}
    channels = {c.id: i for i, c in enumerate(journey.channels)}
    far = len(moments) + len(channels) + 1

    def key(cell: tuple[str, str]) -> tuple[int, int, str, str]:
        return (channels.get(cell[1], far), moments.get(cell[0], far), cell[1], cell[0])

    return key


def _stats(
    values: Iterable[tuple[Observation, float | None]], order: CellKey
) -> tuple[CellStat, ...]:
    by_cell: dict[tuple[str, str], list[float]] = {}
    for obs, value in values:
        if value is not None:
            by_cell.setdefault((obs.moment, obs.channel), []).append(float(value))
    return tuple(
        CellStat(cell[0], cell[1], len(v), mean(v), max(v))
        for cell, v in sorted(by_cell.items(), key=lambda item: order(item[0]))
    )


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).casefold().split())


def _irritants(pairs: list[tuple[Visit, Observation]], top: int) -> tuple[Irritant, ...]:
    groups: dict[tuple[str, str, str], list[tuple[Visit, Observation]]] = {}
    for visit, obs in pairs:
        if obs.type in PROBLEMS:
            groups.setdefault((obs.moment, obs.channel, _fold(obs.text)), []).append((visit, obs))
    found = [
        Irritant(
            text=members[0][1].text,
            type=max((o.type for _, o in members), key=lambda t: t is FindingType.BREAK),
            moment=key[0],
            channel=key[1],
            count=len(members),
            visits=len({v.id for v, _ in members}),
            mean_intensity=mean(o.intensity for _, o in members),
        )
        for key, members in groups.items()
    ]
    found.sort(key=lambda i: (-i.score, -i.count, i.text))
    return tuple(found[:top])

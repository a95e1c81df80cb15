"""Pure analysis of a journey: counts, emotion curve, flow graph, breaks, dead ends, gaps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from journeys.contract.model import FindingType, Journey, Touchpoint, TouchpointStatus


@dataclass(frozen=True)
class Counts:
    """How many touchpoints and findings of each type (a moment's or a whole journey's)."""

    touchpoints: int = 0
    delights: int = 0
    irritants: int = 0
    breaks: int = 0

    @property
    def findings(self) -> int:
        return self.delights + self.irritants + self.breaks


@dataclass(frozen=True)
class EmotionPoint:
    """One point of the emotion curve: a moment and its score (delights − problems)."""

    moment: str
    label: str
    key: bool
    score: int
    delight: int
    pain: int


@dataclass(frozen=True)
class ChannelBreak:
    """A flow marked as a break, with the channels it leaves and enters."""

    source: str
    target: str
    from_channel: str
    to_channel: str

    @property
    def crosses_channel(self) -> bool:
        return self.from_channel != self.to_channel


@dataclass(frozen=True)
class Gap:
    """A hole in the board: an empty cell, or a touchpoint missing or badly handled."""

    moment: str
    channel: str
    kind: str  # "empty" | "missing" | "poorly_handled"
    touchpoint: str | None = None


def _count(touchpoints: Iterable[Touchpoint]) -> Counts:
    n = d = i = b = 0
    for touchpoint in touchpoints:
        n += 1
        for finding in touchpoint.findings:
            if finding.type is FindingType.DELIGHT:
                d += 1
            elif finding.type is FindingType.IRRITANT:
                i += 1
            else:
                b += 1
    return Counts(touchpoints=n, delights=d, irritants=i, breaks=b)


def journey_counts(journey: Journey) -> Counts:
    """Return the totals of a journey (touchpoints, delights, irritants, breaks)."""
    return _count(journey.touchpoints)


def counts_by_moment(journey: Journey) -> dict[str, Counts]:
    """Return the counts of every moment, keyed by moment id, in the board's order."""
    return {
        moment.id: _count(tp for tp in journey.touchpoints if tp.moment == moment.id)
        for moment in journey.moments
    }


def touchpoints_by_cell(journey: Journey) -> dict[tuple[str, str], list[Touchpoint]]:
    """Return the touchpoints of each (moment, channel) cell, in document order."""
    cells: dict[tuple[str, str], list[Touchpoint]] = {}
    for touchpoint in journey.touchpoints:
        cells.setdefault((touchpoint.moment, touchpoint.channel), []).append(touchpoint)
    return cells


def emotion_curve(journey: Journey) -> list[EmotionPoint]:
    """Return, per moment, the sum of delight intensities minus irritant and break ones."""
    delight: dict[str, int] = {m.id: 0 for m in journey.moments}
    pain: dict[str, int] = {m.id: 0 for m in journey.moments}
    for touchpoint in journey.touchpoints:
        for finding in touchpoint.findings:
            bucket = delight if finding.type is FindingType.DELIGHT else pain
            bucket[touchpoint.moment] = bucket.get(touchpoint.moment, 0) + finding.intensity
    return [
        EmotionPoint(m.id, m.label, m.key, delight[m.id] - pain[m.id], delight[m.id], pain[m.id])
        for m in journey.moments
    ]


def pain_matrix(journey: Journey) -> list[list[int]]:
    """Return irritant + break intensities per cell: one row per channel, one column per moment."""
    col = {m.id: j for j, m in enumerate(journey.moments)}
    row = {c.id: i for i, c in enumerate(journey.channels)}
    matrix = [[0] * len(journey.moments) for _ in journey.channels]
    for touchpoint, finding in ((tp, f) for tp in journey.touchpoints for f in tp.findings):
        if finding.type is not FindingType.DELIGHT:
            matrix[row[touchpoint.channel]][col[touchpoint.moment]] += finding.intensity
    return matrix


def flow_graph(journey: Journey) -> nx.DiGraph:
    """Return the flow of the subscriber: touchpoints as nodes, flows as edges.

    Nodes carry `moment`, `channel`, `label`, `status` and `column` (the moment's index);
    edges carry `break` and `label`.
    """
    column = {m.id: j for j, m in enumerate(journey.moments)}
    graph = nx.DiGraph()
    for tp in journey.touchpoints:
        graph.add_node(
            tp.id,
            moment=tp.moment,
            channel=tp.channel,
            label=tp.label,
            status=tp.status.value,
            column=column.get(tp.moment, 0),
        )
    for flow in journey.flows:
        graph.add_edge(flow.from_, flow.to, **{"break": flow.break_, "label": flow.label or ""})
    return graph


def channel_breaks(journey: Journey) -> list[ChannelBreak]:
    """Return the flows marked as breaks, in document order."""
    channel = {tp.id: tp.channel for tp in journey.touchpoints}
    return [
        ChannelBreak(f.from_, f.to, channel[f.from_], channel[f.to])
        for f in journey.flows
        if f.break_
    ]


def dead_ends(journey: Journey) -> list[str]:
    """Return touchpoints the flow enters but never leaves, before the last moment.

    A journey without flows has no dead ends: nobody has drawn the flow yet.
    """
    graph = flow_graph(journey)
    if graph.number_of_edges() == 0 or not journey.moments:
        return []
    last = len(journey.moments) - 1
    return [
        node
        for node, data in graph.nodes(data=True)
        if graph.in_degree(node) > 0 and graph.out_degree(node) == 0 and data["column"] < last
    ]


def unreachable(journey: Journey) -> list[str]:
    """Return touchpoints no flow reaches from a touchpoint of the first moment with flows."""
    graph = flow_graph(journey)
    if graph.number_of_edges() == 0:
        return []
    linked = [n for n in graph.nodes if graph.degree(n) > 0]
    first = min(graph.nodes[n]["column"] for n in linked)
    starts = [n for n in linked if graph.nodes[n]["column"] == first]
    reached: set[str] = set(starts)
    for start in starts:
        reached |= nx.descendants(graph, start)
    return [n for n in linked if n not in reached]


def empty_cells(journey: Journey) -> list[tuple[str, str]]:
    """Return the (moment, channel) cells with no touchpoint, row by row."""
    cells = touchpoints_by_cell(journey)
    return [
        (m.id, c.id) for c in journey.channels for m in journey.moments if (m.id, c.id) not in cells
    ]


def gaps(journey: Journey) -> list[Gap]:
    """Return the empty cells and the missing or poorly handled touchpoints."""
    found = [Gap(m, c, "empty") for m, c in empty_cells(journey)]
    for tp in journey.touchpoints:
        if tp.status in (TouchpointStatus.MISSING, TouchpointStatus.POORLY_HANDLED):
            found.append(Gap(tp.moment, tp.channel, tp.status.value, tp.id))
    return found


def moments_without_touchpoints(journey: Journey) -> list[str]:
    """Return moments where the subscriber meets nothing at all — the widest gaps."""
    return [m for m, counts in counts_by_moment(journey).items() if counts.touchpoints == 0]

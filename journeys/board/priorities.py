"""What matters most in a journey: its strongest irritants and breaks, and the improvement
axes that address the most weight of them (intensity, times votes once the workshop records
some)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from journeys.contract.model import Finding, FindingStatus, FindingType, Journey, Touchpoint

PROBLEMS = (FindingType.BREAK, FindingType.IRRITANT)
TOP_IMPROVEMENTS = 5


def votes(finding: Finding) -> int:
    """The votes a finding received in the workshop: none yet (the contract has no votes);
    the ranking already orders by them so that they count the day they are recorded."""
    return int(getattr(finding, "votes", 0) or 0)


def weight(finding: Finding) -> int:
    """How much a problem matters: its intensity, times its votes when it has some."""
    return finding.intensity * max(1, votes(finding))


@dataclass(frozen=True)
class Problem:
    """An irritant or a break where it sits on the board, in words."""

    finding: Finding
    touchpoint: Touchpoint
    moment: str
    channel: str


@dataclass(frozen=True)
class Improvement:
    """An improvement axis and the problems it addresses; `score` is their summed weight."""

    text: str
    score: int
    problems: tuple[Problem, ...]

    @property
    def moments(self) -> list[str]:
        return list(dict.fromkeys(p.moment for p in self.problems))


def problems(journey: Journey) -> list[Problem]:
    """The journey's open irritants and breaks (not those marked resolved), in board order."""
    moments = {m.id: m.label for m in journey.moments}
    channels = {c.id: c.label for c in journey.channels}
    order = {m.id: i for i, m in enumerate(journey.moments)}
    found = [
        Problem(f, tp, moments.get(tp.moment, tp.moment), channels.get(tp.channel, tp.channel))
        for tp in journey.touchpoints
        for f in tp.findings
        if f.type in PROBLEMS and f.status is not FindingStatus.RESOLVED
    ]
    return sorted(found, key=lambda p: order.get(p.touchpoint.moment, len(order)))


def top_problems(journey: Journey, limit: int) -> list[Problem]:
    """The `limit` strongest problems: by intensity, then votes, breaks before irritants, then
    in board order."""
    ranked = sorted(
        problems(journey),
        key=lambda p: (-p.finding.intensity, -votes(p.finding), PROBLEMS.index(p.finding.type)),
    )
    return ranked[:limit]


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def top_improvements(
    journey: Journey, current: Journey | None = None, limit: int = TOP_IMPROVEMENTS
) -> list[Improvement]:
    """The improvement axes that matter most: those whose problems weigh most together
    (intensity × votes, summed), then those addressing more problems. A target journey's
    plan also holds the axes of its current journey's problems (which the target resolves)."""
    found = problems(journey)
    if current is not None:
        seen = {(p.touchpoint.id, _fold(p.finding.text)) for p in found}
        found += [
            p for p in problems(current) if (p.touchpoint.id, _fold(p.finding.text)) not in seen
        ]
    groups: dict[str, list[Problem]] = {}
    for problem in found:
        text = (problem.finding.improvement or "").strip()
        if text:
            groups.setdefault(_fold(text), []).append(problem)
    axes = [
        Improvement(
            (group[0].finding.improvement or "").strip(),
            sum(weight(p.finding) for p in group),
            tuple(group),
        )
        for group in groups.values()
    ]
    axes.sort(key=lambda a: (-a.score, -len(a.problems)))
    return axes[:limit]

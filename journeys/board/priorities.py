"""What matters most in a journey: its strongest irritants and breaks, and the improvement
axes that address the most weight of them (intensity, times the dots the workshop's vote put
on them)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from journeys.contract.model import Finding, FindingStatus, FindingType, Journey, Touchpoint

PROBLEMS = (FindingType.BREAK, FindingType.IRRITANT)
TOP_IMPROVEMENTS = 5

VoteKey = tuple[str, str]
"""Where a finding's dots are counted: its touchpoint's id and its text, folded (case and
accents), so that a target journey's copy of a finding is the same finding as the current
journey's one the room voted on."""

Votes = Mapping[VoteKey, int]
NO_VOTES: Votes = MappingProxyType({})


def vote_key(touchpoint_id: str, finding: Finding) -> VoteKey:
    """The key of a finding in a Votes mapping (see workshop.votes.journey_votes)."""
    return touchpoint_id, _fold(finding.text)


@dataclass(frozen=True)
class Problem:
    """An irritant or a break where it sits on the board, in words."""

    finding: Finding
    touchpoint: Touchpoint
    moment: str
    channel: str
    votes: int = 0

    @property
    def weight(self) -> int:
        """How much it matters: its intensity, times its dots when it has some."""
        return self.finding.intensity * max(1, self.votes)


@dataclass(frozen=True)
class Improvement:
    """An improvement axis and the problems it addresses; `score` is their summed weight."""

    text: str
    score: int
    problems: tuple[Problem, ...]

    @property
    def moments(self) -> list[str]:
        return list(dict.fromkeys(p.moment for p in self.problems))


def problems(journey: Journey, votes: Votes = NO_VOTES) -> list[Problem]:
    """The journey's open irritants and breaks (not those marked resolved), in board order,
    each with its dots in `votes`."""
    moments = {m.id: m.label for m in journey.moments}
    channels = {c.id: c.label for c in journey.channels}
    order = {m.id: i for i, m in enumerate(journey.moments)}
    found = [
        Problem(
            f,
            tp,
            moments.get(tp.moment, tp.moment),
            channels.get(tp.channel, tp.channel),
            votes.get(vote_key(tp.id, f), 0) if votes else 0,
        )
        for tp in journey.touchpoints
        for f in tp.findings
        if f.type in PROBLEMS and f.status is not FindingStatus.RESOLVED
    ]
    return sorted(found, key=lambda p: order.get(p.touchpoint.moment, len(order)))


def top_problems(journey: Journey, limit: int, votes: Votes = NO_VOTES) -> list[Problem]:
    """The `limit` problems that matter most: those the room put most dots on first (`votes`),
    then by intensity, breaks before irritants, then in board order. Without votes: the
    strongest first."""
    ranked = sorted(
        problems(journey, votes),
        key=lambda p: (-p.votes, -p.finding.intensity, PROBLEMS.index(p.finding.type)),
    )
    return ranked[:limit]


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def top_improvements(
    journey: Journey,
    current: Journey | None = None,
    limit: int = TOP_IMPROVEMENTS,
    votes: Votes = NO_VOTES,
) -> list[Improvement]:
    """The improvement axes that matter most: those whose problems weigh most together
    (intensity × dots in `votes`, summed), then those addressing more problems. A target
    journey's plan also holds the axes of its current journey's problems (which the target
    resolves)."""
    found = problems(journey, votes)
    if current is not None:
        seen = {vote_key(p.touchpoint.id, p.finding) for p in found}
        found += [
            p for p in problems(current, votes) if vote_key(p.touchpoint.id, p.finding) not in seen
        ]
    groups: dict[str, list[Problem]] = {}
    for problem in found:
        text = (problem.finding.improvement or "").strip()
        if text:
            groups.setdefault(_fold(text), []).append(problem)
    axes = [
        Improvement(
            (group[0].finding.improvement or "").strip(),
            sum(p.weight for p in group),
            tuple(group),
        )
        for group in groups.values()
    ]
    axes.sort(key=lambda a: (-a.score, -len(a.problems)))
    return axes[:limit]

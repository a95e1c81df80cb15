"""Pure: a dry run of relationship programs over a population, before any message is sent.

Subscribers enter through the triggers (a start, a term end, an event), then move along the
links, round after round: each step computes when it falls due for all the entries waiting at
it at once (numpy arrays: a loop per step, never one per subscriber), drops those whose
subscription ended first, sends its message, and splits decisions by exact quotas. Only what
falls in the horizon is counted; the past is walked through so that the horizon's first day
finds subscribers already on their way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

import numpy as np

from journeys.contract.model import Anchor, Link, Program, Step, StepKind, reached_by_event
from journeys.programs.dryrun_entries import (
    Batch,
    Window,
    admitted,
    cycles,
    term_days,
    trigger_entries,
    window_of,
)
from journeys.programs.dryrun_model import (
    DAY,
    NEVER,
    Assumptions,
    DryRun,
    EventRate,
    Note,
    Population,
    ProgramRun,
    Sends,
    StepVolume,
    add_months,
)
from journeys.programs.dryrun_shares import branching, event_rate, split

__all__ = ["dry_run", "horizon_days", "is_contact"]

TERMINAL = frozenset({StepKind.EXIT, StepKind.GOAL})
# counters kept by step, in this order
ENTERED, REACHED, LEFT, WAITING, ENDED, CARRIED, GOAL, UNDUE = range(8)


def horizon_days(day0: date, months: int) -> int:
    return (add_months(day0, months) - day0).days


def is_contact(step: Step) -> bool:
    """A step that reaches the subscriber: a message, or an action on a channel (a call)."""
    return step.kind is StepKind.MESSAGE or (step.kind is StepKind.ACTION and bool(step.channel))


def dry_run(
    programs: Sequence[Program],
    population: Population,
    assumptions: Assumptions,
    *,
    journey_type: str | None = None,
) -> DryRun:
    """Run `population` through `programs` over `assumptions.months` from its first day."""
    days = horizon_days(population.day0, assumptions.months)
    rng = np.random.default_rng(assumptions.seed)
    registry = _Registry()
    runs = []
    for program in programs:
        walk = _Walk(program, population, assumptions, days, rng, journey_type, registry)
        runs.append(walk.run())
    return DryRun(tuple(runs), registry.sends(), population, assumptions, days)


class _Registry:
    """Sends of every program, with shared channel and step codes."""

    def __init__(self) -> None:
        self.channels: dict[str, int] = {}
        self.steps: dict[tuple[str, str], int] = {}
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, int, int]] = []

    def add(self, program: str, step: Step, sub: np.ndarray, day: np.ndarray, hour: np.ndarray):
        channel = self.channels.setdefault(step.channel or "", len(self.channels))
        code = self.steps.setdefault((program, step.id), len(self.steps))
        self.parts.append((sub, day, hour, channel, code))

    def sends(self) -> Sends:
        """The parts in one array per field, each written once, in the walk's own narrow
        types (millions of sends: every copy and every fresh page counts); a part's channel
        and step codes repeated over its length rather than filled part by part."""
        parts = self.parts
        sizes = [len(part[0]) for part in parts]

        def joined(i: int, kind: type) -> np.ndarray:
            return (
                np.concatenate([part[i] for part in parts], dtype=kind)
                if parts
                else np.empty(0, kind)
            )

        def repeated(i: int) -> np.ndarray:
            return np.repeat(np.array([part[i] for part in parts], DAY), sizes)

        sub, day, hour = joined(0, DAY), joined(1, DAY), joined(2, np.float32)
        channel, step = repeated(3), repeated(4)
        return Sends(sub, day, hour, channel, step, tuple(self.channels), tuple(self.steps))


class _Walk:
    """One program's dry run."""

    def __init__(
        self,
        program: Program,
        pop: Population,
        assumptions: Assumptions,
        days: int,
        rng: np.random.Generator,
        journey_type: str | None,
        registry: _Registry,
    ) -> None:
        self.program, self.pop, self.a, self.days, self.rng = program, pop, assumptions, days, rng
        self.registry = registry
        self.steps = {s.id: s for s in program.steps}
        self.outs: dict[str, list[Link]] = {}
        for link in program.links:
            if link.from_ in self.steps and link.to in self.steps:
                self.outs.setdefault(link.from_, []).append(link)
        self.branchings = {
            sid: branching(program, self.steps[sid], links, assumptions, pop.evidence)
            for sid, links in self.outs.items()
            if len(links) > 1
        }
        self.term = term_days(program, pop, assumptions, journey_type).astype(DAY)
        self.end = pop.end.astype(DAY)
        self.cycles = cycles(program, assumptions, journey_type)
        self.events: dict[str, tuple[int, EventRate]] = {}
        self.counts = {sid: np.zeros(8, np.int64) for sid in self.steps}
        self.links: Counter[tuple[str, str]] = Counter()
        self.notes: list[Note] = []
        self.assumed_at_arrival: dict[str, list[str]] = {}  # event -> steps
        self.started_at_arrival: set[str] = set()
        self.goals = [s for s in program.steps if reached_by_event(s)]

    def _window(self, trigger: Step) -> Window:
        return window_of(
            trigger, self.outs, self.steps, self.term, self.cycles, self.days, self.a.moment_hours
        )

    def _event(self, name: str) -> tuple[int, EventRate]:
        if name not in self.events:
            rate = event_rate(name, self.a, self.pop.evidence)
            self.events[name] = (len(self.events), rate)
        return self.events[name]

    # --- the walk ------------------------------------------------------------------------

    def run(self) -> ProgramRun:
        pending: dict[str, list[Batch]] = {}
        triggers = [s for s in self.program.steps if s.kind is StepKind.TRIGGER]
        for step in triggers:
            chosen, unchecked = admitted(step, self.pop)
            if unchecked:
                self.notes.append(Note("entry_unchecked", {"step": step.id, "criteria": unchecked}))
            code, rate = -1, 0.0
            if step.timing is not None and step.timing.anchor is Anchor.EVENT:
                code, found = self._event(str(step.timing.event))
                rate = found.per_year
            window = self._window(step)
            batch = trigger_entries(step, self.pop, chosen, window, self.rng, rate, code)
            pending.setdefault(step.id, []).append(self._with_goals(batch))
        for _ in range(4 * len(self.steps) + 8):
            if not pending:
                break
            following: dict[str, list[Batch]] = {}
            for sid, parts in pending.items():
                self._visit(self.steps[sid], Batch.joined(parts), following)
            pending = following
        for sid, parts in pending.items():  # a loop that does not move time on: stopped
            stuck = Batch.joined(parts)
            present = int((stuck.arrive < self.days).sum())
            self.counts[sid][[ENTERED, WAITING]] += present
            self.notes.append(Note("loop_stopped", {"step": sid, "subscribers": present}))
        return self._result([s.id for s in triggers])

    def _with_goals(self, batch: Batch) -> Batch:
        """Each entry's first goal event after it enters (goals anchored on an event)."""
        if not self.goals or not len(batch):
            return batch
        best = np.full(len(batch), NEVER, np.int64)
        which = np.full(len(batch), -1, DAY)
        for index, goal in enumerate(self.goals):
            assert goal.timing is not None
            per_year = self._event(str(goal.timing.event))[1].per_year
            if per_year <= 0:
                continue
            wait = np.ceil(self.rng.exponential(365.25 / per_year, len(batch))).astype(np.int64)
            day = batch.arrive + wait + goal.timing.offset_days
            sooner = day < best
            best, which = np.where(sooner, day, best), np.where(sooner, index, which)
        best = np.minimum(best, NEVER).astype(DAY)  # a goal centuries away never comes
        return Batch(**{**batch.__dict__, "goal_day": best, "goal": which})

    def _due(self, step: Step, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        """When the step falls due for each entry, and the hour of sends made at once."""
        timing, arrive = step.timing, batch.arrive
        if timing is None or step.kind is StepKind.GOAL:  # a link to a goal reaches it at once
            return arrive, batch.hour
        k = timing.offset_days
        if timing.anchor is Anchor.START:
            due = np.maximum(arrive, batch.cycle + k)
            late = (batch.event >= 0) & (batch.cycle + k < arrive)
            if late.any():  # from an event (a prospect subscribing): the subscription starts now
                batch.cycle[late] = arrive[late] - k
                self.started_at_arrival.add(step.id)
        elif timing.anchor is Anchor.TERM_END:
            term = self.term.take(batch.sub)
            safe = np.where(term > 0, term, 1)
            j = np.maximum(1, -((batch.cycle + k - arrive) // safe))
            due = np.where(term > 0, batch.cycle + j * term + k, NEVER)
        else:
            code = self._event(str(timing.event))[0]
            same = batch.event == code
            if not same.all():  # an event no trigger brought: assumed when the step is reached
                steps = self.assumed_at_arrival.setdefault(str(timing.event), [])
                if step.id not in steps:
                    steps.append(step.id)
            due = np.maximum(arrive, np.where(same, batch.event_day + k, arrive + k))
        return due, np.where(due == arrive, batch.hour, -1.0)

    def _visit(self, step: Step, batch: Batch, following: dict[str, list[Batch]]) -> None:
        days, count = self.days, self.counts[step.id]
        due, hour = self._due(step, batch)
        leave, early = self._leaving(step, batch, due)  # early: 1 ended first, 2 goal first
        present = (batch.arrive < days) & (leave >= 0)
        due_now = (due >= 0) & (due < days)
        now = due_now if early is None else due_now & (early == 0)
        count[ENTERED] += np.count_nonzero(present)
        count[REACHED] += np.count_nonzero(now)
        count[CARRIED] += np.count_nonzero(present & (batch.arrive < 0))
        count[WAITING] += np.count_nonzero(present & (leave >= days))
        if step.timing is not None and step.timing.anchor is Anchor.TERM_END:
            count[UNDUE] += np.count_nonzero(present & (due >= NEVER // 2))
        if early is not None:
            gone = (leave >= 0) & (leave < days)
            ended, goal = gone & (early == 1), gone & (early == 2)
            count[[ENDED, GOAL]] += [np.count_nonzero(ended), np.count_nonzero(goal)]
            count[LEFT] += np.count_nonzero(ended) + np.count_nonzero(goal)
            if goal.any():
                self._reach_goals(step.id, batch.goal[goal])
        if is_contact(step) and now.any():
            self.registry.add(self.program.id, step, batch.sub[now], due[now], hour[now])
        outs = self.outs.get(step.id, [])
        if step.kind in TERMINAL or not outs:
            count[LEFT] += np.count_nonzero(now)
            return
        moving = due < days if early is None else (due < days) & (early == 0)
        index = np.flatnonzero(moving)
        if not len(index):
            return
        moved = batch.take(index, arrive=due.take(index), hour=hour.take(index))
        inside = moved.arrive >= 0
        if len(outs) == 1:
            self._move(step.id, outs[0].to, moved, inside, following)
            return
        shares = self.branchings[step.id].shares
        branch = np.empty(len(moved), np.int64)
        for stratum in (inside, ~inside):  # exact quotas inside the horizon
            where = np.flatnonzero(stratum)
            branch[where] = split(shares, len(where), self.rng)
        for number, link in enumerate(outs):
            pick = branch == number
            self._move(step.id, link.to, moved.take(pick), inside[pick], following)

    def _leaving(
        self, step: Step, batch: Batch, due: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """The day each entry leaves the step, and why when before it falls due (None: all
        stay until then): 1, the subscription ended first (only steps anchored on the start
        wait for a running subscription: the term end and events also reach those who
        left), 2, a goal's event took them out first."""
        leave, early = due, None
        if step.timing is not None and step.timing.anchor is Anchor.START:
            end = self.end.take(batch.sub)
            first = end <= due
            if first.any():
                leave = np.where(first, np.maximum(batch.arrive, end), due)
                early = first.astype(np.int8)
        if self.goals:
            hit = (batch.goal >= 0) & (batch.goal_day <= leave)
            if hit.any():
                leave = np.where(hit, batch.goal_day, leave)
                early = np.where(hit, 2, 0 if early is None else early).astype(np.int8)
        return leave, early

    def _move(
        self, source: str, target: str, moved: Batch, inside: np.ndarray, following: dict
    ) -> None:
        if len(moved):
            following.setdefault(target, []).append(moved)
        self.links[(source, target)] += int(inside.sum())

    def _reach_goals(self, source: str, goals: np.ndarray) -> None:
        for index, n in enumerate(np.bincount(goals, minlength=len(self.goals))):
            if n:
                goal = self.goals[index].id
                self.counts[goal][[ENTERED, REACHED, LEFT]] += n
                self.links[(source, goal)] += int(n)

    def _result(self, triggers: list[str]) -> ProgramRun:
        counted = self.pop.counted
        volumes = {
            sid: StepVolume(
                sid,
                entered=counted(c[ENTERED]),
                reached=counted(c[REACHED]),
                left=counted(c[LEFT]),
                waiting=counted(c[WAITING]),
                ended=counted(c[ENDED]),
                carried=counted(c[CARRIED]),
                goal=counted(c[GOAL]),
            )
            for sid, c in self.counts.items()
        }
        notes = list(self.notes)
        for sid, c in self.counts.items():
            if c[UNDUE]:
                notes.append(Note("no_term_end", {"step": sid, "subscribers": counted(c[UNDUE])}))
        notes += [
            Note("event_at_arrival", {"event": event, "steps": steps})
            for event, steps in self.assumed_at_arrival.items()
        ]
        if self.started_at_arrival:
            ordered = [s.id for s in self.program.steps if s.id in self.started_at_arrival]
            notes.append(Note("start_at_arrival", {"steps": ordered}))
        if self.cycles:
            notes.append(Note("cycles"))
        return ProgramRun(
            program_id=self.program.id,
            title=self.program.title,
            steps=volumes,
            links={key: counted(n) for key, n in self.links.items()},
            branchings=tuple(self.branchings.values()),
            events=tuple(rate for _, rate in self.events.values()),
            triggers=tuple(triggers),
            notes=tuple(notes),
        )

"""Where subscribers come into a program in a dry run: a batch of entries (arrays, one item per
subscriber passing through a step) and the entries each trigger makes — at a subscription's
start (and each term's, when a renewal starts a new cycle), at a term end, at an event."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from journeys.contract.model import Anchor, Link, Program, Step
from journeys.programs.dryrun_model import DAY, MONTH_DAYS, NEVER, Assumptions, Population

OPEN_ENDED = frozenset({"sepa_open_ended", "add_on_purchase"})
CYCLING = frozenset({"fixed_term_renewal"})


@dataclass(frozen=True)
class Batch:
    """Entries on their way: the subscriber, the day they arrive at a step, the start of their
    cycle (the subscription's, or the term's), the day and code of the event that brought them
    (-1: none), the local hour of the moment they follow at once (-1: planned sends) and the
    day a goal takes them out (NEVER: none) with the goal's index."""

    sub: np.ndarray
    arrive: np.ndarray
    cycle: np.ndarray
    event_day: np.ndarray
    event: np.ndarray
    hour: np.ndarray
    goal_day: np.ndarray
    goal: np.ndarray

    def __len__(self) -> int:
        return int(len(self.sub))

    def take(self, which: np.ndarray, **changed: np.ndarray) -> Batch:
        """The entries chosen by a mask or by indexes, with some fields replaced (already
        chosen): indexes once, so that eight arrays are not each filtered by a mask."""
        index = np.flatnonzero(which) if which.dtype == bool else which
        values = {n: getattr(self, n).take(index) for n in _FIELDS if n not in changed}
        return Batch(**values, **changed)

    @staticmethod
    def joined(batches: Sequence[Batch]) -> Batch:
        if len(batches) == 1:
            return batches[0]
        return Batch(**{n: np.concatenate([getattr(b, n) for b in batches]) for n in _FIELDS})


_FIELDS = ("sub", "arrive", "cycle", "event_day", "event", "hour", "goal_day", "goal")


def new_batch(
    sub: np.ndarray,
    arrive: np.ndarray,
    cycle: np.ndarray,
    hour: np.ndarray,
    event_day: np.ndarray | None = None,
    event: int = -1,
) -> Batch:
    n = len(sub)
    return Batch(
        sub=sub.astype(DAY),
        arrive=arrive.astype(DAY),
        cycle=cycle.astype(DAY),
        event_day=event_day.astype(DAY) if event_day is not None else np.full(n, -NEVER, DAY),
        event=np.full(n, event, DAY),
        hour=hour.astype(np.float32),
        goal_day=np.full(n, NEVER, DAY),
        goal=np.full(n, -1, DAY),
    )


@dataclass(frozen=True)
class Window:
    """What the entries of a trigger depend on: the horizon's length, how far back a moment
    can lie and still lead to a step in the horizon (by subscriber), the terms, whether each
    term starts a new cycle, the hours when moments happen."""

    days: int
    lookback: np.ndarray
    term_days: np.ndarray
    cycles: bool
    moment_hours: tuple[int, int]


def term_days(
    program: Program, pop: Population, assumptions: Assumptions, journey_type: str | None
) -> np.ndarray:
    """Each subscriber's term in days (0: open-ended): as stated, else the program's contract,
    else none for an open-ended kind of journey, else the population's own."""
    contract = getattr(program, "subscription", None)
    if assumptions.term_months is not None:
        months = assumptions.term_months
    elif contract is not None:
        months = contract.term_months or 0
    elif journey_type in OPEN_ENDED:
        months = 0
    else:
        return pop.term_days
    return np.full(pop.size, round(months * MONTH_DAYS), np.int64)


def cycles(program: Program, assumptions: Assumptions, journey_type: str | None) -> bool:
    """Whether each term starts the program again: as stated, else for fixed terms renewed
    (a renewal journey, or a contract renewed tacitly)."""
    if assumptions.cycle_each_term is not None:
        return assumptions.cycle_each_term
    contract = getattr(program, "subscription", None)
    return journey_type in CYCLING or bool(getattr(contract, "tacit_renewal", False))


def window_of(
    trigger: Step,
    outs: Mapping[str, list[Link]],
    steps: Mapping[str, Step],
    term: np.ndarray,
    cycles: bool,
    days: int,
    moment_hours: tuple[int, int],
) -> Window:
    """How far back the trigger's moments can lie and still lead to a step in the horizon,
    for each subscriber: the longest offset of the steps it leads to (plus the offsets of
    events no trigger brings, which add up) and the subscriber's term when a step is
    anchored on the term end."""
    seen, todo = {trigger.id}, [trigger.id]
    while todo:
        for link in outs.get(todo.pop(), []):
            if link.to not in seen:
                seen.add(link.to)
                todo.append(link.to)
    timed = [steps[sid].timing for sid in seen if steps[sid].timing is not None]
    own = trigger.timing.event if trigger.timing is not None else None
    fixed = [abs(t.offset_days) for t in timed if t and t.anchor is not Anchor.TERM_END]
    added = sum(abs(t.offset_days) for t in timed if t and t.event and t.event != own)
    to_term = [abs(t.offset_days) for t in timed if t and t.anchor is Anchor.TERM_END]
    lookback = np.full(len(term), max(fixed, default=0) + added + 31, np.int64)
    if to_term:
        lookback += term + max(to_term)
    return Window(days, lookback, term, cycles, moment_hours)


def _hours(rng: np.random.Generator, n: int, window: Window, immediate: bool) -> np.ndarray:
    if not immediate:
        return np.full(n, -1.0)
    low, high = window.moment_hours
    return low + rng.random(n) * (high - low)


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner index, rank within its owner) of each of `counts.sum()` items."""
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.cumsum(counts) - counts
    return owner, np.arange(len(owner)) - first[owner]


def start_entries(
    pop: Population, chosen: np.ndarray, offset: int, window: Window, rng: np.random.Generator
) -> Batch:
    """One entry per subscription start (and per term start with cycles) whose moment lies
    between `lookback` days before the horizon and its end."""
    subs = np.flatnonzero(chosen)
    start, end, term = pop.start[subs], pop.end[subs], window.term_days[subs]
    low, high = -window.lookback[subs] - offset, window.days - offset  # cycle start bounds
    if window.cycles:
        step = np.where(term > 0, term, 1)
        first = np.maximum(0, -((start - low) // step))  # ceil((low - start) / step)
        stop = np.minimum(end - 1, high - 1)
        last = np.where(term > 0, (stop - start) // step, np.where(start <= stop, 0, -1))
        counts = np.maximum(0, last - first + 1)
        owner, rank = _expand(counts)
        cycle = start[owner] + (first[owner] + rank) * np.where(term > 0, term, 0)[owner]
        subs = subs[owner]
    else:
        keep = (start >= low) & (start < high)
        subs, cycle = subs[keep], start[keep]
    due = cycle + offset
    return new_batch(subs, due, cycle, _hours(rng, len(subs), window, offset == 0))


def term_end_entries(
    pop: Population, chosen: np.ndarray, offset: int, window: Window, rng: np.random.Generator
) -> Batch:
    """One entry per term end of a fixed-term subscription still running then, `offset` days
    away, falling between `lookback` days before the horizon and its end."""
    subs = np.flatnonzero(chosen & (window.term_days > 0))
    start, end, term = pop.start[subs], pop.end[subs], window.term_days[subs]
    low, high = -window.lookback[subs] - offset, window.days - offset  # term end bounds
    first = np.maximum(1, -((start - low) // term))
    last = (np.minimum(end, high - 1) - start) // term
    owner, rank = _expand(np.maximum(0, last - first + 1))
    term_end = start[owner] + (first[owner] + rank) * term[owner]
    subs = subs[owner]
    return new_batch(subs, term_end + offset, term_end - term[owner], np.full(len(subs), -1.0))


def event_entries(
    pop: Population,
    chosen: np.ndarray,
    offset: int,
    per_year: float,
    code: int,
    window: Window,
    rng: np.random.Generator,
) -> Batch:
    """Entries at each occurrence of an event (a Poisson process at `per_year` while the
    subscription runs), from `lookback` days before the horizon to its end. Drawn as their
    total, then each given to a subscriber in proportion to the time exposed: the same
    independent Poisson counts, without a draw per subscriber."""
    everyone = bool(chosen.all())
    subs = np.arange(pop.size) if everyone else np.flatnonzero(chosen)
    start, end = (pop.start, pop.end) if everyone else (pop.start[subs], pop.end[subs])
    lookback = window.lookback if everyone else window.lookback[subs]
    low = np.maximum(start, -lookback)
    exposure = np.maximum(np.minimum(end, window.days) - low, 0)
    expected = np.cumsum(exposure * (per_year / 365.25))
    total = int(rng.poisson(expected[-1])) if len(expected) else 0
    drawn = np.sort(rng.random(total)) * (expected[-1] if total else 0.0)  # sorted: fast search
    owner = np.minimum(np.searchsorted(expected, drawn, "right"), len(expected) - 1)
    day = low[owner] + np.floor(rng.random(total) * exposure[owner]).astype(np.int64)
    subs = subs[owner]
    term = window.term_days[subs]
    start = pop.start[subs]
    cycle = np.where(term > 0, start + (day - start) // np.where(term > 0, term, 1) * term, start)
    hours = _hours(rng, len(subs), window, offset == 0)
    return new_batch(subs, day + offset, cycle, hours, event_day=day, event=code)


def trigger_entries(
    step: Step,
    pop: Population,
    chosen: np.ndarray,
    window: Window,
    rng: np.random.Generator,
    rate: float,
    code: int,
) -> Batch:
    """The entries a trigger step makes (a trigger without timing fires at the start)."""
    timing = step.timing
    offset = timing.offset_days if timing else 0
    if timing is None or timing.anchor is Anchor.START:
        return start_entries(pop, chosen, offset, window, rng)
    if timing.anchor is Anchor.TERM_END:
        return term_end_entries(pop, chosen, offset, window, rng)
    return event_entries(pop, chosen, offset, rate, code, window, rng)


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in plain if not unicodedata.combining(c))


def admitted(step: Step, pop: Population) -> tuple[np.ndarray, list[str]]:
    """Which subscribers a trigger's entry criteria let in, and the criteria that could not
    be checked (the population has no such column)."""
    chosen = np.ones(pop.size, dtype=bool)
    entry = getattr(step, "entry", None)
    if entry is None:
        return chosen, []
    unchecked = []
    criteria: Mapping[str, list[str]] = {
        "segment": entry.segment,
        "offer": entry.offer,
        "payment_method": entry.payment_method,
    }
    for kind, values in criteria.items():
        if not values:
            continue
        if kind == "segment":
            columns = [c for c in pop.segments if c not in pop.roles.values()] or list(pop.segments)
        else:
            columns = [pop.roles[kind]] if pop.roles.get(kind) in pop.segments else []
        if not columns:
            unchecked.append(kind)
            continue
        wanted = {_folded(v) for v in values}
        matches = np.zeros(pop.size, dtype=bool)
        for column in columns:
            codes, labels = pop.segments[column]
            hits = np.array([_folded(label) in wanted for label in labels] + [False])
            matches |= hits[codes]
        chosen &= matches
    return chosen, unchecked

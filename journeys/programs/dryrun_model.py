"""What a dry run reads and returns: the population (numpy arrays, one item per subscriber),
the stated assumptions, and the volumes by step, link and send. No computation here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

MONTH_DAYS = 30.4375
NEVER = 1 << 30  # a day that never comes (no term end, an event with no rate); fits int32
DAY = np.int32  # days and subscribers in a dry run's arrays: half the memory of int64
MAX_MONTHS = 36
MAX_SUBSCRIBERS = 5_000_000


def add_months(day: date, months: int) -> date:
    """The same day `months` months later (the 31st falls back to the month's last day)."""
    year, month = divmod(day.month - 1 + months, 12)
    first = date(day.year + year, month + 1, 1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first + timedelta(days=min(day.day, (following - first).days) - 1)


@dataclass(frozen=True)
class Evidence:
    """What a subscriber base says that a dry run can use: event rates per subscriber and year
    (keyed by the event's slug), the renewal rate at the 12-month term, reject codes."""

    base: str
    event_rates: Mapping[str, float] = field(default_factory=dict)
    event_labels: Mapping[str, str] = field(default_factory=dict)
    renewal_rate: float | None = None
    reject_codes: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Population:
    """Subscribers as arrays of days counted from `day0` (the horizon's first day).

    `start` and `end` of each subscription (`end` NEVER when it does not end in sight), its
    term in days (0: open-ended), and its segment values as codes into each column's labels.
    Each item stands for `scale` subscribers (1 unless a large base was sampled).
    """

    start: np.ndarray
    end: np.ndarray
    term_days: np.ndarray
    day0: date
    origin: str  # "count" | "base" | "rows"
    scale: float = 1.0
    segments: Mapping[str, tuple[np.ndarray, tuple[str, ...]]] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)  # "offer"/"payment_method" -> column
    evidence: Evidence | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)  # what the output states about it

    @property
    def size(self) -> int:
        return int(len(self.start))

    def counted(self, items: int | np.integer[Any] | float) -> int:
        """Subscribers that `items` population items stand for."""
        return int(round(float(items) * self.scale))


@dataclass(frozen=True)
class Assumptions:
    """What the user states, or what is assumed when nothing says otherwise.

    `shares`: per decision (step id, or "program-id/step-id"), the share of each branch in the
    order of its links; one number gives the first branch and splits the rest evenly.
    `event_rates`: occurrences per subscriber and year by event name. `term_months` None
    takes each subscriber's own term (or the program's, or 12); 0 means open-ended.
    """

    months: int = 12
    shares: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    event_rates: Mapping[str, float] = field(default_factory=dict)
    default_event_rate: float = 0.1
    term_months: int | None = None
    cycle_each_term: bool | None = None
    monthly_churn: float = 0.0
    moment_hours: tuple[int, int] = (7, 23)
    seed: int = 7

    def __post_init__(self) -> None:
        if not 1 <= self.months <= MAX_MONTHS:
            raise ValueError(f"months: from 1 to {MAX_MONTHS}")
        if not 0 <= self.monthly_churn < 1:
            raise ValueError("monthly churn: a share from 0 to 1")
        low, high = self.moment_hours
        if not 0 <= low < high <= 24:
            raise ValueError("moment hours: from 0 to 24, the first before the second")
        for name, rate in (*self.event_rates.items(), ("default", self.default_event_rate)):
            if not 0 <= rate <= 365:
                raise ValueError(f"event rate of {name[:60]!r}: from 0 to 365 a year")
        for key, values in self.shares.items():
            if not values or any(not 0 <= v <= 1 for v in values) or sum(values) > 1 + 1e-9:
                raise ValueError(f"shares of {key[:80]!r}: shares from 0 to 1, adding up to 1")


@dataclass(frozen=True)
class StepVolume:
    """Subscribers at one step during the horizon.

    `entered`: were at the step at some time in the horizon (`carried` of them were already
    waiting there on its first day); `reached`: the step fell due in the horizon (message sent,
    wait over, decision taken); `left`: left the program there (an exit or goal reached, a dead
    end, `ended`: the subscription ended before the step fell due, or `goal`: a goal's event
    took them out early); `waiting`: still there when the horizon ends.
    entered = reached + ended + goal + waiting (up to rounding when a base was sampled).
    """

    step: str
    entered: int = 0
    reached: int = 0
    left: int = 0
    waiting: int = 0
    ended: int = 0
    carried: int = 0
    goal: int = 0


@dataclass(frozen=True)
class Branching:
    """How a decision (or a step with several links) splits: a share per link, and where the
    shares come from: set (by the user), labels (percentages on the links), ab (an A/B split
    without shares: even), renewal / reject_codes (the base's data) or even (nothing said)."""

    step: str
    targets: tuple[str, ...]
    shares: tuple[float, ...]
    source: str
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    """Something the output states: a code for the catalogue and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EventRate:
    event: str
    per_year: float
    source: str  # "set" | "base" | "assumed"
    label: str = ""


@dataclass(frozen=True)
class ProgramRun:
    program_id: str
    title: str
    steps: Mapping[str, StepVolume]
    links: Mapping[tuple[str, str], int]  # (from, to) -> subscribers along it in the horizon
    branchings: tuple[Branching, ...]
    events: tuple[EventRate, ...]
    triggers: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()

    @property
    def entered(self) -> int:
        """Entries through the program's triggers during the horizon."""
        return sum(self.steps[k].reached for k in self.triggers if k in self.steps)


@dataclass(frozen=True)
class Sends:
    """Every message (or call) planned in the horizon, one item per send, as arrays.

    `hour`: the local hour when the send follows its moment at once (a subscription, an
    event), or -1 when it is planned (sent at the send hour). Codes index `channels` and
    `steps` (program id, step id)."""

    subscriber: np.ndarray
    day: np.ndarray
    hour: np.ndarray
    channel: np.ndarray
    step: np.ndarray
    channels: tuple[str, ...]
    steps: tuple[tuple[str, str], ...]

    @property
    def size(self) -> int:
        return int(len(self.day))


@dataclass(frozen=True)
class DryRun:
    runs: tuple[ProgramRun, ...]
    sends: Sends
    population: Population
    assumptions: Assumptions
    days: int
    notes: tuple[Note, ...] = ()

    @property
    def day0(self) -> date:
        return self.population.day0

    @property
    def last_day(self) -> date:
        return self.day0 + timedelta(days=self.days - 1)

"""The YAML contract (format journeys/v1) as strict pydantic models; no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

FORMAT: Literal["journeys/v1"] = "journeys/v1"
SUPPORTED_FORMATS = (FORMAT,)

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=80)]


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text, and no user means one: refuse it at the contract.
    if "\x00" in value:
        raise ValueError("text must not contain the NUL character (U+0000)")
    return value


Label = Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(_no_nul)]
Text = Annotated[str, StringConstraints(max_length=5000), AfterValidator(_no_nul)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


def _empty(value: Any) -> bool:
    return not value


class JourneyType(StrEnum):
    FIRST_SUBSCRIPTION = "first_subscription"
    FIXED_TERM_RENEWAL = "fixed_term_renewal"
    SEPA_OPEN_ENDED = "sepa_open_ended"
    ADD_ON_PURCHASE = "add_on_purchase"
    CUSTOM = "custom"


class JourneyState(StrEnum):
    CURRENT = "current"
    TARGET = "target"


class Objective(StrEnum):
    CONVERSION = "conversion"
    LIFETIME = "lifetime"
    BASKET = "basket"
    SATISFACTION = "satisfaction"
    RECOMMENDATION = "recommendation"


class TouchpointStatus(StrEnum):
    EXISTING = "existing"
    MISSING = "missing"
    POORLY_HANDLED = "poorly_handled"
    PLANNED = "planned"


class FindingType(StrEnum):
    DELIGHT = "delight"
    IRRITANT = "irritant"
    BREAK = "break"


class FindingStatus(StrEnum):
    OPEN = "open"
    PLANNED = "planned"
    RESOLVED = "resolved"


class Source(StrEnum):
    WORKSHOP = "workshop"
    MYSTERY_SHOPPER = "mystery_shopper"
    VERBATIM = "verbatim"
    DATA = "data"


class StepKind(StrEnum):
    TRIGGER = "trigger"
    WAIT = "wait"
    MESSAGE = "message"
    DECISION = "decision"
    ACTION = "action"
    EXIT = "exit"
    GOAL = "goal"  # an exit that counts as success; anchored on an event, reached from anywhere


class Purpose(StrEnum):
    """What a step is for, where a rule of law asks for it (see programs.compliance)."""

    RENEWAL_REMINDER = "renewal_reminder"  # notice before a tacitly renewed term (L215-1)
    PRE_NOTIFICATION = "pre_notification"  # a SEPA debit's amount and date, told beforehand
    SEPA_DEBIT = "sepa_debit"  # a SEPA direct debit presented to the bank (first or again)
    CANCELLATION = "cancellation"  # the subscriber asks to cancel
    CANCELLATION_CONFIRMATION = "cancellation_confirmation"  # receipt and end date, in writing


class Anchor(StrEnum):
    START = "start"
    TERM_END = "term_end"
    EVENT = "event"


class _Strict(BaseModel):
    """Unknown fields are refused: a typo like `touchpionts` must not pass silently."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)


# --- journey -----------------------------------------------------------------------------


class Moment(_Strict):
    id: Slug
    label: Label
    key: bool = Field(False, strict=True, exclude_if=_empty)
    description: Text | None = None
    kpi: Text | None = None  # a free KPI typed in the workshop (the board's KPI lane)


class Channel(_Strict):
    id: Slug
    label: Label
    description: Text | None = None


class Finding(_Strict):
    type: FindingType
    intensity: int = Field(ge=1, le=3, strict=True)
    text: Label
    source: Source = Source.WORKSHOP
    improvement: Text | None = None
    status: FindingStatus = Field(FindingStatus.OPEN, exclude_if=lambda v: v == FindingStatus.OPEN)
    visit: Slug | None = None


class Touchpoint(_Strict):
    id: Slug
    moment: Slug
    channel: Slug
    label: Label
    status: TouchpointStatus = TouchpointStatus.EXISTING
    owner: Text | None = None
    description: Text | None = None
    findings: list[Finding] = Field(default_factory=list, exclude_if=_empty)


class Flow(_Strict):
    from_: Slug = Field(alias="from")
    to: Slug
    break_: bool = Field(False, alias="break", strict=True, exclude_if=_empty)
    label: Text | None = None


class Journey(_Strict):
    format: Literal["journeys/v1"] = FORMAT
    kind: Literal["journey"] = "journey"
    id: Slug
    title: Label
    journey_type: JourneyType = JourneyType.CUSTOM
    state: JourneyState = JourneyState.CURRENT
    language: LanguageCode = "fr"
    derived_from: Slug | None = None
    persona: Text | None = None
    description: Text | None = None
    objectives: list[Objective] = Field(default_factory=list)
    moments: list[Moment] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    flows: list[Flow] = Field(default_factory=list, exclude_if=_empty)

    @model_validator(mode="after")
    def _references_resolve(self) -> Journey:
        _raise_problems(reference_problems(self, "journey"))
        return self


# A journey's own fields, apart from its grid (moments, channels, touchpoints, flows): what a
# header edit may change and what a comparison lists first.
JOURNEY_HEADER_FIELDS = (
    "title",
    "journey_type",
    "state",
    "language",
    "derived_from",
    "persona",
    "description",
    "objectives",
)

# --- program -----------------------------------------------------------------------------


class Timing(_Strict):
    anchor: Anchor
    offset_days: int = Field(0, ge=-3650, le=3650, strict=True)
    event: Slug | None = None

    @model_validator(mode="after")
    def _event_named_when_anchored_on_event(self) -> Timing:
        if self.anchor is Anchor.EVENT and not self.event:
            raise ValueError("anchor 'event' needs the name of the event in 'event'")
        if self.anchor is not Anchor.EVENT and self.event:
            raise ValueError("'event' is only allowed when anchor is 'event'")
        return self


class Phase(_Strict):
    id: Slug
    label: Label
    moment: Slug | None = None
    description: Text | None = None


EntryValues = Annotated[list[Label], Field(max_length=50)]


class Entry(_Strict):
    """Who a trigger lets in: each list is "any of", the lists combine with "and"; the values
    are those of the subscriber base's columns (segment columns, offer, payment method)."""

    segment: EntryValues = Field(default_factory=list, exclude_if=_empty)
    offer: EntryValues = Field(default_factory=list, exclude_if=_empty)
    payment_method: EntryValues = Field(default_factory=list, exclude_if=_empty)

    @model_validator(mode="after")
    def _says_something(self) -> Entry:
        if not (self.segment or self.offer or self.payment_method):
            raise ValueError("entry needs at least one of segment, offer, payment_method")
        return self


class Step(_Strict):
    id: Slug
    phase: Slug
    kind: StepKind
    label: Label
    channel: Slug | None = None
    timing: Timing | None = None
    purpose: Purpose | None = None
    entry: Entry | None = None
    kpi: Text | None = None
    description: Text | None = None

    @model_validator(mode="after")
    def _entry_only_on_a_trigger(self) -> Step:
        if self.entry is not None and self.kind is not StepKind.TRIGGER:
            raise ValueError("'entry' is only allowed on a trigger step")
        return self


class Link(_Strict):
    from_: Slug = Field(alias="from")
    to: Slug
    label: Text = Field("", exclude_if=_empty)


class Subscription(_Strict):
    """The contract the program's subscribers hold, as far as the law's checks need it."""

    term_months: int | None = Field(None, ge=1, le=120, strict=True)  # none: open-ended
    tacit_renewal: bool = Field(False, strict=True, exclude_if=_empty)
    prenotification_days: int | None = Field(None, ge=0, le=60, strict=True)  # SEPA, if agreed

    @model_validator(mode="after")
    def _renewal_needs_a_term(self) -> Subscription:
        if self.tacit_renewal and self.term_months is None:
            raise ValueError("tacit_renewal needs term_months: an open-ended contract never ends")
        return self


class Program(_Strict):
    format: Literal["journeys/v1"] = FORMAT
    kind: Literal["program"] = "program"
    id: Slug
    title: Label
    journey: Slug | None = None
    objective: Objective
    goal: Text | None = None
    language: LanguageCode = "fr"
    description: Text | None = None
    subscription: Subscription | None = None
    phases: list[Phase] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list, exclude_if=_empty)

    @model_validator(mode="after")
    def _references_resolve(self) -> Program:
        _raise_problems(reference_problems(self, "program"))
        return self


Document = Journey | Program
KINDS: dict[str, type[Journey] | type[Program]] = {"journey": Journey, "program": Program}


# --- reference checks, shared by the models and by the YAML reader ------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where (field path) and what."""

    path: tuple[str | int, ...]
    message: str


class ReferenceProblems(ValueError):
    """Raised by a model validator; carries every dangling reference and duplicate id."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{format_path(p.path)}: {p.message}" for p in problems))


def format_path(path: Iterable[str | int]) -> str:
    """`touchpoints[3].findings[0].intensity` from ('touchpoints', 3, 'findings', 0, ...)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _raise_problems(problems: list[Problem]) -> None:
    if problems:
        raise ReferenceProblems(problems)


def _get(item: Any, name: str) -> Any:
    """Read a field from a model or from raw YAML data, tolerating missing keys."""
    if isinstance(item, dict):
        return item.get(name)
    return getattr(item, name + "_" if name in ("from", "break") else name, None)


def _items(container: Any, name: str) -> Iterator[tuple[int, Any]]:
    value = _get(container, name)
    if isinstance(value, list):
        yield from enumerate(value)


def _ids(container: Any, name: str, problems: list[Problem]) -> set[str]:
    seen: dict[str, int] = {}
    for index, item in _items(container, name):
        ident = _get(item, "id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            problems.append(
                Problem(
                    (name, index, "id"),
                    f"duplicate id '{ident}' (already used by {name}[{seen[ident]}])",
                )
            )
        else:
            seen[ident] = index
    return set(seen)


def _check_ref(
    problems: list[Problem],
    path: tuple[str | int, ...],
    value: Any,
    known: set[str],
    what: str,
) -> None:
    if isinstance(value, str) and value not in known:
        hint = ", ".join(sorted(known)[:8]) or "none defined"
        problems.append(Problem(path, f"unknown {what} '{value}' (known: {hint})"))


def reference_problems(document: Any, kind: str) -> list[Problem]:
    """Return duplicate ids and dangling references of a journey or program.

    Works on a model or on the raw data read from YAML, so that a document with
    structural errors still gets its reference errors reported in the same pass.
    """
    problems: list[Problem] = []
    if kind == "journey":
        moments = _ids(document, "moments", problems)
        channels = _ids(document, "channels", problems)
        touchpoints = _ids(document, "touchpoints", problems)
        for i, tp in _items(document, "touchpoints"):
            _check_ref(
                problems, ("touchpoints", i, "moment"), _get(tp, "moment"), moments, "moment"
            )
            _check_ref(
                problems, ("touchpoints", i, "channel"), _get(tp, "channel"), channels, "channel"
            )
        for i, flow in _items(document, "flows"):
            for end in ("from", "to"):
                _check_ref(problems, ("flows", i, end), _get(flow, end), touchpoints, "touchpoint")
    elif kind == "program":
        phases = _ids(document, "phases", problems)
        steps = _ids(document, "steps", problems)
        for i, step in _items(document, "steps"):
            _check_ref(problems, ("steps", i, "phase"), _get(step, "phase"), phases, "phase")
        for i, link in _items(document, "links"):
            for end in ("from", "to"):
                _check_ref(problems, ("links", i, end), _get(link, end), steps, "step")
    return problems


# --- small conveniences used across the core ---------------------------------------------


def reached_by_event(step: Step) -> bool:
    """True for a goal anchored on an event: the subscriber reaches it from any step of the
    program as soon as the event happens (paid, renewed), and leaves the program there."""
    timing = step.timing
    return step.kind is StepKind.GOAL and timing is not None and timing.anchor is Anchor.EVENT


def findings_of(journey: Journey) -> Iterator[tuple[Touchpoint, Finding]]:
    """Yield every (touchpoint, finding) pair of a journey, in document order."""
    for touchpoint in journey.touchpoints:
        for finding in touchpoint.findings:
            yield touchpoint, finding

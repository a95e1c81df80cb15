"""A visit as the shopper is typing it: every field as typed, checked only when submitted."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from journeys.contract.model import FindingType, Journey, Slug
from journeys.visits.model import Observation, Photo, Visit, VisitStatus

MAX_OBSERVATIONS = 200
MAX_PHOTOS = 10
Typed = Annotated[str, StringConstraints(max_length=5000)]
Short = Annotated[str, StringConstraints(max_length=300)]
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# The fields typed letter by letter on the phone, and how long the form lets each be.
TYPED_VISIT = {"shopper": 300}
TYPED_OBSERVATION = {"text": 300, "wait_minutes": 12, "verbatim": 5000}


class _Loose(BaseModel):
    # A draft written by an older form may carry fields this one dropped: keep the rest.
    model_config = ConfigDict(extra="ignore", validate_assignment=True)


class ObservationDraft(_Loose):
    """One observation as typed; empty strings for what the shopper has not filled in."""

    moment: Short = ""
    channel: Short = ""
    touchpoint: Short = ""
    type: Short = ""
    intensity: int = Field(2, ge=1, le=3)
    text: Typed = ""
    rating: int | None = Field(None, ge=1, le=5)
    wait_minutes: Short = ""
    verbatim: Typed = ""
    photos: list[Photo] = Field(default_factory=list, max_length=MAX_PHOTOS)

    def is_blank(self) -> bool:
        """True when the shopper has said nothing yet (a cell chosen is not saying something)."""
        said = (self.type, self.text.strip(), self.verbatim.strip(), self.wait_minutes.strip())
        return not any(said) and self.rating is None and not self.photos


class VisitDraft(_Loose):
    """A visit being typed on a phone; `current` is the observation on screen."""

    journey: Slug
    shopper: Short = ""
    visited_at: Short = ""
    persona: Typed = ""
    scenario: Typed = ""
    observations: list[ObservationDraft] = Field(
        default_factory=lambda: [ObservationDraft()], max_length=MAX_OBSERVATIONS
    )
    current: int = Field(0, ge=0)


class DraftRefused(ValueError):
    """Content that cannot be kept as a draft at all (too long, too many observations…)."""


def parse_draft(data: object) -> VisitDraft:
    """Return the draft held by `data` (a dict or JSON text). Raises DraftRefused."""
    try:
        if isinstance(data, str | bytes):
            return VisitDraft.model_validate_json(data)
        return VisitDraft.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DraftRefused(f"{where}: {first['msg']}") from None


@dataclass(frozen=True)
class DraftProblem:
    """What stops a draft from being submitted: where (observation index, field) and why."""

    observation: int | None
    field: str
    code: str  # required | unknown | too_long | choose_touchpoint | bad_number | bad_date …


def parse_visited_at(text: str) -> datetime | None:
    """Return the datetime of an ISO text (`2025-03-05T14:30`), or None."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def draft_problems(draft: VisitDraft, journey: Journey) -> list[DraftProblem]:
    """Return everything that stops the draft from becoming a visit of `journey`."""
    problems: list[DraftProblem] = []
    if not draft.shopper.strip():
        problems.append(DraftProblem(None, "shopper", "required"))
    if parse_visited_at(draft.visited_at) is None:
        problems.append(DraftProblem(None, "visited_at", "bad_date"))
    said = [(i, o) for i, o in enumerate(draft.observations) if not o.is_blank()]
    if not said:
        problems.append(DraftProblem(None, "observations", "no_observation"))
    for index, obs in said:
        problems.extend(_observation_problems(index, obs, journey))
    return problems


def _observation_problems(index: int, obs: ObservationDraft, journey: Journey) -> list:
    found = []
    for name, known in (
        ("moment", {m.id for m in journey.moments}),
        ("channel", {c.id for c in journey.channels}),
        ("type", {t.value for t in FindingType}),
    ):
        value = getattr(obs, name)
        if not value:
            found.append(DraftProblem(index, name, "required"))
        elif value not in known:
            found.append(DraftProblem(index, name, "unknown"))
    if not obs.text.strip():
        found.append(DraftProblem(index, "text", "required"))
    elif len(obs.text.strip()) > 300:
        found.append(DraftProblem(index, "text", "too_long"))
    if obs.wait_minutes.strip() and not _NUMBER.fullmatch("".join(obs.wait_minutes.split())):
        found.append(DraftProblem(index, "wait_minutes", "bad_number"))
    cell = [t for t in journey.touchpoints if (t.moment, t.channel) == (obs.moment, obs.channel)]
    if obs.touchpoint and obs.touchpoint not in {t.id for t in cell}:
        found.append(DraftProblem(index, "touchpoint", "unknown"))
    elif not obs.touchpoint and len(cell) > 1:
        found.append(DraftProblem(index, "touchpoint", "choose_touchpoint"))
    return found


def draft_to_visit(draft: VisitDraft, journey: Journey, visit_id: str) -> Visit:
    """Return the submitted visit a draft stands for (blank observations left out).

    Call only when `draft_problems` is empty; raises ValueError otherwise.
    """
    if draft_problems(draft, journey):
        raise ValueError("the draft is not complete; see draft_problems")
    observations = [
        Observation(
            moment=o.moment,
            channel=o.channel,
            touchpoint=o.touchpoint or None,
            type=FindingType(o.type),
            intensity=o.intensity,
            text=o.text.strip(),
            rating=o.rating,
            wait_minutes=_minutes(o.wait_minutes),
            verbatim=o.verbatim.strip() or None,
            photos=o.photos,
        )
        for o in draft.observations
        if not o.is_blank()
    ]
    when = parse_visited_at(draft.visited_at)
    assert when is not None
    return Visit(
        id=visit_id,
        journey=journey.id,
        visited_at=when,
        shopper=draft.shopper.strip(),
        persona=draft.persona.strip() or None,
        scenario=draft.scenario.strip() or None,
        status=VisitStatus.SUBMITTED,
        observations=observations,
    )


def _minutes(text: str) -> float | None:
    value = "".join(text.split()).replace(",", ".")
    return float(value) if value else None


@dataclass(frozen=True)
class TypedText:
    """What was typed into one text field: the observation's index (None: the visit's field)."""

    observation: int | None
    field: str
    value: str

    @property
    def key(self) -> str:
        """`v:shopper`, `0:text`…: the key under which `typed_digests` gives its fingerprint."""
        return f"{'v' if self.observation is None else self.observation}:{self.field}"


def parse_typed(items: object) -> list[TypedText]:
    """Return the typed texts a browser sent (a list of `{o, f, v}`); anything else is dropped
    and each text is cut to its field's length."""
    typed: list[TypedText] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("v"), str):
            continue
        where, field = item.get("o"), item.get("f")
        limits = TYPED_VISIT if where is None else TYPED_OBSERVATION
        index_ok = where is None or (type(where) is int and 0 <= where < MAX_OBSERVATIONS)
        if index_ok and isinstance(field, str) and field in limits:
            typed.append(TypedText(where, field, item["v"][: limits[field]]))
    return typed


def apply_typed(draft: VisitDraft, typed: Iterable[TypedText]) -> list[TypedText]:
    """Write typed texts into the draft; return those it took (an observation it no longer has
    takes nothing)."""
    taken = []
    for item in typed:
        if item.observation is None:
            target: _Loose = draft
        elif item.observation < len(draft.observations):
            target = draft.observations[item.observation]
        else:
            continue
        setattr(target, item.field, item.value)
        taken.append(item)
    return taken


def typed_digests(draft: VisitDraft) -> dict[str, int]:
    """Return the CRC-32 of every typed text's UTF-8 bytes, by `TypedText.key`: the browser
    forgets what it kept of a text once the store holds the same."""
    found = {f"v:{name}": _crc(getattr(draft, name)) for name in TYPED_VISIT}
    for index, obs in enumerate(draft.observations):
        found.update({f"{index}:{name}": _crc(getattr(obs, name)) for name in TYPED_OBSERVATION})
    return found


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))

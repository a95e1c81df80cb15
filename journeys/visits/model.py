"""Mystery-shopper visits as strict pydantic models, and their findings on a journey."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from journeys.contract.model import (
    Finding,
    FindingType,
    Journey,
    Label,
    Problem,
    Slug,
    Source,
    Text,
    Touchpoint,
)

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
ContentType = Annotated[
    str, StringConstraints(pattern=r"^[a-z]+/[a-z0-9.+-]+$", min_length=3, max_length=100)
]


class VisitStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)


class Photo(_Strict):
    """A reference to a stored photo; the bytes live elsewhere, addressed by their hash."""

    file_name: Label
    sha256: Sha256
    content_type: ContentType


class Observation(_Strict):
    """What a shopper met at one moment × channel (optionally one touchpoint)."""

    moment: Slug
    channel: Slug
    touchpoint: Slug | None = None
    type: FindingType
    intensity: int = Field(2, ge=1, le=3)
    text: Label
    rating: int | None = Field(None, ge=1, le=5)
    wait_minutes: float | None = Field(None, ge=0, allow_inf_nan=False)
    verbatim: Text | None = None
    photos: list[Photo] = Field(default_factory=list)


class Visit(_Strict):
    """One mystery-shopper visit of one journey."""

    id: Slug
    journey: Slug
    visited_at: datetime
    shopper: Label
    persona: Text | None = None
    scenario: Text | None = None
    status: VisitStatus = VisitStatus.DRAFT
    observations: list[Observation] = Field(default_factory=list)


def observation_to_finding(observation: Observation, visit_id: str) -> Finding:
    """Return the journey finding an observation stands for, sourced to the visit."""
    return Finding(
        type=observation.type,
        intensity=observation.intensity,
        text=observation.text,
        source=Source.MYSTERY_SHOPPER,
        visit=visit_id,
    )


def touchpoint_for(observation: Observation, journey: Journey) -> Touchpoint | None:
    """Return the observation's touchpoint: the named one, else the only one of its cell.

    None when the cell holds no touchpoint or several and none is named.
    """
    if observation.touchpoint:
        return next((t for t in journey.touchpoints if t.id == observation.touchpoint), None)
    in_cell = [
        t
        for t in journey.touchpoints
        if t.moment == observation.moment and t.channel == observation.channel
    ]
    return in_cell[0] if len(in_cell) == 1 else None


def visit_problems(visit: Visit, journey: Journey) -> list[Problem]:
    """Return what in a visit does not fit the journey (unknown ids, touchpoint off its cell)."""
    problems: list[Problem] = []
    if visit.journey != journey.id:
        problems.append(
            Problem(("journey",), f"visit is for '{visit.journey}', not '{journey.id}'")
        )
    moments = {m.id for m in journey.moments}
    channels = {c.id for c in journey.channels}
    touchpoints = {t.id: t for t in journey.touchpoints}
    for i, obs in enumerate(visit.observations):
        path: tuple[str | int, ...] = ("observations", i)
        if obs.moment not in moments:
            problems.append(Problem((*path, "moment"), f"unknown moment '{obs.moment}'"))
        if obs.channel not in channels:
            problems.append(Problem((*path, "channel"), f"unknown channel '{obs.channel}'"))
        if obs.touchpoint is None:
            continue
        tp = touchpoints.get(obs.touchpoint)
        if tp is None:
            problems.append(
                Problem((*path, "touchpoint"), f"unknown touchpoint '{obs.touchpoint}'")
            )
        elif (tp.moment, tp.channel) != (obs.moment, obs.channel):
            problems.append(
                Problem(
                    (*path, "touchpoint"),
                    f"touchpoint '{tp.id}' is at {tp.moment} × {tp.channel}, "
                    f"not {obs.moment} × {obs.channel}",
                )
            )
    return problems

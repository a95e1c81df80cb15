"""What the read side returns: summaries, the editable journey, snapshots and trash items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from journeys.contract.model import Journey, JourneyState, JourneyType, Objective

TrashKind = Literal["journey", "program", "moment", "channel", "touchpoint", "finding"]


# --- what the services return ----------------------------------------------------------


@dataclass(frozen=True)
class JourneySummary:
    """One line of the journey list, with the counts the home page shows."""

    id: str
    title: str
    journey_type: JourneyType
    state: JourneyState
    language: str
    derived_from: str | None
    touchpoints: int
    delights: int
    irritants: int
    breaks: int
    version: int
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class ProgramSummary:
    """One line of the program list."""

    id: str
    title: str
    journey: str | None
    objective: Objective
    language: str
    phases: int
    steps: int
    version: int
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class TemplateInfo:
    """A shipped template in templates_journeys/ (`journey_type` is None for a program)."""

    file_name: str
    kind: Literal["journey", "program"]
    id: str
    title: str
    journey_type: JourneyType | None
    language: str
    path: Path


@dataclass(frozen=True)
class FindingRef:
    """The store's handle on one finding: its row id (stable) and its version."""

    id: int
    version: int


@dataclass(frozen=True)
class EditableJourney:
    """A journey plus what the board needs to edit it safely.

    `finding_refs[touchpoint_id][i]` is the handle of `touchpoint.findings[i]`.
    """

    journey: Journey
    version: int
    updated_at: datetime
    moment_versions: dict[str, int]
    channel_versions: dict[str, int]
    touchpoint_versions: dict[str, int]
    finding_refs: dict[str, list[FindingRef]]
    revision: tuple[int, int] = (0, 0)  # (row id, revision): changes with any edit of it


@dataclass(frozen=True)
class SnapshotInfo:
    """A named copy of a journey at one moment (its canonical YAML is kept in the store)."""

    id: int
    journey_id: str
    name: str
    created_at: datetime


@dataclass(frozen=True)
class TrashItem:
    """Something deleted that can be restored with `restore_trash_item`.

    `item_id` is the slug of the thing (for a finding: its row id as text); `journey_id` is the
    journey it belongs to (for a program: None).
    """

    kind: TrashKind
    row_id: int
    journey_id: str | None
    item_id: str
    label: str
    deleted_at: datetime

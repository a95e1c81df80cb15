"""The files of a dump besides journeys and programs, as strict pydantic models (no I/O).

Every file names its format and kind, as documents do, so that a later version can read an
older dump. Times are ISO 8601 with their offset: a visit's date *and* time come back exactly.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from journeys.contract.model import FORMAT, FindingType, Label, Slug, Text
from journeys.visits.model import Observation

Format = Literal["journeys/v1"]
Token = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Origin = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]
FileName = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,6}\.journey\.yaml$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class DumpedVisit(_Strict):
    """One visit with every column the workspace keeps: who, when (date and time), where it
    came from, its observations (rating, wait, verbatim, photos, where each finding went)."""

    format: Format = FORMAT
    kind: Literal["visit"] = "visit"
    journey: Slug
    id: Slug
    visited_at: AwareDatetime
    shopper: Label
    persona: Text | None = None
    scenario: Text | None = None
    origin: Origin
    agency: Text | None = None
    draft_token: Token | None = None
    created_at: AwareDatetime
    deleted_at: AwareDatetime | None = None
    observations: list[Observation] = Field(default_factory=list)


class TrashEntry(_Strict):
    kind: Literal["journey", "program"]
    id: Slug
    deleted_at: AwareDatetime


class TrashFile(_Strict):
    """When each journey and program of `trash/` went to the trash."""

    format: Format = FORMAT
    kind: Literal["trash"] = "trash"
    items: list[TrashEntry] = Field(default_factory=list)


class SnapshotEntry(_Strict):
    file: FileName
    name: Text
    created_at: AwareDatetime


class SnapshotsFile(_Strict):
    """The snapshots of one journey: each one's name and time, its content in `file`."""

    format: Format = FORMAT
    kind: Literal["snapshots"] = "snapshots"
    journey: Slug
    snapshots: list[SnapshotEntry] = Field(default_factory=list)


class DumpedNote(_Strict):
    """A participant's note, placed by ids (slugs); `status` as the facilitator left it."""

    moment: Slug
    channel: Slug
    touchpoint: Slug | None = None
    type: FindingType
    intensity: int = Field(ge=1, le=3)
    text: Text
    author: Text | None = None
    created_at: AwareDatetime
    status: Literal["new", "accepted", "merged", "discarded"]
    merged_touchpoint: Slug | None = None
    discarded_at: AwareDatetime | None = None


class NotesFile(_Strict):
    """The participants' notes of one journey, oldest first."""

    format: Format = FORMAT
    kind: Literal["notes"] = "notes"
    journey: Slug
    notes: list[DumpedNote] = Field(default_factory=list)


Voter = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=120, pattern=r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]+$"
    ),
]


class DumpedVote(_Strict):
    """The dots one voter put on one finding, placed by its touchpoint and its place among that
    touchpoint's findings in the journey's file (0 for the first)."""

    touchpoint: Slug
    finding: int = Field(ge=0)
    voter: Voter
    dots: int = Field(ge=1, le=1000)


class DumpedClearedVote(DumpedVote):
    """Dots cleared for a new round, kept to be put back: the round (1 for the journey's first
    clear) and when it was cleared."""

    round: int = Field(ge=1)
    cleared_at: AwareDatetime


class VotesFile(_Strict):
    """The dot vote of one journey: open or not, each voter's dots, the dots cast, and the
    rounds cleared that can still be put back."""

    format: Format = FORMAT
    kind: Literal["votes"] = "votes"
    journey: Slug
    open: bool = False
    dots: int = Field(5, ge=1, le=20)
    votes: list[DumpedVote] = Field(default_factory=list)
    cleared: list[DumpedClearedVote] = Field(default_factory=list)


class DumpedAgencyMapping(_Strict):
    """An agency's remembered mappings: columns (field → header) and values (word → id)."""

    key: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    name: Text
    columns: dict[str, Any]
    values: dict[str, Any]
    updated_at: AwareDatetime


class AgencyMappingsFile(_Strict):
    format: Format = FORMAT
    kind: Literal["agency-mappings"] = "agency-mappings"
    mappings: list[DumpedAgencyMapping] = Field(default_factory=list)


BaseName = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class DumpedBase(_Strict):
    """A subscriber base as the workspace keeps it: where it was read, its mapping and its
    aggregates (JSON, as stored: never a row of the extract)."""

    format: Format = FORMAT
    kind: Literal["subscriber-base"] = "subscriber-base"
    name: BaseName
    source: Annotated[str, StringConstraints(max_length=10_000)]
    mapping: str
    aggregates: str
    created_at: AwareDatetime
    updated_at: AwareDatetime


class BaseLink(_Strict):
    """The base a journey's board reads, its tenure windows mapped to moments (JSON)."""

    journey: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    base: BaseName
    moments: str
    updated_at: AwareDatetime


class BaseLinksFile(_Strict):
    format: Format = FORMAT
    kind: Literal["base-links"] = "base-links"
    links: list[BaseLink] = Field(default_factory=list)


def plain(model: BaseModel) -> dict[str, Any]:
    """The data of a dump file for YAML, in field order, without empty optionals."""
    return model.model_dump(mode="json", exclude_none=True)

"""Tables of mystery-shopper visits: visits, observations, photos, drafts, agency mappings.

Observations name their moment, channel and touchpoint by id (slug), as findings name their
visit: replacing a journey's content (import, snapshot restore) rebuilds its rows, and the
ids are what survives. Photo bytes live in the database, addressed by their SHA-256, so a
team server needs no shared folder and a photo sent twice is kept once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlmodel import Field

from journeys.store.tables import ENUM, SLUG, _parent, _Row, _when

TOKEN = String(64)
SHA256 = String(64)


class VisitRow(_Row, table=True):
    """One visit of a journey. Its id is unique in the journey, even once deleted, so that
    the `visit` of a finding always names one visit."""

    __tablename__ = "visit"
    __table_args__ = (Index("uq_visit_slug", "journey_id", "slug", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(sa_column=_parent("journey.id"))
    slug: str = Field(sa_type=SLUG)
    visited_at: datetime = Field(sa_column=_when(False))
    shopper: str = Field(sa_type=Text)
    persona: str | None = Field(default=None, sa_type=Text)
    scenario: str | None = Field(default=None, sa_type=Text)
    origin: str = Field(sa_type=ENUM)  # "road" (the phone form) | "csv" (an agency file)
    agency: str | None = Field(default=None, sa_type=Text)
    draft_token: str | None = Field(default=None, sa_type=TOKEN)
    created_at: datetime = Field(sa_column=_when(False))
    version: int = 1
    deleted_at: datetime | None = Field(default=None, sa_column=_when())


class ObservationRow(_Row, table=True):
    """What the shopper met at one moment × channel; `touchpoint` is where its finding went."""

    __tablename__ = "observation"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(sa_column=_parent("visit.id"))
    position: int
    moment: str = Field(sa_type=SLUG)
    channel: str = Field(sa_type=SLUG)
    touchpoint: str | None = Field(default=None, sa_type=SLUG)
    type: str = Field(sa_type=ENUM)
    intensity: int
    text: str = Field(sa_type=Text)
    rating: int | None = None
    wait_minutes: float | None = Field(default=None, sa_type=Float)
    verbatim: str | None = Field(default=None, sa_type=Text)


class PhotoRow(_Row, table=True):
    """A photo's bytes, checked (JPEG, PNG, WebP or HEIC; size-capped) before they get here."""

    __tablename__ = "photo"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(sa_type=SHA256, unique=True)
    content_type: str = Field(sa_type=String(100))
    size: int
    data: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = Field(sa_column=_when(False))


class ObservationPhotoRow(_Row, table=True):
    """A photo attached to an observation, under the name the shopper's phone gave it."""

    __tablename__ = "observation_photo"

    observation_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("observation.id", ondelete="CASCADE"), primary_key=True
        )
    )
    position: int = Field(primary_key=True)
    photo_id: int = Field(sa_column=_parent("photo.id"))
    file_name: str = Field(sa_type=Text)


class VisitDraftRow(_Row, table=True):
    """A visit being typed on a phone, every field as typed (JSON), found again by its token.

    Once submitted it keeps the id of the visit it became: submitting twice (a dropped
    connection, a double tap) returns that visit instead of creating another.
    """

    __tablename__ = "visit_draft"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(sa_type=TOKEN, unique=True)
    journey_id: int = Field(sa_column=_parent("journey.id"))
    content: str = Field(sa_type=Text)
    version: int = 1
    created_at: datetime = Field(sa_column=_when(False))
    updated_at: datetime = Field(sa_column=_when(False))
    visit_slug: str | None = Field(default=None, sa_type=SLUG)
    submitted_at: datetime | None = Field(default=None, sa_column=_when())


class AgencyMappingRow(_Row, table=True):
    """The column and value mappings last used for an agency's files (JSON), by folded name."""

    __tablename__ = "agency_mapping"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=String(120), unique=True)
    name: str = Field(sa_type=Text)
    columns: str = Field(sa_type=Text)
    value_map: str = Field(sa_type=Text)
    version: int = 1
    updated_at: datetime = Field(sa_column=_when(False))

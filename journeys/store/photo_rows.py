"""Photos in a session: bytes kept once per content, and their links to observations."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from journeys.errors import NotFoundError
from journeys.store.tables import utcnow
from journeys.store.visit_tables import ObservationPhotoRow, PhotoRow
from journeys.visits.model import Observation, Photo
from journeys.visits.photos import CheckedPhoto


def store_photo(session: Session, photo: CheckedPhoto) -> None:
    """Keep the photo's bytes once, whoever sends them first."""
    values = {
        "sha256": photo.sha256,
        "content_type": photo.content_type,
        "size": len(photo.data),
        "data": photo.data,
        "created_at": utcnow(),
    }
    name = session.get_bind().dialect.name
    if name in ("postgresql", "sqlite"):
        dialect = postgresql if name == "postgresql" else sqlite
        statement = dialect.insert(PhotoRow).values(**values)
        session.execute(statement.on_conflict_do_nothing(index_elements=["sha256"]))
    elif session.scalar(select(PhotoRow.id).where(PhotoRow.sha256 == photo.sha256)) is None:
        session.add(PhotoRow(**values))


def photo_bytes(session: Session, sha256: str) -> tuple[bytes, str]:
    """The bytes and type of a stored photo. Raises NotFoundError."""
    found = session.execute(
        select(PhotoRow.data, PhotoRow.content_type).where(PhotoRow.sha256 == sha256)
    ).one_or_none()
    if found is None:
        raise NotFoundError("photo", sha256)
    return bytes(found[0]), found[1]


def link_photos(
    session: Session, observations: Sequence[Observation], observation_ids: Sequence[int]
) -> None:
    """Attach each observation's photos (already stored) to its row. Raises NotFoundError."""
    wanted = {p.sha256 for obs in observations for p in obs.photos}
    if not wanted:
        return
    ids: dict[str, int] = dict(
        session.execute(
            select(PhotoRow.sha256, PhotoRow.id).where(PhotoRow.sha256.in_(wanted))
        ).all()
    )
    links = []
    for obs, obs_id in zip(observations, observation_ids, strict=True):
        for position, photo in enumerate(obs.photos):
            if photo.sha256 not in ids:
                raise NotFoundError("photo", photo.file_name)
            links.append(
                {"observation_id": obs_id, "position": position}
                | {"photo_id": ids[photo.sha256], "file_name": photo.file_name}
            )
    session.execute(ObservationPhotoRow.__table__.insert(), links)


def observation_photos(session: Session, observation_ids: list[int]) -> dict[int, list[Photo]]:
    """The photos of each observation row, in order."""
    found: dict[int, list[Photo]] = {}
    if not observation_ids:
        return found
    statement = (
        select(ObservationPhotoRow, PhotoRow.sha256, PhotoRow.content_type)
        .join(PhotoRow, ObservationPhotoRow.photo_id == PhotoRow.id)
        .where(ObservationPhotoRow.observation_id.in_(observation_ids))
        .order_by(ObservationPhotoRow.observation_id, ObservationPhotoRow.position)
    )
    for link, sha, content_type in session.execute(statement):
        photo = Photo(file_name=link.file_name, sha256=sha, content_type=content_type)
        found.setdefault(link.observation_id, []).append(photo)
    return found

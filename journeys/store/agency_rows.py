"""Agencies' remembered mappings in a session: their column and value mappings, kept as JSON."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from journeys.store.tables import utcnow
from journeys.store.visit_tables import AgencyMappingRow


def agency_mapping(session: Session, key: str, *, lock: bool = False) -> tuple[str, str] | None:
    """The (column mapping, value mapping) JSON kept under an agency's `key`, or None; `lock`
    holds the row (PostgreSQL) until the end of the transaction."""
    statement = select(AgencyMappingRow).where(AgencyMappingRow.key == key)
    if lock:
        statement = statement.with_for_update()
    row = session.scalars(statement).one_or_none()
    return None if row is None else (row.columns, row.value_map)


def save_agency_mapping(
    session: Session, key: str, name: str, columns: str, value_map: str
) -> None:
    """Keep an agency's mappings (JSON) under `key`: a new row, or the one there replaced and
    its version bumped."""
    row = session.scalars(
        select(AgencyMappingRow).where(AgencyMappingRow.key == key).with_for_update()
    ).one_or_none()
    if row is None:
        row = AgencyMappingRow(
            key=key, name=name, columns="{}", value_map="{}", updated_at=utcnow()
        )
        session.add(row)
    else:
        row.version += 1
    row.name, row.updated_at = name, utcnow()
    row.columns, row.value_map = columns, value_map


def agency_names(session: Session) -> list[str]:
    """The names of the agencies whose mappings are kept, in no particular order."""
    return list(session.scalars(select(AgencyMappingRow.name)))

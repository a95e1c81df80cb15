"""Agency CSV files into visits and findings, all or nothing; mappings remembered per agency."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from journeys.contract.model import Journey
from journeys.errors import StoreError
from journeys.roles import Permission, requires
from journeys.store import agency_rows, rows, visit_rows
from journeys.store import repository as repo
from journeys.store.db import Session, Store
from journeys.store.tables import utcnow
from journeys.visits.agency.mapping import (
    ColumnMapping,
    ValueMapping,
    VisitField,
    normalize,
    suggest_mapping,
)
from journeys.visits.agency.preview import ImportPreview, preview_import
from journeys.visits.agency.rows import RowError
from journeys.visits.model import Visit
from journeys.visits.plan import FindingPlan, plan_findings


class OnExisting(StrEnum):
    """What to do with a file's visits already in the journey (a file imported again)."""

    REFUSE = "refuse"  # the whole file is refused
    SKIP = "skip"  # their rows are left out; the new visits are imported


class CsvImportRefused(StoreError, ValueError):
    """The file was not imported, nothing changed; `errors` say which rows are wrong and why."""

    def __init__(self, errors: Iterable[RowError]):
        self.errors = tuple(errors)
        rows_named = sorted({e.row for e in self.errors if e.row is not None})
        where = f" (rows {', '.join(map(str, rows_named[:20]))})" if rows_named else ""
        super().__init__(f"the file was not imported: {len(self.errors)} problem(s){where}")


@dataclass(frozen=True)
class AgencyCheck:
    """What an import would do: the preview, every problem found, where findings would go,
    the visits it would add and those already in the journey it would skip."""

    preview: ImportPreview
    errors: tuple[RowError, ...]
    plan: FindingPlan | None
    visits: tuple[Visit, ...] = ()
    skipped: tuple[Visit, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.visits or self.skipped)

    @property
    def observation_count(self) -> int:
        return sum(len(v.observations) for v in self.visits)


@dataclass(frozen=True)
class AgencyImport:
    """What an import created."""

    visits: tuple[str, ...]
    observations: int
    touchpoints_created: tuple[str, ...]
    skipped: tuple[str, ...] = ()


@requires(Permission.READ)
def check_agency_csv(
    data: bytes,
    journey_id: str,
    mapping: ColumnMapping,
    value_mapping: ValueMapping | None = None,
    *,
    store: Store,
    existing: OnExisting = OnExisting.REFUSE,
) -> AgencyCheck:
    """Return what importing the file would do, and every reason it would be refused.

    Beyond the file's own errors (preview.preview_import): visits already in the journey
    (the same visit id, else the same shopper at the same date and time), refused or
    skipped as `existing` says, and observations whose cell holds several touchpoints
    without naming one. Raises NotFoundError when the journey is not live.
    """
    with store.read_session() as session:
        return _check(session, data, journey_id, mapping, value_mapping, existing)


@requires(Permission.CONTRIBUTE)
def import_agency_csv(
    data: bytes,
    journey_id: str,
    mapping: ColumnMapping,
    value_mapping: ValueMapping | None = None,
    *,
    store: Store,
    agency: str | None = None,
    existing: OnExisting = OnExisting.REFUSE,
) -> AgencyImport:
    """Import an agency's file: its visits, their observations and their findings, or nothing.

    Visits already in the journey refuse the whole file, or are skipped with
    `existing=OnExisting.SKIP`. With `agency`, the mappings used are remembered for that
    agency's next file. Raises CsvImportRefused (nothing was written), NotFoundError.
    """
    with store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        check = _check(session, data, journey_id, mapping, value_mapping, existing)
        if not check.ok or check.plan is None:
            raise CsvImportRefused(check.errors)
        visit_rows.insert_touchpoints(session, journey_pk, check.plan.new_touchpoints)
        now = utcnow()
        for visit in check.visits:
            targets = {i: check.plan.targets[(visit.id, i)] for i in range(len(visit.observations))}
            visit_rows.insert_visit(
                session, journey_pk, visit, targets, origin="csv", agency=agency, now=now
            )
        if agency and agency.strip():
            _save_mapping(session, agency, mapping, value_mapping or ValueMapping())
    return AgencyImport(
        tuple(v.id for v in check.visits),
        check.observation_count,
        tuple(tp.id for tp in check.plan.new_touchpoints),
        tuple(v.id for v in check.skipped),
    )


def _check(
    session: Session,
    data: bytes,
    journey_id: str,
    mapping: ColumnMapping,
    value_mapping: ValueMapping | None,
    existing: OnExisting,
) -> AgencyCheck:
    journey = repo.load_journey(session, journey_id)
    preview = preview_import(data, journey, mapping, value_mapping)
    if not preview.ok:
        return AgencyCheck(preview, preview.errors, None)
    journey_pk = repo.journey_pk(session, journey_id)
    new, old = _new_and_old(preview, visit_rows.visit_identities(session, journey_pk))
    errors = [] if existing is OnExisting.SKIP else [_exists(v, mapping) for v in old]
    plan = plan_findings(journey, new, taken=visit_rows.touchpoint_slugs(session, journey_pk))
    errors.extend(_ambiguous_errors(journey, plan, mapping))
    return AgencyCheck(preview, tuple(errors), plan, tuple(new), tuple(old))


def _new_and_old(
    preview: ImportPreview, there: Sequence[tuple[str, datetime, str]]
) -> tuple[list[Visit], list[Visit]]:
    """Split the file's visits into new ones and those already in the journey: the same
    visit id, or (without one) the same shopper at the same date and time. A new visit whose
    id another visit holds gets a free one ('-2', '-3'…)."""
    taken = {slug for slug, _, _ in there}
    at = {(_utc(when), normalize(shopper)) for _, when, shopper in there}
    in_file = {v.id for v in preview.visits}
    new: list[Visit] = []
    old: list[Visit] = []
    for visit, key in zip(preview.visits, preview.keys, strict=True):
        by_id = key[0] == "visit"
        if visit.id in taken if by_id else (_utc(visit.visited_at), key[2]) in at:
            old.append(visit)
            continue
        ident, n = visit.id, 1
        while ident in taken or (ident != visit.id and ident in in_file):
            n += 1
            ident = f"{visit.id[:70]}-{n}"
        taken.add(ident)
        new.append(visit if ident == visit.id else visit.model_copy(update={"id": ident}))
    return new, old


def _utc(when: datetime) -> datetime:
    """A visit's time as the store keeps it (a time without zone is the server's)."""
    return when.astimezone(UTC)


def _exists(visit: Visit, mapping: ColumnMapping) -> RowError:
    return RowError(
        None,
        mapping.columns.get(VisitField.VISIT),
        "visit_exists",
        f"visit '{visit.id}' ({visit.shopper}, {visit.visited_at:%d/%m/%Y %H:%M}) is already "
        "in the journey; was this file imported before? Skip the visits already imported "
        "to import only the new ones",
        visit.id,
    )


def _ambiguous_errors(journey: Journey, plan: FindingPlan, mapping: ColumnMapping) -> list:
    moments = {m.id: m.label for m in journey.moments}
    channels = {c.id: c.label for c in journey.channels}
    column = mapping.columns.get(VisitField.TOUCHPOINT)
    return [
        RowError(
            None,
            column,
            "ambiguous_cell",
            f"'{a.text}' (visit {a.visit}) is at {moments[a.moment]} × {channels[a.channel]}, "
            f"where the journey has several touchpoints ({', '.join(a.candidates)}); "
            "add a touchpoint column to say which",
            a.text,
            a.candidates,
        )
        for a in plan.ambiguous
    ]


# --- mappings remembered per agency --------------------------------------------------------


def agency_key(name: str) -> str:
    """The folded name an agency's mapping is kept under. Raises ValueError when empty."""
    key = normalize(name)[:120]
    if not key:
        raise ValueError("an agency needs a name")
    return key


@requires(Permission.CONTRIBUTE)
def save_agency_mapping(
    name: str, mapping: ColumnMapping, value_mapping: ValueMapping, *, store: Store
) -> None:
    """Remember an agency's column mapping and add its value mapping to what was known."""
    with store.session() as session:
        _save_mapping(session, name, mapping, value_mapping)


def _save_mapping(
    session: Session, name: str, mapping: ColumnMapping, value_mapping: ValueMapping
) -> None:
    key = agency_key(name)
    saved = agency_rows.agency_mapping(session, key, lock=True)
    known = ValueMapping() if saved is None else ValueMapping.model_validate_json(saved[1])
    merged = ValueMapping(
        types=known.types | value_mapping.types,
        moments=known.moments | value_mapping.moments,
        channels=known.channels | value_mapping.channels,
        touchpoints=known.touchpoints | value_mapping.touchpoints,
    )
    agency_rows.save_agency_mapping(
        session, key, name.strip(), mapping.model_dump_json(), merged.model_dump_json()
    )


@requires(Permission.READ)
def load_agency_mapping(
    name: str, *, store: Store, journey: Journey | None = None
) -> tuple[ColumnMapping, ValueMapping] | None:
    """Return the mappings remembered for an agency (None: never seen).

    With `journey`, value mappings to ids that journey lacks are left out (they were made
    for another journey and would otherwise be refused).
    """
    try:
        key = agency_key(name)
    except ValueError:
        return None
    with store.read_session() as session:
        saved = agency_rows.agency_mapping(session, key)
    if saved is None:
        return None
    columns = ColumnMapping.model_validate_json(saved[0])
    values = ValueMapping.model_validate_json(saved[1])
    if journey is not None:
        values = _for_journey(values, journey)
    return columns, values


def _for_journey(values: ValueMapping, journey: Journey) -> ValueMapping:
    moments = {m.id for m in journey.moments}
    channels = {c.id for c in journey.channels}
    touchpoints = {t.id for t in journey.touchpoints}
    return ValueMapping(
        types=values.types,
        moments={w: i for w, i in values.moments.items() if i in moments},
        channels={w: i for w, i in values.channels.items() if i in channels},
        touchpoints={w: i for w, i in values.touchpoints.items() if i in touchpoints},
    )


@requires(Permission.READ)
def list_agencies(*, store: Store) -> list[str]:
    """Return the names of the agencies whose mappings are remembered, by name."""
    with store.read_session() as session:
        names = agency_rows.agency_names(session)
    return sorted(names, key=normalize)


@requires(Permission.READ)
def mapping_for_headers(
    headers: Iterable[str], *, store: Store, agency: str | None = None
) -> ColumnMapping:
    """Return the column mapping to propose for a file: the agency's remembered choices for
    the headers the file still has, then suggestions (csv_mapping.suggest_mapping) for the rest."""
    headers = list(headers)
    suggested = suggest_mapping(headers).columns
    saved = load_agency_mapping(agency, store=store) if agency else None
    if saved is None:
        return ColumnMapping(columns=suggested)
    by_fold = {normalize(h): h for h in headers if h}
    kept = {
        f: by_fold[normalize(h)] for f, h in saved[0].columns.items() if normalize(h) in by_fold
    }
    used = set(kept.values())
    rest = {f: h for f, h in suggested.items() if f not in kept and h not in used}
    return ColumnMapping(columns={f: (kept | rest)[f] for f in VisitField if f in kept | rest})

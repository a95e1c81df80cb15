"""Use cases of subscriber bases: preview an extract, import it (aggregates only), read its
attrition, map its fragile moments to a journey's moments, and what the board shows of them.

The rows stay where they are (a file, a database); the workspace keeps the mapping and the
aggregates. A base with problems is not stored at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeys.contract.model import Journey
from journeys.data import attrition
from journeys.data.aggregate import Aggregates, compute
from journeys.data.clean import BaseProblems, Formats, guess_formats, problems, subscriptions
from journeys.data.mapping import (
    REQUIRED_EVENT,
    REQUIRED_PAYMENT,
    Mapping,
    suggest_events,
    suggest_mapping,
    suggest_payments,
)
from journeys.data.source import Source, SourceError, open_file, open_table
from journeys.errors import NotFoundError
from journeys.roles import Permission, requires
from journeys.store import base_rows
from journeys.store.db import Store

Progress = Callable[[float, str], None]
NAME_RE = re.compile(r"^[\w][\w .\-]{0,99}$")

__all__ = [
    "BaseProblems",
    "SourceError",
    "BasePreview",
    "BaseView",
    "MomentBadge",
    "preview_base",
    "import_base",
    "get_base_view",
    "list_base_names",
    "delete_base",
    "link_journey_base",
    "journey_attrition",
]


class MappingError(ValueError):
    """The mapping names a column the file does not have, or misses a required field."""


@dataclass(frozen=True)
class BasePreview:
    headers: tuple[str, ...]
    mapping: Mapping
    formats: Formats
    sample: list[dict[str, Any]]


def _open(source: Path | str, table: str | None, backend: Any = None) -> Source:
    if table is not None:
        return open_table(str(source), table)
    return open_file(Path(source), backend)


def preview_base(
    source: Path | str, *, table: str | None = None, mapping: Mapping | None = None
) -> BasePreview:
    """Headers, the suggested (or given) mapping, the formats guessed, the first rows."""
    opened = _open(source, table)
    try:
        chosen = mapping or suggest_mapping(list(opened.headers))
        _check_columns(chosen, opened.headers)
        formats = guess_formats(opened.table, chosen)
        sample = opened.table.drop("__row").limit(5).to_pyarrow().to_pylist()
        return BasePreview(opened.headers, chosen, formats, sample)
    finally:
        opened.close()


def _check_columns(mapping: Mapping, headers: tuple[str, ...]) -> None:
    missing = mapping.missing_required()
    if missing:
        raise MappingError("no column for " + ", ".join(f.value for f in missing))
    for fld, column in mapping.columns.items():
        if column not in headers:
            raise MappingError(f"{fld.value}: the file has no column {column[:80]!r}")
    for column in mapping.segments:
        if column not in headers:
            raise MappingError(f"segment: the file has no column {column[:80]!r}")


def _check_side(
    kind: str, columns: dict[Any, str], required: tuple[Any, ...], headers: tuple[str, ...]
) -> None:
    missing = [f.value for f in required if not columns.get(f)]
    if missing:
        raise MappingError(f"{kind}: no column for " + ", ".join(missing))
    for fld, column in columns.items():
        if column not in headers:
            raise MappingError(f"{kind} {fld.value}: the file has no column {column[:80]!r}")


@requires(Permission.EDIT)
def import_base(
    name: str,
    source: Path | str,
    *,
    store: Store,
    table: str | None = None,
    mapping: Mapping | None = None,
    events: Path | None = None,
    payments: Path | None = None,
    progress: Progress | None = None,
) -> Aggregates:
    """Read a base where it lives, check every row, store its aggregates under `name`.

    Raises SourceError (unreadable), MappingError (columns), BaseProblems (rows, listed by row);
    nothing is stored then.
    """
    if not NAME_RE.match(name):
        raise ValueError(f"base name {name[:60]!r}: letters, digits, spaces, '.', '-', '_' only")
    step = progress or (lambda share, what: None)
    step(0.0, "reading")
    opened = _open(source, table)
    extra: list[Source] = []
    try:
        chosen = mapping or suggest_mapping(list(opened.headers))
        _check_columns(chosen, opened.headers)
        events_table = payments_table = None
        if events is not None:
            ev = open_file(Path(events), opened.backend)
            extra.append(ev)
            if not chosen.events:
                chosen.events = suggest_events(list(ev.headers))
            _check_side("events", chosen.events, REQUIRED_EVENT, ev.headers)
            events_table = ev.table
        if payments is not None:
            pay = open_file(Path(payments), opened.backend)
            extra.append(pay)
            if not chosen.payments:
                chosen.payments = suggest_payments(list(pay.headers))
            _check_side("payments", chosen.payments, REQUIRED_PAYMENT, pay.headers)
            payments_table = pay.table
        formats = guess_formats(opened.table, chosen)
        if formats.date_format is None:
            raise MappingError(
                "the start dates are in no known format (e.g. 31/12/2025 or 2025-12-31)"
            )
        step(0.05, "checking rows")
        found, total = problems(subscriptions(opened.table, chosen, formats), chosen)
        if total:
            raise BaseProblems(found, total)

        def scaled(share: float, what: str) -> None:
            step(0.1 + 0.85 * share, what)

        aggregates = compute(
            opened.table,
            chosen,
            formats,
            events=events_table,
            payments=payments_table,
            progress=scaled,
        )
    finally:
        for item in (opened, *extra):
            item.close()
    stored_mapping = chosen.model_copy(
        update={"date_format": formats.date_format, "decimal_comma": formats.decimal_comma}
    )
    base_rows.save_base(
        name,
        _describe(source, table),
        stored_mapping.model_dump_json(),
        json.dumps(aggregates.to_json(), separators=(",", ":")),
        store=store,
    )
    step(1.0, "stored")
    return aggregates


def _describe(source: Path | str, table: str | None) -> str:
    from journeys.data.source import _safe_url

    if table is not None:
        return f"{_safe_url(str(source))} / {table}"
    return Path(source).name


@dataclass(frozen=True)
class BaseView:
    name: str
    source: str
    mapping: Mapping
    aggregates: Aggregates
    table: attrition.LifeTable

    def segment_table(self, column: str) -> dict[str, attrition.LifeTable]:
        return {
            v: attrition.life_table(c) for v, c in self.aggregates.segments.get(column, {}).items()
        }

    def voluntary_table(self, involuntary: bool) -> attrition.LifeTable:
        """Survival counting only one kind of end (the other kind counted as still there)."""
        from journeys.data.aggregate import Cell

        cells = [
            c
            if not c.ended or c.involuntary == involuntary
            else Cell(c.month, False, False, c.count, c.revenue)
            for c in self.aggregates.overall
        ]
        return attrition.life_table(cells)

    @property
    def windows(self) -> list[attrition.FragileWindow]:
        return attrition.fragile_windows(self.table, self.aggregates.summary.years)


@requires(Permission.READ)
def get_base_view(name: str, *, store: Store) -> BaseView:
    stored = base_rows.get_base(name, store=store)
    if stored is None:
        raise NotFoundError("subscriber base", name, where="the workspace")
    aggregates = Aggregates.from_json(json.loads(stored.aggregates))
    return BaseView(
        stored.name,
        stored.source,
        Mapping.model_validate_json(stored.mapping),
        aggregates,
        attrition.life_table(aggregates.overall),
    )


@requires(Permission.READ)
def list_base_names(*, store: Store) -> list[str]:
    return [b.name for b in base_rows.list_bases(store=store)]


@requires(Permission.EDIT)
def delete_base(name: str, *, store: Store) -> None:
    if not base_rows.delete_base(name, store=store):
        raise NotFoundError("subscriber base", name, where="the workspace")


@requires(Permission.EDIT)
def link_journey_base(
    journey_id: str, base_name: str | None, moments: dict[str, str], *, store: Store
) -> None:
    """Make a journey's board read a base, its tenure windows (key 'first-last') mapped to
    moment ids; None unlinks."""
    if base_name is None:
        base_rows.unlink_journey(journey_id, store=store)
        return
    if base_rows.get_base(base_name, store=store) is None:
        raise NotFoundError("subscriber base", base_name, where="the workspace")
    base_rows.link_journey(journey_id, base_name, json.dumps(moments), store=store)


@dataclass(frozen=True)
class MomentBadge:
    """What the board's moment header shows of the base."""

    moment: str
    windows: tuple[attrition.FragileWindow, ...]
    lost_per_year: float
    share: float
    revenue_per_year: float
    uncovered: bool  # no touchpoint there, or none of them carries a finding


@dataclass(frozen=True)
class JourneyAttrition:
    base: str
    badges: dict[str, MomentBadge]
    kpis: attrition.Kpis
    unmapped: tuple[attrition.FragileWindow, ...]
    mapping: dict[str, str]
    suggestions: dict[str, str]


def journey_attrition(journey: Journey, *, store: Store) -> JourneyAttrition | None:
    """The base's fragile moments on this journey's moments, or None when it reads no base."""
    linked = base_rows.journey_base(journey.id, store=store)
    if linked is None:
        return None
    name, moments_json = linked
    view = get_base_view(name, store=store)
    mapping: dict[str, str] = json.loads(moments_json)
    known = {m.id for m in journey.moments}
    windows = view.windows
    by_moment: dict[str, list[attrition.FragileWindow]] = {}
    unmapped = []
    for window in windows:
        moment = mapping.get(window.key)
        if moment in known:
            by_moment.setdefault(moment, []).append(window)
        else:
            unmapped.append(window)
    badges = {}
    for moment, items in by_moment.items():
        touchpoints = [tp for tp in journey.touchpoints if tp.moment == moment]
        badges[moment] = MomentBadge(
            moment,
            tuple(items),
            sum(w.lost_per_year for w in items),
            sum(w.share for w in items),
            sum(w.revenue_per_year for w in items),
            uncovered=not touchpoints or not any(tp.findings for tp in touchpoints),
        )
    pairs = [(m.id, m.label) for m in journey.moments]
    suggestions = {
        w.key: s for w in windows if (s := attrition.suggest_moment(w, pairs)) is not None
    }
    return JourneyAttrition(
        name,
        badges,
        attrition.kpis(view.aggregates, view.table),
        tuple(unmapped),
        mapping,
        suggestions,
    )

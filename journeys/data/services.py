"""Use cases of subscriber bases: preview an extract, import it (aggregates only), read its
attrition, map its fragile moments to a journey's moments, and what the board shows of them.

The rows stay where they are (a file, a database); the workspace keeps the mapping and the
aggregates. A base with problems is not stored at all.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from journeys.contract.model import Journey, Program, Step
from journeys.data import attrition
from journeys.data.aggregate import Aggregates, compute
from journeys.data.clean import BaseProblems, Formats, guess_formats, problems, subscriptions
from journeys.data.mapping import (
    REQUIRED_EVENT,
    REQUIRED_PAYMENT,
    Mapping,
    SubscriptionField,
    suggest_events,
    suggest_mapping,
    suggest_payments,
)
from journeys.data.source import Source, SourceError, open_file, open_table
from journeys.errors import NotFoundError
from journeys.roles import Permission, requires
from journeys.store import base_rows
from journeys.store.db import Store
from journeys.store.views import ProgramSummary

Progress = Callable[[float, str], None]
NAME_RE = re.compile(r"^[\w][\w .\-]{0,99}$")

__all__ = [
    "NotFoundError",
    "BaseProblems",
    "SourceError",
    "MappingError",
    "BaseInfo",
    "BasePreview",
    "BaseView",
    "MomentBadge",
    "preview_base",
    "import_base",
    "get_base_view",
    "list_bases",
    "list_base_names",
    "base_name_for",
    "read_headers",
    "journey_base_link",
    "BaseLink",
    "journey_base_state",
    "delete_base",
    "link_journey_base",
    "journey_attrition",
    "add_signal_trigger",
    "signal_programs",
    "base_journeys",
    "trigger_step",
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
    source: Path | str,
    *,
    table: str | None = None,
    mapping: Mapping | None = None,
    strict: bool = True,
    rows: int = 5,
) -> BasePreview:
    """Headers, the suggested (or given) mapping, the formats guessed, the first `rows` rows.

    Strict, a mapping that misses a required field or names a column the file lacks raises
    MappingError; not strict (a mapping being chosen), such columns are dropped from it and
    the formats are guessed from what is left.
    """
    opened = _open(source, table)
    try:
        chosen = mapping or suggest_mapping(list(opened.headers))
        if strict:
            _check_columns(chosen, opened.headers)
        else:
            chosen = _within(chosen, opened.headers)
        formats = guess_formats(opened.table, chosen)
        sample = opened.table.drop("__row").limit(rows).to_pyarrow().to_pylist()
        return BasePreview(opened.headers, chosen, formats, sample)
    finally:
        opened.close()


def _within(mapping: Mapping, headers: tuple[str, ...]) -> Mapping:
    """The mapping without the columns the file does not have."""
    known = set(headers)
    return mapping.model_copy(
        update={
            "columns": {f: c for f, c in mapping.columns.items() if c in known},
            "segments": [c for c in mapping.segments if c in known],
            "events": {},
            "payments": {},
        }
    )


def read_headers(source: Path) -> tuple[str, ...]:
    """The column names of an events or payments file (CSV or Parquet); raises SourceError."""
    opened = open_file(Path(source))
    try:
        return opened.headers
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
        start_type = opened.table[chosen.columns[SubscriptionField.START]].type()
        if formats.date_format is None and start_type.is_string():  # typed dates need none
            raise MappingError(
                "the start dates are in no known format (e.g. 31/12/2025 or 2025-12-31)"
            )
        step(0.05, "checking rows")
        try:
            found, total = problems(subscriptions(opened.table, chosen, formats), chosen)
        except Exception as error:  # noqa: BLE001 - the engines' errors share no public type
            raise _engine_refusal(error, chosen) from None
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


def base_name_for(text: str) -> str:
    """A name import_base accepts, made from a file or table name ("extrait abonnés (2)")."""
    cleaned = re.sub(r"[^\w .\-]+", " ", text)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .-")[:100].strip(" .-")
    return cleaned if NAME_RE.match(cleaned) else "base"


def _engine_refusal(error: Exception, mapping: Mapping) -> MappingError:
    """An engine that cannot read a cell (a date that matches the format but is not in the
    calendar, 31/02/2024) stops the whole query: say which columns and why, in one line."""
    from journeys.data.mapping import SubscriptionField

    text = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
    dates = [mapping.columns.get(f) for f in (SubscriptionField.START, SubscriptionField.END)]
    named = " or ".join(repr(d) for d in dates if d)
    if "date" in text.lower() or "range" in text.lower():
        return MappingError(
            f"a date in {named} is not in the calendar (e.g. 31/02/2024): correct it ({text})"
        )
    return MappingError(f"the extract cannot be read: {text}")


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


@dataclass(frozen=True)
class BaseInfo:
    """A stored base as listed: its version changes with every import under its name."""

    name: str
    source: str
    version: int
    updated_at: datetime


@requires(Permission.READ)
def list_bases(*, store: Store) -> list[BaseInfo]:
    """The stored bases by name (their aggregates are read by get_base_view)."""
    return [
        BaseInfo(b.name, b.source, b.version, b.updated_at)
        for b in base_rows.list_bases(store=store)
    ]


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


@requires(Permission.READ)
def journey_base_link(journey_id: str, *, store: Store) -> tuple[str, dict[str, str]] | None:
    """The base a journey reads and its windows mapped to moment ids, or None."""
    linked = base_rows.journey_base(journey_id, store=store)
    if linked is None:
        return None
    return linked[0], dict(json.loads(linked[1]))


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
    first_start: str = ""  # ISO dates the base covers (its first start, its extract date)
    last_date: str = ""


@dataclass(frozen=True)
class BaseLink:
    """The base a journey's board reads, as of one import of it and one mapping of its
    windows: small and hashable, what the board's drawings are cached by."""

    base: str
    version: int
    imported: str  # when (ISO): a base deleted and imported again starts again at version 1
    moments: tuple[tuple[str, str], ...]  # window key -> moment id, sorted


@requires(Permission.READ)
def journey_base_state(journey_id: str, *, store: Store) -> BaseLink | None:
    """The base a journey reads and its version, in one small query (no aggregates read), or
    None when it reads none."""
    state = base_rows.journey_base_state(journey_id, store=store)
    if state is None:
        return None
    moments = json.loads(state.moments)
    return BaseLink(
        state.base_name,
        state.version,
        state.updated_at.isoformat(),
        tuple(sorted((str(k), str(v)) for k, v in moments.items())),
    )


@dataclass(frozen=True)
class _Parsed:
    view: BaseView
    windows: tuple[attrition.FragileWindow, ...]
    kpis: attrition.Kpis


# The last few bases parsed, by database, name and import: a board reruns on every click, and
# parsing a base's aggregates (and fitting its survival) costs far more than the rest of it.
_PARSED: dict[tuple[str, str, int, str], _Parsed] = {}
_PARSED_LOCK = threading.Lock()


def _parsed(link: BaseLink, store: Store) -> _Parsed:
    key = (str(store.url), link.base, link.version, link.imported)
    found = _PARSED.get(key)
    if found is not None:
        return found
    view = get_base_view(link.base, store=store)
    parsed = _Parsed(view, tuple(view.windows), attrition.kpis(view.aggregates, view.table))
    with _PARSED_LOCK:
        if len(_PARSED) >= 8:
            del _PARSED[next(iter(_PARSED))]  # the oldest first
        _PARSED[key] = parsed
    return parsed


@requires(Permission.READ)
def journey_attrition(
    journey: Journey, *, store: Store, link: BaseLink | None = None
) -> JourneyAttrition | None:
    """The base's fragile moments on this journey's moments, or None when it reads no base.

    `link` (journey_base_state) saves reading it again. The base is parsed once per import
    and kept in this process.
    """
    if link is None:
        link = journey_base_state(journey.id, store=store)
    if link is None:
        return None
    parsed = _parsed(link, store)
    view, name = parsed.view, link.base
    mapping: dict[str, str] = dict(link.moments)
    known = {m.id for m in journey.moments}
    windows = list(parsed.windows)
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
    summary = view.aggregates.summary
    return JourneyAttrition(
        name,
        badges,
        parsed.kpis,
        tuple(unmapped),
        mapping,
        suggestions,
        summary.first_start,
        summary.last_date,
    )


@dataclass(frozen=True)
class TriggerAdded:
    program_id: str
    step_id: str
    version: int


def trigger_step(program: Program, signal: attrition.Signal, base: str, language: str) -> Step:
    """The trigger step a pre-churn signal becomes: anchored on its event (by name), its lift
    and volume as the step's KPI note. Pure; the step goes in the program's first phase."""
    from journeys.contract.editing import slugify, unique_id
    from journeys.contract.model import Anchor, Step, StepKind, Timing
    from journeys.i18n import format_number, t

    taken = {step.id for step in program.steps}
    event = slugify(signal.event) or "event"

    def ratio(value: float) -> str:
        return format_number(value, language, 1)

    kpi = t(
        "data.signal.kpi",
        language,
        lift=ratio(signal.lift),
        low=ratio(signal.lower),
        high=ratio(signal.upper),
        days=signal.window,
        left=format_number(signal.left, language),
        subscribers=format_number(signal.subscribers, language),
        base=base,
    )
    return Step(
        id=unique_id(f"signal-{event}", taken),
        phase=program.phases[0].id,
        kind=StepKind.TRIGGER,
        label=signal.event[:200],
        timing=Timing(anchor=Anchor.EVENT, event=event),
        kpi=kpi,
    )


@requires(Permission.READ)
def base_journeys(base: str, *, store: Store) -> list[str]:
    """The ids of the journeys whose board reads `base`, sorted."""
    return base_rows.journeys_reading(base, store=store)


@requires(Permission.READ)
def signal_programs(base: str, *, store: Store) -> list[ProgramSummary]:
    """The live programs a signal of `base` may become a trigger of: those of the journeys
    whose board reads the base, journey by journey, each by title."""
    from journeys.library.documents import list_programs

    return [
        summary
        for journey in base_rows.journeys_reading(base, store=store)
        for summary in list_programs(store=store, journey_id=journey)
    ]


@requires(Permission.EDIT)
def add_signal_trigger(
    program_id: str, base: str, event: str, window: int, *, store: Store
) -> TriggerAdded:
    """Turn a base's pre-churn signal into a trigger step of a program (one click)."""
    from journeys.programs.services import get_program_for_edit, save_program

    view = get_base_view(base, store=store)
    found = [s for s in attrition.signals(view.aggregates, window) if s.event == event]
    if not found:
        raise NotFoundError("signal", event, where=f"base '{base}'")
    editable = get_program_for_edit(program_id, store=store)
    program = editable.program
    if not program.phases:
        raise ValueError(f"program '{program_id}' has no phase to hold the trigger; add one first")
    step = trigger_step(program, found[0], base, program.language)
    changed = program.model_copy(update={"steps": [*program.steps, step]})
    version = save_program(
        type(program).model_validate(changed.model_dump(by_alias=True)),
        store=store,
        expected_version=editable.version,
    )
    return TriggerAdded(program_id, step.id, version)

"""Use cases of the dry run: a journey's programs (or one) run over a population — a stored
base's aggregates, a generated demo base, or a chosen number of subscribers — then the
pressure across programs and the sends in quiet hours."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeys.contract.model import Journey, Link, Program, Step
from journeys.errors import NotFoundError
from journeys.programs.dryrun import dry_run
from journeys.programs.dryrun_model import (
    Assumptions,
    Branching,
    DryRun,
    EventRate,
    Evidence,
    Population,
)
from journeys.programs.dryrun_population import evidence_of, of_aggregates, of_count, read_rows
from journeys.programs.pressure import (
    Caps,
    PressureReport,
    QuietReport,
    QuietRules,
    pressure,
    quiet_hours,
)
from journeys.roles import Permission, requires
from journeys.store.db import Store

if TYPE_CHECKING:
    from journeys.data.aggregate import Aggregates
    from journeys.data.mapping import Mapping

__all__ = [
    "DEFAULT_SUBSCRIBERS",
    "DryRunReport",
    "PopulationChoice",
    "base_evidence",
    "default_branchings",
    "default_rates",
    "dry_run_journey",
    "dry_run_programs",
    "journey_programs",
    "population_for",
]

Progress = Callable[[float, str], None]
DEFAULT_SUBSCRIBERS = 10_000
MAX_DEMO_ROWS = 2_000_000
DEMO_PROFILES = {
    "first_subscription": "press",
    "fixed_term_renewal": "renewal",
    "sepa_open_ended": "sepa",
    "add_on_purchase": "add-on",
}


@dataclass(frozen=True)
class PopulationChoice:
    """Who goes through: a stored base by name, a demo base of `demo_rows` generated rows, or
    `subscribers` with the assumptions stated; nothing chosen: the journey's linked base, else
    DEFAULT_SUBSCRIBERS."""

    base: str | None = None
    subscribers: int | None = None
    demo_rows: int | None = None
    day0: date | None = None  # the first day, for a chosen number (default: today)


@dataclass(frozen=True)
class DryRunReport:
    journey: Journey | None
    programs: tuple[Program, ...]
    run: DryRun
    pressure: PressureReport
    quiet: QuietReport
    caps: Caps


@requires(Permission.READ)
def journey_programs(journey_id: str, *, store: Store) -> list[Program]:
    """The live programs linked to a journey, by title."""
    from journeys.library.documents import get_program, list_programs

    return [
        get_program(s.id, store=store) for s in list_programs(store=store, journey_id=journey_id)
    ]


@requires(Permission.READ)
def population_for(
    journey: Journey | None,
    choice: PopulationChoice,
    assumptions: Assumptions,
    *,
    store: Store,
    progress: Progress | None = None,
    segments: bool = True,
) -> Population:
    """The population of `choice` (see PopulationChoice); `segments=False` leaves the rows'
    segment columns unread (no trigger has entry criteria). Raises NotFoundError for an
    unknown base, ValueError for a refused number."""
    from journeys.data import services as data

    step = progress or (lambda share, what: None)
    if choice.demo_rows is not None:
        return _demo(journey, choice.demo_rows, assumptions, step, segments)
    base = choice.base
    if base is None and choice.subscribers is None and journey is not None:
        linked = data.journey_base_link(journey.id, store=store)
        base = linked[0] if linked else None
    if base is not None:
        step(0.1, "reading")
        aggregates, mapping = _stored(base, store)
        return of_aggregates(aggregates, base, assumptions, roles=_roles(mapping))
    count = choice.subscribers or DEFAULT_SUBSCRIBERS
    return of_count(count, assumptions, day0=choice.day0 or date.today())


def _stored(name: str, store: Store) -> tuple[Aggregates, Mapping]:
    """A stored base's aggregates and mapping, read as they are (no survival fit)."""
    from journeys.data.aggregate import Aggregates
    from journeys.data.mapping import Mapping
    from journeys.store import base_rows

    stored = base_rows.get_base(name, store=store)
    if stored is None:
        raise NotFoundError("subscriber base", name, where="the workspace")
    return (
        Aggregates.from_json(json.loads(stored.aggregates)),
        Mapping.model_validate_json(stored.mapping),
    )


@requires(Permission.READ)
def base_evidence(name: str, *, store: Store) -> Evidence:
    """What a stored base says that a dry run uses (event rates, renewal rate, reject codes).
    Raises NotFoundError."""
    return evidence_of(_stored(name, store)[0], name)


def default_branchings(
    program: Program, evidence: Evidence | None = None
) -> list[tuple[Step, list[Link], Branching]]:
    """Each decision of the program with its links and the split a dry run uses when no share
    is given (the links' percentages, an A/B split, the base's data, or even)."""
    from journeys.programs.dryrun_shares import branching, decision_steps

    steps = {s.id: s for s in program.steps}
    return [
        (steps[sid], links, branching(program, steps[sid], links, Assumptions(), evidence))
        for sid, links in decision_steps(program).items()
        if sid in steps
    ]


def default_rates(programs: Sequence[Program], evidence: Evidence | None = None) -> list[EventRate]:
    """The events the programs are anchored on, each with the rate a dry run uses when none
    is set (the base's, its failed payments, or the assumed one)."""
    from journeys.programs.dryrun_shares import event_rate

    names = [s.timing.event for p in programs for s in p.steps if s.timing and s.timing.event]
    return [event_rate(name, Assumptions(), evidence) for name in dict.fromkeys(names)]


def _roles(mapping) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from journeys.data.mapping import SubscriptionField

    roles = {"offer": SubscriptionField.OFFER, "payment_method": SubscriptionField.PAYMENT_METHOD}
    return {role: mapping.columns[f] for role, f in roles.items() if mapping.columns.get(f)}


def _demo(
    journey: Journey | None, rows: int, assumptions: Assumptions, step: Progress, segments: bool
) -> Population:
    """A demo base of the journey's kind generated in a temporary folder, read back as rows."""
    from journeys.data.demo import generate
    from journeys.data.source import open_file

    if not 100 <= rows <= MAX_DEMO_ROWS:
        raise ValueError(f"demo rows: from 100 to {MAX_DEMO_ROWS:,}")
    profile = DEMO_PROFILES.get(journey.journey_type.value if journey else "", "press")
    with tempfile.TemporaryDirectory(prefix="journeys-dryrun-") as folder:
        step(0.05, "generating")
        files = generate(Path(folder), rows, seed=assumptions.seed, fmt="parquet", profile=profile)
        step(0.4, "reading")
        opened = open_file(files.subscriptions)
        try:
            return rows_population(opened.table, assumptions, profile=profile, segments=segments)
        finally:
            opened.close()


def rows_population(
    table: Any, assumptions: Assumptions, *, profile: str = "", segments: bool = True
) -> Population:
    """The rows of an opened extract (headers matched as on import) as a population."""
    from journeys.data.clean import guess_formats, segment_names, subscriptions
    from journeys.data.mapping import suggest_mapping

    mapping = suggest_mapping([c for c in table.columns if not c.startswith("__")])
    formats = guess_formats(table, mapping)
    subs = subscriptions(table, mapping, formats)
    facts = {"demo": profile} if profile else {}
    columns = segment_names(mapping) if segments else ()
    return read_rows(subs, assumptions, segments=columns, roles=_roles(mapping), facts=facts)


def _check_names(programs: Sequence[Program], assumptions: Assumptions) -> None:
    """Shares name decisions (steps with several links) and rates name events of the programs:
    a typo is refused, not silently ignored. Raises ValueError."""
    from journeys.programs.dryrun_shares import decision_steps

    decisions = {}
    for program in programs:
        for sid, links in decision_steps(program).items():
            decisions[sid] = decisions[f"{program.id}/{sid}"] = len(links)
    for key, values in assumptions.shares.items():
        if key not in decisions:
            known = ", ".join(sorted(k for k in decisions if "/" not in k)[:12]) or "none"
            raise ValueError(f"share {key[:80]!r}: no decision of that id (decisions: {known})")
        if len(values) not in (1, decisions[key]):
            raise ValueError(
                f"share {key[:80]!r}: {len(values)} shares for {decisions[key]} branches"
            )
    events = {s.timing.event for p in programs for s in p.steps if s.timing and s.timing.event}
    for name in assumptions.event_rates:
        if name not in events:
            known = ", ".join(sorted(str(e) for e in events)[:12]) or "none"
            raise ValueError(f"rate {name[:80]!r}: no step is anchored on that event ({known})")


@requires(Permission.READ)
def dry_run_journey(
    journey_id: str | None,
    *,
    store: Store,
    program_ids: Sequence[str] | None = None,
    choice: PopulationChoice | None = None,
    assumptions: Assumptions | None = None,
    caps: Caps | None = None,
    quiet: QuietRules | None = None,
    progress: Progress | None = None,
) -> DryRunReport:
    """Run the journey's programs (or those of `program_ids`) over the chosen population, then
    check pressure and quiet hours across them. Raises NotFoundError (journey, program,
    base, or no program at all), ValueError (a refused setting)."""
    from journeys.library.documents import get_journey, get_program

    journey = get_journey(journey_id, store=store) if journey_id else None
    if program_ids:
        programs = [get_program(pid, store=store) for pid in program_ids]
    else:
        programs = journey_programs(journey_id, store=store) if journey_id else []
    if not programs:
        raise NotFoundError("program", f"of journey '{journey_id}'", where="the workspace")
    return dry_run_programs(
        programs,
        journey,
        store=store,
        choice=choice,
        assumptions=assumptions,
        caps=caps,
        quiet=quiet,
        progress=progress,
    )


@requires(Permission.READ)
def dry_run_programs(
    programs: Sequence[Program],
    journey: Journey | None,
    *,
    store: Store,
    choice: PopulationChoice | None = None,
    assumptions: Assumptions | None = None,
    caps: Caps | None = None,
    quiet: QuietRules | None = None,
    progress: Progress | None = None,
) -> DryRunReport:
    """Run these programs (as they are, saved or not) over the chosen population, then check
    pressure and quiet hours across them. Raises NotFoundError (base), ValueError (a refused
    setting, a share or rate naming nothing)."""
    step = progress or (lambda share, what: None)
    chosen = assumptions or Assumptions()
    _check_names(programs, chosen)
    population = population_for(
        journey,
        choice or PopulationChoice(),
        chosen,
        store=store,
        progress=lambda s, w: step(0.5 * s, w),
        segments=any(s.entry is not None for p in programs for s in p.steps),
    )
    step(0.5, "running")
    kind = journey.journey_type.value if journey else None
    run = dry_run(programs, population, chosen, journey_type=kind)
    step(0.85, "pressure")
    caps = caps or Caps()
    rules = quiet or QuietRules()
    where = {"day0": run.day0, "days": run.days, "scale": population.scale}
    report = DryRunReport(
        journey,
        tuple(programs),
        run,
        pressure(run.sends, caps=caps, **where),  # type: ignore[arg-type]
        quiet_hours(run.sends, rules=rules, **where),  # type: ignore[arg-type]
        caps,
    )
    step(1.0, "done")
    return report

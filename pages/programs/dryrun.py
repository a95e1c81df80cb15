"""Programs page: the dry run — the program (or all of its journey's) run over a base, a demo
base or a number of subscribers, with the decision shares, the caps and quiet hours chosen
here; its results are drawn by pages.programs.dryrun_results."""

from __future__ import annotations

from typing import Any

import streamlit as st

from journeys.contract.model import Journey, Program
from journeys.data import services as ds
from journeys.programs import dryrun_services as drs
from journeys.programs.dryrun_model import MAX_MONTHS, Assumptions, Evidence
from journeys.programs.dryrun_text import percent
from journeys.programs.pressure import DEFAULT_CAPS, Caps, QuietRules
from pages.common.shared import lang, read, show_error, store, tr
from pages.common.text import plain
from pages.programs.dryrun_results import show_report

PREFIX = "programs_dryrun_"
REPORT = PREFIX + "report"
ZONES = (
    "Europe/Paris",
    "Indian/Reunion",
    "Indian/Mayotte",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "Europe/Brussels",
    "Europe/Luxembourg",
    "Europe/Zurich",
    "America/Montreal",
    "UTC",
)


def dryrun_panel(program: Program, journey: Journey | None) -> None:
    """The dry run's settings, its button and, once run, its results."""
    with st.expander(tr("dryrun.ui.title"), icon=":material/play_circle:", expanded=False):
        st.caption(tr("dryrun.ui.intro"))
        programs = _programs(program, journey)
        choice, months, churn, term = _population(journey)
        evidence = _evidence(choice.base)
        shares = _shares(programs, evidence)
        rates = _rates(programs, evidence)
        caps, rules = _pressure_settings()
        settings = (
            tuple(p.id for p in programs),
            choice,
            months,
            churn,
            term,
            shares,
            rates,
            caps,
            rules,
        )
        if st.button(
            tr("dryrun.ui.run"), type="primary", icon=":material/play_arrow:", key=PREFIX + "go"
        ):
            _run(programs, journey, settings)
        kept = st.session_state.get(REPORT)
        if kept is None or kept[0][0] != settings[0]:
            return
        if kept[0] != settings:
            st.caption(tr("dryrun.ui.outdated"))
        show_report(kept[1], lang())


def _programs(program: Program, journey: Journey | None) -> list[Program]:
    """This program, or every program of its journey (this one as edited here)."""
    if journey is None or program.journey != journey.id:
        return [program]
    scope = st.radio(
        tr("dryrun.ui.scope"),
        ["this", "journey"],
        horizontal=True,
        format_func={v: tr(f"dryrun.ui.scope_{v}") for v in ("this", "journey")}.__getitem__,
        key=PREFIX + "scope",
    )
    if scope == "this":
        return [program]
    others = drs.journey_programs(journey.id, store=store())
    return [program if p.id == program.id else p for p in others] or [program]


def _population(journey: Journey | None) -> tuple[drs.PopulationChoice, int, float, int | None]:
    """Who goes through, over how many months, and the assumptions without data."""
    bases = read(ds.list_base_names)
    kinds = (["base"] if bases else []) + ["demo", "count"]
    left, right = st.columns(2)
    kind = left.radio(
        tr("dryrun.ui.population"),
        kinds,
        format_func={v: tr(f"dryrun.ui.pop_{v}") for v in kinds}.__getitem__,
        key=PREFIX + "population",
    )
    months = int(
        right.number_input(tr("dryrun.ui.months"), 1, MAX_MONTHS, 12, key=PREFIX + "months")
    )
    if not bases:
        left.caption(tr("dryrun.ui.no_base"))
    churn, term = 0.0, None
    if kind == "base":
        linked = read(ds.journey_base_link, journey.id) if journey else None
        first = bases.index(linked[0]) if linked and linked[0] in bases else 0
        base = right.selectbox(tr("dryrun.ui.base"), bases, index=first, key=PREFIX + "base")
        choice = drs.PopulationChoice(base=base)
    elif kind == "demo":
        rows = right.number_input(
            tr("dryrun.ui.demo_rows"), 100, 200_000, 20_000, step=1000, key=PREFIX + "demo_rows"
        )
        choice = drs.PopulationChoice(demo_rows=int(rows))
    else:
        count = right.number_input(
            tr("dryrun.ui.subscribers"), 1, 5_000_000, 10_000, step=1000, key=PREFIX + "count"
        )
        churn = (
            right.number_input(
                tr("dryrun.ui.churn"), 0.0, 50.0, 0.0, step=0.5, key=PREFIX + "churn"
            )
            / 100
        )
        choice = drs.PopulationChoice(subscribers=int(count))
    if kind != "demo":
        picked = right.number_input(
            tr("dryrun.ui.term"),
            0,
            120,
            value=None,
            placeholder=tr("dryrun.ui.term_auto"),
            key=PREFIX + "term",
        )
        term = None if picked is None else int(picked)
    return choice, months, float(churn), term


def _evidence(base: str | None) -> Evidence | None:
    """What the chosen base says (its rates, renewal, reject codes), read through the shared
    reads: the page reruns on every click."""
    if base is None:
        return None
    try:
        return read(drs.base_evidence, base)
    except ds.NotFoundError:
        return None


def _shares(
    programs: list[Program], evidence: Evidence | None
) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """A number input per branch of each decision, prefilled with the split the run would use
    when nothing is set (evenly, unless the links or the base say otherwise): only changed
    shares are passed on."""
    chosen: list[tuple[str, tuple[float, ...]]] = []
    with st.expander(tr("dryrun.ui.shares"), icon=":material/call_split:"):
        st.caption(tr("dryrun.ui.shares_hint"))
        for program in programs:
            found = drs.default_branchings(program, evidence)
            if found and len(programs) > 1:
                st.text(program.title)  # user text: shown as text, never as Markdown
            for step, links, default in found:
                picked = _decision(program, step.label, links, default)
                if picked is not None:
                    chosen.append((f"{program.id}/{step.id}", picked))
    return tuple(chosen)


def _decision(
    program: Program, label: str, links: list[Any], default: Any
) -> tuple[float, ...] | None:
    st.markdown(plain(label))
    st.caption(
        tr(
            f"dryrun.ui.prefilled_{default.source}",
            shares=", ".join(percent(s, lang()) for s in default.shares),
        )
    )
    columns = st.columns(min(len(links), 4))
    values = []
    for i, (link, share) in enumerate(zip(links, default.shares, strict=True)):
        name = link.label or next((s.label for s in program.steps if s.id == link.to), link.to)
        key = f"{PREFIX}share_{program.id}_{default.step}_{i}"
        values.append(
            columns[i % len(columns)].number_input(
                plain(name), 0.0, 100.0, round(share * 100, 1), step=5.0, key=key
            )
        )
    if all(abs(v - d * 100) < 0.05 for v, d in zip(values, default.shares, strict=True)):
        return None
    total = sum(values)
    if abs(total - 100) > 0.05:
        st.caption(tr("dryrun.ui.shares_scaled", total=percent(total / 100, lang())))
    return tuple(v / total for v in values) if total > 0 else None


def _rates(programs: list[Program], evidence: Evidence | None) -> tuple[tuple[str, float], ...]:
    """A number input per event the programs are anchored on, prefilled with the rate the
    run would use (the base's, or assumed): only changed rates are passed on."""
    found = drs.default_rates(programs, evidence)
    base = evidence.base if evidence else ""
    if not found:
        return ()
    chosen = []
    with st.expander(tr("dryrun.ui.events"), icon=":material/bolt:"):
        st.caption(tr("dryrun.ui.events_hint"))
        columns = st.columns(3)
        for i, rate in enumerate(found):
            column = columns[i % 3]
            value = column.number_input(
                plain(rate.event),
                0.0,
                365.0,
                round(rate.per_year, 3),
                step=0.05,
                format="%.3f",
                key=f"{PREFIX}rate_{rate.event}",
                help=tr(f"dryrun.rate.{rate.source}", base=base, label=rate.label),
            )
            if abs(value - round(rate.per_year, 3)) > 1e-9:
                chosen.append((rate.event, float(value)))
    return tuple(chosen)


def _pressure_settings() -> tuple[Caps, QuietRules]:
    with st.expander(tr("dryrun.ui.pressure_settings"), icon=":material/speed:"):
        st.caption(tr("dryrun.ui.caps_hint"))
        columns = st.columns(len(DEFAULT_CAPS))
        caps = {
            kind: int(
                column.number_input(
                    tr(f"dryrun.kind.{kind}"), 0, 50, default, key=f"{PREFIX}cap_{kind}"
                )
            )
            for column, (kind, default) in zip(columns, DEFAULT_CAPS.items(), strict=True)
        }
        left, right = st.columns(2)
        zone = left.selectbox(tr("dryrun.ui.timezone"), ZONES, key=PREFIX + "zone")
        hour = right.number_input(tr("dryrun.ui.send_hour"), 0, 23, 10, key=PREFIX + "hour")
    return Caps(caps), QuietRules(timezone=zone, send_hour=int(hour))


def _run(programs: list[Program], journey: Journey | None, settings: tuple[Any, ...]) -> None:
    _, choice, months, churn, term, shares, rates, caps, rules = settings
    bar = st.progress(0.0, text=tr("dryrun.ui.progress.reading"))

    def progress(share: float, what: str) -> None:
        bar.progress(max(0.0, min(share, 1.0)), text=tr(f"dryrun.ui.progress.{what}"))

    try:
        assumptions = Assumptions(
            months=months,
            shares=dict(shares),
            event_rates=dict(rates),
            monthly_churn=churn,
            term_months=term,
        )
        with st.spinner(tr("dryrun.ui.running")):
            report = drs.dry_run_programs(
                programs,
                journey,
                store=store(),
                choice=choice,
                assumptions=assumptions,
                caps=caps,
                quiet=rules,
                progress=progress,
            )
    except (ValueError, ds.NotFoundError, ds.SourceError) as exc:
        bar.empty()
        show_error(tr("dryrun.ui.failed"), str(exc))
        return
    bar.empty()
    st.session_state[REPORT] = (settings, report)

"""A dry run in words (FR/EN): the population and horizon, each decision's shares and where
they come from, event rates, what had to be assumed, pressure over the caps, quiet hours."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from journeys.contract.model import Journey, Program
from journeys.i18n import format_date, format_number, t
from journeys.programs.dryrun_model import Branching, DryRun, Note, ProgramRun
from journeys.programs.pressure import CapFinding, PressureReport, QuietReport

# A share written on a link ("Oui · 40 %", "B (témoin) - 10%"), with what joins it to the name.
_WRITTEN_SHARE = re.compile(r"\s*[·:,\-–—]?\s*\(?\d{1,3}(?:[.,]\d+)?\s*%\)?")


def quoted(text: str, language: str) -> str:
    return f"« {text} »" if language == "fr" else f"“{text}”"


def percent(share: float, language: str) -> str:
    digits = 0 if abs(share * 100 - round(share * 100)) < 0.05 else 1
    return format_number(share * 100, language, digits) + ("\u00a0%" if language == "fr" else "%")


def population_statements(run: DryRun, language: str) -> list[str]:
    """The population and the horizon, in words."""
    pop, lang = run.population, language
    facts = dict(pop.facts)
    out = [
        t(
            "dryrun.state.horizon",
            lang,
            first=format_date(run.day0, lang, numeric=True),
            last=format_date(run.last_day, lang, numeric=True),
            months=run.assumptions.months,
        )
    ]
    if pop.origin == "count":
        out.append(
            t(
                "dryrun.state.count",
                lang,
                subscribers=format_number(facts["subscribers"], lang),
                day=format_date(run.day0, lang, numeric=True),
            )
        )
        churn = run.assumptions.monthly_churn
        key = "dryrun.state.churn" if churn else "dryrun.state.no_churn"
        out.append(t(key, lang, churn=percent(churn, lang)))
        out.append(t("dryrun.state.term", lang, months=facts.get("term_months", 12)))
    elif pop.origin == "base":
        out.append(
            t(
                "dryrun.state.base",
                lang,
                base=facts["base"],
                active=format_number(facts["active"], lang),
                day=format_date(date.fromisoformat(str(facts["last_date"])), lang, numeric=True),
                arrivals=format_number(facts["arrivals"], lang),
            )
        )
        out.append(t("dryrun.state.term", lang, months=facts.get("term_months", 12)))
    else:
        key = "dryrun.state.demo" if facts.get("demo") else "dryrun.state.rows"
        out.append(
            t(key, lang, rows=format_number(facts["rows"], lang), profile=facts.get("demo", ""))
        )
    if pop.scale > 1:
        out.append(
            t(
                "dryrun.state.sampled",
                lang,
                size=format_number(pop.size, lang),
                scale=format_number(pop.scale, lang, 1),
            )
        )
    return out


def branching_text(branch: Branching, program: Program, language: str, base: str = "") -> str:
    """“Renewed?”: Renewed 40 %, Not renewed 60 % — set in the dry run."""
    labels = {s.id: s.label for s in program.steps}
    step = labels.get(branch.step, branch.step)
    links = branch.labels
    if branch.source == "labels":  # "Yes · 40 %": the share is said once, after the name
        links = tuple(_WRITTEN_SHARE.sub("", link).strip() for link in links)
    parts = [
        f"{link or labels.get(target, target)} {percent(share, language)}"
        for target, link, share in zip(branch.targets, links, branch.shares, strict=True)
    ]
    source = t(f"dryrun.source.{branch.source}", language, base=base)
    return t("dryrun.state.decision", language, step=step, shares=", ".join(parts), source=source)


def program_statements(
    program: Program, result: ProgramRun, run: DryRun, language: str
) -> list[str]:
    """Decisions and their shares, event rates, and what the run had to assume."""
    base = run.population.evidence.base if run.population.evidence else ""
    out = [branching_text(b, program, language, base) for b in result.branchings]
    for rate in result.events:
        source = t(f"dryrun.rate.{rate.source}", language, base=base, label=rate.label)
        out.append(
            t(
                "dryrun.state.event",
                language,
                event=rate.event,
                rate=format_number(rate.per_year, language, 2),
                source=source,
            )
        )
    out += [note_text(note, program, language) for note in result.notes]
    return out


def note_text(note: Note, program: Program, language: str) -> str:
    labels = {s.id: s.label for s in program.steps}
    params: dict[str, Any] = dict(note.params)
    if "step" in params:
        params["step"] = labels.get(str(params["step"]), params["step"])
    if isinstance(params.get("steps"), list):
        named = [labels.get(s, s) for s in params["steps"]]
        params["steps"] = ", ".join(quoted(n, language) for n in named)
    if "subscribers" in params:
        params["subscribers"] = format_number(float(params["subscribers"]), language)
    if isinstance(params.get("criteria"), list):
        params["criteria"] = ", ".join(
            t(f"dryrun.criteria.{c}", language) for c in params["criteria"]
        )
    return t(f"dryrun.note.{note.code}", language, **params)


def channel_name(channel: str, journey: Journey | None, language: str) -> str:
    """A channel id, or a kind of channel (email, sms…), as the journey's row or a word."""
    if journey is not None:
        for row in journey.channels:
            if row.id == channel:
                return row.label
    word = t(f"dryrun.kind.{channel}", language)
    return channel if word == f"dryrun.kind.{channel}" else word


def _step_label(programs: list[Program] | tuple[Program, ...], program: str, step: str) -> str:
    for p in programs:
        if p.id == program:
            return next((s.label for s in p.steps if s.id == step), step)
    return step


def cap_text(
    finding: CapFinding,
    report: PressureReport,
    programs: list[Program] | tuple[Program, ...],
    journey: Journey | None,
    language: str,
) -> str:
    """One channel against its cap, in words."""
    lang = language
    name = channel_name(finding.channel, journey, lang)
    common = {
        "channel": name,
        "cap": finding.cap,
        "window": report.window,
        "peak": finding.peak,
        "sends": format_number(finding.sends, lang),
    }
    if finding.cap is None:
        return t("dryrun.pressure.uncapped", lang, **common)
    if not finding.broken:
        return t("dryrun.pressure.ok", lang, **common)
    several = len({p for p, _, _ in finding.steps}) > 1
    titles = {p.id: p.title for p in programs}
    steps = ", ".join(
        quoted(_step_label(programs, p, s), lang) + (f" ({titles.get(p, p)})" if several else "")
        for p, s, _ in finding.steps[:3]
    )
    return t(
        "dryrun.pressure.over",
        lang,
        **common,
        over=format_number(finding.over, lang),
        days=finding.days,
        subscriber_days=format_number(finding.over_days, lang),
        steps=steps,
    )


def quiet_statements(
    report: QuietReport, programs: list[Program] | tuple[Program, ...], language: str
) -> list[str]:
    """The quiet-hour rules, the sends that break them by step, and the public holidays."""
    lang, rules = language, report.rules
    out = [
        t(
            "dryrun.quiet.summary",
            lang,
            quiet=format_number(report.quiet, lang),
            sends=format_number(report.sends, lang),
            zone=rules.timezone,
            start=rules.night_start,
            end=rules.night_end,
            hour=rules.send_hour,
            send_zone=rules.send_zone,
        )
    ]
    for f in report.findings[:12]:
        out.append(
            t(
                "dryrun.quiet.step",
                lang,
                step=_step_label(programs, f.program, f.step),
                quiet=format_number(f.quiet, lang),
                sends=format_number(f.sends, lang),
                night=format_number(f.night, lang),
                sunday=format_number(f.sunday, lang),
                holiday=format_number(f.holiday, lang),
            )
        )
    for day, name, sends in report.holidays:
        if sends:
            out.append(
                t(
                    "dryrun.quiet.holiday",
                    lang,
                    day=format_date(day, lang, numeric=True),
                    name=t(f"dryrun.holiday.{name}", lang),
                    sends=format_number(sends, lang),
                )
            )
    return out

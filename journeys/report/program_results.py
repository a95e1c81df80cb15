"""What a program PDF says after its diagram, for a manager: the dry run's volumes by step, its
exits and goals, the pressure across programs and the sends in quiet hours, then the French law
checks (rule, verdict and why, reference). Tables fitted to the page, user text escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from journeys.contract.model import Program, StepKind
from journeys.i18n import format_date, format_number, t
from journeys.programs import compliance_text as rules
from journeys.programs import dryrun_text as words
from journeys.programs.compliance import FAILED, NOT_APPLICABLE, PASSED, RuleCheck
from journeys.render.fonts import BOLD
from journeys.report.style import HEADER_BG, MUTED, RULE, Sheet, esc

if TYPE_CHECKING:
    from journeys.programs.dryrun_model import ProgramRun
    from journeys.programs.dryrun_services import DryRunReport

# Verdicts in colour and symbol (never colour alone), dark enough to read on white.
_VERDICT = {
    FAILED: ("✖", "#B3261E", "#FBE4E1"),
    "unverified": ("?", "#8A5300", "#FDF0D9"),
    PASSED: ("✓", "#1E6B34", "#E3F2E6"),
    NOT_APPLICABLE: ("–", "#52606D", "#F0F2F4"),
}
_OVER = "#B3261E"


@dataclass(frozen=True)
class ProgramResults:
    """What goes after a program's diagram: a dry run of it (with the other programs of its
    journey, for the pressure), why there is none (`missing`: a sentence), and the law checks."""

    report: DryRunReport | None = None
    missing: str = ""
    checks: tuple[RuleCheck, ...] = ()


def results_flowables(
    program: Program, results: ProgramResults, sh: Sheet, lang: str, width: float
) -> list[Flowable]:
    """The results pages' story, `width` wide: the dry run, then the law checks."""
    st = _styles(sh)
    out: list[Flowable] = [
        Paragraph(esc(t("dryrun.pdf.title", lang)), sh.styles["h1"]),
        Paragraph(esc(program.title), st["intro"]),
    ]
    report = results.report
    if report is not None:
        result = next((r for r in report.run.runs if r.program_id == program.id), None)
        if result is not None:
            out += _dry_run(program, result, report, sh, st, lang, width)
    elif results.missing:
        out += [_h2(t("dryrun.pdf.dry_run", lang), sh), Paragraph(esc(results.missing), st["note"])]
    if results.checks:
        out += _compliance(results.checks, sh, st, lang, width)
    return out


# --- the dry run ------------------------------------------------------------------------------


def _dry_run(
    program: Program,
    result: ProgramRun,
    report: DryRunReport,
    sh: Sheet,
    st: dict[str, ParagraphStyle],
    lang: str,
    width: float,
) -> list[Flowable]:
    run = report.run
    out: list[Flowable] = [_h2(t("dryrun.pdf.dry_run", lang), sh)]
    out += [_bullet(line, st) for line in words.population_statements(run, lang)]
    out += [
        _h2(t("dryrun.pdf.volumes", lang), sh),
        _volumes(program, result, st, lang, width),
        Paragraph(esc(t("dryrun.pdf.volumes_legend", lang)), st["note"]),
        _h2(t("dryrun.pdf.outcomes", lang), sh),
        _outcomes(program, result, st, lang, width),
    ]
    said = words.program_statements(program, result, run, lang)
    if said:
        out += [Spacer(1, 2 * mm), *(_bullet(line, st) for line in said)]
    out += _pressure(report, program, sh, st, lang, width)
    return out


def _volumes(
    program: Program, result: ProgramRun, st: dict[str, ParagraphStyle], lang: str, width: float
) -> Table:
    head = ["step", "kind", "entered", "reached", "left", "waiting"]
    rows: list[list[Any]] = [
        [_cell(t(f"dryrun.ui.col.{h}", lang), st, "head" if i < 2 else "headnum") for i, h in
         enumerate(head)]
    ]  # fmt: skip
    phases = {p.id: p.label for p in program.phases}
    looks: list[tuple[Any, ...]] = []
    phase = None
    for step in program.steps:
        if step.phase != phase and len(program.phases) > 1:
            phase = step.phase
            looks += [
                ("SPAN", (0, len(rows)), (-1, len(rows))),
                ("BACKGROUND", (0, len(rows)), (-1, len(rows)), colors.HexColor("#F5F7FA")),
                ("NOSPLIT", (0, len(rows)), (-1, len(rows) + 1)),  # a phase stays with a step
            ]
            rows.append(
                [_cell(phases.get(step.phase, step.phase), st, "phase"), "", "", "", "", ""]
            )
        v = result.steps[step.id]
        rows.append(
            [
                _cell(step.label, st),
                _cell(t(f"programs.kind.{step.kind.value}", lang), st),
                *(
                    _cell(format_number(n, lang), st, "num")
                    for n in (v.entered, v.reached, v.left, v.waiting)
                ),
            ]  # fmt: skip
        )
    number = 0.115 * width
    widths = [width - 4 * number - 0.14 * width, 0.14 * width, number, number, number, number]
    return _table(rows, widths, looks)


def _outcomes(
    program: Program, result: ProgramRun, st: dict[str, ParagraphStyle], lang: str, width: float
) -> Table:
    """Each exit and goal with the subscribers who got there, then those whose subscription
    ended on the way and those still on their way when the horizon ends."""
    rows: list[list[Any]] = [
        [
            _cell(t("dryrun.pdf.outcome", lang), st, "head"),
            _cell(t("dryrun.ui.col.kind", lang), st, "head"),
            _cell(t("dryrun.pdf.subscribers", lang), st, "headnum"),
        ]
    ]
    for step in program.steps:
        if step.kind in (StepKind.EXIT, StepKind.GOAL):
            v = result.steps[step.id]
            rows.append(
                [
                    _cell(step.label, st),
                    _cell(t(f"programs.kind.{step.kind.value}", lang), st),
                    _cell(format_number(v.reached, lang), st, "num"),
                ]
            )
    volumes = result.steps.values()
    for key, count in (
        ("dryrun.pdf.goal_early", sum(v.goal for v in volumes)),
        ("dryrun.pdf.ended", sum(v.ended for v in volumes)),
        ("dryrun.pdf.waiting", sum(v.waiting for v in volumes)),
    ):
        rows.append(
            [_cell(t(key, lang), st, "muted"), "", _cell(format_number(count, lang), st, "num")]
        )
    number = 0.16 * width
    return _table(rows, [width - number - 0.16 * width, 0.16 * width, number], [])


def _pressure(
    report: DryRunReport,
    program: Program,
    sh: Sheet,
    st: dict[str, ParagraphStyle],
    lang: str,
    width: float,
) -> list[Flowable]:
    pressure, journey = report.pressure, report.journey
    out: list[Flowable] = [CondPageBreak(45 * mm), _h2(t("dryrun.pdf.pressure", lang), sh)]
    others = [p.title for p in report.programs if p.id != program.id]
    if others:
        names = ", ".join(words.quoted(title, lang) for title in others)
        out.append(Paragraph(esc(t("dryrun.pdf.across", lang, programs=names)), st["note"]))
    head = ["channel", "cap", "peak", "over", "days", "sends"]
    rows: list[list[Any]] = [
        [_cell(t(f"dryrun.pdf.col.{h}", lang), st, "head" if i == 0 else "headnum") for i, h in
         enumerate(head)]
    ]  # fmt: skip
    looks: list[tuple[Any, ...]] = []
    for finding in pressure.findings:
        name = words.channel_name(finding.channel, journey, lang)
        cap = "—" if finding.cap is None else str(finding.cap)
        style = "over" if finding.broken else "num"
        rows.append(
            [
                _cell(name, st, "overtext" if finding.broken else "body"),
                _cell(cap, st, "num"),
                _cell(str(finding.peak), st, style),
                _cell(format_number(finding.over, lang), st, style),
                _cell(str(finding.days), st, style),
                _cell(format_number(finding.sends, lang), st, "num"),
            ]
        )
        if finding.broken:
            looks.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), "#FBE4E1"))
    if len(rows) > 1:
        column = 0.13 * width
        out.append(_table(rows, [width - 5 * column, *[column] * 5], looks))
        legend = t("dryrun.pdf.pressure_legend", lang, window=pressure.window)
        out.append(Paragraph(esc(legend), st["note"]))
    else:
        out.append(Paragraph(esc(t("dryrun.pdf.no_sends", lang)), st["body"]))
    for finding in pressure.broken:
        text = words.cap_text(finding, pressure, report.programs, journey, lang)
        out.append(_bullet(text, st, mark="✖", colour=_OVER))
    if pressure.broken:
        total = t("dryrun.pdf.over_any", lang, subscribers=format_number(pressure.over_any, lang))
        out.append(Paragraph(f"<b>{esc(total)}</b>", st["body"]))
    out += _quiet(report, sh, st, lang, width)
    return out


def _quiet(
    report: DryRunReport, sh: Sheet, st: dict[str, ParagraphStyle], lang: str, width: float
) -> list[Flowable]:
    """The rule and the total, then the steps with sends in quiet hours (most first) as a
    table, and the public holidays of the horizon on one line."""
    quiet = report.quiet
    summary = words.quiet_statements(quiet, report.programs, lang)[0]
    ok = not quiet.quiet
    out: list[Flowable] = [
        CondPageBreak(40 * mm),
        _h2(t("dryrun.ui.quiet", lang), sh),
        _bullet(summary, st, mark="✓" if ok else "✖", colour="#1E6B34" if ok else _OVER),
    ]
    if quiet.findings:
        head = ["step", "sends", "quiet", "night", "sunday", "holiday"]
        rows: list[list[Any]] = [
            [_cell(t(f"dryrun.pdf.col.{h}", lang), st, "head" if i == 0 else "headnum") for
             i, h in enumerate(head)]
        ]  # fmt: skip
        titles = {p.id: p for p in report.programs}
        for f in quiet.findings[:15]:
            program = titles.get(f.program)
            label = (
                next((s.label for s in program.steps if s.id == f.step), f.step)
                if program
                else f.step
            )
            if len(report.programs) > 1 and program is not None:
                label = f"{label} ({program.title})"
            rows.append(
                [
                    _cell(label, st),
                    *(
                        _cell(format_number(n, lang), st, "num")
                        for n in (f.sends, f.quiet, f.night, f.sunday, f.holiday)
                    ),
                ]  # fmt: skip
            )
        column = 0.125 * width
        out.append(_table(rows, [width - 5 * column, *[column] * 5], []))
        if len(quiet.findings) > 15:
            more = t("dryrun.pdf.more_steps", lang, count=len(quiet.findings) - 15)
            out.append(Paragraph(esc(more), st["note"]))
    days = [
        t("dryrun.pdf.holiday", lang, day=_day(day, lang), name=t(f"dryrun.holiday.{name}", lang),
          sends=format_number(sends, lang))
        for day, name, sends in quiet.holidays
        if sends
    ]  # fmt: skip
    if days:
        line = t("dryrun.pdf.holidays", lang, days="; ".join(days))
        out.append(Paragraph(esc(line), st["note"]))
    return out


def _day(day: date, lang: str) -> str:
    return format_date(day, lang)


# --- the law checks ---------------------------------------------------------------------------


def _compliance(
    checks: Sequence[RuleCheck],
    sh: Sheet,
    st: dict[str, ParagraphStyle],
    lang: str,
    width: float,
) -> list[Flowable]:
    counts = rules.counts(checks)
    head = [
        _cell(t("dryrun.pdf.col.rule", lang), st, "head"),
        _cell(t("dryrun.pdf.col.verdict", lang), st, "head"),
        _cell(t("dryrun.pdf.col.why", lang), st, "head"),
    ]
    rows: list[list[Any]] = [head]
    looks: list[tuple[Any, ...]] = []
    for check in checks:
        symbol, ink, paper = _VERDICT.get(check.status, _VERDICT[NOT_APPLICABLE])
        rule = (
            f"<b>{esc(rules.rule_title(check.rule, lang))}</b><br/>"
            f'<font color="#52606D">{esc(rules.rule_reference(check.rule, lang))}</font>'
        )
        status = esc(rules.status_word(check.status, lang))
        verdict = f'<font color="{ink}"><b>{symbol} {status}</b></font>'
        why = "<br/>".join(
            "• "
            + esc(rules.finding_text(f, lang))
            + (f' <font color="#52606D">[{esc(", ".join(f.steps))}]</font>' if f.steps else "")
            for f in check.findings
        )
        if check.status == FAILED:
            why += (
                f'<br/><i><font color="#52606D">{esc(rules.rule_text(check.rule, lang))}</font></i>'
            )
        rows.append(
            [
                Paragraph(rule, st["body"]),
                Paragraph(verdict, st["body"]),
                Paragraph(why, st["body"]),
            ]
        )
        looks.append(("BACKGROUND", (1, len(rows) - 1), (1, len(rows) - 1), colors.HexColor(paper)))
    table = _table(rows, [0.29 * width, 0.17 * width, 0.54 * width], looks)
    return [
        CondPageBreak(50 * mm),
        _h2(t("compliance.title", lang), sh),
        Paragraph(esc(t("compliance.counts", lang, **counts)), st["note"]),
        table,
    ]


# --- pieces -----------------------------------------------------------------------------------


def _styles(sh: Sheet) -> dict[str, ParagraphStyle]:
    base = sh.styles["cell"]
    size = 8.4 * sh.scale

    def style(name: str, **extra: Any) -> ParagraphStyle:
        values: dict[str, Any] = {"fontSize": size, "leading": size * 1.3}
        return ParagraphStyle(name, parent=base, **(values | extra))

    return {
        "body": style("r-body"),
        "num": style("r-num", alignment=2),
        "over": style("r-over", alignment=2, fontName=BOLD, textColor=colors.HexColor(_OVER)),
        "overtext": style("r-overtext", fontName=BOLD, textColor=colors.HexColor(_OVER)),
        "head": style("r-head", fontName=BOLD),
        "headnum": style("r-headnum", fontName=BOLD, alignment=2),
        "phase": style("r-phase", fontName=BOLD, textColor=MUTED),
        "muted": style("r-muted", textColor=MUTED),
        "note": style("r-note", textColor=MUTED, spaceBefore=1 * mm, spaceAfter=1.5 * mm),
        "bullet": style(
            "r-bullet", leftIndent=3.2 * mm, firstLineIndent=-3.2 * mm, spaceAfter=1 * mm
        ),
        "intro": ParagraphStyle("r-intro", parent=sh.styles["body"], textColor=MUTED),
    }


def _h2(text: str, sh: Sheet) -> Flowable:
    return Paragraph(esc(text), sh.styles["h2"])


def _cell(text: object, st: dict[str, ParagraphStyle], style: str = "body") -> Paragraph:
    return Paragraph(esc(text), st[style])


def _bullet(
    text: str, st: dict[str, ParagraphStyle], *, mark: str = "•", colour: str | None = None
) -> Paragraph:
    sign = f'<font color="{colour}">{mark}</font>' if colour else mark
    return Paragraph(f"{sign} {esc(text)}", st["bullet"])


def _table(rows: list[list[Any]], widths: list[float], looks: list[tuple[Any, ...]]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
                *looks,
            ]
        )
    )
    return table


__all__ = ["ProgramResults", "results_flowables"]

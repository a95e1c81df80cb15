"""Export use cases: gather a document and what goes with it from the store, then export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import groupby
from pathlib import Path

from journeys.board.compare import CellGap, JourneyGap, compare
from journeys.board.priorities import NO_VOTES
from journeys.contract.model import Journey, JourneyState, Program, Touchpoint
from journeys.contract.yaml_io import write_atomically
from journeys.export import files as exports
from journeys.i18n import enum_label, t
from journeys.report.sections import GapLine, GapMoment, GapReport
from journeys.report.summary import FragileMoment
from journeys.roles import Permission, requires
from journeys.services import (
    NotFoundError,
    Store,
    get_journey,
    get_journey_for_edit,
    get_program,
    list_programs,
)
from journeys.workshop.votes import report_votes

JOURNEY_FORMATS = ("pdf", "csv", "yaml", "xlsx", "pptx")
PROGRAM_FORMATS = ("svg", "png", "pdf", "dot", "yaml")


def _document(doc_id: str, store: Store, fmt: str) -> Journey | Program:
    """A journey first (a program when the format is a diagram-only one), as the CLI's ID."""
    order = ("program", "journey") if fmt in ("svg", "png", "dot") else ("journey", "program")
    for kind in order:
        try:
            if kind == "journey":
                return get_journey(doc_id, store=store)
            return get_program(doc_id, store=store)
        except NotFoundError:
            continue
    raise NotFoundError("journey or program", doc_id, where="the workspace")


def _linked_programs(journey: Journey, store: Store) -> list[Program]:
    """The journey's programs; a target journey without its own uses its source's."""
    summaries = list_programs(store=store, journey_id=journey.id)
    if not summaries and journey.derived_from:
        summaries = list_programs(store=store, journey_id=journey.derived_from)
    return [get_program(summary.id, store=store) for summary in summaries]


def gap_report(gap: JourneyGap, current: Journey, language: str) -> GapReport:
    """Return the PDF's gap section for a target journey compared with its current journey:
    by moment, each problem resolved with the improvement that resolves it, each problem
    remaining or new, each touchpoint added, removed or changed."""
    words = _GapWords(current, gap, language)
    moments = []
    for moment, cells in groupby(gap.cells, key=lambda cell: cell.moment):
        group = list(cells)
        lines = [line for cell in group for line in words.lines(cell)]
        if not lines:
            continue
        counts = t(
            "gap.cell_change",
            language,
            resolved=sum(len(c.resolved) for c in group),
            remaining=sum(len(c.remaining) for c in group),
        )
        label, key = words.moments.get(moment, (moment, False))
        moments.append(GapMoment(label, key, counts, tuple(lines)))
    summary = (
        t("gap.summary_resolved", language, count=len(gap.resolved)),
        t("gap.summary_remaining", language, count=len(gap.remaining)),
        t("gap.summary_cells", language, count=len(gap.changed_cells)),
    )
    return GapReport(current.title, summary, tuple(moments), current)


class _GapWords:
    """The words of the gap lines: the journeys' labels, the states in the report's language."""

    def __init__(self, current: Journey, gap: JourneyGap, language: str):
        self.language = language
        self.moments = {m.id: (m.label, m.key) for m in current.moments}
        self.channels = {c.id: c.label for c in current.channels}
        self.moments.update({m.id: (m.label, m.key) for m in gap.moments_added})
        self.channels.update({c.id: c.label for c in gap.channels_added})
        self.labels = {tp.id: tp.label for tp in current.touchpoints}
        for cell in gap.cells:
            self.labels.update({tp.id: tp.label for tp in cell.added})

    def _t(self, key: str, **values: object) -> str:
        return t(key, self.language, **values)

    def _where(self, channel: str, touchpoint: str) -> str:
        return f"{self.channels.get(channel, channel)} · {touchpoint}"

    def lines(self, cell: CellGap) -> list[GapLine]:
        """Problems resolved (strongest first), new, remaining; then touchpoint changes."""
        out = []
        for state, refs in (
            ("resolved", cell.resolved),
            ("introduced", cell.introduced),
            ("remaining", cell.remaining),
        ):
            for ref in sorted(refs, key=lambda r: -r.finding.intensity):
                out.append(
                    GapLine(
                        self._where(ref.channel, self.labels.get(ref.touchpoint, ref.touchpoint)),
                        ref.finding.text,
                        self._t(f"gap.state.{state}"),
                        ref.finding.improvement or "",
                        ref.finding.type,
                        ref.finding.intensity,
                    )
                )
        for tp in cell.added:
            status = enum_label("report.status", tp.status, self.language)
            text = self._t("gap.touchpoint_added", status=status)
            out.append(GapLine(self._where(tp.channel, tp.label), text, self._t("gap.state.added")))
        for change in cell.changed:
            after = change.after
            text = "\n".join(self._field(change.before, after, name) for name in change.fields)
            where = self._where(after.channel, after.label)
            out.append(GapLine(where, text, self._t("gap.state.changed")))
        for tp in cell.removed:
            text = self._t("gap.touchpoint_removed")
            out.append(
                GapLine(self._where(tp.channel, tp.label), text, self._t("gap.state.removed"))
            )
        return out

    def _field(self, before: Touchpoint, after: Touchpoint, name: str) -> str:
        if name == "status":
            old, new = (
                enum_label("report.status", tp.status, self.language) for tp in (before, after)
            )
        elif name == "moment":
            old, new = (
                self.moments.get(tp.moment, (tp.moment, False))[0] for tp in (before, after)
            )
        elif name == "channel":
            old, new = (self.channels.get(tp.channel, tp.channel) for tp in (before, after))
        else:
            old, new = (str(getattr(tp, name) or "—") for tp in (before, after))
        return self._t(f"gap.field.{name}", before=old, after=new)


def _gap_for(journey: Journey, store: Store) -> GapReport | None:
    if journey.state is not JourneyState.TARGET or not journey.derived_from:
        return None
    try:
        current = get_journey(journey.derived_from, store=store)
    except NotFoundError:
        return None
    return gap_report(compare(current, journey), current, journey.language)


def _workbook(journey_id: str, store: Store, language: str | None, day: date) -> exports.Export:
    """The editable Excel grid, with the handles and versions an import maps it back by."""
    from journeys.export.workbook import MEDIA_TYPE, BookSource, build_workbook
    from journeys.programs.services import get_program_for_edit

    editable = get_journey_for_edit(journey_id, store=store)
    programs = []
    for summary in list_programs(store=store, journey_id=journey_id):
        found = get_program_for_edit(summary.id, store=store)
        programs.append((found.program, found.version))
    ids = {tp: [ref.id for ref in refs] for tp, refs in editable.finding_refs.items()}
    source = BookSource(editable.journey, ids, editable.revision[1], programs)
    data = build_workbook(source, language=language)
    return exports.Export(data, exports.safe_filename(journey_id, fmt="xlsx", day=day), MEDIA_TYPE)


def _deck(
    journey: Journey,
    store: Store,
    language: str | None,
    day: date,
    progress: Callable[[float, str], None] | None,
) -> exports.Export:
    """The editable PowerPoint deck: what the PDF holds (programs, gap), as slides."""
    from journeys.export.deck import MEDIA_TYPE, build_journey_deck

    data = build_journey_deck(
        journey,
        _linked_programs(journey, store),
        generated_on=day,
        gap=_gap_for(journey, store),
        language=language,
        progress=progress,
    )
    return exports.Export(data, exports.safe_filename(journey.id, fmt="pptx", day=day), MEDIA_TYPE)


def _fragile_for(journey: Journey, store: Store, language: str | None) -> list[FragileMoment]:
    """The fragile moments the journey's subscriber base shows (none without a base), most
    subscribers lost first, as the PDF's first page lists them."""
    from journeys.board.fragile import figures
    from journeys.data.services import journey_attrition
    from journeys.i18n import document_language

    found = journey_attrition(journey, store=store)
    if found is None:
        return []
    lang = document_language(language or journey.language)
    labels = {m.id: m.label for m in journey.moments}
    ranked = sorted(found.badges.values(), key=lambda badge: -badge.lost_per_year)
    return [
        FragileMoment(
            labels.get(badge.moment, badge.moment),
            t("report.fragile_signal", lang, base=found.base)
            + (" — " + t("board.fragile.uncovered", lang) if badge.uncovered else ""),
            " · ".join(figures(badge, lang)),
        )
        for badge in ranked
    ]


@requires(Permission.EXPORT)
def export_download(
    doc_id: str,
    *,
    store: Store,
    fmt: str,
    view: str | None = None,
    page: str = "A3",
    language: str | None = None,
    generated_on: date | None = None,
    appendix: bool = False,
    progress: Callable[[float, str], None] | None = None,
    dryrun: bool | None = None,
    subscribers: int | None = None,
) -> exports.Export:
    """Return the bytes, file name and media type of an export of a journey or program.

    A journey's PDF holds its linked programs and, for a target journey, the gap from its
    current journey; the full findings table only with `appendix` (the report is for a
    manager: its first page sums them up), its problems ranked by the workshop's vote (for a
    target journey, its current journey's). Raises NotFoundError, or ValueError for a format
    the kind lacks. `progress` is told how far a deck (pptx) is: see journeys.export.deck.
    A program's PDF adds a dry run (by default when its journey reads a subscriber base;
    `dryrun` True or False says so; `subscribers` without a base) and the law checks: see
    export.program_results.
    """
    document = _document(doc_id, store, fmt)
    if isinstance(document, Journey):
        if fmt not in JOURNEY_FORMATS:
            raise ValueError(
                f"a journey exports as {', '.join(JOURNEY_FORMATS)}; '{fmt}' is for programs"
            )
        if fmt == "xlsx":
            return _workbook(document.id, store, language, generated_on or date.today())
        if fmt == "pptx":
            return _deck(document, store, language, generated_on or date.today(), progress)
        return exports.export_bytes(
            document,
            fmt=fmt,
            programs=_linked_programs(document, store) if fmt == "pdf" else (),
            page=page,
            generated_on=generated_on,
            gap=_gap_for(document, store) if fmt == "pdf" else None,
            language=language,
            appendix=appendix,
            fragile=_fragile_for(document, store, language) if fmt == "pdf" else (),
            votes=report_votes(document, store=store) if fmt == "pdf" else NO_VOTES,
        )
    if fmt not in PROGRAM_FORMATS:
        raise ValueError(f"a program exports as {', '.join(PROGRAM_FORMATS)}")
    journey = None
    if document.journey:
        try:
            journey = get_journey(document.journey, store=store)
        except NotFoundError:
            journey = None
    results = None
    if fmt == "pdf":
        from journeys.export.program_results import program_results

        results = program_results(
            document,
            journey,
            store=store,
            dryrun=dryrun,
            subscribers=subscribers,
            day0=generated_on,
            language=language,
        )
    return exports.export_bytes(
        document,
        fmt=fmt,
        view=view,
        journey=journey,
        page=page,
        language=language,
        generated_on=generated_on,
        results=results,
    )


@requires(Permission.EXPORT)
def export_to_file(
    doc_id: str,
    *,
    store: Store,
    fmt: str,
    export_dir: Path,
    view: str | None = None,
    output: Path | None = None,
    page: str = "A3",
    language: str | None = None,
    appendix: bool = False,
    dryrun: bool | None = None,
) -> Path:
    """Write an export atomically to `output`, or under a safe name in `export_dir`."""
    export = export_download(
        doc_id,
        store=store,
        fmt=fmt,
        view=view,
        page=page,
        language=language,
        appendix=appendix,
        dryrun=dryrun,
    )
    if output is None:
        return exports.write_atomically(Path(export_dir), export.filename, export.data)
    return write_atomically(output, export.data)

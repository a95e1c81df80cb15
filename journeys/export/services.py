"""Export use cases: gather a document and what goes with it from the store, then export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from journeys.board.compare import JourneyGap, compare
from journeys.contract.model import Journey, JourneyState, Program
from journeys.contract.yaml_io import write_atomically
from journeys.export import files as exports
from journeys.i18n import t
from journeys.report.sections import GapReport, GapRow
from journeys.roles import Permission, requires
from journeys.services import NotFoundError, Store, get_journey, get_program, list_programs

JOURNEY_FORMATS = ("pdf", "csv", "yaml")
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
    """Return the PDF's gap section for a target journey compared with its current journey."""
    moments = {m.id: m.label for m in current.moments}
    channels = {c.id: c.label for c in current.channels}
    rows = []
    for cell in gap.changed_cells:
        as_is = ", ".join(tp.label for tp in cell.removed) or ", ".join(
            c.before.label for c in cell.changed
        )
        to_be = ", ".join(tp.label for tp in cell.added) or ", ".join(
            c.after.label for c in cell.changed
        )
        change = t(
            "gap.cell_change",
            language,
            resolved=len(cell.resolved),
            remaining=len(cell.remaining),
        )
        rows.append(
            GapRow(
                moments.get(cell.moment, cell.moment),
                channels.get(cell.channel, cell.channel),
                as_is or "—",
                to_be or "—",
                change,
            )
        )
    summary = (
        t("gap.summary_resolved", language, count=len(gap.resolved)),
        t("gap.summary_remaining", language, count=len(gap.remaining)),
        t("gap.summary_cells", language, count=len(gap.changed_cells)),
    )
    return GapReport(current.title, summary, tuple(rows))


def _gap_for(journey: Journey, store: Store) -> GapReport | None:
    if journey.state is not JourneyState.TARGET or not journey.derived_from:
        return None
    try:
        current = get_journey(journey.derived_from, store=store)
    except NotFoundError:
        return None
    return gap_report(compare(current, journey), current, journey.language)


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
) -> exports.Export:
    """Return the bytes, file name and media type of an export of a journey or program.

    A journey's PDF holds its linked programs and, for a target journey, the gap from its
    current journey. Raises NotFoundError, or ValueError for a format the kind lacks.
    """
    document = _document(doc_id, store, fmt)
    if isinstance(document, Journey):
        if fmt not in JOURNEY_FORMATS:
            raise ValueError(
                f"a journey exports as {', '.join(JOURNEY_FORMATS)}; '{fmt}' is for programs"
            )
        return exports.export_bytes(
            document,
            fmt=fmt,
            programs=_linked_programs(document, store) if fmt == "pdf" else (),
            page=page,
            generated_on=generated_on,
            gap=_gap_for(document, store) if fmt == "pdf" else None,
            language=language,
        )
    if fmt not in PROGRAM_FORMATS:
        raise ValueError(f"a program exports as {', '.join(PROGRAM_FORMATS)}")
    journey = None
    if document.journey:
        try:
            journey = get_journey(document.journey, store=store)
        except NotFoundError:
            journey = None
    return exports.export_bytes(
        document, fmt=fmt, view=view, journey=journey, page=page, language=language
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
) -> Path:
    """Write an export atomically to `output`, or under a safe name in `export_dir`."""
    export = export_download(doc_id, store=store, fmt=fmt, view=view, page=page, language=language)
    if output is None:
        return exports.write_atomically(Path(export_dir), export.filename, export.data)
    return write_atomically(output, export.data)

"""Exports page: the format choices, the generation with its progress, the download and the
copy saved to the export folder."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from journeys import services
from journeys.export import services as export_services
from journeys.export.files import Export
from journeys.render import engine as rendering
from journeys.settings import get_settings
from pages.common.shared import show_error, store, tr
from pages.common.text import plain

RESULT = "exports_result"
FORMATS = {"journey": export_services.JOURNEY_FORMATS, "program": export_services.PROGRAM_FORMATS}
DIAGRAMS = ("svg", "png", "pdf", "dot")


def program_name(summary: services.ProgramSummary, journeys: dict[str, str]) -> str:
    if summary.journey and summary.journey in journeys:
        return f"{summary.title} · {journeys[summary.journey].split(' · ')[0]}"
    return summary.title


def format_options(kind: str) -> dict[str, Any]:
    """Format, and the page size (journey PDF) or the view (program diagram)."""
    formats = FORMATS[kind]
    fmt = st.segmented_control(
        tr("exports.format"),
        formats,
        default=formats[0],
        required=True,
        format_func={f: tr(f"exports.format_{f}") for f in formats}.__getitem__,
        key=f"exports_format_{kind}",
    )
    fmt = fmt or formats[0]
    request: dict[str, Any] = {"fmt": fmt, "page": "A3", "view": None, "appendix": False}
    if fmt == "pdf":  # a journey's report or a program's diagram, on A3 or A4 paper
        request["page"] = st.segmented_control(
            tr("exports.page"),
            ["A3", "A4"],
            default="A3",
            required=True,
            key="exports_page",
            help=tr("exports.page_help"),
        )
    if kind == "journey" and fmt == "pdf":
        request["appendix"] = st.checkbox(
            tr("exports.appendix"), key="exports_appendix", help=tr("exports.appendix_help")
        )
    if kind == "program" and fmt in DIAGRAMS:
        request["view"] = st.segmented_control(
            tr("exports.view"),
            ["macro", "detailed"],
            default="macro",
            required=True,
            format_func={v: tr(f"exports.view_{v}") for v in ("macro", "detailed")}.__getitem__,
            key="exports_view",
        )
    return request


def _clash(request: dict[str, Any]) -> bool:
    """A program whose id a journey also uses: the export service would pick the journey."""
    if request["kind"] != "program" or request["fmt"] not in ("pdf", "yaml"):
        return False
    try:
        services.get_journey(request["doc_id"], store=store())
    except services.NotFoundError:
        return False
    return True


def _arguments(request: dict[str, Any]) -> dict[str, Any]:
    return {
        "store": store(),
        "fmt": request["fmt"],
        "view": request["view"],
        "page": request["page"] or "A3",
        "language": request["language"],
        "appendix": request["appendix"],
    }


def _generate(request: dict[str, Any]) -> Export | None:
    """Run the export under a status box that says what it is doing and how long it took."""
    what = tr(f"exports.format_{request['fmt']}")
    with st.status(tr("exports.working", what=what), expanded=True) as status:
        st.write(tr(f"exports.step_{request['kind']}"))
        if request["fmt"] in ("pdf", "png", "svg", "pptx"):
            st.write(tr("exports.step_render", engine=rendering.engine_name()))
        started = time.perf_counter()
        try:
            export = export_services.export_download(
                request["doc_id"], **_arguments(request), **_progress(request)
            )
        except (services.StoreError, ValueError, rendering.RenderError, OSError) as exc:
            status.update(label=tr("exports.failed"), state="error", expanded=True)
            show_error(tr("exports.failed"), str(exc))
            return None
        seconds = time.perf_counter() - started
        status.update(
            label=tr(
                "exports.done",
                name=export.filename,
                size=_size(len(export.data)),
                seconds=f"{seconds:.1f}",
            ),
            state="complete",
            expanded=False,
        )
    return export


def _progress(request: dict[str, Any]) -> dict[str, Any]:
    """A deck says how far it is: a bar, with the step it is on."""
    if request["fmt"] != "pptx":
        return {}
    bar = st.progress(0.0, text=tr("exports.deck_step.board"))

    def tell(fraction: float, step: str) -> None:
        bar.progress(min(1.0, max(0.0, fraction)), text=tr(f"exports.deck_step.{step}"))

    return {"progress": tell}


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} B"


def export_panel(request: dict[str, Any]) -> None:
    """Prepare, then download or save; a prepared export is dropped when a choice changes."""
    if _clash(request):
        st.error(tr("exports.clash", id=request["doc_id"]))
        return
    fingerprint = tuple(sorted(request.items()))
    kept = st.session_state.get(RESULT)
    if kept and kept[0] != fingerprint:
        st.session_state.pop(RESULT)
        kept = None
    if st.button(
        tr("exports.prepare"), type="primary", icon=":material/play_arrow:", key="exports_prepare"
    ):
        export = _generate(request)
        kept = (fingerprint, export) if export is not None else None
        st.session_state[RESULT] = kept
        if kept is None:
            st.session_state.pop(RESULT)
    if not kept:
        st.caption(tr("exports.prepare_hint"))
        return
    export = kept[1]
    st.markdown(f":material/description: `{export.filename}` · {_size(len(export.data))}")
    download, save = st.columns(2)
    download.download_button(
        tr("exports.download"),
        export.data,
        file_name=export.filename,
        mime=export.media_type,
        type="primary",
        icon=":material/download:",
        key="exports_download",
        on_click="ignore",
        width="stretch",
    )
    if save.button(tr("exports.save"), icon=":material/save:", key="exports_save", width="stretch"):
        _save(request)
    if export.media_type in ("image/svg+xml", "image/png"):
        data = export.data
        if export.media_type == "image/svg+xml":
            text = data.decode("utf-8")
            data = text[text.find("<svg") :]
        st.image(data, width="stretch")


def _save(request: dict[str, Any]) -> None:
    folder = get_settings().export_dir
    try:
        with st.spinner(tr("exports.saving")):
            path = export_services.export_to_file(
                request["doc_id"], export_dir=folder, **_arguments(request)
            )
    except (services.StoreError, ValueError, rendering.RenderError, OSError) as exc:
        show_error(tr("exports.save_failed", folder=str(folder)), str(exc))
        return
    st.success(plain(tr("exports.saved", path=str(path.resolve()))), icon=":material/folder:")

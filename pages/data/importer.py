"""Import an extract: where it is → its name → which column is which → import, with progress;
rows that cannot be read listed by row, and nothing stored."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import streamlit as st

from journeys.data import services as ds
from journeys.data.clean import DATE_FORMATS, Problem
from journeys.data.mapping import (
    REQUIRED_EVENT,
    REQUIRED_PAYMENT,
    REQUIRED_SUBSCRIPTION,
    EventField,
    Mapping,
    PaymentField,
    SubscriptionField,
    suggest_events,
    suggest_payments,
)
from journeys.errors import StoreError
from pages.common.shared import flash, show_error, store, tr
from pages.common.text import plain
from pages.common.upload import UPLOAD_MB, upload_guard
from pages.data import sources, views
from pages.data.sources import Spec, Upload
from pages.data.views import day

PREFIX = "data_import_"
ZONE = "data_import"  # the container whose uploaders the upload guard watches
UPLOADS = PREFIX + "uploads"  # bumped after an import: the uploaders start empty
RESET = PREFIX + "reset"  # (side -> signature) the mapping widgets were last filled for
PREVIEWS = PREFIX + "previews"
PROBLEMS = PREFIX + "problems"  # (signature, problems, total) of the last refused import
NONE = ""
SELECTED = "data_base"  # the base the analysis shows (page.py)
TAB = "data_tab"
_SAMPLE_DAY = datetime(2025, 12, 31, 14, 30, 5)
_PROGRESS = {
    "reading": "data.progress.reading",
    "checking rows": "data.progress.checking",
    "life table": "data.progress.life",
    "cohorts": "data.progress.cohorts",
    "signals": "data.progress.signals",
    "payments": "data.progress.payments",
    "done": "data.progress.done",
    "stored": "data.progress.stored",
}


def import_panel(bases: list[ds.BaseInfo]) -> None:
    """Draw the whole import flow (the caller checked the right to import)."""
    with st.container(key=ZONE):
        spec = _source_step()
        if spec is None:
            return
        preview = _first_preview(spec, bases)
        if preview is None:
            return
        name = _name_step(spec, bases)
        mapping = _mapping_step(spec, preview)
        _import_step(spec, name, mapping)


# -- 1. where the extract is ------------------------------------------------------------------


def _source_step() -> Spec | None:
    kinds = ("file", "path", "database")
    kind = st.segmented_control(
        tr("data.import.where"),
        kinds,
        default="file",
        format_func={k: tr(f"data.import.kind_{k}") for k in kinds}.__getitem__,
        key=PREFIX + "kind",
        required=True,
    )
    if kind == "path":
        st.caption(tr("data.import.path_help"))
        return _path_spec()
    if kind == "database":
        st.caption(tr("data.import.database_help"))
        return _database_spec()
    st.caption(tr("data.import.file_help", mb=UPLOAD_MB))
    return _upload_spec()


def _upload_spec() -> Spec | None:
    too_big = tr("data.import.too_big", mb=UPLOAD_MB, name="{name}")
    st.html(upload_guard(ZONE, too_big, sources.FILE_KINDS), unsafe_allow_javascript=True)
    count = st.session_state.get(UPLOADS, 0)
    # No `type=`: given one, Streamlit stops the whole page on a name with a NUL byte; the
    # guard gives the browser's picker its list, and the name is checked here.
    main = st.file_uploader(
        tr("data.import.file", mb=UPLOAD_MB), key=f"{PREFIX}file_{count}", max_upload_size=UPLOAD_MB
    )
    with st.expander(tr("data.import.more_files")):
        st.caption(tr("data.import.more_files_help"))
        events = st.file_uploader(
            tr("data.import.events_file", mb=UPLOAD_MB),
            key=f"{PREFIX}events_{count}",
            max_upload_size=UPLOAD_MB,
        )
        payments = st.file_uploader(
            tr("data.import.payments_file", mb=UPLOAD_MB),
            key=f"{PREFIX}payments_{count}",
            max_upload_size=UPLOAD_MB,
        )
    if main is None:
        return None
    uploads = {}
    for side, item in (("main", main), ("events", events), ("payments", payments)):
        if item is None:
            continue
        if not sources.file_kind_ok(item.name):
            st.error(plain(tr("data.import.not_a_table", name=sources.clean_name(item.name))))
            return None
        uploads[side] = Upload(item.name, item.getvalue())
    return Spec("file", uploads["main"], None, uploads.get("events"), uploads.get("payments"))


def _path_spec() -> Spec | None:
    main = st.text_input(tr("data.import.path"), key=PREFIX + "path", max_chars=1000).strip()
    events = st.text_input(
        tr("data.import.events_path"), key=PREFIX + "events_path", max_chars=1000
    ).strip()
    payments = st.text_input(
        tr("data.import.payments_path"), key=PREFIX + "payments_path", max_chars=1000
    ).strip()
    if not main:
        return None
    for path in (main, events, payments):
        if path and not sources.file_kind_ok(path):
            st.error(plain(tr("data.import.not_a_table", name=Path(path).name)))
            return None
    return Spec("path", main, None, events or None, payments or None)


def _database_spec() -> Spec | None:
    url = st.text_input(
        tr("data.import.url"),
        key=PREFIX + "url",
        max_chars=1000,
        type="password",
        placeholder="postgresql://analyste@serveur/crm",
    ).strip()
    table = st.text_input(tr("data.import.table"), key=PREFIX + "table", max_chars=200).strip()
    events = st.text_input(
        tr("data.import.events_path"), key=PREFIX + "db_events", max_chars=1000
    ).strip()
    payments = st.text_input(
        tr("data.import.payments_path"), key=PREFIX + "db_payments", max_chars=1000
    ).strip()
    if not url or not table:
        return None
    return Spec("database", url, table, events or None, payments or None)


# -- 2. the file's columns, as guessed -------------------------------------------------------


def _preview(spec: Spec, mapping: Mapping | None) -> ds.BasePreview | None:
    """The file's headers, formats and first rows for `mapping` (kept for this file)."""
    key = (spec.signature(), None if mapping is None else mapping.model_dump_json())
    kept: dict[Any, ds.BasePreview] = st.session_state.setdefault(PREVIEWS, {})
    if key in kept:
        return kept[key]
    try:
        with st.spinner(tr("data.progress.reading")), sources.opened(spec) as where:
            found = ds.preview_base(
                where.source, table=where.table, mapping=mapping, strict=False, rows=8
            )
    except ds.SourceError as exc:
        show_error(tr("data.import.unreadable"), str(exc))
        return None
    if len(kept) >= 6:
        kept.pop(next(iter(kept)))
    kept[key] = found
    return found


def _stored_mapping(name: str, bases: list[ds.BaseInfo]) -> Mapping | None:
    found = [b for b in bases if b.name == name]
    try:
        return views.base_view(found[0]).mapping if found else None
    except StoreError:  # deleted meanwhile
        return None


def _first_preview(spec: Spec, bases: list[ds.BaseInfo]) -> ds.BasePreview | None:
    """The guess for a new extract (or name): the stored base's mapping when the name is one,
    else the columns suggested by their headers; the mapping's widgets start from it."""
    reset: dict[str, str] = st.session_state.setdefault(RESET, {})
    signature = spec.signature()
    if reset.get("file") != signature:
        st.session_state[PREFIX + "name"] = ds.base_name_for(spec.label)
        reset.pop("main", None)
    reset["file"] = signature
    name = st.session_state.get(PREFIX + "name", "")
    stored = _stored_mapping(name, bases)
    main_signature = f"{signature}\0{name if stored else ''}"
    preview = _preview(spec, stored)
    if preview is None:
        return None
    if reset.get("main") != main_signature:
        _fill_widgets(preview, stored)
        reset["main"] = main_signature
    return preview


def _fill_widgets(preview: ds.BasePreview, stored: Mapping | None) -> None:
    mapping = preview.mapping
    for fld in SubscriptionField:
        st.session_state[PREFIX + f"col_{fld.value}"] = mapping.columns.get(fld, NONE)
    st.session_state[PREFIX + "segments"] = list(mapping.segments)
    date_format = (stored.date_format if stored else None) or preview.formats.date_format
    st.session_state[PREFIX + "date_format"] = date_format
    decimal = stored.decimal_comma if stored and stored.decimal_comma is not None else None
    st.session_state[PREFIX + "decimal"] = (
        preview.formats.decimal_comma if decimal is None else decimal
    )
    st.session_state[PREFIX + "kept"] = stored  # its payment-failure reasons are kept
    st.session_state.pop(PROBLEMS, None)


def _name_step(spec: Spec, bases: list[ds.BaseInfo]) -> str:
    name: str = st.text_input(
        tr("data.import.name"), key=PREFIX + "name", max_chars=100, help=tr("data.import.name_help")
    ).strip()
    if name in {b.name for b in bases}:
        st.caption(plain(tr("data.import.replaces", name=name)))
    return name


def _mapping_step(spec: Spec, first: ds.BasePreview) -> Mapping:
    st.subheader(tr("data.map.title"), anchor=False)
    st.caption(tr("data.map.intro"))
    headers = [NONE, *[h for h in first.headers if h]]
    none = tr("data.map.none")
    columns: dict[SubscriptionField, str] = {}
    with st.container(horizontal=True, gap="small"):
        for fld in SubscriptionField:
            star = " *" if fld in REQUIRED_SUBSCRIPTION else ""
            key = PREFIX + f"col_{fld.value}"
            if st.session_state.get(key) not in headers:
                st.session_state[key] = NONE
            chosen = st.selectbox(
                tr(f"data.field.{fld.value}") + star,
                headers,
                format_func=lambda h: h or none,
                key=key,
                width=230,
            )
            if chosen:
                columns[fld] = chosen
    st.caption(plain(tr("data.map.required")))
    used = set(columns.values())
    others = [h for h in first.headers if h and h not in used]
    key = PREFIX + "segments"
    st.session_state[key] = [c for c in st.session_state.get(key, []) if c in others]
    segments = st.multiselect(
        tr("data.map.segments"),
        others,
        key=key,
        help=tr("data.map.segments_help"),
        placeholder=tr("data.map.segments_none"),
    )
    draft = Mapping(columns=columns, segments=segments)
    detected = _preview(spec, draft) if columns else first
    formats = (detected or first).formats
    date_format, decimal_comma = _format_step(formats)
    kept: Mapping | None = st.session_state.get(PREFIX + "kept")
    mapping = draft.model_copy(
        update={
            "date_format": date_format,
            "decimal_comma": decimal_comma,
            "involuntary_reasons": list(kept.involuntary_reasons) if kept else [],
            "voluntary_reasons": list(kept.voluntary_reasons) if kept else [],
        }
    )
    _side_step(spec, mapping)
    st.markdown(f"**{tr('data.map.preview')}**")
    st.dataframe((detected or first).sample, hide_index=True, width="stretch")
    return mapping


def _format_step(formats: Any) -> tuple[str | None, bool]:
    key = PREFIX + "date_format"
    options = list(DATE_FORMATS)
    for fmt in (formats.date_format, st.session_state.get(key)):
        if fmt and fmt not in options:
            options.insert(0, fmt)
    detected = formats.date_format
    left, right = st.columns(2)
    with left:
        chosen = st.selectbox(
            tr("data.map.date_format"),
            options,
            format_func=_date_example,
            index=None,
            key=key,
            placeholder=tr("data.map.date_unknown"),
        )
        if detected:
            st.caption(tr("data.map.date_detected", example=_date_example(detected)))
        else:
            st.caption(tr("data.map.date_not_detected"))
    with right:
        decimal = st.radio(
            tr("data.map.decimal"),
            [False, True],
            format_func={
                True: tr("data.map.decimal_comma"),
                False: tr("data.map.point"),
            }.__getitem__,
            key=PREFIX + "decimal",
            horizontal=True,
        )
        st.caption(
            tr(
                "data.map.decimal_detected_comma"
                if formats.decimal_comma
                else "data.map.point_seen"
            )
        )
    return chosen, bool(decimal)


def _date_example(fmt: str) -> str:
    return f"{_SAMPLE_DAY.strftime(fmt)}  ({fmt})"


def _side_step(spec: Spec, mapping: Mapping) -> None:
    """The columns of the events and payments files, when given (filled into `mapping`)."""
    none = tr("data.map.none")
    sides: list[tuple[str, Any, Any, Any, Any]] = [
        ("events", spec.events, EventField, REQUIRED_EVENT, suggest_events),
        ("payments", spec.payments, PaymentField, REQUIRED_PAYMENT, suggest_payments),
    ]
    for side, item, fields, required, suggest in sides:
        if item is None:
            continue
        headers = _side_headers(spec, side)
        if headers is None:
            continue
        reset: dict[str, str] = st.session_state.setdefault(RESET, {})
        if reset.get(side) != spec.signature(side):
            guessed = suggest(list(headers))
            for fld in fields:
                st.session_state[PREFIX + f"{side}_{fld.value}"] = guessed.get(fld, NONE)
            reset[side] = spec.signature(side)
        st.markdown(f"**{tr(f'data.map.{side}_title')}**")
        options = [NONE, *[h for h in headers if h]]
        chosen: dict[Any, str] = {}
        with st.container(horizontal=True, gap="small"):
            for fld in fields:
                key = PREFIX + f"{side}_{fld.value}"
                if st.session_state.get(key) not in options:
                    st.session_state[key] = NONE
                picked = st.selectbox(
                    tr(f"data.{side}.{fld.value}") + (" *" if fld in required else ""),
                    options,
                    format_func=lambda h: h or none,
                    key=key,
                    width=230,
                )
                if picked:
                    chosen[fld] = picked
        setattr(mapping, side, chosen)


def _side_headers(spec: Spec, side: str) -> tuple[str, ...] | None:
    kept: dict[str, tuple[str, ...]] = st.session_state.setdefault(PREFIX + "side_headers", {})
    signature = spec.signature(side)
    if signature in kept:
        return kept[signature]
    try:
        with sources.opened(spec) as where:
            path = where.events if side == "events" else where.payments
            assert path is not None
            headers = ds.read_headers(path)
    except ds.SourceError as exc:
        show_error(tr("data.import.unreadable"), str(exc))
        return None
    kept[signature] = headers
    return headers


# -- 3. import ----------------------------------------------------------------------------------


def _missing(name: str, mapping: Mapping, spec: Spec) -> list[str]:
    """What the import still waits for, in words."""
    waits = []
    if not ds.NAME_RE.match(name):
        waits.append(tr("data.import.wait_name"))
    for fld in mapping.missing_required():
        waits.append(tr(f"data.field.{fld.value}"))
    if not mapping.date_format:
        waits.append(tr("data.map.date_format"))
    for side, fields in (("events", REQUIRED_EVENT), ("payments", REQUIRED_PAYMENT)):
        if getattr(spec, side) is not None:
            columns = getattr(mapping, side)
            waits += [tr(f"data.{side}.{f.value}") for f in fields if not columns.get(f)]
    return waits


def _import_step(spec: Spec, name: str, mapping: Mapping) -> None:
    waits = _missing(name, mapping, spec)
    if waits:
        st.caption(plain(tr("data.import.waits", what=", ".join(waits))))
    clicked = st.button(
        tr("data.import.go"),
        type="primary",
        disabled=bool(waits),
        key=PREFIX + "go",
        icon=":material/upload:",
    )
    if clicked:
        _run_import(spec, name, mapping)
    refused = st.session_state.get(PROBLEMS)
    if refused and refused[0] == spec.signature():
        _show_problems(refused[1], refused[2])


def _run_import(spec: Spec, name: str, mapping: Mapping) -> None:
    st.session_state.pop(PROBLEMS, None)
    bar = st.progress(0.0, text=tr("data.progress.reading"))

    def progress(share: float, what: str) -> None:
        bar.progress(max(0.0, min(share, 1.0)), text=_progress_text(what))

    try:
        with sources.opened(spec) as where:
            done = ds.import_base(
                name,
                where.source,
                store=store(),
                table=where.table,
                mapping=mapping,
                events=where.events,
                payments=where.payments,
                progress=progress,
            )
    except ds.BaseProblems as exc:
        bar.empty()
        st.session_state[PROBLEMS] = (spec.signature(), exc.problems, exc.total)
        return
    except ds.SourceError as exc:
        bar.empty()
        show_error(tr("data.import.unreadable"), str(exc))
        return
    except ds.MappingError as exc:
        bar.empty()
        show_error(tr("data.import.mapping_refused"), str(exc))
        return
    except (ValueError, StoreError) as exc:  # an empty base, a name refused, the store
        bar.empty()
        show_error(tr("data.import.failed"), str(exc))
        return
    summary = done.summary
    flash(
        "success",
        tr(
            "data.import.done",
            name=name,
            rows=summary.rows,
            active=summary.active,
            ended=summary.ended,
            first=day(summary.first_start),
            last=day(summary.last_date),
        ),
    )
    st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1
    for key in (RESET, PREVIEWS, PREFIX + "side_headers", PREFIX + "kept"):
        st.session_state.pop(key, None)
    st.session_state[SELECTED] = name
    st.session_state[TAB] = "analysis"
    st.rerun()


def _progress_text(what: str) -> str:
    if what.startswith("segment "):
        return plain(tr("data.progress.segment", column=what.removeprefix("segment ")))
    return tr(_PROGRESS.get(what, "data.progress.working"))


def _show_problems(problems: list[Problem], total: int) -> None:
    st.error(tr("data.problems.title", count=total))
    if total > len(problems):
        st.caption(tr("data.problems.first", shown=len(problems)))
    st.dataframe(
        [
            {
                tr("data.problems.row"): p.row,
                tr("data.problems.column"): p.column or "—",
                tr("data.problems.what"): tr(f"data.problem.{p.code}"),
                tr("data.problems.id"): p.value,
            }
            for p in problems
        ],
        hide_index=True,
        width="stretch",
    )

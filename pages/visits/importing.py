"""The agency CSV import on the visits page: upload → columns → values → preview → import."""

from __future__ import annotations

import hashlib

import streamlit as st

from journeys.contract.model import FindingType, Journey
from journeys.errors import StoreError
from journeys.visits import services as vs
from journeys.visits.agency.mapping import (
    REQUIRED_FIELDS,
    ColumnMapping,
    ValueMapping,
    VisitField,
    normalize,
)
from journeys.visits.agency.preview import CsvError, CsvSniff, sniff
from journeys.visits.agency.rows import RowError
from pages.common.shared import flash, label, store, tr
from pages.common.text import plain

PREFIX = "visits_csv_"
SIGNATURE = PREFIX + "signature"
UPLOADER = PREFIX + "uploader"
NONE = ""
_VALUE_KINDS = {
    VisitField.MOMENT: "moments",
    VisitField.CHANNEL: "channels",
    VisitField.TOUCHPOINT: "touchpoints",
    VisitField.TYPE: "types",
}


def import_tab(journey: Journey) -> None:
    """Draw the whole import flow for `journey`."""
    st.caption(tr("csv.intro"))
    agencies = vs.list_agencies(store=store())
    agency = st.selectbox(
        tr("csv.agency"),
        agencies,
        index=None,
        accept_new_options=True,
        placeholder=tr("csv.agency_hint"),
        key=PREFIX + "agency",
    )
    upload = st.file_uploader(tr("csv.file"), type=["csv", "txt", "tsv"], key=_uploader_key())
    if upload is None:
        return
    data = upload.getvalue()
    try:
        found = sniff(data)
    except CsvError as exc:
        st.error(plain(tr("csv.unreadable", detail=str(exc))))
        return
    _reset_if_new(data, agency, found, journey)
    st.caption(
        tr(
            "csv.sniffed",
            encoding=found.encoding,
            delimiter={";": ";", ",": ",", "\t": "TAB"}[found.delimiter],
            columns=len(found.headers),
        )
    )
    mapping = _column_step(found)
    values = _value_step(data, journey, mapping)
    _preview_step(data, journey, mapping, values, agency)


def _uploader_key() -> str:
    return f"{UPLOADER}_{st.session_state.get(UPLOADER, 0)}"


def _reset_if_new(data: bytes, agency: str | None, found: CsvSniff, journey: Journey) -> None:
    """A new file, agency or journey starts from the remembered (or suggested) mapping."""
    signature = (hashlib.sha256(data).hexdigest(), agency or "", journey.id)
    if st.session_state.get(SIGNATURE) == signature:
        return
    for key in [k for k in st.session_state if str(k).startswith(PREFIX + "col_")]:
        del st.session_state[key]
    for key in [k for k in st.session_state if str(k).startswith(PREFIX + "val_")]:
        del st.session_state[key]
    st.session_state[PREFIX + "unknown"] = {}
    proposed = vs.mapping_for_headers(found.headers, store=store(), agency=agency)
    for fld in VisitField:
        st.session_state[PREFIX + f"col_{fld.value}"] = proposed.columns.get(fld, NONE)
    saved = vs.load_agency_mapping(agency, store=store(), journey=journey) if agency else None
    st.session_state[PREFIX + "saved_values"] = saved[1] if saved else ValueMapping()
    st.session_state[SIGNATURE] = signature


def _column_step(found: CsvSniff) -> ColumnMapping:
    st.subheader(tr("csv.step_columns"), anchor=False)
    headers = [NONE, *[h for h in found.headers if h]]
    columns: dict[VisitField, str] = {}
    with st.container(horizontal=True, gap="medium"):
        for fld in VisitField:
            star = " *" if fld in REQUIRED_FIELDS else ""
            chosen = st.selectbox(
                tr(f"csv.field_{fld.value}") + star,
                headers,
                format_func=lambda h: h or tr("csv.no_column"),
                key=PREFIX + f"col_{fld.value}",
                width=220,
            )
            if chosen:
                columns[fld] = chosen
    st.caption(plain(tr("csv.required_note")))
    st.caption(tr("csv.time_note"))
    st.caption(_intensity_rule(columns))
    return ColumnMapping(columns=columns)


def _intensity_rule(columns: dict[VisitField, str]) -> str:
    """Say how the findings' intensity will be set with the columns chosen."""
    if columns.get(VisitField.INTENSITY):
        return plain(tr("csv.intensity_column", column=columns[VisitField.INTENSITY]))
    if columns.get(VisitField.RATING):
        return plain(tr("csv.intensity_rating", column=columns[VisitField.RATING]))
    return tr("csv.intensity_default")


def _value_step(data: bytes, journey: Journey, mapping: ColumnMapping) -> ValueMapping:
    saved: ValueMapping = st.session_state.get(PREFIX + "saved_values", ValueMapping())
    first = vs.check_agency_csv(data, journey.id, mapping, saved, store=store())
    known = st.session_state.setdefault(PREFIX + "unknown", {})
    for unknown in first.preview.unknown:
        known[(unknown.field, normalize(unknown.value))] = unknown
    unknowns = [u for u in known.values() if mapping.columns.get(u.field) == u.column]
    if not unknowns:
        return saved
    st.subheader(tr("csv.step_values"), anchor=False)
    st.caption(tr("csv.values_intro"))
    chosen = {kind: dict(getattr(saved, kind)) for kind in _VALUE_KINDS.values()}
    missing = 0
    for u in unknowns:
        choices = _choices(journey, u.field)
        options = [*u.suggestions, *[c for c in choices if c not in u.suggestions]]
        key = PREFIX + f"val_{u.field.value}_{normalize(u.value)}"
        # A guess is only a suggestion: the choice starts empty and the import waits for it.
        guesses = ", ".join(choices.get(s, s) for s in u.suggestions)
        picked = st.selectbox(
            plain(
                tr(
                    "csv.value_label",
                    field=tr(f"csv.field_{u.field.value}"),
                    value=u.value,
                    rows=len(u.rows),
                )
            ),
            options,
            format_func={o: choices.get(o, o) for o in options}.__getitem__,
            index=None,
            placeholder=tr("csv.value_pick"),
            key=key,
            help=plain(tr("csv.value_suggestion", labels=guesses)) if guesses else None,
        )
        if picked:
            chosen[_VALUE_KINDS[u.field]][u.value] = picked
        else:
            missing += 1
    if missing:
        st.warning(tr("csv.values_missing", count=missing))
    return ValueMapping.model_validate(chosen)


def _choices(journey: Journey, fld: VisitField) -> dict[str, str]:
    if fld is VisitField.MOMENT:
        return {m.id: m.label for m in journey.moments}
    if fld is VisitField.CHANNEL:
        return {c.id: c.label for c in journey.channels}
    if fld is VisitField.TOUCHPOINT:
        return {t.id: t.label for t in journey.touchpoints}
    return {t.value: label("finding", t) for t in FindingType}


def _preview_step(
    data: bytes, journey: Journey, mapping: ColumnMapping, values: ValueMapping, agency: str | None
) -> None:
    st.subheader(tr("csv.step_preview"), anchor=False)
    existing = vs.OnExisting(
        st.radio(
            tr("csv.existing"),
            [e.value for e in vs.OnExisting],
            format_func=lambda e: tr(f"csv.existing_{e}"),
            key=PREFIX + "existing",
            horizontal=True,
        )
    )
    check = vs.check_agency_csv(data, journey.id, mapping, values, store=store(), existing=existing)
    preview = check.preview
    planned = check.plan is not None
    cols = st.columns(4)
    cols[0].metric(tr("csv.rows"), preview.rows)
    cols[1].metric(tr("csv.visits"), len(check.visits if planned else preview.visits))
    observations = check.observation_count if planned else preview.observation_count
    cols[2].metric(tr("csv.observations"), observations)
    cols[3].metric(tr("csv.new_touchpoints"), len(check.plan.new_touchpoints) if check.plan else 0)
    if check.errors:
        st.error(tr("csv.refused", count=len(check.errors)))
        st.dataframe(_error_rows(check.errors), hide_index=True, width="stretch")
    elif check.ok and not check.visits:
        st.info(tr("csv.nothing_new"))
    elif check.ok:
        st.success(tr("csv.ready", visits=len(check.visits), observations=observations))
        if check.plan and check.plan.new_touchpoints:
            labels = ", ".join(t.label for t in check.plan.new_touchpoints)
            st.caption(plain(tr("csv.will_create", labels=labels)))
    if check.skipped and not check.errors:
        skipped = ", ".join(v.id for v in check.skipped)
        st.caption(tr("csv.skipped", count=len(check.skipped), visits=skipped))
    st.button(
        tr("csv.import_new" if existing is vs.OnExisting.SKIP else "csv.import"),
        type="primary",
        disabled=not (check.ok and check.visits),
        on_click=_import,
        args=(data, journey.id, mapping, values, agency, existing),
        key=PREFIX + "import",
        icon=":material/upload:",
    )


def _error_rows(errors: tuple[RowError, ...]) -> list[dict[str, object]]:
    return [
        {
            tr("csv.col_row"): "—" if e.row is None else e.row,
            tr("csv.col_column"): e.column or "—",
            tr("csv.col_what"): tr(f"csv.code_{e.code}"),
            tr("csv.col_value"): e.value,
            tr("csv.col_expected"): e.message,
        }
        for e in errors
    ]


def _import(
    data: bytes,
    journey_id: str,
    mapping: ColumnMapping,
    values: ValueMapping,
    agency: str | None,
    existing: vs.OnExisting,
) -> None:
    try:
        done = vs.import_agency_csv(
            data, journey_id, mapping, values, store=store(), agency=agency, existing=existing
        )
    except vs.CsvImportRefused as exc:
        flash("error", tr("csv.refused", count=len(exc.errors)))
        return
    except StoreError as exc:
        flash("error", str(exc))
        return
    message = tr(
        "csv.imported",
        visits=len(done.visits),
        observations=done.observations,
        touchpoints=len(done.touchpoints_created),
    )
    if done.skipped:
        message += " " + tr("csv.imported_skipped", count=len(done.skipped))
    flash("success", message)
    st.session_state[UPLOADER] = st.session_state.get(UPLOADER, 0) + 1
    for key in [k for k in st.session_state if str(k).startswith(PREFIX) and k != UPLOADER]:
        if key != PREFIX + "agency":
            del st.session_state[key]

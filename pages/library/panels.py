"""The library's panels: selected journey (board, YAML, duplicate, snapshots, trash), create,
import, trash."""

from __future__ import annotations

import streamlit as st

from journeys import services
from journeys.contract.editing import unique_id
from journeys.contract.model import Journey
from journeys.contract.yaml_io import DocumentError
from journeys.i18n import LANGUAGES, format_datetime, table_datetime_format
from pages.common.shared import (
    flash,
    label,
    lang,
    select_journey,
    selected_journey,
    show_error,
    store,
    tr,
)
from pages.common.text import plain
from pages.library.diff import snapshot_diff
from pages.library.workbook import workbook_panel


def _taken_journey_ids() -> set[str]:
    return {s.id for s in services.list_journeys(store=store(), include_deleted=True)}


def _done(message: str, journey_id: str | None = None) -> None:
    if journey_id:
        select_journey(journey_id)
    flash("success", message)
    st.rerun()


def selected_panel() -> None:
    """What can be done with the journey picked in the table or the sidebar."""
    jid = selected_journey()
    if not jid:
        st.info(tr("library.select_first"))
        return
    try:
        journey = services.get_journey(jid, store=store())
    except services.NotFoundError:
        select_journey(None)
        st.info(tr("library.select_first"))
        return
    st.subheader(plain(journey.title))
    st.caption(
        f"{label('journey_type', journey.journey_type)} · {label('state', journey.state)} · "
        f"`{journey.id}`"  # a slug (SLUG_PATTERN): nothing to escape
    )
    left, right = st.columns(2)
    left.page_link(
        "pages/board/page.py", label=tr("library.open_board"), icon=":material/view_quilt:"
    )
    right.download_button(
        tr("library.download_yaml"),
        data=services.export_yaml(jid, store=store(), kind="journey"),
        file_name=f"{jid}.journey.yaml",
        mime="application/x-yaml",
        key="library_download",
        icon=":material/download:",
    )
    with st.expander(tr("library.duplicate_title"), icon=":material/content_copy:"):
        _duplicate_form(journey)
    with st.expander(tr("library.snapshots"), icon=":material/history:"):
        _snapshots(journey)
    with st.expander(tr("library.trash_journey"), icon=":material/delete:"):
        st.caption(tr("library.trash_journey_hint"))
        sure = st.checkbox(
            plain(tr("library.trash_confirm", title=journey.title)),
            key=f"library_trash_ok_{jid}",
        )
        if st.button(tr("library.trash_do"), disabled=not sure, key="library_trash_do"):
            services.delete_journey(jid, store=store())
            select_journey(None)
            _done(tr("library.trashed", title=journey.title))


def _duplicate_form(journey: Journey) -> None:
    target = tr("state.target")
    with st.form(f"library_dup_{journey.id}"):
        new_id = st.text_input(
            tr("library.new_id"), value=unique_id(f"{journey.id}-{target}", _taken_journey_ids())
        )
        title = st.text_input(tr("library.new_title"), value=f"{journey.title} ({target.lower()})")
        as_target = st.checkbox(tr("library.as_target"), value=True)
        submitted = st.form_submit_button(tr("library.duplicate"), type="primary")
    if submitted:
        try:
            copy = services.duplicate_journey(
                journey.id,
                store=store(),
                new_id=new_id.strip(),
                title=title.strip() or None,
                as_target=as_target,
            )
        except (services.DuplicateIdError, services.NotFoundError, ValueError) as exc:
            show_error(tr("library.duplicate_failed"), str(exc))
            return
        _done(tr("library.duplicated", title=copy.title), copy.id)


def _snapshots(journey: Journey) -> None:
    with st.form(f"library_snap_{journey.id}", clear_on_submit=True):
        name = st.text_input(tr("library.snapshot_name"), placeholder=tr("library.snapshot_hint"))
        if st.form_submit_button(tr("library.snapshot_take")):
            services.snapshot_journey(
                journey.id, name.strip() or tr("library.snapshot_default"), store=store()
            )
            _done(tr("library.snapshot_taken"))
    snapshots = services.list_snapshots(journey.id, store=store())
    if not snapshots:
        st.caption(tr("library.snapshot_none"))
        return
    # Named once per run: a format function is also called between runs, where lang() is not
    # this session's.
    names = [f"{s.name} — {format_datetime(s.created_at, lang(), numeric=True)}" for s in snapshots]
    pick = st.selectbox(
        tr("library.snapshot_pick"),
        range(len(snapshots)),
        format_func=names.__getitem__,
        key=f"library_snap_pick_{journey.id}",
    )
    chosen = snapshots[pick]
    left, right = st.columns(2)
    if left.button(tr("library.snapshot_restore"), key="library_snap_restore"):
        services.restore_snapshot(chosen.id, store=store())
        _done(tr("library.snapshot_restored", name=chosen.name))
    right.download_button(
        tr("library.download_yaml"),
        data=services.snapshot_yaml(chosen.id, store=store()),
        file_name=f"{journey.id}.snapshot-{chosen.id}.journey.yaml",
        mime="application/x-yaml",
        key="library_snap_download",
    )
    st.caption(tr("library.snapshot_restore_hint"))
    snapshot_diff(journey.id, snapshots)


def template_panel() -> None:
    """Create a journey from one of the shipped templates, in the language chosen."""
    chosen_lang = (
        st.segmented_control(
            tr("library.template_language"),
            LANGUAGES,
            default=lang(),
            format_func=str.upper,
            key="library_tpl_lang",
        )
        or lang()
    )
    templates = [
        tpl
        for tpl in services.list_templates()
        if tpl.kind == "journey" and tpl.language == chosen_lang
    ]
    if not templates:
        st.info(tr("library.no_templates"))
        return
    with st.form("library_new"):
        pick = st.selectbox(
            tr("library.template"),
            range(len(templates)),
            format_func=lambda i: templates[i].title,
            key="library_tpl_pick",
        )
        title = st.text_input(
            tr("library.new_title"),
            placeholder=tr("library.new_title_hint"),
            key="library_new_title",
        )
        new_id = st.text_input(
            tr("library.new_id"), placeholder=tr("library.new_id_hint"), key="library_new_id"
        )
        submitted = st.form_submit_button(
            tr("library.create"), type="primary", key="library_new_submit"
        )
    if submitted:
        template = templates[pick]
        jid = new_id.strip() or unique_id(template.id, _taken_journey_ids())
        try:
            created = services.create_from_template(
                template.file_name, store=store(), new_id=jid, title=title.strip() or None
            )
        except (services.DuplicateIdError, services.NotFoundError, ValueError) as exc:
            show_error(tr("library.create_failed"), str(exc))
            return
        _done(tr("library.created", title=created.title), created.id)


def import_panel() -> None:
    """Import a YAML document or an Excel workbook: all or nothing, errors worded as the command
    line words them; a workbook's changes are shown first and applied on confirmation."""
    upload = st.file_uploader(
        tr("library.import_file_any"), type=["yaml", "yml", "xlsx"], key="library_upload"
    )
    if upload is not None and upload.name.lower().endswith(".xlsx"):
        workbook_panel(upload)
        return
    replace = st.checkbox(tr("library.import_replace"), key="library_import_replace")
    if (
        st.button(
            tr("library.import"), disabled=upload is None, key="library_import_do", type="primary"
        )
        and upload is not None
    ):
        try:
            document = services.import_yaml(
                upload.getvalue(), store=store(), source_name=upload.name, replace=replace
            )
        except DocumentError as exc:
            show_error(tr("library.import_refused"), str(exc))
            return
        except services.DuplicateIdError as exc:
            show_error(tr("library.import_duplicate"), str(exc))
            return
        except services.StoreError as exc:
            show_error(tr("library.import_failed"), str(exc))
            return
        if isinstance(document, Journey):
            _done(tr("library.imported", title=document.title), document.id)
        _done(tr("library.imported_program", title=document.title))


def trash_panel() -> None:
    """Deleted journeys, programs, moments, channels, touchpoints and findings; restore one."""
    items = services.list_trash(store=store())
    if not items:
        st.info(tr("library.trash_empty"))
        return
    st.dataframe(
        [
            {
                tr("library.col_kind"): label("trash", item.kind),
                tr("library.col_title"): item.label,
                tr("library.col_journey"): item.journey_id or "",
                "deleted": item.deleted_at.astimezone(),
            }
            for item in items
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "deleted": st.column_config.DatetimeColumn(
                tr("library.col_deleted"), format=table_datetime_format(lang())
            )
        },
    )
    pick = st.selectbox(
        tr("library.trash_pick"),
        range(len(items)),
        format_func=lambda i: f"{label('trash', items[i].kind)} · {items[i].label}",
        key="library_trash_pick",
    )
    if st.button(tr("library.restore"), key="library_restore", icon=":material/restore:"):
        item = items[pick]
        try:
            services.restore_trash_item(item, store=store())
        except services.StoreError as exc:
            show_error(tr("library.restore_failed"), str(exc))
            return
        _done(
            tr("library.restored", label=item.label),
            item.journey_id if item.kind == "journey" else None,
        )

"""The library's import of an Excel workbook: what it will change (where in the workbook), its
conflicts with newer edits, and a button that applies it all or nothing."""

from __future__ import annotations

from typing import Any

import streamlit as st

from journeys import services
from journeys.library import workbook_words as words
from pages.common.shared import flash, lang, select_journey, show_error, store, tr
from pages.common.text import plain


def _table(lines: list[tuple[str, str]], key: str) -> None:
    """(where, what) lines as a table: user text shown as data, never as Markdown."""
    st.dataframe(
        [
            {tr("library.import_col_where"): where, tr("library.import_col_change"): text}
            for where, text in lines
        ],
        hide_index=True,
        width="stretch",
        key=key,
    )


def workbook_panel(upload: Any) -> None:
    """Preview the workbook uploaded; apply it on confirmation."""
    data = upload.getvalue()
    try:
        plan = services.preview_workbook(
            data, store=store(), source_name=upload.name, language=lang()
        )
    except services.WorkbookError as exc:
        show_error(tr("library.import_refused"), str(exc))
        return
    st.subheader(tr("library.import_preview"), anchor=False)
    st.markdown(plain(words.headline(plan, lang())))
    changes = words.change_lines(plan, lang())
    if changes:
        _table(changes, "library_workbook_changes")
    if plan.notes:
        st.caption(tr("library.import_notes"))
        _table(words.note_lines(plan, lang()), "library_workbook_notes")
    if plan.conflicts:
        st.error(plain(tr("workbook.has_conflicts")))
        _table(words.conflict_lines(plan, lang()), "library_workbook_conflicts")
        return
    if not plan.count:
        return
    if st.button(tr("library.import_apply"), type="primary", key="library_workbook_apply"):
        _apply(data, upload.name)


def _apply(data: bytes, name: str) -> None:
    try:
        done = services.import_workbook(data, store=store(), source_name=name, language=lang())
    except services.WorkbookConflictError as exc:
        lines = words.conflict_lines(exc.plan, lang())
        show_error(tr("workbook.has_conflicts"), "\n".join(f"{w}  {t}" for w, t in lines))
        return
    except (services.WorkbookError, services.StoreError) as exc:
        show_error(tr("library.import_failed"), str(exc))
        return
    if done.new_journey is not None:
        message = tr("library.import_created", title=done.new_journey.title)
    else:
        message = tr("library.import_applied", count=done.count, title=done.title)
    select_journey(done.journey_id)
    flash("success", message)
    st.rerun()

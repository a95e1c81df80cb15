"""The library's "what changed": two snapshots of the working journey (or one and now) compared,
as a list and on the board, each change marked by colour and symbol."""

from __future__ import annotations

import streamlit as st

from journeys import services
from journeys.board.diff_board import diff_board
from journeys.board.diff_list import diff_entries, version_label
from journeys.board.html import render_board
from pages.common.shared import lang, store, tr
from pages.common.text import plain


def snapshot_diff(journey_id: str, snapshots: list[services.SnapshotInfo]) -> None:
    """Pick two versions (the newest snapshot and now, at first) and show what changed."""
    if not st.toggle(tr("diff.show"), key="library_diff_on"):
        return
    names = {s.id: version_label(lang(), s.id, s.name, s.created_at) for s in snapshots}
    left, right = st.columns(2)
    # Selectbox options are plain text: names typed by users are shown as they are.
    before = left.selectbox(
        tr("diff.from"), list(names), format_func=names.__getitem__, key="library_diff_from"
    )
    after = right.selectbox(
        tr("diff.to"),
        [None, *names],
        format_func=lambda i: tr("diff.now_option") if i is None else names[i],
        key="library_diff_to",
    )
    if before is None or before == after:
        st.info(tr("diff.same"))
        return
    changes = services.diff_snapshots(journey_id, before, after, store=store()).changes
    if changes.empty:
        st.info(tr("diff.none"))
        return
    counts = {change.value: count for change, count in changes.counts().items()}
    st.caption(tr("diff.summary", **counts))
    listing, board = st.tabs([tr("diff.tab_list"), tr("diff.tab_board")])
    with listing:
        groups: dict[str, list[str]] = {}
        for entry in diff_entries(changes, lang()):
            groups.setdefault(entry.group, []).append(entry.line)
        for group, lines in groups.items():  # user text made inert, each line a line
            st.markdown(f"**{plain(group)}**  \n" + plain("\n".join(lines)))
    with board:
        drawn, marks = diff_board(changes, lang())
        st.html(render_board(drawn, lang=lang(), marks=marks))

"""The facilitator's dot vote on the board: open it with N dots per voter, close it, open it
again; clear the dots for a new round (asked first, and the round can be put back); where the
vote stands (open or not, dots per voter, voters, dots cast: one small read, redrawn with the
board's live tick since every dot moves the workshop's revision); the facilitator's own dots,
on the phones' ballot (pages/capture/voting). Only those who may edit get the controls."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TypeVar

import streamlit as st

from journeys import services
from journeys.roles import Permission
from journeys.workshop.votes import DOTS_MAX
from pages.capture import voting as ballot_view
from pages.common.shared import read, store, tr
from pages.common.text import plain

PREFIX = "board_vote"
DOTS = "board_vote_dots"  # the number input: dots per voter
DOTS_SEEN = "board_vote_dots_seen"  # the store's value the input last showed
CONFIRM = "board_vote_confirm"  # the clear waits for its confirmation
FLASH = "board_vote_flash"
BALLOT = "board_vote_ballot"  # the facilitator's ballot (an expander, read only while open)

_CSS = (
    ".vt-state{display:flex;flex-wrap:wrap;align-items:center;gap:4px 10px;margin:0;"
    "font-size:16px;color:#15191e}"
    ".vt-pill{font-weight:700;border-radius:999px;padding:1px 12px;color:#fff;"
    "background:#4a525c}"
    ".vt-pill.vt-open{background:#1b6e2f}"
    ".vt-state span:not(.vt-pill){border-radius:999px;padding:1px 10px;background:#eef1f5;"
    "white-space:nowrap}"
    # on a wide screen the cards go side by side, each moment's name across the whole width
    ".st-key-board_vote_cards{display:grid!important;"
    "grid-template-columns:repeat(auto-fill,minmax(min(100%,400px),1fr));align-items:stretch}"
    ".st-key-board_vote_cards>div:has(.vote-moment){grid-column:1/-1}"
    "[class*='st-key-board_vote_card_']{height:100%}"
    "[class*='st-key-board_vote_card_'] .vote-mine{min-width:3.5rem}"  # −, dots, + on one line
    + ballot_view.css(PREFIX)
)


def vote_panel(journey_id: str) -> None:
    """Draw the vote's panel under the board: its state for everyone who reads the board, the
    controls and the facilitator's own ballot for those who may edit."""
    database = store()
    try:
        summary = read(services.vote_summary, journey_id)  # shared until the next write
    except services.StoreError as exc:
        st.error(plain(f"{tr('vote_panel.failed')} {exc}"))
        return
    with st.container(border=True, key="board_vote_panel"):
        st.subheader(tr("vote_panel.title"), anchor=False)
        st.html(f"<style>{_CSS}</style>{_state_html(summary)}")
        if not database.actor.may(Permission.EDIT):
            st.caption(tr("vote_panel.read_only"))
            return
        st.caption(tr("vote_panel.help"))
        _show_flash()
        _controls(journey_id, summary)
        if st.session_state.get(CONFIRM) == journey_id and summary.cast:
            _confirm_clear(journey_id, summary)
        _my_ballot(journey_id)


def _state_html(summary: services.VoteSummary) -> str:
    """One line: open or closed, dots per voter, voters, dots cast (escaped, read aloud)."""
    pill = (
        f'<span class="vt-pill vt-open">{escape(tr("vote_panel.is_open"))}</span>'
        if summary.open
        else f'<span class="vt-pill">{escape(tr("vote_panel.is_closed"))}</span>'
    )
    parts = [
        _count("per_voter", summary.dots, name="dots"),
        _count("voters", summary.voters, none=True),
        _count("cast", summary.cast, none=True),
    ]
    words = "".join(f"<span>{escape(part)}</span>" for part in parts)
    return f'<p class="vt-state" role="status">{pill}{words}</p>'


def _count(key: str, count: int, *, none: bool = False, name: str = "count") -> str:
    """`vote_panel.<key>` for `count`: its _none and _one forms for 0 and 1."""
    if count == 0 and none:
        return tr(f"vote_panel.{key}_none")
    if count == 1:
        return tr(f"vote_panel.{key}_one")
    return tr(f"vote_panel.{key}", **{name: count})


def _controls(journey_id: str, summary: services.VoteSummary) -> None:
    """Dots per voter, open or close, clear, put back: one row."""
    if st.session_state.get(DOTS_SEEN) != summary.dots:  # changed elsewhere: show the store's
        st.session_state[DOTS_SEEN] = summary.dots
        st.session_state[DOTS] = summary.dots
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    row.number_input(
        tr("vote_panel.dots_label"),
        min_value=1,
        max_value=DOTS_MAX,
        step=1,
        key=DOTS,
        help=tr("vote_panel.dots_help"),
        on_change=_set_dots,
        args=(journey_id,),
        width=180,
    )
    if summary.open:
        row.button(
            tr("vote_panel.close"),
            key="board_vote_close",
            icon=":material/lock:",
            on_click=_close,
            args=(journey_id,),
        )
    else:
        row.button(
            tr("vote_panel.reopen" if summary.cast else "vote_panel.open"),
            key="board_vote_open",
            type="primary",
            icon=":material/how_to_vote:",
            on_click=_open,
            args=(journey_id,),
        )
    row.button(
        tr("vote_panel.clear"),
        key="board_vote_clear",
        icon=":material/delete_sweep:",
        help=tr("vote_panel.clear_help"),
        disabled=summary.cast == 0,
        on_click=st.session_state.__setitem__,
        args=(CONFIRM, journey_id),
    )
    if summary.cleared:
        row.button(
            tr("vote_panel.restore_one")
            if summary.cleared == 1
            else tr("vote_panel.restore", count=summary.cleared),
            key="board_vote_restore",
            icon=":material/undo:",
            help=tr("vote_panel.restore_help"),
            on_click=_restore,
            args=(journey_id,),
        )


def _confirm_clear(journey_id: str, summary: services.VoteSummary) -> None:
    with st.container(border=True, key="board_vote_confirm_box"):
        st.warning(_count("clear_confirm", summary.cast), icon=":material/delete_sweep:")
        row = st.container(horizontal=True, gap="small")
        row.button(
            tr("vote_panel.clear_yes"),
            key="board_vote_clear_yes",
            type="primary",
            on_click=_clear,
            args=(journey_id,),
        )
        row.button(
            tr("vote_panel.clear_no"),
            key="board_vote_clear_no",
            on_click=st.session_state.pop,
            args=(CONFIRM, None),
        )


def _my_ballot(journey_id: str) -> None:
    """The facilitator's own dots, on the phones' ballot with the room's dots on each finding;
    read only while its expander is open (the board reruns often)."""
    panel = st.expander(
        tr("vote_panel.mine"), icon=":material/how_to_vote:", key=BALLOT, on_change="rerun"
    )
    if not panel.open:
        return
    with panel:
        try:  # shared until the next write, as the summary is
            found = read(services.ballot, journey_id, services.facilitator_voter(store()))
        except (services.StoreError, ValueError) as exc:
            st.error(plain(f"{tr('vote_panel.failed')} {exc}"))
            return
        if not found.open:
            st.info(tr("vote_panel.mine_closed"))
        with st.container(key=f"{PREFIX}_left"):
            st.html(ballot_view.left_html(found))
        if not found.moments:
            st.info(tr("votes.none"))
            return
        ballot_view.cards(found, lambda ref, step: _vote(journey_id, ref, step), prefix=PREFIX)


# --- what the buttons do (callbacks: they run before the page, which then shows the result) --


def _set_dots(journey_id: str) -> None:
    dots = st.session_state.get(DOTS)
    if not isinstance(dots, int) or dots == st.session_state.get(DOTS_SEEN):
        return
    if _act(lambda: services.set_dots_per_voter(journey_id, dots, store=store())):
        st.session_state[DOTS_SEEN] = dots
        _flash("success", tr("vote_panel.dots_set", dots=dots))


def _open(journey_id: str) -> None:
    """Open the vote with the dots per voter the input shows."""
    dots = st.session_state.get(DOTS)
    database = store()

    def opened() -> services.WorkshopState:
        if isinstance(dots, int) and dots != st.session_state.get(DOTS_SEEN):
            services.set_dots_per_voter(journey_id, dots, store=database)
        return services.open_vote(journey_id, store=database)

    state = _act(opened)
    if state is not None:
        _flash("success", tr("vote_panel.opened", dots=state.dots))


def _close(journey_id: str) -> None:
    if _act(lambda: services.close_vote(journey_id, store=store())) is not None:
        _flash("success", tr("vote_panel.closed"))


def _clear(journey_id: str) -> None:
    st.session_state.pop(CONFIRM, None)
    count = _act(lambda: services.clear_votes(journey_id, store=store()))
    if count:
        _flash("success", _count("cleared", count))


def _restore(journey_id: str) -> None:
    count = _act(lambda: services.restore_cleared_votes(journey_id, store=store()))
    if count:
        _flash("success", _count("restored", count))
    elif count == 0:
        _flash("info", tr("vote_panel.nothing_to_restore"))


def _vote(journey_id: str, ref: int, step: int) -> None:
    database = store()
    act = services.cast_dot if step > 0 else services.withdraw_dot
    try:
        act(journey_id, ref, services.facilitator_voter(database), store=database)
    except services.VoteClosedError:
        _flash("info", tr("vote_panel.mine_closed"))
    except services.NoDotsLeftError as error:
        _flash("warning", tr("votes.no_dots_left", dots=error.dots))
    except services.NotVotableError:
        _flash("warning", tr("votes.gone"))
    except (services.StoreError, ValueError) as exc:
        _flash("error", f"{tr('vote_panel.failed')} {exc}")


R = TypeVar("R")


def _act(action: Callable[[], R]) -> R | None:
    """Run one store action and return what it returns; on failure keep why, to show in the
    panel, and return None."""
    try:
        return action()
    except (services.StoreError, ValueError) as exc:
        _flash("error", f"{tr('vote_panel.failed')} {exc}")
        return None


def _flash(kind: str, message: str) -> None:
    st.session_state[FLASH] = (kind, message)


def _show_flash() -> None:
    kept = st.session_state.pop(FLASH, None)
    if kept:
        kind, message = kept
        show = {"success": st.success, "info": st.info, "warning": st.warning}.get(kind, st.error)
        show(plain(message))

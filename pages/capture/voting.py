"""The participants' phone while the vote is open: the irritants and breaks by moment, a − and a
+ per finding, the dots left; and a watch that reruns the page when the vote opens or closes.
The same ballot (cards, css, left_html) is the facilitator's on the board (pages/board/voting).

The phone votes as `phone:<token>`: a random token kept for the session and in the address
(`?v=`), so that a reload keeps its dots.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape

import streamlit as st

from journeys.board.html import SYMBOLS
from journeys.contract.model import FindingType
from journeys.errors import StoreError
from journeys.workshop import participants as p
from journeys.workshop import votes as v
from pages.common.guard import query_param
from pages.common.shared import store, tr
from pages.common.text import plain

VOTER = "capture_voter"
MODE = "capture_mode"  # "vote" or "note" while the vote is open
SEEN = "capture_vote_seen"  # the ballot's signature the page was drawn with
WAS_OPEN = "capture_vote_was_open"
FULL_RUN = "capture_vote_full_run"
FLASH = "capture_vote_flash"
POLL_SECONDS = 3
MODES = ("vote", "note")
_COLOURS = {FindingType.IRRITANT: "#e69f00", FindingType.BREAK: "#a33a00"}  # the board's

# (finding's row id, +1 or -1): what a tap on + or − asks for
Vote = Callable[[int, int], None]


def css(prefix: str) -> str:
    """The ballot's styles for the cards keyed `<prefix>_…` (big touch targets)."""
    return (
        # the container's own wrapper is what sits in the page's column: it is the one that sticks
        f"div:has(>.st-key-{prefix}_left){{position:sticky;top:.25rem;z-index:5}}"
        ".vote-left{margin:0;padding:.6rem .8rem;border-radius:10px;background:#0b5c96;"
        "color:#fff;font-size:20px;font-weight:700;text-align:center;"
        "box-shadow:0 2px 6px rgba(0,0,0,.25)}"
        f"[class*='st-key-{prefix}_card_']:has(.vote-mine.vote-on){{background:#eef5fb}}"
        ".vote-left.vote-none{background:#4a525c}"
        ".vote-moment{font-size:18px;font-weight:700;margin:.9rem 0 .1rem;color:#15191e}"
        f"[class*='st-key-{prefix}_card_'] p{{font-size:17px;line-height:1.35}}"
        f"[class*='st-key-{prefix}_card_'] [data-testid='stCaptionContainer'] p{{font-size:14px}}"
        f"[class*='st-key-{prefix}_minus_'] button,[class*='st-key-{prefix}_plus_'] button"
        "{min-height:56px!important;min-width:76px!important;font-size:28px!important;"
        "font-weight:700;line-height:1}"
        f"[class*='st-key-{prefix}_minus_'] p,[class*='st-key-{prefix}_plus_'] p"
        "{font-size:28px!important;font-weight:700}"
        ".vote-mine{font-size:22px;letter-spacing:2px;color:#0b5c96;text-align:center;"
        "min-width:7rem;margin:0}"
        ".vote-mine b{font-size:20px;color:#15191e;letter-spacing:0;margin-left:.3rem}"
        + "".join(
            f"[class*='st-key-{prefix}_card_{kind.value}_']{{border-left:8px solid {colour}"
            f"!important}}"
            for kind, colour in _COLOURS.items()
        )
    )


PREFIX = "capture_vote"
CSS = css(PREFIX)


def voter_token() -> str:
    """This phone's voter token: the session's, else the address's (a reload), else new."""
    token = st.session_state.get(VOTER)
    if token is None:
        given = query_param("v")
        token = given if given and _valid(given) else v.new_participant_token()
        st.session_state[VOTER] = token
    return token


def _valid(token: str) -> bool:
    try:
        v.participant_voter(token)
    except ValueError:
        return False
    return True


def ballot(form: p.CaptureForm, code: str | None) -> v.Ballot | None:
    """The phone's ballot (None when it cannot be read: the page carries on with notes)."""
    try:
        found = v.phone_ballot(form.journey_id, code, voter_token(), store=store())
    except StoreError:
        return None
    was_open = st.session_state.get(WAS_OPEN)
    st.session_state[WAS_OPEN] = found.open
    if found.open and not was_open:
        st.session_state[MODE] = "vote"  # the vote just opened: show it
    if found.open and st.query_params.get("v") != voter_token():
        st.query_params["v"] = voter_token()  # a reload keeps this phone's dots
    if was_open and not found.open:
        st.session_state[FLASH] = ("info", tr("votes.closed"))
    return found


def wants_vote(found: v.Ballot | None) -> bool:
    """Whether the page shows the ballot (the vote is open and the phone is on it); draws the
    choice between voting and writing a note while the vote is open."""
    if found is None or not found.open:
        _show_flash()
        return False
    st.session_state.setdefault(MODE, "vote")
    st.segmented_control(
        tr("votes.mode_label"),
        MODES,
        format_func=lambda mode: tr(f"votes.mode_{mode}"),
        key=MODE,
        width="stretch",
        label_visibility="collapsed",
    )
    return st.session_state.get(MODE) != "note"


def draw(form: p.CaptureForm, found: v.Ballot, code: str | None, lost: Callable[[], None]) -> None:
    """The ballot: the dots left, then each moment's irritants and breaks with − and +.
    `lost` is called when the join code no longer works (the page asks for the new one)."""
    st.html(
        f'<p class="cap-title">{escape(form.title)}</p>'
        f'<p class="cap-h">{escape(tr("votes.title"))}</p>'
    )
    st.caption(tr("votes.help"))
    with st.container(key="capture_vote_left"):  # stays on screen while scrolling
        st.html(left_html(found))
    _show_flash()
    if not found.moments:
        st.info(tr("votes.none"))
        return
    cards(found, partial(_vote, form.journey_id, code, voter_token(), lost))


def cards(found: v.Ballot, on_vote: Vote, *, prefix: str = PREFIX) -> None:
    """Each moment's irritants and breaks, in board order, with a − and a + that call
    `on_vote(ref, ±1)`; buttons keyed `<prefix>_minus_<ref>`, `<prefix>_plus_<ref>`. When the
    ballot has the room's dots (the facilitator's), each card says them; when the vote is
    closed, the buttons are off."""
    with st.container(key=f"{prefix}_cards"):
        for moment in found.moments:
            st.html(f'<p class="vote-moment">{escape(moment.label)}</p>')
            for finding in moment.findings:
                _card(finding, found, on_vote, prefix)


def left_html(found: v.Ballot) -> str:
    """The dots the voter has left, as a banner (escaped)."""
    if found.left == 0:
        words, extra = tr("votes.left_none", dots=found.dots), " vote-none"
    elif found.left == 1:
        words, extra = tr("votes.left_one", dots=found.dots), ""
    else:
        words, extra = tr("votes.left_many", left=found.left, dots=found.dots), ""
    return f'<p class="vote-left{extra}" role="status">{escape(words)}</p>'


def _card(finding: v.BallotFinding, found: v.Ballot, on_vote: Vote, prefix: str) -> None:
    key = f"{prefix}_card_{finding.type.value}_{finding.ref}"
    with st.container(border=True, key=key):
        st.text(f"{SYMBOLS[finding.type]} {finding.text}")  # as typed: never Markdown
        where = tr("votes.where", touchpoint=finding.touchpoint, channel=finding.channel)
        caption = [plain(where), plain(tr(f"finding.{finding.type.value}"))]
        if finding.total is not None:
            caption.append(_room(finding.total))
        st.caption(" · ".join(caption))
        row = st.container(horizontal=True, vertical_alignment="center", gap="small")
        row.button(
            "−",
            key=f"{prefix}_minus_{finding.ref}",
            help=tr("votes.remove_help"),
            disabled=finding.mine == 0 or not found.open,
            on_click=on_vote,
            args=(finding.ref, -1),
        )
        mine = tr("votes.mine_one") if finding.mine == 1 else tr("votes.mine", count=finding.mine)
        on = " vote-on" if finding.mine else ""
        row.html(
            f'<p class="vote-mine{on}" aria-label="{escape(mine)}">'
            f"{'●' * finding.mine or '○'}<b>{finding.mine}</b></p>"
        )
        row.button(
            "+",
            key=f"{prefix}_plus_{finding.ref}",
            help=tr("votes.add_help"),
            type="primary",
            disabled=found.left == 0 or not found.open,
            on_click=on_vote,
            args=(finding.ref, 1),
        )


def _room(total: int) -> str:
    if total == 0:
        return tr("vote_panel.room_none")
    if total == 1:
        return tr("vote_panel.room_one")
    return tr("vote_panel.room_many", count=total)


def _vote(
    journey_id: str,
    code: str | None,
    token: str,
    lost: Callable[[], None],
    ref: int,
    step: int,
) -> None:
    act = v.phone_cast if step > 0 else v.phone_withdraw
    try:
        act(journey_id, code, token, ref, store=store())
    except p.JoinCodeError:
        lost()
    except v.VoteClosedError:
        st.session_state[FLASH] = ("info", tr("votes.closed"))
    except v.NoDotsLeftError as error:
        st.session_state[FLASH] = ("warning", tr("votes.no_dots_left", dots=error.dots))
    except v.NotVotableError:
        st.session_state[FLASH] = ("warning", tr("votes.gone"))
    except StoreError:
        st.session_state[FLASH] = ("error", tr("votes.failed"))


def _show_flash() -> None:
    kept = st.session_state.pop(FLASH, None)
    if kept:
        kind, message = kept
        {"info": st.info, "warning": st.warning}.get(kind, st.error)(message)


def watch(journey_id: str, code: str | None) -> None:
    """Rerun the page when its ballot changes elsewhere: the vote opened or closed, the dots
    per voter or the journey changed (checked every POLL_SECONDS, one small read)."""
    st.session_state[FULL_RUN] = True  # this run drew the page as it is now
    _poll(journey_id, code)


@st.fragment(run_every=POLL_SECONDS)
def _poll(journey_id: str, code: str | None) -> None:
    try:
        now = v.ballot_signature(journey_id, code, store=store())
    except StoreError:
        return
    if st.session_state.pop(FULL_RUN, False) or SEEN not in st.session_state:
        st.session_state[SEEN] = now
    elif now != st.session_state[SEEN]:
        st.session_state[SEEN] = now
        st.rerun()

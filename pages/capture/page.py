"""Participants' page, on a phone: with the workshop's join code, send a note to the inbox;
while the facilitator's vote is open, spend dots on the irritants and breaks (pages/capture/
voting.py).

Reached by `/capture?j=<journey>&code=<code>` (the QR code) or `/capture` and the code typed in.
Without a valid code it shows nothing of the journey; the app's sidebar and menus are hidden.
"""

from __future__ import annotations

from html import escape

import streamlit as st
from pydantic import ValidationError

from journeys.board.html import SYMBOLS
from journeys.contract.model import FindingType
from journeys.errors import InvalidReferenceError, StoreError
from journeys.i18n import LANGUAGES
from journeys.workshop import participants as p
from pages.capture import voting
from pages.common.auth import client_key
from pages.common.guard import query_param, refused_params
from pages.common.shared import LANG, lang, store, tr
from pages.common.text import plain

JOURNEY = "capture_journey"
CODE = "capture_code"
TYPE = "capture_type"
TEXT = "capture_text"
FLASH = "capture_flash"
LINK = "capture_link"  # the (journey, code) of the link already taken into account
KEPT = "capture_kept"  # the note being written when the code changed, given back after
JOINED = "capture_joined"  # the code was good on the previous run
_FIELDS = (TYPE, TEXT, "capture_moment", "capture_channel", "capture_touchpoint")
COLOURS = {  # the board's colours (journeys/board/html.py), and a text colour readable on each
    FindingType.DELIGHT: ("#0b5c96", "#ffffff", "#e8f2fb"),
    FindingType.IRRITANT: ("#e69f00", "#15191e", "#fff3d6"),
    FindingType.BREAK: ("#a33a00", "#ffffff", "#fbe9e1"),
}

_CSS = """
section[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],
header[data-testid='stHeader'],[data-testid='stToolbar'],[data-testid='stDecoration'],
[data-testid='stSidebarNav'],footer{display:none!important}
.block-container,[data-testid='stMainBlockContainer']{padding:0.75rem 1rem 2rem!important;
 max-width:560px!important}
.stApp button,.stApp input,.stApp textarea{font-size:17px!important}
.stApp button{min-height:48px}
button[data-variant='pills']{min-height:44px!important;padding:6px 14px!important}
button[data-variant='pills'][aria-checked='true']{outline:3px solid #0b5c96;background:#e8f2fb}
.st-key-capture_send button{min-height:56px;font-weight:700}
[data-testid='InputInstructions']{display:none}
.cap-label{font-size:14px;margin:0}
.cap-title{font-size:14px;color:#4a525c;margin:0}
.cap-h{font-size:22px;font-weight:700;margin:0 0 .25rem}
"""


def _type_css() -> str:
    """Each type its colour: tinted until picked, filled once picked (the primary button)."""
    rules = []
    for kind, (colour, ink, tint) in COLOURS.items():
        key = f".st-key-capture_type_{kind.value} button"
        picked = f"{key}[kind='primary'],{key}[data-testid='stBaseButton-primary']"
        rules.append(
            f"{key}{{min-height:60px;font-size:19px!important;font-weight:700;"
            f"border:3px solid {colour}!important;background:{tint}!important;"
            f"color:#15191e!important}}{key} p{{font-size:19px!important;font-weight:700}}"
            f"{picked}{{background:{colour}!important;color:{ink}!important;"
            f"box-shadow:0 0 0 3px #fff,0 0 0 6px {colour}}}"
            f"{picked.replace(',', ' p,')} p{{color:{ink}!important}}"
        )
    return "".join(rules)


def _from_link() -> None:
    """A new link (scanned, or opened) sets the journey and code; the same link again does not
    undo a code typed since."""
    link = (query_param("j"), p.normalise_code(query_param("code")))
    if link[1] and st.session_state.get(LINK) != link:
        st.session_state[LINK] = link
        st.session_state[JOURNEY], st.session_state[CODE] = link


def _join(journey_hint: str | None) -> None:
    code = p.normalise_code(st.session_state.get("capture_code_input"))
    client = client_key()
    try:  # one guess counted per try: the hinted journey's code, else any journey's
        if journey_hint and p.check_join_code(journey_hint, code, store=store(), client=client):
            found: str | None = journey_hint
        else:
            found = p.find_workshop(code, store=store(), client=None if journey_hint else client)
    except p.Throttled as wait:
        st.session_state[FLASH] = ("error", tr("capture.too_many", seconds=wait.seconds))
        return
    st.session_state[JOURNEY], st.session_state[CODE] = found, code if found else None
    st.session_state[FLASH] = None if found else ("error", tr("capture.code_wrong"))
    if found:  # the address bar now holds the good code: a reload keeps working
        st.query_params.update({"j": found, "code": code})
        st.session_state[LINK] = (found, code)


def _code_form(message: str | None) -> None:
    st.markdown(f'<p class="cap-h">{escape(tr("capture.code_title"))}</p>', unsafe_allow_html=True)
    st.caption(tr("capture.code_help"))
    if message:
        st.warning(message)
    with st.form("capture_code_form", border=False):
        st.text_input(
            tr("capture.code_label"),
            key="capture_code_input",
            max_chars=12,
            placeholder="ABC 123",
        )
        st.form_submit_button(
            tr("capture.code_join"),
            type="primary",
            width="stretch",
            on_click=_join,
            args=(query_param("j") or st.session_state.get(JOURNEY),),
        )


def _send(form: p.CaptureForm) -> None:
    state = st.session_state
    moment, channel = state.get("capture_moment"), state.get("capture_channel")
    if not moment or not channel:
        state[FLASH] = ("warning", tr("capture.need_cell"))
        return
    if not state.get(TYPE):
        state[FLASH] = ("warning", tr("capture.need_type"))
        return
    try:
        draft = p.NoteDraft(
            type=state[TYPE],
            text=state.get(TEXT) or "",
            moment=moment,
            channel=channel,
            touchpoint=state.get("capture_touchpoint") or None,
            intensity=state.get("capture_intensity") or 2,
            author=state.get("capture_author") or None,
        )
        p.submit_note(form.journey_id, state.get(CODE), draft, store=store(), client=client_key())
    except p.Throttled as wait:  # the note stays in the form
        state[FLASH] = ("warning", tr("capture.too_fast", seconds=wait.seconds))
        return
    except ValidationError:
        state[FLASH] = ("warning", tr("capture.need_text"))
        return
    except p.JoinCodeError:
        _code_changed()
        return
    except InvalidReferenceError:
        state["capture_touchpoint"] = None
        state[FLASH] = ("warning", tr("capture.gone"))
        return
    except StoreError:
        state[FLASH] = ("error", tr("capture.failed"))
        return
    state[TEXT], state[TYPE] = "", None  # where stays: the next note is often about it too
    state["capture_intensity"] = 2
    state[FLASH] = ("success", tr("capture.sent"))


def _code_changed() -> None:
    """The facilitator changed the code: ask for the new one, keeping the note being written."""
    state = st.session_state
    state[KEPT] = {key: state.get(key) for key in _FIELDS}
    state[CODE] = None
    state[FLASH] = ("warning", tr("capture.code_changed"))


def _pick_type(kind: str) -> None:
    st.session_state[TYPE] = kind


def _show_flash() -> None:
    kept = st.session_state.pop(FLASH, None)
    if kept:
        kind, message = kept
        icon = ":material/check_circle:" if kind == "success" else None
        {"success": st.success, "warning": st.warning}.get(kind, st.error)(message, icon=icon)


def _note_form(form: p.CaptureForm) -> None:
    st.session_state.update(st.session_state.pop(KEPT, None) or {})
    st.session_state.setdefault("capture_intensity", 2)
    # HTML, not Markdown: a blank line in the title would end Markdown's HTML block.
    st.html(
        f'<p class="cap-title">{escape(form.title)}</p>'
        f'<p class="cap-h">{escape(tr("capture.title"))}</p>'
    )
    # Pills render their options as Markdown: the labels go as text.
    moments = {ident: plain(name) for ident, name in form.moments}
    channels = {ident: plain(name) for ident, name in form.channels}
    moment = st.pills(
        tr("capture.moment"), list(moments), format_func=moments.__getitem__, key="capture_moment"
    )
    channel = st.pills(
        tr("capture.channel"),
        list(channels),
        format_func=channels.__getitem__,
        key="capture_channel",
    )
    if moment and channel:
        here = {
            tp.id: plain(tp.label)
            for tp in form.touchpoints
            if (tp.moment, tp.channel) == (moment, channel)
        }
        if st.session_state.get("capture_touchpoint") not in here:
            st.session_state["capture_touchpoint"] = None
        if here:
            st.pills(
                tr("capture.touchpoint"),
                list(here),
                format_func=here.__getitem__,
                key="capture_touchpoint",
            )
        else:
            st.caption(tr("capture.touchpoint_none"))
    st.markdown(f'<p class="cap-label">{escape(tr("capture.type"))}</p>', unsafe_allow_html=True)
    chosen = st.session_state.get(TYPE)
    for kind in FindingType:
        picked = chosen == kind.value
        st.button(
            f"{'✓ ' if picked else ''}{SYMBOLS[kind]}  {tr(f'finding.{kind.value}')}",
            key=f"capture_type_{kind.value}",
            on_click=_pick_type,
            args=(kind.value,),
            type="primary" if picked else "secondary",
            width="stretch",
        )
    st.segmented_control(
        tr("capture.intensity"),
        [1, 2, 3],
        format_func=lambda n: tr(f"intensity.{n}"),
        key="capture_intensity",
        width="stretch",
    )
    st.text_area(
        tr("capture.text"),
        key=TEXT,
        max_chars=p.TEXT_MAX,
        placeholder=tr("capture.text_placeholder"),
        height=110,
    )
    st.text_input(tr("capture.author"), key="capture_author", max_chars=p.AUTHOR_MAX)
    _show_flash()
    st.button(
        tr("capture.send"),
        key="capture_send",
        type="primary",
        icon=":material/send:",
        on_click=_send,
        args=(form,),
        width="stretch",
    )


def _keep_note() -> None:
    """The note being written, kept while the ballot is shown (its fields are not drawn)."""
    state = st.session_state
    if KEPT not in state:
        fields = (*_FIELDS, "capture_intensity", "capture_author")
        state[KEPT] = {key: state[key] for key in fields if key in state}


def _language_switch() -> None:
    st.session_state["capture_lang"] = lang()
    st.segmented_control(
        tr("capture.language"),
        LANGUAGES,
        format_func=str.upper,
        key="capture_lang",
        on_change=lambda: st.session_state.update(
            {LANG: st.session_state["capture_lang"] or lang()}
        ),
        label_visibility="collapsed",
    )


st.html(f"<style>{_CSS}{_type_css()}{voting.CSS}</style>")
_from_link()
jid, code = st.session_state.get(JOURNEY), st.session_state.get(CODE)
# A code not yet proven in this session is a guess: throttled (per browser and per journey).
guess = st.session_state.get(JOINED) != (jid, code)
try:
    client = client_key() if guess else None
    capture = p.capture_form(jid, code, store=store(), client=client) if jid and code else None
except p.JoinCodeError:
    capture = None
    if st.session_state.get(JOINED):
        _code_changed()
except p.Throttled as wait:
    capture = None
    st.session_state[FLASH] = ("error", tr("capture.too_many", seconds=wait.seconds))
st.session_state[JOINED] = (jid, code) if capture is not None else None
if capture is None:
    flash = st.session_state.pop(FLASH, None)
    if flash:
        message: str | None = flash[1]
    elif refused_params():  # ?j= or ?code= with a NUL byte, or far too long: not our link
        message = tr("capture.link_bad")
    else:
        message = tr("capture.code_wrong") if code else None
    _code_form(message)
else:
    ballot = voting.ballot(capture, code)
    if voting.wants_vote(ballot):
        assert ballot is not None
        _keep_note()
        voting.draw(capture, ballot, code, _code_changed)
    else:
        _note_form(capture)
    voting.watch(capture.journey_id, code)
st.divider()
_language_switch()

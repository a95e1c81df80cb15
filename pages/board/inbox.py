"""The facilitator's inbox on the board: the QR code and join code, and participants' new notes
(the board's live watcher looks at the inbox every second and redraws the page when it moved,
no click), each to accept, file under a touchpoint, or discard. On the projector: the code in a
column of its own beside the board, or minimised to a badge above it."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from journeys.board.html import NEW_SYMBOL, SYMBOLS
from journeys.contract.model import FindingType, Journey
from journeys.errors import StoreError
from journeys.i18n import t
from journeys.roles import Permission
from journeys.workshop import participants as p
from pages.board.panels import touchpoint_name
from pages.common.shared import lang, read, store, tr
from pages.common.text import AsIs, plain

BASE = "inbox_base_url"  # the address phones use to reach this computer
MERGE = "inbox_merge"  # the note being filed under another touchpoint
FLASH = "inbox_flash"
ON_PROJECTOR = "inbox_on_projector"  # the switch (drawn only in the options popover)
SHOW_CODE = "inbox_show_code"  # its value, kept while the switch is not drawn (False: a badge)
DRAWN = "inbox_drawn"  # the code, new and discarded notes the page run drew (see moved)
LOOKED = "inbox_looked"  # when the inbox was last read for this screen (monotonic seconds)
LOOK_EVERY = 0.9  # seconds between two looks (the watcher ticks twice a second)
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}

_CSS = """
.ib-strip{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:center;
 border:2px solid #0b5c96;border-radius:8px;padding:8px 16px;background:#fff;color:#15191e;
 font-family:"Source Sans","Source Sans Pro",sans-serif}
.ib-qr{display:block;flex:none;image-rendering:pixelated}
.ib-strip>div{flex:1 1 12em;min-width:0}
.ib-lead{font-size:16px;font-weight:700;margin:0 0 4px}
.ib-addr{font-size:15px;overflow-wrap:break-word;margin:0 0 6px;color:#0b5c96;font-weight:600}
.ib-code{font-size:15px;margin:0}
.ib-code b{font-size:34px;letter-spacing:.12em;font-family:ui-monospace,"DejaVu Sans Mono",
 monospace;background:#15191e;color:#fff;padding:0 10px;border-radius:6px;white-space:nowrap}
.ib-big .ib-lead{font-size:22px}.ib-big .ib-addr{font-size:19px}
.ib-big .ib-code{font-size:20px}.ib-big .ib-code b{font-size:40px}
.ib-float{position:fixed;top:14px;right:14px;z-index:999990;width:var(--ib-rail);
 box-shadow:0 4px 18px rgba(0,0,0,.28);border-radius:10px}
.ib-float .ib-strip{flex-direction:column;align-items:stretch;gap:8px;padding:10px 12px}
.ib-float .ib-qr{width:100%;height:auto}.ib-float .ib-strip>div{flex:none}
.ib-float .ib-lead{font-size:18px}.ib-float .ib-addr{font-size:16px}
.ib-float .ib-code{font-size:16px}.ib-float .ib-code b{font-size:min(40px,2.2vw)}
:root{--ib-rail:clamp(200px,17vw,300px)}
body:has(.ib-float):has(.jb-board.jb-projector)
 :is(.block-container,[data-testid='stMainBlockContainer'])
 {padding-right:calc(var(--ib-rail) + 28px)!important}
body:not(:has(.jb-board.jb-projector)) .ib-float{display:none}
.ib-notes{display:flex;flex-direction:column;gap:8px}
.ib-note{border-left:6px solid var(--ib-c);background:#fafbfc;padding:6px 10px;margin:0;
 border-radius:4px;color:#15191e;font-family:"Source Sans","Source Sans Pro",sans-serif}
.ib-note .ib-text{font-size:16px;margin:2px 0;overflow-wrap:anywhere;white-space:pre-wrap}
.ib-note .ib-meta{font-size:13px;color:#4a525c}
.ib-mark{display:inline-block;min-width:1.6em;text-align:center;border-radius:3px;
 background:var(--ib-c);color:var(--ib-ink);font-weight:700;padding:0 4px;margin-right:6px}
.ib-new{background:#6a3d9a;color:#fff;font-weight:700;border-radius:3px;padding:0 5px;
 font-size:12px;margin-left:6px;text-transform:uppercase}
"""
_COLOURS = {
    FindingType.DELIGHT: ("#0b5c96", "#fff"),
    FindingType.IRRITANT: ("#e69f00", "#000"),
    FindingType.BREAK: ("#a33a00", "#fff"),
}


def inbox_panel(journey: Journey, *, projector: bool = False) -> None:
    """Draw the inbox under the board (on the projector: only the code to join, if wanted).

    Only for those who may edit the journey: the inbox turns notes into findings."""
    database = store()
    if not database.actor.may(Permission.EDIT):
        return
    try:
        box = read(p.inbox, journey.id)
        code = box.code or p.open_workshop(journey.id, store=database)
    except StoreError as exc:
        st.error(plain(f"{tr('inbox.failed')} {exc}"))
        return
    base = st.session_state.get(BASE) or _page_base()
    link = p.join_url(base, journey.id, code, lang=lang())
    if projector:  # the badge or the button that minimises the code: see join_corner
        st.session_state.pop(DRAWN, None)  # no notes here: the watcher's tray shows them
        if st.session_state.get(SHOW_CODE, True):
            _projector_strip(base, code, link)
        return
    st.session_state[DRAWN] = _drawn(journey.id, code, box)
    st.session_state[LOOKED] = time.monotonic()
    with st.container(border=True, key="inbox_panel"):
        st.subheader(tr("inbox.title"), anchor=False)
        _show_flash()
        invite, notes = st.columns([2, 5], gap="medium")
        with invite:
            _invite(journey, base, code, link)
        with notes:
            _merge_picker(journey)
            _new_notes(journey, box.new)
            _set_aside(journey, box.discarded)


# --- joining -------------------------------------------------------------------------------


def _page_base() -> str:
    """`scheme://host:port[/base path]` phones can use: the address of the facilitator's
    browser, or, when that is this computer itself, its address on the room's network (if the
    server listens there)."""
    parts = urlsplit(st.context.url or "")
    host = parts.hostname or "localhost"
    port = parts.port or st.get_option("server.port") or 8501
    listens_on = st.get_option("server.address") or "0.0.0.0"
    if host in LOCAL_HOSTS and listens_on not in LOCAL_HOSTS - {"0.0.0.0", ""}:
        host = listens_on if listens_on not in LOCAL_HOSTS else (p.local_network_host() or host)
    root = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme or 'http'}://{host}:{port}" + (f"/{root}" if root else "")


def _keep_base() -> None:
    st.session_state[BASE] = (st.session_state.get("inbox_base_input") or "").strip() or None


def _strip_html(base: str, code: str, link: str, *, big: bool) -> AsIs:
    """The code to join, its QR code and the address, as st.html sends it as it is (a board
    reruns often: the block, 5 kB, is built once per address, code and language)."""
    return _strip(base, code, link, big, lang())


@lru_cache(maxsize=32)
def _strip(base: str, code: str, link: str, big: bool, language: str) -> AsIs:
    size = 160 if big else 150
    address = escape(p.capture_address(base)).replace(f"/{p.CAPTURE_PATH}", "<wbr>/capture")
    return AsIs(
        f"<style>{_CSS}</style>"  # the inbox's styles travel with the code (one element)
        f'<div class="ib-strip{" ib-big" if big else ""}">'
        f'<img class="ib-qr" src="{escape(_qr_code(link))}"'
        f' alt="{escape(t("inbox.qr_alt", language))}" width="{size}" height="{size}"><div>'
        f'<p class="ib-lead">{escape(t("inbox.invite", language))}</p>'
        f'<p class="ib-addr">{escape(t("inbox.scan", language))} {address}</p>'
        f'<p class="ib-code" aria-label="{escape(t("inbox.code_aria", language, code=code))}">'
        f"{escape(t('inbox.code', language))} <b>{escape(p.format_code(code))}</b></p></div></div>"
    )


@lru_cache(maxsize=32)
def _qr_code(link: str) -> str:
    """The QR code of a join link, drawn once per journey, code (and address, language)."""
    return p.qr_data_uri(link)


def _projector_strip(base: str, code: str, link: str) -> None:
    """On the projector the code stands in a column of its own at the right of the screen, in
    sight whatever part of the board shows and never over it (the page gives the column its
    width, the board fits in the rest), until the facilitator minimises it (join_corner)."""
    strip = _strip_html(base, code, link, big=True).html
    st.html(AsIs(f'<div class="ib-float">{strip}</div>'))


def join_code(journey: Journey) -> str | None:
    """The journey's join code (the workshop opened if need be); None if the store refused
    (the inbox below the board says why)."""
    try:
        return read(p.inbox, journey.id).code or p.open_workshop(journey.id, store=store())
    except StoreError:
        return None


def join_corner(code: str | None) -> bool:
    """On the projector, above the board (never over its cards): the button that minimises the
    floating code, or, minimised, a badge with the code that brings the QR code back. True when
    clicked (SHOW_CODE changed: the page must be drawn again)."""
    if code is None:
        return False
    shown = st.session_state.get(SHOW_CODE, True)
    clicked = (
        st.button(
            tr("live.join_minimise"),
            key="live_join_minimise",
            icon=":material/close_fullscreen:",
        )
        if shown
        else st.button(
            tr("live.join_badge", code=p.format_code(code)),
            key="live_join_badge",
            icon=":material/qr_code_2:",
            help=tr("live.join_expand"),
        )
    )
    if clicked:
        st.session_state[SHOW_CODE] = not shown
    return clicked


def _show_code_switch() -> None:
    st.toggle(
        tr("inbox.on_projector"),
        value=st.session_state.get(SHOW_CODE, True),
        key=ON_PROJECTOR,
        on_change=lambda: st.session_state.update({SHOW_CODE: st.session_state[ON_PROJECTOR]}),
    )


def _invite(journey: Journey, base: str, code: str, link: str) -> None:
    st.html(_strip_html(base, code, link, big=False))
    host = urlsplit(base).hostname or ""
    if host in LOCAL_HOSTS:
        port = urlsplit(base).port or st.get_option("server.port") or 8501
        guess = p.local_network_host() or "192.168.1.20"
        st.warning(plain(tr("inbox.localhost", host=host, suggestion=f"http://{guess}:{port}")))
    # The link, the projector switch and the rotation: drawn only while open (the board
    # reruns often).
    options = st.popover(
        tr("inbox.options"),
        icon=":material/qr_code_2:",
        width="stretch",
        key="inbox_options_panel",
        on_change="rerun",
    )
    if not options.open:
        return
    with options:
        _show_code_switch()
        st.markdown(f"**{tr('inbox.link')}**")
        st.code(link, language=None, wrap_lines=True)
        st.session_state["inbox_base_input"] = base
        st.text_input(
            tr("inbox.address"),
            key="inbox_base_input",
            on_change=_keep_base,
            help=tr("inbox.address_help"),
        )
        st.markdown(f"**{tr('inbox.rotate')}**")
        st.caption(tr("inbox.rotate_help"))
        st.button(
            tr("inbox.rotate_confirm"),
            key="inbox_rotate",
            type="primary",
            on_click=_rotate,
            args=(journey.id,),
        )


def _rotate(jid: str) -> None:
    _act(
        lambda: p.rotate_join_code(jid, store=store()),
        lambda code: tr("inbox.rotated", code=p.format_code(code)),
    )


# --- notes ---------------------------------------------------------------------------------


def _drawn(jid: str, code: str, box: p.Inbox) -> tuple[str, str, list[int], list[int]]:
    return jid, code, [note.id for note in box.new], [note.id for note in box.discarded]


def moved(journey_id: str) -> bool:
    """Whether the inbox this screen's page drew is out of date (a new note, a note handled or
    discarded elsewhere, the code rotated by another facilitator): read again at most once per
    LOOK_EVERY, by the board's live watcher (pages/board/live), which then redraws the page.

    One poll for the watcher and the inbox, where each had its own: a second fragment cost
    every run of the board a tenth of its time, for a list that changes a few times a minute.
    False when the page drew no inbox (the projector, a reader) or the store is away."""
    drawn = st.session_state.get(DRAWN)
    if drawn is None or drawn[0] != journey_id:
        return False
    now = time.monotonic()
    if now - st.session_state.get(LOOKED, 0.0) < LOOK_EVERY:
        return False
    st.session_state[LOOKED] = now
    try:
        box = p.inbox(journey_id, store=store())  # fresh: notes may come from anywhere
    except StoreError:  # the next look tries again
        return False
    if not box.code:  # no workshop open: the page opens one when it runs
        return False
    return _drawn(journey_id, box.code, box) != drawn


def _new_notes(journey: Journey, notes: list[p.ParticipantNote]) -> None:
    """The new notes, newest first, each to accept, file elsewhere or discard."""
    count = tr("inbox.new_one") if len(notes) == 1 else tr("inbox.new_many", count=len(notes))
    if not notes:  # one element, not two: the board reruns often
        st.markdown(f"**{escape(count)}**  \n:gray[{tr('inbox.none')}]")
        return
    st.markdown(f"**{escape(count)}**")
    names = touchpoint_name(journey)
    for note in reversed(notes):  # the newest first
        with st.container(key=f"inbox_note_{note.id}"):
            st.html(note_html(journey, note, new=True))
            accept, merge, discard = st.columns(3)
            if accept.button(
                tr("inbox.accept"),
                key=f"inbox_accept_{note.id}",
                help=tr("inbox.accept_help"),
                icon=":material/check:",
                type="primary",
                width="stretch",
            ):
                _accept(note, names)
                st.rerun()
            if merge.button(
                tr("inbox.merge"),
                key=f"inbox_merge_{note.id}",
                help=tr("inbox.merge_help"),
                icon=":material/call_merge:",
                width="stretch",
                disabled=not names,
            ):
                st.session_state[MERGE] = note.id
                st.rerun()
            if discard.button(
                tr("inbox.discard"),
                key=f"inbox_discard_{note.id}",
                icon=":material/block:",
                width="stretch",
            ):
                _discard(note)
                st.rerun()


def _accept(note: p.ParticipantNote, names: dict[str, str]) -> None:
    _act(
        lambda: p.accept_note(note.id, store=store()),
        lambda done: tr(
            "inbox.accepted",
            label=names.get(done.merged_touchpoint or "", p.short_label(note.text, p.LABEL_MAX)),
        ),
    )


def _discard(note: p.ParticipantNote) -> None:
    _act(lambda: p.discard_note(note.id, store=store()), tr("inbox.discarded"))


def _merge_picker(journey: Journey) -> None:
    note_id = st.session_state.get(MERGE)
    if note_id is None:
        return
    try:
        note = p.get_note(note_id, store=store())
    except StoreError:
        note = None
    names = touchpoint_name(journey)
    if note is None or note.status is not p.NoteStatus.NEW or not names:
        st.session_state.pop(MERGE, None)
        return
    with st.container(border=True, key="inbox_merge_box"):
        st.html(note_html(journey, note, new=False))
        here = [
            tp.id
            for tp in journey.touchpoints
            if (tp.moment, tp.channel) == (note.moment, note.channel)
        ]
        options = list(names)
        start = note.touchpoint or (here[0] if here else options[0])
        target = st.selectbox(
            tr("inbox.merge_title"),
            options,
            index=options.index(start) if start in options else 0,
            format_func=names.__getitem__,
            key=f"inbox_merge_target_{note_id}",
        )
        ok, cancel = st.columns(2)
        ok.button(
            tr("inbox.merge_confirm"),
            type="primary",
            key="inbox_merge_ok",
            on_click=_merge,
            args=(note_id, target, names.get(target, target)),
            width="stretch",
        )
        cancel.button(
            tr("inbox.cancel"),
            key="inbox_merge_cancel",
            on_click=st.session_state.pop,
            args=(MERGE, None),
            width="stretch",
        )


def _merge(note_id: int, touchpoint_id: str, name: str) -> None:
    st.session_state.pop(MERGE, None)
    _act(
        lambda: p.merge_note(note_id, touchpoint_id, store=store()), tr("inbox.merged", label=name)
    )


def _set_aside(journey: Journey, discarded: list[p.ParticipantNote]) -> None:
    """Discarded notes, restorable; drawn only while their expander is open."""
    if not discarded:
        return
    panel = st.expander(
        tr("inbox.discarded_list", count=len(discarded)),
        icon=":material/block:",
        key="inbox_discarded",
        on_change="rerun",
    )
    if not panel.open:
        return
    with panel:
        for note in reversed(discarded):
            text, button = st.columns([5, 1], vertical_alignment="center")
            text.html(note_html(journey, note, new=False))
            button.button(
                tr("inbox.restore"),
                key=f"inbox_restore_{note.id}",
                on_click=_restore,
                args=(note.id,),
                icon=":material/undo:",
            )


def _restore(note_id: int) -> None:
    _act(lambda: p.restore_note(note_id, store=store()), tr("inbox.restored"))


def notes_html(journey: Journey, notes: list[p.ParticipantNote]) -> str:
    """New notes as one block, newest first, with the styles they need (the projector's tray)."""
    body = "".join(note_html(journey, note, new=True) for note in reversed(notes))
    return f'<style>{_CSS}</style><div class="ib-notes">{body}</div>'


def note_html(journey: Journey, note: p.ParticipantNote, *, new: bool) -> str:
    moments = {m.id: m.label for m in journey.moments}
    channels = {c.id: c.label for c in journey.channels}
    touchpoints = {tp.id: tp.label for tp in journey.touchpoints}
    colour, ink = _COLOURS[note.type]
    where = tr(
        "inbox.cell",
        moment=moments.get(note.moment, note.moment),
        channel=channels.get(note.channel, note.channel),
    )
    if note.touchpoint:
        where += f" · {touchpoints.get(note.touchpoint, note.touchpoint)}"
    meta = [where, note.created_at.astimezone().strftime("%H:%M")]
    if note.author:
        meta.append(tr("inbox.by", author=note.author))
    badge = f'<span class="ib-new">{NEW_SYMBOL} {escape(tr("inbox.new"))}</span>' if new else ""
    kind = escape(tr(f"finding.{note.type.value}"))
    return (
        f'<div class="ib-note" style="--ib-c:{colour};--ib-ink:{ink}">'
        f'<div class="ib-meta"><span class="ib-mark" title="{kind}">'
        f"{SYMBOLS[note.type] * note.intensity}</span>{kind}{badge}</div>"
        f'<p class="ib-text">{escape(note.text)}</p>'
        f'<div class="ib-meta">{escape(" · ".join(meta))}</div></div>'
    )


def _act(action: Callable[[], Any], success: str | Callable[[Any], str]) -> None:
    """Run one store action; keep its outcome to show at the top of the panel."""
    try:
        result = action()
    except (StoreError, ValueError) as exc:
        st.session_state[FLASH] = ("error", f"{tr('inbox.failed')} {exc}")
        return
    st.session_state[FLASH] = ("success", success(result) if callable(success) else success)


def _show_flash() -> None:
    kept = st.session_state.pop(FLASH, None)
    if kept:
        kind, message = kept
        (st.success if kind == "success" else st.error)(plain(message))

"""The board as one canvas (a Streamlit custom component, v2): what it is given on each run, and
what it asks for (intents: add, move, edit, trash, reorder, undo, redo, present…), handled by the
services before the page runs. Its zoom, lanes and the moment presented live in the URL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import streamlit as st

from journeys import services
from journeys.board.canvas import ZOOMS, Board, board_data, optimistic, packet
from journeys.board.evidence import touchpoint_evidence
from journeys.board.fragile import Attrition
from journeys.board.intents import IntentError, edit_for
from journeys.board.undo import Edit, History, Op
from journeys.contract.model import Journey, Touchpoint
from journeys.roles import Permission
from pages.common import guard
from pages.common.shared import PROJECTOR, lang, read, selected_journey, store, tr

KEY = "board_canvas"  # the component: one instance, kept across reruns by its key
ZOOM = "board_zoom"
LANES = "board_lanes"
PRESENT = "board_present"  # presentation mode on this screen
EDITING = "board_editing"  # a card is open in the canvas's editor
ACK = "board_canvas_ack"  # the last intent handled, and what the last few said
HISTORY = "board_canvas_history"  # {journey id: History}: this screen's undo and redo
URL_READ = "board_view_read"  # the URL's view was read (once per session)

_HERE = Path(__file__).parent
# One module for the browser: the canvas, then what it draws, its input, its editor and the
# KPI lane's input (each adds methods to the Canvas class the first declares).
_JS = ("canvas.js", "canvas_draw.js", "canvas_input.js", "canvas_editor.js", "canvas_kpi.js")
_component = st.components.v2.component(
    "journey_workshop.board_canvas",
    html="",
    css=(_HERE / "canvas.css").read_text(encoding="utf-8"),
    js="\n".join((_HERE / name).read_text(encoding="utf-8") for name in _JS),
    isolate_styles=False,  # the projector switch and app.py's rule look for `.jb-board`
)


def restore_view() -> None:
    """Read the board's view from the URL once per session: a reload, or the same link on a
    second screen, opens the board at the same zoom, lanes and presentation (app.py reads
    `mode=projector`)."""
    if st.session_state.get(URL_READ):
        return
    st.session_state[URL_READ] = True
    zoom = guard.query_param("zoom")
    if zoom in ZOOMS:
        st.session_state[ZOOM] = zoom
    if guard.query_param("lanes") == "1":
        st.session_state[LANES] = True
    presented = guard.query_param("present")
    if presented is not None:
        st.session_state[PRESENT] = True
        st.session_state[PROJECTOR] = True
        _presentation(selected_journey() or "")["presenting"] = presented


def board_canvas(
    editable: Any,
    revision_key: Hashable,
    *,
    projector: bool,
    show_findings: bool,
    attrition: Callable[[], Attrition | None],
    base: Hashable = None,
    tally: Mapping[int, int] | None = None,
) -> None:
    """Draw the board (`attrition`: what the subscriber base says, asked only when the board
    is drawn anew; `base` keys it; `tally`: the dots each finding got, by finding row id)."""
    restore_view()
    journey: Journey = editable.journey
    lanes = bool(st.session_state.get(LANES))
    other = _other_journey(journey) if lanes else None
    # The findings' words only when they show: zoomed in, presenting (or following the
    # facilitator's presentation: its column shows them in full), or a card open.
    shown = _presentation(journey.id)
    full = (
        st.session_state.get(ZOOM) in ("cards", "detail")
        or bool(st.session_state.get(PRESENT))
        or bool(shown.get("follow") and shown.get("presenting"))
        or bool(st.session_state.get(EDITING))
    )
    key = (revision_key, lang(), base, other.revision if other is not None else None, full, lanes)
    board = _board(key, editable, attrition, other.journey if other is not None else None)
    live = _live(journey.id, shown, projector=projector, show_findings=show_findings, tally=tally)
    _component(
        key=KEY,
        data=packet(board, live),
        on_intents_change=_on_intents,
        on_view_change=_on_view,
    )
    _keep_in_url(journey)


# --- the board's data, encoded once per revision --------------------------------------------

BoardKey = tuple[Hashable, str, Hashable, Hashable, bool, bool]
# Shared by every session of the process (a plain dict: Streamlit's caches would hash the
# journey's key on every run); the lock keeps two sessions from trimming it at once.
_BOARDS: dict[BoardKey, Board] = {}
_BOARDS_LOCK = threading.Lock()


def _board(
    key: BoardKey, editable: Any, attrition: Callable[[], Attrition | None], other: Journey | None
) -> Board:
    """The board part of the data for `key` (revision, language, base, other journey's
    revision, with the findings' words, with the lanes): built and encoded once, then the
    same bytes for every run and session."""
    found = _BOARDS.get(key)
    if found is None:
        _, language, _, _, full, lanes = key
        data = board_data(
            editable,
            lang=language,
            evidence=touchpoint_evidence(editable.journey),
            attrition=attrition(),
            other=other,
            findings=full,
            lanes=lanes,
        )
        found = Board.of(data)
        with _BOARDS_LOCK:
            while len(_BOARDS) >= 16:
                _BOARDS.pop(next(iter(_BOARDS)))
            _BOARDS[key] = found
    return found


def _other_journey(journey: Journey) -> Any:
    """The journey whose emotion curve the lanes show beside this one's: the current journey a
    target derives from, or the latest target derived from this one (None without)."""
    wanted = journey.derived_from if journey.state.value == "target" else None
    if wanted is None:
        targets = [
            s
            for s in read(services.list_journeys)
            if s.derived_from == journey.id and s.state.value == "target"
        ]
        wanted = max(targets, key=lambda s: s.updated_at).id if targets else None
    if wanted is None:
        return None
    try:
        return read(services.get_journey_for_edit, wanted)
    except services.NotFoundError:
        return None


def _live(
    jid: str,
    shown: Mapping[str, Any],
    *,
    projector: bool,
    show_findings: bool,
    tally: Mapping[int, int] | None,
) -> dict[str, Any]:
    """The small part of the data that changes between runs of one revision (`shown`: the
    presentation as `_presentation` read it for this run)."""
    history = _histories().get(jid, History())
    live: dict[str, Any] = {
        "view": {
            "zoom": st.session_state.get(ZOOM, "overview"),
            "lanes": bool(st.session_state.get(LANES)),
            "present": bool(st.session_state.get(PRESENT)),
            "editing": bool(st.session_state.get(EDITING)),
        },
        "projector": projector,
        "findings": show_findings,
        "editable": store().actor.may(Permission.EDIT),
        "ack": st.session_state.get(ACK) or {"seq": 0, "results": []},
        "history": {"undo": _step(history.next_undo), "redo": _step(history.next_redo)},
        "presenting": shown.get("presenting"),
        "follow": bool(shown.get("follow")),
        "leader": bool(shown.get("leader")),
        "timer": shown.get("timer"),
        "tally": {str(ref): count for ref, count in (tally or {}).items() if count},
    }
    if live["timer"]:
        live["now"] = datetime.now(UTC).isoformat()  # the browser's clock may be off
    return live


def _step(edit: Edit | None) -> dict[str, Any] | None:
    """What Ctrl+Z (or Ctrl+Shift+Z) would do: its words, and what shows before the answer."""
    if edit is None:
        return None
    return {"what": _what(edit), "show": optimistic(edit)}


def _what(edit: Edit) -> str:
    op = edit.op.value
    if edit.op is Op.UPDATE_TOUCHPOINT and isinstance(edit.before, Touchpoint):
        after = edit.after
        moved = isinstance(after, Touchpoint) and (
            (after.moment, after.channel) != (edit.before.moment, edit.before.channel)
        )
        op = "move_touchpoint" if moved else op
    return tr(f"canvas.what.{op}", label=edit.label)


# --- what the canvas asks for ---------------------------------------------------------------


def _histories() -> dict[str, History]:
    return st.session_state.setdefault(HISTORY, {})


def _on_intents() -> None:
    """Handle the canvas's intents not handled yet, in order (the canvas sends again all those
    not acknowledged: a rerun that swallowed one loses nothing, a repeat is ignored)."""
    sent = getattr(st.session_state.get(KEY), "intents", None)
    jid = selected_journey()
    if not isinstance(sent, list) or not jid:
        return
    ack = dict(st.session_state.get(ACK) or {"seq": 0, "results": []})
    results = list(ack["results"])
    for intent in sent[:50]:
        seq = intent.get("seq") if isinstance(intent, dict) else None
        if not isinstance(seq, int) or isinstance(seq, bool) or seq <= ack["seq"]:
            continue
        ok, message = _handle(jid, intent)
        ack["seq"] = seq
        results.append({"seq": seq, "ok": ok, "msg": message})
    ack["results"] = results[-6:]
    st.session_state[ACK] = ack


def _handle(jid: str, intent: Mapping[str, Any]) -> tuple[bool, str]:
    """One intent: (done or not, what to tell; '' for nothing)."""
    kind = intent.get("type")
    if kind in ("present", "follow", "timer"):
        return presentation_intent(jid, intent)
    database = store()
    if not database.actor.may(Permission.EDIT):
        return False, tr("canvas.msg.read_only")
    histories = _histories()
    history = histories.get(jid, History())
    edit: Edit | None = None
    try:
        if kind in ("undo", "redo"):
            run = services.undo_edit if kind == "undo" else services.redo_edit
            histories[jid], outcome = run(jid, history, store=database)
            return _told(kind, outcome)
        edit = edit_for(intent, services.get_journey_for_edit(jid, store=database))
        if edit is None:
            return True, ""
        apply_edit(jid, edit)
    except IntentError as refused:
        return False, tr(refused.key, label=refused.detail) + (
            f" ({refused.detail})" if refused.key == "canvas.msg.invalid" else ""
        )
    except services.StaleVersionError:
        return False, tr("canvas.msg.stale", label=edit.label if edit else "")
    except (services.NotFoundError, services.InvalidReferenceError):
        return False, tr("canvas.msg.gone", label=edit.label if edit else "")
    except (services.StoreError, ValueError) as failed:
        return False, f"{tr('board.edit_failed')} {failed}"
    if edit.op is Op.DELETE_TOUCHPOINT:
        return True, tr("canvas.msg.trashed", label=edit.label)
    return True, ""


def apply_edit(jid: str, edit: Edit) -> None:
    """Apply an edit made on this screen, by the canvas or by one of the board's forms, through
    the store's versioned edits; what undoes it joins this screen's history (Ctrl+Z).

    Raises what services.apply_edit raises (StaleVersionError, NotFoundError…)."""
    histories = _histories()
    undoing = services.apply_edit(jid, edit, store=store())
    histories[jid] = histories.get(jid, History()).done(undoing)


_DONE = {"undo": "canvas.msg.undone", "redo": "canvas.msg.redone"}


def _told(kind: str, outcome: services.CanvasOutcome) -> tuple[bool, str]:
    if outcome.edit is None:
        return False, tr(f"canvas.nothing_{kind}")
    what = _what(outcome.edit)
    if outcome.refused is None:
        return True, tr(_DONE[kind], what=what)
    return False, tr(f"canvas.msg.{kind}_{outcome.refused}", what=what, label=outcome.edit.label)


def lanes_shown() -> bool:
    """Whether the canvas shows its lanes (the emotion curve among them)."""
    return bool(st.session_state.get(LANES))


def _on_view() -> None:
    """The canvas's zoom, lanes or presentation changed (the URL follows in this run)."""
    view = getattr(st.session_state.get(KEY), "view", None)
    if not isinstance(view, dict):
        return
    if view.get("zoom") in ZOOMS:
        st.session_state[ZOOM] = view["zoom"]
    st.session_state[LANES] = view.get("lanes") is True
    st.session_state[PRESENT] = view.get("present") is True
    st.session_state[EDITING] = view.get("editing") is True
    if st.session_state[PRESENT]:
        st.session_state[PROJECTOR] = True  # presenting is for the room: the projector's page


def _keep_in_url(journey: Journey) -> None:
    """Zoom, lanes and the moment presented in the URL (projector mode: pages/board/live)."""
    presenting = _presentation(journey.id).get("presenting")
    wanted = {
        "zoom": st.session_state.get(ZOOM, "overview"),
        "lanes": "1" if st.session_state.get(LANES) else None,
        "present": (presenting or journey.moments[0].id if journey.moments else None)
        if st.session_state.get(PRESENT)
        else None,
    }
    for name, value in wanted.items():
        if st.query_params.get(name) == value:
            continue
        if value is None:
            del st.query_params[name]
        else:
            st.query_params[name] = value


# ==== presentation: the workshop's shared state ==============================================
# `present` {moment: id | None}, `follow` {on: bool}, `timer` {seconds: int | None} go to the
# store (services.set_presenting, set_follow, start_timer, stop_timer): the store is the only
# channel between screens, and the live watcher reruns a screen when its revision moves.

_SHOWN = "board_presentation"  # {journey id: {"presenting", "leader"}}: this screen's own


def _presentation(jid: str) -> dict[str, Any]:
    """What the canvas shows of the presentation of `jid`: the moment this screen presents
    (or, with follow-me on, the one the facilitator presents), follow-me and the timer."""
    mine: dict[str, Any] = st.session_state.setdefault(_SHOWN, {}).setdefault(jid, {})
    state = _workshop(jid)
    if state is None:
        return mine
    if state.follow or mine.get("leader"):
        mine["presenting"] = state.presenting or mine.get("presenting")
    mine["follow"] = state.follow
    mine["timer"] = (
        {"start": state.timer_started_at.isoformat(), "seconds": state.timer_seconds}
        if state.timer_started_at and state.timer_seconds
        else None
    )
    return mine


def _workshop(jid: str) -> services.WorkshopState | None:
    try:
        return read(services.workshop_state, jid)  # as the page read it (shared between runs)
    except (services.StoreError, services.PermissionDenied):
        return None


def presentation_intent(jid: str, intent: Mapping[str, Any]) -> tuple[bool, str]:
    """Handle a presentation intent: (done or not, what to tell; '' for nothing)."""
    if not store().actor.may(Permission.EDIT):
        return False, tr("canvas.msg.read_only")
    mine = st.session_state.setdefault(_SHOWN, {}).setdefault(jid, {})
    kind = intent.get("type")
    try:
        if kind == "present":
            moment = intent.get("moment")
            moment = moment if isinstance(moment, str) else None
            services.set_presenting(jid, moment, store=store())
            mine.update(presenting=moment, leader=True)
        elif kind == "follow":
            services.set_follow(jid, intent.get("on") is True, store=store())
            mine["leader"] = True
        elif kind == "timer":
            seconds = intent.get("seconds")
            if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0:
                services.start_timer(jid, seconds, store=store())
            else:
                services.stop_timer(jid, store=store())
    except (services.StoreError, ValueError) as exc:
        return False, str(exc)
    return True, ""


# ==== end presentation ==========================================================================

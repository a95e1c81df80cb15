"""The board's edit callbacks. Each is bound, when its form is drawn, to the version the user saw:
if someone changed the thing since, nothing is written and the page shows what changed.

The edits the canvas also makes (a touchpoint or a finding added, changed or trashed, a moment
or channel moved) go through the canvas's path (pages.board.canvas.apply_edit): versioned, and
into this screen's undo history, so Ctrl+Z on the board undoes them too. Those the canvas has no
edit for (a moment's or channel's fields, adding or trashing one, flows) are written directly
and stay out of that history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from pydantic import BaseModel, ValidationError

from journeys import services
from journeys.board.undo import Edit, Op
from journeys.contract.editing import locate, rebase, unique_id
from journeys.contract.model import Channel, Finding, FindingStatus, Flow, Moment, Touchpoint
from pages.board import canvas
from pages.common.shared import flash, store, tr

STALE = "board_stale"  # the edit refused because someone else changed the thing first
CONFIRM = "board_confirm"  # a deletion waiting for "yes, move it to the trash"
DIALOG = "board_dialog"  # the touchpoint whose dialog is open
ADDING = "board_adding"  # the dialog to add a touchpoint is open
LAST_CELL = "board_last_cell"  # where the last touchpoint went: the next one starts there
REFRESH = "board_refresh"  # a dialog edit happened: redraw the whole page, not just the dialog

_UPDATE: dict[str, Callable[..., int]] = {
    "moment": services.update_moment,
    "channel": services.update_channel,
}
_MOVE = {"moment": Op.MOVE_MOMENT, "channel": Op.MOVE_CHANNEL}
_DELETE = {"moment": services.delete_moment, "channel": services.delete_channel}
_ADD: dict[str, Callable[..., int]] = {
    "moment": services.add_moment,
    "channel": services.add_channel,
}
MODELS: dict[str, type[BaseModel]] = {"moment": Moment, "channel": Channel}


def value(key: str, default: Any = None) -> Any:
    """The submitted value of a form widget (callbacks read widgets through session state)."""
    return st.session_state.get(key, default)


def text(key: str) -> str:
    return (value(key) or "").strip()


def run(action: Callable[[], object], success: str, *, stale: dict[str, Any] | None = None) -> bool:
    """Run one store edit; keep a message (or the refused edit) for the next run."""
    st.session_state[REFRESH] = True
    try:
        action()
    except services.StaleVersionError as exc:
        st.session_state[STALE] = {**(stale or {}), "message": str(exc)}
        st.session_state.pop(DIALOG, None)
        return False
    except ValidationError as exc:
        problems = "; ".join(err["msg"] for err in exc.errors())
        flash("error", f"{tr('board.edit_failed')} {problems}")
        return False
    except (services.StoreError, ValueError) as exc:
        flash("error", f"{tr('board.edit_failed')} {exc}")
        return False
    flash("success", success)
    return True


def update(kind: str, jid: str, ident: Any, version: int, seen: BaseModel, mine: BaseModel) -> None:
    if isinstance(seen, Touchpoint) and isinstance(mine, Touchpoint):
        edit = Edit(Op.UPDATE_TOUCHPOINT, ident, version, _bare(seen), mine, label=mine.label)
        canvas.apply_edit(jid, edit)
    elif isinstance(seen, Finding) and isinstance(mine, Finding):
        edit = Edit(Op.UPDATE_FINDING, ident, version, seen, mine, label=mine.text)
        canvas.apply_edit(jid, edit)
    else:
        _UPDATE[kind](jid, ident, mine, store=store(), expected_version=version)


def _bare(touchpoint: Touchpoint) -> Touchpoint:
    """A touchpoint's own fields, as its forms and the canvas edit them (its findings apart)."""
    return touchpoint.model_copy(update={"findings": []})


def save(kind: str, jid: str, ident: Any, version: int, seen: BaseModel, mine: BaseModel) -> bool:
    """Write `mine` over the `version` the user saw of a moment, channel, touchpoint or finding
    (a touchpoint or finding saved unchanged: nothing to write, nothing to undo)."""
    same = _bare(seen) if isinstance(seen, Touchpoint) else seen
    if kind in ("touchpoint", "finding") and mine == same:
        flash("success", tr("board.saved", label=_name(mine)))
        return True
    return run(
        lambda: update(kind, jid, ident, version, seen, mine),
        tr("board.saved", label=_name(mine)),
        stale={"kind": kind, "ident": ident, "seen": seen, "mine": mine},
    )


def reapply(jid: str) -> None:
    """Apply the refused edit again, this time over the version stored now."""
    pending = st.session_state.pop(STALE, None)
    if not pending:
        return
    editable = services.get_journey_for_edit(jid, store=store())
    now, version = locate(editable, pending["kind"], pending["ident"])
    if now is None or version is None:
        flash("error", tr("board.stale_gone"))
        return
    if pending["mine"] is None:  # a refused deletion
        delete(pending["kind"], jid, pending["ident"], version, _name(now))
        return
    mine = rebase(pending["seen"], pending["mine"], now, skip=("findings",))
    save(pending["kind"], jid, pending["ident"], version, now, mine)


def discard() -> None:
    st.session_state.pop(STALE, None)
    flash("info", tr("board.stale_discarded"))


def _name(model: BaseModel) -> str:
    return str(getattr(model, "label", None) or getattr(model, "text", ""))


# --- moments and channels ------------------------------------------------------------------


def add_structure(kind: str, jid: str, taken: set[str], prefix: str) -> None:
    name = text(f"{prefix}_label")
    if not name:
        flash("warning", tr("board.label_required"))
        return
    fields: dict[str, Any] = {"id": unique_id(name, taken), "label": name}
    if kind == "moment":
        fields["key"] = bool(value(f"{prefix}_key"))
    position = value(f"{prefix}_pos")
    item = MODELS[kind](**fields)
    run(
        lambda: _ADD[kind](jid, item, store=store(), position=position),
        tr("board.added", label=name),
    )


def update_structure(
    kind: str, jid: str, ident: str, version: int, seen: BaseModel, prefix: str
) -> None:
    name = text(f"{prefix}_label")
    if not name:
        flash("warning", tr("board.label_required"))
        return
    changes: dict[str, Any] = {"label": name, "description": text(f"{prefix}_desc") or None}
    if kind == "moment":
        changes["key"] = bool(value(f"{prefix}_key"))
        changes["kpi"] = text(f"{prefix}_kpi") or None
    save(kind, jid, ident, version, seen, seen.model_copy(update=changes))


def move(kind: str, jid: str, ident: str, version: int, now: int, position: int, name: str) -> None:
    """Move a moment or channel from place `now` to `position` (this screen's Ctrl+Z undoes it)."""
    edit = Edit(_MOVE[kind], ident, version, before=now, after=position, label=name)
    run(lambda: canvas.apply_edit(jid, edit), tr("board.moved"))


def ask_delete(kind: str, jid: str, ident: str, version: int, name: str, count: int) -> None:
    """Delete at once when nothing hangs on it; otherwise ask first (touchpoints go along)."""
    if count:
        st.session_state[CONFIRM] = {
            "kind": kind,
            "ident": ident,
            "version": version,
            "label": name,
            "count": count,
        }
        return
    delete(kind, jid, ident, version, name)


def delete(kind: str, jid: str, ident: str, version: int | None, name: str) -> None:
    """Move a moment, channel or touchpoint (and what hangs on it) to the trash."""
    st.session_state.pop(CONFIRM, None)
    if kind == "touchpoint":
        st.session_state.pop(DIALOG, None)

    def action() -> None:
        if kind == "touchpoint":
            seen = _touchpoint(jid, ident)  # with its findings: Ctrl+Z brings them back too
            canvas.apply_edit(
                jid, Edit(Op.DELETE_TOUCHPOINT, ident, version or 0, before=seen, label=name)
            )
        else:
            _DELETE[kind](jid, ident, store=store(), expected_version=version)

    stale = {"kind": kind, "ident": ident, "seen": None, "mine": None}
    run(action, tr("board.trashed", label=name), stale=stale)


def _touchpoint(jid: str, ident: str) -> Touchpoint:
    """The touchpoint as stored now. Raises NotFoundError."""
    journey = services.get_journey_for_edit(jid, store=store()).journey
    found = next((tp for tp in journey.touchpoints if tp.id == ident), None)
    if found is None:
        raise services.NotFoundError("touchpoint", ident)
    return found


def cancel_delete() -> None:
    st.session_state.pop(CONFIRM, None)


# --- touchpoints, findings, flows ------------------------------------------------------------


def touchpoint_from_form(prefix: str, ident: str) -> Touchpoint:
    return Touchpoint(
        id=ident,
        moment=value(f"{prefix}_moment"),
        channel=value(f"{prefix}_channel"),
        label=text(f"{prefix}_label"),
        status=value(f"{prefix}_status"),
        owner=text(f"{prefix}_owner") or None,
        description=text(f"{prefix}_desc") or None,
    )


def add_touchpoint(jid: str, taken: set[str], prefix: str) -> None:
    name = text(f"{prefix}_label")
    if not name:
        flash("warning", tr("board.label_required"))
        return
    touchpoint = touchpoint_from_form(prefix, unique_id(name, taken))
    edit = Edit(Op.ADD_TOUCHPOINT, touchpoint.id, after=touchpoint, label=name)
    if run(
        lambda: canvas.apply_edit(jid, edit),
        tr("board.added", label=name),
    ):
        st.session_state[LAST_CELL] = (touchpoint.moment, touchpoint.channel)
        st.session_state.pop(ADDING, None)
        st.session_state[DIALOG] = touchpoint.id  # straight on to its findings


def update_touchpoint(jid: str, ident: str, version: int, seen: Touchpoint, prefix: str) -> None:
    if not text(f"{prefix}_label"):
        flash("warning", tr("board.label_required"))
        return
    save("touchpoint", jid, ident, version, seen, touchpoint_from_form(prefix, ident))


def finding_from_form(prefix: str, visit: str | None = None) -> Finding:
    return Finding(
        type=value(f"{prefix}_type"),
        intensity=value(f"{prefix}_intensity"),
        text=text(f"{prefix}_text"),
        source=value(f"{prefix}_source"),
        improvement=text(f"{prefix}_improvement") or None,
        status=value(f"{prefix}_status") or FindingStatus.OPEN,
        visit=visit,
    )


def add_finding(jid: str, touchpoint_id: str, prefix: str) -> None:
    if not text(f"{prefix}_text"):
        flash("warning", tr("board.text_required"))
        return
    finding = finding_from_form(prefix)
    edit = Edit(
        Op.ADD_FINDING, touchpoint_id, after=finding, touchpoint=touchpoint_id, label=finding.text
    )
    run(
        lambda: canvas.apply_edit(jid, edit),
        tr("board.added", label=finding.text),
    )


def update_finding(jid: str, ref_id: int, version: int, seen: Finding, prefix: str) -> None:
    if not text(f"{prefix}_text"):
        flash("warning", tr("board.text_required"))
        return
    save("finding", jid, ref_id, version, seen, finding_from_form(prefix, seen.visit))


def delete_finding(jid: str, ref_id: int, version: int, seen: Finding) -> None:
    edit = Edit(Op.DELETE_FINDING, ref_id, version, before=seen, label=seen.text)
    run(lambda: canvas.apply_edit(jid, edit), tr("board.trashed", label=seen.text))


def add_flow(jid: str, prefix: str) -> None:
    source, target = value(f"{prefix}_from"), value(f"{prefix}_to")
    if not source or not target or source == target:
        flash("warning", tr("board.flow_ends_required"))
        return
    flow = Flow(
        from_=source,
        to=target,
        break_=bool(value(f"{prefix}_break")),
        label=text(f"{prefix}_label") or None,
    )
    run(lambda: services.add_flow(jid, flow, store=store()), tr("board.flow_added"))


def set_flow_break(jid: str, flow: Flow, broken: bool) -> None:
    """Change the break mark of a flow (no update service yet: delete then add, same place last)."""
    changed = flow.model_copy(update={"break_": broken})

    def action() -> None:
        services.delete_flow(jid, flow.from_, flow.to, store=store())
        services.add_flow(jid, changed, store=store())

    run(action, tr("board.flow_changed"))


def delete_flow(jid: str, flow: Flow) -> None:
    run(
        lambda: services.delete_flow(jid, flow.from_, flow.to, store=store()),
        tr("board.flow_deleted"),
    )


def open_dialog(touchpoint_id: str) -> None:
    st.session_state[DIALOG] = touchpoint_id


def open_adding() -> None:
    st.session_state.pop(DIALOG, None)
    st.session_state[ADDING] = True


def close_adding() -> None:
    st.session_state.pop(ADDING, None)


def close_dialog() -> None:
    st.session_state.pop(DIALOG, None)

"""What the board's canvas asks for (an intent: add here, move there, edit, trash…), read
from the browser's payload, checked against the journey, and turned into an edit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from journeys.board.canvas import Source_
from journeys.board.undo import Edit, Op
from journeys.contract.editing import journey_ids, unique_id
from journeys.contract.model import Finding, Moment, Touchpoint

EDITS = frozenset(
    {"add", "move", "edit", "delete", "reorder", "finding_add", "finding_edit", "finding_delete"}
    | {"moment"}
)
MOMENT_FIELDS = ("kpi",)  # what the canvas edits of a moment in place (its KPI lane)
TEXT_LIMIT = 5000  # the contract's Text


class IntentError(ValueError):
    """The intent cannot be an edit: `key` names the catalogue message that says why."""

    def __init__(self, key: str, detail: str = ""):
        self.key, self.detail = key, detail
        super().__init__(f"{key}: {detail}" if detail else key)


def edit_for(intent: Mapping[str, Any], editable: Source_) -> Edit | None:
    """Return the edit an intent asks for (None: nothing to do, such as a card dropped where
    it was). The versions come from the browser: what it saw is what the store checks.

    Raises IntentError for an unknown thing, a missing or wrong field, text the contract
    refuses (its message in `detail`)."""
    kind = intent.get("type")
    if kind not in EDITS:
        raise IntentError("canvas.msg.bad_intent", str(kind))
    try:
        return _READERS[kind](intent, editable)
    except ValidationError as exc:
        raise IntentError(
            "canvas.msg.invalid", "; ".join(str(e["msg"]) for e in exc.errors())
        ) from None


def _text(intent: Mapping[str, Any], name: str) -> str | None:
    value = intent.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise IntentError("canvas.msg.bad_intent", name)
    return value.strip() or None


def _int(intent: Mapping[str, Any], name: str) -> int:
    value = intent.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise IntentError("canvas.msg.bad_intent", name)
    return value


def _touchpoint(intent: Mapping[str, Any], editable: Source_) -> Touchpoint:
    ident = intent.get("touchpoint")
    for tp in editable.journey.touchpoints:
        if tp.id == ident:
            return tp
    raise IntentError("canvas.msg.gone", str(ident))


def _cell(
    intent: Mapping[str, Any], editable: Source_, default: Touchpoint | None = None
) -> tuple[str, str]:
    """The (moment, channel) an intent names, each defaulting to `default`'s."""
    journey = editable.journey
    moment = intent.get("moment", default.moment if default else None)
    channel = intent.get("channel", default.channel if default else None)
    if moment not in {m.id for m in journey.moments}:
        raise IntentError("canvas.msg.gone", str(moment))
    if channel not in {c.id for c in journey.channels}:
        raise IntentError("canvas.msg.gone", str(channel))
    return moment, channel


def _add(intent: Mapping[str, Any], editable: Source_) -> Edit:
    label = _text(intent, "label")
    if not label:
        raise IntentError("board.label_required")
    moment, channel = _cell(intent, editable)
    ident = unique_id(label, journey_ids(editable.journey))
    tp = Touchpoint(id=ident, moment=moment, channel=channel, label=label)
    return Edit(Op.ADD_TOUCHPOINT, ident, after=tp, label=label)


def _move(intent: Mapping[str, Any], editable: Source_) -> Edit | None:
    tp = _touchpoint(intent, editable)
    moment, channel = _cell(intent, editable, tp)
    if (moment, channel) == (tp.moment, tp.channel):
        return None
    before = tp.model_copy(update={"findings": []})
    after = before.model_copy(update={"moment": moment, "channel": channel})
    expected = _int(intent, "version")
    return Edit(Op.UPDATE_TOUCHPOINT, tp.id, expected, before, after, label=tp.label)


def _edit(intent: Mapping[str, Any], editable: Source_) -> Edit:
    tp = _touchpoint(intent, editable)
    moment, channel = _cell(intent, editable, tp)
    label = _text(intent, "label")
    if not label:
        raise IntentError("board.label_required")
    before = tp.model_copy(update={"findings": []})
    after = Touchpoint.model_validate(
        {
            "id": tp.id,
            "moment": moment,
            "channel": channel,
            "label": label,
            "status": intent.get("status", tp.status.value),
            "owner": _text(intent, "owner"),
            "description": _text(intent, "description"),
        }
    )
    if after == before:
        raise IntentError("canvas.msg.unchanged")
    return Edit(Op.UPDATE_TOUCHPOINT, tp.id, _int(intent, "version"), before, after, label=label)


def _delete(intent: Mapping[str, Any], editable: Source_) -> Edit:
    tp = _touchpoint(intent, editable)
    return Edit(Op.DELETE_TOUCHPOINT, tp.id, _int(intent, "version"), before=tp, label=tp.label)


def _reorder(intent: Mapping[str, Any], editable: Source_) -> Edit | None:
    kind = intent.get("kind")
    if kind not in ("moment", "channel"):
        raise IntentError("canvas.msg.bad_intent", str(kind))
    items = editable.journey.moments if kind == "moment" else editable.journey.channels
    ids = [item.id for item in items]
    ident = intent.get("id")
    if ident not in ids:
        raise IntentError("canvas.msg.gone", str(ident))
    position = max(0, min(_int(intent, "position"), len(ids) - 1))
    now = ids.index(ident)
    if position == now:
        return None
    op = Op.MOVE_MOMENT if kind == "moment" else Op.MOVE_CHANNEL
    label = items[now].label
    return Edit(op, ident, _int(intent, "version"), before=now, after=position, label=label)


def _finding_fields(intent: Mapping[str, Any], current: Finding | None) -> Finding:
    return Finding.model_validate(
        {
            "type": intent.get("ftype", current.type.value if current else None),
            "intensity": intent.get("intensity", current.intensity if current else 2),
            "text": _text(intent, "text") or "",
            "improvement": _text(intent, "improvement"),
            "status": intent.get("status", current.status.value if current else "open"),
            "source": intent.get("source", current.source.value if current else "workshop"),
            "visit": current.visit if current else None,
        }
    )


def _finding_add(intent: Mapping[str, Any], editable: Source_) -> Edit:
    tp = _touchpoint(intent, editable)
    if not _text(intent, "text"):
        raise IntentError("board.text_required")
    finding = _finding_fields(intent, None)
    return Edit(Op.ADD_FINDING, tp.id, after=finding, touchpoint=tp.id, label=finding.text)


def _located(intent: Mapping[str, Any], editable: Source_) -> tuple[int, Finding, str]:
    ref = _int(intent, "ref")
    for tp in editable.journey.touchpoints:
        for handle, finding in zip(editable.finding_refs.get(tp.id, ()), tp.findings, strict=False):
            if handle.id == ref:
                return ref, finding, tp.id
    raise IntentError("canvas.msg.gone", str(ref))


def _finding_edit(intent: Mapping[str, Any], editable: Source_) -> Edit:
    ref, current, tp = _located(intent, editable)
    if not _text(intent, "text"):
        raise IntentError("board.text_required")
    after = _finding_fields(intent, current)
    if after == current:
        raise IntentError("canvas.msg.unchanged")
    version = _int(intent, "version")
    return Edit(Op.UPDATE_FINDING, ref, version, current, after, touchpoint=tp, label=after.text)


def _finding_delete(intent: Mapping[str, Any], editable: Source_) -> Edit:
    ref, current, tp = _located(intent, editable)
    version = _int(intent, "version")
    return Edit(Op.DELETE_FINDING, ref, version, before=current, touchpoint=tp, label=current.text)


def _moment(intent: Mapping[str, Any], editable: Source_) -> Edit | None:
    """A field of a moment typed on the board (its KPI): empty clears it, the same value
    again is nothing to do."""
    name = intent.get("field")
    if name not in MOMENT_FIELDS:
        raise IntentError("canvas.msg.bad_intent", str(name))
    ident = intent.get("moment")
    moment = next((m for m in editable.journey.moments if m.id == ident), None)
    if moment is None:
        raise IntentError("canvas.msg.gone", str(ident))
    value = _text(intent, "value")
    if value is not None and len(value) > TEXT_LIMIT:
        raise IntentError(f"canvas.{name}.too_long", str(len(value)))
    after = Moment.model_validate(moment.model_dump() | {name: value})
    if after == moment:
        return None
    version = _int(intent, "version")
    return Edit(Op.UPDATE_MOMENT, moment.id, version, moment, after, label=moment.label)


_READERS = {
    "add": _add,
    "move": _move,
    "edit": _edit,
    "delete": _delete,
    "reorder": _reorder,
    "finding_add": _finding_add,
    "finding_edit": _finding_edit,
    "finding_delete": _finding_delete,
    "moment": _moment,
}

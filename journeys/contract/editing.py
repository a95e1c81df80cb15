"""Pure helpers for editing a journey from forms: ids from labels, what changed between versions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from journeys.contract.model import Journey

_MAX_SLUG = 60


def slugify(text: str, max_length: int = _MAX_SLUG) -> str:
    """Return a contract slug made from any label ('Site web' → 'site-web', '' → 'x')."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:max_length].strip("-")
    return slug or "x"


def short_label(text: str, limit: int) -> str:
    """The start of a text with "…", in at most `limit` characters: cut at a word, unless that
    would keep less than half of them."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    at_word = head.rsplit(" ", 1)[0]
    return (at_word if len(at_word) >= limit // 2 else head).rstrip(" ,;:.-") + "…"


def unique_id(label: str, taken: Collection[str]) -> str:
    """Return a slug of `label` not in `taken`, adding -2, -3… when needed."""
    base = slugify(label)
    if base not in taken:
        return base
    n = 2
    while f"{base[: _MAX_SLUG - 4]}-{n}" in taken:
        n += 1
    return f"{base[: _MAX_SLUG - 4]}-{n}"


def journey_ids(journey: Journey) -> set[str]:
    """Return every id used inside a journey (moments, channels and touchpoints share none)."""
    return (
        {m.id for m in journey.moments}
        | {c.id for c in journey.channels}
        | {tp.id for tp in journey.touchpoints}
    )


@dataclass(frozen=True)
class FieldChange:
    """One field someone else changed: its name, the value the user saw and the value now."""

    field: str
    seen: Any
    now: Any


def changes(
    seen: BaseModel | None, now: BaseModel | None, *, skip: Collection[str] = ()
) -> list[FieldChange]:
    """Return the fields that differ between what a user saw and what is stored now.

    `now` None means the thing has been deleted meanwhile: no field list is returned then.
    """
    if seen is None or now is None:
        return []
    found = []
    for name in type(seen).model_fields:
        if name in skip:
            continue
        before, after = _plain(getattr(seen, name, None)), _plain(getattr(now, name, None))
        if before != after:
            found.append(FieldChange(name, before, after))
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return getattr(value, "value", value)


def shown(value: Any, limit: int = 120) -> str:
    """Return a field value as a short readable text ('—' when empty, '…' when cut)."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def locate(editable: Any, kind: str, ident: str | int) -> tuple[BaseModel | None, int | None]:
    """Return the live item and its version in a services.EditableJourney (None, None if gone).

    `kind` is moment, channel, touchpoint or finding (a finding by its row id).
    """
    journey: Journey = editable.journey
    if kind == "moment":
        items: dict[Any, BaseModel] = {m.id: m for m in journey.moments}
        return items.get(ident), editable.moment_versions.get(ident)
    if kind == "channel":
        items = {c.id: c for c in journey.channels}
        return items.get(ident), editable.channel_versions.get(ident)
    if kind == "touchpoint":
        items = {tp.id: tp for tp in journey.touchpoints}
        return items.get(ident), editable.touchpoint_versions.get(ident)
    if kind == "finding":
        for tp in journey.touchpoints:
            for finding, ref in zip(
                tp.findings, editable.finding_refs.get(tp.id, []), strict=False
            ):
                if ref.id == ident:
                    return finding, ref.version
        return None, None
    raise ValueError(f"unknown kind {kind!r}")


def rebase(
    seen: BaseModel, mine: BaseModel, now: BaseModel, *, skip: Collection[str] = ()
) -> BaseModel:
    """Return `now` with only the fields the user changed (from `seen` to `mine`) applied.

    Reapplying a refused edit must not undo what the other person changed meanwhile.
    """
    mine_changed = {c.field for c in changes(seen, mine, skip=skip)}
    return now.model_copy(update={name: getattr(mine, name) for name in mine_changed})

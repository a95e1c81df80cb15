"""The import of a workbook told in words, in French or English: what it changes, where in the
workbook, what conflicts with newer edits, and what it leaves alone."""

from __future__ import annotations

from typing import Any

from journeys.contract.editing import changes, shown
from journeys.contract.model import findings_of
from journeys.i18n import t
from journeys.library.workbook_diff import Edit
from journeys.library.workbook_import import WorkbookPlan
from journeys.library.workbook_resolve import subject

_ENUM_FIELDS = {"type": "finding", "source": "source"}


def headline(plan: WorkbookPlan, lang: str) -> str:
    """One sentence: the new journey and its size, or the journey and how many changes."""
    journey = plan.new_journey
    if journey is not None:
        return t(
            "workbook.new_journey",
            lang,
            title=journey.title,
            id=journey.id,
            moments=len(journey.moments),
            channels=len(journey.channels),
            touchpoints=len(journey.touchpoints),
            findings=sum(1 for _ in findings_of(journey)),
        )
    if not plan.count:
        return t("workbook.nothing", lang)
    exported = plan.exported_at.replace("T", " ")[:16]
    return t(
        "workbook.update_journey",
        lang,
        title=plan.title,
        id=plan.journey_id,
        exported=exported,
        count=plan.count,
    )


def change_lines(plan: WorkbookPlan, lang: str) -> list[tuple[str, str]]:
    """(where, what) for every change the import makes, in the workbook's order."""
    lines = [(edit.where, _edit(edit, plan.labels, lang)) for edit in plan.edits]
    if plan.order_changed:
        lines.append((plan.grid_sheet, t("workbook.action.order", lang)))
    for program in plan.programs:
        for change in program.changes:
            head = t("workbook.action.update", lang, kind=_kind("step", lang), subject=change.label)
            detail = _detail(change.field, change.before, change.after, lang)
            lines.append((change.where, f"{head} — {detail}"))
    return lines


def conflict_lines(plan: WorkbookPlan, lang: str) -> list[tuple[str, str]]:
    """(where, why) for every edit that meets a newer edit made in the app."""
    out = []
    for conflict in plan.conflicts:
        values: dict[str, Any] = {"kind": _kind(conflict.kind, lang), "subject": conflict.subject}
        if conflict.reason == "changed":
            values |= {
                "field": _field(conflict.field, lang),
                "now": conflict.now,
                "mine": conflict.mine,
            }
        out.append((conflict.where, t(f"workbook.conflict.{conflict.reason}", lang, **values)))
    return out


def note_lines(plan: WorkbookPlan, lang: str) -> list[tuple[str, str]]:
    """(where, what) for what the import reads but leaves alone."""
    out = []
    for where, key, params in plan.notes:
        values = dict(params)
        if "kind" in values:
            values["kind"] = _kind(values["kind"], lang)
        out.append((where, t(key, lang, **values)))
    return out


def _kind(kind: str, lang: str) -> str:
    return t(f"workbook.kind.{kind}", lang)


def _field(name: str, lang: str) -> str:
    return t(f"workbook.field.{name}", lang)


def _edit(edit: Edit, labels: dict[str, str], lang: str) -> str:
    head = t(
        f"workbook.action.{edit.action}", lang, kind=_kind(edit.kind, lang), subject=subject(edit)
    )
    if edit.action not in ("update", "move"):
        return head
    details = [
        _detail(c.field, c.seen, c.now, lang, edit.kind, labels)
        for c in changes(edit.base, edit.mine, skip=("findings",))
    ]
    return f"{head} — {'; '.join(details)}" if details else head


def _detail(
    name: str,
    before: Any,
    after: Any,
    lang: str,
    kind: str = "",
    labels: dict[str, str] | None = None,
) -> str:
    return t(
        "workbook.detail",
        lang,
        field=_field(name, lang),
        before=_value(name, before, kind, labels or {}, lang),
        after=_value(name, after, kind, labels or {}, lang),
    )


def _value(name: str, value: Any, kind: str, labels: dict[str, str], lang: str) -> str:
    if value in (None, ""):
        return "—"
    if name in _ENUM_FIELDS:
        return t(f"{_ENUM_FIELDS[name]}.{value}", lang)
    if name == "status":
        return t(f"{'finding_status' if kind == 'finding' else 'status'}.{value}", lang)
    if name in ("moment", "channel"):
        return shown(labels.get(str(value), value), 60)
    return shown(value, 80)

"""Programs page: the program being edited, kept in the session until it is saved.

The draft holds the rows the editing tables are drawn from. Edits live in the tables'
widgets; when a choice list of a table must change (a phase added, the journey changed),
the edits are folded into the draft and the tables drawn afresh from it — a data editor
whose options change would otherwise forget its edits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from journeys.contract.model import Program
from journeys.programs.services import EditableProgram
from pages.programs.tables import (
    LINK_COLUMNS,
    PHASE_COLUMNS,
    STEP_COLUMNS,
    WAS,
    Row,
    ensure_ids,
    records,
    tables_of,
)

DRAFT = "programs_draft"
# The editor's columns are the tables' columns (pages/programs/tables.py).
PHASE_KEYS, STEP_KEYS, LINK_KEYS = PHASE_COLUMNS, STEP_COLUMNS, LINK_COLUMNS


def _marked(rows: list[Row]) -> list[Row]:
    return [{**row, WAS: row.get("id")} for row in rows]


def _from_program(program: Program) -> dict[str, Any]:
    tables = tables_of(program)
    return {
        "header": tables["header"],
        "phases": _marked(tables["phases"]),
        "steps": _marked(tables["steps"]),
        "links": tables["links"],
    }


def new_draft(editable: EditableProgram) -> dict[str, Any]:
    """A draft of the stored program: nothing edited yet."""
    tables = _from_program(editable.program)
    return {
        "id": editable.program.id,
        "version": editable.version,
        "nonce": 0,
        "base": editable.program,
        "tables": tables,
        "dirty": False,
        "signature": signature(tables),
    }


def current(editable: EditableProgram) -> dict[str, Any]:
    """The session's draft of this program; a fresh one when there is none, when another
    program was being edited, or when a newer version was saved and nothing is edited here."""
    draft = st.session_state.get(DRAFT)
    stale = draft is not None and draft["version"] != editable.version and not draft["dirty"]
    if draft is None or draft["id"] != editable.program.id or stale:
        draft = new_draft(editable)
        st.session_state[DRAFT] = draft
    return draft


def forget() -> None:
    st.session_state.pop(DRAFT, None)


def tag(draft: Mapping[str, Any]) -> str:
    """Suffix of the widget keys: new widgets (fresh from the draft) when it changes."""
    return f"{draft['id']}_{draft['version']}_{draft['nonce']}"


def choices(rows: Sequence[Row], keys: Sequence[str]) -> dict[str, str]:
    """id → label of phase or step rows, with the ids blank rows will receive."""
    cleaned = records(rows, keys)
    ensure_ids(cleaned, "phase" if "order" in keys else "step")
    return {row["id"]: row.get("label") or row["id"] for row in cleaned}


def signature(tables: Mapping[str, Any]) -> tuple:
    """What the choice lists of the tables must follow at once: the journey (its moments and
    channels), the phase ids and the step ids. A renamed label is shown in the lists at the
    next redraw: redrawing on every keystroke would lose the cell being edited."""
    return (
        tables["header"].get("journey"),
        tuple(choices(tables["phases"], PHASE_KEYS)),
        tuple(choices(tables["steps"], STEP_KEYS)),
    )


def _rows(tables: Mapping[str, Any], program: Program | None) -> dict[str, Any]:
    """The draft rows of edited `tables`: the valid `program`'s rows (ids given, renames
    followed), else the rows as typed."""
    if program is not None:
        rows = _from_program(program)
    else:
        rows = {
            "phases": records(tables["phases"], PHASE_KEYS),
            "steps": records(tables["steps"], STEP_KEYS),
            "links": records(tables["links"], LINK_KEYS),
        }
    rows["header"] = dict(tables["header"])
    return rows


def fold(
    draft: dict[str, Any],
    tables: Mapping[str, Any],
    program: Program | None,
    *,
    add: Mapping[str, Row | None] | None = None,
) -> None:
    """Make the edited `tables` (and rows to `add`) the draft's rows and redraw the tables."""
    rows = _rows(tables, program)
    for name, row in (add or {}).items():
        if row is not None:
            rows[name].append(row)
    draft["tables"] = rows
    draft["signature"] = signature(rows)
    draft["nonce"] += 1
    draft.pop("latest", None)


def remember(draft: dict[str, Any], tables: Mapping[str, Any], program: Program | None) -> None:
    """Keep the edits of this run in the draft: Streamlit forgets the state of widgets that a
    run does not draw, so leaving the page would otherwise drop the unsaved edits."""
    if draft["dirty"]:
        draft["latest"] = _rows(tables, program)
    else:
        draft.pop("latest", None)


def recover(draft: dict[str, Any]) -> None:
    """Back on the page after the table widgets were forgotten: draw them from the edits
    `remember` kept."""
    if draft.get("latest") and f"programs_phases_{tag(draft)}" not in st.session_state:
        latest = draft.pop("latest")
        draft["tables"] = latest
        draft["signature"] = signature(latest)
        draft["nonce"] += 1

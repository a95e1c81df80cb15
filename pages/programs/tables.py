"""Programs page, no Streamlit: a program as the rows of its editing tables and back, with
every problem of the edited rows located by table, row and column (for plain-words messages)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from journeys.contract.editing import unique_id
from journeys.contract.model import Anchor, Program, Purpose, StepKind, reference_problems
from pages.programs.contract_cells import (
    SUBSCRIPTION_FIELDS,
    entry_cell,
    parse_entry,
    subscription_data,
    subscription_values,
)

HEADER_FIELDS = ("title", "objective", "goal", "language", "journey", "description")
PHASE_COLUMNS = ("order", "id", "label", "moment", "description")
STEP_COLUMNS = (
    "id",
    "label",
    "kind",
    "phase",
    "channel",
    "anchor",
    "offset_days",
    "event",
    "purpose",
    "entry",
    "kpi",
    "description",
)
LINK_COLUMNS = ("from", "to", "label")
WAS = "_was"  # the id a row had when the table was drawn (None for a row added since)
Row = dict[str, Any]


@dataclass(frozen=True)
class RowProblem:
    """Something wrong in the edited tables: `table` (header, phases, steps, links), 1-based
    `row` as drawn (0 for the header), `column`, a `code` the page translates, and `params`."""

    table: str
    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Built:
    """The program the tables describe, or None with the problems that prevent it."""

    program: Program | None
    problems: tuple[RowProblem, ...] = ()


# --- program -> rows ------------------------------------------------------------------------


def header_values(program: Program) -> Row:
    values = {name: getattr(program, name) for name in HEADER_FIELDS}
    values["objective"] = program.objective.value
    return {**values, **subscription_values(program)}


def phase_rows(program: Program) -> list[Row]:
    return [
        {
            "order": i + 1,
            "id": p.id,
            "label": p.label,
            "moment": p.moment,
            "description": p.description,
        }
        for i, p in enumerate(program.phases)
    ]


def step_rows(program: Program) -> list[Row]:
    rows = []
    for s in program.steps:
        timing = s.timing
        rows.append(
            {
                "id": s.id,
                "label": s.label,
                "kind": s.kind.value,
                "phase": s.phase,
                "channel": s.channel,
                "anchor": timing.anchor.value if timing else None,
                "offset_days": timing.offset_days if timing else None,
                "event": timing.event if timing else None,
                "purpose": s.purpose.value if s.purpose else None,
                "entry": entry_cell(s.entry),
                "kpi": s.kpi,
                "description": s.description,
            }
        )
    return rows


def link_rows(program: Program) -> list[Row]:
    return [{"from": k.from_, "to": k.to, "label": k.label} for k in program.links]


def tables_of(program: Program) -> dict[str, Any]:
    """The header values and the three tables of `program`, as the editor starts from."""
    return {
        "header": header_values(program),
        "phases": phase_rows(program),
        "steps": step_rows(program),
        "links": link_rows(program),
    }


# --- rows -> program ------------------------------------------------------------------------


def clean(value: Any) -> Any:
    """A cell as the model wants it: stripped text, None for blank cells and NaN."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if hasattr(value, "item"):  # numpy scalars from the data editor
        return clean(value.item())
    return value


def records(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> list[Row]:
    """Rows with every column cleaned; rows left entirely blank are dropped."""
    out = []
    for row in rows:
        values = {name: clean(row.get(name)) for name in columns}
        if any(v is not None for v in values.values()):
            out.append({**values, WAS: clean(row.get(WAS))})
    return out


def ensure_ids(rows: list[Row], fallback: str) -> None:
    """Give rows without an id one made from their label, unique among the table's ids."""
    taken = {r["id"] for r in rows if r["id"]}
    for n, row in enumerate(rows, start=1):
        if not row["id"]:
            row["id"] = unique_id(row.get("label") or f"{fallback}-{n}", taken)
            taken.add(row["id"])


def _renames(rows: list[Row]) -> dict[str, str]:
    return {r[WAS]: r["id"] for r in rows if r.get(WAS) and r["id"] and r[WAS] != r["id"]}


def build_program(
    program_id: str,
    header: Mapping[str, Any],
    phases: Iterable[Mapping[str, Any]],
    steps: Iterable[Mapping[str, Any]],
    links: Iterable[Mapping[str, Any]],
) -> Built:
    """Return the program the edited header and tables describe (ids made from labels where
    left blank; a renamed phase or step id followed by the rows that point to it), or every
    problem found, each located by table, row and column."""
    phase_list = records(phases, PHASE_COLUMNS)
    # rows keep their drawn number; phases are then put in the order of the `order` column
    for n, row in enumerate(phase_list, start=1):
        row["_row"] = n
    phase_list.sort(key=lambda r: (r["order"] is None, r["order"] or 0, r["_row"]))
    step_list = records(steps, STEP_COLUMNS)
    link_list = records(links, LINK_COLUMNS)
    ensure_ids(phase_list, "phase")
    ensure_ids(step_list, "step")
    phase_renames, step_renames = _renames(phase_list), _renames(step_list)
    for row in step_list:
        row["phase"] = phase_renames.get(row["phase"], row["phase"])
    for row in link_list:
        row["from"] = step_renames.get(row["from"], row["from"])
        row["to"] = step_renames.get(row["to"], row["to"])

    rows_of = {
        "phases": [r["_row"] for r in phase_list],
        "steps": list(range(1, len(step_list) + 1)),
        "links": list(range(1, len(link_list) + 1)),
    }
    problems: list[RowProblem] = []
    subscription, missing = subscription_data(
        {name: clean(header.get(name)) for name in SUBSCRIPTION_FIELDS}
    )
    if missing:
        problems.append(RowProblem("header", 0, missing, "required"))
    data = {
        "id": program_id,
        **{name: clean(header.get(name)) for name in HEADER_FIELDS},
        "subscription": subscription,
        "phases": [_phase_data(r) for r in phase_list],
        "steps": [_step_data(r, n, problems) for n, r in enumerate(step_list, start=1)],
        "links": [{"from": r["from"], "to": r["to"], "label": r["label"] or ""} for r in link_list],
    }
    problems += _reference_problems(data, rows_of)
    try:
        program = Program.model_validate(data)
    except ValidationError as exc:
        problems += _field_problems(exc, rows_of, data)
        program = None
    if problems:
        return Built(None, tuple(dict.fromkeys(problems)))
    return Built(program)


def _phase_data(row: Row) -> Row:
    return {k: row[k] for k in ("id", "label", "moment", "description")}


def _step_data(row: Row, n: int, problems: list[RowProblem]) -> Row:
    names = ("id", "phase", "kind", "label", "channel", "purpose", "kpi", "description")
    data = {k: row[k] for k in names}
    entry, bad = parse_entry(row["entry"])
    if bad:
        problems.append(RowProblem("steps", n, "entry", bad))
    elif entry is not None and row["kind"] != StepKind.TRIGGER.value:
        problems.append(RowProblem("steps", n, "entry", "entry_not_trigger"))
    else:
        data["entry"] = entry
    anchor, offset, event = row["anchor"], row["offset_days"], row["event"]
    if anchor is None:
        if offset not in (None, 0) or event is not None:
            problems.append(RowProblem("steps", n, "anchor", "anchor_needed"))
        data["timing"] = None
        return data
    timing: Row = {"anchor": anchor, "offset_days": 0 if offset is None else offset}
    if event is not None or anchor == Anchor.EVENT.value:
        timing["event"] = event
    data["timing"] = timing
    return data


def _reference_problems(data: Row, rows_of: Mapping[str, list[int]]) -> list[RowProblem]:
    problems = []
    for problem in reference_problems(data, "program"):
        table, index, column = problem.path[0], problem.path[1], problem.path[2]
        assert isinstance(table, str) and isinstance(index, int) and isinstance(column, str)
        value = data[table][index][column]
        code = (
            "duplicate_id"
            if column == "id"
            else f"unknown_{'phase' if table == 'steps' else 'step'}"
        )
        problems.append(RowProblem(table, rows_of[table][index], column, code, {"value": value}))
    return problems


_CODES = {
    "missing": "required",
    "string_too_short": "required",
    "string_too_long": "too_long",
    "string_pattern_mismatch": "bad_id",
    "enum": "bad_choice",
    "literal_error": "bad_choice",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "int_parsing": "not_a_number",
    "int_from_float": "not_a_number",
    "int_type": "not_a_number",
    "string_type": "required",
}


def _field_problems(
    exc: ValidationError, rows_of: Mapping[str, list[int]], data: Row
) -> list[RowProblem]:
    problems = []
    for error in exc.errors():
        loc = error["loc"]
        if not loc:
            continue  # reference problems, already located by _reference_problems
        ctx = error.get("ctx") or {}
        code = _CODES.get(error["type"], "invalid")
        params = {
            "max": ctx.get("max_length"),
            "min": -3650,
            "max_days": 3650,
            "detail": error["msg"],
        }
        if loc[0] in rows_of and len(loc) >= 3 and isinstance(loc[1], int):
            table, row = str(loc[0]), rows_of[str(loc[0])][loc[1]]
            column = str(loc[3] if loc[2] == "timing" and len(loc) > 3 else loc[2])
            if column == "timing":  # the anchor/event rule of Timing
                timing = data["steps"][loc[1]]["timing"] or {}
                code = "event_needed" if timing.get("anchor") == "event" else "event_not_allowed"
                column = "event"
            problems.append(RowProblem(table, row, column, code, params))
        else:  # a header field, or one of the subscription's
            field = loc[1] if loc[0] == "subscription" and len(loc) > 1 else loc[0]
            problems.append(RowProblem("header", 0, str(field), code, params))
    return problems


def kinds() -> list[str]:
    return [k.value for k in StepKind]


def anchors() -> list[str]:
    return [a.value for a in Anchor]


def purposes() -> list[str]:
    return [p.value for p in Purpose]

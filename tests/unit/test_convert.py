"""Converting documents to rows and back loses nothing (no database: rows built in memory)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from journeys.contract.model import (
    Journey,
    Program,
    Step,
    StepKind,
)
from journeys.store import convert
from journeys.store.tables import (
    ChannelRow,
    FindingRow,
    FlowRow,
    JourneyObjectiveRow,
    JourneyRow,
    LinkRow,
    MomentRow,
    PhaseRow,
    ProgramRow,
    StepRow,
    TouchpointRow,
)
from tests.strategies import journeys, programs


class _Ids:
    """Hands out row ids the way the database would."""

    def __init__(self) -> None:
        self.next = 100

    def rows(self, table: Any, values: list[dict[str, Any]]) -> list[Any]:
        rows = []
        for value in values:
            self.next += 1
            rows.append(table(id=self.next, **value))
        return rows


def _journey_through_rows(journey: Journey) -> Journey:
    ids = _Ids()
    (row,) = ids.rows(JourneyRow, [convert.journey_columns(journey)])
    moments = ids.rows(
        MomentRow,
        convert.positioned(
            {"journey_id": row.id}, [convert.moment_columns(m) for m in journey.moments]
        ),
    )
    channels = ids.rows(
        ChannelRow,
        convert.positioned(
            {"journey_id": row.id}, [convert.channel_columns(c) for c in journey.channels]
        ),
    )
    touchpoints = ids.rows(
        TouchpointRow,
        convert.touchpoint_values(
            row.id,
            journey.touchpoints,
            {m.slug: m.id for m in moments},
            {c.slug: c.id for c in channels},
        ),
    )
    findings = ids.rows(
        FindingRow, convert.finding_values(journey.touchpoints, [t.id for t in touchpoints])
    )
    flows = ids.rows(
        FlowRow, convert.flow_values(row.id, journey.flows, {t.slug: t.id for t in touchpoints})
    )
    objectives = [JourneyObjectiveRow(**v) for v in convert.objective_values(row.id, journey)]
    return convert.journey_from_rows(
        convert.JourneyContent(row, objectives, moments, channels, touchpoints, findings, flows)
    )


def _program_through_rows(program: Program) -> Program:
    ids = _Ids()
    (row,) = ids.rows(ProgramRow, [convert.program_columns(program)])
    phases = ids.rows(PhaseRow, convert.phase_values(row.id, program.phases))
    steps = ids.rows(
        StepRow, convert.step_values(row.id, program.steps, {p.slug: p.id for p in phases})
    )
    links = ids.rows(
        LinkRow, convert.link_values(row.id, program.links, {s.slug: s.id for s in steps})
    )
    return convert.program_from_rows(convert.ProgramContent(row, phases, steps, links))


@settings(max_examples=60, deadline=None)
@given(journeys())
def test_any_journey_survives_conversion_to_rows_and_back(journey):
    assert _journey_through_rows(journey) == journey


@settings(max_examples=60, deadline=None)
@given(programs())
def test_any_program_survives_conversion_to_rows_and_back(program):
    assert _program_through_rows(program) == program


def test_positions_follow_document_order_and_rows_start_at_version_one():
    rows = convert.positioned({"journey_id": 7}, [{"slug": "a"}, {"slug": "b"}])

    assert rows == [
        {"journey_id": 7, "slug": "a", "position": 0, "version": 1},
        {"journey_id": 7, "slug": "b", "position": 1, "version": 1},
    ]


def test_a_step_without_timing_stores_no_timing_columns():
    step = Step(id="s", phase="p", kind=StepKind.EXIT, label="Fin")

    columns = convert.step_columns(step)

    assert (columns["timing_anchor"], columns["timing_offset_days"], columns["timing_event"]) == (
        None,
        None,
        None,
    )

"""Documents <-> rows, losslessly: what a journey or program becomes in the store, and back."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from journeys.contract.model import (
    Channel,
    Entry,
    Finding,
    Flow,
    Journey,
    Link,
    Moment,
    Phase,
    Program,
    Step,
    Subscription,
    Timing,
    Touchpoint,
)
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

Values = dict[str, Any]

# --- model -> column values (one dict per row; ids of parents are passed in) -----------------


def journey_columns(journey: Journey) -> Values:
    """The journey's own columns (not its moments, channels…), as stored in JourneyRow."""
    return {
        "slug": journey.id,
        "title": journey.title,
        "journey_type": journey.journey_type.value,
        "state": journey.state.value,
        "language": journey.language,
        "derived_from": journey.derived_from,
        "persona": journey.persona,
        "description": journey.description,
    }


def objective_values(journey_id: int, journey: Journey) -> list[Values]:
    return [
        {"journey_id": journey_id, "position": i, "objective": objective.value}
        for i, objective in enumerate(journey.objectives)
    ]


def moment_columns(moment: Moment) -> Values:
    return {
        "slug": moment.id,
        "label": moment.label,
        "key": moment.key,
        "description": moment.description,
        "kpi": moment.kpi,
    }


def channel_columns(channel: Channel) -> Values:
    return {"slug": channel.id, "label": channel.label, "description": channel.description}


def touchpoint_columns(touchpoint: Touchpoint) -> Values:
    """A touchpoint's content columns (its moment and channel are row ids, set by the caller)."""
    return {
        "slug": touchpoint.id,
        "label": touchpoint.label,
        "status": touchpoint.status.value,
        "owner": touchpoint.owner,
        "description": touchpoint.description,
    }


def finding_columns(finding: Finding) -> Values:
    return {
        "type": finding.type.value,
        "intensity": finding.intensity,
        "text": finding.text,
        "source": finding.source.value,
        "improvement": finding.improvement,
        "status": finding.status.value,
        "visit": finding.visit,
    }


def flow_columns(flow: Flow) -> Values:
    return {"is_break": flow.break_, "label": flow.label}


def positioned(parent: Mapping[str, int], items: Sequence[Values], start: int = 0) -> list[Values]:
    """Add the parent key(s), a position (document order) and version 1 to each row."""
    return [{**parent, **item, "position": start + i, "version": 1} for i, item in enumerate(items)]


def touchpoint_values(
    journey_id: int,
    touchpoints: Sequence[Touchpoint],
    moment_ids: Mapping[str, int],
    channel_ids: Mapping[str, int],
) -> list[Values]:
    rows = [
        {
            **touchpoint_columns(tp),
            "moment_id": moment_ids[tp.moment],
            "channel_id": channel_ids[tp.channel],
        }
        for tp in touchpoints
    ]
    return positioned({"journey_id": journey_id}, rows)


def finding_values(
    touchpoints: Sequence[Touchpoint], touchpoint_ids: Sequence[int]
) -> list[Values]:
    """Rows for every finding, `touchpoint_ids[i]` being the row of `touchpoints[i]`."""
    rows: list[Values] = []
    for tp, tp_id in zip(touchpoints, touchpoint_ids, strict=True):
        rows += positioned({"touchpoint_id": tp_id}, [finding_columns(f) for f in tp.findings])
    return rows


def flow_values(
    journey_id: int, flows: Sequence[Flow], touchpoint_ids: Mapping[str, int]
) -> list[Values]:
    rows = [
        {
            **flow_columns(flow),
            "from_touchpoint_id": touchpoint_ids[flow.from_],
            "to_touchpoint_id": touchpoint_ids[flow.to],
        }
        for flow in flows
    ]
    return positioned({"journey_id": journey_id}, rows)


def program_columns(program: Program) -> Values:
    terms = program.subscription
    return {
        "slug": program.id,
        "title": program.title,
        "journey": program.journey,
        "objective": program.objective.value,
        "goal": program.goal,
        "language": program.language,
        "description": program.description,
        "subscription_term_months": terms.term_months if terms else None,
        "subscription_tacit_renewal": terms.tacit_renewal if terms else None,
        "subscription_prenotification_days": terms.prenotification_days if terms else None,
    }


def phase_values(program_id: int, phases: Sequence[Phase]) -> list[Values]:
    rows = [
        {"slug": p.id, "label": p.label, "moment": p.moment, "description": p.description}
        for p in phases
    ]
    return positioned({"program_id": program_id}, rows)


def step_columns(step: Step) -> Values:
    timing = step.timing
    return {
        "slug": step.id,
        "kind": step.kind.value,
        "label": step.label,
        "channel": step.channel,
        "timing_anchor": timing.anchor.value if timing else None,
        "timing_offset_days": timing.offset_days if timing else None,
        "timing_event": timing.event if timing else None,
        "purpose": step.purpose.value if step.purpose else None,
        "entry": entry_text(step.entry),
        "kpi": step.kpi,
        "description": step.description,
    }


def entry_text(entry: Entry | None) -> str | None:
    """A trigger's entry criteria as canonical JSON (lists in their order), None without."""
    if entry is None:
        return None
    data = entry.model_dump(mode="json", exclude_defaults=True)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def step_values(
    program_id: int, steps: Sequence[Step], phase_ids: Mapping[str, int]
) -> list[Values]:
    rows = [{**step_columns(s), "phase_id": phase_ids[s.phase]} for s in steps]
    return positioned({"program_id": program_id}, rows)


def link_values(
    program_id: int, links: Sequence[Link], step_ids: Mapping[str, int]
) -> list[Values]:
    rows = [
        {"from_step_id": step_ids[k.from_], "to_step_id": step_ids[k.to], "label": k.label}
        for k in links
    ]
    return positioned({"program_id": program_id}, rows)


# --- rows -> model ---------------------------------------------------------------------------


@dataclass
class JourneyContent:
    """The live rows of one journey, each list in (position, id) order."""

    journey: JourneyRow
    objectives: list[JourneyObjectiveRow] = field(default_factory=list)
    moments: list[MomentRow] = field(default_factory=list)
    channels: list[ChannelRow] = field(default_factory=list)
    touchpoints: list[TouchpointRow] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)
    flows: list[FlowRow] = field(default_factory=list)


@dataclass
class ProgramContent:
    """The rows of one program, each list in (position, id) order."""

    program: ProgramRow
    phases: list[PhaseRow] = field(default_factory=list)
    steps: list[StepRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)


def finding_from_row(row: FindingRow) -> Finding:
    return Finding(
        type=row.type,
        intensity=row.intensity,
        text=row.text,
        source=row.source,
        improvement=row.improvement,
        status=row.status,
        visit=row.visit,
    )


def moment_from_row(row: MomentRow) -> Moment:
    return Moment(
        id=row.slug, label=row.label, key=row.key, description=row.description, kpi=row.kpi
    )


def channel_from_row(row: ChannelRow) -> Channel:
    return Channel(id=row.slug, label=row.label, description=row.description)


def touchpoint_from_row(
    row: TouchpointRow, moment: str, channel: str, findings: Sequence[FindingRow] = ()
) -> Touchpoint:
    return Touchpoint(
        id=row.slug,
        moment=moment,
        channel=channel,
        label=row.label,
        status=row.status,
        owner=row.owner,
        description=row.description,
        findings=[finding_from_row(f) for f in findings],
    )


def journey_from_rows(content: JourneyContent) -> Journey:
    """Rebuild the document; flows with an end no longer live (in the trash) are left out."""
    row = content.journey
    moments = {m.id: m.slug for m in content.moments}
    channels = {c.id: c.slug for c in content.channels}
    touchpoints = {t.id: t.slug for t in content.touchpoints}
    findings: dict[int | None, list[FindingRow]] = defaultdict(list)
    for finding in content.findings:
        findings[finding.touchpoint_id].append(finding)
    return Journey(
        id=row.slug,
        title=row.title,
        journey_type=row.journey_type,
        state=row.state,
        language=row.language,
        derived_from=row.derived_from,
        persona=row.persona,
        description=row.description,
        objectives=[o.objective for o in content.objectives],
        moments=[moment_from_row(m) for m in content.moments],
        channels=[channel_from_row(c) for c in content.channels],
        touchpoints=[
            touchpoint_from_row(t, moments[t.moment_id], channels[t.channel_id], findings[t.id])
            for t in content.touchpoints
        ],
        flows=[
            Flow(
                from_=touchpoints[f.from_touchpoint_id],
                to=touchpoints[f.to_touchpoint_id],
                break_=f.is_break,
                label=f.label,
            )
            for f in content.flows
            if f.from_touchpoint_id in touchpoints and f.to_touchpoint_id in touchpoints
        ],
    )


def step_from_row(row: StepRow, phase: str) -> Step:
    timing = None
    if row.timing_anchor is not None:
        timing = Timing(
            anchor=row.timing_anchor,
            offset_days=row.timing_offset_days or 0,
            event=row.timing_event,
        )
    return Step(
        id=row.slug,
        phase=phase,
        kind=row.kind,
        label=row.label,
        channel=row.channel,
        timing=timing,
        purpose=row.purpose,
        entry=Entry.model_validate_json(row.entry) if row.entry is not None else None,
        kpi=row.kpi,
        description=row.description,
    )


def _subscription(row: ProgramRow) -> Subscription | None:
    if row.subscription_tacit_renewal is None:
        return None
    return Subscription(
        term_months=row.subscription_term_months,
        tacit_renewal=row.subscription_tacit_renewal,
        prenotification_days=row.subscription_prenotification_days,
    )


def program_from_rows(content: ProgramContent) -> Program:
    row = content.program
    phases = {p.id: p.slug for p in content.phases}
    steps = {s.id: s.slug for s in content.steps}
    return Program(
        id=row.slug,
        title=row.title,
        journey=row.journey,
        objective=row.objective,
        goal=row.goal,
        language=row.language,
        description=row.description,
        subscription=_subscription(row),
        phases=[
            Phase(id=p.slug, label=p.label, moment=p.moment, description=p.description)
            for p in content.phases
        ],
        steps=[step_from_row(s, phases[s.phase_id]) for s in content.steps],
        links=[
            Link(from_=steps[k.from_step_id], to=steps[k.to_step_id], label=k.label)
            for k in content.links
        ],
    )

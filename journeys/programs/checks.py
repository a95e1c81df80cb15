"""Checks on a relationship program's step graph: reachability, exits, decisions, loops, links.

A goal is an exit that counts as success; one anchored on an event is reached from anywhere in
the program as soon as the event happens, so it needs no link leading to it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from journeys.contract.model import Journey, Program, StepKind, reached_by_event

# Codes in the order issues are reported; the UI translates them with `params`.
CODES = (
    "no_steps",
    "no_trigger",
    "unreachable_step",
    "no_exit",
    "no_exit_path",
    "decision_branches",
    "decision_unlabelled_branch",
    "decision_duplicate_labels",
    "loop_without_wait",
    "exit_has_next_step",
    "goal_has_next_step",
    "message_without_channel",
    "other_journey",
    "unknown_moment",
    "unknown_channel",
    "empty_phase",
)
ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class ProgramIssue:
    """One problem found in a program: a stable code, what it concerns, plain English."""

    code: str
    message: str
    severity: str = WARNING
    steps: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def program_graph(program: Program) -> nx.DiGraph:
    """Return the steps as a directed graph: node = step id (attrs kind, phase, label,
    channel, index), edge = link (attr label). Links to unknown steps are left out."""
    graph = nx.DiGraph()
    for index, step in enumerate(program.steps):
        graph.add_node(
            step.id,
            kind=step.kind,
            phase=step.phase,
            label=step.label,
            channel=step.channel,
            index=index,
        )
    for link in program.links:
        if link.from_ in graph and link.to in graph:
            graph.add_edge(link.from_, link.to, label=link.label)
    return graph


def check_program(program: Program, journey: Journey | None = None) -> list[ProgramIssue]:
    """Return every issue of `program` (empty list when sound), in a stable order.

    When `journey` is given, phase moments and step channels are checked against it.
    """
    graph = program_graph(program)
    issues: list[ProgramIssue] = []
    if program.steps:
        issues += _flow_issues(program, graph)
        issues += _decision_issues(program, graph)
        issues += _loop_issues(program, graph)
        issues += _step_issues(program, graph)
    else:
        issues.append(
            ProgramIssue("no_steps", "The program has no steps yet (macro view only).", INFO)
        )
    if journey is not None:
        issues += _journey_issues(program, journey)
    issues += _phase_issues(program)
    return sorted(issues, key=lambda issue: CODES.index(issue.code))


def _label(graph: nx.DiGraph, step_id: str) -> str:
    return str(graph.nodes[step_id]["label"])


def _of_kind(graph: nx.DiGraph, kind: StepKind) -> list[str]:
    return [n for n, data in graph.nodes(data=True) if data["kind"] is kind]


def _step_issue(
    graph: nx.DiGraph, code: str, step_id: str, text: str, severity: str = WARNING, **extra: Any
) -> ProgramIssue:
    label = _label(graph, step_id)
    return ProgramIssue(
        code,
        text.format(label=label, **extra),
        severity,
        steps=(step_id,),
        phases=(graph.nodes[step_id]["phase"],),
        params={"step": step_id, "label": label, **extra},
    )


def _flow_issues(program: Program, graph: nx.DiGraph) -> list[ProgramIssue]:
    issues: list[ProgramIssue] = []
    triggers = _of_kind(graph, StepKind.TRIGGER)
    if not triggers:
        issues.append(
            ProgramIssue("no_trigger", "The program has no trigger step: nothing starts it.", ERROR)
        )
    else:
        starts = triggers + [s.id for s in program.steps if reached_by_event(s)]
        reached = set(starts).union(*(nx.descendants(graph, t) for t in starts))
        for step in program.steps:
            if step.id not in reached:
                issues.append(
                    _step_issue(
                        graph,
                        "unreachable_step",
                        step.id,
                        "Step '{label}' cannot be reached from any trigger.",
                    )
                )
    exits = _of_kind(graph, StepKind.EXIT) + _of_kind(graph, StepKind.GOAL)
    if not exits:
        issues.append(
            ProgramIssue("no_exit", "The program has no exit step: subscribers never leave it.")
        )
        return issues
    can_exit = set(exits).union(*(nx.ancestors(graph, e) for e in exits))
    for step in program.steps:
        if step.id not in can_exit:
            issues.append(
                _step_issue(
                    graph,
                    "no_exit_path",
                    step.id,
                    "From step '{label}', no path leads to an exit.",
                )
            )
    return issues


def _decision_issues(program: Program, graph: nx.DiGraph) -> list[ProgramIssue]:
    issues: list[ProgramIssue] = []
    for step_id in _of_kind(graph, StepKind.DECISION):
        labels = [graph.edges[step_id, nxt]["label"].strip() for nxt in graph.successors(step_id)]
        if len(labels) < 2:
            issues.append(
                _step_issue(
                    graph,
                    "decision_branches",
                    step_id,
                    "Decision '{label}' has {count} branch(es); it needs at least 2.",
                    ERROR,
                    count=len(labels),
                )
            )
            continue
        if not all(labels):
            issues.append(
                _step_issue(
                    graph,
                    "decision_unlabelled_branch",
                    step_id,
                    "Decision '{label}' has a branch without a label.",
                )
            )
        duplicates = sorted(text for text, n in Counter(filter(None, labels)).items() if n > 1)
        if duplicates:
            issues.append(
                _step_issue(
                    graph,
                    "decision_duplicate_labels",
                    step_id,
                    "Decision '{label}' has several branches labelled {labels}.",
                    labels=", ".join(f"'{text}'" for text in duplicates),
                )
            )
    return issues


def _loop_issues(program: Program, graph: nx.DiGraph) -> list[ProgramIssue]:
    """A cycle is fine when a wait paces it; cycles made only of other steps spin forever."""
    waits = set(_of_kind(graph, StepKind.WAIT))
    busy = graph.subgraph(n for n in graph if n not in waits)
    issues = []
    for component in nx.strongly_connected_components(busy):
        node = next(iter(component))
        if len(component) == 1 and not busy.has_edge(node, node):
            continue
        ordered = sorted(component, key=lambda n: graph.nodes[n]["index"])
        labels = [_label(graph, n) for n in ordered]
        issues.append(
            ProgramIssue(
                "loop_without_wait",
                "Steps " + ", ".join(f"'{x}'" for x in labels) + " form a loop with no wait step.",
                ERROR,
                steps=tuple(ordered),
                phases=tuple(dict.fromkeys(graph.nodes[n]["phase"] for n in ordered)),
                params={"steps": ordered, "labels": labels},
            )
        )
    return issues


def _step_issues(program: Program, graph: nx.DiGraph) -> list[ProgramIssue]:
    issues = []
    for step in program.steps:
        if step.kind is StepKind.EXIT and graph.out_degree(step.id):
            issues.append(
                _step_issue(
                    graph,
                    "exit_has_next_step",
                    step.id,
                    "Exit '{label}' is followed by other steps.",
                )
            )
        if step.kind is StepKind.GOAL and graph.out_degree(step.id):
            issues.append(
                _step_issue(
                    graph,
                    "goal_has_next_step",
                    step.id,
                    "Goal '{label}' is followed by other steps: reaching it ends the program.",
                )
            )
        if step.kind is StepKind.MESSAGE and not step.channel:
            issues.append(
                _step_issue(
                    graph,
                    "message_without_channel",
                    step.id,
                    "Message '{label}' has no channel.",
                )
            )
    return issues


def _journey_issues(program: Program, journey: Journey) -> list[ProgramIssue]:
    issues = []
    if program.journey and program.journey != journey.id:
        issues.append(
            ProgramIssue(
                "other_journey",
                f"The program is linked to journey '{program.journey}', not '{journey.id}'.",
                params={"linked": program.journey, "journey": journey.id},
            )
        )
    moments = {m.id for m in journey.moments}
    for phase in program.phases:
        if phase.moment and phase.moment not in moments:
            issues.append(
                ProgramIssue(
                    "unknown_moment",
                    f"Phase '{phase.label}' serves moment '{phase.moment}', "
                    f"which journey '{journey.title}' does not have.",
                    ERROR,
                    phases=(phase.id,),
                    params={
                        "phase": phase.id,
                        "label": phase.label,
                        "moment": phase.moment,
                        "journey": journey.title,
                    },
                )
            )
    channels = {c.id for c in journey.channels}
    for step in program.steps:
        if step.channel and step.channel not in channels:
            issues.append(
                ProgramIssue(
                    "unknown_channel",
                    f"Step '{step.label}' uses channel '{step.channel}', "
                    f"which journey '{journey.title}' does not have.",
                    ERROR,
                    steps=(step.id,),
                    phases=(step.phase,),
                    params={
                        "step": step.id,
                        "label": step.label,
                        "channel": step.channel,
                        "journey": journey.title,
                    },
                )
            )
    return issues


def _phase_issues(program: Program) -> list[ProgramIssue]:
    if not program.steps:
        return []
    used = {step.phase for step in program.steps}
    return [
        ProgramIssue(
            "empty_phase",
            f"Phase '{phase.label}' has no steps yet.",
            INFO,
            phases=(phase.id,),
            params={"phase": phase.id, "label": phase.label},
        )
        for phase in program.phases
        if phase.id not in used
    ]

"""Shared look of the program diagrams: font, palette, shapes, graph header, phase clusters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from journeys.contract.model import Journey, Phase, Program, StepKind
from journeys.i18n import document_language, t
from journeys.programs.dot_text import Escaped, attrs, labelled, lines

FONT = "DejaVu Sans"

# Okabe-Ito (colour-blind safe) borders with light tints as fills, then Tol colours.
PALETTE: tuple[tuple[str, str], ...] = (
    ("#0072B2", "#CCE3F0"),
    ("#E69F00", "#FBE9C2"),
    ("#009E73", "#C7EDE2"),
    ("#CC79A7", "#F3DDEA"),
    ("#56B4E9", "#DDF0FB"),
    ("#D55E00", "#F8D9C4"),
    ("#B8A200", "#F6F0B8"),
    ("#332288", "#D8D4EC"),
    ("#117733", "#CFE6D6"),
    ("#882255", "#E9D0DC"),
)
NEUTRAL = ("#5B6770", "#FFFFFF")

KIND_STYLE: dict[StepKind, dict[str, str]] = {
    StepKind.TRIGGER: {"shape": "house", "style": "filled", "fillcolor": "#FFF2CC"},
    StepKind.WAIT: {"shape": "box", "style": "rounded,dashed,filled", "fillcolor": "#F2F2F2"},
    StepKind.MESSAGE: {"shape": "note", "style": "filled"},
    StepKind.DECISION: {"shape": "diamond", "style": "filled", "fillcolor": "#FFFFFF"},
    StepKind.ACTION: {"shape": "box", "style": "filled", "fillcolor": "#FFFFFF"},
    StepKind.EXIT: {"shape": "doublecircle", "style": "filled", "fillcolor": "#E8E8E8"},
    # a goal is an exit reached with success: its own shape, green, bold border
    StepKind.GOAL: {
        "shape": "doubleoctagon",
        "style": "filled,bold",
        "fillcolor": "#9ED9A8",
        "color": "#1B5E20",
    },
}
PLAIN = {"shape": "plain", "style": ""}
NOTHING = {**PLAIN, "fontcolor": "#777777"}
ACTIONS = {"shape": "box", "style": "filled", "fillcolor": "white"}
GOALS = {"shape": "box", "style": "rounded,filled,bold", "fillcolor": "#9ED9A8", "color": "#1B5E20"}
KPIS = {"shape": "box", "style": "rounded,dashed,filled", "fillcolor": "white"}
CONNECTOR = {
    "shape": "box",
    "style": "rounded,dashed,filled",
    "fillcolor": "white",
    "fontsize": "9",
    "color": "#8896A5",
    "fontcolor": "#3E4C59",
}
PHASE_ARROW = {"penwidth": "2.5", "color": "#8896A5", "arrowsize": "1.2"}


def channel_colours(program: Program, journey: Journey | None = None) -> dict[str, tuple[str, str]]:
    """Map channel id -> (border, fill): journey row order first, then order of use."""
    order = [c.id for c in journey.channels] if journey else []
    order += [s.channel for s in program.steps if s.channel]
    return {cid: PALETTE[i % len(PALETTE)] for i, cid in enumerate(dict.fromkeys(order))}


@dataclass(frozen=True)
class Context:
    """What every part of a diagram needs: the program, its language, the journey's labels."""

    program: Program
    language: str
    moments: dict[str, str]
    channels: dict[str, str]
    key_moments: frozenset[str]
    colours: dict[str, tuple[str, str]]

    def channel(self, cid: str) -> str:
        return self.channels.get(cid, cid)

    def word(self, key: str) -> str:
        """Return the catalog message `key` in the diagram's language."""
        return t(key, self.language)


def context(program: Program, journey: Journey | None, language: str | None) -> Context:
    """Return the Context of a program drawn in `language` (the program's by default)."""
    lang = document_language(language or program.language)
    return Context(
        program=program,
        language=lang,
        moments={m.id: m.label for m in journey.moments} if journey else {},
        channels={c.id: c.label for c in journey.channels} if journey else {},
        key_moments=frozenset(m.id for m in journey.moments if m.key) if journey else frozenset(),
        colours=channel_colours(program, journey),
    )


def node(node_id: str, **values: str | float | None) -> str:
    """`id [attributes];` — node ids are always generated, never user text."""
    return f"{node_id} {attrs(**values)};"


def header(ctx: Context, view: str, rankdir: str, title: bool) -> list[str]:
    """Opening lines of a digraph: graph, node and edge defaults, optional heading."""
    program, word = ctx.program, ctx.word
    heading = lines(f"{program.title} — {word(f'diagram.{view}')}", width=90, left=True)
    aim = word(f"diagram.objective.{program.objective.value}")
    objective = labelled(word("term.objective"), aim, ctx.language)
    goal = labelled(word("term.goal"), program.goal, ctx.language) if program.goal else None
    label = Escaped(heading + lines(objective, goal, width=110, left=True) + " \\l")
    lr = "true" if rankdir == "LR" else None  # the detailed view needs neither: fewer risks
    graph = attrs(
        rankdir=rankdir,
        label=label if title else None,
        labelloc="t",
        labeljust="l",
        fontname=FONT,
        fontsize=16,
        compound=lr,
        newrank=lr,
        nodesep=0.25,
        ranksep=0.45 if rankdir == "LR" else 0.3,
        pad=0.3,
        bgcolor="white",
    )
    nodes = attrs(
        fontname=FONT,
        fontsize=10,
        shape="box",
        style="rounded,filled",
        fillcolor="white",
        color=NEUTRAL[0],
        margin="0.12,0.06",
    )
    edges = attrs(fontname=FONT, fontsize=9, color=NEUTRAL[0], fontcolor="#333333")
    return [f"digraph {view} {{", f"  graph {graph};", f"  node {nodes};", f"  edge {edges};"]


def cluster(cid: str, label: Escaped, body: Iterable[str]) -> list[str]:
    """A rounded, lightly filled cluster holding `body` lines."""
    look = attrs(
        label=label,
        style="rounded,filled",
        fillcolor="#F5F7FA",
        color="#B8C2CC",
        fontsize=12,
        labeljust="l",
        margin=12,
    )
    return [f"  subgraph {cid} {{", f"    graph {look};", *("    " + x for x in body), "  }"]


def phase_title(ctx: Context, index: int, phase: Phase) -> Escaped:
    """`2 · Activation` over `Moment: First delivery ★ (key moment)`."""
    moment = ctx.moments.get(phase.moment, phase.moment) if phase.moment else None
    key = f" ★ ({ctx.word('diagram.key_moment')})" if phase.moment in ctx.key_moments else ""
    moment_line = (
        labelled(ctx.word("diagram.moment"), f"{moment}{key}", ctx.language) if moment else None
    )
    return lines(f"{index + 1} · {phase.label}", moment_line, width=48, left=True)

"""Pure: relationship programs -> Graphviz DOT source text (macro view and detailed view).

Node ids are generated (`s0`, `p1c2`…); every piece of user text goes through one escape
function (journeys.programs.dot_text.escape). Rendering the text is journeys.render.engine's job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from journeys.contract.model import Journey, Link, Phase, Program, Step, StepKind, reached_by_event
from journeys.i18n import format_number, t
from journeys.programs.dot_text import (
    WRAP,
    Escaped,
    attrs,
    escape,
    labelled,
    lines,
    timing_text,
    wrap,
)
from journeys.programs.style import (
    ACTIONS,
    CONNECTOR,
    FONT,
    GOALS,
    KIND_STYLE,
    KPIS,
    NEUTRAL,
    NOTHING,
    PALETTE,
    PHASE_ARROW,
    PLAIN,
    Context,
    channel_colours,
    cluster,
    context,
    header,
    node,
    phase_title,
)

__all__ = [
    "FONT",
    "KIND_STYLE",
    "NEUTRAL",
    "PALETTE",
    "channel_colours",
    "detailed_dot",
    "escape",
    "lines",
    "macro_dot",
    "timing_text",
]


def macro_dot(
    program: Program,
    journey: Journey | None = None,
    *,
    language: str | None = None,
    title: bool = True,
    phases: Sequence[int] | None = None,
) -> str:
    """Return DOT for the macro view: one column per phase, left to right in program order,
    each listing its moment, its messages grouped by channel, its actions and its KPIs.
    `title=False` leaves out the heading (title, objective, goal) when the page has one.
    `phases` (indexes in program order) draws only those columns, numbered as in the whole
    diagram, the last one pointing to the phase that follows it, if any."""
    ctx = context(program, journey, language)
    out = header(ctx, "macro", "LR", title)
    anchors = []
    for i, phase in _chosen(program, phases):
        nodes = _phase_nodes(ctx, i, [s for s in program.steps if s.phase == phase.id], phase)
        ids = [line.split(" ", 1)[0] for line in nodes]
        body = [*nodes, "{rank=same; " + "; ".join(ids) + "}"]
        # flat edges stack the column; LR draws them bottom-up, so chain them in reverse
        body += [f"{b} -> {a} [style=invis];" for a, b in zip(ids, ids[1:], strict=False)]
        out += cluster(f"cluster_p{i}", phase_title(ctx, i, phase), body)
        anchors.append((i, ids[0]))
    for (i, a), (j, b) in zip(anchors, anchors[1:], strict=False):
        out.append(f"  {a} -> {b} " + attrs(ltail=f"cluster_p{i}", lhead=f"cluster_p{j}",
                                            **PHASE_ARROW) + ";")  # fmt: skip
    if anchors and anchors[-1][0] + 1 < len(program.phases):  # a slice: where it goes on
        i, a = anchors[-1]
        after = program.phases[i + 1]
        stub = t("diagram.next_phase", ctx.language, number=i + 2, phase=after.label)
        out.append("  " + node("pnext", label=lines(stub, width=24), **CONNECTOR))
        out.append(f"  {a} -> pnext " + attrs(ltail=f"cluster_p{i}", **PHASE_ARROW) + ";")
    out.append("}")
    return "\n".join(out) + "\n"


def _chosen(program: Program, phases: Sequence[int] | None) -> list[tuple[int, Phase]]:
    """The phases to draw with their index in program order: all, or those of a slice."""
    every = list(enumerate(program.phases))
    return every if phases is None else [(i, p) for i, p in every if i in set(phases)]


def _phase_nodes(ctx: Context, i: int, steps: list[Step], phase: Phase) -> list[str]:
    """The stacked boxes of one macro column: description, triggers, channels, actions, KPIs."""
    word = ctx.word
    nodes = []
    if phase.description:
        nodes.append(node(f"p{i}d", label=lines(phase.description), **PLAIN))
    triggers = [s.label for s in steps if s.kind is StepKind.TRIGGER]
    if triggers:
        trigger_look = KIND_STYLE[StepKind.TRIGGER]
        nodes.append(
            node(f"p{i}t", label=_bullets(word("diagram.triggers"), triggers), **trigger_look)
        )
    by_channel: dict[str, list[Step]] = {}
    for step in steps:
        if step.kind is StepKind.MESSAGE:
            by_channel.setdefault(step.channel or "", []).append(step)
    for k, (cid, messages) in enumerate(by_channel.items()):
        border, fill = ctx.colours.get(cid, NEUTRAL)
        items = [_timed(s, ctx.language) for s in messages]
        label = _bullets(ctx.channel(cid) or word("programs.kind.message"), items)
        nodes.append(node(f"p{i}c{k}", label=label, shape="note", style="filled",
                          fillcolor=fill, color=border, penwidth=1.5))  # fmt: skip
    actions = [s.label for s in steps if s.kind is StepKind.ACTION]
    if actions:
        nodes.append(node(f"p{i}a", label=_bullets(word("diagram.actions"), actions), **ACTIONS))
    goals = [s.label for s in steps if s.kind is StepKind.GOAL]
    if goals:
        nodes.append(node(f"p{i}g", label=_bullets(word("diagram.goals"), goals), **GOALS))
    kpis = list(dict.fromkeys(s.kpi for s in steps if s.kpi))
    if kpis:
        nodes.append(node(f"p{i}k", label=_bullets(word("programs.col.kpi"), kpis), **KPIS))
    return nodes or [node(f"p{i}e", label=lines(word("diagram.nothing")), **NOTHING)]


def _bullets(title: str, items: Sequence[str]) -> Escaped:
    """A centred title over left-aligned bullet items (continuation lines indented)."""
    rows = []
    for item in items:
        first, *rest = wrap("• " + item, width=WRAP + 2) or ["•"]
        # no-break spaces: SVG readers (svglib) drop leading ordinary spaces
        rows += [escape(first)] + [escape("\u00a0\u00a0\u00a0" + line) for line in rest]
    return Escaped(lines(title, width=WRAP + 2) + "\\n" + "\\l".join(rows) + "\\l")


def _timed(step: Step, language: str) -> str:
    when = timing_text(step.timing, language)
    return f"{when} · {step.label}" if when else step.label


def detailed_dot(
    program: Program,
    journey: Journey | None = None,
    *,
    language: str | None = None,
    title: bool = True,
    phases: Sequence[int] | None = None,
    legend: bool = True,
    volumes: Mapping[tuple[str, str], int] | None = None,
) -> str:
    """Return DOT for the detailed view: one column per phase, left to right, its steps flowing
    down; a shape per kind, a colour per channel, labelled links and a legend. A link to
    another phase ends on a connector naming its target: edges between clusters, with the
    column ordering, crash Graphviz (2.43 and 16). `phases` (indexes in program order) draws
    only those columns, numbered as in the whole diagram; `legend=False` leaves it out.
    `volumes` (subscribers by (from, to) link, from a dry run) label each link with its count,
    drawn wider as it carries more."""
    ctx = context(program, journey, language)
    ids = {step.id: f"s{i}" for i, step in enumerate(program.steps)}
    links = [k for k in program.links if k.from_ in ids and k.to in ids]
    out = header(ctx, "detailed", "TB", title)
    edges: list[str] = []
    heads: list[str] = []
    for i, phase in _chosen(program, phases):
        body, head = _phase_column(ctx, i, phase, ids, links, edges, volumes)
        heads.append(head)
        out += cluster(f"cluster_p{i}", phase_title(ctx, i, phase), body)
    legend_lines = _legend(ctx) if legend else []
    out += legend_lines + edges + _spine(heads + (["lg0"] if legend_lines else []))
    out.append("}")
    return "\n".join(out) + "\n"


def _phase_column(
    ctx: Context,
    i: int,
    phase: Phase,
    ids: dict[str, str],
    links: list[Link],
    edges: list[str],
    volumes: Mapping[tuple[str, str], int] | None = None,
) -> tuple[list[str], str]:
    """The nodes of one phase (steps, then connectors to other phases) and its top node;
    appends the phase's edges to `edges`."""
    steps = {s.id: s for s in ctx.program.steps}
    number = {p.id: n + 1 for n, p in enumerate(ctx.program.phases)}
    mine = [s for s in ctx.program.steps if s.phase == phase.id]
    body = [node(ids[s.id], **_step_look(ctx, s)) for s in mine]
    entered = set()
    for k, link in enumerate(links):
        if steps[link.from_].phase != phase.id:
            continue
        look = _link_look(link, volumes, ctx.language)
        target = steps[link.to]
        if target.phase == phase.id:
            edges.append(f"  {ids[link.from_]} -> {ids[link.to]} {look};")
            entered.add(link.to)
            continue
        text = lines(f"→ {number[target.phase]} · {target.label}", width=24)
        body.append(node(f"x{k}", label=text, **CONNECTOR))
        edges.append(f"  {ids[link.from_]} -> x{k} {look};")
    if not body:
        body = [node(f"p{i}e", label=lines(ctx.word("diagram.nothing")), **NOTHING)]
    head = next((ids[s.id] for s in mine if s.id not in entered), body[0].split(" ", 1)[0])
    return body, head


def _link_look(link: Link, volumes: Mapping[tuple[str, str], int] | None, language: str) -> str:
    """A link's label, with the subscribers along it ("1 234") and a width to match when a dry
    run's volumes are given."""
    label = lines(link.label, width=20) if link.label else None
    if volumes is None:
        return attrs(label=label)
    count = volumes.get((link.from_, link.to), 0)
    top = max(volumes.values(), default=0)
    text = Escaped("\\n".join(x for x in (label, escape(format_number(count, language))) if x))
    width = 1 + 5 * count / top if top else 1
    return attrs(label=text, penwidth=f"{width:.1f}", fontcolor="#0B3D66")


def _step_look(ctx: Context, step: Step) -> dict[str, str | None]:
    look: dict[str, str | None] = dict(KIND_STYLE[step.kind])
    top = timing_text(step.timing, ctx.language)
    if reached_by_event(step):
        top = f"{top} · {ctx.word('diagram.goal_any_step')}"
    if step.channel:
        border, fill = ctx.colours.get(step.channel, NEUTRAL)
        top = " · ".join(x for x in (ctx.channel(step.channel), top) if x)
        look.update(color=border, penwidth="1.6")
        if step.kind is StepKind.MESSAGE:
            look["fillcolor"] = fill
    elif step.kind is StepKind.MESSAGE:
        look["fillcolor"] = NEUTRAL[1]
    kpi = labelled(ctx.word("programs.col.kpi"), step.kpi, ctx.language) if step.kpi else None
    entry = None
    if step.entry is not None:  # who the trigger lets in: each list "any of", lists "and"
        groups = (step.entry.segment, step.entry.offer, step.entry.payment_method)
        values = " · ".join(", ".join(group) for group in groups if group)
        entry = labelled(ctx.word("diagram.entry"), values, ctx.language)
    width = {StepKind.DECISION: 22, StepKind.EXIT: 18, StepKind.GOAL: 20}.get(step.kind, WRAP)
    look["label"] = lines(top, step.label, entry, kpi, width=width)
    return look


def _spine(heads: list[str]) -> list[str]:
    """Columns in program order: an invisible row of knots above them, one per column, whose
    edges would cross were the columns out of order. (Same-rank edges between clusters,
    weight=0 and constraint=false edges all crash Graphviz here.)"""
    if len(heads) < 2:
        return []
    knots = [f"o{i}" for i in range(len(heads))]
    return [
        '  node [shape=point, style=invis, width=0, height=0, label=""];',
        "  {rank=same; " + "; ".join(knots) + "}",
        *(f"  {a} -> {b} [style=invis];" for a, b in zip(knots, knots[1:], strict=False)),
        *(f"  {k} -> {h} [style=invis, weight=5];" for k, h in zip(knots, heads, strict=True)),
    ]


def _legend(ctx: Context) -> list[str]:
    """A cluster showing the kinds and channels used, three to a row."""
    steps = ctx.program.steps
    kinds = [k for k in StepKind if any(s.kind is k for s in steps)]
    used = [c for c in ctx.colours if any(s.channel == c for s in steps)]
    nodes = [
        node(
            f"lg{k}", label=ctx.word(f"programs.kind.{kind.value}"), fontsize=9, **KIND_STYLE[kind]
        )
        for k, kind in enumerate(kinds)
    ]
    nodes += [
        node(f"lg{len(kinds) + k}", label=ctx.channel(c), shape="box", style="filled",
             fontsize=9, fillcolor=ctx.colours[c][1], color=ctx.colours[c][0], penwidth=1.6)
        for k, c in enumerate(used)
    ]  # fmt: skip
    if not nodes:
        return []
    names = [f"lg{k}" for k in range(len(nodes))]
    rows = [names[k : k + 3] for k in range(0, len(names), 3)]
    layout = ["{rank=same; " + "; ".join(row) + "}" for row in rows]
    layout += [f"{a} -> {b} [style=invis];" for r in rows for a, b in zip(r, r[1:], strict=False)]
    layout += [f"{a[0]} -> {b[0]} [style=invis];" for a, b in zip(rows, rows[1:], strict=False)]
    return cluster("cluster_legend", lines(ctx.word("diagram.legend")), [*nodes, *layout])

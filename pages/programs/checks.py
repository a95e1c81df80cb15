"""Programs page: what is wrong, in plain words (the tables' problems, which block the save,
and the program checks, which only advise), and the macro / detailed diagram preview."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

import streamlit as st

from journeys.contract.model import Journey, Program
from journeys.export.files import safe_filename
from journeys.programs.checks import ERROR, INFO, WARNING, ProgramIssue
from journeys.programs.diagrams import detailed_dot, macro_dot
from journeys.render import engine as rendering
from pages.common.shared import show_error, tr
from pages.programs.tables import RowProblem

ICONS = {ERROR: "!", WARNING: "!", INFO: "i"}  # drawn as round badges: no emoji font needed
_STYLE = """<style>
.pg-list{margin:0;padding:0;list-style:none;font-size:0.95rem;line-height:1.45}
.pg-list li{display:flex;gap:0.5rem;padding:0.3rem 0.6rem;border-left:4px solid #ccc;
  margin:0.2rem 0;background:#fafafa;border-radius:0 4px 4px 0}
.pg-list li.error{border-color:#c62828;background:#fdecea}
.pg-list li.warning{border-color:#ef8f00;background:#fff6e5}
.pg-list li.info{border-color:#607d8b;background:#f3f6f8}
.pg-list .badge{flex:none;width:1.2rem;height:1.2rem;border-radius:50%;color:#fff;
  font-weight:700;font-size:0.8rem;line-height:1.2rem;text-align:center;margin-top:0.1rem}
.pg-list li.error .badge{background:#c62828}
.pg-list li.warning .badge{background:#ef8f00}
.pg-list li.info .badge{background:#607d8b}
</style>"""


def _quoted(text: object) -> str:
    return tr("programs.quoted", text=text)


def issue_text(issue: ProgramIssue) -> str:
    """The checker's finding in the session's language, naming the steps by their labels."""
    params = {
        k: _quoted(v) if k in ("label", "moment", "channel", "journey", "linked") else v
        for k, v in issue.params.items()
    }
    if isinstance(issue.params.get("labels"), list):
        params["labels"] = ", ".join(_quoted(x) for x in issue.params["labels"])
    key = f"programs.issue.{issue.code}"
    text = tr(key, **params)
    return issue.message if text == key else text


def _items(items: Sequence[tuple[str, str, str]]) -> str:
    """`<li>` per (css class, icon, already escaped text)."""
    return "".join(
        f'<li class="{cls}"><span class="badge">{icon}</span><span>{text}</span></li>'
        for cls, icon, text in items
    )


def show_issues(issues: Sequence[ProgramIssue]) -> None:
    """The program checks, errors first, as one block of escaped HTML."""
    counts = {s: sum(1 for i in issues if i.severity == s) for s in (ERROR, WARNING, INFO)}
    if not issues:
        st.success(tr("programs.checks_ok"), icon=":material/check_circle:")
        return
    st.markdown(
        f"**{tr('programs.checks_title')}** — "
        + tr(
            "programs.checks_counts",
            errors=counts[ERROR],
            warnings=counts[WARNING],
            infos=counts[INFO],
        )
    )
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    ranked = sorted(issues, key=lambda i: order.get(i.severity, 3))
    items = [(i.severity, ICONS.get(i.severity, "•"), html.escape(issue_text(i))) for i in ranked]
    st.html(_STYLE + f'<ul class="pg-list" data-testid="programs-issues">{_items(items)}</ul>')


def problem_text(problem: RowProblem) -> str:
    """'Steps, row 4, Event: …' — where the problem is, and what to do."""
    column = tr(f"programs.col.{problem.column}")
    if problem.table == "header":
        where = tr("programs.where_header", column=column)
    else:
        where = tr(
            "programs.where_row",
            table=tr(f"programs.table.{problem.table}"),
            row=problem.row,
            column=column,
        )
    params = {k: v for k, v in problem.params.items() if v is not None}
    return f"{where} — " + tr(f"programs.problem.{problem.code}", **params)


def show_problems(problems: Sequence[RowProblem]) -> None:
    """What stops the save, each located in its table; nothing is saved meanwhile."""
    if not problems:
        return
    st.error(tr("programs.problems_title", count=len(problems)), icon=":material/block:")
    items = [("error", ICONS[ERROR], html.escape(problem_text(p))) for p in problems]
    st.html(_STYLE + f'<ul class="pg-list" data-testid="programs-problems">{_items(items)}</ul>')


@st.cache_data(max_entries=64, show_spinner=False)
def _svg(dot: str) -> str:
    svg = rendering.render(dot, "svg").decode("utf-8")
    return svg[svg.find("<svg") :]


def show_preview(program: Program, journey: Journey | None, *, outdated: bool) -> None:
    """The program drawn in the chosen view, scaled to the page's width (or at its own size,
    scrolling) and its SVG."""
    st.subheader(tr("programs.preview"), anchor=False)
    row = st.container(horizontal=True, vertical_alignment="center")
    view = (
        row.segmented_control(
            tr("programs.view"),
            ["macro", "detailed"],
            default="macro",
            required=True,
            format_func={v: tr(f"programs.view_{v}") for v in ("macro", "detailed")}.__getitem__,
            key="programs_view",
            label_visibility="collapsed",
        )
        or "macro"
    )
    fit = row.toggle(tr("programs.fit_width"), value=True, key="programs_fit")
    if outdated:
        st.caption(tr("programs.preview_outdated"))
    linked = journey if journey is not None and program.journey == journey.id else None
    build = macro_dot if view == "macro" else detailed_dot
    try:
        svg = _svg(build(program, linked, title=False))
    except rendering.RenderError as exc:
        show_error(tr("programs.preview_failed"), str(exc))
        return
    row.download_button(
        tr("programs.download_svg"),
        svg.encode("utf-8"),
        file_name=safe_filename(program.id, fmt="svg", view=view),
        mime="image/svg+xml",
        key="programs_download_svg",
        icon=":material/download:",
    )
    if fit:
        st.image(svg, width="stretch")
    else:  # at its own size, scrolling; as an <img>, the SVG cannot run anything
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        st.html(
            '<div class="pg-diagram" style="overflow:auto;max-height:85vh;'
            'border:1px solid #e6e6e6;border-radius:6px">'
            f'<img alt="" style="max-width:none;display:block" '
            f'src="data:image/svg+xml;base64,{data}"></div>'
        )
    st.caption(tr("programs.preview_engine", engine=rendering.engine_name()))

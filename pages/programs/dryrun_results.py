"""Programs page: what a dry run found — the assumptions stated, volumes by step, the Sankey,
the detailed diagram with each link's volume, messages per channel per week, the pressure
calendar and the sends in quiet hours. Every text shown as text."""

from __future__ import annotations

import base64

import streamlit as st

from journeys.export.files import safe_filename
from journeys.programs import charts
from journeys.programs import dryrun_text as words
from journeys.programs.diagrams import detailed_dot
from journeys.programs.dryrun_output import csv_text, step_rows, weekly
from journeys.programs.dryrun_services import DryRunReport
from journeys.render import engine as rendering
from pages.common.shared import show_error, tr
from pages.common.text import plain

CHART = {"displayModeBar": False}


@st.cache_data(max_entries=16, show_spinner=False)
def _svg(dot: str) -> str:
    svg = rendering.render(dot, "svg").decode("utf-8")
    return svg[svg.find("<svg") :]


def show_report(report: DryRunReport, language: str) -> None:
    run = report.run
    st.subheader(tr("dryrun.ui.results"), anchor=False)
    for line in words.population_statements(run, language):
        st.caption(plain(line))
    names = {c: words.channel_name(c, report.journey, language) for c in run.sends.channels}
    names.update(
        {
            f.channel: words.channel_name(f.channel, report.journey, language)
            for f in report.pressure.findings
        }
    )
    titles = [p.title for p in report.programs]
    for tab, program, result in zip(st.tabs(titles), report.programs, run.runs, strict=True):
        with tab:
            _program(report, program, result, language)
    st.plotly_chart(
        charts.weekly_figure(weekly(run), names, language),
        config=CHART,
        key="programs_dryrun_weekly",
    )
    _pressure(report, names, language)
    st.download_button(
        tr("dryrun.ui.download_csv"),
        csv_text(step_rows(run, report.programs)).encode("utf-8"),
        file_name=safe_filename(report.programs[0].id, fmt="csv", view="dryrun"),
        mime="text/csv",
        key="programs_dryrun_csv",
        icon=":material/download:",
    )


def _program(report: DryRunReport, program, result, language: str) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {
            "step": step.label,
            "kind": tr(f"programs.kind.{step.kind.value}"),
            "entered": result.steps[step.id].entered,
            "reached": result.steps[step.id].reached,
            "left": result.steps[step.id].left,
            "waiting": result.steps[step.id].waiting,
        }
        for step in program.steps
    ]
    col = st.column_config
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        key=f"programs_dryrun_table_{program.id}",
        column_config={name: col.Column(tr(f"dryrun.ui.col.{name}")) for name in rows[0]}
        if rows
        else None,
    )
    for line in words.program_statements(program, result, report.run, language):
        st.caption(plain(line))
    st.plotly_chart(
        charts.sankey_figure(program, result, language),
        config=CHART,
        key=f"programs_dryrun_sankey_{program.id}",
    )
    journey = report.journey if report.journey and program.journey == report.journey.id else None
    try:
        svg = _svg(detailed_dot(program, journey, title=False, volumes=result.links))
    except rendering.RenderError as exc:
        show_error(tr("programs.preview_failed"), str(exc))
        return
    row = st.container(horizontal=True, vertical_alignment="center")
    row.markdown(f"**{tr('dryrun.ui.diagram')}**")
    # At its own size by default: fitted to a projector's width, the volumes cannot be read.
    fit = row.toggle(tr("programs.fit_width"), value=False, key=f"programs_dryrun_fit_{program.id}")
    if fit:
        st.image(svg, width="stretch")
        return
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")  # an <img> runs nothing
    st.html(
        '<div class="pg-dryrun-diagram" style="overflow:auto;max-height:80vh;'
        'border:1px solid #e6e6e6;border-radius:6px">'
        f'<img alt="" style="max-width:none;display:block" '
        f'src="data:image/svg+xml;base64,{data}"></div>'
    )


def _pressure(report: DryRunReport, names: dict[str, str], language: str) -> None:
    st.subheader(tr("dryrun.ui.pressure"), anchor=False)
    pressure = report.pressure
    for finding in pressure.findings:
        text = plain(words.cap_text(finding, pressure, report.programs, report.journey, language))
        if finding.broken:
            st.error(text, icon=":material/warning:")
        elif finding.cap is not None:
            st.success(text, icon=":material/check_circle:")
        else:
            st.caption(text)
    if pressure.broken:  # the calendar of those over a cap (when none is, the lines say so)
        st.plotly_chart(
            charts.pressure_calendar_figure(pressure, names, language),
            config=CHART,
            key="programs_dryrun_calendar",
        )
    st.subheader(tr("dryrun.ui.quiet"), anchor=False)
    lines = words.quiet_statements(report.quiet, report.programs, language)
    (st.warning if report.quiet.quiet else st.success)(plain(lines[0]))
    for line in lines[1:]:
        st.caption(plain(line))

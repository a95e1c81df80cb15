"""Programs page: one program being edited — its tables, what is wrong, the save (which never
overwrites someone else's version unawares) and the diagram preview."""

from __future__ import annotations

from typing import Any

import streamlit as st

from journeys import services
from journeys.contract.model import Journey, Program
from journeys.programs import services as ps
from journeys.programs.checks import check_program
from pages.common.shared import flash, journey_titles, label, show_error, store, tr
from pages.common.text import plain
from pages.programs import draft as drafts
from pages.programs import editor, forms
from pages.programs.checks import show_issues, show_preview, show_problems
from pages.programs.compliance import show_compliance
from pages.programs.dryrun import dryrun_panel
from pages.programs.tables import Built, build_program

SELECTED = "programs_selected"


def _journey(journey_id: str | None) -> Journey | None:
    if not journey_id:
        return None
    try:
        return services.get_journey(journey_id, store=store())
    except services.NotFoundError:
        return None


def _summary(program: Program) -> str:
    """Objective · journey · goal, as saved (the header fields below may hold edits)."""
    parts = [label("objective", program.objective)]
    if program.journey:
        parts.append(journey_titles().get(program.journey, program.journey))
    if program.goal:
        parts.append(tr("programs.goal_is", goal=program.goal))
    return " · ".join(parts)


def edit_panel(program_id: str) -> None:
    """Everything about the selected program, from its header to its preview."""
    try:
        editable = ps.get_program_for_edit(program_id, store=store())
    except services.NotFoundError:
        st.session_state.pop(SELECTED, None)
        drafts.forget()
        st.rerun()
    draft = drafts.current(editable)
    drafts.recover(draft)
    st.subheader(plain(editable.program.title), anchor=False)
    st.caption(plain(_summary(editable.program)))
    bar, problems_box = st.container(), st.container()
    if added := st.session_state.pop("programs_added", None):
        st.toast(plain(added), icon=":material/add_task:")
    with st.expander(tr("programs.header_section"), icon=":material/flag:"):
        header = editor.header_fields(draft, journey_titles())
    journey = _journey(header["journey"])
    if header["journey"] and journey is None:
        st.warning(plain(tr("programs.journey_missing", id=header["journey"])))
    tabs = st.tabs([tr("programs.tab_phases"), tr("programs.tab_steps"), tr("programs.tab_links")])
    with tabs[0]:
        st.caption(tr("programs.phases_hint"))
        phases = editor.phases_table(draft, journey)
    with tabs[1]:
        st.caption(tr("programs.steps_hint"))
        steps = editor.steps_table(draft, journey)
    with tabs[2]:
        st.caption(tr("programs.links_hint"))
        links = editor.links_table(draft)
    tables = {"header": header, "phases": phases, "steps": steps, "links": links}
    built = build_program(program_id, header, phases, steps, links)
    if drafts.signature(tables) != draft["signature"]:
        drafts.fold(draft, tables, built.program)  # new choices: redraw the tables from the edits
        st.rerun()
    with tabs[0]:
        forms.add_phase_form(draft, tables, built.program, journey)
    with tabs[1]:
        forms.add_step_form(draft, tables, built.program, journey)
    draft["dirty"] = built.program is None or built.program != draft["base"]
    drafts.remember(draft, tables, built.program)
    with bar:
        _save_bar(draft, built, editable)
    with problems_box:
        show_problems(built.problems)
    shown = built.program or draft["base"]
    show_issues(check_program(shown, journey))
    show_compliance(shown, journey)
    show_preview(shown, journey, outdated=built.program is None)
    dryrun_panel(shown, journey)


def _save_bar(draft: dict[str, Any], built: Built, editable: ps.EditableProgram) -> None:
    newer = editable.version != draft["version"]
    if newer and draft["dirty"]:
        _conflict(draft, built.program, editable)
        return
    row = st.container(horizontal=True, vertical_alignment="center")
    if row.button(
        tr("programs.save"),
        type="primary",
        icon=":material/save:",
        disabled=not draft["dirty"] or built.program is None,
        key="programs_save",
    ):
        assert built.program is not None
        _save(built.program, draft["version"])
    if row.button(
        tr("programs.discard"),
        icon=":material/undo:",
        disabled=not draft["dirty"],
        key="programs_discard",
    ):
        drafts.forget()
        st.rerun()
    with row.popover(tr("programs.delete"), icon=":material/delete:"):
        st.caption(tr("programs.delete_hint"))
        if st.button(tr("programs.delete_confirm"), type="primary", key="programs_delete_do"):
            services.delete_program(editable.program.id, store=store())
            st.session_state.pop(SELECTED, None)
            drafts.forget()
            flash("success", tr("programs.deleted", title=editable.program.title))
            st.rerun()
    if built.program is None:
        row.markdown(f":red[{tr('programs.state_invalid')}]")
    elif draft["dirty"]:
        row.markdown(f":orange[{tr('programs.state_unsaved')}]")
    else:
        row.caption(tr("programs.state_saved", version=editable.version, id=editable.program.id))


def _save(program: Program, expected_version: int) -> None:
    try:
        version = ps.save_program(program, store=store(), expected_version=expected_version)
    except services.StaleVersionError:
        st.rerun()  # the next run finds the newer version and offers the choice
    except services.NotFoundError as exc:
        show_error(tr("programs.save_failed"), str(exc))
        return
    drafts.forget()
    flash("success", tr("programs.saved", title=program.title, version=version))
    st.rerun()


def _conflict(draft: dict[str, Any], program: Program | None, editable: ps.EditableProgram) -> None:
    """Someone saved this program since the edits here began: say so, let the user choose."""
    st.warning(tr("programs.conflict", version=editable.version), icon=":material/group:")
    mine, theirs = st.columns(2)
    if mine.button(
        tr("programs.conflict_keep_mine"),
        disabled=program is None,
        key="programs_conflict_mine",
        icon=":material/save_as:",
    ):
        assert program is not None
        _save(program, editable.version)
    if theirs.button(
        tr("programs.conflict_take_theirs"), key="programs_conflict_theirs", icon=":material/sync:"
    ):
        drafts.forget()
        st.rerun()

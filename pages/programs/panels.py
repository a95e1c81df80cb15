"""Programs page: the list of programs (of the working journey or all), creating one from a
template or blank, and the programs in the trash."""

from __future__ import annotations

import re

import streamlit as st

from journeys import services
from journeys.contract.model import SLUG_PATTERN, Objective
from journeys.contract.yaml_io import DocumentError
from journeys.i18n import LANGUAGES, table_datetime_format
from journeys.programs import services as ps
from pages.common.shared import flash, label, lang, selected_journey, show_error, store, tr
from pages.common.text import plain
from pages.programs import draft as drafts
from pages.programs.edit import SELECTED


def program_list(titles: dict[str, str]) -> list[services.ProgramSummary]:
    """The programs table; picking a row makes it the program being edited."""
    jid = selected_journey()
    only = False
    if jid:
        only = st.toggle(
            plain(tr("programs.only_journey", title=titles.get(jid, jid))),
            value=True,
            key="programs_only_journey",
        )
    summaries = services.list_programs(store=store(), journey_id=jid if only else None)
    if not summaries:
        st.info(tr("programs.none_for_journey" if only else "programs.none"))
        return summaries
    ids = [s.id for s in summaries]
    if st.session_state.get(SELECTED) not in ids:
        st.session_state[SELECTED] = ids[0]
    rows = [
        {
            "title": ("▶ " if s.id == st.session_state[SELECTED] else "") + s.title,
            "journey": titles.get(s.journey, s.journey or "—") if s.journey else "—",
            "objective": label("objective", s.objective),
            "phases": s.phases,
            "steps": s.steps,
            "updated": s.updated_at.astimezone(),
        }
        for s in summaries
    ]
    col = st.column_config
    event = st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(rows), 220),
        on_select="rerun",
        selection_mode="single-row",
        key=f"programs_table_{int(only)}",
        column_config={
            "title": col.TextColumn(tr("programs.col.title"), width="large"),
            "journey": col.TextColumn(tr("programs.col.journey"), width="medium"),
            "objective": col.TextColumn(tr("programs.col.objective")),
            "phases": col.NumberColumn(tr("programs.col.phases"), width="small"),
            "steps": col.NumberColumn(tr("programs.col.steps"), width="small"),
            "updated": col.DatetimeColumn(
                tr("programs.col.updated"), format=table_datetime_format(lang())
            ),
        },
    )
    picked = event.selection.rows if event is not None and event.selection else []
    if picked and ids[picked[0]] != st.session_state[SELECTED]:
        st.session_state[SELECTED] = ids[picked[0]]
        st.rerun()
    return summaries


def _created(program_id: str, message: str) -> None:
    st.session_state[SELECTED] = program_id
    drafts.forget()
    flash("success", message)
    st.rerun()


def _fitting(names: list[str], journey_type: str | None) -> int:
    """The template made for the working journey's type (same file-name prefix), else 0."""
    fits = [i for i, n in enumerate(names) if journey_type and n.startswith(f"{journey_type}.")]
    return fits[0] if fits else 0


def create_panel(titles: dict[str, str], *, expanded: bool) -> None:
    """A program from a shipped template or a blank one, linked to a journey."""
    journey_types = {s.id: s.journey_type.value for s in services.list_journeys(store=store())}
    with st.expander(tr("programs.new"), expanded=expanded, icon=":material/add_circle:"):
        source = st.radio(
            tr("programs.new_from"),
            ["template", "blank"],
            horizontal=True,
            format_func={
                s: tr(f"programs.new_from_{s}") for s in ("template", "blank")
            }.__getitem__,
            key="programs_new_source",
        )
        templates = {t.file_name: t for t in ps.program_templates(language=lang())}
        left, right = st.columns(2)
        template = None
        if source == "template":
            names = list(templates)
            name = left.selectbox(
                tr("programs.template"),
                names,
                index=_fitting(names, journey_types.get(selected_journey() or "")),
                key="programs_new_template",
                format_func=lambda f: f"{templates[f].title} · {templates[f].language.upper()}",
            )
            template = templates.get(name) if name else None
            objective = None
        else:
            objective = left.selectbox(
                tr("programs.col.objective"),
                [o.value for o in Objective],
                format_func={o.value: label("objective", o) for o in Objective}.__getitem__,
                key="programs_new_objective",
            )
        options = list(titles)
        jid = selected_journey()
        journey = right.selectbox(
            tr("programs.col.journey"),
            options,
            index=options.index(jid) if jid in options else None,
            placeholder=tr("programs.no_journey"),
            format_func=lambda j: titles[j],
            key="programs_new_journey",
        )
        left, right = st.columns(2)
        title = left.text_input(
            tr("programs.col.title"),
            max_chars=300,
            key="programs_new_title",
            placeholder=template.title if template else tr("programs.new_title_hint"),
        )
        new_id = right.text_input(
            tr("programs.col.id"),
            max_chars=80,
            key="programs_new_id",
            placeholder=tr("programs.new_id_hint"),
            help=tr("programs.id_help"),
        )
        if st.button(
            tr("programs.create"), type="primary", key="programs_new_submit", icon=":material/add:"
        ):
            _create(template, objective, journey, title.strip(), new_id.strip())


def _create(
    template: services.TemplateInfo | None,
    objective: str | None,
    journey: str | None,
    title: str,
    new_id: str,
) -> None:
    if new_id and not re.fullmatch(SLUG_PATTERN, new_id):
        st.error(tr("programs.problem.bad_id"))
        return
    try:
        if template is not None:
            wanted = new_id or ps.free_program_id(template.id, store=store())
            program = services.create_program_from_template(
                template.file_name,
                store=store(),
                new_id=wanted,
                title=title or None,
                journey_id=journey,
            )
        else:
            if not title:
                st.error(tr("programs.title_needed"))
                return
            wanted = new_id or ps.free_program_id(title, store=store())
            language = lang() if lang() in LANGUAGES else "fr"
            program = ps.create_blank_program(
                wanted,
                title,
                store=store(),
                objective=objective or Objective.LIFETIME,
                journey_id=journey,
                language=language,
            )
    except (services.StoreError, DocumentError, ValueError) as exc:
        show_error(tr("programs.create_failed"), str(exc))
        return
    _created(program.id, tr("programs.created", title=program.title))


def trash_panel() -> None:
    """Deleted programs, each with its restore button."""
    deleted = [
        s for s in services.list_programs(store=store(), include_deleted=True) if s.deleted_at
    ]
    if not deleted:
        return
    with st.expander(tr("programs.trash", count=len(deleted)), icon=":material/delete:"):
        for summary in deleted:
            text, button = st.columns([4, 1], vertical_alignment="center")
            text.markdown(f"**{plain(summary.title)}** · `{summary.id}`")  # the id: a slug
            if button.button(tr("programs.restore"), key=f"programs_restore_{summary.id}"):
                try:
                    services.restore_program(summary.id, store=store())
                except services.StoreError as exc:
                    show_error(tr("programs.restore_failed"), str(exc))
                    return
                _created(summary.id, tr("programs.restored", title=summary.title))

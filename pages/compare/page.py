"""As-is → to-be: derive the target journey from the current one, and read the gap cell by
cell (touchpoints added, removed, changed; irritants and breaks resolved or remaining)."""

from __future__ import annotations

import streamlit as st

from journeys import services
from journeys.contract.model import JourneyState
from journeys.visits import services as vs
from journeys.visits.charts import gap_curves
from pages.common.shared import flash, lang, select_journey, selected_journey, show_flash, store, tr
from pages.common.text import plain
from pages.compare import panels

st.title(tr("compare.title"), anchor=False)
jid = selected_journey()
if not jid:
    st.info(tr("compare.pick_first"))
    st.page_link("pages/library/page.py", label=tr("nav.library"), icon=":material/folder_open:")
    st.stop()
summaries = {s.id: s for s in services.list_journeys(store=store())}
if jid not in summaries:
    select_journey(None)
    st.rerun()
selected = summaries[jid]
# A target journey selected in the sidebar is compared with the journey it was derived from.
preferred: str | None
if selected.state is JourneyState.TARGET and selected.derived_from in summaries:
    current_id, preferred = selected.derived_from, jid
else:
    current_id, preferred = jid, None
current = summaries[current_id]
show_flash()
st.caption(plain(tr("compare.current_is", title=current.title)))


def _derive(journey_id: str) -> None:
    new_id = st.session_state.get("compare_new_id", "").strip()
    title = st.session_state.get("compare_new_title", "").strip() or None
    try:
        target = vs.derive_target_journey(journey_id, store=store(), new_id=new_id, title=title)
    except (services.StoreError, ValueError) as exc:
        flash("error", tr("compare.derive_failed", detail=str(exc).splitlines()[0]))
        return
    st.session_state["compare_target"] = target.id
    flash("success", tr("compare.derived", title=target.title))


targets = {
    s.id: s for s in summaries.values() if s.id != current_id and s.derived_from == current_id
}
with st.expander(tr("compare.derive_section"), expanded=not targets):
    st.caption(tr("compare.derive_hint"))
    suffix = "cible" if current.language == "fr" else "target"
    st.session_state.setdefault("compare_new_id", f"{current_id}-{suffix}"[:80])
    st.text_input(tr("compare.new_id"), key="compare_new_id", max_chars=80)
    st.text_input(
        tr("compare.new_title"),
        key="compare_new_title",
        max_chars=300,
        placeholder=tr("compare.new_title_hint"),
    )
    st.button(
        tr("compare.derive"),
        type="primary",
        on_click=_derive,
        args=(current_id,),
        key="compare_derive",
        icon=":material/call_split:",
    )

others = targets or {s.id: s for s in summaries.values() if s.id != current_id}
if not others:
    st.info(tr("compare.no_target"))
    st.stop()
if st.session_state.get("compare_target") not in others:
    st.session_state["compare_target"] = preferred if preferred in others else next(iter(others))
target_id = st.selectbox(
    tr("compare.target"),
    list(others),
    format_func=lambda i: others[i].title,
    key="compare_target",
)
gap = vs.journey_gap(current_id, target_id, store=store())
panels.summary(gap)
st.plotly_chart(
    gap_curves(gap, lang=lang()), config={"displayModeBar": False}, key="compare_curves"
)
current_journey = services.get_journey(current_id, store=store())
target_journey = services.get_journey(target_id, store=store())
panels.cells_table(gap, current_journey, target_journey)
panels.problem_lists(gap, current_journey, target_journey)

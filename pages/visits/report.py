"""The visits page's panels: what the visits say, and the list of visits (delete, restore)."""

from __future__ import annotations

import streamlit as st

from journeys.contract.model import Journey
from journeys.errors import StoreError
from journeys.i18n import format_date, table_datetime_format
from journeys.visits import services as vs
from journeys.visits.charts import ratings_heatmap
from journeys.visits.report import VisitsReport
from pages.common.shared import flash, label, lang, store, tr
from pages.common.text import plain, unquoted
from pages.road.state import show_photo


def _names(journey: Journey) -> tuple[dict[str, str], dict[str, str]]:
    return {m.id: m.label for m in journey.moments}, {c.id: c.label for c in journey.channels}


def report_tab(journey: Journey, report: VisitsReport) -> None:
    """Ratings by moment × channel, top irritants, wait times, cells no visit has covered."""
    if not report.visits:
        st.info(tr("visits.none_yet"))
        return
    moments, channels = _names(journey)
    cells = len({(t.moment, t.channel) for t in journey.touchpoints})
    cols = st.columns(4)
    cols[0].metric(tr("visits.metric_visits"), report.visits)
    cols[1].metric(tr("visits.metric_observations"), report.observations)
    cols[2].metric(tr("visits.metric_covered"), f"{cells - len(report.uncovered)} / {cells}")
    cols[3].metric(tr("visits.metric_irritants"), sum(i.count for i in report.irritants))
    if report.ratings:
        st.plotly_chart(
            ratings_heatmap(journey, report, lang=lang()),
            config={"displayModeBar": False},
            key="visits_ratings",
        )
    else:
        st.caption(tr("visits.no_ratings"))
    st.subheader(tr("visits.top_irritants"), anchor=False)
    if report.irritants:
        st.dataframe(
            [
                {
                    tr("visits.col_score"): round(i.score, 1),
                    tr("visits.col_irritant"): i.text,
                    tr("visits.col_count"): i.count,
                    tr("visits.col_visits"): i.visits,
                    tr("visits.col_intensity"): round(i.mean_intensity, 1),
                    tr("field.type"): label("finding", i.type),
                    tr("field.moment"): moments.get(i.moment, i.moment),
                    tr("field.channel"): channels.get(i.channel, i.channel),
                }
                for i in report.irritants
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(tr("visits.no_irritants"))
    left, right = st.columns(2)
    with left:
        st.subheader(tr("visits.waits"), anchor=False)
        if report.waits:
            st.dataframe(
                [
                    {
                        tr("visits.col_cell"): f"{moments.get(w.moment, w.moment)} · "
                        f"{channels.get(w.channel, w.channel)}",
                        tr("visits.col_count"): w.count,
                        tr("visits.col_mean_wait"): round(w.mean, 1),
                        tr("visits.col_max_wait"): round(w.high, 1),
                    }
                    for w in report.waits
                ],
                hide_index=True,
                width="stretch",
                column_config={tr("visits.col_cell"): st.column_config.TextColumn(width="medium")},
            )
        else:
            st.caption(tr("visits.no_waits"))
    with right:
        st.subheader(tr("visits.uncovered"), anchor=False)
        if report.uncovered:
            st.caption(tr("visits.uncovered_hint"))
            st.markdown(
                "\n".join(
                    f"- {plain(moments.get(m, m))} · {plain(channels.get(c, c))}"
                    for m, c in report.uncovered
                )
            )
        else:
            st.caption(tr("visits.all_covered"))


def list_tab(journey: Journey) -> None:
    """The visits, newest first; pick one to read it, delete it or bring a deleted one back."""
    visits = vs.list_visits(journey.id, store=store(), include_deleted=True)
    live = [v for v in visits if v.deleted_at is None][::-1]
    if not live:
        st.info(tr("visits.none_yet"))
    else:
        st.dataframe(
            [
                {
                    "date": v.visited_at.astimezone(),
                    tr("visits.col_shopper"): v.shopper,
                    tr("visits.col_origin"): v.agency or tr(f"visits.origin_{v.origin}"),
                    tr("visits.col_observations"): v.observations,
                    tr("visits.col_photos"): v.photos,
                    tr("visits.col_id"): v.id,
                }
                for v in live
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "date": st.column_config.DatetimeColumn(
                    tr("visits.col_date"), format=table_datetime_format(lang())
                )
            },
        )
        _visit_detail(journey, live)
    deleted = [v for v in visits if v.deleted_at is not None]
    if deleted:
        with st.expander(tr("visits.deleted", count=len(deleted))):
            for v in deleted:
                st.button(
                    plain(
                        tr(
                            "visits.restore",
                            shopper=v.shopper,
                            date=format_date(v.visited_at, lang(), numeric=True),
                        )
                    ),
                    key=f"visits_restore_{v.id}",
                    on_click=_restore,
                    args=(journey.id, v.id),
                    icon=":material/restore_from_trash:",
                )


def _visit_detail(journey: Journey, live: list[vs.VisitSummary]) -> None:
    by_id = {v.id: v for v in live}
    picked = st.selectbox(
        tr("visits.pick"),
        list(by_id),
        format_func=lambda i: (
            f"{format_date(by_id[i].visited_at, lang(), numeric=True)} · {by_id[i].shopper}"
        ),
        index=None,
        placeholder=tr("visits.pick_hint"),
        key="visits_pick",
    )
    if not picked:
        return
    visit = vs.get_visit(journey.id, picked, store=store())
    moments, channels = _names(journey)
    for obs in visit.observations:
        with st.container(border=True):
            st.markdown(
                f"**{label('finding', obs.type)}** · {plain(moments.get(obs.moment, obs.moment))}"
                f" · {plain(channels.get(obs.channel, obs.channel))}"
            )
            st.text(obs.text)
            extra = []
            if obs.rating is not None:
                extra.append(tr("visits.rating_is", rating=obs.rating))
            if obs.wait_minutes is not None:
                extra.append(tr("visits.wait_is", minutes=f"{obs.wait_minutes:g}"))
            if extra:
                st.caption(" · ".join(extra))
            if obs.verbatim:  # as said, in quotation marks once (an agency's may have its own)
                st.caption(plain(tr("visits.verbatim", text=unquoted(obs.verbatim))))
            if obs.photos:
                with st.container(horizontal=True):
                    for photo in obs.photos:
                        show_photo(photo, 160)
    st.button(
        tr("visits.delete"),
        key="visits_delete",
        on_click=_delete,
        args=(journey.id, picked),
        icon=":material/delete:",
    )


def _delete(journey_id: str, visit_id: str) -> None:
    try:
        count = vs.delete_visit(journey_id, visit_id, store=store())
    except StoreError as exc:
        flash("error", str(exc))
        return
    st.session_state.pop("visits_pick", None)
    flash("success", tr("visits.deleted_done", count=count))


def _restore(journey_id: str, visit_id: str) -> None:
    try:
        count = vs.restore_visit(journey_id, visit_id, store=store())
    except StoreError as exc:
        flash("error", str(exc))
        return
    flash("success", tr("visits.restored_done", count=count))

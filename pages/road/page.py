"""On the road: the mystery shopper's phone form — one observation at a time, one thumb,
every field saved server-side as typed; the draft token in the URL survives a reload."""

from __future__ import annotations

from functools import partial

import streamlit as st

from journeys import services
from journeys.board.html import SYMBOLS
from journeys.contract.model import FindingType, Journey
from journeys.i18n import date_input_format, format_time
from journeys.visits.drafts import TYPED_OBSERVATION, TYPED_VISIT
from journeys.visits.photos import MAX_PHOTO_BYTES, MAX_PHOTO_MB, UPLOAD_EXTENSIONS
from pages.common.shared import FLASH, journey_titles, label, lang, selected_journey, store, tr
from pages.common.text import plain
from pages.road import state as road
from pages.road.assets import ROAD_CSS, ROAD_JS, upload_guard
from pages.road.autosave import keep_typed_text


def _journey(journey_id: str) -> Journey | None:
    try:
        return services.get_journey(journey_id, store=store())
    except services.NotFoundError:
        return None


def _start_screen() -> None:
    titles = journey_titles()
    if not titles:
        st.info(tr("road.no_journey"))
        st.stop()
    default = selected_journey()
    st.session_state.setdefault("road_start_journey", default if default in titles else None)
    jid = st.selectbox(
        tr("road.journey"),
        list(titles),
        format_func=lambda j: titles.get(j, j),
        index=None,
        placeholder=tr("road.journey_pick"),
        key="road_start_journey",
    )
    st.text_input(tr("road.shopper"), key=road.W_SHOPPER, max_chars=300)
    st.button(
        tr("road.start"),
        type="primary",
        width="stretch",
        disabled=not jid,
        on_click=road.start,
        args=(jid,),
        icon=":material/play_arrow:",
    )


def _visit_fields() -> None:
    with st.expander(tr("road.visit_section"), expanded=not road.draft().shopper):
        st.text_input(
            tr("road.shopper"),
            key=road.W_SHOPPER,
            max_chars=TYPED_VISIT["shopper"],
            on_change=road.on_visit_field,
        )
        st.date_input(
            tr("road.date"),
            key=road.W_DATE,
            format=date_input_format(lang()),
            on_change=road.on_visit_field,
        )
        st.time_input(tr("road.time"), key=road.W_TIME, step=300, on_change=road.on_visit_field)


def _navigator(journey: Journey) -> None:
    d = road.draft()
    st.subheader(
        tr("road.observation_of", number=d.current + 1, total=len(d.observations)), anchor=False
    )
    with st.container(horizontal=True, gap="small", key="road_nav"):
        st.button(
            "◀",
            key="road_prev",
            disabled=d.current == 0,
            help=tr("road.previous"),
            on_click=road.go_to,
            args=(d.current - 1, journey),
        )
        st.button(
            "▶",
            key="road_next",
            disabled=d.current >= len(d.observations) - 1,
            help=tr("road.next"),
            on_click=road.go_to,
            args=(d.current + 1, journey),
        )
        st.button(
            tr("road.add"),
            key="road_add",
            icon=":material/add:",
            on_click=road.add_observation,
            args=(journey,),
        )


def _cell_fields(journey: Journey) -> None:
    obs = road.current()
    on = partial(_on, journey=journey)
    moments = {m.id: ("★ " if m.key else "") + m.label for m in journey.moments}
    channels = {c.id: c.label for c in journey.channels}
    st.selectbox(
        tr("field.moment"),
        list(moments),
        format_func=moments.__getitem__,
        index=None,
        placeholder=tr("road.pick"),
        key=road.W_OBS["moment"],
        **on("moment"),
    )
    st.selectbox(
        tr("field.channel"),
        list(channels),
        format_func=channels.__getitem__,
        index=None,
        placeholder=tr("road.pick"),
        key=road.W_OBS["channel"],
        **on("channel"),
    )
    cell = {
        t.id: t.label
        for t in journey.touchpoints
        if (t.moment, t.channel) == (obs.moment, obs.channel)
    }
    if len(cell) > 1:
        st.selectbox(
            tr("road.touchpoint"),
            list(cell),
            format_func=cell.__getitem__,
            index=None,
            placeholder=tr("road.pick"),
            key=road.W_OBS["touchpoint"],
            **on("touchpoint"),
        )
    elif len(cell) == 1:
        st.caption(plain(tr("road.touchpoint_is", label=next(iter(cell.values())))))
    elif obs.moment and obs.channel:
        st.caption(tr("road.touchpoint_new"))


def _on(name: str, *, journey: Journey) -> dict:
    return {"on_change": road.on_observation_field, "args": (name, journey)}


def _finding_fields(journey: Journey) -> None:
    on = partial(_on, journey=journey)
    st.segmented_control(
        tr("road.type"),
        [t.value for t in FindingType],
        format_func=lambda v: f"{SYMBOLS[FindingType(v)]} {label('finding', v)}",
        key=road.W_OBS["type"],
        width="stretch",
        **on("type"),
    )
    st.segmented_control(
        tr("field.intensity"),
        [1, 2, 3],
        format_func=lambda v: label("intensity", v),
        key=road.W_OBS["intensity"],
        required=True,
        width="stretch",
        **on("intensity"),
    )
    st.text_area(
        tr("road.text"),
        key=road.W_OBS["text"],
        max_chars=TYPED_OBSERVATION["text"],
        height=110,
        placeholder=tr("road.text_hint"),
        **on("text"),
    )
    st.segmented_control(
        tr("road.rating"),
        [1, 2, 3, 4, 5],
        format_func=lambda v: f"{v}★",
        key=road.W_OBS["rating"],
        width="stretch",
        **on("rating"),
    )
    st.text_input(
        tr("road.wait"),
        key=road.W_OBS["wait_minutes"],
        max_chars=TYPED_OBSERVATION["wait_minutes"],
        placeholder="0",
        **on("wait_minutes"),
    )
    st.text_area(
        tr("road.verbatim"),
        key=road.W_OBS["verbatim"],
        max_chars=TYPED_OBSERVATION["verbatim"],
        height=90,
        placeholder=tr("road.verbatim_hint"),
        **on("verbatim"),
    )


def _photos() -> None:
    obs = road.current()
    for index, photo in enumerate(obs.photos):
        with st.container(horizontal=True, vertical_alignment="center", key=f"road_photo_{index}"):
            road.show_photo(photo, 72)
            st.caption(plain(photo.file_name))
            st.button(
                "✕",
                key=f"road_photo_rm_{index}",
                help=tr("road.photo_remove"),
                on_click=road.remove_photo,
                args=(index,),
            )
    key = f"road_upload_{st.session_state.get(road.UPLOADS, 0)}"
    too_big = tr("road.photo_too_big", mb=MAX_PHOTO_MB, name="{name}")
    st.html(upload_guard(MAX_PHOTO_BYTES, too_big, UPLOAD_EXTENSIONS), unsafe_allow_javascript=True)
    # No `type=`: given one, Streamlit checks the file's name before the page runs and stops the
    # whole page on a name with a NUL byte. The bytes decide anyway (journeys.visits.photos), and
    # the browser's picker gets its accept list from upload_guard.
    upload = st.file_uploader(
        tr("road.photo_add", mb=MAX_PHOTO_MB), max_upload_size=MAX_PHOTO_MB, key=key
    )
    if upload is not None:
        road.take_photo(upload)
        st.rerun()


def _problems(journey: Journey) -> None:
    problems = st.session_state.get(road.PROBLEMS)
    if not problems:
        return
    lines = []
    for p in problems:
        where = (
            tr("road.problem_where", number=p.observation + 1) if p.observation is not None else ""
        )
        lines.append(f"- {where}{tr(f'road.field_{p.field}')} : {tr(f'road.problem_{p.code}')}")
    st.error(tr("road.not_sent") + "\n\n" + "\n".join(lines))


def _sent_screen(visit_id: str) -> None:
    kept = st.session_state.get(FLASH)  # just sent: say what went to the board
    st.session_state.pop(FLASH, None)
    message = kept[1] if kept else tr("road.already_sent", visit=visit_id)
    st.success(plain(message), icon=":material/task_alt:")
    st.button(
        tr("road.new_visit"),
        type="primary",
        width="stretch",
        on_click=road.new_visit,
        icon=":material/add:",
    )


def _remove(journey: Journey) -> None:
    """Deleting an observation cannot be undone: a second tap confirms it."""
    with st.container(horizontal=True, key="road_actions"):
        if not st.session_state.get(road.CONFIRM_REMOVE):
            st.button(
                tr("road.remove"),
                key="road_remove",
                icon=":material/delete:",
                on_click=road.ask_remove,
            )
            return
        st.button(
            tr("road.remove_confirm", number=road.draft().current + 1),
            key="road_remove_yes",
            icon=":material/delete_forever:",
            on_click=road.remove_observation,
            args=(journey,),
        )
        st.button(tr("road.remove_cancel"), key="road_remove_no", on_click=road.cancel_remove)


def _status() -> None:
    saved = st.session_state.get(road.SAVED_AT)
    if saved is not None:
        st.caption(tr("road.saved_at", time=format_time(saved, lang(), seconds=True)))


st.html(ROAD_CSS)
st.html(ROAD_JS, unsafe_allow_javascript=True)
with st.container(key="road_form"):
    st.title(tr("road.title"), anchor=False)
    if st.session_state.get(road.ERROR):
        st.warning(plain(st.session_state.pop(road.ERROR)))
    if not road.load(_journey):
        _start_screen()
        st.stop()
    keep_typed_text()
    sent = st.session_state.get(road.SENT)
    if sent:
        _sent_screen(sent)
        st.stop()
    journey = _journey(road.draft().journey)
    if journey is None:
        st.error(tr("road.journey_gone"))
        st.button(tr("road.new_visit"), on_click=road.new_visit)
        st.stop()
    st.caption(plain(journey.title))
    _problems(journey)
    _visit_fields()
    _navigator(journey)
    _cell_fields(journey)
    _finding_fields(journey)
    _photos()
    _status()
    _remove(journey)
    st.button(
        tr("road.send"),
        key="road_send",
        type="primary",
        width="stretch",
        icon=":material/send:",
        on_click=road.submit,
        args=(journey,),
    )

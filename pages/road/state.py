"""The road form's state: the draft in the session, its widgets, and the callbacks that save
every change server-side at once (the draft token in the URL finds it again after a reload)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import streamlit as st

from journeys.contract.model import Journey
from journeys.errors import StoreError
from journeys.visits import services as vs
from journeys.visits.drafts import (
    DraftRefused,
    ObservationDraft,
    VisitDraft,
    parse_visited_at,
    typed_digests,
)
from journeys.visits.model import Photo
from journeys.visits.photos import MAX_PHOTO_MB, PhotoRefused, clean_file_name
from pages.common.guard import query_param
from pages.common.shared import flash, store, tr
from pages.common.text import plain

PARAM = "draft"
TOKEN = "road_token"
DRAFT = "road_draft"
SENT = "road_sent"
SAVED_AT = "road_saved_at"
STORED = "road_stored"  # typed_digests of the draft as the store last took it
PROBLEMS = "road_problems"
ERROR = "road_error"
UPLOADS = "road_uploads"
CONFIRM_REMOVE = "road_confirm_remove"
W_SHOPPER, W_DATE, W_TIME = "road_shopper", "road_date", "road_time"
W_OBS = {
    name: f"road_o_{name}"
    for name in (
        "moment",
        "channel",
        "touchpoint",
        "type",
        "intensity",
        "text",
        "rating",
        "wait_minutes",
        "verbatim",
    )
}


def show_photo(photo: Photo, width: int) -> None:
    """Show a stored photo; one the browser cannot draw (HEIC, damaged) shows as its name."""
    if photo.content_type != "image/heic":
        try:
            data, _ = vs.get_photo(photo.sha256, store=store())
            st.image(data, width=width)
            return
        except (StoreError, OSError, ValueError):  # PIL cannot read it: fall back to the name
            pass
    st.caption(f"📷 {plain(photo.file_name)}")


def token() -> str | None:
    return query_param(PARAM)


def draft() -> VisitDraft:
    return st.session_state[DRAFT]


def current() -> ObservationDraft:
    d = draft()
    d.current = min(d.current, len(d.observations) - 1)
    return d.observations[d.current]


def load(journey_of: Any) -> bool:
    """Bring the URL's draft into the session (once per token); False when there is none."""
    wanted = token()
    if not wanted:
        return False
    if st.session_state.get(TOKEN) == wanted and DRAFT in st.session_state:
        return True
    try:
        info = vs.load_draft(wanted, store=store())
    except vs.NotFoundError:
        st.session_state[ERROR] = tr("road.draft_unknown")
        del st.query_params[PARAM]
        return False
    st.session_state.update({TOKEN: wanted, DRAFT: info.draft, SENT: info.visit})
    st.session_state[SAVED_AT] = info.updated_at
    st.session_state[STORED] = typed_digests(info.draft)
    st.session_state.pop(PROBLEMS, None)
    fill_visit_widgets()
    fill_observation_widgets(journey_of(info.draft.journey))
    return True


def fill_visit_widgets() -> None:
    d = draft()
    when = parse_visited_at(d.visited_at) or datetime.now()
    st.session_state[W_SHOPPER] = d.shopper
    st.session_state[W_DATE] = when.date()
    st.session_state[W_TIME] = when.time().replace(second=0, microsecond=0)


def fill_observation_widgets(journey: Journey | None) -> None:
    obs = current()
    moments = {m.id for m in journey.moments} if journey else set()
    channels = {c.id for c in journey.channels} if journey else set()
    st.session_state[W_OBS["moment"]] = obs.moment if obs.moment in moments else None
    st.session_state[W_OBS["channel"]] = obs.channel if obs.channel in channels else None
    st.session_state[W_OBS["touchpoint"]] = obs.touchpoint or None
    st.session_state[W_OBS["type"]] = obs.type or None
    st.session_state[W_OBS["intensity"]] = obs.intensity
    st.session_state[W_OBS["text"]] = obs.text
    st.session_state[W_OBS["rating"]] = obs.rating
    st.session_state[W_OBS["wait_minutes"]] = obs.wait_minutes
    st.session_state[W_OBS["verbatim"]] = obs.verbatim


def save() -> None:
    """Write the session's draft to the store (every callback ends here)."""
    try:
        vs.save_draft(st.session_state[TOKEN], draft(), store=store())
    except vs.DraftSubmitted as exc:
        st.session_state[SENT] = exc.visit
    except (DraftRefused, StoreError) as exc:
        st.session_state[ERROR] = tr("road.save_failed", detail=str(exc))
    else:
        st.session_state[SAVED_AT] = datetime.now().astimezone()
        st.session_state[STORED] = typed_digests(draft())
        st.session_state.pop(ERROR, None)


# --- callbacks -----------------------------------------------------------------------------


def start(journey_id: str) -> None:
    try:
        info = vs.new_draft(journey_id, store=store(), shopper=st.session_state.get(W_SHOPPER, ""))
    except StoreError as exc:
        st.session_state[ERROR] = str(exc)
        return
    st.query_params[PARAM] = info.token
    st.session_state.pop(TOKEN, None)


def on_visit_field() -> None:
    d = draft()
    d.shopper = (st.session_state.get(W_SHOPPER) or "")[:300]
    day: date = st.session_state.get(W_DATE) or date.today()
    hour: time = st.session_state.get(W_TIME) or time(0, 0)
    d.visited_at = datetime.combine(day, hour).isoformat(timespec="minutes")
    save()


def on_observation_field(name: str, journey: Journey) -> None:
    obs = current()
    value = st.session_state.get(W_OBS[name])
    if name in ("moment", "channel", "touchpoint", "type", "text", "wait_minutes", "verbatim"):
        setattr(obs, name, value or "")
    elif name == "intensity":
        obs.intensity = value or 2
    else:
        obs.rating = value
    if name in ("moment", "channel"):
        cell = [
            t.id for t in journey.touchpoints if (t.moment, t.channel) == (obs.moment, obs.channel)
        ]
        if obs.touchpoint not in cell:
            obs.touchpoint = cell[0] if len(cell) == 1 else ""
            st.session_state[W_OBS["touchpoint"]] = obs.touchpoint or None
    save()


def go_to(index: int, journey: Journey) -> None:
    cancel_remove()
    d = draft()
    d.current = max(0, min(index, len(d.observations) - 1))
    fill_observation_widgets(journey)
    save()


def add_observation(journey: Journey) -> None:
    d = draft()
    last = current()
    d.observations.append(ObservationDraft(moment=last.moment, channel=last.channel))
    go_to(len(d.observations) - 1, journey)


def ask_remove() -> None:
    st.session_state[CONFIRM_REMOVE] = True


def cancel_remove() -> None:
    st.session_state.pop(CONFIRM_REMOVE, None)


def remove_observation(journey: Journey) -> None:
    cancel_remove()
    d = draft()
    if len(d.observations) == 1:
        d.observations = [ObservationDraft()]
    else:
        d.observations.pop(d.current)
    go_to(min(d.current, len(d.observations) - 1), journey)


def take_photo(upload: Any) -> None:
    """Keep a photo just chosen and attach it to the observation on screen.

    Called from the page's body, not from an on_change callback: a callback can be lost when
    the upload's rerun is interrupted by another one (a field committed at the same time),
    while the uploader's value stays until it is handled here.
    """
    st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1
    try:
        photo = vs.save_photo(upload.getvalue(), upload.name, store=store())
    except PhotoRefused as exc:
        name = clean_file_name(upload.name)
        st.session_state[ERROR] = tr(f"road.photo_{exc.code}", mb=MAX_PHOTO_MB, name=name)
        return
    obs = current()
    if len(obs.photos) >= 10:
        st.session_state[ERROR] = tr("road.photo_too_many")
        return
    obs.photos = [*obs.photos, photo]
    save()


def remove_photo(index: int) -> None:
    obs = current()
    obs.photos = [p for i, p in enumerate(obs.photos) if i != index]
    save()


def submit(journey: Journey) -> None:
    try:
        visit = vs.submit_visit(st.session_state[TOKEN], store=store())
    except vs.DraftIncomplete as exc:
        st.session_state[PROBLEMS] = exc.problems
        first = next((p.observation for p in exc.problems if p.observation is not None), None)
        if first is not None and first != draft().current:
            go_to(first, journey)
        return
    except StoreError as exc:
        st.session_state[ERROR] = str(exc)
        return
    st.session_state[SENT] = visit.id
    st.session_state.pop(PROBLEMS, None)
    flash("success", tr("road.sent", count=len(visit.observations)))


def new_visit() -> None:
    shopper = draft().shopper if DRAFT in st.session_state else ""
    for key in (TOKEN, DRAFT, SENT, PROBLEMS, ERROR, SAVED_AT, STORED):
        st.session_state.pop(key, None)
    st.session_state[W_SHOPPER] = shopper
    if PARAM in st.query_params:
        del st.query_params[PARAM]

"""The board and what is around it: a refused edit and what changed, a deletion to confirm, the
emotion curve, the analysis; what they draw is cached by revision of the journey."""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from journeys import services
from journeys.board import analysis
from journeys.board.charts import emotion_figure, irritant_heatmap
from journeys.board.evidence import touchpoint_evidence
from journeys.board.fragile import uncovered_lines
from journeys.board.html import render_board
from journeys.contract.editing import changes, locate, shown
from journeys.contract.model import Journey
from journeys.data import services as data_services
from journeys.i18n import enum_label, t
from pages.board import actions as act
from pages.board.canvas import board_canvas, lanes_shown
from pages.common.shared import lang, store, tr
from pages.common.switch import instant_switch
from pages.common.text import AsIs, plain

# The journeys of the last few runs (the same objects from run to run, see pages/_shared.read)
# and their touchpoints' names (naming 400 touchpoints on every rerun showed in the bench).
_NAMED: list[tuple[Journey, dict[str, str]]] = []


def touchpoint_name(journey: Journey) -> dict[str, str]:
    """Return 'moment · channel · label' for every touchpoint (what pickers and lists show).

    Shared between runs: do not change what is returned."""
    for seen, names in _NAMED:
        if seen is journey:
            return names
    moments = {m.id: m.label for m in journey.moments}
    channels = {c.id: c.label for c in journey.channels}
    names = {
        tp.id: f"{moments[tp.moment]} · {channels[tp.channel]} · {tp.label}"
        for tp in journey.touchpoints
    }
    _NAMED.insert(0, (journey, names))
    del _NAMED[8:]
    return names


def _field(name: str) -> str:
    return tr(f"field.{name}")


def stale_panel(editable: Any) -> None:
    """An edit was refused: show what someone else changed, and let the user reapply or drop it."""
    pending = st.session_state.get(act.STALE)
    if not pending:
        return
    jid = editable.journey.id
    now, _ = locate(editable, pending["kind"], pending["ident"])
    with st.container(border=True):
        name = getattr(now or pending["seen"] or pending["mine"], "label", None) or getattr(
            now or pending["seen"] or pending["mine"], "text", ""
        )
        st.warning(
            plain(tr("board.stale_title", kind=tr(f"trash.{pending['kind']}"), label=name)),
            icon=":material/sync_problem:",
        )
        if now is None:
            st.write(tr("board.stale_deleted"))
        elif pending["mine"] is not None:
            theirs = {c.field: c for c in changes(pending["seen"], now, skip=("findings",))}
            mine = {
                c.field: c for c in changes(pending["seen"], pending["mine"], skip=("findings",))
            }
            rows = [
                {
                    tr("board.stale_col_field"): _field(name),
                    tr("board.stale_col_seen"): shown((theirs.get(name) or mine[name]).seen),
                    tr("board.stale_col_now"): shown(theirs[name].now)
                    if name in theirs
                    else tr("board.stale_same"),
                    tr("board.stale_col_mine"): shown(mine[name].now)
                    if name in mine
                    else tr("board.stale_same"),
                }
                for name in sorted(theirs.keys() | mine.keys())
            ]
            if rows:
                st.dataframe(rows, hide_index=True, width="stretch")
            else:
                st.caption(tr("board.stale_no_field"))
        else:
            st.write(tr("board.stale_delete"))
        left, right = st.columns(2)
        left.button(
            tr("board.stale_reapply"),
            on_click=act.reapply,
            args=(jid,),
            type="primary",
            disabled=now is None,
            key="board_stale_reapply",
        )
        right.button(tr("board.stale_discard"), on_click=act.discard, key="board_stale_discard")


def confirm_panel(editable: Any) -> None:
    """Deleting a moment or channel that holds touchpoints asks first."""
    pending = st.session_state.get(act.CONFIRM)
    if not pending:
        return
    jid = editable.journey.id
    with st.container(border=True):
        message = tr(
            "board.confirm_delete",
            kind=tr(f"trash.{pending['kind']}"),
            label=pending["label"],
            count=pending["count"],
        )
        st.warning(plain(message), icon=":material/delete:")
        left, right = st.columns(2)
        left.button(
            tr("board.confirm_yes"),
            type="primary",
            key="board_confirm_yes",
            on_click=act.delete,
            args=(pending["kind"], jid, pending["ident"], pending["version"], pending["label"]),
        )
        right.button(tr("board.confirm_no"), on_click=act.cancel_delete, key="board_confirm_no")


SHOW_FINDINGS = "board_show_findings"


def findings_switch() -> bool:
    """The switch that shows or hides the findings on the board (the browser hides or shows
    them at once, then the page reruns: not a fragment, whose set-up every page run would pay
    for nothing the reader sees); return whether they show."""
    return instant_switch(
        tr("board.show_findings"),
        key="board_findings_switch",
        state_key=SHOW_FINDINGS,
        target=".jb-board",
        css_class="jb-hide-findings",
        invert=True,
        default=True,
    )


def board(
    editable: Any,
    revision_key: Hashable,
    *,
    projector: bool,
    show_findings: bool,
    base: data_services.BaseLink | None = None,
    tally: dict[int, int] | None = None,
) -> None:
    """The board itself (`show_findings`: see findings_switch). On a computer, the canvas
    (pages/board/canvas: zoom, lanes, presentation, editing where you point; `tally`: the dots
    of each finding); on a phone, one block of HTML built once per revision of the journey
    (and of the subscriber base it reads, `base`)."""
    if _on_phone():  # the canvas wants a pointer and a screen's width: a phone reads the grid
        _draw_board((revision_key, lang(), projector, show_findings, base), editable.journey)
        return
    board_canvas(
        editable,
        revision_key,
        projector=projector,
        show_findings=show_findings,
        attrition=lambda: _attrition(editable.journey, base),
        base=base,
        tally=tally,
    )


# The dots on the findings of the last few revisions (of the journey: which findings may have
# some; of its workshop state: every dot cast or taken back moves it), shared by every session:
# a board reruns on every click, and the dots change far less often.
_TALLIES: dict[tuple[Hashable, int], dict[int, int]] = {}
_TALLIES_LOCK = threading.Lock()


def tally(jid: str, revision_key: Hashable, workshop: int) -> dict[int, int]:
    """The dots of each finding of `jid` (row id → dots), as of `revision_key` (the journey's)
    and `workshop` (its workshop state's revision): read once, then shared. Do not change it."""
    key = (revision_key, workshop)
    found = _TALLIES.get(key)
    if found is None:
        # Read after the revisions were: never older than they say (the watcher, comparing
        # them with the store's, reruns the page for anything newer).
        found = services.vote_tally(jid, store=store())
        with _TALLIES_LOCK:
            while len(_TALLIES) >= 16:
                _TALLIES.pop(next(iter(_TALLIES)))
            _TALLIES[key] = found
    return found


PHONE = "board_on_phone"  # whether this session's browser is a phone's (asked once)


def _on_phone() -> bool:
    """A phone's browser says "Mobi" in its User-Agent (how MDN advises to tell one)."""
    if PHONE not in st.session_state:
        agent = st.context.headers.get("User-Agent") or ""
        st.session_state[PHONE] = "Mobi" in agent
    return bool(st.session_state[PHONE])


def emotion_chart(editable: Any, revision_key: Hashable) -> None:
    """The emotion curve under the board (not while the canvas shows it in its lanes)."""
    phone = _on_phone()
    if not phone and lanes_shown():
        return
    language = lang()
    # One string to hash: Streamlit hashes a tuple item by item, on every run.
    _draw_emotion_chart(f"{revision_key!r} {language} {phone}", (editable.journey, language, phone))


# The cached drawings take their whole key as one argument: Streamlit inspects the function's
# signature again for each argument it hashes, on every call.


@st.cache_resource(max_entries=32, show_spinner=False)
def _draw_board(
    key: tuple[Hashable, str, bool, bool, data_services.BaseLink | None], _journey: Journey
) -> None:
    """Draw the board of one revision of a journey; `key`: (revision key, language, projector,
    findings shown, the base it reads). Once drawn, Streamlit replays the element from the
    cache: the HTML (700 kB for 2,000 findings) is neither built nor checked again."""
    _, lang, projector, show_findings, base = key
    html = render_board(
        _journey,
        lang=lang,
        projector=projector,
        show_findings=show_findings,
        evidence=touchpoint_evidence(_journey),
        attrition=_attrition(_journey, base),
    )
    st.html(AsIs(html))


@st.cache_resource(max_entries=32, show_spinner=False)
def _draw_emotion_chart(key: str, _drawn: tuple[Journey, str, bool]) -> None:
    """Draw the emotion curve of one revision of a journey (`key`: its revision key, language
    and whether on a phone, as one string; `_drawn`: the journey, language, on a phone);
    replayed from the cache after (no key: a keyed chart would be drawn, and its figure
    serialised, on every run). One chart, sized for the projector, in both modes: switching
    modes does not redraw it (plotly took a third of that click). On a phone, smaller type and
    short slanted labels."""
    journey, lang, phone = _drawn
    figure = emotion_figure(journey, lang=lang, projector=not phone, height=320, narrow=phone)
    st.plotly_chart(figure, config={"displayModeBar": False})


ANALYSIS = "board_analysis"  # the analysis expander, open or closed


def _attrition(
    journey: Journey, base: data_services.BaseLink | None
) -> data_services.JourneyAttrition | None:
    """What the base says of the journey's moments (None without a base); its aggregates are
    parsed once per import of the base (journeys.data.services keeps them)."""
    if base is None:
        return None
    try:
        return data_services.journey_attrition(journey, store=store(), link=base)
    except data_services.NotFoundError:  # deleted since the link was read: the board as before
        return None


def analysis_expander(
    editable: Any, revision_key: Hashable, *, base: data_services.BaseLink | None = None
) -> None:
    """The analysis of the journey, computed only while the expander is open (once per
    revision of the journey, of the base it reads, and language)."""
    journey: Journey = editable.journey
    if not journey.moments or not journey.channels:
        return
    panel = st.expander(
        tr("board.analysis"), icon=":material/insights:", key=ANALYSIS, on_change="rerun"
    )
    if not panel.open:
        return
    with panel:
        st.plotly_chart(
            _heatmap(revision_key, lang(), journey),
            config={"displayModeBar": False},
            key="board_heatmap",
        )
        for heading, items in _analysis((revision_key, base), lang(), journey):
            st.markdown(f"**{plain(heading)}** ({len(items)})")
            st.text("\n".join(f"• {item}" for item in items) or "—")


@st.cache_resource(max_entries=16, show_spinner=False)
def _heatmap(revision_key: Hashable, lang: str, _journey: Journey) -> go.Figure:
    """The heat map of one revision of a journey (shared, never changed once built)."""
    return irritant_heatmap(_journey, lang=lang)


@st.cache_data(max_entries=16, show_spinner=False)
def _analysis(
    key: tuple[Hashable, data_services.BaseLink | None], lang: str, _journey: Journey
) -> list[tuple[str, list[str]]]:
    """Titled lists of what the analysis finds in one revision of a journey (`key`: its
    revision key and the base it reads, whose uncovered fragile moments come first)."""
    journey = _journey
    names = touchpoint_name(journey)
    moments = {m.id: m.label for m in journey.moments}
    fragile = _attrition(journey, key[1])
    first = (
        []
        if fragile is None
        else [(t("board.an_fragile", lang), uncovered_lines(journey, fragile, lang))]
    )
    return first + [
        (
            t("board.an_breaks", lang),
            [f"{names[b.source]} → {names[b.target]}" for b in analysis.channel_breaks(journey)],
        ),
        (t("board.an_dead_ends", lang), [names[n] for n in analysis.dead_ends(journey)]),
        (t("board.an_unreachable", lang), [names[n] for n in analysis.unreachable(journey)]),
        (
            t("board.an_empty_moments", lang),
            [moments[m] for m in analysis.moments_without_touchpoints(journey)],
        ),
        (
            t("board.an_weak", lang),
            [
                f"{names[g.touchpoint]} ({enum_label('status', g.kind, lang)})"
                for g in analysis.gaps(journey)
                if g.touchpoint
            ],
        ),
    ]

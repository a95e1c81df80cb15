"""Every screen in step, as the board page wires it (AppTest): projector mode and the minimised
join panel live in the URL (a reload keeps them), the projector shows participants' new notes
as a counter with a tray, and the watcher knows which revision the page drew (the browser tests,
tests/e2e/test_live_board.py, watch it redraw a second screen)."""

from __future__ import annotations

import html
import json

import pytest

from journeys import services
from journeys.contract.model import FindingType, Touchpoint
from journeys.workshop import participants as p
from pages.common.shared import PROJECTOR, forget_shared_reads
from tests.ui.helpers import new_app, run

JID = "lien"
NOTE = "Le <b>code</b> promo est refusé"


@pytest.fixture
def journey(workspace) -> str:
    services.create_from_template("first_subscription.fr.journey.yaml", store=workspace, new_id=JID)
    return JID


def _open(**params: str):
    """The board of the journey, opened from a link (`params` added to the URL)."""
    at = new_app()
    at.query_params.update({"lang": "fr", "journey": JID, **params})
    return run(at)


def _projector_switch(at) -> bool:
    """Whether the page drew its projector switch on (the board follows the same value)."""
    found = [e for e in at.get("bidi_component") if e.key == "board_projector_switch"]
    assert len(found) == 1
    return json.loads(found[0].proto.json or found[0].proto.mixed.json)["checked"]


def _keys(at) -> set[str]:
    return {node.key for node in at._tree if getattr(node, "key", None)}


def _popover_label(at, key: str) -> str:
    found = [b for b in at.get("popover") if b.key == key]
    assert len(found) == 1, f"no popover {key!r}"
    return found[0].proto.popover.label


def test_a_link_in_projector_mode_opens_the_board_in_projector_mode(journey):
    at = _open(mode="projector")
    assert at.session_state[PROJECTOR] is True
    assert _projector_switch(at) is True
    assert at.query_params.get("mode") == "projector"  # kept: a reload finds it


def test_the_projector_switch_puts_the_mode_in_the_url_and_takes_it_out(journey):
    at = _open()
    assert "mode" not in at.query_params
    at.session_state[PROJECTOR] = True  # what a click on the switch stores
    run(at)
    assert at.query_params.get("mode") == "projector"
    assert at.query_params.get("journey") == JID
    at.session_state[PROJECTOR] = False
    run(at)
    assert "mode" not in at.query_params
    assert _projector_switch(at) is False


def test_the_mode_is_the_boards_alone(journey):
    at = _open(mode="projector")
    at.switch_page("pages/library/page.py")
    run(at)
    assert "mode" not in at.query_params


def test_the_projector_counts_new_notes_and_their_tray_shows_them(journey, workspace):
    code = p.open_workshop(JID, store=workspace)
    at = _open(mode="projector")
    assert _popover_label(at, "live_notes") == "Aucune nouvelle note"
    form = services.get_journey(JID, store=workspace)
    draft = p.NoteDraft(
        type=FindingType.IRRITANT,
        text=NOTE,
        moment=form.moments[0].id,
        channel=form.channels[0].id,
        author="Léa",
    )
    p.submit_note(JID, code, draft, store=workspace)
    run(at)
    assert _popover_label(at, "live_notes") == "1 nouvelle note"
    assert NOTE not in html.unescape(" ".join(h.value for h in at.get("html")))  # tray closed
    at.session_state["live_notes"] = True  # the facilitator opens the tray
    run(at)
    shown = " ".join(h.value for h in at.get("html") if "ib-note" in h.value)
    assert "Le &lt;b&gt;code&lt;/b&gt; promo est refusé" in shown  # user text stays text
    assert "Léa" in shown


def test_the_normal_view_has_no_counter_nor_join_badge(journey):
    at = _open()
    assert {"live_notes", "live_join_badge", "live_join_minimise"}.isdisjoint(_keys(at))


def test_the_join_panel_minimises_to_a_badge_and_a_reload_keeps_it_so(journey, workspace):
    code = p.format_code(p.open_workshop(JID, store=workspace))
    at = _open(mode="projector")
    assert [h for h in at.get("html") if "ib-float" in h.value]
    run(at.button(key="live_join_minimise").click())
    assert not [h for h in at.get("html") if "ib-float" in h.value]
    assert code in at.button(key="live_join_badge").label
    assert at.query_params.get("join") == "min"

    again = _open(mode="projector", join="min")  # a reload: a new session, the same URL
    assert not [h for h in again.get("html") if "ib-float" in h.value]
    run(again.button(key="live_join_badge").click())
    assert [h for h in again.get("html") if "ib-float" in h.value]
    assert "join" not in again.query_params


def test_the_watcher_knows_the_revision_the_page_drew(journey, db_url):
    at = _open()
    drawn = at.session_state["live_drawn"]
    elsewhere = services.open_store(db_url)  # another process's write: not counted by the app
    assert drawn.revision == services.get_journey_for_edit(JID, store=elsewhere).revision
    touchpoint = Touchpoint(id="appli", moment="decouverte", channel="email", label="Appli")
    services.add_touchpoint(JID, touchpoint, store=elsewhere)
    now = services.board_signature(JID, store=elsewhere)
    assert now.revision != drawn.revision
    forget_shared_reads()  # what the watcher does before it reruns the page
    run(at)
    assert at.session_state["live_drawn"].revision == now.revision
    elsewhere.dispose()

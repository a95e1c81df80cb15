"""The board's canvas through AppTest: what it is given, and what its intents do (add, move,
reorder, trash and undo, an undo refused over someone else's edit), as the browser sends them:
a trigger value holding every intent not acknowledged yet, each with its sequence number."""

from __future__ import annotations

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from journeys import services
from journeys.roles import hash_password
from pages.common.shared import PROJECTOR
from tests.ui.canvas import TEMPLATE, Browser, cards, sent
from tests.ui.canvas import store as store  # noqa: F401  (the fixture)
from tests.ui.helpers import new_app, open_page, run


@pytest.fixture
def board(store) -> AppTest:
    jid = services.create_from_template(TEMPLATE, store=store).id
    return open_page("pages/board/page.py", journey=jid)


def test_the_canvas_gets_the_board_and_a_live_part_and_no_per_card_widget(board):
    live, data = sent(board)
    assert [m["label"] for m in data["moments"]][:2] == ["Souscription", "Bienvenue"]
    assert len(data["channels"]) == 8 and len(data["cards"]) == 25
    assert live["view"]["zoom"] == "overview" and live["editable"] is True
    assert live["ack"] == {"seq": 0, "results": []} and live["history"]["undo"] is None
    assert data["full"] is False  # the overview draws no finding's words: their ids only
    assert len(board.button) + len(board.text_input) < 20  # the cards are not widgets


def test_a_touchpoint_added_in_a_cell_shows_there_and_a_repeat_is_ignored(board, store):
    browser = Browser(board)
    intent = {"type": "add", "moment": "souscription", "channel": "sms", "label": "SMS promo"}
    live = browser.send(intent)
    assert live["ack"]["seq"] == 1 and live["ack"]["results"][-1]["ok"] is True
    assert cards(board)["sms-promo"]["m"] == "souscription"
    browser.queue = [{**intent, "seq": 1}]  # sent again (no answer seen in time): ignored
    browser.send()
    journey = services.get_journey(board.session_state["app_journey"], store=store)
    assert sum(1 for tp in journey.touchpoints if tp.label == "SMS promo") == 1


def test_a_moved_card_and_a_reordered_moment_are_written_and_undone_in_reverse_order(board):
    browser = Browser(board)
    card = cards(board)["coupon-encarte"]
    data = sent(board)[1]
    renewal = next(m for m in data["moments"] if m["id"] == "renouvellement")
    live = browser.send(
        {
            "type": "move",
            "touchpoint": card["id"],
            "version": card["v"],
            "moment": "bienvenue",
            "channel": "email",
        },
        {"type": "reorder", "kind": "moment", "id": "renouvellement", "version": renewal["v"]},
    )
    # The reorder lacked its position: refused and said, the move before it kept.
    assert [r["ok"] for r in live["ack"]["results"]] == [True, False]
    assert (cards(board)["coupon-encarte"]["m"], cards(board)["coupon-encarte"]["c"]) == (
        "bienvenue",
        "email",
    )
    browser.send(
        {
            "type": "reorder",
            "kind": "moment",
            "id": "renouvellement",
            "version": renewal["v"],
            "position": 0,
        }
    )
    assert sent(board)[1]["moments"][0]["id"] == "renouvellement"
    live, _ = sent(board)
    assert live["history"]["undo"]["show"] == {
        "op": "reorder",
        "kind": "moment",
        "id": "renouvellement",
        "pos": 7,
    }
    live = browser.send({"type": "undo"})
    assert live["ack"]["results"][-1]["msg"].startswith("Annulé")
    assert sent(board)[1]["moments"][7]["id"] == "renouvellement"
    browser.send({"type": "undo"})
    assert cards(board)["coupon-encarte"]["m"] == "souscription"
    live = browser.send({"type": "redo"})
    assert cards(board)["coupon-encarte"]["m"] == "bienvenue"
    assert live["history"]["redo"] is not None  # the reorder can still be redone


def test_a_trashed_card_comes_back_with_ctrl_z(board):
    browser = Browser(board)
    card = cards(board)["coupon-encarte"]
    live = browser.send({"type": "delete", "touchpoint": card["id"], "version": card["v"]})
    assert "mis à la corbeille" in live["ack"]["results"][-1]["msg"]
    assert "coupon-encarte" not in cards(board)
    assert live["history"]["undo"]["show"]["op"] == "show"  # the canvas shows it at once
    browser.send({"type": "undo"})
    assert len(cards(board)["coupon-encarte"]["refs"]) == 1  # with its finding


def test_an_undo_that_meets_someone_elses_newer_edit_says_so_and_keeps_it(board, store):
    browser = Browser(board)
    jid = board.session_state["app_journey"]
    card = cards(board)["coupon-encarte"]
    browser.send(
        {"type": "move", "touchpoint": card["id"], "version": card["v"], "channel": "email"}
    )
    # Someone else renames the card meanwhile (another screen, another process).
    editable = services.get_journey_for_edit(jid, store=store)
    theirs = next(tp for tp in editable.journey.touchpoints if tp.id == card["id"])
    services.update_touchpoint(
        jid,
        card["id"],
        theirs.model_copy(update={"label": "Coupon renommé ailleurs", "findings": []}),
        store=store,
        expected_version=editable.touchpoint_versions[card["id"]],
    )
    live = browser.send({"type": "undo"})
    result = live["ack"]["results"][-1]
    assert result["ok"] is False and "Rien n'a été annulé" in result["msg"]
    now = cards(board)[card["id"]]
    assert (now["label"], now["c"]) == ("Coupon renommé ailleurs", "email")
    assert live["history"]["undo"] is None  # dropped, never forced later


def test_the_second_of_two_screens_moving_one_card_is_told_and_sees_the_winner(board, store):
    jid = board.session_state["app_journey"]
    card = cards(board)["coupon-encarte"]
    other = open_page("pages/board/page.py", journey=jid)  # a second screen, its own session
    Browser(other).send(
        {"type": "move", "touchpoint": card["id"], "version": card["v"], "channel": "sms"}
    )
    live = Browser(board).send(  # the same version: the card moved meanwhile
        {"type": "move", "touchpoint": card["id"], "version": card["v"], "channel": "email"}
    )
    result = live["ack"]["results"][-1]
    assert result["ok"] is False and "quelqu'un d'autre" in result["msg"]
    assert cards(board)[card["id"]]["c"] == "sms"  # the winner's cell, on this screen too


def test_zoom_lanes_and_presentation_go_to_the_url_and_back_from_it(board, store):
    browser = Browser(board)
    browser.view(zoom="detail", lanes=True, present=False)
    assert board.query_params["zoom"] == "detail" and board.query_params["lanes"] == "1"
    assert sent(board)[1]["full"] is True  # zoomed in: the findings' words come along
    browser.view(zoom="detail", lanes=True, present=True)
    assert board.session_state[PROJECTOR] is True
    assert board.query_params["present"] == "souscription"
    # A reload, or the same link on a second screen: a new session reads the URL.
    jid = board.session_state["app_journey"]
    again = new_app()  # the link opens the board of that journey, its parameters kept
    again.query_params.update(
        {"journey": jid, "zoom": "cards", "lanes": "1", "mode": "projector"}
        | {"present": "renouvellement"}
    )
    run(again)
    live, _ = sent(again)
    assert live["view"] == {"zoom": "cards", "lanes": True, "present": True, "editing": False}
    assert live["projector"] is True and live["presenting"] == "renouvellement"


def test_bad_intents_never_reach_the_store_and_say_why(board):
    live = Browser(board).send(
        {"type": "move", "touchpoint": "nope", "version": 1},
        {"type": 3},
        {"type": "add", "moment": "souscription", "channel": "sms", "label": "x" * 400},
    )
    assert [r["ok"] for r in live["ack"]["results"]] == [False, False, False]
    assert "n'existe plus" in live["ack"]["results"][0]["msg"]
    assert len(cards(board)) == 25


def test_a_reader_sees_the_canvas_read_only_and_its_intents_are_refused(store, monkeypatch):
    jid = services.create_from_template(TEMPLATE, store=store).id
    monkeypatch.setenv("JOURNEYS_AUTH", "password")
    monkeypatch.setenv("JOURNEYS_EDITOR_PASSWORD_HASH", hash_password("atelier"))
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    try:
        reader = open_page("pages/board/page.py", journey=jid)
        live, _ = sent(reader)
        assert live["editable"] is False
        card = cards(reader)["coupon-encarte"]
        live = Browser(reader).send(
            {"type": "delete", "touchpoint": card["id"], "version": card["v"]}
        )
    finally:
        config.set_option("server.address", before)
    assert "Lecture seule" in live["ack"]["results"][-1]["msg"]
    assert "coupon-encarte" in cards(reader)


def test_follow_me_moves_a_second_screen_through_the_store_and_the_timer_shows_on_both(
    board, store
):
    jid = board.session_state["app_journey"]
    second = open_page("pages/board/page.py", journey=jid)  # another screen, its own session
    leader = Browser(board)
    leader.send({"type": "present", "moment": "renouvellement"})
    run(second)
    assert sent(second)[0]["presenting"] is None  # follow-me off: the room is not led

    leader.send({"type": "follow", "on": True}, {"type": "timer", "seconds": 600})
    leader.send({"type": "present", "moment": "pre-renouvellement"})
    assert services.workshop_state(jid, store=store).presenting == "pre-renouvellement"
    run(second)
    live, _ = sent(second)
    assert live["follow"] is True and live["presenting"] == "pre-renouvellement"
    assert live["timer"]["seconds"] == 600

    leader.send({"type": "follow", "on": False}, {"type": "timer", "seconds": None})
    run(second)
    live, _ = sent(second)
    assert live["follow"] is False and live["timer"] is None

"""The board's forms (the touchpoint dialog, the moments' and channels' tabs) edit through the
canvas's versioned edits: each of their edits joins this screen's undo history, so Ctrl+Z (the
canvas's undo intent) undoes the form's edit, not an older canvas edit. Edits with no canvas
operation (a moment renamed, a flow added) stay out of it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from journeys import services
from journeys.contract.model import FindingType
from tests.ui.canvas import TEMPLATE, Browser, cards, sent
from tests.ui.canvas import store as store  # noqa: F401  (the fixture)
from tests.ui.helpers import open_page, run

TP = "coupon-encarte"  # a touchpoint of the template, with one finding


def _board(store) -> tuple[AppTest, str]:
    jid = services.create_from_template(TEMPLATE, store=store).id
    return open_page("pages/board/page.py", journey=jid), jid


def _touchpoint(store, jid: str, ident: str = TP):
    return next(
        (t for t in services.get_journey(jid, store=store).touchpoints if t.id == ident), None
    )


def _open_dialog(at: AppTest, ident: str = TP) -> None:
    at.session_state["board_dialog"] = ident  # what "Edit" beside the picker does
    run(at)


def _undo_says(at: AppTest) -> str:
    undo = sent(at)[0]["history"]["undo"]
    return undo["what"] if undo else ""


def test_ctrl_z_undoes_the_touchpoint_form_not_the_canvas_edit_before_it(store):
    board, jid = _board(store)
    browser = Browser(board)
    card = cards(board)[TP]
    browser.send({"type": "move", "touchpoint": TP, "version": card["v"], "channel": "email"})
    _open_dialog(board)
    version = services.get_journey_for_edit(jid, store=store).touchpoint_versions[TP]
    form = f"board_tp_{TP}_{version}"
    board.text_input(key=f"{form}_owner").input("Service client")
    run(board.button(key=f"{form}_submit").click())
    assert _touchpoint(store, jid).owner == "Service client"
    assert "Coupon" in _undo_says(board) and "modifié" in _undo_says(board)

    live = browser.send({"type": "undo"})
    assert live["ack"]["results"][-1]["ok"] is True
    undone = _touchpoint(store, jid)
    assert (undone.owner, undone.channel) == ("Marketing de l'offre", "email")  # not the move
    browser.send({"type": "redo"})
    assert _touchpoint(store, jid).owner == "Service client"
    browser.send({"type": "undo"}, {"type": "undo"})
    assert _touchpoint(store, jid).channel == "courrier"  # then the move before it


def test_a_touchpoint_added_by_the_form_goes_with_ctrl_z_and_comes_back(store):
    board, jid = _board(store)
    run(board.button(key="board_add_tp_open").click())
    board.selectbox(key="board_add_tp_moment").set_value("bienvenue")
    board.selectbox(key="board_add_tp_channel").set_value("sms")
    board.text_input(key="board_add_tp_label").input("SMS de bienvenue")
    run(board.button(key="board_add_tp_submit").click())
    assert _touchpoint(store, jid, "sms-de-bienvenue") is not None
    browser = Browser(board)
    browser.send({"type": "undo"})
    assert _touchpoint(store, jid, "sms-de-bienvenue") is None
    assert "sms-de-bienvenue" not in cards(board)
    browser.send({"type": "redo"})
    assert _touchpoint(store, jid, "sms-de-bienvenue") is not None


def test_findings_added_changed_and_trashed_by_the_form_are_undone_in_reverse_order(store):
    board, jid = _board(store)
    _open_dialog(board)
    ref = services.get_journey_for_edit(jid, store=store).finding_refs[TP][0]
    before = _touchpoint(store, jid).findings[0]
    edit = f"board_f_{ref.id}_{ref.version}"
    board.text_input(key=f"{edit}_text").input("Texte corrigé")
    run(board.button(key=f"{edit}_submit").click())
    add = f"board_add_f_{TP}"
    board.text_input(key=f"{add}_text").input("Le coupon arrive après l'échéance")
    board.radio(key=f"{add}_type").set_value(FindingType.BREAK)
    run(board.button(key=f"{add}_submit").click())
    assert [f.text for f in _touchpoint(store, jid).findings] == [
        "Texte corrigé",
        "Le coupon arrive après l'échéance",
    ]
    ref = services.get_journey_for_edit(jid, store=store).finding_refs[TP][0]
    run(board.button(key=f"board_f_{ref.id}_{ref.version}_delete").click())
    assert [f.text for f in _touchpoint(store, jid).findings] == [
        "Le coupon arrive après l'échéance"
    ]

    browser = Browser(board)
    browser.send({"type": "undo"})  # the trashed finding comes back
    assert len(_touchpoint(store, jid).findings) == 2
    browser.send({"type": "undo"})  # the added one goes
    assert [f.text for f in _touchpoint(store, jid).findings] == ["Texte corrigé"]
    browser.send({"type": "undo"})  # the first text again
    assert _touchpoint(store, jid).findings == [before]


def test_a_touchpoint_trashed_by_the_form_comes_back_with_its_findings(store):
    board, jid = _board(store)
    _open_dialog(board)
    board.checkbox(key=f"board_tp_sure_{TP}").check()
    run(board)
    run(board.button(key=f"board_tp_delete_{TP}").click())
    assert _touchpoint(store, jid) is None
    Browser(board).send({"type": "undo"})
    assert len(_touchpoint(store, jid).findings) == 1
    assert TP in cards(board)


def test_a_moment_moved_by_the_tab_goes_back_with_ctrl_z_a_rename_stays_out(store):
    board, jid = _board(store)
    board.session_state["board_edit_tab"] = "Moments de vie"
    run(board)
    run(board.button(key="board_on_moment").click())  # the first moment, one place on
    order = [m.id for m in services.get_journey(jid, store=store).moments]
    assert order[:2] == ["bienvenue", "souscription"]
    assert "déplacé" in _undo_says(board)

    moment = services.get_journey_for_edit(jid, store=store)
    first = moment.journey.moments[0]
    form = f"board_moment_{first.id}_{moment.moment_versions[first.id]}"
    board.selectbox(key="board_pick_moment").select_index(0)
    run(board)
    board.text_input(key=f"{form}_label").input("Bienvenue à bord")
    run(board.button(key=f"{form}_submit").click())
    assert services.get_journey(jid, store=store).moments[0].label == "Bienvenue à bord"
    assert "déplacé" in _undo_says(board)  # a rename is no canvas edit: not in the history

    Browser(board).send({"type": "undo"})
    moments = services.get_journey(jid, store=store).moments
    assert [m.id for m in moments][:2] == ["souscription", "bienvenue"]
    assert sent(board)[1]["moments"][0]["id"] == "souscription"

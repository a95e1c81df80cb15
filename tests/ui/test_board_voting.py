"""The facilitator's dot vote on the board (AppTest): open it with N dots per voter, close it,
open it again; clear the dots after a confirmation, and put them back; where the vote stands
(open or not, dots per voter, voters, dots cast); the facilitator's own dots on the same ballot
as the phones', findings shown as typed; a user who may not edit reads the state only."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from streamlit import config

from journeys import services
from journeys.contract.model import Finding, FindingType
from journeys.roles import hash_password
from journeys.workshop import participants as p
from journeys.workshop import votes as v
from pages.common import shared
from pages.common.shared import forget_shared_reads
from tests.ui.helpers import new_app, run, texts

JID = "premier-abonnement"
HOSTILE = "**Gras** <b>balise</b> [lien](http://x.test) :red[rouge]"
BALLOT = "board_vote_ballot"


@pytest.fixture
def journey(workspace) -> str:
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    return JID


def _board(lang: str = "fr", **params: str):
    at = new_app()
    at.query_params.update({"lang": lang, "journey": JID, **params})
    return run(at)


def _keys(at, start: str) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith(start)]


def _ref(key: str) -> int:
    return int(key.rsplit("_", 1)[1])


def test_the_facilitator_opens_the_vote_with_three_dots_and_the_phones_see_it(journey, workspace):
    at = _board()
    shown = texts(at)
    assert "Vote par gommettes" in shown and "Vote clos" in shown
    assert "5 gommettes par votant" in shown and "aucune gommette posée" in shown
    assert at.number_input(key="board_vote_dots").value == 5
    assert "Mes gommettes" in [e.label for e in at.expander]

    at.number_input(key="board_vote_dots").set_value(3)
    at = run(at.button(key="board_vote_open").click())

    summary = v.vote_summary(JID, store=workspace)
    assert (summary.open, summary.dots) == (True, 3)
    shown = texts(at)
    assert "Vote ouvert" in shown and "3 gommettes par votant" in shown
    assert "board_vote_close" in _keys(at, "board_vote_close")
    code = p.open_workshop(JID, store=workspace)
    ballot = v.phone_ballot(JID, code, "telephone-de-lea", store=workspace)
    assert (ballot.open, ballot.left) == (True, 3)


def test_the_facilitator_casts_dots_from_the_board_and_the_tally_follows(journey, workspace):
    v.open_vote(JID, store=workspace)
    v.set_dots_per_voter(JID, 3, store=workspace)
    at = _board()
    assert not _keys(at, "board_vote_plus_")  # the ballot is drawn once opened
    at.session_state[BALLOT] = True
    at = run(at)
    plus = _keys(at, "board_vote_plus_")
    assert plus and "Il vous reste 3 gommettes sur 3" in texts(at)

    at = run(at.button(key=plus[0]).click())
    at = run(at.button(key=plus[0]).click())
    at = run(at.button(key=plus[1]).click())

    assert v.vote_tally(JID, store=workspace) == {_ref(plus[0]): 2, _ref(plus[1]): 1}
    shown = texts(at)
    assert "1 votant" in shown and "3 gommettes posées" in shown
    assert "Vos 3 gommettes sont posées" in shown
    assert "salle : 2 gommettes" in shown
    assert all(at.button(key=key).disabled for key in _keys(at, "board_vote_plus_"))

    at = run(at.button(key=f"board_vote_minus_{_ref(plus[0])}").click())
    assert v.vote_tally(JID, store=workspace) == {_ref(plus[0]): 1, _ref(plus[1]): 1}
    assert "2 gommettes posées" in texts(at)


def test_the_room_s_dots_from_phones_show_in_the_panel_and_on_the_board(journey, workspace):
    v.open_vote(JID, store=workspace)
    code = p.open_workshop(JID, store=workspace)
    refs = services.get_journey_for_edit(JID, store=workspace).finding_refs
    problem = next(
        ref.id
        for tp in services.get_journey(JID, store=workspace).touchpoints
        for ref, f in zip(refs[tp.id], tp.findings, strict=True)
        if f.type is not FindingType.DELIGHT
    )
    for token in ("telephone-de-lea", "telephone-de-max"):
        v.phone_cast(JID, code, token, problem, store=workspace)

    at = _board()
    assert "2 votants" in texts(at) and "2 gommettes posées" in texts(at)


def test_closing_the_vote_stops_casting_and_it_can_be_opened_again(journey, workspace):
    v.open_vote(JID, store=workspace)
    at = _board()
    at.session_state[BALLOT] = True
    at = run(at)
    first = _keys(at, "board_vote_plus_")[0]
    at = run(at.button(key=first).click())

    at = run(at.button(key="board_vote_close").click())
    assert v.vote_summary(JID, store=workspace).open is False
    shown = texts(at)
    assert "Vote clos" in shown and "1 gommette posée" in shown
    assert "Le vote est clos : ouvrez-le pour poser vos gommettes." in shown
    assert all(at.button(key=key).disabled for key in _keys(at, "board_vote_plus_"))
    assert all(at.button(key=key).disabled for key in _keys(at, "board_vote_minus_"))
    assert v.vote_tally(JID, store=workspace) == {_ref(first): 1}

    assert at.button(key="board_vote_open").label == "Rouvrir le vote"
    at = run(at.button(key="board_vote_open").click())
    assert v.vote_summary(JID, store=workspace).open is True
    at = run(at.button(key=first).click())
    assert v.vote_tally(JID, store=workspace) == {_ref(first): 2}


def test_a_dot_cast_on_a_vote_closed_meanwhile_is_refused_with_a_message(journey, workspace):
    v.open_vote(JID, store=workspace)
    at = _board()
    at.session_state[BALLOT] = True
    at = run(at)
    first = _keys(at, "board_vote_plus_")[0]
    v.close_vote(JID, store=workspace)  # from another screen

    at = run(at.button(key=first).click())
    assert "Le vote est clos" in texts(at)
    assert v.vote_tally(JID, store=workspace) == {}


def test_changing_the_dots_per_voter_applies_at_once(journey, workspace):
    v.open_vote(JID, store=workspace)
    at = _board()
    at.number_input(key="board_vote_dots").set_value(8)
    at = run(at)
    assert v.vote_summary(JID, store=workspace).dots == 8
    assert "8 gommettes par votant" in texts(at)

    v.set_dots_per_voter(JID, 2, store=workspace)  # another facilitator, elsewhere
    forget_shared_reads()  # as the board's watcher does when the workshop's revision moves
    at = run(at)
    assert at.number_input(key="board_vote_dots").value == 2


def test_clearing_the_dots_asks_first_and_they_can_be_put_back(journey, workspace):
    v.open_vote(JID, store=workspace)
    at = _board()
    at.session_state[BALLOT] = True
    at = run(at)
    plus = _keys(at, "board_vote_plus_")
    at = run(at.button(key=plus[0]).click())
    at = run(at.button(key=plus[1]).click())
    before = v.vote_tally(JID, store=workspace)

    at = run(at.button(key="board_vote_clear").click())
    assert "Effacer les 2 gommettes posées ?" in texts(at)
    assert v.vote_tally(JID, store=workspace) == before  # nothing yet
    at = run(at.button(key="board_vote_clear_no").click())
    assert "Effacer les 2 gommettes posées ?" not in texts(at)
    assert v.vote_tally(JID, store=workspace) == before

    at = run(at.button(key="board_vote_clear").click())
    at = run(at.button(key="board_vote_clear_yes").click())
    assert v.vote_tally(JID, store=workspace) == {}
    shown = texts(at)
    assert "2 gommettes effacées" in shown and "aucune gommette posée" in shown
    assert at.button(key="board_vote_restore").label == "Remettre les 2 gommettes effacées"

    at = run(at.button(key="board_vote_restore").click())
    assert v.vote_tally(JID, store=workspace) == before
    assert "2 gommettes remises." in texts(at)
    assert not _keys(at, "board_vote_restore")


def test_findings_are_shown_as_typed_in_the_facilitators_ballot(journey, workspace):
    editable = services.get_journey_for_edit(JID, store=workspace)
    touchpoint = editable.journey.touchpoints[0]
    services.add_finding(
        JID,
        touchpoint.id,
        Finding(type=FindingType.BREAK, intensity=3, text=HOSTILE),
        store=workspace,
    )
    v.open_vote(JID, store=workspace)
    at = _board()
    at.session_state[BALLOT] = True
    at = run(at)

    shown = [t.value for t in at.text]
    assert any(HOSTILE in value for value in shown)
    assert not any("<b>balise</b>" in m.value for m in at.markdown)


def test_a_reader_sees_where_the_vote_stands_but_no_control(journey, workspace, monkeypatch):
    v.open_vote(JID, store=workspace)
    v.set_dots_per_voter(JID, 4, store=workspace)
    monkeypatch.setenv("JOURNEYS_AUTH", "password")
    monkeypatch.setenv("JOURNEYS_EDITOR_PASSWORD_HASH", hash_password("atelier"))
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")  # this computer: the guest reads
    try:
        at = _board()
    finally:
        config.set_option("server.address", before)
    shown = texts(at)
    assert "Vote ouvert" in shown and "4 gommettes par votant" in shown
    assert "L'animateur ouvre et clôt le vote" in shown
    assert not _keys(at, "board_vote_")
    assert not [n for n in at.number_input if n.key == "board_vote_dots"]
    assert "Mes gommettes" not in [e.label for e in at.expander]


def test_the_panel_speaks_english(journey, workspace):
    v.open_vote(JID, store=workspace)
    at = _board(lang="en")
    shown = texts(at)
    assert "Dot voting" in shown and "Vote open" in shown and "5 dots per voter" in shown
    assert at.button(key="board_vote_close").label == "Close the vote"


def test_a_rerun_with_the_ballot_open_reads_nothing_more_from_the_database(
    journey, db_url, monkeypatch
):
    """The panel's state and the facilitator's ballot are shared reads: the board reruns on
    every click and tick, and only a write (or the watcher, for a change made elsewhere) makes
    them read again."""
    monkeypatch.setattr(shared, "SHARED_FOR", 3600.0)
    database = shared._open_store(db_url)
    v.open_vote(JID, store=database)
    at = _board()
    at.session_state[BALLOT] = True
    at = run(at)
    assert _keys(at, "board_vote_plus_")
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split())[:120])

    event.listen(database.engine, "before_cursor_execute", note)
    try:
        run(at)
    finally:
        event.remove(database.engine, "before_cursor_execute", note)
    assert seen == []

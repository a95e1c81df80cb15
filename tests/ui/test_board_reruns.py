"""A board rerun when nothing changed reads nothing from the database: the journey, the
workshop's state, the dots and the inbox are shared between runs (pages.common.shared.read) or
kept per revision; a change made elsewhere still shows once the watcher reruns the page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from streamlit.testing.v1 import AppTest

from journeys import services
from journeys.contract.model import FindingType
from journeys.workshop import participants as p
from journeys.workshop import votes as v
from pages.common import shared
from pages.common.shared import _open_store, forget_shared_reads
from tests.ui.canvas import TEMPLATE, sent
from tests.ui.helpers import new_app, open_page, run


@pytest.fixture
def store(db_url):
    return _open_store(db_url)


@pytest.fixture
def jid(store) -> str:
    return services.create_from_template(TEMPLATE, store=store).id


@contextmanager
def statements(store) -> Iterator[list[str]]:
    """The SQL statements run on the app's database inside the block."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(store.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", note)


def test_a_rerun_with_nothing_changed_reads_nothing_from_the_database(jid, store, monkeypatch):
    monkeypatch.setattr(shared, "SHARED_FOR", 3600.0)  # what a rerun within the second shares
    board = open_page("pages/board/page.py", journey=jid)
    assert [e for e in board.get("bidi_component") if e.key == "board_canvas"]
    run(board)  # its first run opened the workshop (a join code): a write
    with statements(store) as seen:
        run(board)
    assert seen == [], "\n".join(s[:120] for s in seen)


def test_the_dots_are_read_again_only_when_a_revision_moves(jid, store, db_url, monkeypatch):
    monkeypatch.setattr(shared, "SHARED_FOR", 3600.0)
    read: list[str] = []
    tally = services.vote_tally
    monkeypatch.setattr(services, "vote_tally", lambda j, **kw: read.append(j) or tally(j, **kw))
    board = open_page("pages/board/page.py", journey=jid)
    run(board)
    assert read == [jid]
    forget_shared_reads()  # as a second after: the page reads the journey and the workshop again
    run(board)
    assert read == [jid]  # neither the journey nor its workshop moved: the same dots
    elsewhere = services.open_store(db_url)
    try:
        v.open_vote(jid, store=elsewhere)  # the workshop's revision moves
    finally:
        elsewhere.dispose()
    forget_shared_reads()
    run(board)
    assert read == [jid, jid]


def test_dots_and_a_moment_presented_elsewhere_show_once_the_watcher_reruns_the_page(
    jid, store, db_url
):
    board = open_page("pages/board/page.py", journey=jid)
    elsewhere = services.open_store(db_url)  # another process's writes: not counted by the app
    try:
        editable = services.get_journey_for_edit(jid, store=elsewhere)
        ref = next(
            r.id
            for tp in editable.journey.touchpoints
            for r, f in zip(editable.finding_refs[tp.id], tp.findings, strict=True)
            if f.type is not FindingType.DELIGHT
        )
        v.open_vote(jid, store=elsewhere)
        v.cast_dot(jid, ref, v.participant_voter("telephone-1"), store=elsewhere)
        v.cast_dot(jid, ref, v.participant_voter("telephone-2"), store=elsewhere)
        moment = editable.journey.moments[1].id
        services.set_presenting(jid, moment, store=elsewhere)
        services.set_follow(jid, True, store=elsewhere)
        now = services.board_signature(jid, store=elsewhere)
    finally:
        elsewhere.dispose()
    assert board.session_state["live_drawn"].workshop != now.workshop
    forget_shared_reads()  # what the watcher does before it reruns the page
    run(board)
    live, _ = sent(board)
    assert live["tally"] == {str(ref): 2}
    assert live["presenting"] == moment and live["follow"] is True
    assert board.session_state["live_drawn"].workshop == now.workshop
    run(board)  # and again, from what the runs share
    assert sent(board)[0]["tally"] == {str(ref): 2}


def test_a_language_picked_shows_in_the_run_it_starts(jid):
    # The page keeps the session's language for the rest of its run: the picker's callback,
    # which changes it, runs first.
    board = open_page("pages/board/page.py", journey=jid)
    assert [t.label for t in board.tabs][0] == "Points de contact"
    run(board.button_group(key="app_lang_picker").set_value("en"))
    assert [t.label for t in board.tabs][0] == "Touchpoints"
    run(board.button_group(key="app_lang_picker").set_value("fr"))
    assert [t.label for t in board.tabs][0] == "Points de contact"


# One look of the board's live watcher at the inbox, in the session of the board it watches.
_LOOK = """
import streamlit as st
from pages.board import inbox
st.session_state["moved"] = inbox.moved(st.session_state["jid"])
"""


def test_the_watcher_redraws_the_inbox_for_a_new_note_or_a_new_code_only(jid, db_url):
    board = open_page("pages/board/page.py", journey=jid)
    run(board)  # its first run opened the workshop

    def look(*, just_looked: bool = False) -> bool:
        watcher = AppTest.from_string(_LOOK)
        for key in ("inbox_drawn", "inbox_looked"):
            watcher.session_state[key] = board.session_state[key]
        if not just_looked:
            watcher.session_state["inbox_looked"] = 0.0  # a second later
        watcher.session_state["jid"] = jid
        return run(watcher).session_state["moved"]

    assert look() is False
    elsewhere = services.open_store(db_url)  # a participant's phone, through another process
    try:
        journey = services.get_journey(jid, store=elsewhere)
        draft = p.NoteDraft(
            type=FindingType.IRRITANT,
            text="Le code promo est refusé",
            moment=journey.moments[0].id,
            channel=journey.channels[0].id,
        )
        p.submit_note(jid, p.open_workshop(jid, store=elsewhere), draft, store=elsewhere)
        assert look(just_looked=True) is False  # read at most once a second
        assert look() is True
        forget_shared_reads()  # what the watcher does before it reruns the page
        run(board)
        assert [k for k in _keys(board) if k.startswith("inbox_note_")]  # the note shows
        assert look() is False
        p.rotate_join_code(jid, store=elsewhere)  # by another facilitator
        assert look() is True
    finally:
        elsewhere.dispose()


def _keys(at) -> set[str]:
    return {node.key for node in at._tree if getattr(node, "key", None)}


def test_a_link_to_a_journey_created_elsewhere_a_moment_ago_opens_it(store, db_url, monkeypatch):
    """The journey list is shared between runs for a second: a journey made meanwhile by
    another server or the CLI is looked for again rather than dropped from the link."""
    monkeypatch.setattr(shared, "SHARED_FOR", 3600.0)  # the list as this server last read it
    first = new_app()
    run(first)
    assert first.session_state["app_journey"] is None
    elsewhere = services.open_store(db_url)
    try:
        made = services.create_from_template(TEMPLATE, store=elsewhere).id
    finally:
        elsewhere.dispose()
    linked = new_app()
    linked.query_params.update({"lang": "fr", "journey": made})
    run(linked)
    run(linked)  # the home page opens the journey's board
    assert linked.session_state["app_journey"] == made
    assert [e for e in linked.get("bidi_component") if e.key == "board_canvas"]

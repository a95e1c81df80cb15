"""The board's undo: what undoes each edit, at which version, and the screen's last 50 edits."""

from __future__ import annotations

import pytest

from journeys.board.undo import LIMIT, Edit, History, Op, inverse
from journeys.contract.model import Finding, FindingType, Touchpoint

TP = Touchpoint(id="coupon", moment="renouvellement", channel="courrier", label="Coupon")
MOVED = TP.model_copy(update={"channel": "email"})
FINDING = Finding(type=FindingType.IRRITANT, intensity=2, text="Coupon trop tardif")


def test_undoing_an_added_touchpoint_trashes_it_only_at_the_version_it_was_added_at():
    added = Edit(Op.ADD_TOUCHPOINT, "coupon", after=TP, label="Coupon")
    undo = inverse(added, version=1)
    assert (undo.op, undo.ident, undo.expected, undo.before) == (
        Op.DELETE_TOUCHPOINT,
        "coupon",
        1,
        TP,
    )
    assert undo.label == "Coupon"


def test_a_trashed_touchpoint_comes_back_and_goes_again_one_version_further_each_time():
    trashed = Edit(Op.DELETE_TOUCHPOINT, "coupon", expected=4, before=TP)
    restore = inverse(trashed, version=5)
    assert (restore.op, restore.expected, restore.after) == (Op.RESTORE_TOUCHPOINT, 5, TP)
    again = inverse(restore, version=6)
    assert (again.op, again.expected, again.before) == (Op.DELETE_TOUCHPOINT, 6, TP)


def test_undoing_a_move_puts_the_card_back_over_the_version_the_move_left():
    move = Edit(Op.UPDATE_TOUCHPOINT, "coupon", expected=3, before=TP, after=MOVED)
    back = inverse(move, version=4)
    assert (back.op, back.expected, back.before, back.after) == (
        Op.UPDATE_TOUCHPOINT,
        4,
        MOVED,
        TP,
    )
    forth = inverse(back, version=5)
    assert (forth.expected, forth.before, forth.after) == (5, TP, MOVED)


def test_undoing_a_reordered_moment_moves_it_back_to_where_it_was():
    move = Edit(Op.MOVE_MOMENT, "renouvellement", expected=2, before=6, after=1)
    back = inverse(move, version=3)
    assert (back.op, back.ident, back.expected, back.before, back.after) == (
        Op.MOVE_MOMENT,
        "renouvellement",
        3,
        1,
        6,
    )
    channel = inverse(Edit(Op.MOVE_CHANNEL, "email", expected=1, before=0, after=2), version=2)
    assert (channel.op, channel.before, channel.after) == (Op.MOVE_CHANNEL, 2, 0)


def test_an_added_finding_is_undone_by_its_new_row_id_and_redone_by_restoring_that_row():
    added = Edit(Op.ADD_FINDING, "coupon", after=FINDING, touchpoint="coupon")
    undo = inverse(added, version=1, ident=812)
    assert (undo.op, undo.ident, undo.expected, undo.before) == (
        Op.DELETE_FINDING,
        812,
        1,
        FINDING,
    )
    assert undo.touchpoint == "coupon"
    redo = inverse(undo, version=2)
    assert (redo.op, redo.ident, redo.expected) == (Op.RESTORE_FINDING, 812, 2)


def test_an_edited_finding_goes_back_to_its_words():
    better = FINDING.model_copy(update={"improvement": "Envoyer le coupon à J-60"})
    edit = Edit(Op.UPDATE_FINDING, 812, expected=1, before=FINDING, after=better)
    back = inverse(edit, version=2)
    assert (back.op, back.ident, back.expected, back.before, back.after) == (
        Op.UPDATE_FINDING,
        812,
        2,
        better,
        FINDING,
    )


def test_an_addition_expects_no_version_and_an_update_needs_one():
    with pytest.raises(ValueError, match="version"):
        Edit(Op.UPDATE_TOUCHPOINT, "coupon", before=TP, after=MOVED)
    with pytest.raises(ValueError, match="version"):
        Edit(Op.ADD_TOUCHPOINT, "coupon", expected=1, after=TP)


def test_history_keeps_the_last_50_edits_and_a_new_edit_forgets_what_was_undone():
    history = History()
    for n in range(LIMIT + 5):
        history = history.done(Edit(Op.DELETE_TOUCHPOINT, f"tp-{n}", expected=1, before=TP))
    assert len(history.undo) == LIMIT
    assert history.undo[0].ident == "tp-5" and history.undo[-1].ident == f"tp-{LIMIT + 4}"

    redo = Edit(Op.RESTORE_TOUCHPOINT, "tp-54", expected=2, after=TP)
    history = history.undone(redo)
    assert len(history.undo) == LIMIT - 1 and history.redo == (redo,)
    assert history.next_undo is not None and history.next_undo.ident == "tp-53"
    assert history.next_redo == redo

    again = Edit(Op.DELETE_TOUCHPOINT, "tp-54", expected=3, before=TP)
    assert history.redone(again).undo[-1] == again and not history.redone(again).redo

    fresh = history.done(Edit(Op.DELETE_TOUCHPOINT, "autre", expected=1, before=TP))
    assert not fresh.redo  # a new edit: what was undone cannot be redone any more


def test_a_refused_undo_or_redo_is_dropped_and_the_rest_kept():
    first = Edit(Op.DELETE_TOUCHPOINT, "a", expected=1, before=TP)
    second = Edit(Op.DELETE_TOUCHPOINT, "b", expected=1, before=TP)
    history = History().done(first).done(second)
    assert history.refused_undo().undo == (first,)
    redo = Edit(Op.RESTORE_TOUCHPOINT, "b", expected=2, after=TP)
    assert History(redo=(redo,)).refused_redo().redo == ()
    assert History().next_undo is None and History().next_redo is None


def test_undoing_two_edits_of_one_card_in_a_row_follows_the_versions_the_undos_make():
    # Moved (v1 -> v2), then renamed (v2 -> v3): undoing the rename takes the card back to
    # its v2 state under a new number, v4, which the undo of the move must now expect.
    renamed = MOVED.model_copy(update={"label": "Coupon renommé"})
    history = History()
    history = history.done(
        inverse(Edit(Op.UPDATE_TOUCHPOINT, "coupon", expected=1, before=TP, after=MOVED), 2)
    )
    history = history.done(
        inverse(Edit(Op.UPDATE_TOUCHPOINT, "coupon", expected=2, before=MOVED, after=renamed), 3)
    )
    undo_rename = history.next_undo
    assert undo_rename is not None and undo_rename.follows == 2
    history = history.undone(inverse(undo_rename, version=4))
    assert history.next_undo is not None and history.next_undo.expected == 4
    history = history.undone(inverse(history.next_undo, version=5))
    # Redo the move (v5 -> v6): the redo of the rename, made at v4, now expects v6.
    redo_move = history.next_redo
    assert redo_move is not None and redo_move.expected == 5
    history = history.redone(inverse(redo_move, version=6))
    assert history.next_redo is not None and history.next_redo.expected == 6


def test_an_undo_under_someone_elses_edit_keeps_its_old_version_and_so_will_be_refused():
    # Moved (v1 -> v2); someone else edits (v2 -> v3); renamed here (v3 -> v4).
    renamed = MOVED.model_copy(update={"label": "Coupon renommé"})
    history = History().done(
        inverse(Edit(Op.UPDATE_TOUCHPOINT, "coupon", expected=1, before=TP, after=MOVED), 2)
    )
    history = history.done(
        inverse(Edit(Op.UPDATE_TOUCHPOINT, "coupon", expected=3, before=MOVED, after=renamed), 4)
    )
    assert history.next_undo is not None
    history = history.undone(inverse(history.next_undo, version=5))
    assert history.next_undo is not None and history.next_undo.expected == 2  # refused later


def test_edits_of_other_things_keep_their_versions():
    other = inverse(Edit(Op.MOVE_MOMENT, "coupon", expected=1, before=0, after=1), 2)
    history = History().done(other)
    history = history.done(
        inverse(Edit(Op.UPDATE_TOUCHPOINT, "coupon", expected=1, before=TP, after=MOVED), 2)
    )
    assert history.next_undo is not None
    history = history.undone(inverse(history.next_undo, version=3))
    assert history.next_undo == other  # a moment named like the card is another thing

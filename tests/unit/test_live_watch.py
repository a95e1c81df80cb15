"""What an open board does when its watcher reads the store's signature: redraw the page when
the journey (or the workshop state) changed, only the notes' counter when only notes did,
nothing otherwise, and never for the revision the page drew itself."""

from __future__ import annotations

from journeys.workshop.live import BoardSignature, Change, Drawn, what_changed

REV = (7, 12)


def _now(revision=REV, notes=(0, 0, 0), workshop=0) -> BoardSignature:
    new, last, version = notes
    return BoardSignature(
        revision=revision, new_notes=new, last_note=last, notes_revision=version, workshop=workshop
    )


def test_the_revision_the_page_drew_itself_asks_for_nothing():
    assert what_changed(Drawn(REV, notes=(0, 0, 0)), _now()) is Change.NONE


def test_an_edit_made_elsewhere_redraws_the_page():
    assert what_changed(Drawn(REV), _now(revision=(7, 13))) is Change.BOARD


def test_another_journey_row_under_the_same_id_redraws_the_page():
    """Deleted then imported again: a new row id, perhaps the same revision number."""
    assert what_changed(Drawn(REV), _now(revision=(8, 12))) is Change.BOARD


def test_a_new_note_only_redraws_the_counter():
    drawn = Drawn(REV, notes=(0, 0, 0))
    assert what_changed(drawn, _now(notes=(1, 41, 1))) is Change.NOTES


def test_a_note_discarded_then_another_sent_is_still_a_change():
    """Same count of new notes, same newest id is not enough: the notes' revision moved."""
    drawn = Drawn(REV, notes=(1, 41, 3))
    assert what_changed(drawn, _now(notes=(1, 41, 4))) is Change.NOTES


def test_notes_not_drawn_yet_are_a_change_of_the_notes_only():
    assert what_changed(Drawn(REV), _now(notes=(2, 5, 2))) is Change.NOTES
    assert what_changed(Drawn(REV), _now()) is Change.NOTES


def test_an_edit_and_a_note_at_once_redraw_the_page():
    assert what_changed(Drawn(REV, notes=(0, 0, 0)), _now((7, 13), (1, 1, 1))) is Change.BOARD


def test_the_workshop_state_redraws_the_page_once_the_page_drew_one():
    assert what_changed(Drawn(REV, workshop=3), _now(workshop=4)) is Change.BOARD
    # a page that drew no workshop state never reruns for it (no endless reruns)
    assert what_changed(Drawn(REV, notes=(0, 0, 0)), _now(workshop=4)) is Change.NONE


def test_seeing_the_notes_keeps_the_drawn_revision():
    drawn = Drawn(REV).seeing(_now(revision=(7, 99), notes=(2, 9, 2)))
    assert drawn == Drawn(REV, notes=(2, 9, 2))
    assert what_changed(drawn, _now(revision=(7, 99), notes=(2, 9, 2))) is Change.BOARD

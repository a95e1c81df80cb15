"""The board canvas's edits through the real store (SQLite and PostgreSQL): each edit undone
and redone through the store's versions, and never over someone else's newer edit."""

from __future__ import annotations

import pytest

from journeys import services
from journeys.board.intents import IntentError, edit_for
from journeys.board.undo import History, Op
from journeys.contract.model import Finding, FindingType

J = "premier-abonnement"


@pytest.fixture
def journey_id(store, sample_journey) -> str:
    services.import_document(sample_journey, store=store)
    return sample_journey.id


def _editable(store):
    return services.get_journey_for_edit(J, store=store)


def _do(store, history: History, intent: dict) -> History:
    """What the canvas's intent handler does with an edit: apply it, keep what undoes it."""
    edit = edit_for(intent, _editable(store))
    assert edit is not None
    return history.done(services.apply_edit(J, edit, store=store))


def _cell(store, tp: str) -> tuple[str, str]:
    found = next(t for t in _editable(store).journey.touchpoints if t.id == tp)
    return found.moment, found.channel


def _version(store, tp: str) -> int:
    return _editable(store).touchpoint_versions[tp]


def test_a_touchpoint_added_in_a_cell_is_undone_and_redone(store, journey_id):
    history = _do(
        store,
        History(),
        {"type": "add", "moment": "decouverte", "channel": "email", "label": "Bannière été"},
    )
    assert _cell(store, "banniere-ete") == ("decouverte", "email")

    history, outcome = services.undo_edit(J, history, store=store)
    assert outcome.refused is None and outcome.edit is not None
    assert outcome.edit.op is Op.DELETE_TOUCHPOINT
    assert "banniere-ete" not in _editable(store).touchpoint_versions

    history, outcome = services.redo_edit(J, history, store=store)
    assert outcome.refused is None and _cell(store, "banniere-ete") == ("decouverte", "email")
    assert len(history.undo) == 1 and not history.redo


def test_a_moved_card_goes_back_on_undo_and_forth_on_redo(store, journey_id):
    intent = {
        "type": "move",
        "touchpoint": "pub",
        "version": _version(store, "pub"),
        "moment": "souscription",
        "channel": "email",
    }
    history = _do(store, History(), intent)
    assert _cell(store, "pub") == ("souscription", "email")
    history, _ = services.undo_edit(J, history, store=store)
    assert _cell(store, "pub") == ("decouverte", "web")
    history, _ = services.redo_edit(J, history, store=store)
    assert _cell(store, "pub") == ("souscription", "email")


def test_an_undo_that_meets_someone_elses_newer_edit_is_refused_and_keeps_their_edit(
    store, journey_id
):
    seen = _version(store, "pub")
    history = _do(
        store,
        History(),
        {"type": "move", "touchpoint": "pub", "version": seen, "moment": "souscription"},
    )
    # Another screen renames the card after the move.
    theirs = next(t for t in _editable(store).journey.touchpoints if t.id == "pub")
    services.update_touchpoint(
        J,
        "pub",
        theirs.model_copy(update={"label": "Publicité renommée", "findings": []}),
        store=store,
        expected_version=_version(store, "pub"),
    )

    after, outcome = services.undo_edit(J, history, store=store)
    assert outcome.refused == "stale"
    now = next(t for t in _editable(store).journey.touchpoints if t.id == "pub")
    assert (now.label, now.moment) == ("Publicité renommée", "souscription")  # nothing undone
    assert after.undo == () and after.redo == ()  # dropped, never forced later


def test_two_screens_dragging_the_same_card_at_once_one_wins_and_the_other_is_refused(
    store, journey_id
):
    seen = _editable(store)  # both screens saw the same version
    version = seen.touchpoint_versions["pub"]
    first = edit_for(
        {"type": "move", "touchpoint": "pub", "version": version, "channel": "email"}, seen
    )
    second = edit_for(
        {"type": "move", "touchpoint": "pub", "version": version, "moment": "souscription"}, seen
    )
    assert first is not None and second is not None
    services.apply_edit(J, first, store=store)
    with pytest.raises(services.StaleVersionError):
        services.apply_edit(J, second, store=store)
    assert _cell(store, "pub") == ("decouverte", "email")  # the winner's cell


def test_a_trashed_card_comes_back_with_its_findings_on_undo(store, journey_id):
    editable = _editable(store)
    history = _do(
        store,
        History(),
        {
            "type": "delete",
            "touchpoint": "formulaire",
            "version": editable.touchpoint_versions["formulaire"],
        },
    )
    assert "formulaire" not in _editable(store).touchpoint_versions
    history, outcome = services.undo_edit(J, history, store=store)
    assert outcome.refused is None
    back = next(t for t in _editable(store).journey.touchpoints if t.id == "formulaire")
    assert len(back.findings) == 2
    history, _ = services.redo_edit(J, history, store=store)  # and trashed again
    assert "formulaire" not in _editable(store).touchpoint_versions
    history, _ = services.undo_edit(J, history, store=store)
    assert "formulaire" in _editable(store).touchpoint_versions


def test_undoing_an_addition_is_refused_once_someone_put_a_finding_on_it(store, journey_id):
    history = _do(
        store,
        History(),
        {"type": "add", "moment": "decouverte", "channel": "email", "label": "Bannière"},
    )
    services.add_finding(
        J, "banniere", Finding(type=FindingType.IRRITANT, intensity=1, text="Floue"), store=store
    )
    history, outcome = services.undo_edit(J, history, store=store)
    assert outcome.refused == "stale"
    assert "banniere" in _editable(store).touchpoint_versions


def test_a_reordered_moment_and_channel_go_back_on_undo(store, journey_id):
    editable = _editable(store)
    history = _do(
        store,
        History(),
        {
            "type": "reorder",
            "kind": "moment",
            "id": "souscription",
            "version": editable.moment_versions["souscription"],
            "position": 0,
        },
    )
    assert [m.id for m in _editable(store).journey.moments] == ["souscription", "decouverte"]
    history = _do(
        store,
        history,
        {
            "type": "reorder",
            "kind": "channel",
            "id": "email",
            "version": _editable(store).channel_versions["email"],
            "position": 0,
        },
    )
    history, _ = services.undo_edit(J, history, store=store)
    assert [c.id for c in _editable(store).journey.channels] == ["web", "email"]
    history, _ = services.undo_edit(J, history, store=store)
    assert [m.id for m in _editable(store).journey.moments] == ["decouverte", "souscription"]


def test_findings_added_edited_and_trashed_are_undone_in_reverse_order(store, journey_id):
    history = _do(
        store,
        History(),
        {"type": "finding_add", "touchpoint": "pub", "ftype": "delight", "text": "Belle photo"},
    )
    ref = _editable(store).finding_refs["pub"][0]
    history = _do(
        store,
        history,
        {
            "type": "finding_edit",
            "ref": ref.id,
            "version": ref.version,
            "text": "Belle photo",
            "improvement": "La garder",
        },
    )
    assert _editable(store).journey.touchpoints[1].findings[0].improvement == "La garder"
    ref = _editable(store).finding_refs["pub"][0]
    history = _do(store, history, {"type": "finding_delete", "ref": ref.id, "version": ref.version})
    assert not _editable(store).finding_refs.get("pub")

    for _ in range(2):
        history, outcome = services.undo_edit(J, history, store=store)
        assert outcome.refused is None
    pub = next(t for t in _editable(store).journey.touchpoints if t.id == "pub")
    assert [(f.text, f.improvement) for f in pub.findings] == [("Belle photo", None)]
    history, _ = services.undo_edit(J, history, store=store)
    assert not _editable(store).finding_refs.get("pub")
    history, outcome = services.undo_edit(J, history, store=store)
    assert outcome.refused == "empty" and outcome.edit is None


def test_intents_about_things_that_are_gone_or_words_the_contract_refuses_say_so(store, journey_id):
    editable = _editable(store)
    with pytest.raises(IntentError) as gone:
        edit_for({"type": "move", "touchpoint": "nope", "version": 1}, editable)
    assert gone.value.key == "canvas.msg.gone"
    with pytest.raises(IntentError) as empty:
        edit_for({"type": "add", "moment": "decouverte", "channel": "web", "label": "  "}, editable)
    assert empty.value.key == "board.label_required"
    with pytest.raises(IntentError) as long:
        edit_for(
            {"type": "add", "moment": "decouverte", "channel": "web", "label": "x" * 301},
            editable,
        )
    assert long.value.key == "canvas.msg.invalid"
    with pytest.raises(IntentError):
        edit_for({"type": "drop_tables"}, editable)
    with pytest.raises(IntentError):
        edit_for({"type": "delete", "touchpoint": "pub", "version": "1"}, editable)
    unmoved = {"type": "move", "touchpoint": "pub", "version": 1, "moment": "decouverte"}
    assert edit_for(unmoved, editable) is None  # dropped where it was

"""A free KPI per moment (issue #16, lanes under the grid): in the YAML contract (written only
when set), asked for by the canvas as a versioned moment edit, undone like any other edit,
sent to the canvas with its words, and listed by `journeys diff`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from journeys.board.canvas import board_data, optimistic, texts
from journeys.board.diff import diff_journeys
from journeys.board.diff_list import diff_text
from journeys.board.intents import IntentError, edit_for
from journeys.board.undo import Edit, Op, inverse
from journeys.contract.model import Journey, Moment
from journeys.contract.yaml_io import DocumentError, dump_document, load_document
from tests.fixtures.board_samples import make_journey

KPI = "Taux de réabonnement 62 %"


@dataclass(frozen=True)
class Editable:
    """What the intents read of a journey opened for editing."""

    journey: Journey
    moment_versions: dict[str, int] = field(default_factory=dict)
    channel_versions: dict[str, int] = field(default_factory=dict)
    touchpoint_versions: dict[str, int] = field(default_factory=dict)
    finding_refs: dict[str, list] = field(default_factory=dict)
    revision: tuple[int, int] = (1, 1)


def _journey(**kpis: str) -> Journey:
    journey = make_journey()
    moments = [m.model_copy(update={"kpi": kpis.get(m.id)}) for m in journey.moments]
    return Journey.model_validate(
        journey.model_copy(update={"moments": moments}).model_dump(by_alias=True)
    )


def _editable(journey: Journey) -> Editable:
    return Editable(journey, {m.id: 3 for m in journey.moments})


# --- the contract --------------------------------------------------------------------------


def test_a_moments_kpi_is_written_after_its_description_and_read_back_identical():
    journey = _journey(souscription=KPI + ' <b>html</b> « € » "q"\nligne 2')
    moments = [m.model_copy(update={"description": "Clé"}) for m in journey.moments]
    journey = journey.model_copy(update={"moments": moments})
    text = dump_document(journey)
    assert "  description: Clé\n  kpi: |-\n    Taux de réabonnement 62 % <b>html</b>" in text
    assert load_document(text) == journey
    assert dump_document(load_document(text)) == text


def test_a_moment_without_kpi_writes_no_kpi_key_at_all():
    text = dump_document(make_journey())
    assert "kpi" not in text
    assert all(m.kpi is None for m in load_document(text).moments)


def test_a_kpi_longer_than_any_text_or_holding_nul_is_refused_naming_the_field():
    yaml_text = dump_document(_journey(souscription="x"))
    with pytest.raises(DocumentError) as long:
        load_document(yaml_text.replace("kpi: x", "kpi: " + "y" * 5001))
    assert "moments[1].kpi" in str(long.value) and ":15:" in str(long.value)
    with pytest.raises(ValueError):
        Moment(id="a", label="A", kpi="avant\x00après")


# --- the canvas's intent -------------------------------------------------------------------


def test_typing_a_kpi_in_the_lane_is_a_versioned_moment_edit_that_undoes_itself():
    journey = make_journey()
    intent = {"type": "moment", "moment": "souscription", "field": "kpi", "value": f"  {KPI} "}
    edit = edit_for({**intent, "version": 3}, _editable(journey))
    assert edit is not None
    assert (edit.op, edit.ident, edit.expected, edit.label) == (
        Op.UPDATE_MOMENT,
        "souscription",
        3,
        "Souscription",
    )
    assert isinstance(edit.after, Moment) and edit.after.kpi == KPI
    assert edit.after.model_copy(update={"kpi": None}) == edit.before
    assert edit.thing == ("moment", "souscription")  # one thing with the moment's moves

    back = inverse(edit, version=4)
    assert (back.op, back.expected, back.before, back.after) == (
        Op.UPDATE_MOMENT,
        4,
        edit.after,
        edit.before,
    )


def test_an_empty_kpi_clears_it_and_the_same_value_again_is_nothing_to_do():
    journey = _journey(souscription=KPI)
    ask = {"type": "moment", "moment": "souscription", "field": "kpi", "version": 3}
    cleared = edit_for({**ask, "value": "   "}, _editable(journey))
    assert cleared is not None and isinstance(cleared.after, Moment)
    assert cleared.after.kpi is None
    assert edit_for({**ask, "value": None}, _editable(journey)) == cleared
    assert edit_for({**ask, "value": KPI}, _editable(journey)) is None


LABEL = {"moment": "souscription", "version": 3, "value": "x", "field": "label"}


@pytest.mark.parametrize(
    ("intent", "key"),
    [
        ({"moment": "nulle-part", "version": 1, "value": "x"}, "canvas.msg.gone"),
        ({"moment": "souscription", "version": "3", "value": "x"}, "canvas.msg.bad_intent"),
        ({"moment": "souscription", "version": 3, "value": 62}, "canvas.msg.bad_intent"),
        (LABEL, "canvas.msg.bad_intent"),
        ({"moment": "souscription", "version": 3, "value": "y" * 5001}, "canvas.kpi.too_long"),
        ({"moment": "souscription", "version": 3, "value": "a\x00b"}, "canvas.msg.invalid"),
    ],
)
def test_a_kpi_intent_the_contract_or_the_board_cannot_take_is_refused_with_its_reason(intent, key):
    with pytest.raises(IntentError) as refused:
        edit_for({"type": "moment", "field": "kpi", **intent}, _editable(make_journey()))
    assert refused.value.key == key


def test_the_refusal_of_a_long_kpi_says_the_limit_in_both_languages():
    french, english = texts("fr"), texts("en")
    assert "5 000" in french["kpi.too_long"] or "5\u202f000" in french["kpi.too_long"]
    assert "5,000" in english["kpi.too_long"]


# --- the canvas's data and words -----------------------------------------------------------


def test_the_board_sends_each_moments_kpi_only_where_there_is_one():
    journey = _journey(souscription="<b>html</b>")
    data = board_data(_editable(journey), lang="fr", evidence={}, lanes=True)
    assert data["moments"][1]["kpi"] == "<b>html</b>"  # data, never markup
    assert "kpi" not in data["moments"][0]


def test_undoing_a_kpi_shows_the_value_it_goes_back_to_before_the_server_answers():
    before = Moment(id="souscription", label="Souscription")
    after = before.model_copy(update={"kpi": KPI})
    undo = Edit(Op.UPDATE_MOMENT, "souscription", expected=4, before=after, after=before)
    assert optimistic(undo) == {"op": "kpi", "m": "souscription", "value": None}
    redo = Edit(Op.UPDATE_MOMENT, "souscription", expected=5, before=before, after=after)
    assert optimistic(redo) == {"op": "kpi", "m": "souscription", "value": KPI}


def test_the_kpi_lanes_words_come_in_both_languages():
    french, english = texts("fr"), texts("en")
    for key in ("kpi.own", "kpi.data", "kpi.add", "kpi.hint", "kpi.label", "what.update_moment"):
        assert french[key] and english[key] and french[key] != english[key], key
    assert "{label}" in french["what.update_moment"]


# --- journeys diff -------------------------------------------------------------------------


def test_journeys_diff_lists_a_moments_kpi_change_word_by_word():
    before, after = _journey(souscription="Taux 60 %"), _journey(souscription="Taux 62 %")
    changes = diff_journeys(before, after)
    assert [(c.id, [f.field for f in c.fields]) for c in changes.moments] == [
        ("souscription", ["kpi"])
    ]
    for lang, name in (("fr", "Indicateur"), ("en", "KPI")):
        text = diff_text(changes, lang, heading="H")
        assert name in text and "62" in text, text

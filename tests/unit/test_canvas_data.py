"""What the board's canvas component is given: the grid, each cell's summary, the lanes, and
the words it shows, from a journey and its versions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from journeys.board.analysis import emotion_curve
from journeys.board.canvas import (
    ZOOMS,
    Board,
    board_data,
    optimistic,
    packet,
    texts,
)
from journeys.board.evidence import touchpoint_evidence
from journeys.board.undo import Edit, Op
from journeys.contract.model import Journey, JourneyState, Touchpoint
from journeys.i18n import LANGUAGES
from tests.fixtures.board_samples import make_journey
from tests.fixtures.fragile_samples import badge, journey_attrition


@dataclass(frozen=True)
class Ref:
    id: int
    version: int


@dataclass(frozen=True)
class Editable:
    """What the board reads of a journey (services.EditableJourney's fields it uses)."""

    journey: Journey
    moment_versions: dict[str, int] = field(default_factory=dict)
    channel_versions: dict[str, int] = field(default_factory=dict)
    touchpoint_versions: dict[str, int] = field(default_factory=dict)
    finding_refs: dict[str, list[Ref]] = field(default_factory=dict)
    revision: tuple[int, int] = (3, 17)


def editable(journey: Journey) -> Editable:
    refs, n = {}, 100
    for tp in journey.touchpoints:
        refs[tp.id] = [Ref(n + i, 2) for i in range(len(tp.findings))]
        n += 10
    return Editable(
        journey,
        {m.id: 1 for m in journey.moments},
        {c.id: 4 for c in journey.channels},
        {tp.id: 7 for tp in journey.touchpoints},
        refs,
    )


def data(journey: Journey, **kw) -> dict:
    kw.setdefault("evidence", touchpoint_evidence(journey))
    return board_data(editable(journey), lang=kw.pop("lang", "fr"), **kw)


def test_every_moment_and_channel_comes_in_order_with_the_version_an_edit_must_carry():
    journey = make_journey()
    out = data(journey)
    assert [m["id"] for m in out["moments"]] == [m.id for m in journey.moments]
    assert [c["id"] for c in out["channels"]] == [c.id for c in journey.channels]
    assert out["moments"][1] == {
        "id": "souscription",
        "label": "Souscription",
        "key": True,
        "v": 1,
        "frag": None,
    }
    assert out["channels"][0]["v"] == 4 and out["journey"] == journey.id
    assert out["rev"] == "3-17" and out["lang"] == "fr"


def test_each_card_carries_its_markers_by_type_and_intensity_and_its_evidence():
    journey = make_journey()
    cards = {card["id"]: card for card in data(journey)["cards"]}
    form = cards["formulaire"]
    assert (form["m"], form["c"], form["status"], form["v"]) == (
        "souscription",
        "web",
        "poorly_handled",
        7,
    )
    # Counts by intensity (1, 2, 3), in the order of the legend: delight, irritant, break.
    assert form["marks"] == {"delight": [1, 0, 0], "irritant": [0, 0, 1], "break": [0, 1, 0]}
    assert form["ev"] == "assumed"
    assert [f["text"] for f in form["f"]] == ["Trop long", "Codes reçus lundi", "Paiement simple"]
    assert form["f"][0] == {
        "ref": 110,
        "v": 2,
        "type": "irritant",
        "i": 3,
        "text": "Trop long",
        "imp": None,
        "st": "open",
        "src": "workshop",
    }
    assert cards["email-codes"]["ev"] is None and cards["email-codes"]["marks"] == {}


def test_user_text_goes_to_the_component_as_data_never_as_markup():
    journey = make_journey()
    hostile = journey.touchpoints[0].model_copy(update={"label": "<img src=x onerror=alert(1)>"})
    journey = journey.model_copy(update={"touchpoints": [hostile, *journey.touchpoints[1:]]})
    sent = data(journey)
    assert sent["cards"][0]["label"] == "<img src=x onerror=alert(1)>"  # the JS sets textContent


def test_the_emotion_lane_follows_the_columns_and_a_target_journey_adds_its_own_curve():
    journey = make_journey()
    out = data(journey)
    assert out["lanes"]["emotion"] == [p.score for p in emotion_curve(journey)]
    assert out["lanes"]["target"] is None

    # The target keeps the current journey's moments but one; its curve sits on the same columns.
    target = journey.model_copy(
        update={
            "id": "cible",
            "state": JourneyState.TARGET,
            "derived_from": journey.id,
            "moments": journey.moments[1:],
            "touchpoints": [tp for tp in journey.touchpoints if tp.moment != "decouverte"],
        }
    )
    out = data(journey, other=target)
    scores = {p.moment: p.score for p in emotion_curve(target)}
    assert out["lanes"]["target"] == [None, scores["souscription"], scores["bienvenue"]]
    # Seen from the target, the current journey is the other curve.
    seen_from_target = data(target, other=journey)
    assert seen_from_target["lanes"]["emotion"] == [scores["souscription"], scores["bienvenue"]]
    assert seen_from_target["lanes"]["current"] == [
        p.score for p in emotion_curve(journey) if p.moment != "decouverte"
    ]


def test_fragile_moments_give_their_kpis_and_header_badge_in_the_interface_language():
    journey = make_journey()
    attrition = journey_attrition(badge("souscription", uncovered=True))
    out = data(journey, attrition=attrition)
    frag = out["moments"][1]["frag"]
    assert frag["lost"] == "−1\u00a0147 abonnés/an"
    assert frag["count"] == "−1\u00a0147"  # the overview's narrow column: the count alone
    assert frag["figures"] == ["−1\u00a0147 abonnés/an", "17\u00a0% des départs", "158\u00a0k€/an"]
    assert frag["uncovered"] is True and "Presse 2025" in frag["title"]
    assert out["moments"][0]["frag"] is None
    english = data(journey, attrition=attrition, lang="en")["moments"][1]["frag"]
    assert english["figures"][1] == "17% of losses"
    assert english["count"] == "−1,147"


def test_the_packet_puts_the_small_live_part_first_and_the_cached_board_after():
    journey = make_journey()
    board = Board.of(data(journey))
    sent = packet(board, {"ack": {"seq": 3}, "zoom": "overview"})
    live, _, static = sent.partition(b"\n")
    assert json.loads(live) == {"ack": {"seq": 3}, "zoom": "overview"}
    assert json.loads(static)["journey"] == journey.id
    assert b"\n" not in static  # one line: the component splits at the first newline
    assert board.size == len(static)


def test_undo_and_redo_tell_the_component_what_to_show_before_the_server_answers():
    tp = Touchpoint(id="coupon", moment="souscription", channel="web", label="Coupon")
    moved = tp.model_copy(update={"channel": "email"})
    assert optimistic(Edit(Op.UPDATE_TOUCHPOINT, "coupon", expected=2, before=tp, after=moved)) == {
        "op": "move",
        "tp": "coupon",
        "m": "souscription",
        "c": "email",
    }
    assert optimistic(Edit(Op.DELETE_TOUCHPOINT, "coupon", expected=1, before=tp)) == {
        "op": "hide",
        "tp": "coupon",
    }
    shown = optimistic(Edit(Op.RESTORE_TOUCHPOINT, "coupon", expected=2, after=tp))
    assert shown is not None and shown["op"] == "show" and shown["card"]["label"] == "Coupon"
    assert optimistic(Edit(Op.MOVE_MOMENT, "souscription", expected=1, before=1, after=0)) == {
        "op": "reorder",
        "kind": "moment",
        "id": "souscription",
        "pos": 0,
    }
    assert optimistic(Edit(Op.DELETE_FINDING, 4, expected=1, touchpoint="coupon")) is None
    assert optimistic(None) is None


def test_the_component_speaks_the_interface_language_and_both_catalogues_say_everything():
    french, english = texts("fr"), texts("en")
    assert french.keys() == english.keys()
    assert french["zoom.overview"] != english["zoom.overview"]
    assert french["status.missing"] == "Manquant" and english["finding.irritant"] == "Irritant"
    assert all(value and not value.startswith("canvas.") for value in french.values())
    assert set(ZOOMS) == {"overview", "compact", "cards", "detail"}
    assert set(LANGUAGES) == {"fr", "en"}


def test_timestamps_are_not_part_of_the_board_so_the_cache_key_is_the_revision():
    journey = make_journey()
    first, second = Board.of(data(journey)), Board.of(data(journey))
    assert first.body == second.body
    assert datetime.now(UTC)  # the live part carries time (the timer), never the board


def test_a_board_drawn_without_findings_gets_their_row_ids_and_each_moments_axes():
    journey = make_journey()
    form = journey.touchpoints[1]
    better = form.findings[0].model_copy(update={"improvement": "Formulaire en 3 champs"})
    form = form.model_copy(update={"findings": [better, *form.findings[1:]]})
    journey = journey.model_copy(
        update={"touchpoints": [journey.touchpoints[0], form, *journey.touchpoints[2:]]}
    )
    full, lite = data(journey), data(journey, findings=False)
    assert full["full"] is True and lite["full"] is False
    card = next(c for c in lite["cards"] if c["id"] == "formulaire")
    assert "f" not in card and card["refs"] == [110, 111, 112]
    assert card["marks"] == next(c for c in full["cards"] if c["id"] == "formulaire")["marks"]
    assert lite["lanes"]["axes"] == [[], ["Formulaire en 3 champs"], []]
    assert data(journey, findings=False, lanes=False)["lanes"]["axes"] is None  # lanes hidden
    assert len(Board.of(lite).body) < len(Board.of(full).body)


def test_a_journey_reading_a_base_gets_its_kpis_above_the_grid():
    journey = make_journey()
    assert data(journey)["kpis"] is None
    kpis = data(journey, attrition=journey_attrition(badge("souscription")))["kpis"]
    assert kpis["tiles"][0] == ["Base « Presse 2025 »", kpis["tiles"][0][1]]
    assert "04/01/2021" in kpis["tiles"][0][1] or "2021" in kpis["tiles"][0][1]
    assert kpis["tiles"][1] == ["62\u00a0%", "Réabonnement à 12 mois"]
    assert [tile[1] for tile in kpis["tiles"][2:]] == [
        "Attrition",
        "Départs involontaires (impayés)",
    ]

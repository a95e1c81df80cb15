"""Counts, emotion curve, flow graph, breaks, dead ends and gaps of a small journey."""

from __future__ import annotations

from journeys.board import analysis
from journeys.contract.model import Journey
from tests.fixtures.board_samples import make_journey


def test_journey_counts_add_up_touchpoints_and_findings_by_type():
    counts = analysis.journey_counts(make_journey())
    assert (counts.touchpoints, counts.delights, counts.irritants, counts.breaks) == (4, 2, 1, 1)
    assert counts.findings == 4


def test_counts_by_moment_follow_the_board_order_and_include_empty_moments():
    counts = analysis.counts_by_moment(make_journey())
    assert list(counts) == ["decouverte", "souscription", "bienvenue"]
    assert counts["souscription"].touchpoints == 2
    assert counts["souscription"].irritants == 1
    assert counts["bienvenue"].findings == 0


def test_emotion_curve_is_delight_intensity_minus_irritant_and_break_intensity():
    curve = analysis.emotion_curve(make_journey())
    assert [p.moment for p in curve] == ["decouverte", "souscription", "bienvenue"]
    assert [p.score for p in curve] == [2, 1 - 3 - 2, 0]
    assert curve[1].key is True
    assert (curve[1].delight, curve[1].pain) == (1, 5)


def test_pain_matrix_has_a_row_per_channel_and_a_column_per_moment():
    matrix = analysis.pain_matrix(make_journey())
    assert matrix == [[0, 5, 0], [0, 0, 0], [0, 0, 0]]


def test_flow_graph_has_touchpoints_as_nodes_and_flows_as_edges_with_breaks():
    graph = analysis.flow_graph(make_journey())
    assert set(graph.nodes) == {"pub", "formulaire", "email-codes", "appel"}
    assert graph.nodes["formulaire"]["channel"] == "web"
    assert graph.nodes["formulaire"]["column"] == 1
    assert graph.edges["formulaire", "email-codes"]["break"] is True
    assert graph.edges["pub", "formulaire"]["break"] is False


def test_channel_breaks_list_flows_marked_as_breaks_with_their_channels():
    breaks = analysis.channel_breaks(make_journey())
    assert len(breaks) == 1
    assert (breaks[0].source, breaks[0].target) == ("formulaire", "email-codes")
    assert (breaks[0].from_channel, breaks[0].to_channel) == ("web", "email")
    assert breaks[0].crosses_channel


def test_dead_end_is_a_touchpoint_entered_but_never_left_before_the_last_moment():
    assert analysis.dead_ends(make_journey()) == ["email-codes"]


def test_touchpoint_in_the_last_moment_is_not_a_dead_end():
    journey = make_journey(flows=[{"from": "pub", "to": "appel"}])
    assert analysis.dead_ends(journey) == []


def test_a_journey_without_flows_has_no_dead_ends_and_nothing_unreachable():
    journey = make_journey(flows=[])
    assert analysis.dead_ends(journey) == []
    assert analysis.unreachable(journey) == []


def test_unreachable_lists_linked_touchpoints_no_flow_from_the_start_reaches():
    journey = make_journey(
        flows=[{"from": "pub", "to": "formulaire"}, {"from": "email-codes", "to": "appel"}]
    )
    assert analysis.unreachable(journey) == ["email-codes", "appel"]


def test_empty_cells_are_listed_row_by_row():
    cells = analysis.empty_cells(make_journey())
    assert len(cells) == 9 - 4
    assert cells[0] == ("bienvenue", "web")
    assert ("souscription", "web") not in cells


def test_gaps_include_empty_cells_and_missing_or_poorly_handled_touchpoints():
    gaps = analysis.gaps(make_journey())
    kinds = {(g.kind, g.touchpoint) for g in gaps if g.kind != "empty"}
    assert kinds == {("poorly_handled", "formulaire"), ("missing", "email-codes")}
    assert sum(g.kind == "empty" for g in gaps) == 5


def test_moment_without_touchpoints_is_reported():
    journey = make_journey(
        moments=[
            {"id": "decouverte", "label": "Découverte"},
            {"id": "souscription", "label": "Souscription"},
            {"id": "bienvenue", "label": "Bienvenue"},
            {"id": "resiliation", "label": "Résiliation"},
        ]
    )
    assert analysis.moments_without_touchpoints(journey) == ["resiliation"]


def test_an_empty_journey_has_no_counts_no_curve_and_no_gaps():
    journey = Journey(id="vide", title="Vide")
    assert analysis.journey_counts(journey).touchpoints == 0
    assert analysis.emotion_curve(journey) == []
    assert analysis.gaps(journey) == []
    assert analysis.pain_matrix(journey) == []

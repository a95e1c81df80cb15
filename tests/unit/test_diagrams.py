"""DOT source of the macro and detailed program views: structure, shapes, labels, escaping."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeys.contract.model import Program, Timing
from journeys.programs.diagrams import (
    PALETTE,
    channel_colours,
    detailed_dot,
    escape,
    lines,
    macro_dot,
    timing_text,
)
from tests.fixtures.render_samples import HOSTILE, sample_journey, sample_program

QUOTED = r'"(?:[^"\\]|\\.)*"'


def node_line(dot: str, node_id: str) -> str:
    match = re.search(rf"^\s*{node_id} \[.*\];$", dot, re.M)
    assert match, f"node {node_id} not in DOT"
    return match.group(0)


def attr(line: str, name: str) -> str:
    match = re.search(rf"\b{name}=({QUOTED})", line)
    assert match, f"{name} not in {line}"
    return match.group(1)[1:-1]


def test_escape_neutralises_quotes_backslashes_entities_and_newlines() -> None:
    assert escape('a "b" \\N') == 'a \\"b\\" \\\\N'
    assert escape("x &amp; y") == "x &amp;amp; y"
    assert escape("l1\r\nl2\rl3\nl4") == "l1\\nl2\\nl3\\nl4"
    assert escape("tab\there\x00\x07\x1b[0m") == "tab here[0m"
    assert escape("<b>{a|b}</b> « Œ € » 😀") == "<b>{a|b}</b> « Œ € » 😀"


@given(st.text(max_size=60))
@settings(max_examples=200)
def test_escaped_text_never_closes_the_quoted_string(text: str) -> None:
    quoted = f'"{escape(text)}"'
    assert re.fullmatch(QUOTED, quoted)
    assert "\n" not in quoted and "\r" not in quoted


def test_lines_wraps_then_escapes_each_line() -> None:
    assert lines('un "deux" trois quatre', width=10) == 'un \\"deux\\"\\ntrois\\nquatre'
    assert lines(None, "", "a") == "a"
    assert lines("a", "b", left=True) == "a\\lb\\l"


def test_macro_view_has_one_cluster_per_phase_left_to_right() -> None:
    dot = macro_dot(sample_program(), sample_journey())
    assert 'rankdir="LR"' in dot
    assert re.findall(r"subgraph (cluster_p\d+)", dot) == ["cluster_p0", "cluster_p1", "cluster_p2"]
    # French typography: a no-break space before the colon, so the colon never starts a line.
    assert "1 · Accueil" in dot and "Moment\u00a0: Bienvenue" in dot
    assert "Moment\u00a0: Première livraison ★ (moment clé)" in dot
    assert "Objectif\u00a0: Durée de vie de l'abonné" in dot
    assert "But\u00a0: Activer 80 % des nouveaux abonnés en 30 jours" in dot
    assert "Objectif:" not in dot
    assert 'lhead="cluster_p1"' in dot and 'lhead="cluster_p2"' in dot


def test_macro_view_groups_messages_by_channel_with_timing_and_kpis() -> None:
    dot = macro_dot(sample_program(), sample_journey())
    email = node_line(dot, "p0c0")
    assert attr(email, "label").startswith("Email\\n• J0 · Email de bienvenue")
    assert attr(email, "shape") == "note"
    assert attr(node_line(dot, "p0c1"), "label").startswith("SMS")
    assert "Taux d'ouverture" in attr(node_line(dot, "p0k"), "label")
    assert "Appel d'un conseiller" in attr(node_line(dot, "p1a"), "label")
    assert "Pas encore de communication" in attr(node_line(dot, "p2e"), "label")


def test_detailed_view_draws_a_shape_per_kind_and_generated_ids() -> None:
    dot = detailed_dot(sample_program(), sample_journey())
    shapes = {f"s{i}": attr(node_line(dot, f"s{i}"), "shape") for i in range(8)}
    assert shapes == {
        "s0": "house",
        "s1": "note",
        "s2": "note",
        "s3": "box",
        "s4": "diamond",
        "s5": "note",
        "s6": "box",
        "s7": "doublecircle",
    }
    assert "dashed" in attr(node_line(dot, "s3"), "style")
    assert "email-bienvenue" not in dot.replace("Email de bienvenue", "")


def test_detailed_view_labels_links_and_connects_phases_through_connectors() -> None:
    dot = detailed_dot(sample_program(), sample_journey())
    assert re.search(r'^\s*s4 -> s5 \[label="non"\];$', dot, re.M)
    connector = re.search(r'^\s*s4 -> (x\d+) \[label="oui"\];$', dot, re.M)
    assert connector
    assert "→ 3 · Abonné activé" in attr(node_line(dot, connector.group(1)), "label")
    spine = re.findall(r"^\s*(o\d+) -> (\w+) \[style=invis, weight=5\];$", dot, re.M)
    assert spine == [("o0", "s0"), ("o1", "s3"), ("o2", "s7"), ("o3", "lg0")]
    assert "{rank=same; o0; o1; o2; o3}" in dot


def test_detailed_view_colours_steps_by_channel_and_lists_them_in_the_legend() -> None:
    prog, journey = sample_program(), sample_journey()
    dot = detailed_dot(prog, journey)
    colours = channel_colours(prog, journey)
    assert colours["web"] == PALETTE[0] and colours["email"] == PALETTE[1]
    assert attr(node_line(dot, "s1"), "fillcolor") == PALETTE[1][1]
    assert attr(node_line(dot, "s5"), "color") == PALETTE[1][0]
    assert "subgraph cluster_legend" in dot
    legend = dot[dot.index("cluster_legend") :]
    for word in (
        "Déclencheur",
        "Attente",
        "Message",
        "Décision",
        "Action",
        "Sortie",
        "Email",
        "SMS",
        "Téléphone / centre de contact",
    ):
        assert f'label="{word}"' in legend
    assert 'label="Site web"' not in legend  # not used by any step


def test_a_slice_of_the_macro_view_keeps_numbers_and_points_to_the_next_phase() -> None:
    dot = macro_dot(sample_program(), sample_journey(), phases=[1])
    assert re.findall(r"subgraph (cluster_p\d+)", dot) == ["cluster_p1"]
    assert "2 · Activation" in dot and "Accueil" not in dot
    stub = attr(node_line(dot, "pnext"), "label")
    assert squeeze_dot(stub) == "→ phase suivante\u00a0: 3 · Fin du programme"
    assert re.search(r'^\s*p1\w* -> pnext \[.*ltail="cluster_p1"', dot, re.M)
    last = macro_dot(sample_program(), sample_journey(), phases=[2])
    assert "pnext" not in last, "the last phase points nowhere"
    assert "pnext" not in macro_dot(sample_program(), sample_journey())


def test_a_slice_of_the_detailed_view_keeps_its_steps_and_connectors_only() -> None:
    dot = detailed_dot(sample_program(), sample_journey(), phases=[1], legend=False)
    assert re.findall(r"subgraph (cluster_p\d+)", dot) == ["cluster_p1"]
    assert "cluster_legend" not in dot
    drawn = set(re.findall(r"^\s*(s\d+) \[", dot, re.M))
    assert drawn == {"s3", "s4", "s5", "s6"}, "the steps of phase 2, all of them"
    connector = re.search(r'^\s*s4 -> (x\d+) \[label="oui"\];$', dot, re.M)
    assert connector, "a link to another slice ends on a labelled stub"
    assert "→ 3 · Abonné activé" in attr(node_line(dot, connector.group(1)), "label")
    legend_only = detailed_dot(sample_program(), sample_journey(), phases=[])
    assert "cluster_legend" in legend_only and "cluster_p" not in legend_only


def squeeze_dot(label: str) -> str:
    """A DOT label's lines joined with spaces (`\\n` breaks undone)."""
    return " ".join(label.split("\\n"))


def test_views_speak_the_programs_language_unless_told_otherwise() -> None:
    english = detailed_dot(sample_program(), sample_journey(), language="en")
    assert "detailed view" in english and 'label="Trigger"' in english
    assert "Objective: Subscriber lifetime" in english
    assert "vue macro" in macro_dot(sample_program())


@pytest.mark.parametrize(
    ("timing", "language", "expected"),
    [
        (Timing(anchor="start", offset_days=0), "fr", "J0"),
        (Timing(anchor="start", offset_days=3), "en", "D+3"),
        (Timing(anchor="term_end", offset_days=-30), "fr", "échéance −30 j"),
        (Timing(anchor="term_end"), "en", "term end"),
        (
            Timing(anchor="event", event="payment-failed", offset_days=2),
            "en",
            "payment-failed +2 d",
        ),
        (None, "en", ""),
    ],
)
def test_timing_reads_like_the_method(timing: Timing | None, language: str, expected: str) -> None:
    assert timing_text(timing, language) == expected


def hostile_program(text: str) -> Program:
    prog = sample_program().model_copy(deep=True)
    prog.title = text
    prog.goal = text
    prog.phases[0].label = text
    prog.phases[0].description = text
    for step in prog.steps:
        step.label = text
        step.kpi = text
    for link in prog.links:
        link.label = text
    return prog


def test_hostile_user_text_stays_inside_quoted_strings() -> None:
    for dot in (macro_dot(hostile_program(HOSTILE)), detailed_dot(hostile_program(HOSTILE))):
        without_strings = re.sub(QUOTED, '""', dot)
        assert "Œuvre" not in without_strings and "<b>" not in without_strings
        assert "{a|b}" not in without_strings and "😀" not in without_strings
        assert '\\"quote\\"' in dot and "&amp;amp;" in dot and "\\\\N" in dot
        assert re.fullmatch(r"[a-z0-9_]+", re.search(r"digraph (\S+) \{", dot).group(1))


def test_empty_program_still_gives_valid_dot() -> None:
    empty = Program(id="vide", title="Vide", objective="conversion")
    assert macro_dot(empty).rstrip().endswith("}")
    assert "cluster_legend" not in detailed_dot(empty)


def test_a_program_in_a_language_without_catalogue_is_drawn_with_english_words():
    program = sample_program().model_copy(update={"language": "de"})

    dot = macro_dot(program, sample_journey())

    assert dot == macro_dot(program.model_copy(update={"language": "en"}), sample_journey())
    assert "Objective: " in dot

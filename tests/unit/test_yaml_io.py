"""The YAML reader and writer: safety limits, messages, canonical output."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from journeys.contract.model import Journey
from journeys.contract.yaml_io import DocumentError, dump_document, load_document
from tests.strategies import documents

MINIMAL = """\
format: journeys/v1
kind: journey
id: premier-abonnement
title: Parcours premier abonnement
moments:
- id: souscription
  label: Souscription
  key: true
channels:
- id: web
  label: Site web
touchpoints:
- id: formulaire
  moment: souscription
  channel: web
  label: Formulaire de souscription en ligne
  findings:
  - type: irritant
    intensity: 2
    text: Codes d'accès reçus le lundi suivant
    source: mystery_shopper
    improvement: Envoyer les codes immédiatement par email et SMS
"""


def refusal(text: str | bytes) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        load_document(text, source="doc.yaml")
    return caught.value


def test_minimal_journey_loads_with_its_defaults():
    journey = load_document(MINIMAL)
    assert isinstance(journey, Journey)
    assert journey.touchpoints[0].status == "existing"
    assert journey.touchpoints[0].findings[0].text == "Codes d'accès reçus le lundi suivant"


def test_misspelt_field_is_refused_with_a_suggestion_and_its_line():
    error = refusal(MINIMAL.replace("touchpoints:", "touchpionts:"))
    messages = [p.describe("doc.yaml") for p in error.problems]
    assert any("doc.yaml:12:" in m and "did you mean 'touchpoints'" in m for m in messages)


def test_every_problem_of_a_document_is_listed_at_once():
    text = (
        MINIMAL.replace("intensity: 2", "intensity: 7")
        .replace("moment: souscription", "moment: souscriptio")
        .replace("source: mystery_shopper", "source: shopper")
    )
    error = refusal(text)
    paths = {p.path for p in error.problems}
    assert ("touchpoints", 0, "moment") in paths
    assert ("touchpoints", 0, "findings", 0, "intensity") in paths
    assert ("touchpoints", 0, "findings", 0, "source") in paths
    assert "touchpoints[0].findings[0].intensity" in str(error)


def test_intensity_error_names_line_and_column_of_the_value():
    error = refusal(MINIMAL.replace("intensity: 2", "intensity: 0"))
    (problem,) = error.problems
    assert (problem.line, problem.column) == (19, 16)
    assert "greater than or equal to 1" in problem.message


def test_duplicate_ids_are_refused():
    text = MINIMAL.replace(
        "channels:\n- id: web\n  label: Site web\n",
        "channels:\n- id: web\n  label: Site web\n- id: web\n  label: Web bis\n",
    )
    error = refusal(text)
    assert any("duplicate id 'web'" in p.message for p in error.problems)


def test_unknown_format_version_says_which_versions_are_supported():
    error = refusal(MINIMAL.replace("journeys/v1", "journeys/v9"))
    assert "unsupported format 'journeys/v9'" in str(error)
    assert "journeys/v1" in str(error)


def test_unknown_kind_is_refused():
    assert "unknown kind 'board'" in str(refusal(MINIMAL.replace("kind: journey", "kind: board")))


def test_billion_laughs_is_refused_at_the_first_node_reached_twice():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    error = refusal("\n".join(lines))
    # One problem, at the first anchored list: refused there, before any level was expanded.
    assert [(p.line, p.column) for p in error.problems] == [(1, 4)]
    assert "aliases" in str(error)


def test_python_tags_are_refused():
    error = refusal("!!python/object/apply:os.system ['echo hacked']")
    assert "tags" in str(error)


def test_deep_nesting_is_refused():
    assert "nesting deeper" in str(refusal("a: " + "[" * 200 + "]" * 200))


def test_windows_1252_file_is_refused_with_a_clear_hint():
    error = refusal(MINIMAL.encode("cp1252"))
    assert "Windows-1252" in str(error)
    assert error.problems[0].line == 20


def test_utf8_bom_is_accepted():
    assert load_document("\ufeff".encode() + MINIMAL.encode()).id == "premier-abonnement"


def test_binary_and_huge_files_are_refused():
    assert "binary" in str(refusal(b"\x00\x01\x02format"))
    assert "too large" in str(refusal(b"a" * (9 * 1024 * 1024)))


def test_empty_and_non_mapping_documents_are_refused():
    assert "empty" in str(refusal(""))
    assert "mapping" in str(refusal("- a\n- b\n"))


def test_numbers_where_text_is_expected_are_refused_with_a_hint():
    error = refusal(MINIMAL.replace("label: Site web", "label: 2024"))
    assert "put it in quotes" in str(error)


def test_dates_stay_text():
    journey = load_document(MINIMAL.replace("label: Site web", "label: 2026-01-15"))
    assert journey.channels[0].label == "2026-01-15"


def test_dump_is_canonical_and_stable():
    first = dump_document(load_document(MINIMAL))
    assert first == dump_document(load_document(first))
    assert first.index("format:") < first.index("kind:") < first.index("moments:")
    assert "Codes d'accès" in first  # Unicode written as is


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents)
def test_random_valid_documents_round_trip_to_identical_bytes(document):
    text = dump_document(document)
    again = load_document(text)
    assert again == document
    assert dump_document(again) == text


# --- #14 point 20: short messages, real positions --------------------------------------


def with_line(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("title: Parcours premier abonnement", "title: " + "x" * 100_000, "title"),
        ("id: premier-abonnement", "id: " + "x" * 100_000, "id"),
        ("format: journeys/v1", "format: " + "x" * 100_000, "format"),
        ("kind: journey", "kind: " + "x" * 100_000, "kind"),
        ("moment: souscription", "moment: " + "x" * 100_000, "touchpoints[0].moment"),
        ("title: Parcours premier abonnement", "title: [" + "abc, " * 30_000 + "abc]", "title"),
    ],
)
def test_a_refusal_quotes_only_the_start_of_a_huge_value(old, new, field):
    error = refusal(with_line(MINIMAL, old, new))

    message = str(error)
    assert len(message) < 1000
    assert f" {field}: " in message
    assert "x" * 80 + "…" in message or "'abc', " * 5 in message
    assert "x" * 81 not in message


def test_a_null_key_is_reported_at_its_line_and_column():
    text = with_line(MINIMAL, "title: Parcours", "null: 1\ntitle: Parcours")
    nested = with_line(MINIMAL, "  label: Site web", "  label: Site web\n  ~: x")

    top = refusal(text).problems
    inner = refusal(nested).problems

    assert [(p.line, p.column, p.path) for p in top] == [(4, 1, ())]
    assert top[0].message == "the key null is not a field name (keys are text)"
    assert [(p.line, p.column, p.path) for p in inner] == [(12, 3, ("channels", 0))]
    assert refusal(nested).problems[0].describe("doc.yaml") == (
        "doc.yaml:12:3: channels[0]: the key null is not a field name (keys are text)"
    )


def test_a_number_key_and_a_boolean_key_are_reported_where_they_are():
    text = with_line(MINIMAL, "title: Parcours", "3: a\ntrue: b\ntitle: Parcours")

    problems = refusal(text).problems

    assert [(p.line, p.column, p.message) for p in problems] == [
        (4, 1, "the key 3 is not a field name (keys are text)"),
        (5, 1, "the key true is not a field name (keys are text)"),
    ]


def test_a_number_too_long_for_python_is_refused_where_it_stands():
    text = with_line(MINIMAL, "title: Parcours premier abonnement", "title: " + "9" * 5000)

    error = refusal(text)

    assert [(p.line, p.column) for p in error.problems] == [(4, 8)]
    assert "number too long (5,000 digits)" in str(error)

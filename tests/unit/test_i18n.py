"""The two message catalogs stay in step: same keys, same placeholders, every enum labelled;
the words of the PDF and the diagrams are in them, once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from journeys import i18n
from journeys.contract.model import (
    FindingStatus,
    FindingType,
    JourneyState,
    JourneyType,
    Objective,
    Source,
    StepKind,
    TouchpointStatus,
)

# Label sets of the documents, looked up by enum value: each must be whole, even where one
# of its labels happens to read like an interface label.
DOCUMENT_ENUM_LABELS = [
    ("report.state", JourneyState),
    ("report.type", JourneyType),
    ("report.status", TouchpointStatus),
    ("report.source", Source),
    ("diagram.objective", Objective),
]


def test_both_catalogs_have_the_same_keys():
    fr, en = i18n.catalog("fr"), i18n.catalog("en")
    assert sorted(set(fr) - set(en)) == []
    assert sorted(set(en) - set(fr)) == []


def test_placeholders_match_between_languages():
    fr, en = i18n.catalog("fr"), i18n.catalog("en")
    mismatched = {
        k: (fr[k], en[k]) for k in fr if i18n.placeholders(fr[k]) != i18n.placeholders(en[k])
    }
    assert mismatched == {}


def test_no_message_is_empty():
    for lang in i18n.LANGUAGES:
        assert [k for k, v in i18n.catalog(lang).items() if not v.strip()] == []


@pytest.mark.parametrize(
    ("prefix", "enum"),
    [
        ("finding", FindingType),
        ("finding_status", FindingStatus),
        ("status", TouchpointStatus),
        ("source", Source),
        ("journey_type", JourneyType),
        ("state", JourneyState),
        ("objective", Objective),
        ("programs.kind", StepKind),
        *DOCUMENT_ENUM_LABELS,
    ],
)
def test_every_enum_value_of_the_contract_has_a_label(prefix, enum):
    for lang in i18n.LANGUAGES:
        for value in enum:
            assert f"{prefix}.{value.value}" in i18n.catalog(lang)


def test_method_words_are_french_in_the_french_catalog():
    fr = i18n.catalog("fr")
    assert fr["term.moment"] == "Moment de vie"
    assert fr["term.touchpoint"] == "Point de contact"
    assert fr["finding.break"] == "Rupture"
    assert fr["term.improvement"] == "Axe d'évolution"
    assert fr["term.program"] == "Programme relationnel"
    assert fr["state.current"] == "Parcours actuel"


def test_t_formats_placeholders_and_falls_back_to_the_key():
    assert i18n.t("board.new_notes", "en", count=3) == "3 new"
    assert i18n.t("no.such.key", "en") == "no.such.key"


def test_unknown_language_falls_back_to_french():
    assert i18n.normalise_language("de") == "fr"
    assert i18n.normalise_language("EN") == "en"
    assert i18n.normalise_language(None) == "fr"
    assert i18n.t("status.missing", "xx") == "Manquant"


def _keys_called(call: str, sources: list[Path]) -> set[str]:
    """The literal catalog keys passed to `call(...)` (a regex alternative) in `sources`."""
    pattern = rf"\b(?:{call})\(\s*\"([a-z_]+\.[a-z_.0-9]+)\""
    return {key for source in sources for key in re.findall(pattern, source.read_text("utf-8"))}


def test_every_key_the_interface_uses_is_in_the_catalogs():
    root = Path(__file__).resolve().parents[2]
    used = _keys_called("tr", [root / "app.py", *sorted((root / "pages").rglob("*.py"))])
    assert used, "no tr() call found"
    assert sorted(used - set(i18n.catalog("fr"))) == []


def test_every_key_the_core_uses_is_in_the_catalogs():
    used = _keys_called("t|word", sorted(Path(i18n.__file__).parent.rglob("*.py")))
    assert {"report.page", "diagram.legend", "compare.title_suffix"} <= used
    assert sorted(used - set(i18n.catalog("fr"))) == []


def test_document_words_are_not_a_second_copy_of_interface_words():
    fr, en = i18n.catalog("fr"), i18n.catalog("en")
    keys_of: dict[tuple[str, str], list[str]] = {}
    for key in fr:
        keys_of.setdefault((fr[key], en[key]), []).append(key)
    enum_sets = tuple(f"{prefix}." for prefix, _ in DOCUMENT_ENUM_LABELS)
    doubled = {
        key: keys_of[fr[key], en[key]]
        for key in fr
        if key.startswith(("report.", "diagram."))
        and not key.startswith(enum_sets)
        and len(keys_of[fr[key], en[key]]) > 1
    }
    assert doubled == {}


def test_french_documents_put_a_no_break_space_before_a_colon():
    assert i18n.t("diagram.colon", "fr") == "\u00a0: "
    assert i18n.t("diagram.colon", "en") == ": "


def test_numbers_are_written_as_each_language_writes_them() -> None:
    assert i18n.format_number(1234567.25, "fr", 1) == "1\u00a0234\u00a0567,2"
    assert i18n.format_number(1234567.25, "en", 1) == "1,234,567.2"
    assert i18n.format_number(1000, "en") == "1,000"
    assert i18n.format_number(-1147, "fr") == "-1\u00a0147"
    assert i18n.format_number(999, "fr") == "999"
    "1\u00a0000".encode("cp1252")  # a French Windows console prints it

"""The two message catalogs stay in step: same keys, same placeholders, every enum labelled."""

from __future__ import annotations

import pytest

from journeys import i18n
from journeys.contract.model import (
    FindingStatus,
    FindingType,
    JourneyState,
    JourneyType,
    Objective,
    Source,
    TouchpointStatus,
)


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


def test_every_key_the_interface_uses_is_in_the_catalogs():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [root / "app.py", *sorted((root / "pages").glob("*.py"))]
    used = set()
    for source in sources:
        used |= set(re.findall(r"\btr\(\s*\"([a-z_]+\.[a-z_.0-9]+)\"", source.read_text("utf-8")))
    assert used, "no tr() call found"
    assert sorted(used - set(i18n.catalog("fr"))) == []

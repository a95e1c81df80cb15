"""Text a phone kept as typed: what the browser may send back, how it lands in the draft, and the
fingerprints that tell the browser the store already holds it."""

from __future__ import annotations

import zlib

from journeys.visits.drafts import (
    ObservationDraft,
    TypedText,
    VisitDraft,
    apply_typed,
    parse_typed,
    typed_digests,
)


def draft() -> VisitDraft:
    return VisitDraft(
        journey="premier-abonnement",
        shopper="Marie",
        observations=[ObservationDraft(text="Premier"), ObservationDraft()],
    )


def test_parse_typed_keeps_only_known_text_fields_and_cuts_each_to_its_length():
    sent = [
        {"o": None, "f": "shopper", "v": "Marie Dupont"},
        {"o": 1, "f": "text", "v": "x" * 400},
        {"o": 0, "f": "verbatim", "v": "**gras** <b>x</b>"},
        {"o": 0, "f": "wait_minutes", "v": "12345678901234"},
        {"o": 0, "f": "moment", "v": "souscription"},  # chosen, never typed
        {"o": None, "f": "text", "v": "an observation's field without its observation"},
        {"o": -1, "f": "text", "v": "before the first"},
        {"o": True, "f": "text", "v": "a boolean is no index"},
        {"o": "0", "f": "text", "v": "nor is a string"},
        {"o": 0, "f": "text", "v": 12},
        "text",
        None,
    ]
    assert parse_typed(sent) == [
        TypedText(None, "shopper", "Marie Dupont"),
        TypedText(1, "text", "x" * 300),
        TypedText(0, "verbatim", "**gras** <b>x</b>"),
        TypedText(0, "wait_minutes", "123456789012"),
    ]
    assert parse_typed({"o": 0, "f": "text", "v": "not a list"}) == []
    assert parse_typed(None) == []


def test_apply_typed_writes_each_text_where_it_was_typed_and_skips_a_gone_observation():
    d = draft()
    typed = [
        TypedText(None, "shopper", "Marie Dupont"),
        TypedText(1, "text", "Second, as typed"),
        TypedText(5, "text", "An observation removed since"),
    ]
    assert apply_typed(d, typed) == typed[:2]
    assert d.shopper == "Marie Dupont"
    assert [o.text for o in d.observations] == ["Premier", "Second, as typed"]


def test_typed_digests_are_the_crc32_of_each_text_by_its_key():
    d = draft()
    d.observations[1].verbatim = "Été **très** <b>long</b> 🙂"
    digests = typed_digests(d)
    assert set(digests) == {
        "v:shopper",
        *(f"{i}:{name}" for i in (0, 1) for name in ("text", "wait_minutes", "verbatim")),
    }
    assert digests["v:shopper"] == zlib.crc32(b"Marie")
    assert digests["0:text"] == zlib.crc32(b"Premier")
    assert digests["1:verbatim"] == zlib.crc32(d.observations[1].verbatim.encode())
    assert digests["1:text"] == 0  # the empty text
    assert TypedText(1, "verbatim", "").key == "1:verbatim"
    assert TypedText(None, "shopper", "").key == "v:shopper"

"""The deck's parts without a renderer: user text made safe for the XML, diagrams split only
when too small to read, long tables continued over slides with their moment's band."""

from __future__ import annotations

import io
from datetime import date

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import nsdecls

from journeys.contract.model import Journey
from journeys.export.deck import build_journey_deck
from journeys.export.deck_media import MIN_SCALE, tiling
from journeys.export.deck_text import Span, clean, paragraphs_xml


def test_clean_keeps_the_text_and_drops_what_xml_cannot_hold():
    assert clean("a\x00b\x01c\x1bd\x7fe\ufffef") == "abcdef"
    assert clean("one\r\ntwo\rthree\x0bfour\tfive") == "one\ntwo\nthree\nfour five"
    assert clean('<b>&amp;</b> "q" ]]> 😀 « 10 € »') == '<b>&amp;</b> "q" ]]> 😀 « 10 € »'
    assert clean(None) == ""


def test_runs_are_escaped_and_parse_back_as_the_text_typed():
    text = "<b>&amp;</b> ]]> 😀\x01 « 10 € »\nligne 2"
    xml = paragraphs_xml([[Span(text, bold=True)]], 11)
    root = etree.fromstring(f"<r {nsdecls('a')}>{xml}</r>")
    runs = [t.text for t in root.iter("{*}t")]
    assert runs == ["<b>&amp;</b> ]]> 😀 « 10 € »", "ligne 2"]
    assert len(list(root.iter("{*}br"))) == 1


def test_a_diagram_is_split_only_when_one_slide_would_make_it_too_small():
    assert tiling(800, 300, 900, 400).cols == 1
    plan = tiling(3000, 400, 900, 400)
    assert (plan.cols, plan.rows) == (2, 1) and plan.scale >= MIN_SCALE
    wide_and_tall = tiling(2400, 1060, 900, 400)
    assert wide_and_tall.cols * wide_and_tall.rows == 4
    assert wide_and_tall.scale >= MIN_SCALE


def _journey_with(findings: int) -> Journey:
    return Journey.model_validate(
        {
            "id": "long",
            "title": "Long",
            "journey_type": "custom",
            "moments": [
                {"id": "a", "label": "Accueil", "key": True},
                {"id": "b", "label": "Usage"},
            ],
            "channels": [{"id": "web", "label": "Site"}],
            "touchpoints": [
                {
                    "id": "tp",
                    "moment": "b",
                    "channel": "web",
                    "label": "Espace abonné",
                    "findings": [
                        {"type": "irritant", "intensity": 2, "text": f"Constat numéro {n}"}
                        for n in range(findings)
                    ],
                }
            ],
        }
    )


def test_a_long_findings_table_goes_on_over_slides_under_its_moment_band():
    deck = build_journey_deck(_journey_with(60), generated_on=date(2025, 3, 14))
    slides = list(Presentation(io.BytesIO(deck)).slides)
    titles = [s.shapes.title.text_frame.text for s in slides]
    assert "★ Accueil" in titles, "a key moment without findings still has its slide"
    parts = [i for i, title in enumerate(titles) if title.startswith("Constats aux autres")]
    assert len(parts) > 1 and titles[parts[0]].endswith(f"(1/{len(parts)})")
    cells = [
        cell.text_frame.text
        for i in parts
        for shape in slides[i].shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    found = [text.split("\n")[0] for text in cells if text.startswith("Constat numéro")]
    assert found == [f"Constat numéro {n}" for n in range(60)]
    for i in parts:
        table = next(s.table for s in slides[i].shapes if s.has_table)
        assert table.cell(1, 0).text_frame.text.startswith("Usage —"), "the band, on every part"

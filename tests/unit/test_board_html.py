"""The board HTML: user text escaped, markers with colour and symbol, gaps, order, modes."""

from __future__ import annotations

import re

import pytest

from journeys.board.html import SYMBOLS, render_board
from journeys.contract.model import FindingStatus, FindingType, Journey
from tests.fixtures.board_samples import make_journey

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "</style><b>x</b>",
    "&amp; & < > é € 🎉",
]


def hostile_journey(text: str) -> Journey:
    return Journey.model_validate(
        {
            "id": "hostile",
            "title": text,
            "moments": [{"id": "m1", "label": text, "key": True}],
            "channels": [{"id": "c1", "label": text}],
            "touchpoints": [
                {
                    "id": "t1",
                    "moment": "m1",
                    "channel": "c1",
                    "label": text,
                    "owner": text,
                    "findings": [{"type": "irritant", "intensity": 2, "text": text}],
                }
            ],
        }
    )


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_board_escapes_every_user_text(text, lang):
    html = render_board(hostile_journey(text), lang=lang, new_notes={"t1": 1})
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>x</b>" not in html
    assert html.count("</style>") == 1
    assert "onerror=alert(1)>" not in html
    # every attribute value stays inside its quotes: no user quote closes one
    for value in re.findall(r'(?:title|aria-label)="([^"]*)"', html):
        assert "<" not in value and ">" not in value


def test_hostile_text_is_shown_as_text():
    html = render_board(hostile_journey("<script>alert(1)</script>"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_moments_are_columns_and_channels_rows_in_their_order():
    html = render_board(make_journey())
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert head.index("Découverte") < head.index("Souscription") < head.index("Bienvenue")
    body = html[html.index("<tbody>") :]
    rows = re.findall(r'<th scope="row">([^<]*)</th>', body)
    assert rows == ["Site web", "Email", "Téléphone"]


def test_reordered_channels_change_the_rows():
    journey = make_journey()
    journey.channels.reverse()
    rows = re.findall(r'<th scope="row">([^<]*)</th>', render_board(journey))
    assert rows == ["Téléphone", "Email", "Site web"]


def test_findings_show_symbol_repeated_by_intensity_and_a_class_for_colour():
    html = render_board(make_journey())
    assert '<span class="jb-mark" role="img"' in html
    assert SYMBOLS[FindingType.IRRITANT] * 3 + "</span>" in html
    assert SYMBOLS[FindingType.BREAK] * 2 + "</span>" in html
    assert SYMBOLS[FindingType.DELIGHT] * 2 + "</span>" in html
    for kind in ("delight", "irritant", "break"):
        assert f"jb-f-{kind}" in html
    assert 'aria-label="Irritant, intensité 3 sur 3"' in html


def test_empty_cells_are_marked_as_gaps():
    html = render_board(make_journey())
    # 3 × 3 board with 4 touchpoints in 4 different cells
    assert html.count('<td class="jb-gap') == 5


def test_key_moment_is_highlighted_and_its_column_tinted():
    html = render_board(make_journey())
    assert '<th scope="col" class="jb-key">' in html
    assert "jb-keycol" in html


def test_header_shows_counts_per_moment():
    html = render_board(make_journey(), lang="en")
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert "2 pts" in head
    assert f"{SYMBOLS[FindingType.IRRITANT]}1" in head


def test_statuses_have_their_own_classes_and_labels():
    html = render_board(make_journey(), lang="en", legend=False)
    assert "jb-st-poorly_handled" in html and "Poorly handled" in html
    assert "jb-st-missing" in html and "Missing" in html


def test_legend_explains_markers_and_statuses():
    html = render_board(make_journey(), lang="fr")
    legend = html[html.index('class="jb-legend"') :]
    for word in ("Bonheur", "Irritant", "Rupture", "Manquant", "Prévu", "Moment clé"):
        assert word in legend


def test_new_notes_outline_the_card_with_a_badge():
    html = render_board(make_journey(), lang="en", new_notes={"appel": 2})
    assert "jb-new" in html
    assert "2 new" in html


def test_hidden_findings_are_a_class_the_browser_can_switch():
    shown = render_board(make_journey(), lang="en")
    hidden = render_board(make_journey(), lang="en", show_findings=False)
    assert "jb-hide-findings" not in shown.split("<style>")[0]
    assert 'class="jb-board jb-hide-findings"' in hidden
    assert ".jb-hide-findings .jb-findings{display:none}" in hidden
    # the same board otherwise: switching is a class, not new HTML
    assert hidden.replace(" jb-hide-findings", "", 1) == shown


def test_projector_mode_adds_its_class_and_larger_minimum_widths():
    normal = render_board(make_journey())
    projector = render_board(make_journey(), projector=True)
    assert "jb-projector" in projector and 'class="jb-board jb-projector"' not in normal
    assert projector.replace(" jb-projector", "", 1) == normal  # a class the browser switches
    assert int(re.search(r"\.jb-projector\{font-size:(\d+)px", projector).group(1)) >= 20


def test_ten_moments_fit_1920_pixels_wide():
    journey = Journey.model_validate(
        {
            "id": "grand",
            "title": "Grand",
            "moments": [{"id": f"m{i}", "label": f"M{i}"} for i in range(10)],
            "channels": [{"id": f"c{i}", "label": f"C{i}"} for i in range(8)],
        }
    )
    html = render_board(journey)
    widths = [int(w) for w in re.findall(r"--jb-min(?:-p)?:(\d+)px", html)]
    assert len(widths) == 2 and max(widths) <= 1860
    assert ".jb-projector .jb-table{min-width:var(--jb-min-p)}" in html
    assert "position:sticky" in html


def test_a_journey_without_moments_says_how_to_start():
    html = render_board(Journey(id="vide", title="Vide"), lang="en")
    assert "no moments of life or channels yet" in html
    assert "<table" not in html


def test_resolved_and_planned_findings_say_so_and_resolved_is_struck_through():
    journey = make_journey()
    journey.touchpoints[1].findings[0].status = FindingStatus.RESOLVED
    journey.touchpoints[1].findings[1].status = FindingStatus.PLANNED
    html = render_board(journey, lang="en")
    assert "jb-fs-resolved" in html and "✓ Resolved" in html
    assert "jb-fs-planned" in html and "◇ Action planned" in html
    assert ".jb-fs-resolved .jb-ftext{text-decoration:line-through" in html

"""The board HTML: user text escaped, markers with colour and symbol, gaps, order, modes."""

from __future__ import annotations

import html as html_text
import re

import pytest

from journeys.board.fragile import FRAGILE_CSS, money, percent, uncovered_lines
from journeys.board.html import SYMBOLS, render_board
from journeys.contract.model import FindingStatus, FindingType, Journey
from tests.fixtures import fragile_samples as fragile
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


# --- fragile moments: what a subscriber base loses at each moment ---------------------------


def _text(fragment: str) -> str:
    """What the browser shows of an HTML fragment (tags dropped, entities read)."""
    return html_text.unescape(re.sub(r"<[^>]+>", "", fragment))


def _header(html: str, label: str) -> str:
    head = html[html.index("<thead>") : html.index("</thead>")]
    return next(th for th in head.split("<th ")[1:] if label in th)


def test_a_fragile_moment_header_shows_lost_share_and_revenue_in_french():
    journey = make_journey()
    html = render_board(journey, attrition=fragile.journey_attrition(fragile.badge("bienvenue")))
    shown = _text(_header(html, "Bienvenue"))
    assert "▼ −1\u00a0147 abonnés/an\u00a0· 17\u00a0% des départs\u00a0· 158\u00a0k€/an" in shown
    assert 'class="jb-fragile"' in _header(html, "Bienvenue")
    assert "jb-frag" not in _header(html, "Découverte")  # only the mapped moment


def test_a_fragile_moment_header_speaks_english_numbers_in_english():
    html = render_board(
        make_journey(),
        lang="en",
        attrition=fragile.journey_attrition(fragile.badge("bienvenue", 12_480.2, 0.052, 2.4e6)),
    )
    shown = _text(_header(html, "Bienvenue"))
    assert "▼ −12,480 subscribers/yr\u00a0· 5.2% of losses\u00a0· €2.4M/yr" in shown
    assert "months 11 to 12 of tenure" in _header(html, "Bienvenue")  # the tooltip


def test_the_kpi_strip_shows_renewal_churn_involuntary_base_and_dates():
    attrition = fragile.journey_attrition(fragile.badge("bienvenue"))
    fr = _text(render_board(make_journey(), attrition=attrition).split("<table")[0])
    assert "62\u00a0%Réabonnement à 12 mois" in fr
    assert "18\u00a0%/anAttrition" in fr
    assert "23\u00a0%Départs involontaires (impayés)" in fr
    assert "Base « Presse 2025 »données du 04/01/2021 au 31/12/2025" in fr
    en = render_board(make_journey(), lang="en", attrition=attrition).split("<table")[0]
    assert "62%" in en and "Renewal at 12 months" in en and "data from Jan 4, 2021" in en
    unknown = fragile.journey_attrition(fragile.badge("bienvenue"), renewal=None)
    assert "<b>—</b><span>Réabonnement" in render_board(make_journey(), attrition=unknown)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_base_name_and_moment_label_stay_text(text):
    attrition = fragile.journey_attrition(fragile.badge("m1", uncovered=True), base=text)
    html = render_board(hostile_journey(text), lang="fr", attrition=attrition)
    assert "<script" not in html and "<img" not in html and "<b>x</b>" not in html
    assert html.count("</style>") == 1
    for value in re.findall(r'(?:title|aria-label)="([^"]*)"', html):
        assert "<" not in value and ">" not in value
    assert f"Base « {text} »" in _text(html)


def test_an_uncovered_moment_is_outlined_flagged_and_says_why():
    journey = make_journey()
    attrition = fragile.journey_attrition(
        fragile.badge("decouverte", uncovered=False),
        fragile.badge("bienvenue", 300, 0.05, 9_000, uncovered=True),
    )
    html = render_board(journey, attrition=attrition)
    covered, uncovered = _header(html, "Découverte"), _header(html, "Bienvenue")
    assert "jb-uncovered" not in covered and "non couvert" not in covered
    assert 'class="jb-fragile jb-uncovered"' in uncovered
    assert "⊘ non couvert" in _text(uncovered)
    # its only touchpoint ("Appel de bienvenue") has no finding
    assert "Non couvert : aucun constat sur son point de contact." in html_text.unescape(uncovered)
    assert ".jb-table thead th.jb-uncovered{outline:3px solid" in html
    journey.touchpoints = [tp for tp in journey.touchpoints if tp.moment != "bienvenue"]
    empty = _header(render_board(journey, attrition=attrition), "Bienvenue")
    assert "aucun point de contact à ce moment" in html_text.unescape(empty)


def test_the_legend_explains_the_badge_and_the_uncovered_flag():
    attrition = fragile.journey_attrition(fragile.badge("bienvenue"))
    legend = render_board(make_journey(), lang="en", attrition=attrition).split("jb-legend")[-1]
    assert "subscribers lost per year · share of losses · revenue at risk" in legend
    assert "uncovered" in legend


def test_a_base_without_prices_shows_no_revenue():
    attrition = fragile.journey_attrition(fragile.badge("bienvenue", 40, 0.4, 0.0))
    shown = _text(_header(render_board(make_journey(), attrition=attrition), "Bienvenue"))
    assert shown.endswith("−40 abonnés/an\u00a0· 40\u00a0% des départs")


def test_without_a_base_the_board_is_byte_for_byte_what_it_was():
    journey = make_journey()
    plain = render_board(journey, projector=True)
    assert render_board(journey, projector=True, attrition=None) == plain
    assert "jb-frag" not in plain and "jb-kpi" not in plain and FRAGILE_CSS not in plain
    # with a base: the same board, plus its CSS, its strip, its badges and their classes
    drawn = render_board(
        journey,
        projector=True,
        legend=False,
        attrition=fragile.journey_attrition(fragile.badge("souscription", uncovered=True)),
    )
    stripped = re.sub(r'<div class="jb-kpis".*?</div></div>', "", drawn.replace(FRAGILE_CSS, ""))
    stripped = re.sub(r'<span class="jb-frag" .*?</span></span>', "", stripped)
    stripped = stripped.replace(" jb-fragile jb-uncovered", "")
    assert stripped == render_board(journey, projector=True, legend=False)


def test_the_badge_is_larger_in_projector_mode():
    html = render_board(
        make_journey(), projector=True, attrition=fragile.journey_attrition(fragile.badge("pub"))
    )
    assert int(re.search(r"\.jb-projector \.jb-frag\{font-size:(\d+)px", html).group(1)) >= 18


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        (850.0, "850\u00a0€", "€850"),
        (999.4, "999\u00a0€", "€999"),
        (999.6, "1\u00a0k€", "€1k"),
        (158_300.0, "158\u00a0k€", "€158k"),
        (999_600.0, "1,0\u00a0M€", "€1.0M"),
        (2_450_000.0, "2,5\u00a0M€", "€2.5M"),
    ],
)
def test_money_is_short_and_written_the_language_way(value, fr, en):
    assert money(value, "fr") == fr
    assert money(value, "en") == en


def test_shares_keep_a_decimal_under_ten_percent():
    assert percent(0.171, "fr") == "17\u00a0%"
    assert percent(0.052, "fr") == "5,2\u00a0%"
    assert percent(0.052, "en") == "5.2%"
    assert percent(0.0, "en") == "0%"


def test_uncovered_lines_list_the_costliest_first_with_why():
    journey = make_journey()
    journey.touchpoints[1].findings = []  # "Souscription": two touchpoints, no finding left
    attrition = fragile.journey_attrition(
        fragile.badge("bienvenue", 300, uncovered=True),
        fragile.badge("decouverte", 1147.4, uncovered=False),
        fragile.badge("souscription", 800, uncovered=True),
    )
    assert uncovered_lines(journey, attrition, "fr") == [
        "Souscription (−800 abonnés/an) : aucun constat sur ses 2 points de contact",
        "Bienvenue (−300 abonnés/an) : aucun constat sur son point de contact",
    ]

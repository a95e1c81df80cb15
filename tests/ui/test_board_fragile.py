"""The board page of a journey that reads a subscriber base (AppTest): its fragile moments'
headers show what the base loses there, the KPI strip sits above the grid, an uncovered moment
is flagged on the board and listed in the analysis; unlinked, the board is as before."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from journeys import services
from journeys.contract.model import Journey, Moment
from journeys.contract.yaml_io import load_document
from journeys.data import services as ds
from journeys.data.demo import generate
from pages.common.shared import forget_shared_reads
from tests.ui.helpers import open_page, run, texts

TEMPLATE = Path(__file__).resolve().parents[2] / "templates_journeys"
PAGE = "pages/board/page.py"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    return generate(tmp_path_factory.mktemp("demo"), 2000, seed=4)


@pytest.fixture
def linked(workspace, demo) -> str:
    """The renewal template with a moment for the trial's end that has no touchpoint, reading
    the demo base: months 0-1 on that moment, month 12 on the renewal."""
    text = (TEMPLATE / "fixed_term_renewal.fr.journey.yaml").read_text(encoding="utf-8")
    journey = load_document(text)
    assert isinstance(journey, Journey)
    journey.moments.insert(1, Moment(id="fin-essai", label="Fin de l'essai <gratuit>"))
    services.import_document(journey, store=workspace)
    ds.import_base("presse démo", demo.subscriptions, store=workspace)
    windows = {w.key for w in ds.get_base_view("presse démo", store=workspace).windows}
    assert {"0-1", "12-12"} <= windows
    ds.link_journey_base(
        journey.id,
        "presse démo",
        {"0-1": "fin-essai", "12-12": "renouvellement"},
        store=workspace,
    )
    forget_shared_reads()
    return journey.id


def _board(at) -> str:
    return html.unescape("".join(h.value for h in at.get("html") if "jb-board" in h.value))


def test_the_board_shows_the_fragile_moments_and_the_kpis_of_its_base(linked) -> None:
    at = open_page(PAGE, journey=linked)
    board = _board(at)
    assert board.count('<span class="jb-frag" ') == 2
    assert "abonnés/an" in board and "des départs" in board and "k€/an" in board
    assert "Réabonnement à 12 mois" in board and "Départs involontaires (impayés)" in board
    assert "Base « presse démo »" in board
    assert "<gratuit>" not in "".join(h.value for h in at.get("html"))  # escaped
    assert "Fin de l'essai <gratuit>" in board  # shown as text
    assert board.count("⊘ non couvert") == 2  # the trial's end, and the legend
    assert "Non couvert : aucun point de contact à ce moment." in board


def test_the_analysis_lists_the_uncovered_fragile_moment(linked) -> None:
    at = open_page(PAGE, journey=linked)
    at.session_state["board_analysis"] = True
    at = run(at)
    shown = texts(at) + "\n".join(str(item.value) for item in at.text)  # lists are st.text
    assert "Moments fragiles non couverts" in shown
    assert "Fin de l'essai <gratuit> (−" in shown
    assert "abonnés/an) : aucun point de contact à ce moment" in shown
    assert "Renouvellement (−" not in shown  # covered by the template's findings


def test_an_unlinked_journey_shows_its_board_without_badges(linked, workspace) -> None:
    at = open_page(PAGE, journey=linked, lang="en")
    assert "subscribers/yr" in _board(at)
    ds.link_journey_base(linked, None, {}, store=workspace)
    forget_shared_reads()
    board = _board(run(at))
    assert "jb-frag" not in board and "jb-kpis" not in board
    assert "Renouvellement" in board  # the moment, still there

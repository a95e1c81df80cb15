"""The board page of a journey that reads a subscriber base (AppTest): its fragile moments'
headers show what the base loses there, the KPI strip sits above the grid, an uncovered moment
is flagged on the board and listed in the analysis; unlinked, the board is as before. What the
board's canvas is given is read here; tests/e2e/test_canvas.py sees it drawn."""

from __future__ import annotations

import json
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


def _board(at) -> dict:
    """The board part of what the canvas was given (pages/board/canvas)."""
    (canvas,) = [e for e in at.get("bidi_component") if e.key == "board_canvas"]
    return json.loads(canvas.proto.bytes.partition(b"\n")[2])


def test_the_board_shows_the_fragile_moments_and_the_kpis_of_its_base(linked) -> None:
    at = open_page(PAGE, journey=linked)
    board = _board(at)
    fragile = {m["label"]: m["frag"] for m in board["moments"] if m["frag"]}
    assert len(fragile) == 2
    figures = " ".join(" ".join(f["figures"]) for f in fragile.values())
    assert "abonnés/an" in figures and "des départs" in figures and "k€/an" in figures
    tiles = [" ".join(tile) for tile in board["kpis"]["tiles"]]
    assert any("Réabonnement à 12 mois" in tile for tile in tiles)
    assert any("Départs involontaires (impayés)" in tile for tile in tiles)
    assert tiles[0].startswith("Base « presse démo »")
    assert "<gratuit>" not in "".join(h.value for h in at.get("html"))  # no markup from it
    trial = fragile["Fin de l'essai <gratuit>"]  # data: the canvas writes it as text
    assert trial["uncovered"] is True and fragile["Renouvellement"]["uncovered"] is False
    assert board["words"]["board.fragile.uncovered"] == "non couvert"
    assert "Non couvert : aucun point de contact à ce moment." in trial["title"]


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
    assert "subscribers/yr" in json.dumps(_board(at), ensure_ascii=False)
    ds.link_journey_base(linked, None, {}, store=workspace)
    forget_shared_reads()
    board = _board(run(at))
    assert board["kpis"] is None and not any(m["frag"] for m in board["moments"])
    assert "Renouvellement" in [m["label"] for m in board["moments"]]  # still there

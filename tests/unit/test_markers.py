"""A touchpoint as a line of a grid cell: written as the board shows it, read back the same,
and the markers of a grid typed by hand recognised."""

from __future__ import annotations

import pytest

from journeys.board.markers import Marker, line_text, parse_line
from journeys.contract.model import Finding, FindingType, Touchpoint, TouchpointStatus

DELIGHT, IRRITANT, BREAK = FindingType.DELIGHT, FindingType.IRRITANT, FindingType.BREAK


def test_a_line_written_reads_back_as_its_touchpoint() -> None:
    touchpoint = Touchpoint(
        id="relance",
        moment="m",
        channel="c",
        label="Relance\npar email",
        status=TouchpointStatus.MISSING,
        findings=[
            Finding(type=IRRITANT, intensity=2, text="x"),
            Finding(type=DELIGHT, intensity=1, text="y"),
        ],
    )
    line = line_text(touchpoint)
    assert "\n" not in line
    read = parse_line(line)
    assert read.label == "Relance par email"
    assert read.status is TouchpointStatus.MISSING
    assert read.markers == (Marker(IRRITANT, 2), Marker(DELIGHT, 1))


@pytest.mark.parametrize(
    ("line", "label", "markers"),
    [
        ("Attente au téléphone ⚠⚠⚠", "Attente au téléphone", [(IRRITANT, 3)]),
        ("Offre de bienvenue (+)", "Offre de bienvenue", [(DELIGHT, 1)]),
        ("Codes reçus le lundi (--) (x)", "Codes reçus le lundi", [(IRRITANT, 2), (BREAK, 1)]),
        ("Conseiller ▲2", "Conseiller", [(DELIGHT, 2)]),
        ("Attente⚠⚠", "Attente", [(IRRITANT, 2)]),
        ("Merci !", "Merci !", []),
        ("Un ♥♥♥♥", "Un", [(DELIGHT, 3)]),
    ],
)
def test_markers_of_a_hand_written_grid_are_recognised(line, label, markers) -> None:
    read = parse_line(line)
    assert read.label == label
    assert [(m.type, m.intensity) for m in read.markers] == markers

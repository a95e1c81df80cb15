"""CSV export: one row per finding, BOM for Excel, `;` option, formula injection neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeys.export.touchpoints_csv import COLUMNS, journey_csv, neutralise
from tests.fixtures.render_samples import sample_journey


def read(data: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(
        csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    )


def test_one_row_per_finding_and_one_per_touchpoint_without_finding() -> None:
    rows = read(journey_csv(sample_journey()))
    assert [r["touchpoint_id"] for r in rows] == [
        "page-offre",
        "formulaire",
        "formulaire",
        "email-codes",
        "sms-bienvenue",
        "appel",
        "appel",
    ]
    assert list(rows[0]) == list(COLUMNS)
    lonely = rows[3]
    assert lonely["finding_type"] == "" and lonely["status"] == "planned"
    assert rows[2]["finding_type"] == "break" and rows[2]["intensity"] == "3"
    assert rows[2]["improvement"] == "Envoyer les codes immédiatement par email et SMS"
    assert rows[0]["touchpoint"] == "Page d'offre à 9,90 €"
    assert rows[0]["moment"] == "Découverte de l'offre"


def test_semicolon_option_for_french_excel() -> None:
    data = journey_csv(sample_journey(), delimiter=";")
    assert data.decode("utf-8-sig").splitlines()[0].startswith("journey;moment_id;moment;")
    assert read(data, ";")[0]["touchpoint"] == "Page d'offre à 9,90 €"


def test_bom_can_be_left_out_and_unknown_delimiter_is_refused() -> None:
    assert journey_csv(sample_journey(), bom=False).startswith(b"journey,")
    with pytest.raises(ValueError, match="unsupported delimiter"):
        journey_csv(sample_journey(), delimiter="|")


def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe() -> None:
    rows = read(journey_csv(sample_journey()))
    assert rows[1]["finding"] == "'=Champs obligatoires trop nombreux"
    for text in ("=1+1", "+33 6 12", "-2", "@SUM(A1)", "\tx", "\rx", "＝1"):
        assert neutralise(text) == "'" + text
    for text in ("Prix 10 €", "a=b", "", None, 3):
        assert neutralise(text) == ("" if text is None else str(text))


@given(st.text(min_size=1, max_size=40))
def test_no_cell_ever_starts_a_formula(text: str) -> None:
    journey = sample_journey().model_copy(deep=True)
    journey.touchpoints[0].label = text
    journey.touchpoints[0].findings[0].text = text
    for row in read(journey_csv(journey)):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    first = read(journey_csv(journey))[0]
    assert first["touchpoint"] in (text, "'" + text)

"""The journey PDF read back: text with accents, fonts embedded, sections, pages, rendering."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from journeys.contract.model import FindingType, Journey, Program
from journeys.report.board_table import chunks
from journeys.report.pdf import build_journey_pdf
from journeys.report.sections import GapLine, GapMoment, GapReport
from journeys.report.style import esc
from tests.fixtures.render_samples import HOSTILE, sample_journey, sample_program

DAY = date(2025, 3, 14)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates_journeys"


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    gap = {
        "compared_with": "Parcours existant",
        "summary": ["3 ruptures résolues"],
        "moments": [
            {
                "label": "Souscription",
                "key": True,
                "summary": "1 résolu(s), 0 restant(s)",
                "lines": [
                    {
                        "where": "Email · Codes",
                        "text": "Codes le lundi",
                        "state": "Résolu",
                        "improvement": "Automatiser l'envoi",
                        "kind": FindingType.BREAK,
                        "intensity": 3,
                    }
                ],
            }
        ],
    }
    return build_journey_pdf(
        sample_journey(),
        [sample_program()],
        page="A4",
        generated_on=DAY,
        gap=gap,
        engine="embedded",
    )


def test_cover_names_the_journey_its_state_persona_and_date(sample_pdf: bytes) -> None:
    cover = pages_text(sample_pdf)[0]
    for text in (
        "Parcours premier abonnement — cible",
        "PARCOURS CIBLE",
        "Premier abonnement",
        "Abonnée digitale, 25-40 ans, lit Œuvres & Société",
        "14/03/2025",
        "Conversion, Durée de vie de l'abonné",
        "Programme de bienvenue",
    ):
        assert text in cover


def test_accents_euro_and_oe_ligature_extract_intact(sample_pdf: bytes) -> None:
    text = "\n".join(pages_text(sample_pdf))
    for fragment in (
        "Page d'offre à 9,90 €",
        "Œuvres",
        "« sans engagement »",
        "Découverte",
        "Téléphone / centre de contact",
        "Reconnaître l'appelant",
        "—",
    ):
        assert fragment in text


def test_fonts_are_embedded_dejavu(sample_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(sample_pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile2", "/FontFile", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts <= {"DejaVuSans", "DejaVuSans-Bold"}


def test_sections_come_in_order_with_page_numbers(sample_pdf: bytes) -> None:
    pages = pages_text(sample_pdf)
    joined = "\n".join(pages)
    order = [
        "Tableau du parcours",
        "Courbe émotionnelle",
        "Vue macro",
        "Vue détaillée",
        "Écart existant → cible\nComparé à",  # the summary page names it too, in a line
        "ANNEXE",
        "Irritants, ruptures et axes d'évolution",
        "Bonheurs à préserver",
    ]
    positions = [joined.index(title) for title in order]
    assert positions == sorted(positions)
    assert f"Page 1 sur {len(pages)}" in pages[0]
    assert f"Page {len(pages)} sur {len(pages)}" in pages[-1]
    gap = next(p for p in pages if p.startswith("Écart existant → cible"))
    assert "Automatiser l'envoi" in gap and "3 ruptures résolues" in gap


def test_findings_are_listed_strongest_first(sample_pdf: bytes) -> None:
    text = "\n".join(pages_text(sample_pdf))
    start = text.index("Irritants, ruptures et axes d'évolution")
    section = text[start : text.index("Bonheurs à préserver")]
    order = ["Codes d'accès reçus", "20 minutes d'attente", "Champs obligatoires"]
    positions = [section.index(fragment) for fragment in order]
    assert positions == sorted(positions)
    assert "✖3" in section and "▼2" in section


def test_board_shows_markers_and_statuses(sample_pdf: bytes) -> None:
    board = next(p for p in pages_text(sample_pdf) if "Tableau du parcours" in p)
    for fragment in ("★ Souscription", "[prévu]", "[manquant]", "[mal traité]", "✖3", "▲2"):
        assert fragment in board


def test_a3_is_the_default_and_gives_larger_pages() -> None:
    pdf = build_journey_pdf(sample_journey(), [], generated_on=DAY)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert round(float(box.width)) == 1191 and round(float(box.height)) == 842
    with pytest.raises(ValueError, match="page size"):
        build_journey_pdf(sample_journey(), [], page="Letter", generated_on=DAY)


def test_large_board_is_split_on_moments_with_channel_column_and_headers_repeated() -> None:
    journey = sample_journey().model_copy(deep=True)
    base = journey.moments[0]
    journey.moments = [
        base.model_copy(update={"id": f"m{i}", "label": f"Moment n°{i}"}) for i in range(40)
    ]
    for i, tp in enumerate(journey.touchpoints):
        tp.moment = f"m{i * 8}"
    pages = pages_text(build_journey_pdf(journey, [], page="A4", generated_on=DAY))
    board = [p for p in pages if p.startswith("Tableau du parcours")]
    assert len(board) >= 2
    for page in board:
        assert "Canal\n" in page and "Site web" in page and "Téléphone" in page
    assert "moments 1 à " in board[0] and " sur 40" in board[0]
    shown = " ".join(" ".join(board).split())
    assert {int(n) for n in re.findall(r"Moment n°(\d+)", shown)} == set(range(40))
    assert chunks(20, 7) == [range(0, 7), range(7, 14), range(14, 20)]


def test_hostile_text_is_escaped_and_printed_literally() -> None:
    journey = sample_journey().model_copy(deep=True)
    journey.title = HOSTILE
    journey.touchpoints[0].label = HOSTILE
    journey.touchpoints[1].findings[0].text = HOSTILE
    program = sample_program().model_copy(deep=True)
    program.title = HOSTILE
    text = "\n".join(pages_text(build_journey_pdf(journey, [program], generated_on=DAY)))
    assert "<b>&amp;</b>" in text and '"quote"' in text and "{a|b}" in text
    assert esc("<b>&</b>\nx") == "&lt;b&gt;&amp;&lt;/b&gt;<br/>x"


def test_gap_accepts_a_plain_mapping_or_dataclasses() -> None:
    line = GapLine("Email · Codes", "lundi", "Résolu", "automatiser", FindingType.BREAK, 3)
    moments = (GapMoment("Souscription", True, "1 résolu(s)", (line,)),)
    plain = {"moments": [{**moments[0].__dict__, "lines": [line.__dict__]}]}
    assert GapReport.coerce(plain) == GapReport(moments=moments)


def test_empty_journey_still_gives_a_document() -> None:
    journey = Journey(id="vide", title="Vide", language="en")
    pages = pages_text(build_journey_pdf(journey, [], page="A4", generated_on=DAY))
    assert "EXISTING JOURNEY (AS-IS)" in pages[0] and "None recorded." in "\n".join(pages)


def test_every_template_journey_builds_with_its_programs() -> None:
    from journeys.contract.yaml_io import load_file

    docs = [load_file(p) for p in sorted(TEMPLATES.glob("*.yaml"))]
    journeys = [d for d in docs if isinstance(d, Journey)]
    if not journeys:
        pytest.skip("no templates yet")
    for journey in journeys:
        programs = [d for d in docs if isinstance(d, Program) and d.journey == journey.id]
        pdf = build_journey_pdf(journey, programs, generated_on=DAY, engine="embedded")
        text = "\n".join(pages_text(pdf))
        assert journey.title in text
        assert all(p.title in text for p in programs)


def test_first_page_renders_to_png_with_poppler(sample_pdf: bytes, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm (poppler-utils) is not on the PATH in CI")
        pytest.skip("pdftoppm (poppler-utils) is not on the PATH")
    pdf = tmp_path / "journey.pdf"
    pdf.write_bytes(sample_pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("page*.png")
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 2000

"""The PowerPoint deck of the press renewal journey, read back with python-pptx and opened in
LibreOffice (converted to PDF, read with pypdf, its slides drawn as PNG): every finding as
text, the board as native tables, the curves as a native chart, hostile user text survives."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from typer.testing import CliRunner

from journeys import services
from journeys.board.analysis import emotion_curve
from journeys.cli.main import app
from journeys.contract.model import Journey, Program
from journeys.contract.yaml_io import load_file
from journeys.export.deck import MEDIA_TYPE, build_journey_deck
from journeys.export.services import export_download
from journeys.report.style import MARKERS
from journeys.visits import services as vs
from tests.needs import need_binary

DAY = date(2025, 3, 14)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates_journeys"
CONTROL = "Relance\x00 reçue\x01 le\x1b lundi\x7f\x0b <b>&amp;</b> ]]> 😀 \ufffe « 10 € »"


def _renewal() -> tuple[Journey, Program]:
    journey = load_file(TEMPLATES / "fixed_term_renewal.fr.journey.yaml")
    program = load_file(TEMPLATES / "fixed_term_renewal.fr.program.yaml")
    assert isinstance(journey, Journey) and isinstance(program, Program)
    return journey, program


def _flat(text: str) -> str:
    return " ".join(text.split())


def _shape_texts(shape) -> list[str]:
    if shape.has_text_frame:
        return [shape.text_frame.text]
    if shape.has_table:
        return [cell.text_frame.text for row in shape.table.rows for cell in row.cells]
    return []


def _slides(deck: bytes) -> list[tuple[str, list, str]]:
    """(title, shapes, all the text) of every slide."""
    out = []
    for slide in Presentation(io.BytesIO(deck)).slides:
        title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        text = _flat(" ".join(t for shape in slide.shapes for t in _shape_texts(shape)))
        out.append((title, list(slide.shapes), text))
    return out


@pytest.fixture(scope="module")
def renewal_deck() -> bytes:
    journey, program = _renewal()
    return build_journey_deck(journey, [program], generated_on=DAY, engine="embedded")


def test_every_finding_and_improvement_of_the_press_renewal_is_text_in_the_deck(renewal_deck):
    journey, _ = _renewal()
    text = " ".join(text for _, _, text in _slides(renewal_deck))
    findings = [f for tp in journey.touchpoints for f in tp.findings]
    assert findings
    for finding in findings:
        assert _flat(finding.text) in text
        if finding.improvement:
            assert _flat(finding.improvement) in text


def test_the_board_is_native_tables_with_every_touchpoint_and_coloured_markers(renewal_deck):
    journey, _ = _renewal()
    board = [
        (shapes, text)
        for title, shapes, text in _slides(renewal_deck)
        if title == "Tableau du parcours"
    ]
    assert len(board) == 2  # ten moments, in two groups of five
    for shapes, _ in board:
        assert not [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len([s for s in shapes if s.has_table]) == 1
    cells = " ".join(text for _, text in board)
    for tp in journey.touchpoints:
        assert _flat(tp.label) in cells
    for moment in journey.moments:
        assert ("★ " if moment.key else "") + moment.label in cells
    colours = {
        run.text[0]: str(run.font.color.rgb)
        for shapes, _ in board
        for shape in shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
        for para in cell.text_frame.paragraphs
        for run in para.runs
        if run.text[:1] in "▲▼✖"
    }
    assert colours == {symbol: colour.lstrip("#").upper() for symbol, colour in MARKERS.values()}


def test_each_key_moment_has_its_slide_with_its_findings_and_improvement_axes(renewal_deck):
    journey, _ = _renewal()
    slides = {title: text for title, _, text in _slides(renewal_deck)}
    for moment in (m for m in journey.moments if m.key):
        text = slides[f"★ {moment.label}"]
        for tp in (tp for tp in journey.touchpoints if tp.moment == moment.id):
            for finding in tp.findings:
                assert _flat(finding.text) in text
                assert _flat(finding.improvement or "—") in text


def test_program_diagrams_are_pictures_on_16_9_slides(renewal_deck):
    deck = Presentation(io.BytesIO(renewal_deck))
    assert (deck.slide_width, deck.slide_height) == (12191695, 6858000)
    pictures = [
        title
        for title, shapes, _ in _slides(renewal_deck)
        if any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in shapes)
    ]
    assert any("Vue macro" in title for title in pictures)
    assert any("Vue détaillée" in title for title in pictures)


def test_target_deck_charts_the_current_and_target_curves_and_has_the_gap(store) -> None:
    current, program = _renewal()
    services.import_document(current, store=store)
    services.import_document(program, store=store)
    target = vs.derive_target_journey(current.id, store=store, new_id=f"{current.id}-cible")
    export = export_download(target.id, store=store, fmt="pptx", generated_on=DAY)
    assert export.filename == f"{target.id}_2025-03-14.pptx"
    assert export.media_type == MEDIA_TYPE
    slides = _slides(export.data)
    charts = [s.chart for _, shapes, _ in slides for s in shapes if s.has_chart]
    assert len(charts) == 1
    series = list(charts[0].plots[0].series)
    assert [s.name for s in series] == ["Existant", "Cible"]
    assert list(series[0].values) == [p.score for p in emotion_curve(current)]
    target_now = services.get_journey(target.id, store=store)
    assert list(series[1].values) == [p.score for p in emotion_curve(target_now)]
    assert any(title.startswith("Écart existant") for title, _, _ in slides)


def test_xml_specials_control_characters_and_emoji_in_user_text_do_not_break_the_deck():
    journey, _ = _renewal()
    touched = journey.touchpoints[0]
    finding = touched.findings[0].model_copy(update={"text": CONTROL, "improvement": CONTROL})
    hostile = journey.model_copy(
        update={
            "title": CONTROL,
            "moments": [journey.moments[0].model_copy(update={"label": CONTROL})]
            + journey.moments[1:],
            "touchpoints": [touched.model_copy(update={"label": CONTROL, "findings": [finding]})]
            + journey.touchpoints[1:],
        }
    )
    deck = build_journey_deck(hostile, [], generated_on=DAY)
    text = " ".join(text for _, _, text in _slides(deck))
    assert _flat("Relance reçue le lundi <b>&amp;</b> ]]> 😀 « 10 € »") in text
    assert "\x00" not in text and "\x1b" not in text and "\ufffe" not in text


def test_the_cli_exports_a_deck_named_after_the_journey_and_the_day(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("JOURNEYS_DATABASE_URL", url)
    monkeypatch.setenv("JOURNEYS_EXPORT_DIR", str(tmp_path / "exports"))
    store = services.open_store(url)
    try:
        services.create_from_template("fixed_term_renewal.en.journey", store=store)
    finally:
        store.dispose()
    result = CliRunner().invoke(app, ["export", "fixed-term-renewal", "--format", "pptx"])
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path.name == f"fixed-term-renewal_{date.today().isoformat()}.pptx"
    titles = [title for title, _, _ in _slides(path.read_bytes())]
    assert "Journey board" in titles


@pytest.mark.slow
def test_libreoffice_opens_the_deck_every_finding_reads_back_and_slides_draw(
    renewal_deck, tmp_path
) -> None:
    soffice = need_binary("soffice")
    need_binary("pdftoppm")
    source = tmp_path / "renewal.pptx"
    source.write_bytes(renewal_deck)
    profile = tmp_path / "lo-profile"
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    pdf = PdfReader(tmp_path / "renewal.pdf")
    assert len(pdf.pages) == len(Presentation(io.BytesIO(renewal_deck)).slides)
    text = _flat(" ".join(page.extract_text() for page in pdf.pages))
    journey, _ = _renewal()
    for finding in (f for tp in journey.touchpoints for f in tp.findings):
        assert _flat(finding.text) in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(tmp_path / "renewal.pdf"), str(tmp_path / "slide")],
        check=True,
        timeout=300,
    )
    drawn = sorted(tmp_path.glob("slide-*.png"))
    assert len(drawn) == len(pdf.pages)
    for png in drawn:
        with Image.open(png) as image:
            assert image.width > image.height  # 16:9
            assert image.convert("L").getextrema()[0] < 128  # something is drawn on it

"""The target journey's PDF, as a manager takes it to a steering committee: its plan by moment
(what is resolved, by which improvement, what remains), both emotion curves, the programs with
the journey's words and the diagram exports' colours; emoji that extract as typed."""

from __future__ import annotations

import io
import logging
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import PolyLine

from journeys import services
from journeys.board.analysis import emotion_curve
from journeys.board.compare import PROBLEMS, compare, derive_target
from journeys.contract.model import Journey, Program
from journeys.contract.yaml_io import load_file
from journeys.export.files import export_bytes
from journeys.export.services import export_download, gap_report
from journeys.render import engine as rendering
from journeys.report.curve import axis_ticks, curve_drawing
from journeys.report.pdf import build_journey_pdf
from journeys.visits import services as vs
from tests.fixtures.render_samples import sample_journey

DAY = date(2025, 3, 14)
VIEWS = ("macro", "detailed")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates_journeys"


def _renewal() -> tuple[Journey, Program]:
    journey = load_file(TEMPLATES / "fixed_term_renewal.fr.journey.yaml")
    program = load_file(TEMPLATES / "fixed_term_renewal.fr.program.yaml")
    assert isinstance(journey, Journey) and isinstance(program, Program)
    return journey, program


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _without_improvement(journey: Journey) -> tuple[Journey, str]:
    """The journey with the improvement of its first problem taken away; that problem's text."""
    current = journey.model_copy(deep=True)
    finding = next(f for tp in current.touchpoints for f in tp.findings if f.type in PROBLEMS)
    finding.improvement = None
    return current, finding.text


def test_target_pdf_shows_by_moment_what_is_resolved_by_which_improvement_and_what_remains(
    store,
) -> None:
    current, program = _renewal()
    current, left_open = _without_improvement(current)
    services.import_document(current, store=store)
    services.import_document(program, store=store)
    target = vs.derive_target_journey(current.id, store=store, new_id=f"{current.id}-cible")

    pdf = export_download(target.id, store=store, fmt="pdf", generated_on=DAY).data
    pages = _pages(pdf)
    gap = "\n".join(pages[next(i for i, p in enumerate(pages) if p.startswith("Écart existant")) :])

    labels = {m.id: m.label for m in current.moments}
    order = [m.id for m in current.moments]
    heads = {m: gap.index(labels[m]) for m in order if labels[m] in gap}
    for tp in current.touchpoints:
        for finding in tp.findings:
            if finding.type not in PROBLEMS:
                continue
            at = gap.index(_flat(finding.text))
            start = heads[tp.moment]
            later = [heads[m] for m in order[order.index(tp.moment) + 1 :] if m in heads]
            assert start < at < min(later, default=len(gap)), finding.text
            after = gap[at : at + len(_flat(finding.text)) + 400]
            if finding.improvement:
                assert _flat(finding.improvement) in after and "Résolu" in after
            else:
                assert finding.text == left_open and "Restant" in after
    assert "Irritants et ruptures restants : 1" in gap


def test_target_findings_table_has_no_improvement_column_left_empty() -> None:
    current, _ = _renewal()
    target = derive_target(current, new_id="cible")
    gap = gap_report(compare(current, target), current, "fr")
    pdf = build_journey_pdf(target, [], generated_on=DAY, gap=gap)
    findings = next(p for p in _pages(pdf) if "Bonheurs à préserver" in p)
    assert "Axe d'évolution" not in findings.split("Bonheurs à préserver")[1]


def test_target_pdf_draws_programs_with_the_journey_labels_and_the_exports_colours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    current, program = _renewal()
    target = derive_target(current, new_id="cible")
    exported = [
        export_bytes(program, fmt="dot", view=view, journey=current, engine="embedded").data
        for view in VIEWS
    ]
    drawn: list[str] = []
    real = rendering.render

    def record(dot: str, fmt: str, **options: object) -> bytes:
        drawn.append(dot)
        return real(dot, fmt, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(rendering, "render", record)
    gap = gap_report(compare(current, target), current, "fr")
    pdf = build_journey_pdf(target, [program], generated_on=DAY, gap=gap, engine="embedded")

    # the same diagrams as the exports (labels, colours), without the title the page carries:
    # each view is first drawn whole, to see whether it fits a page (else come its slices)
    wholes = [next(d for d in drawn if d.startswith(f"digraph {v} ")) for v in VIEWS]
    for dot, export in zip(wholes, exported, strict=True):
        assert _colours(dot) == _colours(export.decode())
    text = "\n".join(_pages(pdf))
    assert "Moment : pre-renouvellement" not in text and "Moment : Pré-renouvellement" in text
    assert "Courrier / coupon" in text.split("Vue macro")[1]


def _colours(dot: str) -> list[str]:
    return re.findall(r'(?:fillcolor|color)="?(#[0-9A-Fa-f]{6})', dot)


def test_target_pdf_curve_shows_the_current_and_the_target_curves() -> None:
    current, _ = _renewal()
    target = derive_target(current, new_id="cible")
    gap = gap_report(compare(current, target), current, "fr")
    pdf = build_journey_pdf(target, [], generated_on=DAY, gap=gap)
    curve = next(p for p in _pages(pdf) if "Courbe émotionnelle" in p)
    assert "Existant" in curve and "Cible" in curve
    drawing = curve_drawing(
        emotion_curve(target), 800, 400, "DejaVuSans", compared=emotion_curve(current)
    )
    lines = [s for s in drawing.getContents() if isinstance(s, PolyLine)]
    assert len(lines) == 2


@pytest.mark.parametrize(("low", "high"), [(-111, 40), (-1, 1), (-7, 13), (-2345, 17), (0, 3)])
def test_curve_axis_ticks_are_round(low: int, high: int) -> None:
    ticks = axis_ticks(low, high)
    step = ticks[1] - ticks[0]
    assert all(b - a == step for a, b in zip(ticks, ticks[1:], strict=False))
    assert str(step).rstrip("0") in ("1", "2", "5")
    assert 0 in ticks and ticks[0] <= low and ticks[-1] >= high and len(ticks) <= 9


def test_emoji_in_findings_extract_as_typed(caplog: pytest.LogCaptureFixture) -> None:
    journey = sample_journey().model_copy(deep=True)
    typed = "Accueil 😊 parfait 👍 🔥 ✅ 🇫🇷 ❤️ fin"
    journey.touchpoints[1].findings[0].text = typed
    journey.title = "Parcours 😊"
    pdf = build_journey_pdf(journey, [], page="A4", generated_on=DAY)
    with caplog.at_level(logging.WARNING):
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert not [r for r in caplog.records if "invalid hex" in r.getMessage()]
    assert typed in text and "Parcours 😊" in text and "\x00" not in text

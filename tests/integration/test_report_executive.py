"""The journey PDF as a manager reads it: a first page that sums the journey up, the board
fitted to the page, the full findings table only as an appendix; the large journey stays short."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from bench.generate import large_journey
from journeys import services
from journeys.board.priorities import top_improvements, top_problems
from journeys.cli.main import app
from journeys.contract.model import Journey
from journeys.contract.yaml_io import load_file
from journeys.i18n import t
from journeys.report.board_fit import SIZES, Measure, fit_board
from journeys.report.pdf import build_journey_pdf
from journeys.report.style import sheet
from journeys.report.summary import FragileMoment
from tests.fixtures.render_samples import sample_journey

DAY = date(2025, 3, 14)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates_journeys"
LEGEND = " ".join(t("report.legend_markers", "fr").split())


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _renewal() -> Journey:
    journey = load_file(TEMPLATES / "fixed_term_renewal.fr.journey.yaml")
    assert isinstance(journey, Journey)
    return journey


@pytest.fixture(scope="module")
def large() -> dict[str, list[str]]:
    """The benchmarks' large journey (30 moments × 15 channels, 400 touchpoints, 2,000
    findings) as the exports make it: without the appendix, on A3 and on A4."""
    journey = large_journey()
    return {
        page: _pages(build_journey_pdf(journey, page=page, generated_on=DAY, appendix=False))
        for page in ("A3", "A4")
    }


def test_large_journey_pdf_without_appendix_is_at_most_25_pages(large) -> None:
    for pages in large.values():
        assert len(pages) <= 25
        assert not any("Irritants, ruptures et axes d'évolution" in p for p in pages)


def test_large_board_pages_each_repeat_the_channel_column_and_the_moment_headers(large) -> None:
    for pages in large.values():
        board = [p for p in pages if p.startswith("Tableau du parcours")]
        assert len(board) >= 2
        moments, channels = set(), set()
        for page in board:
            assert "Canal\n" in page and LEGEND in _flat(page)
            moments |= {int(n) for n in re.findall(r"Moment de vie (\d+)", _flat(page))}
            channels |= {int(n) for n in re.findall(r"\bCanal (\d+)", _flat(page))}
        assert moments == set(range(1, 31)) and channels == set(range(1, 16))


def test_no_page_holds_only_a_legend_line(large) -> None:
    built = [
        _pages(build_journey_pdf(journey, page=page, generated_on=DAY))
        for journey in (sample_journey(), _renewal())
        for page in ("A3", "A4")
    ]
    for pages in [*large.values(), *built]:
        for page in pages:
            body = [line for line in page.splitlines()[:-2] if line.strip()]  # not the footer
            assert _flat(" ".join(body)) not in (LEGEND, "")
            if LEGEND in _flat(page):
                assert "Canal\n" in page  # the legend sits above the board's table


def test_the_board_fills_the_page_width_on_one_page_when_it_reads_at_6_points_or_more() -> None:
    for page, smallest in (("A3", 8.0), ("A4", SIZES[-1])):
        sh = sheet(page)
        measure = Measure(_renewal(), sh, "fr")
        fit = fit_board(measure, sh.frame_height * 0.9, lambda run, fit: 0.0)
        assert len(fit.runs) == 1 and fit.fits and fit.size >= smallest
        (run,) = fit.runs
        width = fit.channel_width + measure.column(fit, run) * len(run)
        assert width == pytest.approx(sh.frame_width)
    sh = sheet("A3")
    fit = fit_board(Measure(large_journey(), sh, "fr"), sh.frame_height * 0.9, lambda r, f: 0.0)
    assert len(fit.runs) > 1 and fit.size >= SIZES[-1]


def test_summary_page_lists_the_strongest_problems_and_the_improvements_that_matter_most() -> None:
    journey = _renewal()
    for page in ("A3", "A4"):
        first = _flat(_pages(build_journey_pdf(journey, page=page, generated_on=DAY))[0])
        assert "Irritants et ruptures les plus forts" in first
        problems = [_flat(p.finding.text) for p in top_problems(journey, 3)]
        axes = [_flat(a.text) for a in top_improvements(journey)]
        assert len(axes) == 5
        places = [first.index(text) for text in problems]
        assert places == sorted(places)
        places = [first.index(text) for text in axes]
        assert places == sorted(places)
        for moment in (m for m in journey.moments if m.key):
            assert f"★ {moment.label}" in first
        for figure in ("10 moments de vie", "8 canaux", "25 points de contact"):
            assert figure in first


def test_summary_lists_fragile_moments_only_when_the_data_gives_some() -> None:
    journey = sample_journey()
    pages = _pages(build_journey_pdf(journey, page="A4", generated_on=DAY))
    assert not any("Moments fragiles" in page for page in pages)
    fragile = [FragileMoment("Pré-renouvellement", "Visites des CGV", "−12 % de réabonnés")]
    first = _flat(_pages(build_journey_pdf(journey, generated_on=DAY, fragile=fragile))[0])
    assert "Moments fragiles" in first and "Visites des CGV — −12 % de réabonnés" in first


def test_summary_lists_the_kpis_typed_on_the_board_lane_as_text() -> None:
    journey = _renewal()
    first = _flat(_pages(build_journey_pdf(journey, page="A4", generated_on=DAY))[0])
    assert "Indicateurs par moment" not in first
    moments = [
        m.model_copy(update={"kpi": f"Réabo <b>{i}</b> & 78 %" if i in (1, 4) else None})
        for i, m in enumerate(journey.moments)
    ]
    measured = journey.model_copy(update={"moments": moments})
    for page, lang in (("A4", "fr"), ("A3", "en")):
        pdf = build_journey_pdf(measured, page=page, generated_on=DAY, language=lang)
        first = _flat(_pages(pdf)[0])
        assert t("report.summary.kpis", lang) in first
        for i in (1, 4):
            assert f"{moments[i].label} Réabo <b>{i}</b> & 78 %" in first


def test_appendix_holds_every_finding_as_text() -> None:
    journey = large_journey(moments=8, channels=5, touchpoints=40, findings=150)
    texts = {f.text for tp in journey.touchpoints for f in tp.findings}
    pages = _pages(build_journey_pdf(journey, page="A4", generated_on=DAY, appendix=True))
    start = next(i for i, page in enumerate(pages) if page.startswith("ANNEXE\n"))
    appendix = _flat(" ".join(pages[start:]))
    assert all(_flat(text) in appendix for text in texts)
    short = _pages(build_journey_pdf(journey, page="A4", generated_on=DAY, appendix=False))
    assert len(short) < len(pages) and not any(p.startswith("ANNEXE\n") for p in short)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("JOURNEYS_DATABASE_URL", url)
    monkeypatch.setenv("JOURNEYS_EXPORT_DIR", str(tmp_path / "exports"))
    store = services.open_store(url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    yield tmp_path
    store.dispose()


def test_cli_export_adds_the_findings_appendix_only_when_asked(workspace: Path) -> None:
    texts = {}
    for name, extra in (("plain", []), ("appendix", ["--appendix"])):
        out = workspace / f"{name}.pdf"
        args = ["export", "premier-abonnement", "-f", "pdf", "-o", str(out), *extra]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        texts[name] = _flat(" ".join(_pages(out.read_bytes())))
    assert "Irritants et ruptures les plus forts" in texts["plain"]
    assert "Irritants, ruptures et axes d'évolution" not in texts["plain"]
    assert "ANNEXE Irritants, ruptures et axes d'évolution" in texts["appendix"]

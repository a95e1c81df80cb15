"""Program diagrams on paper, read back from real PDFs: a diagram is drawn whole when its text
prints at a readable size, else on a page turned the other way, else in numbered slices of
whole phases (each drawn from its own DOT); the program PDF is on the `--page` paper. Both with
the system Graphviz and with the embedded one."""

from __future__ import annotations

import io
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PageObject, PdfReader
from typer.testing import CliRunner

from journeys import services
from journeys.cli.main import app
from journeys.contract.model import Journey, Program, StepKind
from journeys.contract.yaml_io import load_file
from journeys.export.files import export_bytes
from journeys.i18n import t
from journeys.render.slicing import MIN_TEXT_PT, fit_diagram
from journeys.report.pdf import build_journey_pdf
from tests.fixtures.render_samples import HOSTILE, sample_journey, sample_program

DAY = date(2025, 3, 14)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates_journeys"
LARGEST = "programme-relance-impayes"  # the template program with most steps, widest diagrams
A4 = {(595, 842), (842, 595)}
A3 = {(842, 1191), (1191, 842)}
VIEWS = ("macro", "detailed")
ENGINES = ["embedded", pytest.param("system", marks=pytest.mark.needs_dot)]
VIEW_TITLES = ("Vue macro —", "Vue détaillée —")


def require_dot(engine: str) -> None:
    """The system engine needs `dot`: skipped locally without it, a failure in CI."""
    if engine == "system" and shutil.which("dot") is None:
        if os.environ.get("CI"):
            pytest.fail("`dot` is not on the PATH in CI")
        pytest.skip("`dot` is not on the PATH")


def squeeze(text: str) -> str:
    return "".join(text.split())


@dataclass
class Page:
    """What a page prints: its size, each piece of text with its printed size, its heading
    (the bold diagram heading) and all its text squeezed of spaces."""

    size: tuple[int, int]
    texts: list[tuple[float, str]]
    heading: str
    text: str

    @property
    def smallest(self) -> float:
        return min(size for size, _ in self.texts)


def _product(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def read_pages(pdf: bytes) -> list[Page]:
    """Every page with the printed size of its text: the font size times the scale of the
    text and graphics matrices (a diagram drawn at 0.8 prints its 9 pt text at 7.2 pt)."""
    return [read_page(page) for page in PdfReader(io.BytesIO(pdf)).pages]


def read_page(page: PageObject) -> Page:
    texts: list[tuple[float, str]] = []
    heading: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        m = _product(list(tm), list(cm))
        printed = size * (m[2] ** 2 + m[3] ** 2) ** 0.5
        texts.append((printed, text))
        bold = font is not None and "Bold" in str(font.get("/BaseFont"))
        if bold and 11.5 <= printed <= 14.5:  # the h2 diagram heading
            heading.append(text)

    body = page.extract_text(visitor_text=visit)
    size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
    return Page(size, texts, squeeze(" ".join(heading)), squeeze(body))


def largest() -> tuple[Program, Journey]:
    docs = [load_file(p) for p in sorted(TEMPLATES.glob("*.yaml"))]
    programs = [d for d in docs if isinstance(d, Program)]
    program = next(p for p in programs if p.id == LARGEST)
    assert len(program.steps) == max(len(p.steps) for p in programs)
    journey = next(d for d in docs if isinstance(d, Journey) and d.id == program.journey)
    return program, journey


def phase_key(program: Program, i: int) -> str:
    return squeeze(f"{i + 1} · {program.phases[i].label}")


@pytest.fixture(scope="module", params=ENGINES)
def a4_program_pdfs(request: pytest.FixtureRequest) -> dict[str, list[Page]]:
    """The largest program's macro and detailed PDFs on A4, read back."""
    require_dot(request.param)
    program, journey = largest()
    return {
        view: read_pages(
            export_bytes(
                program,
                fmt="pdf",
                view=view,
                journey=journey,
                page="A4",
                generated_on=DAY,
                engine=request.param,
            ).data
        )
        for view in VIEWS
    }


@pytest.mark.parametrize("view", VIEWS)
def test_a4_program_pdf_prints_every_text_at_a_readable_size(
    a4_program_pdfs: dict[str, list[Page]], view: str
) -> None:
    pages = a4_program_pdfs[view]
    assert len(pages) > 1, "the largest program does not fit one A4 page: it is sliced"
    for n, page in enumerate(pages, 1):
        assert page.size in A4, f"page {n}"
        assert page.smallest >= MIN_TEXT_PT - 0.05, f"page {n}: {min(page.texts)}"


@pytest.mark.parametrize("view", VIEWS)
def test_each_phase_heads_exactly_one_slice_and_slices_are_numbered(
    a4_program_pdfs: dict[str, list[Page]], view: str
) -> None:
    program, _ = largest()
    pages = a4_program_pdfs[view]
    for n, page in enumerate(pages, 1):
        assert f"—{n}/{len(pages)}" in page.heading, page.heading
    where = []
    for i in range(len(program.phases)):
        holding = [n for n, page in enumerate(pages) if phase_key(program, i) in page.heading]
        assert len(holding) == 1, (program.phases[i].label, holding)
        where += holding
    assert where == sorted(where), "slices follow the program's order"


def test_no_phase_is_cut_its_steps_are_all_on_its_slice(
    a4_program_pdfs: dict[str, list[Page]],
) -> None:
    program, _ = largest()
    for view in VIEWS:
        pages = a4_program_pdfs[view]
        index = {p.id: i for i, p in enumerate(program.phases)}
        for step in program.steps:
            if view == "macro" and step.kind not in (
                StepKind.TRIGGER,
                StepKind.MESSAGE,
                StepKind.ACTION,
            ):
                continue  # the macro view lists triggers, messages and actions
            key = phase_key(program, index[step.phase])
            page = next(p for p in pages if key in p.heading)
            assert squeeze(step.label) in page.text, (view, step.id)


@pytest.mark.parametrize("engine", ENGINES)
def test_journey_pdf_on_a4_draws_readable_diagrams_then_turns_back(engine: str) -> None:
    require_dot(engine)
    program, journey = largest()
    pdf = build_journey_pdf(journey, [program], page="A4", generated_on=DAY, engine=engine)
    pages = read_pages(pdf)
    assert all(page.size in A4 for page in pages)
    diagrams = [
        n
        for n, page in enumerate(pages)
        if page.heading.startswith(tuple(squeeze(v) for v in VIEW_TITLES))
    ]
    assert diagrams == list(range(diagrams[0], diagrams[-1] + 1)), "one run of pages"
    for n in diagrams:
        assert pages[n].smallest >= MIN_TEXT_PT - 0.05, f"page {n + 1}: {min(pages[n].texts)}"
    for title in VIEW_TITLES:
        headings = [
            pages[n].heading for n in diagrams if pages[n].heading.startswith(squeeze(title))
        ]
        for i in range(len(program.phases)):
            assert sum(phase_key(program, i) in h for h in headings) == 1, (title, i)
    if diagrams[-1] + 1 < len(pages):  # what follows is on the document's landscape pages
        assert pages[diagrams[-1] + 1].size == (842, 595)


def test_page_option_sets_the_program_pdf_paper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("JOURNEYS_DATABASE_URL", url)
    monkeypatch.setenv("JOURNEYS_EXPORT_DIR", str(tmp_path / "exports"))
    store = services.open_store(url)
    try:
        services.create_from_template("sepa_open_ended.fr.journey", store=store)
        services.create_program_from_template("sepa_open_ended.fr.dunning.program", store=store)
    finally:
        store.dispose()
    sizes = {}
    for paper in ("A4", "A3"):
        target = tmp_path / f"{paper}.pdf"
        args = ["export", LARGEST, "-f", "pdf", "--view", "detailed", "--page", paper]
        result = CliRunner().invoke(app, [*args, "-o", str(target)])
        assert result.exit_code == 0, result.output
        sizes[paper] = {page.size for page in read_pages(target.read_bytes())}
    assert sizes["A4"] <= A4 and sizes["A3"] <= A3
    refused = CliRunner().invoke(app, ["export", LARGEST, "-f", "pdf", "--page", "A5"])
    assert refused.exit_code == 1 and "A5" in refused.output


@pytest.mark.parametrize("engine", ENGINES)
def test_a_diagram_that_fits_is_whole_upright_or_turned(engine: str) -> None:
    require_dot(engine)

    def pages(paper: str) -> list[Page]:
        data = export_bytes(
            sample_program(),
            fmt="pdf",
            view="macro",
            journey=sample_journey(),
            page=paper,
            generated_on=DAY,
            engine=engine,
        ).data
        return read_pages(data)

    a3, a4 = pages("A3"), pages("A4")
    assert [p.size for p in a3] == [(842, 1191)], "A3 upright holds it whole"
    assert [p.size for p in a4] == [(842, 595)], "A4 holds it whole once turned"
    assert "/" not in a4[0].heading and a4[0].smallest >= MIN_TEXT_PT - 0.05


def _long_phase_program() -> Program:
    """A first phase of 30 steps in a row, taller than any A4 page at a readable size."""
    steps = [
        {
            "id": f"e{k}",
            "phase": "long",
            "kind": "message",
            "channel": "email",
            "label": f"Relance numéro {k} du parcours",
        }
        for k in range(30)
    ]
    steps.append({"id": "fin", "phase": "fin", "kind": "exit", "label": "Sortie du programme"})
    return Program.model_validate(
        {
            "id": "programme-long",
            "title": "Programme très long",
            "objective": "lifetime",
            "phases": [{"id": "long", "label": HOSTILE}, {"id": "fin", "label": "Fin"}],
            "steps": steps,
            "links": [{"from": f"e{k}", "to": f"e{k + 1}"} for k in range(29)]
            + [{"from": "e29", "to": "fin"}],
        }
    )


def test_a_phase_larger_than_a_page_is_reduced_to_fit_and_says_so() -> None:
    program = _long_phase_program()
    data = export_bytes(
        program, fmt="pdf", view="detailed", page="A4", generated_on=DAY, engine="embedded"
    ).data
    pages = read_pages(data)
    shrunk = squeeze(t("report.diagram_shrunk", "fr"))
    long_page = next(p for p in pages if "1·Œuvre«10€»<b>&amp;</b>" in p.heading)
    assert shrunk in long_page.heading
    assert "Relancenuméro29duparcours" in long_page.text, "the whole phase, on its page"
    others = [p for p in pages if p is not long_page]
    assert others and all(shrunk not in p.heading for p in others)
    assert all(p.smallest >= MIN_TEXT_PT - 0.05 for p in others)


def test_fit_diagram_gives_each_phase_to_one_slice_in_order_for_any_room() -> None:
    program, journey = largest()
    whole = fit_diagram(
        program, journey, view="detailed", room=lambda o, p: (5000.0, 5000.0), engine="embedded"
    )
    assert len(whole) == 1 and whole[0].legend and whole[0].scale == 1.0
    sliced = fit_diagram(
        program,
        journey,
        view="detailed",
        room=lambda o, p: (700.0, 900.0) if o == "portrait" else (900.0, 700.0),
        engine="embedded",
    )
    assert len(sliced) > 1
    assert [i for s in sliced for i in s.phases] == list(range(len(program.phases)))
    assert sum(s.legend for s in sliced) == 1
    assert [(s.part, s.parts) for s in sliced] == [(k + 1, len(sliced)) for k in range(len(sliced))]
    for piece in sliced:
        assert not piece.shrunk and piece.smallest_text >= MIN_TEXT_PT - 1e-6
        drawn = {int(n) for n in re.findall(rb"cluster_p(\d+)", piece.svg)}
        assert drawn == set(piece.phases), "each slice is drawn from its own DOT"

"""Rendering DOT with the system Graphviz and with the embedded one (dot absent)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journeys.contract.model import Program, StepKind
from journeys.programs.diagrams import detailed_dot, macro_dot
from journeys.render import engine as rendering
from tests.fixtures.render_samples import HOSTILE, sample_journey, sample_program

TEMPLATES = Path(__file__).resolve().parents[2] / "templates_journeys"
SVG = "{http://www.w3.org/2000/svg}"


def require_binary(name: str) -> None:
    """Skip when a binary is missing locally; fail in CI, where it must be installed."""
    if shutil.which(name) is None:
        if os.environ.get("CI"):
            pytest.fail(f"`{name}` is not on the PATH in CI")
        pytest.skip(f"`{name}` is not on the PATH")


@pytest.fixture
def no_system_dot(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A PATH without Graphviz, as on a laptop where nothing was installed."""
    monkeypatch.setenv("PATH", str(tmp_path_factory.mktemp("empty-path")))
    assert rendering.system_dot() is None


def node_text(svg: bytes, node_id: str) -> str:
    """All the text drawn inside the SVG group of a node, whitespace removed."""
    root = ET.fromstring(svg)
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if title is not None and title.text == node_id:
            return "".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))
    raise AssertionError(f"node {node_id} not in SVG")


def squeeze(text: str) -> str:
    return "".join(text.split())


def check_output(data: bytes, fmt: str) -> None:
    if fmt == "svg":
        assert ET.fromstring(data).tag == f"{SVG}svg"
        assert b'"transparent"' not in data
    elif fmt == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        assert data.startswith(b"%PDF-")
        text = PdfReader(__import__("io").BytesIO(data)).pages[0].extract_text()
        assert "Souscription validée" in text


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_embedded_engine_renders_every_format_when_dot_is_absent(
    fmt: str, no_system_dot: None
) -> None:
    assert "embedded" in rendering.engine_name()
    check_output(rendering.render(detailed_dot(sample_program(), sample_journey()), fmt), fmt)


@pytest.mark.needs_dot
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_system_dot_renders_every_format(fmt: str) -> None:
    require_binary("dot")
    assert "system dot" in rendering.engine_name()
    check_output(rendering.render(detailed_dot(sample_program(), sample_journey()), fmt), fmt)


def test_dot_format_returns_the_source_and_unknown_format_is_refused() -> None:
    assert rendering.render("digraph { a }", "dot") == b"digraph { a }"
    with pytest.raises(ValueError, match="unknown format"):
        rendering.render("digraph { a }", "jpg")


def test_embedded_engine_error_is_surfaced_as_render_error(no_system_dot: None) -> None:
    with pytest.raises(rendering.RenderError, match="embedded Graphviz failed"):
        rendering.render("digraph { a -> }", "svg")


@pytest.mark.needs_dot
def test_system_dot_error_names_the_line() -> None:
    require_binary("dot")
    with pytest.raises(rendering.RenderError, match="syntax error in line 1"):
        rendering.render("digraph { a -> }", "svg", engine="system")


def test_forcing_the_system_engine_without_dot_says_so(no_system_dot: None) -> None:
    with pytest.raises(rendering.RenderError, match="not on the PATH"):
        rendering.render("digraph { a }", "svg", engine="system")


def test_png_rendering_is_given_the_vendored_dejavu_fonts() -> None:
    # resvg is handed the vendored fonts, so PNG labels look the same on every machine.
    assert sorted(Path(f).name for f in rendering.font_files()) == [
        "DejaVuSans-Bold.ttf",
        "DejaVuSans.ttf",
    ]
    assert all(Path(f).is_file() for f in rendering.font_files())


def test_transparent_paint_is_replaced_in_svg() -> None:
    svg = b'<svg><polygon fill="transparent" stroke="transparent"/></svg>'
    assert rendering.clean_svg(svg) == b'<svg><polygon fill="none" stroke="none"/></svg>'


def test_hostile_text_renders_literally_in_the_embedded_svg(no_system_dot: None) -> None:
    prog = sample_program().model_copy(deep=True)
    prog.steps[1].label = HOSTILE
    svg = rendering.render(detailed_dot(prog), "svg")
    assert squeeze(HOSTILE) in squeeze(node_text(svg, "s1"))


@pytest.mark.needs_dot
def test_hostile_text_renders_literally_with_system_dot() -> None:
    require_binary("dot")
    prog = sample_program().model_copy(deep=True)
    prog.steps[1].label = HOSTILE
    svg = rendering.render(detailed_dot(prog), "svg", engine="system")
    assert squeeze(HOSTILE) in squeeze(node_text(svg, "s1"))


LABEL = st.text(min_size=1, max_size=40).filter(lambda s: s.strip())


@given(LABEL)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_label_round_trips_through_the_embedded_engine(no_system_dot: None, text: str) -> None:
    prog = sample_program().model_copy(deep=True)
    prog.steps[1].label = text
    prog.links[4].label = text
    svg = rendering.render(detailed_dot(prog), "svg")
    expected = squeeze(re.sub(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]", "", text))
    assert expected in squeeze(node_text(svg, "s1"))


@st.composite
def programs(draw: st.DrawFn, phases: int = 4, steps: int = 10, links: int = 14) -> Program:
    """Random shapes of program: phases, steps of every kind, links anywhere."""
    n_phases = draw(st.integers(1, phases))
    n_steps = draw(st.integers(0, steps))
    kinds = list(StepKind)
    step_list = [
        {
            "id": f"s{i}",
            "phase": f"p{draw(st.integers(0, n_phases - 1))}",
            "kind": draw(st.sampled_from(kinds)).value,
            "label": f"Étape {i}",
            "channel": draw(st.sampled_from([None, "email", "sms", "web"])),
        }
        for i in range(n_steps)
    ]
    pairs = st.tuples(st.integers(0, n_steps - 1), st.integers(0, n_steps - 1), st.booleans())
    pairs_drawn = draw(st.lists(pairs, max_size=links)) if n_steps else []
    return Program.model_validate(
        {
            "id": "random",
            "title": "Aléatoire",
            "objective": "basket",
            "phases": [{"id": f"p{i}", "label": f"Phase {i}"} for i in range(n_phases)],
            "steps": step_list,
            "links": [
                {"from": f"s{a}", "to": f"s{b}", "label": "oui" if lab else ""}
                for a, b, lab in dict.fromkeys(pairs_drawn)
            ],
        }
    )


@given(programs())
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_program_shape_lays_out_without_crashing_the_embedded_engine(
    no_system_dot: None, prog: Program
) -> None:
    for dot in (macro_dot(prog), detailed_dot(prog)):
        rendering.render(dot, "svg")


@pytest.mark.needs_dot
@given(programs())
@settings(max_examples=40, deadline=None)
def test_any_program_shape_lays_out_without_crashing_system_dot(prog: Program) -> None:
    require_binary("dot")
    for dot in (macro_dot(prog), detailed_dot(prog)):
        rendering.render(dot, "svg", engine="system")


def template_programs() -> list[tuple[Program, object]]:
    from journeys.contract.yaml_io import load_file

    docs = [load_file(p) for p in sorted(TEMPLATES.glob("*.yaml"))]
    journeys = {d.id: d for d in docs if d.kind == "journey"}
    return [(d, journeys.get(d.journey)) for d in docs if isinstance(d, Program)]


@pytest.mark.parametrize(
    "engine", ["embedded", pytest.param("system", marks=pytest.mark.needs_dot)]
)
def test_every_template_program_renders_both_views(engine: str) -> None:
    if engine == "system":
        require_binary("dot")
    pairs = template_programs()
    if not pairs:
        pytest.skip("no program templates yet")
    for prog, journey in pairs:
        for build in (macro_dot, detailed_dot):
            svg = rendering.render(build(prog, journey), "svg", engine=engine)
            assert prog.title in "".join(ET.fromstring(svg).itertext()), prog.id


def test_embedded_pdf_of_a_diagram_opens_with_poppler(tmp_path: Path) -> None:
    require_binary("pdftoppm")
    pdf = tmp_path / "d.pdf"
    dot = macro_dot(sample_program(), sample_journey())
    pdf.write_bytes(rendering.render(dot, "pdf", engine="embedded"))
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "p")], check=True)
    assert list(tmp_path.glob("p*.png"))

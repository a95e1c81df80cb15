"""Fresh install to serving: clone the repository, install the locked dependencies with uv
(warm package cache, as on a second machine of the team), start the app and wait until it
serves. Floor: starting a trivial Streamlit page from an environment already installed.

Run: uv run python -m bench.bench_install
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Figure, print_table
from tests.e2e.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]


def _serve(python: str, script: Path, cwd: Path, env: dict[str, str] | None = None) -> float:
    """Seconds from launching `streamlit run script` to a healthy answer."""
    import os
    import urllib.request

    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            python,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - started < 120:
            try:
                url = f"http://127.0.0.1:{port}/_stcore/health"
                with urllib.request.urlopen(url, timeout=1) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("streamlit did not serve within 120 s")
    finally:
        process.terminate()
        process.wait(timeout=20)


def figures() -> list[Figure]:
    uv = shutil.which("uv") or f"{sys.executable} -m uv"
    with tempfile.TemporaryDirectory() as folder:
        trivial = Path(folder) / "trivial.py"
        trivial.write_text("import streamlit as st\nst.write('hello')\n")
        floor = _serve(sys.executable, trivial, Path(folder))
        clone = Path(folder) / "clone"
        started = time.perf_counter()
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        subprocess.run([*uv.split(), "sync", "--frozen", "-q"], cwd=clone, check=True)
        installed = time.perf_counter() - started
        python = str(clone / ".venv" / "bin" / "python")
        env = {"JOURNEYS_DATABASE_URL": f"sqlite:///{Path(folder) / 'w.db'}", "VIRTUAL_ENV": ""}
        serving = _serve(python, clone / "app.py", clone, env)
    return [
        Figure(
            "fresh install to serving (clone + uv sync + start)",
            installed + serving,
            floor,
            "trivial page start",
            note=f"install {installed:.1f} s, start {serving:.1f} s; warm uv cache",
        ),
    ]


if __name__ == "__main__":
    print_table(figures())

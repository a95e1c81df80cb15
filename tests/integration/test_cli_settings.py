"""A refused JOURNEYS_* setting stops the `journeys` command with one line naming the variable
and its value, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# The console script's entry point, as .venv/bin/journeys runs it.
ENTRY = "import sys; from journeys.cli import main; sys.argv[0] = 'journeys'; main()"


def test_a_refused_setting_stops_the_command_with_one_line(tmp_path: Path):
    variable, value = "JOURNEYS_TRUSTED_PROXIES", "127.0.0.1, proxy.local"
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("JOURNEYS_")}
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "list"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, variable: value},
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"refused setting: {variable}={value!r}: ")
    assert "'proxy.local' is neither an IP address nor a network" in line
    assert not (tmp_path / "workspace").exists()  # nothing was opened

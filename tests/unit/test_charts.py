"""Charts drawn while another session imports pandas (a fresh server: the library's table in one
session, the board's curve in another)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Plotly peeks at sys.modules["numpy"] and ["pandas"] without importing them. While another
# thread is importing them, they are there but half made, and plotly's checks fail.
SCRIPT = textwrap.dedent(
    """
    import sys, threading, time
    import plotly.graph_objects as go
    from journeys import services
    from journeys.charts import emotion_figure, irritant_heatmap
    from journeys.model import Journey

    go.Figure(go.Scatter(x=[1, 2], y=[1, 2], text=["a", "b"])).to_json()  # plotly warmed up
    journey = services._template("first_subscription.fr.journey", Journey)
    threading.Thread(target=lambda: __import__("pandas"), daemon=True).start()
    while "pandas" not in sys.modules:
        time.sleep(0.0005)
    emotion_figure(journey, lang="fr").to_json()
    irritant_heatmap(journey, lang="fr").to_json()
    print("drawn")
    """
)


def test_charts_are_drawn_while_another_thread_is_importing_pandas():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "drawn"

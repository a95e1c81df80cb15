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
    from journeys.library.templates import load_template
    from journeys.board.charts import emotion_figure, irritant_heatmap
    from journeys.contract.model import Journey

    go.Figure(go.Scatter(x=[1, 2], y=[1, 2], text=["a", "b"])).to_json()  # plotly warmed up
    journey = load_template("first_subscription.fr.journey", Journey)
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


def test_on_a_phone_each_moment_is_one_short_slanted_line_with_its_whole_name_in_the_hover():
    from journeys.board.charts import emotion_figure
    from journeys.contract.model import Journey

    journey = Journey.model_validate(
        {
            "id": "j",
            "title": "J",
            "moments": [
                {"id": "a", "label": "<b>Découverte</b> de l'offre d'essai", "key": True},
                {"id": "b", "label": "Choix"},
            ],
            "channels": [{"id": "web", "label": "Web"}],
        }
    )
    narrow = emotion_figure(journey, lang="fr", narrow=True)
    assert list(narrow.layout.xaxis.ticktext) == ["★ &lt;b&gt;Découverte&lt;/…", "Choix"]
    assert narrow.layout.xaxis.tickangle == -40
    assert "<br>" in narrow.layout.title.subtitle.text  # the subtitle on two lines
    assert "&lt;b&gt;Découverte&lt;/b&gt; de l'offre d'essai" in narrow.data[0].hovertext[0]

    wide = emotion_figure(journey, lang="fr")
    assert (
        wide.layout.xaxis.ticktext[0]
        == "★<br>&lt;b&gt;Découverte&lt;/b&gt;<br>de l'offre<br>d'essai"
    )
    assert wide.layout.xaxis.tickangle is None

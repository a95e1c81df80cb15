"""The exports page offers a journey as a PowerPoint deck: a progress bar while it is built,
then the file, named after the journey and the day, to download."""

from __future__ import annotations

import io
from datetime import date

from pptx import Presentation

from journeys import services
from tests.ui.helpers import click, open_page

JOURNEY = "renouvellement-duree-fixe"


def test_the_exports_page_prepares_the_deck_with_a_progress_bar(workspace):
    services.create_from_template("fixed_term_renewal.fr.journey", store=workspace)
    at = open_page("pages/exports/page.py", lang="en", journey=JOURNEY)
    formats = at.button_group(key="exports_format_journey")
    formats.set_value("pptx")
    click(at, "exports_prepare")
    export = at.session_state["exports_result"][1]
    assert export.filename == f"{JOURNEY}_{date.today().isoformat()}.pptx"
    bars = at.get("progress")
    assert bars and bars[-1].value == 100, "the bar went to the end"
    assert at.get("download_button"), "the download button is offered"
    deck = Presentation(io.BytesIO(export.data))
    titles = [s.shapes.title.text_frame.text for s in deck.slides if s.shapes.title is not None]
    assert "Journey board" in titles, "the deck's words in the language chosen"

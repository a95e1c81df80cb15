"""The exports page makes the journey PDF a manager expects (its first page sums the findings
up) and adds the full findings table as an appendix only when the box is ticked."""

from __future__ import annotations

import io

from pypdf import PdfReader

from journeys import services
from tests.ui.helpers import click, open_page, run

JOURNEY = "renouvellement-duree-fixe"


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_the_findings_appendix_is_added_only_when_its_box_is_ticked(workspace):
    services.create_from_template("fixed_term_renewal.fr.journey", store=workspace)
    at = open_page("pages/exports/page.py", lang="en", journey=JOURNEY)
    box = at.checkbox(key="exports_appendix")
    assert box.label == "Add the full findings table as an appendix" and box.value is False
    click(at, "exports_prepare")
    summary = _text(at.session_state["exports_result"][1].data)
    assert "Strongest irritants and breaks" in summary and "APPENDIX" not in summary

    run(at.checkbox(key="exports_appendix").check())
    assert "exports_result" not in at.session_state, "a changed choice drops the old file"
    click(at, "exports_prepare")
    full = _text(at.session_state["exports_result"][1].data)
    assert "APPENDIX Irritants, breaks and improvement axes" in full

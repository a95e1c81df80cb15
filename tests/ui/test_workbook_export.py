"""The exports page offers a journey as an Excel workbook, prepared and downloaded like a PDF."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from journeys import services
from tests.ui.helpers import click, open_page

JOURNEY = "renouvellement-duree-fixe"


def test_the_exports_page_prepares_the_editable_workbook(workspace):
    services.create_from_template("fixed_term_renewal.fr.journey", store=workspace)
    at = open_page("pages/exports/page.py", lang="en", journey=JOURNEY)
    formats = at.button_group(key="exports_format_journey")
    assert "Excel (editable grid)" in formats.options
    formats.set_value("xlsx")
    click(at, "exports_prepare")
    export = at.session_state["exports_result"][1]
    assert export.filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(export.data))
    assert book.sheetnames[:2] == ["Grid", "Findings"], "sheet names in the language chosen"
    assert at.get("download_button"), "the download button is offered"

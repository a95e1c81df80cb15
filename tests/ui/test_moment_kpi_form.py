"""The moment form under the board edits a moment's KPI too: what is saved is in the store, and
in what the canvas is given for its KPI lane; emptied, it is cleared."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from journeys import services
from tests.ui.helpers import open_page, run

TEMPLATE = "fixed_term_renewal.fr.journey"


def _board(at: AppTest) -> dict:
    found = [e for e in at.get("bidi_component") if e.key == "board_canvas"]
    assert len(found) == 1, "no canvas on the board"
    return json.loads(found[0].proto.bytes.partition(b"\n")[2])


def _save_kpi(at: AppTest, workspace, jid: str, value: str) -> AppTest:
    editable = services.get_journey_for_edit(jid, store=workspace)
    first = editable.journey.moments[0]
    form = f"board_moment_{first.id}_{editable.moment_versions[first.id]}"
    at.text_input(key=f"{form}_kpi").input(value)
    return run(at.button(key=f"{form}_submit").click())


def test_the_moment_form_saves_and_clears_a_moments_kpi(workspace):
    jid = services.create_from_template(TEMPLATE, store=workspace).id
    at = open_page("pages/board/page.py", journey=jid)
    at.session_state["board_edit_tab"] = "Moments de vie"
    run(at)

    at = _save_kpi(at, workspace, jid, "  Taux de réabonnement 62 % <b>x</b> ")
    first = services.get_journey(jid, store=workspace).moments[0]
    assert first.kpi == "Taux de réabonnement 62 % <b>x</b>"
    assert _board(at)["moments"][0]["kpi"] == "Taux de réabonnement 62 % <b>x</b>"

    at = _save_kpi(at, workspace, jid, "")
    assert services.get_journey(jid, store=workspace).moments[0].kpi is None
    assert "kpi" not in _board(at)["moments"][0]

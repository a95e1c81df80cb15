"""The library's "what changed": two versions of the working journey picked, the changes shown as
a list and on the board (colour, symbol, legend), in French and English, user text as text."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from journeys import services
from journeys.contract.model import Finding, FindingType, Touchpoint
from tests.fixtures.user_text import PAYLOAD
from tests.ui.helpers import as_shown, open_page, run

JID = "diff-piege"
LABEL = f"Point {PAYLOAD}"
FINDING = f"Constat {PAYLOAD}"
SNAPSHOT = f"Atelier {PAYLOAD}"
# What an unescaped PAYLOAD would become in Markdown or HTML.
LIVE = ("<img src=x>", "](http://h", "**b**")


@pytest.fixture
def edited(workspace) -> tuple[int, int]:
    """The journey snapshotted, then edited: a label, a finding, a touchpoint, a move."""
    services.create_from_template("first_subscription.fr.journey", store=workspace, new_id=JID)
    first = services.snapshot_journey(JID, SNAPSHOT, store=workspace).id
    editable = services.get_journey_for_edit(JID, store=workspace)
    one, two = editable.journey.touchpoints[:2]
    services.update_touchpoint(
        JID,
        one.id,
        one.model_copy(update={"label": LABEL}),
        store=workspace,
        expected_version=editable.touchpoint_versions[one.id],
    )
    finding = Finding(type=FindingType.IRRITANT, intensity=2, text=FINDING)
    services.add_finding(JID, one.id, finding, store=workspace)
    last = editable.journey.moments[-1].id
    services.update_touchpoint(
        JID,
        two.id,
        two.model_copy(update={"moment": last}),
        store=workspace,
        expected_version=editable.touchpoint_versions[two.id],
    )
    services.add_touchpoint(
        JID,
        Touchpoint(id="nouveau", moment=last, channel=one.channel, label="Nouveau"),
        store=workspace,
    )
    second = services.snapshot_journey(JID, "après", store=workspace).id
    return first, second


def diff_view(lang: str, before: int, after: int | None = None) -> AppTest:
    at = open_page("pages/library/page.py", lang=lang, journey=JID)
    at.toggle(key="library_diff_on").set_value(True)
    run(at)
    at.selectbox(key="library_diff_from").set_value(before)
    at.selectbox(key="library_diff_to").set_value(after)
    return run(at)


def listing(at: AppTest) -> list[str]:
    """The diff's lines, as the browser shows them (after their group's heading)."""
    blocks = [m.value for m in at.markdown if m.value.startswith("**")]
    return [as_shown(line) for block in blocks for line in block.split("  \n")[1:]]


def markdown_texts(at: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "info", "subheader", "title", "success", "error", "warning")
    texts = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    texts += [t.label for t in at.tabs] + [e.label for e in at.expander]
    return texts


@pytest.mark.parametrize(("lang", "words"), [("fr", "Modifié"), ("en", "Changed")])
def test_the_diff_view_lists_and_draws_the_changes_with_user_text_as_text(edited, lang, words):
    first, _ = edited

    at = diff_view(lang, first)  # compared with now

    lines = listing(at)
    assert len(lines) == 4, lines  # label changed, finding added, touchpoint moved and added
    assert any(LABEL in line for line in lines) and any(FINDING in line for line in lines)
    board = "".join(h.value for h in at.get("html") if "jb-board" in h.value)
    assert "jb-x-changed" in board and "jb-x-moved" in board and "jb-x-added" in board
    assert "jb-fx-added" in board
    assert f"~ {words}" in board  # the legend, and the changed card's badge
    assert "<img src=x>" not in board
    assert "Point ![p](http://h/n.png) [x](http://h) &lt;img src=x&gt;" in board
    shown = markdown_texts(at)
    assert not [t for t in shown for live in LIVE if live in t], shown


def test_the_diff_view_names_the_snapshots_as_typed_and_refuses_one_version_against_itself(
    edited,
):
    first, second = edited

    at = diff_view("en", first, first)

    options = at.selectbox(key="library_diff_from").options
    assert any(SNAPSHOT in option for option in options)  # selectbox options are plain text
    assert "Pick two different versions." in [i.value for i in at.info]
    assert not listing(at)

    at = run(at.selectbox(key="library_diff_to").set_value(second))
    assert len(listing(at)) == 4

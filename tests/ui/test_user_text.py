"""User text is shown as text on every page: Markdown and HTML typed into titles, persona, labels,
findings, program titles, verbatims and participants' notes never become an image, a link or
emphasis. Every page is walked with such text everywhere; every string Streamlit would render
as Markdown (bodies, labels, options, tab and expander titles, metrics…) is read."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from pages.common.text import plain
from tests.fixtures.user_text import (
    FINDING,
    JID,
    MOMENT,
    NOTE,
    PERSONA,
    PROGRAM,
    SHOPPER,
    TITLE,
    TOUCHPOINT,
    VERBATIM,
    Seeded,
    seed,
)
from tests.ui.helpers import button, open_page, run

# Fields of elements that Streamlit renders as Markdown (selectbox and multiselect options are
# plain text: the browser shows them as they are, Markdown or not).
_MARKDOWN_FIELDS = {"body", "label", "options", "content", "title", "help"}
_PLAIN_OPTIONS = {"selectbox", "multiselect"}
_PLAIN_ELEMENTS = {"text", "code", "html", "arrow_data_frame", "plotly_chart", "json", "imgs"}
# What Markdown or HTML would turn into an image, a link or emphasis, once the characters
# escaped with a backslash (taken as text) are set aside.
_LIVE = re.compile(r"!\[|\]\(|<img|<a\b|\*\*b|https?://|www\.")
_ESCAPED = re.compile(r"\\.", re.DOTALL)


def _strings(message: Message, path: str) -> Iterator[tuple[str, str]]:
    for descriptor, value in message.ListFields():
        values = value if descriptor.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item, f"{path}.{descriptor.name}")
            elif isinstance(item, str):
                yield f"{path}.{descriptor.name}", item


def _nodes(node) -> Iterator:
    yield node
    if isinstance(node, Block):
        for child in node.children.values():
            yield from _nodes(child)


def markdown_strings(at: AppTest) -> list[tuple[str, str]]:
    """(where, text) of every string on the page that Streamlit renders as Markdown."""
    found = []
    for node in _nodes(at._tree):
        proto, kind = getattr(node, "proto", None), getattr(node, "type", "")
        if not isinstance(proto, Message) or kind in _PLAIN_ELEMENTS:
            continue
        for where, text in _strings(proto, kind):
            name = where.rsplit(".", 1)[-1]
            if name in _MARKDOWN_FIELDS and not (kind in _PLAIN_OPTIONS and name == "options"):
                found.append((where, text))
    return found


def assert_user_text_inert(at: AppTest) -> list[str]:
    """No Markdown string on the page holds live Markdown or HTML; return them all."""
    shown = markdown_strings(at)
    live = [(where, text) for where, text in shown if _LIVE.search(_ESCAPED.sub("\0", text))]
    assert not live, live
    html = "".join(h.value for h in at.get("html"))
    assert "<img src=x" not in html and 'href="http://h' not in html
    return [text for _, text in shown]


def assert_shown(at: AppTest, *typed: str) -> None:
    """Each of `typed` is on the page, escaped, in a string rendered as Markdown."""
    shown = "\n".join(assert_user_text_inert(at))
    for text in typed:
        assert plain(text) in shown, (text, shown)


@pytest.fixture
def seeded(workspace) -> Seeded:
    return seed(workspace)


def test_every_page_shows_markdown_and_html_typed_by_users_as_text(seeded):
    touched = seeded.touchpoint

    library = open_page("pages/library/page.py", journey=JID)
    assert_shown(library, TITLE)

    board = open_page("pages/board/page.py", journey=JID)
    assert_shown(board, TITLE, PERSONA)
    run(board.button(key=f"inbox_accept_{seeded.note}").click())  # the note becomes a finding
    assert_shown(board, NOTE)
    board.session_state["board_dialog"] = touched.id  # the touchpoint's dialog
    run(board)
    assert_shown(board, FINDING)
    board.session_state["board_confirm"] = {  # deleting a moment that holds touchpoints
        "kind": "moment",
        "ident": touched.moment,
        "version": 1,
        "label": MOMENT,
        "count": 2,
    }
    run(board)
    assert_shown(board, MOMENT)

    capture = open_page("pages/library/page.py")  # a participant's phone, from the QR code
    capture.query_params.update({"j": JID, "code": seeded.code})
    capture.switch_page("pages/capture/page.py")
    run(capture)
    capture.button_group(key="capture_moment").set_value(touched.moment)
    capture.button_group(key="capture_channel").set_value(touched.channel)
    run(capture)
    assert_shown(capture, MOMENT, TOUCHPOINT)

    visits = open_page("pages/visits/page.py", journey=JID)
    visits.selectbox(key="visits_pick").set_value(seeded.visit)
    run(visits)
    assert_shown(visits, TITLE, MOMENT)

    road = open_page("pages/road/page.py", journey=JID)
    road.selectbox(key="road_start_journey").set_value(JID)
    road.text_input(key="road_shopper").input(SHOPPER)
    run(road)
    run(button(road, "Commencer la visite").click())
    assert_shown(road, TITLE)

    compare = open_page("pages/compare/page.py", journey=JID)
    assert_shown(compare, TITLE)

    programs = open_page("pages/programs/page.py", journey=JID)
    assert_shown(programs, PROGRAM, TITLE)

    exports = open_page("pages/exports/page.py", journey=JID)
    assert_user_text_inert(exports)


def test_a_verbatim_shows_as_text_with_its_quotation_marks_once(seeded):
    visits = open_page("pages/visits/page.py", journey=JID)
    visits.selectbox(key="visits_pick").set_value(seeded.visit)
    run(visits)
    captions = [c.value for c in visits.caption]
    assert plain(VERBATIM) in captions, captions  # its own quotation marks, not doubled
    assert not [c for c in captions if "« «" in c or "» »" in c]

"""User text through `pages.common.text.plain`: read back by a CommonMark parser, it is the same
text, with no link, image, emphasis, HTML or autolink left in it."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pages.common.text import WORD_JOINER, plain, unquoted

PAYLOADS = [
    "![p](http://h/n.png)",
    "[x](http://h)",
    "<img src=x>",
    "<a href='http://h'>x</a>",
    "**b**",
    '=HYPERLINK("http://h","x")',
    "http://h.example/n.png and www.h.example and a@h.example",
    "# title\n- item\n1. first\n> quote\n    code\n---",
    "| a | b |\n|---|---|\n| c | d |",
    ":red[r] :smile: :material/home: $x^2$ ~~s~~ `c` _e_ &amp; \\*",
]
# What would make Streamlit's Markdown more than text.
_MARKUP = re.compile(r"<(?!/?p>|br />)[a-z]")
# GitHub's autolink literals, as found in the text once the escapes are read.
_AUTOLINK = re.compile(r"(?i)(?:https?://|www\.)[-.\w]|[-.\w+]+@[-\w]+\.[-\w]")
_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _rendered(text: str) -> tuple[str, str]:
    """The HTML CommonMark makes of `plain(text)`, and the text it shows."""
    rendered = _PARSER.render(plain(text))
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered.replace("<br />\n", "\n")))
    return rendered, shown.strip("\n").replace("\u00a0", " ")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_renders_no_markup_and_shows_as_typed(payload):
    rendered, shown = _rendered(payload)
    assert not _MARKUP.search(rendered), rendered
    assert rendered.count("<p>") <= 1, rendered  # no heading, list, quote, rule, table…
    assert shown.replace(WORD_JOINER, "") == payload
    assert not _AUTOLINK.search(shown), shown


def test_plain_text_escapes_streamlits_own_directives_emoji_and_maths():
    escaped = plain(":red[r] :smile: :material/home: $x$")
    assert re.search(r"(?<!\\)[:$\[]", escaped) is None, escaped


def test_plain_text_keeps_line_breaks_as_line_breaks():
    assert plain("one\ntwo\r\nthree") == "one  \ntwo  \nthree"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n ")))
def test_any_text_comes_back_as_typed(text):
    rendered, shown = _rendered(text)
    assert not _MARKUP.search(rendered), rendered
    assert not _AUTOLINK.search(shown), shown
    # Markdown trims the blanks at a line's ends: the words are what must come back.
    assert shown.replace(WORD_JOINER, "").split() == text.split()


@pytest.mark.parametrize(
    ("verbatim", "shown"),
    [
        ("« Le conseiller a raccroché »", "Le conseiller a raccroché"),
        ("“Never again”", "Never again"),
        ('"Trop long"', "Trop long"),
        ("«\u00a0Deux fois\u00a0»", "Deux fois"),
        ("Sans guillemets", "Sans guillemets"),
        ('"A" ou "B"', '"A" ou "B"'),
        ("« »", "« »"),
    ],
)
def test_a_verbatim_loses_the_quotation_marks_around_it(verbatim, shown):
    assert unquoted(verbatim) == shown

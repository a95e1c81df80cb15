"""User text shown as text: what Streamlit renders as Markdown gets it with every special inert."""

from __future__ import annotations

import re

# Streamlit renders Markdown (GitHub's, plus its own :color[…], :emoji:, :material/…: and $…$)
# in st.markdown, st.caption, st.title/header/subheader, alerts, toasts, and in the labels of
# widgets, tabs, expanders, popovers, dialogs and metrics, and in the options of radio, pills
# and segmented controls. Selectbox and multiselect options, st.text, st.code, dataframes and
# text inputs' values are plain text already: they take user text as it is.

# Every ASCII punctuation character may be backslash-escaped in CommonMark: escaped, none of
# them opens a link, an image, emphasis, HTML, a heading, a list, a table or a directive.
_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub's autolinks (www.…, http(s)://…, name@host) are found in the text after the escapes
# are read: an invisible word joiner at the one place each needs breaks them.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?<=:)(?=//)|(?=@)")
# Four spaces at a line's start would make a code block: no-break spaces are only text.
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_NEWLINE = re.compile(r"\r\n?|\n")

_QUOTES = {"«": "»", "“": "”", "„": "“", '"': '"', "'": "'", "‹": "›", "‘": "’"}


def plain(text: object) -> str:
    """Return `text` written so that Streamlit's Markdown shows it literally, as typed.

    For every element that renders Markdown (see above), never for plain-text ones (where the
    backslashes would show). Each line break stays a line break."""
    escaped = _SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, str(text)))
    escaped = _INDENT.sub(lambda m: "\u00a0" * len(m.group()), escaped)
    return "  \n".join(_NEWLINE.split(escaped))


def unquoted(text: str) -> str:
    """Return `text` without the quotation marks around it, if it has a matching pair
    (« … », “ … ”, " … "…): a verbatim read from an agency's file often comes quoted."""
    stripped = text.strip()
    while len(stripped) >= 2 and _QUOTES.get(stripped[0]) == stripped[-1]:
        inner = stripped[1:-1]
        if stripped[0] in inner or stripped[-1] in inner:  # "a" or "b": two quotes, not one
            break
        stripped = inner.strip()
    return stripped or text.strip()


class AsIs:
    """HTML for st.html to send as it is. Given a string, st.html first dedents and strips it,
    line by line: on a large block (the board's 700 kB, the language script's 12 kB) that costs
    more than the rest of the element. For HTML with nothing to dedent or strip."""

    __slots__ = ("html",)

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

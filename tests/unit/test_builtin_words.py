"""Streamlit's own English words, said in the interface's language (pages/common/lang.py): each
one the app swaps is still Streamlit's (its frontend bundle says it, so an upgrade that rewords
one is caught here), each has its words in both catalogues, and the script is built right."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit

from journeys import i18n
from pages.common import lang

BUNDLE = "\n".join(
    path.read_text("utf-8", "replace")
    for path in (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("*.js")
)
# Sentences the bundle puts together from parts: the parts it must still hold.
COMPOSED = {
    "builtin.add_icon": ["} icon`"],
    "builtin.page_missing": [
        "`The page that you have requested does not seem to exist`",
        "`${t}. Running the app's main page.`",
    ],
    "builtin.enter_apply": ["`Press Enter to ${e}`", "`apply`"],
    "builtin.enter_submit": ["`Press Enter to ${e}`", "`submit form`"],
    "builtin.ctrl_enter_apply": ["+Enter to ${e}`", "`Ctrl`"],
    "builtin.ctrl_enter_submit": ["+Enter to ${e}`", "`Ctrl`"],
    "builtin.cmd_enter_apply": ["+Enter to ${e}`", "`⌘`"],
    "builtin.cmd_enter_submit": ["+Enter to ${e}`", "`⌘`"],
}


@pytest.mark.parametrize("key", sorted(lang.WORDS))
def test_each_swapped_word_is_still_streamlits(key):
    english = lang.WORDS[key]
    parts = COMPOSED.get(key, [f"`{english}`"])
    assert all(part in BUNDLE for part in parts), (key, english)


def test_every_swapped_word_and_sentence_has_its_words_in_both_catalogues():
    keys = {*lang.WORDS, *lang.PATTERNS, "builtin.size_units", "builtin.decimal"}
    for language in i18n.LANGUAGES:
        assert sorted(keys - set(i18n.catalog(language))) == []
    assert all(i18n.t(key, "en") == english for key, english in lang.WORDS.items())
    assert not [k for k in i18n.catalog("fr") if k.startswith("builtin.") and k not in keys]


def test_a_sentence_with_parts_puts_each_part_back():
    for key, source in lang.PATTERNS.items():
        groups = re.compile(source).groups
        wanted = {str(n) for n in range(1, groups + 1)}
        for language in i18n.LANGUAGES:
            assert i18n.placeholders(i18n.t(key, language)) == wanted, (key, language)


def _config(script: str) -> dict:
    return json.loads(re.search(r"const config = (\{.*?\});\n", script).group(1))


def test_the_french_script_swaps_streamlits_words_and_the_english_one_swaps_none():
    french = _config(lang.language_script("fr"))
    assert french["lang"] == "fr" and french["active"]
    assert french["words"]["Upload"] == "Choisir un fichier"
    assert french["words"]["Page not found"] == "Page introuvable"
    assert ["^Remove (.+)$", "Retirer {1}"] in french["patterns"]
    english = _config(lang.language_script("en"))
    assert english["lang"] == "en" and not english["active"]
    assert english["words"] == {} and english["patterns"] == []


def test_no_word_in_the_script_can_close_it():
    """The catalogue's words go into a <script>: none may end it early."""
    for language in i18n.LANGUAGES:
        script = lang.language_script(language)
        assert script.count("</script>") == 1 and script.rstrip().endswith("</script>")

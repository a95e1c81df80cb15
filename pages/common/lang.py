"""The browser hears the interface's language: `<html lang>` follows it (so that the browser
hyphenates French words as French and a screen reader speaks French), the app's text
hyphenates instead of breaking words, and Streamlit's own English words are said in it.

Streamlit (1.67) draws some words itself, in English only: the uploader's button, limit and
drop hint, the "Page not found" dialog, the hints under text fields, the table's toolbar and
column menu, the calendar's labels, the status widget. A script swaps them for the catalogue's
(`builtin.*` in locales/*.ui.json), only inside Streamlit's own elements (found by their test
ids) and never in what a page writes (labels, Markdown, st.html, file names), again whenever a
rerun redraws them, and back when the interface turns English. The calendar's month and day
names follow the browser's language in Streamlit: they are turned into the interface's too.
"""

from __future__ import annotations

import json
from functools import cache

import streamlit as st

from journeys.i18n import t
from pages.common.text import AsIs

# Catalogue key -> Streamlit's own English text, word for word (as its frontend bundle says it).
WORDS: dict[str, str] = {
    "builtin.upload": "Upload",
    "builtin.upload_directories": "Upload directories",
    "builtin.add_files": "Add files",
    "builtin.add_icon": "add icon",
    "builtin.file_input": "file upload",
    "builtin.drop_file": "Drag and drop a file here",
    "builtin.drop_files": "Drag and drop files here",
    "builtin.drop_directories": "Drag and drop directories here",
    "builtin.page_not_found": "Page not found",
    "builtin.page_missing": (
        "The page that you have requested does not seem to exist. Running the app's main page."
    ),
    "builtin.close": "Close",
    "builtin.enter_apply": "Press Enter to apply",
    "builtin.enter_submit": "Press Enter to submit form",
    "builtin.ctrl_enter_apply": "Press Ctrl+Enter to apply",
    "builtin.ctrl_enter_submit": "Press Ctrl+Enter to submit form",
    "builtin.cmd_enter_apply": "Press ⌘+Enter to apply",
    "builtin.cmd_enter_submit": "Press ⌘+Enter to submit form",
    "builtin.no_results": "No results",
    "builtin.no_options": "No options to select",
    "builtin.choose_option": "Choose an option",
    "builtin.choose_options": "Choose options",
    "builtin.add_option": "Add an option",
    "builtin.add_options": "Add options",
    "builtin.choose_or_add_option": "Choose or add an option",
    "builtin.choose_or_add_options": "Choose or add options",
    "builtin.clear_all": "Clear all",
    "builtin.clear_value": "Clear value",
    "builtin.select_all": "Select all",
    "builtin.open": "Open",
    "builtin.increment": "Increment",
    "builtin.decrement": "Decrement",
    "builtin.above_range": "Number is above the allowed range.",
    "builtin.below_range": "Number is below the allowed range.",
    "builtin.show_hide_columns": "Show/hide columns",
    "builtin.download_csv": "Download as CSV",
    "builtin.search": "Search",
    "builtin.type_to_search": "Type to search",
    "builtin.previous_result": "Previous Result",
    "builtin.next_result": "Next Result",
    "builtin.close_search": "Close Search",
    "builtin.fullscreen": "Fullscreen",
    "builtin.close_fullscreen": "Close fullscreen",
    "builtin.column_menu": "Dataframe column menu",
    "builtin.copy_column_name": "Copy column name",
    "builtin.sort_ascending": "Sort ascending",
    "builtin.sort_descending": "Sort descending",
    "builtin.statistics": "Statistics",
    "builtin.autosize": "Autosize",
    "builtin.pin_column": "Pin column",
    "builtin.unpin_column": "Unpin column",
    "builtin.hide_column": "Hide column",
    "builtin.add_row": "Add row",
    "builtin.delete_rows": "Delete row(s)",
    "builtin.loading": "Loading...",
    "builtin.count": "Count",
    "builtin.distinct": "Distinct",
    "builtin.average": "Average",
    "builtin.median": "Median",
    "builtin.sum": "Sum",
    "builtin.standard_deviation": "Standard deviation",
    "builtin.automatic": "Automatic",
    "builtin.localized": "Localized",
    "builtin.plain": "Plain",
    "builtin.percent": "Percent",
    "builtin.scientific": "Scientific",
    "builtin.accounting": "Accounting",
    "builtin.choose_date": "Choose date",
    "builtin.previous_month": "Previous month",
    "builtin.next_month": "Next month",
    "builtin.calendar_keys": "Use arrow keys to navigate dates. Enter to select. Escape to close.",
    "builtin.month": "month",
    "builtin.year": "year",
    "builtin.clear_date": "Clear date",
    "builtin.clear_time": "Clear time",
    "builtin.running": "Running...",
    "builtin.stop": "Stop",
    "builtin.stopping": "Stopping...",
    "builtin.rerun": "Rerun",
    "builtin.connecting": "Connecting",
    "builtin.please_wait": "Please wait...",
    "builtin.main_menu": "Main menu",
    "builtin.print": "Print",
    "builtin.settings": "Settings",
    "builtin.about": "About",
    "builtin.clear_cache": "Clear cache",
    "builtin.record_screencast": "Record a screencast",
    "builtin.skip_to_content": "Skip to main content",
    "builtin.connection_error": "Connection error",
    "builtin.not_responding": (
        "Streamlit server is not responding. Are you connected to the internet?"
    ),
    "builtin.unable_to_connect": "Unable to connect to Streamlit server",
    "builtin.timed_out": "Connection timed out.",
    "builtin.still_running": (
        "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in "
        "your terminal:"
    ),
}

# Catalogue key -> Streamlit's English sentence with parts (a size, a file or page name):
# the catalogue's message puts the parts back as {1}, {2}; a size is written the reader's way.
_SIZE = r"(\d+(?:\.\d+)?[KMGT]?B)"
PATTERNS: dict[str, str] = {
    "builtin.per_file": rf"^{_SIZE} per file$",
    "builtin.file_size": rf"^{_SIZE}$",
    "builtin.file_named": rf"^(.+), {_SIZE}$",
    "builtin.remove_file": r"^Remove (.+)$",
    "builtin.page_missing_named": (
        r"^You have requested page /(.*), but no corresponding file was found in the app's "
        r"pages/ directory\. Running the app's main page\.$"
    ),
    "builtin.options_available": r"^(\d+) options? available\.$",
    "builtin.choose_date_in": r"^Choose date, (.+)$",
    "builtin.today_selected": r"^Today, (.+) selected$",
    "builtin.today": r"^Today, (.+)$",
    "builtin.selected": r"^(.+) selected$",
    "builtin.day_of": r"^day, (.+)$",
    "builtin.month_of": r"^month, (.+)$",
    "builtin.year_of": r"^year, (.+)$",
    "builtin.hour_of": r"^hour, (.+)$",
    "builtin.minute_of": r"^minute, (.+)$",
}

# Streamlit's own elements, where its words are. A page's st.dialog holds the page's words.
SCOPES = ", ".join(
    (
        "[data-testid=stFileUploaderDropzone]",
        "[data-testid=InputInstructions]",
        "[data-testid=stDateInput]",
        "[data-testid=stTimeInput]",
        "[data-testid=stDateInputCalendar]",
        "[role=dialog]:not(:has([data-testid=stVerticalBlock]))",
        "[role=menu]",
        "[data-testid=stElementToolbar]",
        "[data-testid=stTooltipContent]",
        "[data-testid=stDataFrame]",
        "[data-testid=stDataFrameColumnMenu]",
        "[role=listbox][data-empty=true]",
        "[data-testid=stSelectbox]",
        "[data-testid=stMultiSelect]",
        "[data-testid=stNumberInput]",
        "[data-testid=stHeader]",
        "[data-testid=stStatusWidget]",
        "[data-testid=stSkipToContent]",
        "[data-live-announcer]",
    )
)
# Inside those, what a page or a user wrote: never touched.
KEEP = ", ".join(
    (
        "[data-testid=stFileChipName]",
        "[data-testid=stWidgetLabel]",
        "[data-testid=stMarkdownContainer]:not(button *):not([data-testid=stTooltipContent] *)"
        ":not([role=dialog]:not(:has([data-testid=stVerticalBlock])) *)",
        "[role=option]:not([role=listbox][data-empty=true] *)",
        "[data-baseweb=tag]",
        ".stHtml",
    )
)

# The app's text hyphenates in the document's language; a word is cut without a hyphen only
# when no hyphenation point fits (buttons keep their words whole). The container of this
# script takes no room.
_CSS = """<style>
.st-key-app_lang{display:none}
[data-testid=stLayoutWrapper]:has(>.st-key-app_lang){display:none}
[data-testid=stMarkdownContainer] :is(p,li,td,th):not(button *),
[data-testid=stCaptionContainer],[data-testid=stTable] :is(td,th){hyphens:auto;
 -webkit-hyphens:auto;hyphenate-limit-chars:6 3 2;overflow-wrap:break-word}
</style>"""

_JS = """<script>
(() => {
  const config = %(config)s;
  document.documentElement.lang = config.lang;
  window.__journeysLanguage = config;
  const started = window.__journeysLanguageFix;
  if (!started) {
    const ATTRS = ["aria-label", "title", "placeholder"];
    const CALENDAR = "[data-testid=stDateInputCalendar]";
    const texts = new WeakMap();  // text node -> [Streamlit's text, what was written]
    const attrs = new WeakMap();  // element -> {name: [Streamlit's value, what was written]}
    const compiled = new Map();
    const regex = (source) => compiled.get(source)
      || compiled.set(source, new RegExp(source)).get(source);
    const calendarNames = () => {
      const c = window.__journeysLanguage;
      const browser = navigator.language || "en-US";
      if (c.names !== undefined) return c.names;
      c.names = null;
      if (browser.slice(0, 2).toLowerCase() === c.lang) return null;
      const names = {};
      const pair = (options, day) => {
        const from = new Intl.DateTimeFormat(browser, options).format(day);
        names[from] = new Intl.DateTimeFormat(c.lang, options).format(day);
      };
      for (let m = 0; m < 12; m++) pair({month: "long"}, new Date(2024, m, 15));
      for (let d = 0; d < 7; d++) pair({weekday: "long"}, new Date(2024, 0, 7 + d));
      const info = new Intl.Locale(browser);
      const week = (info.getWeekInfo ? info.getWeekInfo() : info.weekInfo) || {firstDay: 1};
      const narrow = new Intl.DateTimeFormat(c.lang, {weekday: "narrow"});
      // Header letter i is weekday (first day + i); 2024-01-07 was a Sunday.
      c.week = Array.from({length: 7}, (_, i) => narrow.format(
        new Date(2024, 0, 7 + ((week.firstDay + i) %% 7))));
      return (c.names = names);
    };
    const named = (text) => {
      const names = calendarNames();
      if (!names) return text;
      return text.replace(/[^\\s,.]+/gu, (word) => names[word] || word);
    };
    const size = (part) => {
      const c = window.__journeysLanguage;
      const found = /^(\\d+(?:\\.\\d+)?)([KMGT]?B)$/.exec(part);
      if (!found || !c.units) return part;
      const unit = c.units[["B", "KB", "MB", "GB", "TB"].indexOf(found[2])];
      return `${found[1].replace(".", c.decimal)}\\u00a0${unit}`;
    };
    const say = (original, inCalendar) => {
      const c = window.__journeysLanguage;
      const text = original.trim();
      if (!text) return original;
      let out = c.words[text];
      if (out === undefined) {
        for (const [source, template] of c.patterns) {
          const found = regex(source).exec(text);
          if (!found) continue;
          const part = found.slice(1).map((p) => size(inCalendar ? named(p || "") : p || ""));
          out = template.replace(/\\{(\\d)\\}/g, (_, i) => part[i - 1]);
          break;
        }
      }
      if (out === undefined && inCalendar) out = named(text);
      return out === undefined ? original : original.replace(text, out);
    };
    const fixText = (node) => {
      const parent = node.parentElement;
      if (!parent || parent.closest(window.__journeysLanguage.keep)) return;
      let seen = texts.get(node);
      if (!seen || seen[1] !== node.data) seen = [node.data, null];
      const calendar = parent.closest(CALENDAR);
      let out = say(seen[0], calendar !== null);
      const head = calendar && parent.closest("thead th");
      if (head && calendarNames()) {
        out = window.__journeysLanguage.week[[...head.parentElement.children].indexOf(head)];
      }
      if (out !== node.data) node.data = out;
      seen[1] = node.data;
      texts.set(node, seen);
    };
    const fixAttrs = (element) => {
      if (!ATTRS.some((name) => element.hasAttribute(name))) return;
      if (element.closest(window.__journeysLanguage.keep)) return;
      const seen = attrs.get(element) || {};
      const calendar = element.closest(CALENDAR) !== null;
      for (const name of ATTRS) {
        const value = element.getAttribute(name);
        if (value === null) continue;
        if (!seen[name] || seen[name][1] !== value) seen[name] = [value, null];
        const out = say(seen[name][0], calendar);
        if (out !== value) element.setAttribute(name, out);
        seen[name][1] = out;
      }
      attrs.set(element, seen);
    };
    const fixTree = (root) => {
      fixAttrs(root);
      const walk = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        if (node.nodeType === Node.TEXT_NODE) fixText(node); else fixAttrs(node);
      }
    };
    // A node Streamlit added or changed: fixed if it is inside one of its elements, else the
    // elements it holds are. A page's own HTML (the board: large) is skipped at once.
    const visit = (node, added) => {
      const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
      if (!element || !element.isConnected || element.closest(".stHtml")) return;
      const scopes = window.__journeysLanguage.scopes;
      if (element.closest(scopes)) {
        if (node !== element) fixText(node); else if (added) fixTree(element);
        else fixAttrs(element);
      } else if (added && node === element) {
        element.querySelectorAll(scopes).forEach(fixTree);
      }
    };
    window.__journeysLanguageFix = () => {
      const c = window.__journeysLanguage;
      if (document.body) document.body.querySelectorAll(c.scopes).forEach(fixTree);
    };
    new MutationObserver((records) => {
      const c = window.__journeysLanguage;
      if (!c.active && !calendarNames()) return;  // Streamlit's words are the interface's
      for (const record of records) {
        if (record.type === "childList") record.addedNodes.forEach((n) => visit(n, true));
        else visit(record.target, false);
      }
    }).observe(document.body, {childList: true, subtree: true, characterData: true,
      attributes: true, attributeFilter: ATTRS});
  }
  // Every run of this script (the first, a change of language): the whole page at once.
  window.__journeysLanguageFix();
})();
</script>"""


@cache
def _config(lang: str) -> dict[str, object]:
    # In English, Streamlit's words are the interface's: nothing to say (and to undo).
    said = lang != "en"
    words = {english: t(key, lang) for key, english in WORDS.items() if said}
    patterns = [[source, t(key, lang)] for key, source in PATTERNS.items() if said]
    return {
        "lang": lang,
        "words": words,
        "patterns": patterns,
        "active": bool(words or patterns),
        "units": t("builtin.size_units", lang).split(","),
        "decimal": t("builtin.decimal", lang),
        "scopes": SCOPES,
        "keep": KEEP,
    }


@cache
def language_script(lang: str) -> str:
    """The script (for st.html with JavaScript allowed) that gives the page the language
    `lang`: `<html lang>` and Streamlit's words."""
    config = json.dumps(_config(lang), ensure_ascii=False).replace("<", "\\u003c")
    return _JS % {"config": config}


def follow_language(lang: str) -> None:
    """Give the page the interface's language: call once per run, as early as possible (its
    script runs again when `lang` changes, and keeps Streamlit's words in it meanwhile)."""
    st.html(AsIs(_CSS))  # style only: Streamlit puts it aside, it takes no room
    with st.container(key="app_lang"):
        # as it is: st.html would dedent the script's 12 kB on every run of every page
        st.html(AsIs(language_script(lang)), unsafe_allow_javascript=True)

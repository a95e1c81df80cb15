"""Streamlit entry point: page config, navigation, shared sidebar (language, journey), session."""

# ruff: noqa: E402  (the page config goes before the slower imports, see below)
from __future__ import annotations

import streamlit as st

# First, before the imports below take their time: on a freshly started server, Streamlit's
# folder mode has just named the browser's tab after a file (app.py, pages/_<url>.py).
st.set_page_config(page_title="Journey Workshop", page_icon="🧭", layout="wide")

from journeys import services
from journeys.i18n import LANGUAGES, normalise_language
from journeys.roles import Permission, PermissionDenied, Role
from journeys.settings import get_settings
from pages.common import auth, guard
from pages.common import shared as ui
from pages.common.lang import follow_language
from pages.common.text import plain

# One line per page: (file, catalog key of its title, icon, url path).
PAGES: list[tuple[str, str, str, str]] = [
    ("pages/library/page.py", "nav.library", ":material/folder_open:", "library"),
    ("pages/board/page.py", "nav.board", ":material/view_quilt:", "board"),
    ("pages/capture/page.py", "capture.nav", ":material/edit_note:", "capture"),
    ("pages/visits/page.py", "visits.nav", ":material/fact_check:", "visits"),
    ("pages/road/page.py", "road.nav", ":material/smartphone:", "road"),
    ("pages/compare/page.py", "compare.nav", ":material/compare_arrows:", "compare"),
    ("pages/programs/page.py", "programs.nav", ":material/account_tree:", "programs"),
    ("pages/data/page.py", "data.nav", ":material/monitoring:", "data"),
    ("pages/exports/page.py", "exports.nav", ":material/ios_share:", "exports"),
]
HIDDEN = {"library", "capture"}  # reached by their links: the library's menu entry is "/"


def _init_session() -> None:
    """Shared state, once per session; `?lang=` and `?journey=` open the app where a link points."""
    if st.session_state.get("app_ready"):
        return
    st.session_state[ui.LANG] = normalise_language(
        guard.query_param("lang") or get_settings().language
    )
    wanted = guard.query_param("journey")
    # A participant on the network may not list journeys: the deep link is for members only.
    known = (
        ui.journey_titles(wanted) if wanted and auth.current_actor().may(Permission.READ) else {}
    )
    st.session_state[ui.JOURNEY] = wanted if wanted in known else None
    st.session_state["app_start_on_board"] = wanted in known
    # `?mode=projector`: a reload (or the link on a second screen) keeps the board's projector mode
    st.session_state.setdefault(ui.PROJECTOR, guard.query_param("mode") == "projector")
    st.session_state["app_ready"] = True


def _on_language() -> None:
    st.session_state[ui.LANG] = st.session_state["app_lang_picker"] or ui.lang()


def _on_journey() -> None:
    ui.select_journey(st.session_state["app_journey_picker"])


def _sidebar(titles: dict[str, str]) -> None:
    with st.sidebar:
        st.session_state["app_lang_picker"] = ui.lang()
        st.segmented_control(
            ui.tr("app.language"),
            LANGUAGES,
            format_func=lambda code: code.upper(),
            key="app_lang_picker",
            on_change=_on_language,
        )
        if ui.selected_journey() not in titles:
            ui.select_journey(None)
        st.session_state["app_journey_picker"] = ui.selected_journey()
        st.selectbox(
            ui.tr("app.journey"),
            list(titles),
            format_func=lambda jid: titles.get(jid, jid),
            index=None,
            placeholder=ui.tr("app.journey_none"),
            key="app_journey_picker",
            on_change=_on_journey,
        )
        auth.sidebar_panel(ui.lang())


# What the board's URL keeps besides: its page sets them (projector mode, the join code
# minimised, the canvas's zoom, lanes and the moment presented); other pages drop them.
BOARD_PARAMS = ("mode", "join", "zoom", "lanes", "present")


def _sync_query_params(*, on_board: bool) -> None:
    """Keep the URL a deep link to what is on screen (`?lang=en&journey=…`)."""
    wanted = {"lang": ui.lang()}
    if journey := ui.selected_journey():
        wanted["journey"] = journey
    if draft := guard.query_param("draft"):  # the road form's draft token: a reload must find it
        wanted["draft"] = draft
    for name in BOARD_PARAMS if on_board else ():
        if value := guard.query_param(name):
            wanted[name] = value
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


# While the board is in projector mode, the app's chrome goes: the rule follows the board's class,
# so the sidebar goes the moment the projector switch flips the class in the browser.
_BOARD_STYLE = (
    "<style>body:has(.jb-board.jb-projector) :is(section[data-testid='stSidebar'],"
    "[data-testid='stSidebarCollapsedControl'],header[data-testid='stHeader'])"
    "{display:none!important}"
    "body:has(.jb-board.jb-projector) :is(.block-container,[data-testid='stMainBlockContainer'])"
    "{padding:0.6rem 1rem 1rem!important;max-width:100%!important}</style>"
)


def _pages() -> dict[str, st.Page]:
    """The pages by url path, titled in the session's language (made once per session and
    language: each st.Page resolves its file on the disk). The first page, the library, is
    also the home page "/" (Streamlit gives the default page no URL of its own)."""
    kept = st.session_state.get("app_pages")
    if kept is None or kept[0] != ui.lang():
        path, title, icon, _ = PAGES[0]
        pages = {"": st.Page(path, title=ui.tr(title), icon=icon, url_path="home", default=True)}
        for path, title, icon, url in PAGES:
            pages[url] = st.Page(
                path,
                title=ui.tr(title),
                icon=icon,
                url_path=url,
                visibility="hidden" if url in HIDDEN else "visible",
            )
        kept = st.session_state["app_pages"] = (ui.lang(), pages)
    return kept[1]


def _navigate(pages: dict[str, st.Page]) -> st.Page:
    """Route this run. A participant's phone (/capture) never shows the app's menu, not even
    until the page's own style comes: a session's first run routes with the menu hidden, and
    shows it once the page is known to be another one."""
    listed = list(pages.values())
    if st.session_state.get("app_on_capture") is not False:  # first run, or a participant's
        page = st.navigation(listed, position="hidden")
        st.session_state["app_on_capture"] = page is pages["capture"]
        if page is pages["capture"]:
            return page
    if not st.get_option("client.showSidebarNavigation"):  # off in config.toml for the folder mode
        st.set_option("client.showSidebarNavigation", True)
    return st.navigation(listed)


def _refused_link() -> None:
    """Say once that the link's parameters were refused (they were ignored: see guard)."""
    if (names := guard.refused_params()) and not st.session_state.get("app_refused_told"):
        st.session_state["app_refused_told"] = True
        st.warning(ui.tr("app.bad_link", names=", ".join(names)))


def _run() -> None:
    _init_session()
    # First thing on the page: `<html lang>` and Streamlit's own words in the interface's language.
    follow_language(ui.lang())
    pages = _pages()
    page = _navigate(pages)
    if page is pages["capture"]:  # a participant's phone: no sidebar, no journey list, URL kept
        page.run()
        st.stop()
    if auth.current_actor().role is Role.PARTICIPANT:  # on the network and not signed in
        auth.sign_in_page(ui.lang())
        st.stop()
    if st.session_state.pop("app_start_on_board", False) and page is pages[""]:
        # `?journey=<id>` on the home URL opens that journey's board (once, at session start)
        st.switch_page(pages["board"], query_params=st.query_params.to_dict())
    try:
        _sidebar(ui.journey_titles(ui.selected_journey()))
    except services.StoreError as exc:  # the page shows the details; the sidebar must not crash
        st.sidebar.error(plain(exc))
    _sync_query_params(on_board=page is pages["board"])
    _refused_link()
    if page is pages["board"]:
        st.html(_BOARD_STYLE)
    try:
        page.run()
    except PermissionDenied as refused:  # the services refuse; every page says so the same way
        st.error(ui.tr("auth.read_only"))
        st.caption(plain(refused))


# An error nothing else handled: a message in the visitor's language and a reference; the
# details go to the server's log only (showErrorDetails = "none" in .streamlit/config.toml).
guard.run_guarded(_run)

"""AppTest set-up shared by the UI tests: the st.navigation pin, a fresh cache and workspace."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest, app_test

from journeys import services
from tests.ui.helpers import start


class NavigationPagesManager(PagesManager):
    """A pages manager that knows the app routes with st.navigation.

    AppTest forgets, before every run, that the app called st.navigation, and so goes through
    Streamlit's old `pages/` folder mode each time (pages/_<url>.py hand over to app.py, as on
    a freshly started server). Pinning the real server's steady state keeps each run to one
    pass through app.py; tests/e2e/test_fresh_server.py covers the folder mode in a browser.
    """

    def __init__(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


@pytest.fixture(autouse=True)
def _app_uses_st_navigation(monkeypatch):
    monkeypatch.setattr(app_test, "PagesManager", NavigationPagesManager)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """The board caches its HTML by (journey row id, revision): the same key in another
    test's database would otherwise serve that test's board."""
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    """A fresh SQLite workspace for the app, with its own export folder."""
    url = f"sqlite:///{tmp_path / 'ui.db'}"
    monkeypatch.setenv("JOURNEYS_DATABASE_URL", url)
    monkeypatch.setenv("JOURNEYS_EXPORT_DIR", str(tmp_path / "exports"))
    return url


@pytest.fixture
def workspace(db_url):
    """The test's own store on the app's database, empty."""
    opened = services.open_store(db_url)
    yield opened
    opened.dispose()


@pytest.fixture
def app(db_url) -> AppTest:
    """The app on its home page, over an empty workspace."""
    return start()

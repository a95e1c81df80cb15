"""AppTest set-up shared by the UI tests."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import app_test


class NavigationPagesManager(PagesManager):
    """A pages manager that knows the app routes with st.navigation.

    AppTest forgets, before every run, that the app called st.navigation; seeing a `pages/`
    folder it then falls back to the old folder-based multipage mode and, from the second
    run on, executes the page file without app.py (no sidebar, no shared state). The real
    server remembers it after the first run, so tests pin it here.
    """

    def __init__(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


@pytest.fixture(autouse=True)
def _app_uses_st_navigation(monkeypatch):
    monkeypatch.setattr(app_test, "PagesManager", NavigationPagesManager)

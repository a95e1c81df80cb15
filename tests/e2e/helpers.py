"""What the browser tests do to a page of the running app: wait for its script run, warm it up."""

from __future__ import annotations


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script (no spinner, app rendered)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )


def warm_up(page, url: str) -> None:
    """Open the home page first: until app.py has run once, Streamlit serves a deep link
    (`/road`, `/programs`) in its old `pages/` folder mode, without the app's navigation."""
    page.goto(url)
    wait_for_app(page)
    page.get_by_role("link", name="Bibliothèque").first.wait_for()

"""Behind a reverse proxy on this computer (JOURNEYS_TRUSTED_PROXIES=127.0.0.1), on a real
server: a request that names no browser is not local; X-Forwarded-For says where the browser is."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from journeys.roles import hash_password
from tests.e2e.conftest import RunningApp, start_app
from tests.e2e.helpers import wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def proxied_app(tmp_path_factory) -> Iterator[RunningApp]:
    """The app on 127.0.0.1 with a password, trusting a proxy on this computer."""
    app, process = start_app(
        tmp_path_factory.mktemp("proxied"),
        {
            "JOURNEYS_AUTH": "password",
            "JOURNEYS_EDITOR_PASSWORD_HASH": hash_password("atelier"),
            "JOURNEYS_TRUSTED_PROXIES": "127.0.0.1",
        },
    )
    yield app
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _shown(browser, url: str, headers: dict[str, str], until: str, screenshot=None) -> str:
    """What the app shows, once `until` shows, to a browser whose requests (the WebSocket's
    too) carry `headers`, as the proxy would send them."""
    context = browser.new_context(extra_http_headers=headers)
    try:
        page = context.new_page()
        page.goto(url)
        wait_for_app(page)
        page.get_by_text(until).first.wait_for(timeout=90_000)
        if screenshot is not None:
            page.screenshot(path=str(screenshot))
        return page.locator("[data-testid='stApp']").inner_text()
    finally:
        context.close()


SIGN_IN = "Mot de passe de l'animateur"  # the sign-in page's form
READER = "guest (lecteur)"  # the sidebar of this computer's reader


def test_a_trusted_proxy_naming_no_browser_gets_the_sign_in_page_not_local_rights(
    browser, proxied_app, artifacts
):
    shown = _shown(
        browser, proxied_app.url, {}, SIGN_IN, artifacts / "proxy_without_forwarded_for.png"
    )
    assert "Accès réservé" in shown and "guest" not in shown


def test_the_browser_the_trusted_proxy_names_decides_local_or_not(browser, proxied_app):
    on_this_computer = _shown(browser, proxied_app.url, {"X-Forwarded-For": "127.0.0.1"}, READER)
    assert "Accès réservé" not in on_this_computer
    # the browser forged 127.0.0.1; the proxy appended where it really connects from
    forged = {"X-Forwarded-For": "127.0.0.1, 203.0.113.9"}
    remote = _shown(browser, proxied_app.url, forged, SIGN_IN)
    assert "Accès réservé" in remote and "guest" not in remote

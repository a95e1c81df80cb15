"""What a stranger's browser meets when something is wrong: a broken capture link on PostgreSQL
gives a French message and no traceback; a photo over the upload limit is refused, in French,
before a byte leaves the phone; a file name with a NUL byte does not break the road page."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from journeys import services
from tests.e2e.conftest import RunningApp, start_app
from tests.e2e.helpers import PHONE, png, wait_for_app, warm_up
from tests.needs import need

pytestmark = pytest.mark.browser
JOURNEY = "premier-abonnement"
# What a traceback shows: never on a stranger's screen.
LEAKS = ("Traceback", 'File "', "/work/", "site-packages", "DataError", "psycopg", ".py")


@pytest.fixture
def postgres_app(tmp_path) -> Iterator[RunningApp]:
    """The app on a fresh PostgreSQL database (dropped afterwards)."""
    admin_url = make_url(os.environ.get("JOURNEYS_TEST_POSTGRES_URL", "postgresql+psycopg:///"))
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError:
        admin.dispose()
        need(False, "a PostgreSQL server at JOURNEYS_TEST_POSTGRES_URL")
    name = f"journeys_e2e_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    app, process = start_app(tmp_path, {"JOURNEYS_DATABASE_URL": url})
    app.database_url = url
    try:
        yield app
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _shown(page) -> str:
    return page.locator("[data-testid='stApp']").inner_text()


def test_a_capture_link_with_a_nul_byte_gives_a_french_message_and_no_traceback(
    browser, postgres_app, artifacts
):
    store = services.open_store(postgres_app.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    store.dispose()
    page = browser.new_page(viewport=PHONE, locale="fr-FR")
    try:
        page.goto(f"{postgres_app.url}/capture?j=%00&code=AAAAAA")
        wait_for_app(page)
        page.get_by_text("Ce lien n'est pas valable").wait_for()
        page.get_by_text("Rejoindre l'atelier").wait_for()  # the code can still be typed
        wait_for_app(page)
        shown = _shown(page)
        page.screenshot(path=str(artifacts / "capture-nul-link-390.png"), full_page=True)
        assert not [leak for leak in LEAKS if leak in shown], shown
        assert page.locator("[data-testid='stException']").count() == 0
    except Exception:
        page.screenshot(path=str(artifacts / "capture-nul-link-failure.png"), full_page=True)
        print(_shown(page))
        raise
    finally:
        page.close()


def _start_visit(page, url: str) -> None:
    warm_up(page, f"{url}/?lang=fr")
    page.goto(f"{url}/road?journey={JOURNEY}&lang=fr")
    wait_for_app(page)
    page.get_by_label("Votre nom (client mystère)").fill("Marie")
    page.get_by_role("button", name="Commencer la visite").click()
    page.wait_for_url("**draft=*")
    wait_for_app(page)


def test_a_photo_over_the_limit_is_refused_in_french_before_it_is_sent(
    browser, app_server, artifacts
):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    store.dispose()
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
    page = context.new_page()
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.url) if "upload_file" in r.url else None)
    try:
        _start_visit(page, app_server.url)
        uploader = page.locator("[data-testid='stFileUploader']")
        assert "8 Mo" in uploader.inner_text()  # the one limit, stated in French
        assert "12" not in uploader.inner_text()
        big = {"name": "vitrine.jpg", "mimeType": "image/jpeg"}
        big["buffer"] = b"\xff\xd8\xff" + b"\0" * (9 * 1024 * 1024)  # type: ignore[assignment]
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(big)
        page.get_by_text("dépasse 8 Mo").wait_for()
        page.wait_for_timeout(1000)  # what would have gone out has had its time
        uploader.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "road-photo-too-big-390.png"))
        shown = _shown(page)
        assert "AxiosError" not in shown and "413" not in shown, shown
        assert uploads == []
    except Exception:
        page.screenshot(path=str(artifacts / "road-photo-too-big-failure.png"), full_page=True)
        print(_shown(page), uploads)
        raise
    finally:
        context.close()


def test_a_photo_whose_name_has_a_nul_byte_is_kept_under_a_clean_name(
    browser, app_server, artifacts
):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
    page = context.new_page()
    try:
        _start_visit(page, app_server.url)
        page.wait_for_timeout(500)
        photo = {"name": "gui\x00chet.png", "mimeType": "image/png", "buffer": png()}
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(photo)
        page.locator(".st-key-road_photo_0").get_by_text("gui chet.png").wait_for()
        wait_for_app(page)
        page.screenshot(path=str(artifacts / "road-photo-nul-name-390.png"), full_page=True)
        shown = _shown(page)
        assert not [leak for leak in LEAKS if leak in shown], shown
        assert page.locator("[data-testid='stException']").count() == 0
    except Exception:
        page.screenshot(path=str(artifacts / "road-photo-nul-name-failure.png"), full_page=True)
        print(_shown(page))
        raise
    finally:
        context.close()
        store.dispose()

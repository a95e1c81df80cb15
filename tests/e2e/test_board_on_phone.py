"""The board opened on a phone: the emotion curve's moments stay readable at 390 px (one short
slanted line each, none cut off), where a laptop gets the full names on several lines."""

from __future__ import annotations

import pytest

from journeys import services
from journeys.store.db import open_store
from tests.e2e.helpers import wait_for_app

pytestmark = pytest.mark.browser

PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)

# Each moment's label on the curve: its lines, and whether it lies inside the chart.
_TICKS = """() => {
  const chart = document.querySelector('[data-testid="stPlotlyChart"]');
  const box = chart.getBoundingClientRect();
  return [...chart.querySelectorAll('g.xtick text')].map((text) => {
    const r = text.getBoundingClientRect();
    const lines = text.querySelectorAll('tspan.line');
    return {
      text: text.textContent,
      lines: Math.max(1, lines.length),
      inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.width > 0,
    };
  });
}"""


def _curve_labels(browser, url: str, jid: str, **context) -> tuple[object, list[dict]]:
    page = browser.new_context(locale="fr-FR", **context).new_page()
    page.goto(f"{url}/board?journey={jid}")
    wait_for_app(page)
    page.locator("[data-testid='stPlotlyChart'] g.xtick text").first.wait_for()
    page.locator("[data-testid='stPlotlyChart']").scroll_into_view_if_needed()
    return page, page.evaluate(_TICKS)


def test_the_emotion_curve_stays_readable_on_a_phone(browser, app_server, artifacts):
    store = open_store(app_server.database_url)
    try:
        journey = services.create_from_template("first_subscription.fr.journey", store=store)
    finally:
        store.dispose()

    phone, labels = _curve_labels(
        browser,
        app_server.url,
        journey.id,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_AGENT,
    )
    phone.locator("[data-testid='stPlotlyChart']").screenshot(
        path=str(artifacts / "board-curve-390x844.png")
    )
    assert len(labels) == len(journey.moments)  # every moment named, the first included
    assert all(label["lines"] == 1 and label["inside"] for label in labels), labels
    assert labels[0]["text"] == "Découverte de…"  # cut at a word; the full name is in the hover

    _, wide = _curve_labels(
        browser, app_server.url, journey.id, viewport={"width": 1920, "height": 1080}
    )
    assert wide[0]["text"].replace(" ", "") == "Découvertedel'offre"  # the whole name
    assert wide[0]["lines"] == 2 and all(label["inside"] for label in wide)

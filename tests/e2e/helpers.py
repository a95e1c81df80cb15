"""What the browser tests share: waiting for a script run, warming a page up, a phone's size
and a real PNG to upload."""

from __future__ import annotations

import struct
import zlib


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script (no spinner, app rendered)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )


def eventually(check, page, timeout: float = 8_000) -> None:
    """Wait until `check()` is true (a write, then the rerun that shows it)."""
    waited = 0
    while not check():
        assert waited < timeout, "never happened"
        page.wait_for_timeout(100)
        waited += 100


def warm_up(page, url: str) -> None:
    """Open the home page first: until app.py has run once, Streamlit serves a deep link
    (`/road`, `/programs`) in its old `pages/` folder mode, without the app's navigation."""
    page.goto(url)
    wait_for_app(page)
    page.get_by_role("link", name="Bibliothèque").first.wait_for()


PHONE = {"width": 390, "height": 844}


def png(width: int = 96, height: int = 64) -> bytes:
    """A real PNG (an orange-to-blue gradient), so that the browser draws a thumbnail."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((230 - x, 120, 40 + 2 * x)) for x in range(width))
        for _ in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )

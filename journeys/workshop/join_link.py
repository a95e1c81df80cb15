"""The way into a workshop from a phone: the join code, the link and its QR code (no I/O)."""

from __future__ import annotations

import hmac
import re
import secrets
import socket
from urllib.parse import urlencode

import segno

# No 0/O, 1/I/L: a code read off a projector from the back of the room is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
CAPTURE_PATH = "capture"  # the participants' page (url_path in app.py's PAGES)


def new_join_code() -> str:
    """A random code of CODE_LENGTH characters of CODE_ALPHABET (31⁶ ≈ 887 million codes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str | None) -> str:
    """The code as stored: upper case, without the spaces or dashes a person may type."""
    return re.sub(r"[\s\-_.]", "", str(code or "")).upper()


def same_code(stored: str | None, typed: str | None) -> bool:
    """True if `typed` is `stored` (compared in constant time, even when nothing is stored)."""
    wanted = normalise_code(typed)
    same = hmac.compare_digest((stored or "-" * CODE_LENGTH).encode(), wanted.encode())
    return stored is not None and bool(wanted) and same


def format_code(code: str) -> str:
    """`K7MQ4P` → `K7M Q4P`, easier to read aloud and off a screen."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


def capture_address(base_url: str) -> str:
    """The short address to type by hand (the page then asks for the code)."""
    return f"{base_url.rstrip('/')}/{CAPTURE_PATH}"


def join_url(base_url: str, journey_id: str, code: str, *, lang: str | None = None) -> str:
    """The link a phone opens (the QR code): `<base>/capture?j=<journey>&code=<code>[&lang=]`."""
    params = {"j": journey_id, "code": code} | ({"lang": lang} if lang else {})
    return f"{capture_address(base_url)}?{urlencode(params)}"


def qr_data_uri(data: str, *, dark: str = "#15191e") -> str:
    """A QR code of `data` as an SVG `data:` URI (quiet zone included), for an <img> tag:
    it stays sharp at any size on a projector."""
    return segno.make(data, error="m").svg_data_uri(dark=dark, border=3, xmldecl=False)


def local_network_host() -> str | None:
    """This computer's address on the local network (what a phone in the room can reach), or
    None when offline. Nothing is sent: connecting a UDP socket only picks a route."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: picks the default route's address
            host = sock.getsockname()[0]
    except OSError:
        return None
    return None if host.startswith("127.") else host

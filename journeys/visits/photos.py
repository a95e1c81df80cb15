"""Photos a shopper sends: their real type read from the bytes, a size cap, a safe file name."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

# One limit for a photo, from the phone to the store: the server's own upload cap
# (server.maxUploadSize in .streamlit/config.toml, in MiB), so that the browser refuses a bigger
# file before sending it instead of the server answering 413 mid-upload.
MAX_PHOTO_MB = 8
MAX_PHOTO_BYTES = MAX_PHOTO_MB * 1024 * 1024
CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")
UPLOAD_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "heic", "heif")
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")


class PhotoRefused(ValueError):
    """Bytes that are not a photo we keep; `code` is stable for translation."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class CheckedPhoto:
    """A photo that passed the checks: its bytes, their hash, their real type, a clean name."""

    data: bytes
    sha256: str
    content_type: str
    file_name: str


def content_type_of(data: bytes) -> str | None:
    """Return the image type the bytes really are (JPEG, PNG, WebP, HEIC), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIC_BRANDS:
        return "image/heic"
    return None


def clean_file_name(name: str | None) -> str:
    """Return the last part of a file name without control characters, at most 300 long."""
    base = re.split(r"[/\\]", name or "")[-1]
    text = _UNSAFE.sub(" ", unicodedata.normalize("NFC", base)).strip()
    return text[-300:] or "photo"


def check_photo(data: bytes, file_name: str | None) -> CheckedPhoto:
    """Return the photo if its bytes are a JPEG, PNG, WebP or HEIC image of at most
    MAX_PHOTO_MB MiB.

    The type the browser declared is ignored: the bytes say what they are.
    Raises PhotoRefused (code `empty`, `too_big` or `not_an_image`).
    """
    if not data:
        raise PhotoRefused("empty", "the photo is empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRefused(
            "too_big",
            f"the photo weighs {len(data) / 2**20:.1f} MB; at most {MAX_PHOTO_MB} MB are kept",
        )
    content_type = content_type_of(data)
    if content_type is None:
        raise PhotoRefused("not_an_image", "this is not a JPEG, PNG, WebP or HEIC photo")
    digest = hashlib.sha256(data).hexdigest()
    return CheckedPhoto(data, digest, content_type, clean_file_name(file_name))

"""Where the extract to import is: files uploaded (up to the app's limit), a path on the server,
or a table in a database; uploads live in a temporary folder only while they are read."""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

FILE_KINDS = ("csv", "txt", "tsv", "parquet", "pq")
SIDES = ("main", "events", "payments")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:]+")


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Spec:
    """One extract to read (and its optional events and payments files)."""

    kind: str  # "file", "path" or "database"
    main: Upload | str  # an upload, a server path, or a database URL
    table: str | None = None
    events: Upload | str | None = None
    payments: Upload | str | None = None

    def signature(self, side: str = "main") -> str:
        """What identifies a side's content: a new one starts its mapping again."""
        item = getattr(self, side)
        if item is None:
            return ""
        if isinstance(item, Upload):
            return f"upload:{item.digest}"
        if self.kind == "database" and side == "main":
            return f"table:{item}\0{self.table}"
        path = Path(item)
        try:
            stat = path.stat()
        except OSError:
            return f"path:{item}"
        return f"path:{item}\0{stat.st_size}\0{stat.st_mtime_ns}"

    @property
    def label(self) -> str:
        """The file or table name, for the base's default name."""
        if isinstance(self.main, Upload):
            return Path(self.main.name).stem
        if self.kind == "database":
            return self.table or "base"
        return Path(self.main).stem


@dataclass(frozen=True)
class Opened:
    source: Path | str
    table: str | None
    events: Path | None
    payments: Path | None


def clean_name(name: str) -> str:
    """The last part of an uploaded file's name, safe in a folder, its extension kept."""
    base = _UNSAFE.sub(" ", unicodedata.normalize("NFC", re.split(r"[/\\]", name)[-1])).strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = base, ""
    stem = stem.strip(" .")[:80] or "extract"
    return f"{stem}.{suffix}" if suffix else stem


def file_kind_ok(name: str) -> bool:
    return Path(name).suffix.lower().lstrip(".") in FILE_KINDS


@contextmanager
def opened(spec: Spec) -> Iterator[Opened]:
    """The spec as paths (or URL and table) the services read; uploads are written to a
    temporary folder that is deleted as soon as the block ends, whatever happens in it."""
    with tempfile.TemporaryDirectory(prefix="journeys-upload-") as folder:

        def put(side: str, item: Any) -> Path | None:
            if item is None:
                return None
            if isinstance(item, Upload):
                place = Path(folder) / side
                place.mkdir()
                path = place / clean_name(item.name)
                path.write_bytes(item.data)
                return path
            return Path(item)

        if spec.kind == "database":
            assert isinstance(spec.main, str)
            source: Path | str = spec.main
        else:
            found = put("main", spec.main)
            assert found is not None
            source = found
        yield Opened(source, spec.table, put("events", spec.events), put("payments", spec.payments))

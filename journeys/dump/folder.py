"""Where each part of a dump lives in its folder, and writing the folder all at once.

```
FOLDER/<id>.journey.yaml, <id>.program.yaml   live journeys and programs (importable one by one)
FOLDER/trash/<id>.<kind>.yaml + trash.yaml     those in the trash, and when each went there
FOLDER/visits/<journey>/<visit>.visit.yaml     every visit, every column (trash included)
FOLDER/photos/<sha256>.jpg|png|webp|heic        the photos of the visits, byte for byte
FOLDER/snapshots/<journey>/snapshots.yaml      names and times; <n>.journey.yaml their content
FOLDER/notes/<journey>.notes.yaml              the participants' notes
FOLDER/votes/<journey>.votes.yaml              a dot vote: settings, dots, rounds cleared
FOLDER/agencies/mappings.yaml                  the agencies' remembered CSV mappings
FOLDER/bases/<n>.base.yaml + links.yaml         subscriber bases (aggregates), journeys' links
```
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel

from journeys.contract.yaml_io import MAX_BYTES, dump_data, write_atomically
from journeys.dump.model import plain

TRASH, VISITS, PHOTOS, SNAPSHOTS, NOTES, AGENCIES, BASES, VOTES = (
    "trash",
    "visits",
    "photos",
    "snapshots",
    "notes",
    "agencies",
    "bases",
    "votes",
)
TRASH_INDEX = "trash.yaml"
SNAPSHOTS_INDEX = "snapshots.yaml"
MAPPINGS = "mappings.yaml"
BASE_LINKS = "links.yaml"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}


class DumpRefused(ValueError):
    """A dump that cannot be written, or a folder that cannot be restored; `problems` lists
    each one (file, line where known, what is wrong). Nothing was changed."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        head = "" if count == 1 else f"{count} problems:\n"
        super().__init__(head + "\n".join(problems))


def photo_name(sha256: str, content_type: str) -> str:
    return f"{sha256}.{EXTENSIONS.get(content_type, 'bin')}"


def snapshot_name(index: int) -> str:
    return f"{index:03d}.journey.yaml"


def base_name(index: int) -> str:
    return f"{index:03d}.base.yaml"


def check_new_folder(folder: Path) -> None:
    """Refuse a folder that holds anything: a restore takes every file there, so a file left
    by an older dump would come back. Raises DumpRefused."""
    if folder.exists() and not folder.is_dir():
        raise DumpRefused([f"{folder}: is a file, not a folder"])
    if folder.is_dir() and any(folder.iterdir()):
        raise DumpRefused([f"{folder}: the folder is not empty; dump into a new or empty folder"])


class Writer:
    """Writes the files of a dump under a folder (a hidden one until `written_into` ends)."""

    def __init__(self, root: Path):
        self.root = root

    def text(self, relative: str, text: str) -> None:
        data = text.encode("utf-8")
        if len(data) > MAX_BYTES:  # what the reader would refuse: the dump would not restore
            raise DumpRefused(
                [f"{relative}: {len(data):,} bytes, over the {MAX_BYTES:,} a YAML file may hold"]
            )
        write_atomically(self.root / relative, data, replace=False)

    def model(self, relative: str, model: BaseModel) -> None:
        self.text(relative, dump_data(plain(model)))

    def data(self, relative: str, data: bytes) -> None:
        write_atomically(self.root / relative, data, replace=False)


@contextmanager
def written_into(folder: Path) -> Iterator[Writer]:
    """A Writer into a hidden folder beside `folder`, renamed to `folder` when the block ends
    without error and removed otherwise: a dump is there whole, or not at all."""
    check_new_folder(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    hidden = folder.with_name(f".{folder.name}.{secrets.token_hex(4)}.tmp")
    hidden.mkdir()
    try:
        yield Writer(hidden)
        if folder.is_dir():
            folder.rmdir()  # empty (checked above); OSError if something arrived meanwhile
        os.rename(hidden, folder)
    except BaseException:
        shutil.rmtree(hidden, ignore_errors=True)
        raise

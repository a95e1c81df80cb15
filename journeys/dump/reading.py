"""Reading a dump folder back, every file through the hardened YAML reader, and checking that
its parts fit together (a visit's journey and photos, a note's place) before anything is
written. Every problem names its file, the line where it can, and what is wrong."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from journeys.contract.model import Journey, Program
from journeys.contract.yaml_io import MAX_BYTES, DocumentError, load_document, load_model
from journeys.data.aggregate import Aggregates
from journeys.data.mapping import Mapping
from journeys.dump import folder as layout
from journeys.dump.model import (
    AgencyMappingsFile,
    BaseLink,
    BaseLinksFile,
    DumpedAgencyMapping,
    DumpedBase,
    DumpedNote,
    DumpedVisit,
    NotesFile,
    SnapshotsFile,
    TrashFile,
    VotesFile,
)
from journeys.visits.agency.mapping import ColumnMapping, ValueMapping
from journeys.visits.photos import MAX_PHOTO_BYTES, CheckedPhoto, PhotoRefused, check_photo

M = TypeVar("M", bound=BaseModel)
_PHOTO = re.compile(r"^([0-9a-f]{64})\.(jpg|png|webp|heic)$")


@dataclass
class WorkspaceDump:
    """Everything a dump folder holds, checked: what a restore writes."""

    documents: list[tuple[Journey | Program, datetime | None]] = field(default_factory=list)
    snapshots: list[tuple[str, str, datetime, str]] = field(default_factory=list)
    visits: list[DumpedVisit] = field(default_factory=list)
    photos: dict[str, Path] = field(default_factory=dict)
    notes: dict[str, list[DumpedNote]] = field(default_factory=dict)
    agencies: list[tuple[DumpedAgencyMapping, str, str]] = field(default_factory=list)
    bases: list[DumpedBase] = field(default_factory=list)
    base_links: list[BaseLink] = field(default_factory=list)
    votes: list[VotesFile] = field(default_factory=list)

    def journeys(self) -> dict[str, Journey]:
        return {d.id: d for d, _ in self.documents if isinstance(d, Journey)}


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[str] = []

    def bytes(self, path: Path, limit: int = MAX_BYTES) -> bytes | None:
        try:
            size = path.stat().st_size
            if size > limit:
                self.problems.append(f"{path}: {size:,} bytes, over the limit of {limit:,}")
                return None
            return path.read_bytes()
        except OSError as exc:
            self.problems.append(f"{path}: cannot read the file: {exc.strerror or exc}")
            return None

    def model(self, path: Path, model: type[M]) -> M | None:
        data = self.bytes(path)
        if data is None:
            return None
        try:
            return load_model(data, model, source=str(path))
        except DocumentError as error:
            self.problems.append(str(error))
            return None

    def document(self, path: Path) -> tuple[Journey | Program, str] | None:
        data = self.bytes(path)
        if data is None:
            return None
        try:
            return load_document(data, source=str(path)), data.decode("utf-8-sig")
        except DocumentError as error:
            self.problems.append(str(error))
            return None

    def refuse(self, path: Path, message: str) -> None:
        self.problems.append(f"{path}: {message}")


def read_dump(root: Path) -> WorkspaceDump:
    """Return what the dump folder `root` holds, all of it checked.

    Raises layout.DumpRefused listing every problem found; nothing has been written.
    """
    if not root.is_dir():
        raise layout.DumpRefused([f"{root}: no such folder"])
    reader, dump = _Reader(root), WorkspaceDump()
    _documents(reader, dump)
    _snapshots(reader, dump)
    _photos(reader, dump)
    _visits(reader, dump)
    _notes(reader, dump)
    _votes(reader, dump)
    _agencies(reader, dump)
    _bases(reader, dump)
    if not (reader.problems or dump.documents or dump.agencies or dump.bases):
        reader.refuse(root, "holds no journey, program, agency mapping nor base: not a dump folder")
    if reader.problems:
        raise layout.DumpRefused(reader.problems)
    return dump


def _yaml_files(folder: Path, suffix: str = ".yaml") -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.endswith(suffix) and p.is_file())


def _documents(reader: _Reader, dump: WorkspaceDump) -> None:
    trash_dir = reader.root / layout.TRASH
    deleted: dict[tuple[str, str], datetime] = {}
    index_path = trash_dir / layout.TRASH_INDEX
    if index_path.is_file() and (index := reader.model(index_path, TrashFile)) is not None:
        deleted = {(item.kind, item.id): item.deleted_at for item in index.items}
    seen: dict[tuple[str, str], Path] = {}
    places = [(reader.root, False), (trash_dir, True)]
    for place, in_trash in places:
        for path in _yaml_files(place):
            if in_trash and path.name == layout.TRASH_INDEX:
                continue
            found = reader.document(path)
            if found is None:
                continue
            document = found[0]
            key = (document.kind, document.id)
            if key in seen:
                reader.refuse(path, f"{document.kind} '{document.id}' is also in {seen[key]}")
                continue
            seen[key] = path
            when = deleted.pop(key, None) if in_trash else None
            if in_trash and when is None:
                reader.refuse(path, f"not listed in {index_path}")
            dump.documents.append((document, when))
    for kind, ident in deleted:
        reader.refuse(index_path, f"lists {kind} '{ident}', whose file is not in {trash_dir}")


def _known_journey(reader: _Reader, dump: WorkspaceDump, path: Path, journey_id: str) -> bool:
    if journey_id in dump.journeys():
        return True
    reader.refuse(path, f"journey '{journey_id}' is not in the dump")
    return False


def _snapshots(reader: _Reader, dump: WorkspaceDump) -> None:
    for folder in sorted(p for p in (reader.root / layout.SNAPSHOTS).glob("*") if p.is_dir()):
        index_path = folder / layout.SNAPSHOTS_INDEX
        index = reader.model(index_path, SnapshotsFile)
        if index is None:
            continue
        if index.journey != folder.name:
            reader.refuse(index_path, f"is about '{index.journey}' but lies in {folder}")
            continue
        if not _known_journey(reader, dump, index_path, index.journey):
            continue
        for entry in index.snapshots:
            found = reader.document(folder / entry.file)
            if found is None:
                continue
            if not isinstance(found[0], Journey):
                reader.refuse(folder / entry.file, "a snapshot holds a journey, not a program")
                continue
            dump.snapshots.append((index.journey, entry.name, entry.created_at, found[1]))


def _photos(reader: _Reader, dump: WorkspaceDump) -> None:
    folder = reader.root / layout.PHOTOS
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        match = _PHOTO.fullmatch(path.name)
        if match is None:
            reader.refuse(path, "not a photo of a dump (named <SHA-256>.jpg|png|webp|heic)")
            continue
        if read_photo(reader, path, match.group(1)) is not None:
            dump.photos[match.group(1)] = path


def read_photo(reader: _Reader | None, path: Path, sha256: str) -> CheckedPhoto | None:
    """The photo in `path`, checked to be an image whose SHA-256 is `sha256` (its name).

    Without a reader, raises DumpRefused instead of noting the problem.
    """
    reader_ = reader or _Reader(path.parent)
    data = reader_.bytes(path, MAX_PHOTO_BYTES)
    photo = None
    if data is not None:
        try:
            photo = check_photo(data, path.name)
        except PhotoRefused as refused:
            reader_.refuse(path, str(refused))
    if photo is not None and photo.sha256 != sha256:
        reader_.refuse(path, "its bytes do not match its name (SHA-256): the file was changed")
        photo = None
    if photo is None and reader is None:
        raise layout.DumpRefused(reader_.problems)
    return photo


def _visits(reader: _Reader, dump: WorkspaceDump) -> None:
    for folder in sorted(p for p in (reader.root / layout.VISITS).glob("*") if p.is_dir()):
        ids: set[str] = set()
        for path in _yaml_files(folder, ".visit.yaml"):
            visit = reader.model(path, DumpedVisit)
            if visit is None or not _known_journey(reader, dump, path, visit.journey):
                continue
            if visit.journey != folder.name:
                reader.refuse(path, f"is a visit of '{visit.journey}' but lies in {folder}")
            elif visit.id in ids:
                reader.refuse(path, f"visit '{visit.id}' appears twice in {folder}")
            elif _photos_found(reader, dump, path, visit):
                ids.add(visit.id)
                dump.visits.append(visit)


def _photos_found(reader: _Reader, dump: WorkspaceDump, path: Path, visit: DumpedVisit) -> bool:
    missing = [
        f"observations.{i}.photos.{j}: photo '{photo.file_name}' is not in "
        f"{layout.PHOTOS}/ ({layout.photo_name(photo.sha256, photo.content_type)})"
        for i, obs in enumerate(visit.observations)
        for j, photo in enumerate(obs.photos)
        if photo.sha256 not in dump.photos
    ]
    for message in missing:
        reader.refuse(path, message)
    return not missing


def _notes(reader: _Reader, dump: WorkspaceDump) -> None:
    journeys = dump.journeys()
    for path in _yaml_files(reader.root / layout.NOTES, ".notes.yaml"):
        notes = reader.model(path, NotesFile)
        if notes is None or not _known_journey(reader, dump, path, notes.journey):
            continue
        journey = journeys[notes.journey]
        places = {
            "moment": {m.id for m in journey.moments},
            "channel": {c.id for c in journey.channels},
            "touchpoint": {t.id for t in journey.touchpoints},
            "merged_touchpoint": {t.id for t in journey.touchpoints},
        }
        problems = [
            f"notes.{i}.{name}: '{value}' is not in journey '{journey.id}'"
            for i, note in enumerate(notes.notes)
            for name, known in places.items()
            if (value := getattr(note, name)) is not None and value not in known
        ]
        for message in problems:
            reader.refuse(path, message)
        if not problems:
            dump.notes.setdefault(notes.journey, []).extend(notes.notes)


def _votes(reader: _Reader, dump: WorkspaceDump) -> None:
    journeys = dump.journeys()
    for path in _yaml_files(reader.root / layout.VOTES, ".votes.yaml"):
        found = reader.model(path, VotesFile)
        if found is None or not _known_journey(reader, dump, path, found.journey):
            continue
        if path.name != f"{found.journey}.votes.yaml":
            reader.refuse(path, f"is the vote of '{found.journey}': its name says otherwise")
            continue
        if any(v.journey == found.journey for v in dump.votes):
            reader.refuse(path, f"journey '{found.journey}' has its vote twice")
            continue
        findings = {tp.id: len(tp.findings) for tp in journeys[found.journey].touchpoints}
        seen: set[tuple[int, str, int, str]] = set()
        problems = []
        listed = [("votes", i, 0, vote) for i, vote in enumerate(found.votes)]
        listed += [("cleared", i, vote.round, vote) for i, vote in enumerate(found.cleared)]
        for where, i, round_, vote in listed:
            place = (round_, vote.touchpoint, vote.finding, vote.voter)
            if vote.finding >= findings.get(vote.touchpoint, 0):
                problems.append(
                    f"{where}.{i}: finding {vote.finding} of touchpoint '{vote.touchpoint}' is "
                    f"not in journey '{found.journey}'"
                )
            elif place in seen:
                problems.append(f"{where}.{i}: the same voter and finding twice")
            seen.add(place)
        for message in problems:
            reader.refuse(path, message)
        if not problems:
            dump.votes.append(found)


def _agencies(reader: _Reader, dump: WorkspaceDump) -> None:
    path = reader.root / layout.AGENCIES / layout.MAPPINGS
    if not path.is_file() or (found := reader.model(path, AgencyMappingsFile)) is None:
        return
    keys: set[str] = set()
    for i, mapping in enumerate(found.mappings):
        if mapping.key in keys:
            reader.refuse(path, f"mappings.{i}.key: agency '{mapping.key}' appears twice")
            continue
        keys.add(mapping.key)
        try:
            columns = ColumnMapping(columns=mapping.columns).model_dump_json()  # type: ignore[arg-type]
            values = ValueMapping.model_validate(mapping.values).model_dump_json()
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            reader.refuse(path, f"mappings.{i} ({mapping.name}): {where}: {first['msg']}")
            continue
        dump.agencies.append((mapping, columns, values))


def _bases(reader: _Reader, dump: WorkspaceDump) -> None:
    names: set[str] = set()
    for path in _yaml_files(reader.root / layout.BASES, ".base.yaml"):
        base = reader.model(path, DumpedBase)
        if base is None:
            continue
        if base.name in names:
            reader.refuse(path, f"name: base '{base.name}' appears twice")
            continue
        try:
            Mapping.model_validate_json(base.mapping)
            Aggregates.from_json(json.loads(base.aggregates))
        except (ValueError, KeyError, TypeError) as exc:  # pydantic's and json's errors too
            reader.refuse(path, f"mapping or aggregates of base '{base.name}' unreadable: {exc}")
            continue
        names.add(base.name)
        dump.bases.append(base)
    path = reader.root / layout.BASES / layout.BASE_LINKS
    if not path.is_file() or (found := reader.model(path, BaseLinksFile)) is None:
        return
    for i, link in enumerate(found.links):
        try:
            moments = json.loads(link.moments)
            good = isinstance(moments, dict) and all(isinstance(v, str) for v in moments.values())
        except ValueError:
            good = False
        if link.base not in names:
            reader.refuse(path, f"links.{i}.base: base '{link.base}' is not in the dump")
        elif not good:
            reader.refuse(path, f"links.{i}.moments: not a JSON mapping of windows to moments")
        else:
            dump.base_links.append(link)

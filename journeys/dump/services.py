"""Use cases: dump the whole workspace into a folder, and restore such a folder, all or nothing.

Left out, on purpose: join codes (a new one is made when a workshop opens), the moment a
workshop presents, its follow-me and its timer (a live session's passing state), sign-in
back-off counters, phone drafts not yet sent (the phone keeps its draft until it is sent), what
sits in a journey's own trash (deleted moments, channels, touchpoints, findings, and notes and
dots placed on them), the link of a merged note to its finding, row versions, and when
journeys and programs were created and last changed.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from journeys.contract.model import Journey, Program
from journeys.contract.yaml_io import dump_document
from journeys.dump import folder as layout
from journeys.dump.model import (
    AgencyMappingsFile,
    BaseLinksFile,
    DumpedAgencyMapping,
    NotesFile,
    SnapshotEntry,
    SnapshotsFile,
    TrashEntry,
    TrashFile,
)
from journeys.dump.reading import WorkspaceDump, read_dump, read_photo
from journeys.errors import StoreError
from journeys.roles import Permission, requires
from journeys.store import dump_rows
from journeys.store.db import Session, Store
from journeys.visits.agency.mapping import ColumnMapping, ValueMapping

__all__ = ["DumpRefused", "DumpSummary", "WorkspaceNotEmpty", "dump_workspace", "restore_dump"]

DumpRefused = layout.DumpRefused


class WorkspaceNotEmpty(StoreError):
    """A restore into a workspace that already holds something, without `merge`."""

    def __init__(self) -> None:
        super().__init__(
            "the workspace is not empty (it holds journeys, programs, agency mappings or "
            "subscriber bases): "
            "restore into a new workspace, or merge the dump into this one "
            "(refused if one of its ids is already here)"
        )


_COUNTED = (
    "journey",
    "program",
    "visit",
    "photo",
    "snapshot",
    "note",
    "dot",
    "agency mapping",
    "subscriber base",
)


@dataclass(frozen=True)
class DumpSummary:
    """How many of each thing a dump holds (or a restore wrote)."""

    counts: dict[str, int]

    def describe(self) -> str:
        """For example "2 journeys, 1 program, 1 of those in the trash, 12 visits, …"."""
        shown = []
        for key in _COUNTED:
            count = self.counts.get(key, 0)
            shown.append(f"{count} {key}{'' if count == 1 else 's'}")
        trash = self.counts.get("in the trash", 0)
        if trash:
            shown.insert(2, f"{trash} of those in the trash")
        return ", ".join(shown)


@requires(Permission.READ)
def dump_workspace(folder: Path, *, store: Store) -> DumpSummary:
    """Write everything the workspace holds into `folder` (new or empty), all at once.

    Raises DumpRefused (a folder that is not empty, a file too large to be read back),
    OSError (the disk).
    """
    counts: Counter[str] = Counter()
    with layout.written_into(folder) as out, store.read_session() as session:
        dump_rows.read_consistently(session)
        trash = TrashFile()
        for journey, deleted_at in dump_rows.journeys(session):
            _document(out, trash, journey, deleted_at, counts)
            _journey_parts(out, session, journey, counts)
        for program, deleted_at in dump_rows.programs(session):
            _document(out, trash, program, deleted_at, counts)
        if trash.items:
            out.model(f"{layout.TRASH}/{layout.TRASH_INDEX}", trash)
        mappings = [_mapping(*found) for found in dump_rows.agency_mappings(session)]
        if mappings:
            out.model(f"{layout.AGENCIES}/{layout.MAPPINGS}", AgencyMappingsFile(mappings=mappings))
        counts["agency mapping"] = len(mappings)
        _bases(out, session, counts)
    return DumpSummary(dict(counts))


def _bases(out: layout.Writer, session: Session, counts: Counter[str]) -> None:
    for i, base in enumerate(dump_rows.subscriber_bases(session), 1):
        out.model(f"{layout.BASES}/{layout.base_name(i)}", base)
        counts["subscriber base"] += 1
    links = dump_rows.base_links(session)
    if links:
        out.model(f"{layout.BASES}/{layout.BASE_LINKS}", BaseLinksFile(links=links))


def _document(
    out: layout.Writer,
    trash: TrashFile,
    document: Journey | Program,
    deleted_at: datetime | None,
    counts: Counter[str],
) -> None:
    name = f"{document.id}.{document.kind}.yaml"
    counts[document.kind] += 1
    if deleted_at is None:
        out.text(name, dump_document(document))
        return
    counts["in the trash"] += 1
    out.text(f"{layout.TRASH}/{name}", dump_document(document))
    trash.items.append(TrashEntry(kind=document.kind, id=document.id, deleted_at=deleted_at))


def _journey_parts(
    out: layout.Writer, session: Session, journey: Journey, counts: Counter[str]
) -> None:
    """Write a journey's snapshots, visits (with their photos), participants' notes and dot
    vote."""
    entries = []
    for i, (name, created_at, content) in enumerate(dump_rows.snapshots(session, journey.id), 1):
        out.text(f"{layout.SNAPSHOTS}/{journey.id}/{layout.snapshot_name(i)}", content)
        entries.append(
            SnapshotEntry(file=layout.snapshot_name(i), name=name, created_at=created_at)
        )
    if entries:
        index = SnapshotsFile(journey=journey.id, snapshots=entries)
        out.model(f"{layout.SNAPSHOTS}/{journey.id}/{layout.SNAPSHOTS_INDEX}", index)
    counts["snapshot"] += len(entries)
    for visit in dump_rows.visits(session, journey.id):
        out.model(f"{layout.VISITS}/{journey.id}/{visit.id}.visit.yaml", visit)
        counts["visit"] += 1
        for photo in (p for obs in visit.observations for p in obs.photos):
            path = f"{layout.PHOTOS}/{layout.photo_name(photo.sha256, photo.content_type)}"
            if not (out.root / path).exists():
                data, _ = dump_rows.photo_bytes(session, photo.sha256)
                out.data(path, data)
                counts["photo"] += 1
    notes = dump_rows.notes(session, journey)
    if notes:
        out.model(
            f"{layout.NOTES}/{journey.id}.notes.yaml", NotesFile(journey=journey.id, notes=notes)
        )
    counts["note"] += len(notes)
    vote = dump_rows.votes(session, journey.id)
    if vote is not None:
        out.model(f"{layout.VOTES}/{journey.id}.votes.yaml", vote)
        counts["dot"] += sum(v.dots for v in vote.votes)


def _mapping(
    key: str, name: str, columns: str, value_map: str, updated_at: datetime
) -> DumpedAgencyMapping:
    return DumpedAgencyMapping(
        key=key,
        name=name,
        columns=json.loads(ColumnMapping.model_validate_json(columns).model_dump_json())["columns"],
        values=json.loads(ValueMapping.model_validate_json(value_map).model_dump_json()),
        updated_at=updated_at,
    )


@requires(Permission.EDIT)
def restore_dump(folder: Path, *, store: Store, merge: bool = False) -> DumpSummary:
    """Write everything a dump folder holds into the workspace, in one transaction.

    The folder is read and checked whole first. Into a workspace that already holds
    something only with `merge`, and then refused if one of the dump's ids is already there.
    Raises DumpRefused (every problem of the folder), WorkspaceNotEmpty, DuplicateIdError.
    """
    dump = read_dump(folder)
    with dump_rows.restore_session(store) as session:
        if not merge and dump_rows.holds_anything(session):
            raise WorkspaceNotEmpty()
        wanted = {
            "journey": {d.id for d, _ in dump.documents if d.kind == "journey"},
            "program": {d.id for d, _ in dump.documents if d.kind == "program"},
            "agency mapping": {m.key for m, _, _ in dump.agencies},
            "subscriber base": {b.name for b in dump.bases},
        }
        dump_rows.check_free(session, wanted)
        _restore(session, dump)
    return _summary(dump)


def _restore(session: Session, dump: WorkspaceDump) -> None:
    for document, deleted_at in dump.documents:
        dump_rows.insert_document(session, document, deleted_at)
    for journey_id, name, created_at, content in dump.snapshots:
        dump_rows.insert_snapshot(session, journey_id, name, created_at, content)
    for sha256, path in dump.photos.items():
        photo = read_photo(None, path, sha256)  # again: the file may have changed since
        assert photo is not None
        dump_rows.store_photo(session, photo)
    for visit in dump.visits:
        dump_rows.insert_visit(session, visit)
    for journey_id, notes in dump.notes.items():
        dump_rows.insert_notes(session, journey_id, notes)
    for vote in dump.votes:
        dump_rows.insert_votes(session, vote)
    for mapping, columns, values in dump.agencies:
        dump_rows.insert_agency_mapping(session, mapping, columns, values)
    for base in dump.bases:
        dump_rows.insert_base(session, base)
    session.flush()  # the bases before the links that name them
    for link in dump.base_links:
        dump_rows.insert_base_link(session, link)


def _summary(dump: WorkspaceDump) -> DumpSummary:
    kinds = Counter(d.kind for d, _ in dump.documents)
    counts = {
        "journey": kinds["journey"],
        "program": kinds["program"],
        "in the trash": sum(1 for _, deleted in dump.documents if deleted is not None),
        "visit": len(dump.visits),
        "photo": len(dump.photos),
        "snapshot": len(dump.snapshots),
        "note": sum(len(n) for n in dump.notes.values()),
        "dot": sum(v.dots for file in dump.votes for v in file.votes),
        "agency mapping": len(dump.agencies),
        "subscriber base": len(dump.bases),
    }
    return DumpSummary(counts)

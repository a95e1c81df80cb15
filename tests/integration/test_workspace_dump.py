"""`journeys dump` and `journeys restore-dump`: a workspace with journeys, programs, visits
(date and time, rating, wait, verbatim, photos), snapshots, notes, agencies' mappings and a
trash comes back whole, every column of every row compared, from SQLite and PostgreSQL into
SQLite and PostgreSQL; a broken dump is refused naming file and line, and changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import URL, make_url
from typer.testing import CliRunner

from journeys import services
from journeys.cli.main import app
from journeys.contract.model import FindingType, Journey, Program
from journeys.data import services as data
from journeys.data.demo import generate
from journeys.dump import services as dump
from journeys.errors import DuplicateIdError
from journeys.store.db import Store, open_store
from journeys.store.tables import metadata
from journeys.visits import services as vs
from journeys.visits.agency.mapping import ValueMapping, suggest_mapping
from journeys.visits.agency.preview import sniff
from journeys.visits.drafts import ObservationDraft
from journeys.workshop import participants as p
from journeys.workshop import presenting, votes
from journeys.workshop.participants import NoteDraft
from tests.fixtures.agency_files import TIMED_AGENCY_FILE

JOURNEY = "premier-abonnement"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60 + "é".encode()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))

# What a dump leaves out on purpose (the command's help and the README say so): tables of
# passing state, and columns that are bookkeeping of the store rather than what a user made.
LEFT_OUT_TABLES = {"workshop_session", "throttle_event", "visit_draft"}
BOOKKEEPING = {"id", "version", "revision"}
RESTORE_TIME = {
    "journey": {"created_at", "updated_at"},
    "program": {"created_at", "updated_at"},
    "finding": {"created_at", "position"},  # findings are written anew from the YAML
    "photo": {"created_at"},
    "participant_note": {"merged_finding_id"},
    # the moment presented, follow-me and the timer are a live session's passing state
    "workshop_state": {
        "presenting_moment_id",
        "follow",
        "timer_started_at",
        "timer_seconds",
        "updated_at",
    },
    "dot_vote": {"updated_at"},
}


# --- the workspace -------------------------------------------------------------------------


def build_workspace(store: Store, journey: Journey, program: Program) -> None:
    """Everything a user makes: journeys and programs (one of each in the trash), a phone
    visit with photos, an agency's visits and mapping, a visit in the trash, a snapshot,
    participants' notes (new, accepted, discarded)."""
    services.create_from_template("first_subscription.fr.journey", store=store)
    services.import_document(journey.model_copy(update={"id": "ancien-parcours"}), store=store)
    services.delete_journey("ancien-parcours", store=store)
    services.import_document(program, store=store)
    services.import_document(program.model_copy(update={"id": "programme-retire"}), store=store)
    services.delete_program("programme-retire", store=store)

    jpeg = vs.save_photo(JPEG, "IMG_0001.jpg", store=store)
    png = vs.save_photo(PNG, "reçu « caisse » 🧾.png", store=store)
    info = vs.new_draft(JOURNEY, store=store)
    observations = [
        ObservationDraft(
            moment="souscription",
            channel="site-web",
            touchpoint="tunnel-souscription",
            type="irritant",
            intensity=3,
            text="Formulaire trop long — 9,90 € de frais <b>",
            rating=2,
            wait_minutes="12,5",
            verbatim='« Encore ? » "quoted"\nsur deux lignes',
            photos=[jpeg, png],
        ),
        ObservationDraft(
            moment="contact-service-client",
            channel="telephone",
            type="delight",
            text="Conseillère aimable",
            rating=5,
            wait_minutes="0",
            photos=[jpeg],
        ),
    ]
    draft = info.draft.model_copy(
        update={
            "shopper": "Marie-Hélène 🛒",
            "visited_at": "2026-02-14T18:47",
            "persona": "Abonnée papier, 60 ans",
            "scenario": "Souscrire en ligne un dimanche soir",
            "observations": observations,
        }
    )
    vs.save_draft(info.token, draft, store=store)
    vs.submit_visit(info.token, store=store)

    mapping = suggest_mapping(sniff(TIMED_AGENCY_FILE).headers)
    phone = ValueMapping(channels={"Tél.": "telephone"}, types={"Rupture": FindingType.BREAK})
    vs.import_agency_csv(
        TIMED_AGENCY_FILE, JOURNEY, mapping, phone, store=store, agency="Qualimétrie"
    )
    vs.delete_visit(JOURNEY, "2026-11-03-1405-paul", store=store)

    services.snapshot_journey(JOURNEY, "après l'atelier 1", store=store)

    code = p.open_workshop(JOURNEY, store=store)
    cell = {"moment": "souscription", "channel": "site-web"}
    kept = NoteDraft(type=FindingType.BREAK, text="Pas de lien « retour »", author="Léa", **cell)
    p.submit_note(JOURNEY, code, kept, store=store)
    accepted = NoteDraft(type=FindingType.DELIGHT, text="Tarif clair", touchpoint="page-offres")
    p.accept_note(p.submit_note(JOURNEY, code, accepted, store=store), store=store)
    dropped = NoteDraft(type=FindingType.IRRITANT, text="hors sujet", **cell)
    p.discard_note(p.submit_note(JOURNEY, code, dropped, store=store), store=store)

    votes.open_vote(JOURNEY, store=store)
    votes.set_dots_per_voter(JOURNEY, 6, store=store)
    problems = [
        ref.id
        for tp in services.get_journey(JOURNEY, store=store).touchpoints[:3]
        for ref, finding in zip(
            services.get_journey_for_edit(JOURNEY, store=store).finding_refs[tp.id],
            tp.findings,
            strict=True,
        )
        if finding.type is not FindingType.DELIGHT
    ]
    for ref in (problems[0], problems[0], problems[-1]):
        votes.cast_dot(JOURNEY, ref, "facilitator:Léa", store=store)
    votes.phone_cast(JOURNEY, code, "telephone-de-max", problems[-1], store=store)
    presenting.set_presenting(JOURNEY, "souscription", store=store)
    presenting.start_timer(JOURNEY, 600, store=store)


def rows_by_table(url: URL | str) -> dict[str, list[tuple]]:
    """Every row of every table the dump keeps, each column by name, row ids of other tables
    replaced by what names those rows (a slug, a photo's SHA-256, a position)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            raw = {
                t.name: [dict(r._mapping) for r in connection.execute(select(t))]
                for t in metadata.sorted_tables
            }
    finally:
        engine.dispose()
    by_id = {name: {r.get("id"): r for r in found} for name, found in raw.items()}

    def name_of(table: str, row_id: Any) -> Any:
        row = by_id[table].get(row_id)
        if row is None:
            return None
        parents = [c for c in metadata.tables[table].columns if c.foreign_keys]
        own = row.get("slug") or row.get("sha256") or row.get("position")
        return (table, own, *(name_of(_target(c), row[c.name]) for c in parents))

    kept: dict[str, list[tuple]] = {}
    for name, found in raw.items():
        if name in LEFT_OUT_TABLES:
            continue
        table = metadata.tables[name]
        skipped = BOOKKEEPING | RESTORE_TIME.get(name, set())
        lines = []
        for row in found:
            line = []
            for column in table.columns:
                if column.name in skipped:
                    continue
                value = row[column.name]
                if column.foreign_keys:
                    value = name_of(_target(column), value)
                elif isinstance(value, memoryview):
                    value = bytes(value)
                line.append((column.name, value))
            lines.append(tuple(line))
        kept[name] = sorted(lines, key=repr)
    return kept


def _target(column: Any) -> str:
    return next(iter(column.foreign_keys)).column.table.name


@pytest.fixture
def target(database_url: URL, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A second, empty workspace on the same kind of database as `store`."""
    if database_url.get_backend_name() == "sqlite":
        url = make_url(f"sqlite:///{tmp_path / 'restored' / 'journeys.db'}")
        with _opened(url) as opened:
            yield opened
        return
    base: URL = request.getfixturevalue("postgres_url")
    schema = f"restored_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        with _opened(base.update_query_dict({"options": f"-csearch_path={schema}"})) as opened:
            yield opened
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def any_target(empty_database_url: URL) -> Iterator[Store]:
    """A new, empty workspace on SQLite or PostgreSQL, whatever the source's database."""
    with _opened(empty_database_url) as opened:
        yield opened


@contextmanager
def _opened(url: URL) -> Iterator[Store]:
    opened = open_store(url)
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture
def dumped(store, sample_journey, sample_program, tmp_path) -> Path:
    build_workspace(store, sample_journey, sample_program)
    folder = tmp_path / "dump"
    dump.dump_workspace(folder, store=store)
    return folder


# --- round trip ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small subscriber extract (CSV) for a base."""
    return generate(tmp_path_factory.mktemp("extract"), 300, seed=5).subscriptions


def test_a_restored_dump_holds_every_row_of_the_workspace_column_by_column(
    store, sample_journey, sample_program, extract, tmp_path, any_target
):
    build_workspace(store, sample_journey, sample_program)
    data.import_base("presse écrite", extract, store=store)
    data.link_journey_base(JOURNEY, "presse écrite", {"0-3": "souscription"}, store=store)
    dump.dump_workspace(tmp_path / "dump", store=store)

    summary = dump.restore_dump(tmp_path / "dump", store=any_target)

    before, after = rows_by_table(store.url), rows_by_table(any_target.url)
    assert summary.counts["visit"] == 4 and summary.counts["photo"] == 2
    assert len(before["visit"]) == 4 and len(before["observation_photo"]) == 3
    assert len(before["participant_note"]) == 3 and len(before["snapshot"]) == 1
    assert len(before["workshop_state"]) == 1 and len(before["dot_vote"]) == 3
    assert len(before["subscriber_base"]) == 1 and len(before["journey_base"]) == 1
    for table in before:
        assert after[table] == before[table], table


def test_a_visit_comes_back_with_its_date_time_shopper_rating_wait_verbatim_and_photos(
    store, dumped, target
):
    dump.restore_dump(dumped, store=target)

    (road,) = [v for v in vs.list_visits(JOURNEY, store=target) if v.origin == "road"]
    visit = vs.get_visit(JOURNEY, road.id, store=target)
    assert visit == vs.get_visit(JOURNEY, road.id, store=store)
    assert visit.shopper == "Marie-Hélène 🛒"
    assert visit.visited_at == vs.get_visit(JOURNEY, road.id, store=store).visited_at
    assert (visit.visited_at.hour, visit.visited_at.minute) != (0, 0)
    first = visit.observations[0]
    assert (first.rating, first.wait_minutes) == (2, 12.5)
    assert first.verbatim == '« Encore ? » "quoted"\nsur deux lignes'
    assert [vs.get_photo(ph.sha256, store=target)[0] for ph in first.photos] == [JPEG, PNG]
    assert [ph.file_name for ph in first.photos] == ["IMG_0001.jpg", "reçu « caisse » 🧾.png"]
    assert services.export_yaml(JOURNEY, store=target) == services.export_yaml(JOURNEY, store=store)

    def trash(workspace: Store) -> list[tuple]:  # a finding's item id is its row's number
        return [
            (i.kind, i.journey_id, i.label, i.deleted_at)
            for i in services.list_trash(store=workspace)
        ]

    assert trash(target) == trash(store)
    assert {("journey", "ancien-parcours"), ("program", "programme-retire")} <= {
        (i.kind, i.item_id) for i in services.list_trash(store=target)
    }


def test_a_visit_restored_from_the_trash_of_a_restored_dump_brings_its_findings_back(
    store, dumped, target
):
    dump.restore_dump(dumped, store=target)

    for workspace in (store, target):
        assert vs.restore_visit(JOURNEY, "2026-11-03-1405-paul", store=workspace) == 1
    assert services.export_yaml(JOURNEY, store=target) == services.export_yaml(JOURNEY, store=store)


# --- refusals ------------------------------------------------------------------------------


def test_a_dump_is_not_restored_into_a_workspace_that_holds_something_unless_merged(
    store, dumped, target, sample_journey
):
    services.import_document(sample_journey.model_copy(update={"id": "autre"}), store=target)
    before = rows_by_table(target.url)

    with pytest.raises(dump.WorkspaceNotEmpty):
        dump.restore_dump(dumped, store=target)
    assert rows_by_table(target.url) == before

    dump.restore_dump(dumped, store=target, merge=True)
    assert len(services.list_journeys(store=target)) == 2
    after_merge = rows_by_table(target.url)
    with pytest.raises(DuplicateIdError, match="already exists"):
        dump.restore_dump(dumped, store=target, merge=True)
    assert rows_by_table(target.url) == after_merge


def test_a_broken_visit_file_is_refused_naming_file_and_line_and_nothing_is_written(dumped, target):
    (path, *_) = sorted((dumped / "visits" / JOURNEY).glob("*.visit.yaml"))
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("rating:"))
    lines[at] = lines[at].split(":")[0] + ": 9"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(dump.DumpRefused) as refused:
        dump.restore_dump(dumped, store=target)

    assert f"{path}:{at + 1}:" in str(refused.value)
    assert "rating" in str(refused.value)
    assert services.list_journeys(store=target, include_deleted=True) == []


def test_a_missing_or_changed_photo_refuses_the_restore(dumped, target):
    photos = sorted((dumped / "photos").iterdir())
    photos[0].write_bytes(photos[0].read_bytes() + b"\x00")
    photos[1].unlink()

    with pytest.raises(dump.DumpRefused) as refused:
        dump.restore_dump(dumped, store=target)

    message = str(refused.value)
    assert f"{photos[0]}: its bytes do not match its name" in message
    assert "is not in photos/" in message
    assert services.list_journeys(store=target, include_deleted=True) == []


# --- the command line ----------------------------------------------------------------------


def test_the_commands_dump_restore_and_refuse_a_folder_that_is_not_empty(tmp_path, monkeypatch):
    source, copy = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    monkeypatch.setenv("JOURNEYS_DATABASE_URL", source)
    workspace = open_store(source)
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    workspace.dispose()
    runner, folder = CliRunner(), tmp_path / "sauvegarde"

    done = runner.invoke(app, ["dump", str(folder)])
    assert done.exit_code == 0, done.output
    assert f"journeys restore-dump {folder}" in done.output
    again = runner.invoke(app, ["dump", str(folder)])
    assert again.exit_code == 1 and "not empty" in again.output

    restored = runner.invoke(app, ["restore-dump", str(folder), "--database", copy])
    assert restored.exit_code == 0, restored.output
    assert "1 journey" in restored.output
    twice = runner.invoke(app, ["restore-dump", str(folder), "--database", copy])
    assert twice.exit_code == 1 and "--merge" in twice.output

    shown = runner.invoke(app, ["dump", "--help"], env={"COLUMNS": "200"})
    assert "join codes" in shown.output and "phone drafts not yet sent" in shown.output

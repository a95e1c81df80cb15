"""`journeys visits import` with an agency's saved mapping, and `journeys derive`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from journeys import services
from journeys.cli.main import app
from journeys.visits import services as vs
from journeys.visits.agency.mapping import ValueMapping, suggest_mapping
from journeys.visits.agency.preview import sniff
from tests.fixtures.agency_files import (
    AGENCY_FILE,
    BAD_AGENCY_FILE,
    LATER_TIMED_AGENCY_FILE,
    TIMED_AGENCY_FILE,
    UNKNOWN_TYPE_AGENCY_FILE,
)

JOURNEY = "premier-abonnement"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("JOURNEYS_DATABASE_URL", url)
    store = services.open_store(url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    yield store
    store.dispose()


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_visits_import_uses_the_agency_s_saved_mapping(workspace, tmp_path):
    mapping = suggest_mapping(sniff(AGENCY_FILE).headers)
    values = ValueMapping(channels={"Tél.": "telephone"})
    vs.save_agency_mapping("Qualimétrie", mapping, values, store=workspace)
    file = tmp_path / "visites.csv"
    file.write_bytes(AGENCY_FILE)

    result = invoke("visits", "import", str(file), "--journey", JOURNEY, "--agency", "Qualimétrie")

    assert result.exit_code == 0, result.output
    assert "imported 2 visit(s), 5 observation(s)" in result.output
    assert len(vs.list_visits(JOURNEY, store=workspace)) == 2
    listed = invoke("visits", "list", "--journey", JOURNEY)
    assert "Hélène" in listed.output and "Qualimétrie" in listed.output


def test_visits_import_takes_a_mapping_file_and_remembers_it(workspace, tmp_path):
    file = tmp_path / "visites.csv"
    file.write_bytes(AGENCY_FILE)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns:\n  visited_at: Date de visite\n  shopper: Enquêtrice\n"
        "  moment: Moment de vie\n  channel: Canal\n  type: Type de constat\n"
        "  text: Commentaire\nvalues:\n  channels: {'Tél.': telephone}\n",
        encoding="utf-8",
    )

    result = invoke(
        "visits",
        "import",
        str(file),
        "--journey",
        JOURNEY,
        "--agency",
        "Neuve",
        "--mapping",
        str(mapping),
    )

    assert result.exit_code == 0, result.output
    saved = vs.load_agency_mapping("neuve", store=workspace)
    assert saved is not None and saved[1].channels == {"Tél.": "telephone"}


def test_visits_import_of_a_bad_file_names_the_rows_and_changes_nothing(workspace, tmp_path):
    file = tmp_path / "mauvais.csv"
    file.write_bytes(BAD_AGENCY_FILE)
    before = services.get_journey(JOURNEY, store=workspace)

    result = invoke("visits", "import", str(file), "--journey", JOURNEY, "--agency", "X")

    assert result.exit_code == 1
    assert "row 3, column 'Date de visite'" in result.output
    assert "row 4, column 'Moment de vie': unknown moment 'Souscriptoin'" in result.output
    assert "nothing changed" in result.output
    assert services.get_journey(JOURNEY, store=workspace) == before


def test_a_refused_mapping_file_is_explained(workspace, tmp_path):
    file = tmp_path / "visites.csv"
    file.write_bytes(AGENCY_FILE)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("colonnes: {}\n", encoding="utf-8")

    result = invoke(
        "visits",
        "import",
        str(file),
        "--journey",
        JOURNEY,
        "--agency",
        "X",
        "--mapping",
        str(mapping),
    )

    assert result.exit_code == 1
    assert "expected the keys 'columns'" in result.output


def test_visits_import_keeps_the_hour_and_skips_visits_already_imported_when_asked(
    workspace, tmp_path
):
    phone = ValueMapping(channels={"Tél.": "telephone"})
    vs.save_agency_mapping(
        "Qualimétrie", suggest_mapping(sniff(TIMED_AGENCY_FILE).headers), phone, store=workspace
    )
    first, later = tmp_path / "novembre.csv", tmp_path / "novembre-suite.csv"
    first.write_bytes(TIMED_AGENCY_FILE)
    later.write_bytes(LATER_TIMED_AGENCY_FILE)
    args = ("visits", "import", "--journey", JOURNEY, "--agency", "Qualimétrie")

    done = invoke(*args, str(first))
    assert done.exit_code == 0, done.output
    assert "imported 3 visit(s), 4 observation(s)" in done.output
    assert "intensity from the rating" in done.output
    refused = invoke(*args, str(later))
    assert refused.exit_code == 1
    assert "visit '2026-11-03-0931-helene' (Hélène, 03/11/2026 09:31) is already" in refused.output
    assert "--existing skip" in refused.output
    skipped = invoke(*args, str(later), "--existing", "skip")

    assert skipped.exit_code == 0, skipped.output
    assert "imported 1 visit(s), 1 observation(s)" in skipped.output
    assert "skipped 1 visit(s) already imported" in skipped.output
    listed = invoke("visits", "list", "--journey", JOURNEY).output.splitlines()
    assert [line.split("\t")[:3] for line in listed] == [
        ["2026-11-03-0912-helene", "2026-11-03 09:12", "Hélène"],
        ["2026-11-03-0931-helene", "2026-11-03 09:31", "Hélène"],
        ["2026-11-03-1005-helene", "2026-11-03 10:05", "Hélène"],
        ["2026-11-03-1405-paul", "2026-11-03 14:05", "Paul"],
    ]


def test_visits_import_refuses_an_unknown_type_label_and_remembers_no_guess(workspace, tmp_path):
    file = tmp_path / "coup-de-coeur.csv"
    file.write_bytes(UNKNOWN_TYPE_AGENCY_FILE)

    result = invoke("visits", "import", str(file), "--journey", JOURNEY, "--agency", "Neuve")

    assert result.exit_code == 1
    assert "row 2, column 'Type de constat': unknown type 'Coup de cœur'" in result.output
    assert vs.list_visits(JOURNEY, store=workspace) == []
    assert vs.load_agency_mapping("Neuve", store=workspace) is None


def test_derive_creates_the_target_and_prints_the_gap(workspace):
    result = invoke("derive", JOURNEY, "--id", "premier-abonnement-cible")

    assert result.exit_code == 0, result.output
    assert "created target journey 'premier-abonnement-cible'" in result.output
    assert "21 problem(s) resolved" in result.output
    target = services.get_journey("premier-abonnement-cible", store=workspace)
    assert target.derived_from == JOURNEY

    again = invoke("derive", JOURNEY, "--id", "premier-abonnement-cible")
    assert again.exit_code == 1 and "already exists" in again.output

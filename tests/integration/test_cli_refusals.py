"""The CLI refuses in one clear line, never a traceback: `export --output` (folder, under a file,
existing file), a hostile mapping file, an unreachable database; exports keep usual permissions."""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeys import services
from journeys.cli.main import app
from journeys.export import services as export_services
from journeys.visits import services as vs
from tests.fixtures.agency_files import AGENCY_FILE

JOURNEY = "premier-abonnement"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[services.Store]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("JOURNEYS_DATABASE_URL", url)
    monkeypatch.setenv("JOURNEYS_EXPORT_DIR", str(tmp_path / "exports"))
    store = services.open_store(url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    yield store
    store.dispose()


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def refused(result) -> str:
    """The message of a clean refusal: exit code 1, no exception but the exit itself."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    return result.output


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- journeys export --output (#14 point 18) ---------------------------------------------


def test_export_into_an_existing_folder_is_refused_and_says_so(workspace, tmp_path):
    folder = tmp_path / "sorties"
    folder.mkdir()

    output = refused(invoke("export", JOURNEY, "--output", str(folder)))

    assert output.strip() == f"{folder} is a folder; give the name of a file to write"
    assert list(folder.iterdir()) == []


def test_export_to_a_path_under_a_file_is_refused_and_says_which_is_a_file(workspace, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")

    output = refused(invoke("export", JOURNEY, "-o", str(blocker / "sub" / "j.yaml")))

    assert output.strip() == f"{blocker / 'sub' / 'j.yaml'}: {blocker} is a file, not a folder"
    assert blocker.read_text() == "not a folder"


def test_export_over_an_existing_file_is_refused_unless_forced(workspace, tmp_path):
    target = tmp_path / "parcours.yaml"
    target.write_text("keep me")

    output = refused(invoke("export", JOURNEY, "-o", str(target)))

    assert output.strip() == f"{target} already exists; nothing was written; --force replaces it"
    assert target.read_text() == "keep me"
    forced = invoke("export", JOURNEY, "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8").startswith("format: journeys/v1\n")


def test_export_to_a_new_file_in_a_new_folder_still_works(workspace, tmp_path):
    target = tmp_path / "new" / "folder" / "parcours.csv"

    result = invoke("export", JOURNEY, "-f", "csv", "-o", str(target))

    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(target)
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) > 10


def test_exports_get_the_permissions_of_an_ordinary_file(workspace, tmp_path, umask_022):
    target = tmp_path / "parcours.yaml"

    assert invoke("export", JOURNEY, "-o", str(target)).exit_code == 0
    into_folder = invoke("export", JOURNEY, "-f", "csv")  # the export folder, as the page saves
    saved = export_services.export_to_file(
        JOURNEY, store=workspace, fmt="yaml", export_dir=tmp_path / "page"
    )

    assert into_folder.exit_code == 0, into_folder.output
    assert mode(target) == 0o644
    assert mode(Path(into_folder.output.strip())) == 0o644
    assert mode(saved) == 0o644
    os.umask(0o027)
    assert invoke("export", JOURNEY, "-o", str(tmp_path / "team.yaml")).exit_code == 0
    assert mode(tmp_path / "team.yaml") == 0o640


def test_replacing_an_export_keeps_the_permissions_the_file_had(workspace, tmp_path, umask_022):
    target = tmp_path / "private.yaml"
    target.write_text("old")
    target.chmod(0o600)

    assert invoke("export", JOURNEY, "-o", str(target), "--force").exit_code == 0

    assert mode(target) == 0o600
    assert target.read_text(encoding="utf-8") != "old"


# --- visits import --mapping goes through the hardened reader (#14 point 19) -------------


def billion_laughs() -> str:
    lines = ["columns:", '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        aliases = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"  a{level}: &a{level} [{aliases}]")
    lines.append("  visited_at: *a9")
    return "\n".join(lines) + "\n"


def limited_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


# Guards, not measures: before the fix the bomb expanded inside pydantic-core, which holds the
# GIL (pytest-timeout alone could not stop it); the command runs as its own process, killed
# after 60 s and kept to 2 GB, so a regression fails here instead of taking the machine.
@pytest.mark.timeout(90)
def test_a_billion_laughs_mapping_file_is_refused_with_where_and_why(workspace, tmp_path):
    csv_file = tmp_path / "visites.csv"
    csv_file.write_bytes(AGENCY_FILE)
    mapping = tmp_path / "bomb.yaml"
    mapping.write_text(billion_laughs(), encoding="utf-8")
    assert len(mapping.read_bytes()) < 1000
    command = ["visits", "import", str(csv_file), "--journey", JOURNEY, "--agency", "X"]

    done = subprocess.run(
        [sys.executable, "-m", "journeys.cli.main", *command, "--mapping", str(mapping)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limited_memory,
    )

    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        f"{csv_file}: {mapping}: refused, 1 problem",
        f"  {mapping}:2:7: anchors and aliases (&name / *name) are not allowed",
    ]
    assert vs.load_agency_mapping("X", store=workspace) is None


def test_a_mapping_file_with_a_python_tag_is_refused(workspace, tmp_path):
    csv_file = tmp_path / "visites.csv"
    csv_file.write_bytes(AGENCY_FILE)
    mapping = tmp_path / "tag.yaml"
    mapping.write_text("columns: !!python/object/apply:os.system ['echo hacked']\n")

    output = refused(
        invoke(
            "visits",
            "import",
            str(csv_file),
            "--journey",
            JOURNEY,
            "--agency",
            "X",
            "--mapping",
            str(mapping),
        )
    )

    assert f"{mapping}:1:10: tags such as '!!python/...' or '!custom' are not allowed" in output


# --- an unreachable database: one line, which URL, why (#14 point 20) --------------------


@pytest.mark.parametrize("command", [("list",), ("visits", "list", "--journey", JOURNEY)])
def test_an_unreachable_postgresql_says_which_url_failed_and_why_in_one_line(command):
    url = "postgresql+psycopg://journeys:s3cret@127.0.0.1:1/workshop"

    output = refused(invoke(*command, "--database", url))

    assert output.count("\n") == 1
    assert output.startswith(
        "cannot open the database postgresql+psycopg://journeys:***@127.0.0.1:1/workshop: "
    )
    assert "Connection refused" in output
    assert "s3cret" not in output


def test_a_sqlite_file_that_cannot_be_opened_says_which_url_and_why(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    url = f"sqlite:///{blocker / 'journeys.db'}"

    output = refused(invoke("list", "--database", url))

    assert output.count("\n") == 1
    assert output.startswith(f"cannot open the database {url}: ")


def test_a_url_that_is_not_one_is_refused_in_one_line_with_its_password_hidden():
    output = refused(invoke("list", "--database", "postgres//user:s3cret@host/db"))

    assert output.count("\n") == 1
    assert "s3cret" not in output and "***" in output


def test_a_refusal_quoting_a_huge_argument_stays_short(workspace):
    output = refused(invoke("export", "x" * 100_000))

    assert len(output) < 1000
    assert output.startswith("journey or program '" + "x" * 100)
    assert output.rstrip().endswith("…")

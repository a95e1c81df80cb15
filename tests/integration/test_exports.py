"""Export service: every format, safe file names, atomic writes into the export folder."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from journeys.export import files as exports
from journeys.export.files import export_bytes, export_document, safe_filename, write_atomically
from tests.fixtures.render_samples import sample_journey, sample_program

DAY = date(2025, 3, 14)


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [
        ("svg", b"<?xml"),
        ("png", b"\x89PNG"),
        ("pdf", b"%PDF-"),
        ("dot", b"digraph detailed"),
        ("yaml", b"format: journeys/v1"),
    ],
)
def test_program_exports_in_every_format(fmt: str, magic: bytes) -> None:
    export = export_bytes(
        sample_program(),
        fmt=fmt,
        view="detailed",
        journey=sample_journey(),
        generated_on=DAY,
        engine="embedded",
    )
    assert export.data.startswith(magic)
    expected = "programme-bienvenue.yaml" if fmt == "yaml" else "programme-bienvenue_detailed"
    assert export.filename.startswith(expected.split(".")[0])
    assert export.filename.endswith(f"_2025-03-14.{fmt}")


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [("pdf", b"%PDF-"), ("csv", b"\xef\xbb\xbfjourney"), ("yaml", b"format: journeys/v1")],
)
def test_journey_exports_in_every_format(fmt: str, magic: bytes) -> None:
    export = export_bytes(
        sample_journey(),
        fmt=fmt,
        programs=[sample_program()],
        page="A4",
        generated_on=DAY,
        engine="embedded",
    )
    assert export.data.startswith(magic)
    assert export.filename == f"premier-abonnement_2025-03-14.{fmt}"


def test_formats_and_views_a_document_lacks_are_refused() -> None:
    with pytest.raises(ValueError, match="journey exports as"):
        export_bytes(sample_journey(), fmt="svg")
    with pytest.raises(ValueError, match="program exports as"):
        export_bytes(sample_program(), fmt="csv")
    with pytest.raises(ValueError, match="unknown view"):
        export_bytes(sample_program(), fmt="svg", view="side")


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\x\\Écart « cible »", "ecart-cible.pdf"),
        ("con", "con-export.pdf"),
        ("...", "export.pdf"),
        ("Œuvre 10 €", "oeuvre-10.pdf"),
    ],
)
def test_file_names_are_slugs_without_path_tricks(stem: str, expected: str) -> None:
    assert safe_filename(stem, fmt="pdf") == expected


def test_export_document_writes_atomically_in_the_export_folder(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    path = export_document(sample_journey(), fmt="csv", export_dir=folder, generated_on=DAY)
    assert path == folder / "premier-abonnement_2025-03-14.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    wished = export_document(
        sample_program(), fmt="dot", output="../../Mon schéma.dot", export_dir=folder
    )
    assert wished == folder / "mon-schema.dot"
    assert sorted(p.name for p in folder.iterdir()) == [
        "mon-schema.dot",
        "premier-abonnement_2025-03-14.csv",
    ]


def test_failed_write_leaves_no_temporary_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_atomically(tmp_path, "a.csv", b"old")

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(exports.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(tmp_path, "a.csv", b"new")
    assert os.listdir(tmp_path) == ["a.csv"]
    assert (tmp_path / "a.csv").read_bytes() == b"old"
    with pytest.raises(ValueError, match="unsafe file name"):
        write_atomically(tmp_path, "../escape.csv", b"x")

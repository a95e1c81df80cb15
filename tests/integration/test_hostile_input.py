"""Hostile YAML, CSV and uploads: refused with where and what, workspace untouched; text inert.

Every refusal is checked the same way: the message names the file (and the line, or the field
path, or the CSV row) and what is wrong, and the workspace (every journey and program exported
as YAML, the lists, snapshots, visits and trash) is exactly as before. Big inputs are generated
into memory or tmp_path; the small classics live in tests/fixtures/hostile/. Timeouts only
guard against a hang: no test asserts on time.
"""

from __future__ import annotations

import codecs
import hashlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from journeys import services
from journeys.contract import yaml_io
from journeys.contract.model import (
    Anchor,
    Channel,
    Finding,
    FindingType,
    Flow,
    Journey,
    Link,
    Moment,
    Objective,
    Phase,
    Program,
    Step,
    StepKind,
    Timing,
    Touchpoint,
)
from journeys.contract.yaml_io import DocumentError, dump_document, load_document, load_file
from journeys.export import files as exports
from journeys.visits import services as vs
from journeys.visits.agency.mapping import ColumnMapping, VisitField, suggest_mapping
from journeys.visits.agency.preview import CsvError, preview_import, sniff
from journeys.visits.photos import PhotoRefused

HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile"
ROOT = Path(__file__).parents[2]
SOURCE = "hostile.yaml"
MB = 1024 * 1024

# Line numbers below are those of this text; cases change one line and name where it is.
JOURNEY = """\
format: journeys/v1
kind: journey
id: parcours-hostile
title: Parcours hostile
persona: Abonné digital
moments:
  - id: souscription
    label: Souscription
channels:
  - id: web
    label: Site web
  - id: email
    label: Email
touchpoints:
  - id: formulaire
    moment: souscription
    channel: web
    label: Formulaire
    findings:
      - type: irritant
        intensity: 2
        text: Trop long
  - id: confirmation
    moment: souscription
    channel: email
    label: Email de confirmation
flows:
  - from: formulaire
    to: confirmation
"""

PROGRAM = """\
format: journeys/v1
kind: program
id: programme-hostile
title: Programme hostile
objective: lifetime
phases:
  - id: bienvenue
    label: Bienvenue
steps:
  - id: declencheur
    phase: bienvenue
    kind: trigger
    label: Souscription validée
  - id: email-bienvenue
    phase: bienvenue
    kind: message
    label: Email de bienvenue
links:
  - from: declencheur
    to: email-bienvenue
"""


def journey(old: str, new: str) -> str:
    """The valid journey with its first `old` replaced by `new`."""
    assert old in JOURNEY, old
    return JOURNEY.replace(old, new, 1)


def program(old: str, new: str) -> str:
    assert old in PROGRAM, old
    return PROGRAM.replace(old, new, 1)


def fixture(name: str) -> bytes:
    return (HOSTILE / name).read_bytes()


def at(line: int) -> str:
    return f"{SOURCE}:{line}:"


# --- the workspace, before and after -----------------------------------------------------


def workspace(store: services.Store) -> tuple[object, ...]:
    """Everything a refused import could have touched, in comparable form."""
    journeys = services.list_journeys(store=store, include_deleted=True)
    programs = services.list_programs(store=store, include_deleted=True)
    return (
        journeys,
        programs,
        {j.id: services.export_yaml(j.id, store=store, kind="journey") for j in journeys},
        {p.id: services.export_yaml(p.id, store=store, kind="program") for p in programs},
        {j.id: services.list_snapshots(j.id, store=store) for j in journeys},
        {j.id: vs.list_visits(j.id, store=store, include_deleted=True) for j in journeys},
        services.list_trash(store=store),
    )


@pytest.fixture
def seeded(store, sample_journey, sample_program):
    """A workspace holding a full journey and program, and the journey the CSV cases target."""
    services.import_document(sample_journey, store=store)
    services.import_document(sample_program, store=store)
    services.import_yaml(JOURNEY.encode(), store=store, source_name="seed.yaml")
    return store


# --- YAML: refused as a whole, with where and what ---------------------------------------


@dataclass(frozen=True)
class Refusal:
    data: str | bytes | Callable[[], str | bytes]
    what: str  # words of the message that say what is wrong
    where: tuple[str, ...] = ()  # "hostile.yaml:LINE:" and/or field path; () = the whole file

    def bytes(self) -> str | bytes:
        return self.data() if callable(self.data) else self.data


def deep_block(levels: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(levels)) + "  " * levels + "fin\n"


def _case(name: str, refusal: Refusal, *marks: pytest.MarkDecorator) -> object:
    return pytest.param(refusal, id=name, marks=marks)


TITLE = "title: Parcours hostile"
FINDING = "      - type: irritant\n        intensity: 2\n        text: Trop long\n"
FLOW_MAPPING_TWICE = "      - {type: irritant, intensity: 2, text: Trop long, type: delight}\n"
MOMENT_TWICE = "    label: Souscription\n  - id: souscription\n    label: Bis\n"
INTENSITY = "findings[0].intensity"

YAML_REFUSALS = [
    # aliases, anchors, merge keys
    _case("billion-laughs", Refusal(fixture("billion_laughs.yaml"), "aliases", (at(5),))),
    _case("undefined-alias", Refusal(journey("label: Formulaire", "label: *a"), "alias")),
    _case(
        "single-alias",
        Refusal(
            journey("label: Site web", "label: &nom Site web").replace("Email\n", "*nom\n"),
            "aliases",
            (at(11),),
        ),
    ),
    _case(
        "merge-key-with-alias",
        Refusal(
            journey("  - id: email\n", "  - &w {id: w, label: W}\n  - <<: *w\n    id: email\n"),
            "aliases",
        ),
    ),
    _case(
        "merge-key-inline",
        Refusal(
            journey("  - id: email\n", "  - <<: {label: Email}\n    id: email\n"),
            "unknown field '<<'",
            (at(12), "channels[1].<<"),
        ),
    ),
    # nesting: flow forms used to crash the process (libyaml recursion) or stall its scanner
    _case("deep-block-nesting", Refusal(deep_block(200), "nesting deeper", (at(25),))),
    _case(
        "deep-flow-sequence-100k",
        Refusal(lambda: "a: " + "[" * 100_000 + "]" * 100_000, "nesting deeper", (at(1),)),
    ),
    _case(
        "deep-flow-mapping-100k",
        Refusal(lambda: "a: " + "{a: " * 100_000 + "1" + "}" * 100_000, "nesting deeper"),
    ),
    _case("deep-flow-unclosed-1m", Refusal(lambda: "a: " + "[" * 1_000_000, "nesting deeper")),
    # not text, not UTF-8
    _case("png-image", Refusal(fixture("png_header.yaml"), "binary file")),
    _case("zip-archive", Refusal(fixture("zip_archive.csv"), "binary file")),
    _case("nul-byte-mid-file", Refusal(JOURNEY.encode().replace(b"Trop", b"\0"), "binary")),
    _case("utf-16-le-with-bom", Refusal(fixture("utf16_bom.yaml"), "UTF-16")),
    _case(
        "utf-16-be-with-bom",
        Refusal(codecs.BOM_UTF16_BE + JOURNEY.encode("utf-16-be"), "UTF-16"),
    ),
    # without a BOM its NUL bytes give it away; the message says "binary", not UTF-16
    _case("utf-16-without-bom", Refusal(JOURNEY.encode("utf-16-le"), "binary")),
    _case("windows-1252", Refusal(fixture("windows_1252.yaml"), "Windows-1252", (at(4),))),
    _case(
        "invalid-utf-8-mid-file",
        Refusal(JOURNEY.encode().replace(b"Trop", b"Tr\x81\xffp"), "not UTF-8", (at(22),)),
    ),
    _case("raw-control-character", Refusal(journey("Trop", "Tr\x07p"), "#x0007", (at(22),))),
    _case("escaped-nul-character", Refusal(journey("Trop long", '"Tr\\0p"'), "NUL", (at(22),))),
    # tags
    _case("python-object-apply", Refusal(fixture("python_object_apply.yaml"), "tags", (at(4),))),
    _case(
        "python-name",
        Refusal(journey(TITLE, "title: !!python/name:os.system"), "tags", (at(4),)),
    ),
    _case("custom-tag", Refusal(journey(TITLE, "title: !foo bar"), "tags", (at(4),))),
    _case("binary-tag", Refusal(journey(TITLE, "title: !!binary aGVsbG8="), "tags", (at(4),))),
    _case(
        "set-tag",
        Refusal(journey("persona: Abonné digital", "objectives: !!set {lifetime}"), "tags"),
    ),
    _case("timestamp-tag", Refusal(journey(TITLE, "title: !!timestamp 2024-01-01"), "tags")),
    # shape of the file
    _case("two-documents", Refusal(JOURNEY + "---\n" + JOURNEY, "single document", (at(30),))),
    _case("top-level-list", Refusal("- format: journeys/v1\n- kind: journey\n", "mapping")),
    _case("top-level-scalar", Refusal("journeys/v1\n", "mapping", (at(1),))),
    _case("empty-file", Refusal(b"", "empty")),
    _case("only-comments", Refusal("# format: journeys/v1\n# kind: journey\n", "empty")),
    _case("only-blank-lines", Refusal("\n   \n\n", "empty")),
    _case("broken-quote", Refusal(journey(TITLE, 'title: "Parcours'), "not valid YAML")),
    # duplicates
    _case(
        "duplicate-key-id",
        Refusal(fixture("duplicate_key.yaml"), "key 'id' appears twice", (at(5), "line 3")),
    ),
    _case(
        "duplicate-key-in-flow-mapping",
        Refusal(journey(FINDING, FLOW_MAPPING_TWICE), "'type' appears twice", (at(20),)),
    ),
    _case(
        "duplicate-moment-id",
        Refusal(
            journey("    label: Souscription\n", MOMENT_TWICE),
            "duplicate id 'souscription'",
            (at(9), "moments[1].id"),
        ),
    ),
    _case(
        "duplicate-touchpoint-id",
        Refusal(
            journey("  - id: confirmation", "  - id: formulaire"),
            "duplicate id 'formulaire'",
            (at(23), "touchpoints[1].id"),
        ),
    ),
    _case(
        "duplicate-step-id",
        Refusal(
            program("  - id: email-bienvenue", "  - id: declencheur"),
            "duplicate id 'declencheur'",
            (at(14), "steps[1].id"),
        ),
    ),
    # dangling references
    _case(
        "touchpoint-to-unknown-moment",
        Refusal(
            journey("    moment: souscription", "    moment: resiliation"),
            "unknown moment 'resiliation'",
            (at(16), "touchpoints[0].moment"),
        ),
    ),
    _case(
        "flow-to-unknown-touchpoint",
        Refusal(
            journey("    to: confirmation", "    to: appel"),
            "unknown touchpoint 'appel'",
            (at(29), "flows[0].to"),
        ),
    ),
    _case(
        "step-to-unknown-phase",
        Refusal(
            program("    phase: bienvenue", "    phase: relance"),
            "unknown phase 'relance'",
            (at(11), "steps[0].phase"),
        ),
    ),
    _case(
        "link-to-unknown-step",
        Refusal(
            program("  - from: declencheur", "  - from: fantome"),
            "unknown step 'fantome'",
            (at(19), "links[0].from"),
        ),
    ),
    # the contract
    _case(
        "unknown-field",
        Refusal(
            journey("persona: Abonné digital", "touchpionts: []"),
            "unknown field 'touchpionts'; did you mean 'touchpoints'?",
            (at(5),),
        ),
    ),
    _case(
        "wrong-enum",
        Refusal(
            journey("type: irritant", "type: irritation"),
            "'delight', 'irritant' or 'break'",
            (at(20), "touchpoints[0].findings[0].type"),
        ),
    ),
    _case("intensity-0", Refusal(journey("ity: 2", "ity: 0"), "equal to 1", (at(21), INTENSITY))),
    _case("intensity-4", Refusal(journey("ity: 2", "ity: 4"), "equal to 3", (at(21), INTENSITY))),
    _case(
        "intensity-high",
        Refusal(journey("ity: 2", "ity: high"), "valid integer", (at(21), INTENSITY)),
    ),
    _case(
        "intensity-yes",
        Refusal(journey("ity: 2", "ity: yes"), "intensity", (at(21), INTENSITY)),
    ),
    _case("id-with-spaces", Refusal(journey("-hostile", " hostile"), "not a valid id", (at(3),))),
    _case("id-uppercase", Refusal(journey("id: parcours", "id: Parcours"), "valid id", (at(3),))),
    _case(
        "id-path-traversal",
        Refusal(journey("id: parcours-hostile", "id: ../../etc/passwd"), "valid id", (at(3),)),
    ),
    _case("id-device-name", Refusal(journey("id: parcours-hostile", "id: CON"), "valid id")),
    _case(
        "id-with-slash",
        Refusal(journey("- id: formulaire", "- id: a/b"), "valid id", ("touchpoints[0].id",)),
    ),
    _case(
        "title-of-10000-characters",
        Refusal(journey(TITLE, "title: " + "x" * 10_000), "at most 300", (at(4), "title:")),
    ),
    _case(
        "control-character-in-an-id",
        Refusal(journey("id: parcours-hostile", 'id: "parcours\\thostile"'), "valid id"),
    ),
    _case(
        "format-v2",
        Refusal(journey("/v1", "/v2"), "unsupported format 'journeys/v2'", (at(1), "format:")),
    ),
    _case("format-missing", Refusal(journey("format: journeys/v1\n", ""), "'format' is missing")),
    _case(
        "kind-unknown",
        Refusal(journey("kind: journey", "kind: carte"), "unknown kind 'carte'", (at(2),)),
    ),
    _case(
        "yaml-1-1-yes-where-text-is-expected",
        Refusal(journey("label: Site web", "label: yes"), "expected text, got bool", (at(11),)),
    ),
    _case(
        "yaml-1-1-on-where-text-is-expected",
        Refusal(journey("persona: Abonné digital", "persona: on"), "got bool", ("persona:",)),
    ),
    _case(
        "yaml-1-1-no-where-text-is-expected",
        Refusal(journey("text: Trop long", "text: no"), "got bool", ("findings[0].text",)),
    ),
    _case(
        "number-where-text-is-expected",
        Refusal(journey("label: Email\n", "label: 2024\n"), "put it in quotes", (at(13),)),
    ),
    _case("float-as-title", Refusal(journey(TITLE, "title: 1.5"), "got float", (at(4),))),
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", YAML_REFUSALS)
def test_hostile_yaml_is_refused_with_where_and_what_and_changes_nothing(seeded, case):
    before = workspace(seeded)

    with pytest.raises(DocumentError) as refused:
        services.import_yaml(case.bytes(), store=seeded, source_name=SOURCE)

    message = str(refused.value)
    assert message.startswith(f"{SOURCE}: refused"), message
    assert case.what in message
    for where in case.where:
        assert where in message
    assert workspace(seeded) == before


@pytest.mark.timeout(30)
def test_the_python_tag_runs_nothing():
    marker = Path("/tmp/journeys-pwned")
    marker.unlink(missing_ok=True)

    with pytest.raises(DocumentError):
        load_document(fixture("python_object_apply.yaml"), source=SOURCE)

    assert not marker.exists()


@pytest.mark.timeout(30)
def test_a_journey_id_already_in_the_workspace_is_refused_and_changes_nothing(seeded):
    before = workspace(seeded)
    changed = journey("title: Parcours hostile", "title: Autre parcours")

    with pytest.raises(services.DuplicateIdError, match="parcours-hostile"):
        services.import_yaml(changed, store=seeded, source_name=SOURCE)

    assert workspace(seeded) == before


# --- 50 MB: refused by size, before any parsing -------------------------------------------


def _fifty_megabytes() -> bytes:
    head = journey("persona: Abonné digital", "description: ").encode()
    return head.replace(b"description: ", b"description: " + b"x" * (50 * MB))


def _must_not_parse(*args, **kwargs):
    raise AssertionError("a file over the size limit was read or parsed")


@pytest.mark.timeout(30)
def test_a_50_mb_upload_is_refused_by_its_size_before_any_parsing(seeded, monkeypatch):
    data = _fifty_megabytes()
    before = workspace(seeded)
    monkeypatch.setattr(yaml_io, "parse_yaml", _must_not_parse)

    with pytest.raises(DocumentError) as refused:
        services.import_yaml(data, store=seeded, source_name="enorme.yaml")

    message = str(refused.value)
    assert message.startswith("enorme.yaml: refused")
    assert "too large" in message
    assert workspace(seeded) == before


@pytest.mark.timeout(30)
def test_a_50_mb_file_is_refused_by_its_size_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "enorme.yaml"
    path.write_bytes(_fifty_megabytes())
    monkeypatch.setattr(yaml_io, "parse_yaml", _must_not_parse)
    monkeypatch.setattr(Path, "read_bytes", _must_not_parse)

    with pytest.raises(DocumentError) as refused:
        load_file(path)

    assert str(path) in str(refused.value)
    assert "too large" in str(refused.value)


def test_the_web_upload_limit_is_not_above_what_the_yaml_reader_accepts():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * MB <= yaml_io.MAX_BYTES


# --- text that looks like code is data: stored and given back byte for byte ---------------

INERT_TEXTS = {
    "dot-quote-and-bracket": '"]; node [label="x',
    "dot-html-label": "<<b>gras</b>>",
    "html-script": "<script>alert(1)</script>",
    "braces-pipes-angles-backslash": "{}|<>\\",
    "dot-escapes": "\\N \\G \\l \\n",
    "newlines": "ligne 1\nligne 2\n\nligne 4",
    "windows-newlines": "ligne 1\r\nligne 2",
    "trailing-newline": "fin de ligne\n",
    "emoji-and-euro": "😡 9,90 € « client » 👍🏽",
    "rtl-override": "abc\u202edef\u202c",
    "zero-width-and-bom": "a\u200bb\u200dc\ufeffd",
    "unicode-line-separators": "a\u2028b\u2029c\x85d",
    "tab-and-spaces": "\t  indenté  ",
    "escaped-control-characters": "cloche\x07 échap\x1b suppr\x7f",
    "yaml-lookalikes": "- a: b # c &d *e !f |g >h %i @j `k",
    "yaml-keywords": "yes",
    "yaml-null": "~",
    "yaml-document-markers": "---\n...",
    "yaml-plain-equals": "=",
    "yaml-merge-key": "<<",
    "quotes": "l'abonné \"dit\" ''",
    "formula-hyperlink": '=HYPERLINK("http://evil.example","clic")',
    "formula-dde": "+cmd|' /C calc'!A0",
    "formula-minus": "-2+3",
    "formula-at": "@SUM(1)",
}


def _everywhere(text: str) -> tuple[Journey, Program]:
    """A journey and a program holding `text` in every text field of the contract."""
    journey = Journey(
        id="texte-inerte",
        title=text,
        persona=text,
        description=text,
        moments=[Moment(id="m", label=text, description=text)],
        channels=[Channel(id="c", label=text, description=text)],
        touchpoints=[
            Touchpoint(
                id="t1",
                moment="m",
                channel="c",
                label=text,
                owner=text,
                description=text,
                findings=[
                    Finding(type=FindingType.BREAK, intensity=3, text=text, improvement=text)
                ],
            ),
            Touchpoint(id="t2", moment="m", channel="c", label=text),
        ],
        flows=[Flow(from_="t1", to="t2", label=text)],
    )
    program = Program(
        id="programme-inerte",
        title=text,
        objective=Objective.LIFETIME,
        goal=text,
        description=text,
        phases=[Phase(id="p", label=text, description=text)],
        steps=[
            Step(id="s1", phase="p", kind=StepKind.TRIGGER, label=text, kpi=text, description=text),
            Step(
                id="s2",
                phase="p",
                kind=StepKind.WAIT,
                label=text,
                timing=Timing(anchor=Anchor.EVENT, event="e", offset_days=-1),
            ),
        ],
        links=[Link(from_="s1", to="s2", label=text)],
    )
    return journey, program


@pytest.mark.timeout(30)
@pytest.mark.parametrize("text", list(INERT_TEXTS.values()), ids=list(INERT_TEXTS))
def test_text_that_looks_like_code_comes_back_byte_identical_from_every_field(store, text):
    for document in _everywhere(text):
        yaml_text = dump_document(document)

        services.import_yaml(yaml_text.encode("utf-8"), store=store, source_name="inert.yaml")
        exported = services.export_yaml(document.id, store=store, kind=document.kind)

        assert exported == yaml_text
        again = load_document(exported.encode("utf-8"), source="exported.yaml")
        assert again == document
        assert again.title == text


def test_plain_equals_and_merge_signs_written_by_hand_are_text():
    document = load_document(
        journey("title: Parcours hostile", "title: =").replace("label: Email", "label: <<")
    )

    assert document.title == "="
    assert document.channels[1].label == "<<"


def test_an_id_that_is_a_windows_device_name_is_data_and_exports_under_a_safe_name(store):
    services.import_yaml(journey("id: parcours-hostile", "id: con"), store=store)

    assert services.get_journey("con", store=store).id == "con"
    assert exports.safe_filename("con", fmt="yaml") != "con.yaml"


# --- agency CSV files ---------------------------------------------------------------------

CSV_HEADER = "Date de visite;Enquêteur;Moment;Canal;Type;Commentaire"
CSV_ROW = "05/03/2024;Marie;Souscription;Site web;irritant;{text}"
FIXED_MAPPING = ColumnMapping(
    columns={
        VisitField.VISITED_AT: "Date de visite",
        VisitField.SHOPPER: "Enquêteur",
        VisitField.MOMENT: "Moment",
        VisitField.CHANNEL: "Canal",
        VisitField.TYPE: "Type",
        VisitField.TEXT: "Commentaire",
    }
)


def csv_file(*rows: str, header: str = CSV_HEADER) -> bytes:
    return "\n".join([header, *rows, ""]).encode("utf-8")


def import_csv(data: bytes, *, store: services.Store) -> vs.AgencyImport:
    """Import an agency file into the seeded journey, mapped as the page would suggest."""
    try:
        mapping = suggest_mapping(sniff(data).headers)
    except CsvError:  # the page cannot suggest anything; the import must still refuse it
        mapping = FIXED_MAPPING
    return vs.import_agency_csv(data, "parcours-hostile", mapping, store=store, agency="Hostile")


@dataclass(frozen=True)
class CsvRefusal:
    data: bytes | Callable[[], bytes]
    code: str
    what: str  # words of the message
    rows: tuple[int | None, ...] = (None,)  # spreadsheet rows (header = 1); None: whole file
    column: str | None = None


CSV_REFUSALS = {
    "zip-or-xlsx-as-csv": CsvRefusal(fixture("zip_archive.csv"), "not_csv", "zip"),
    "png-as-csv": CsvRefusal(fixture("png_header.yaml"), "not_csv", "binary"),
    "nul-bytes-mid-file": CsvRefusal(csv_file(CSV_ROW.format(text="a\0b")), "not_csv", "binary"),
    "utf-16-without-bom": CsvRefusal(
        csv_file(CSV_ROW.format(text="x")).decode().encode("utf-16-le"), "not_csv", "binary"
    ),
    "neither-utf-8-nor-windows-1252": CsvRefusal(
        csv_file(CSV_ROW.format(text="x")).replace(b"x", b"\x81\x8d"), "unknown_encoding", "0x81"
    ),
    "empty-file": CsvRefusal(b"", "empty_file", "empty"),
    "header-only": CsvRefusal(csv_file(), "no_rows", "no data rows"),
    "duplicate-header": CsvRefusal(
        csv_file(header=CSV_HEADER + ";Commentaire"), "duplicate_header", "'Commentaire'", (1,)
    ),
    "broken-quote": CsvRefusal(
        csv_file(CSV_ROW.format(text='"jamais fermé')), "unreadable_row", "cannot be read", (2,)
    ),
    "semicolon-ragged-rows": CsvRefusal(
        fixture("ragged_semicolon.csv"), "ragged_row", "where the header has 6", (3, 4)
    ),
    "100k-columns-in-one-row": CsvRefusal(
        lambda: csv_file(CSV_ROW.format(text="ok"), ";".join(["x"] * 100_000)),
        "ragged_row",
        "100000 cells",
        (3,),
    ),
    "10-mb-single-cell": CsvRefusal(
        lambda: csv_file(CSV_ROW.format(text="x" * (10 * MB))), "unreadable_row", "field", (2,)
    ),
    "10-mb-single-quoted-cell": CsvRefusal(
        lambda: csv_file(CSV_ROW.format(text='"' + "x;\n" * (3 * MB) + '"')),
        "unreadable_row",
        "field",
        (2,),
    ),
    "comment-over-300-characters": CsvRefusal(
        csv_file(CSV_ROW.format(text="x" * 301)), "too_long", "301 characters", (2,), "Commentaire"
    ),
    "formula-in-the-date-column": CsvRefusal(
        csv_file("=TODAY();Marie;Souscription;Site web;irritant;ok"),
        "bad_date",
        "date",
        (2,),
        "Date de visite",
    ),
    "formula-in-the-type-column": CsvRefusal(
        csv_file("05/03/2024;Marie;Souscription;Site web;=1+1;ok"),
        "unknown_type",
        "'=1+1'",
        (2,),
        "Type",
    ),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", list(CSV_REFUSALS.values()), ids=list(CSV_REFUSALS))
def test_hostile_csv_is_refused_with_row_and_reason_and_changes_nothing(seeded, case):
    data = case.data() if callable(case.data) else case.data
    before = workspace(seeded)

    with pytest.raises(vs.CsvImportRefused) as refused:
        import_csv(data, store=seeded)

    errors = refused.value.errors
    assert errors
    assert {e.row for e in errors} == set(case.rows)
    for error in errors:
        assert error.code == case.code
        assert case.what in error.message
        if case.column:
            assert error.column == case.column
    assert workspace(seeded) == before


@pytest.mark.timeout(30)
def test_formula_cells_are_stored_verbatim_and_come_back_identical_after_export(seeded):
    data = fixture("formulas.csv")

    done = import_csv(data, store=seeded)

    written = [
        '=HYPERLINK("http://evil.example";"clic")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1)",
    ]
    (visit_id,) = done.visits
    visit = vs.get_visit("parcours-hostile", visit_id, store=seeded)
    assert visit.shopper == "=cmd|' /C calc'!A0"
    assert [o.text for o in visit.observations] == written
    verbatims = [o.verbatim for o in visit.observations]
    assert verbatims == ["=1+1", "+33 6 12 34 56 78", "-1", "@SUM(A1:A9)"]
    exported = services.export_yaml("parcours-hostile", store=seeded)
    stored = load_document(exported, source="exported.yaml")
    assert isinstance(stored, Journey)
    (formulaire,) = [t for t in stored.touchpoints if t.id == "formulaire"]
    assert [f.text for f in formulaire.findings] == ["Trop long", *written]
    assert dump_document(stored) == exported


@pytest.mark.timeout(30)
def test_a_utf_16_csv_with_bom_is_read(seeded):
    data = csv_file(CSV_ROW.format(text="Reçu « trop tard » 😡")).decode().encode("utf-16")

    (visit_id,) = import_csv(data, store=seeded).visits

    visit = vs.get_visit("parcours-hostile", visit_id, store=seeded)
    assert visit.observations[0].text == "Reçu « trop tard » 😡"


@pytest.mark.timeout(10)
def test_a_header_row_of_100k_columns_is_mapped_without_hanging():
    data = csv_file(header=CSV_HEADER + ";" + ";".join(f"c{i}" for i in range(100_000)))

    mapping = suggest_mapping(sniff(data).headers)

    assert mapping.columns[VisitField.TEXT] == "Commentaire"


@pytest.mark.timeout(30)
def test_a_50_mb_csv_is_refused_by_its_size_before_any_parsing(monkeypatch):
    from journeys.visits.agency import preview as csv_import

    row = CSV_ROW.format(text="x" * 100)
    data = csv_file(*[row] * (50 * MB // len(row)))
    monkeypatch.setattr(csv_import, "_records", _must_not_parse)
    target = load_document(JOURNEY)
    assert isinstance(target, Journey)

    preview = preview_import(data, target, FIXED_MAPPING)

    assert not preview.ok
    assert [e.row for e in preview.errors] == [None]


# --- photo uploads ------------------------------------------------------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PHOTO_REFUSALS = {
    "empty-photo": (b"", "empty"),
    "50-mb-photo": (PNG + b"\0" * (50 * MB), "too_big"),
    "zip-named-jpg": (fixture("zip_archive.csv"), "not_an_image"),
    "svg-with-script": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "not_an_image",
    ),
    "html-named-png": (b"<html><script>alert(1)</script></html>", "not_an_image"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not_an_image"),
    "gif": (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "not_an_image"),
    "yaml-text": (JOURNEY.encode(), "not_an_image"),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("data", "code"), list(PHOTO_REFUSALS.values()), ids=list(PHOTO_REFUSALS))
def test_a_hostile_photo_upload_is_refused_and_nothing_is_kept(seeded, data, code):
    before = workspace(seeded)

    with pytest.raises(PhotoRefused) as refused:
        vs.save_photo(data, "photo.jpg", store=seeded)

    assert refused.value.code == code
    assert str(refused.value)
    with pytest.raises(services.NotFoundError):
        vs.get_photo(hashlib.sha256(data).hexdigest(), store=seeded)
    assert workspace(seeded) == before


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\x\\..\\boot.ini.png", "boot.ini.png"),
        ("nul\0byte\x07bell\r\nnewline.png", "nul byte bell newline.png"),
        ('<img src=x onerror="alert(1)">.png', '<img src=x onerror="alert(1)">.png'),
    ],
)
def test_a_photo_file_name_keeps_no_path_and_no_control_character(store, name, kept):
    photo = vs.save_photo(PNG, name, store=store)

    assert photo.file_name == kept
    assert vs.get_photo(photo.sha256, store=store) == (PNG, "image/png")

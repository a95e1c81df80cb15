"""The Excel grid: exported, edited by a client with openpyxl, imported back as exactly those
edits (all or nothing, conflicts with newer edits shown, a preview that changes nothing); a grid
written by hand in French imported as a new journey; hostile workbooks refused by sheet and cell."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from journeys import services
from journeys.board.analysis import touchpoints_by_cell
from journeys.cli.main import app
from journeys.contract.model import Finding, FindingType, Journey, Source, Touchpoint
from journeys.contract.yaml_io import dump_document
from journeys.export import services as export_services
from journeys.library import workbook_words as words
from tests.fixtures.workbooks import (
    DAY,
    cell_holding,
    column_of,
    edited,
    french_hand_grid,
    grid_with,
    tall_workbook,
    zip_bomb,
)

JOURNEY = "renouvellement-duree-fixe"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates_journeys"


@pytest.fixture
def workspace(store: services.Store) -> services.Store:
    for name in ("fixed_term_renewal.fr.journey.yaml", "fixed_term_renewal.fr.program.yaml"):
        services.import_yaml((TEMPLATES / name).read_bytes(), store=store)
    return store


def exported(store: services.Store) -> bytes:
    made = export_services.export_download(
        JOURNEY, store=store, fmt="xlsx", generated_on=DAY.date()
    )
    assert made.filename == f"{JOURNEY}_2025-03-14.xlsx"
    return made.data


def yaml_now(store: services.Store, journey_id: str = JOURNEY) -> str:
    return services.export_yaml(journey_id, store=store, kind="journey")


def grid_place(sheet, moment: str, channel: str) -> tuple[int, int]:
    """(row, column) of a cell of the grid, by the hidden ids of its moment and channel."""
    column = next(c.column for c in sheet[1] if c.value == moment)
    row = next(c.row for c in sheet["A"] if c.value == channel)
    return row, column


def test_a_workbook_imported_unchanged_changes_nothing(workspace: services.Store) -> None:
    before = yaml_now(workspace)
    plan = services.import_workbook(exported(workspace), store=workspace, source_name="c.xlsx")
    assert plan.count == 0 and not plan.conflicts and not plan.notes
    assert yaml_now(workspace) == before
    assert services.list_snapshots(JOURNEY, store=workspace) == []


def test_three_cells_and_a_finding_row_edited_come_back_as_exactly_those_edits(
    workspace: services.Store,
) -> None:
    journey = services.get_journey(JOURNEY, store=workspace)
    cells = touchpoints_by_cell(journey)
    renamed = journey.touchpoints[0]
    crowded = next(tps for tps in cells.values() if len(tps) > 1)
    dropped = crowded[-1]
    empty = next(
        (m.id, c.id) for c in journey.channels for m in journey.moments if (m.id, c.id) not in cells
    )
    finding_tp = next(tp for tp in journey.touchpoints if len(tp.findings) > 1)
    finding = finding_tp.findings[1]

    def client(book) -> None:
        grid, findings = book["Grille"], book["Constats"]
        row, column = grid_place(grid, renamed.moment, renamed.channel)
        cell = grid.cell(row=row, column=column)
        cell.value = cell.value.replace(renamed.label, "Coupon d'abonnement « nouvelle formule »")
        row, column = grid_place(grid, dropped.moment, dropped.channel)
        cell = grid.cell(row=row, column=column)
        cell.value = "\n".join(cell.value.split("\n")[:-1])
        row, column = grid_place(grid, *empty)
        grid.cell(row=row, column=column).value = "Relance par SMS ⚠⚠"
        row, _ = cell_holding(findings, finding.text)
        findings.cell(row=row, column=column_of(findings, "Intensité")).value = 3
        improvement = column_of(findings, "Axe d'évolution")
        findings.cell(row=row, column=improvement).value = "Rappeler sous 24 h"

    plan = services.import_workbook(
        edited(exported(workspace), client), store=workspace, source_name="client.xlsx"
    )

    expected = journey.model_copy(deep=True)
    expected.touchpoints[0].label = "Coupon d'abonnement « nouvelle formule »"
    expected.touchpoints = [tp for tp in expected.touchpoints if tp.id != dropped.id]
    expected.flows = [f for f in expected.flows if dropped.id not in (f.from_, f.to)]
    changed = next(tp for tp in expected.touchpoints if tp.id == finding_tp.id)
    changed.findings[1] = finding.model_copy(
        update={"intensity": 3, "improvement": "Rappeler sous 24 h"}
    )
    label = "Relance par SMS"
    expected.touchpoints.append(
        Touchpoint(
            id="relance-par-sms",
            moment=empty[0],
            channel=empty[1],
            label=label,
            findings=[Finding(type=FindingType.IRRITANT, intensity=2, text=label)],
        )
    )
    assert yaml_now(workspace) == dump_document(Journey.model_validate(expected.model_dump()))
    assert plan.count == 4
    assert [(e.kind, e.action) for e in plan.edits] == [
        ("touchpoint", "update"),
        ("touchpoint", "delete"),
        ("touchpoint", "add"),
        ("finding", "update"),
    ]
    described = "\n".join(text for _, text in words.change_lines(plan, "fr"))
    assert "intensité : 1 → 3" in described or "intensité : 2 → 3" in described
    (snapshot,) = services.list_snapshots(JOURNEY, store=workspace)
    assert snapshot.name.startswith("before workbook import")


def test_a_newer_edit_of_the_same_field_is_a_conflict_and_nothing_is_imported(
    workspace: services.Store,
) -> None:
    data = exported(workspace)
    editable = services.get_journey_for_edit(JOURNEY, store=workspace)
    first = editable.journey.touchpoints[0]
    services.update_touchpoint(
        JOURNEY,
        first.id,
        first.model_copy(update={"label": "Renommé dans l'atelier"}),
        store=workspace,
        expected_version=editable.touchpoint_versions[first.id],
    )
    after_app_edit = yaml_now(workspace)

    def client(book) -> None:
        grid = book["Grille"]
        row, column = cell_holding(grid, first.label)
        cell = grid.cell(row=row, column=column)
        cell.value = cell.value.replace(first.label, "Renommé par le client")
        grid.cell(row=row, column=column + 1).value = "Nouveau point de contact"

    book = edited(data, client)
    preview = services.preview_workbook(book, store=workspace, source_name="c.xlsx")
    (conflict,) = preview.conflicts
    assert (conflict.field, conflict.now, conflict.mine) == (
        "label",
        "Renommé dans l'atelier",
        "Renommé par le client",
    )
    (where, text), *_ = words.conflict_lines(preview, "fr")
    assert where.startswith("Grille!") and "depuis l'export" in text
    with pytest.raises(services.WorkbookConflictError):
        services.import_workbook(book, store=workspace, source_name="c.xlsx")
    assert yaml_now(workspace) == after_app_edit


def test_a_newer_edit_of_another_field_is_kept_with_the_clients(
    workspace: services.Store,
) -> None:
    data = exported(workspace)
    editable = services.get_journey_for_edit(JOURNEY, store=workspace)
    first = editable.journey.touchpoints[0]
    services.update_touchpoint(
        JOURNEY,
        first.id,
        first.model_copy(update={"owner": "Service abonnés"}),
        store=workspace,
        expected_version=editable.touchpoint_versions[first.id],
    )

    def client(book) -> None:
        grid = book["Grille"]
        cell = grid.cell(*cell_holding(grid, first.label))
        cell.value = cell.value.replace(first.label, "Renommé par le client")

    services.import_workbook(edited(data, client), store=workspace, source_name="c.xlsx")
    now = services.get_journey(JOURNEY, store=workspace).touchpoints[0]
    assert (now.label, now.owner) == ("Renommé par le client", "Service abonnés")


def test_a_hand_written_french_grid_imports_as_a_new_journey(workspace: services.Store) -> None:
    plan = services.import_workbook(
        french_hand_grid(), store=workspace, source_name="parcours-resiliation.xlsx", language="fr"
    )
    journey = services.get_journey(plan.journey_id, store=workspace)
    assert journey.id == "parcours-resiliation"
    assert [m.label for m in journey.moments] == [
        "Demande de résiliation",
        "Offre de rétention",
        "Confirmation",
    ]
    assert [m.key for m in journey.moments] == [False, True, False]
    assert [c.label for c in journey.channels] == ["Téléphone", "Espace abonné", "Courrier"]
    by_label = {tp.label: tp for tp in journey.touchpoints}
    assert len(by_label) == 6
    wait = by_label["20 minutes d'attente"]
    assert (wait.moment, wait.channel) == ("demande-de-resiliation", "telephone")
    assert [(f.type, f.intensity) for f in wait.findings] == [(FindingType.IRRITANT, 3)]
    assert by_label["Conseiller qui propose un mois offert"].findings[0].type is FindingType.DELIGHT
    assert by_label["Bouton de résiliation introuvable"].findings[0].intensity == 2
    assert by_label["Email de confirmation"].status.value == "missing"
    assert by_label["Lettre recommandée exigée"].findings[0].source is Source.WORKSHOP
    assert "Nouveau parcours" in words.headline(plan, "fr")


def test_a_finding_row_added_and_one_deleted(workspace: services.Store) -> None:
    journey = services.get_journey(JOURNEY, store=workspace)
    target = journey.touchpoints[2]
    gone = journey.touchpoints[0].findings[0]

    def client(book) -> None:
        sheet = book["Constats"]
        row, _ = cell_holding(sheet, gone.text)
        sheet.delete_rows(row)
        new = sheet.max_row + 1
        for heading, value in {
            "Point de contact": target.label,
            "Type": "Rupture",
            "Intensité": "2",
            "Constat": '=HYPERLINK("http://exemple.fr";"clic")',
            "Source": "Client mystère",
        }.items():
            sheet.cell(row=new, column=column_of(sheet, heading)).value = value

    services.import_workbook(
        edited(exported(workspace), client), store=workspace, source_name="c.xlsx"
    )
    now = services.get_journey(JOURNEY, store=workspace)
    assert gone not in now.touchpoints[0].findings
    added = now.touchpoints[2].findings[-1]
    assert added.text == '=HYPERLINK("http://exemple.fr";"clic")'  # kept as text, not run
    assert (added.type, added.intensity, added.source) == (
        FindingType.BREAK,
        2,
        Source.MYSTERY_SHOPPER,
    )


def test_a_line_moved_to_another_cell_moves_the_touchpoint_with_its_findings(
    workspace: services.Store,
) -> None:
    journey = services.get_journey(JOURNEY, store=workspace)
    cells = touchpoints_by_cell(journey)
    mover = next(tps[0] for tps in cells.values() if len(tps) == 1 and tps[0].findings)
    empty = next(
        (m.id, c.id) for c in journey.channels for m in journey.moments if (m.id, c.id) not in cells
    )

    def client(book) -> None:
        grid = book["Grille"]
        source = grid.cell(*grid_place(grid, mover.moment, mover.channel))
        line, source.value = source.value, None
        grid.cell(*grid_place(grid, *empty)).value = line

    plan = services.import_workbook(
        edited(exported(workspace), client), store=workspace, source_name="c.xlsx"
    )
    assert [(e.kind, e.action) for e in plan.edits] == [("touchpoint", "move")]
    moved = next(
        tp for tp in services.get_journey(JOURNEY, store=workspace).touchpoints if tp.id == mover.id
    )
    assert (moved.moment, moved.channel) == empty
    assert moved.findings == mover.findings


def test_a_column_added_becomes_a_moment_and_a_renamed_header_renames_it(
    workspace: services.Store,
) -> None:
    def client(book) -> None:
        grid = book["Grille"]
        grid.insert_cols(4)
        grid.cell(row=2, column=4).value = "★ Appel de bienvenue"
        grid.cell(row=3, column=4).value = "Appel du conseiller à J+7 (+)"
        grid.cell(row=2, column=3).value = "Souscription en ligne"

    services.import_workbook(
        edited(exported(workspace), client), store=workspace, source_name="c.xlsx"
    )
    journey = services.get_journey(JOURNEY, store=workspace)
    assert [m.label for m in journey.moments[:3]] == [
        "Souscription en ligne",
        "Appel de bienvenue",
        "Bienvenue",
    ]
    assert journey.moments[1].key
    (call,) = [tp for tp in journey.touchpoints if tp.moment == journey.moments[1].id]
    assert call.label == "Appel du conseiller à J+7"


def test_a_step_kpi_corrected_in_its_program_sheet_updates_the_program(
    workspace: services.Store,
) -> None:
    (summary,) = services.list_programs(store=workspace)

    def client(book) -> None:
        sheet = next(s for s in book.worksheets if s["A1"].value == f"program:{summary.id}")
        sheet.cell(row=2, column=column_of(sheet, "KPI")).value = "Taux d'ouverture > 40 %"

    services.import_workbook(
        edited(exported(workspace), client), store=workspace, source_name="c.xlsx"
    )
    program = services.get_program(summary.id, store=workspace)
    assert program.steps[0].kpi == "Taux d'ouverture > 40 %"


def test_preview_on_the_command_line_prints_the_changes_and_changes_nothing(
    workspace: services.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYS_DATABASE_URL", workspace.url.render_as_string(False))
    before = yaml_now(workspace)
    first = services.get_journey(JOURNEY, store=workspace).touchpoints[0]

    def client(book) -> None:
        cell = book["Grille"].cell(*cell_holding(book["Grille"], first.label))
        cell.value = cell.value.replace(first.label, "Coupon revu")

    path = tmp_path / "client.xlsx"
    path.write_bytes(edited(exported(workspace), client))
    shown = CliRunner().invoke(app, ["import", str(path), "--preview"])
    assert shown.exit_code == 0, shown.output
    assert "Coupon revu" in shown.output and "nothing changed" in shown.output
    assert yaml_now(workspace) == before
    done = CliRunner().invoke(app, ["import", str(path)])
    assert done.exit_code == 0, done.output
    assert services.get_journey(JOURNEY, store=workspace).touchpoints[0].label == "Coupon revu"


def test_export_on_the_command_line_writes_the_workbook(
    workspace: services.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYS_DATABASE_URL", workspace.url.render_as_string(False))
    out = tmp_path / "grille.xlsx"
    done = CliRunner().invoke(app, ["export", JOURNEY, "--format", "xlsx", "-o", str(out)])
    assert done.exit_code == 0, done.output
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames[:2] == ["Grille", "Constats"]
    assert book["_ids"].sheet_state == "veryHidden"


HOSTILE = {
    "not-a-zip": (lambda: b"PK\x03\x04 not really a zip", "not a zip archive"),
    "old-xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
    "too-big": (lambda: b"x" * (8 * 1024 * 1024 + 1), "the limit is 8,388,608"),
    "zip-bomb": (lambda: zip_bomb(2**31), "inflates to"),
    "tall": (lambda: tall_workbook(20_001), "Grille!A20001: more than 20,000 rows"),
    "merged": (
        lambda: grid_with({"C2": "Relance"}, merge="C2:D2"),
        "Grille!C2:D2: merged cells",
    ),
    "marks": (lambda: grid_with({"D2": "⚠⚠"}), "Grille!D2: '⚠⚠' has symbols but no text"),
    "long-label": (lambda: grid_with({"D2": "x" * 301}), "Grille!D2: label"),
    "no-moment": (lambda: grid_with({"F3": "Orphelin"}), "Grille!F1: this column has"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_workbook_is_refused_by_sheet_and_cell_and_changes_nothing(
    tmp_path: Path, case: str
) -> None:
    store = services.open_store(f"sqlite:///{tmp_path / 'j.db'}")
    make, message = HOSTILE[case]
    with pytest.raises(services.WorkbookError) as refused:
        services.import_workbook(make(), store=store, source_name="client.xlsx")
    assert message in str(refused.value)
    assert str(refused.value).startswith("client.xlsx: refused")
    assert services.list_journeys(store=store) == []
    store.dispose()


def test_a_bad_intensity_in_the_findings_sheet_names_its_cell(workspace: services.Store) -> None:
    before = yaml_now(workspace)

    def client(book) -> None:
        sheet = book["Constats"]
        sheet.cell(row=2, column=column_of(sheet, "Intensité")).value = 5
        sheet.cell(row=3, column=column_of(sheet, "Constat")).value = DAY

    with pytest.raises(services.WorkbookError) as refused:
        services.import_workbook(
            edited(exported(workspace), client), store=workspace, source_name="c.xlsx"
        )
    assert "Constats!G2: the intensity is 1, 2 or 3, not '5'" in str(refused.value)
    assert yaml_now(workspace) == before


def test_a_date_typed_in_a_finding_is_kept_as_its_text(workspace: services.Store) -> None:
    def client(book) -> None:
        sheet = book["Constats"]
        sheet.cell(row=2, column=column_of(sheet, "Constat")).value = DAY

    services.import_workbook(
        edited(exported(workspace), client), store=workspace, source_name="c.xlsx"
    )
    assert "2025-03-14" in yaml_now(workspace)


def test_text_that_looks_like_a_formula_stays_text_both_ways(workspace: services.Store) -> None:
    editable = services.get_journey_for_edit(JOURNEY, store=workspace)
    first = editable.journey.touchpoints[0]
    formula = '=HYPERLINK("http://exemple.fr","clic")'
    services.update_touchpoint(
        JOURNEY,
        first.id,
        first.model_copy(update={"label": formula}),
        store=workspace,
        expected_version=editable.touchpoint_versions[first.id],
    )
    before = yaml_now(workspace)
    data = exported(workspace)
    grid = load_workbook(io.BytesIO(data))["Grille"]
    cell = grid.cell(*cell_holding(grid, "HYPERLINK"))
    assert cell.data_type == "s" and cell.value.startswith(formula)
    plan = services.import_workbook(data, store=workspace, source_name="c.xlsx")
    assert plan.count == 0 and yaml_now(workspace) == before


def test_a_workbook_exported_in_english_reads_back_with_its_english_sheets(
    workspace: services.Store,
) -> None:
    made = export_services.export_download(JOURNEY, store=workspace, fmt="xlsx", language="en")
    first = services.get_journey(JOURNEY, store=workspace).touchpoints[0]

    def client(book) -> None:
        assert book.sheetnames[:2] == ["Grid", "Findings"]
        cell = book["Grid"].cell(*cell_holding(book["Grid"], first.label))
        cell.value = cell.value.replace(first.label, "Coupon revu")
        findings = book["Findings"]
        findings.cell(row=2, column=column_of(findings, "Type")).value = "Delight"

    plan = services.import_workbook(edited(made.data, client), store=workspace, source_name="c")
    assert [(e.kind, e.action) for e in plan.edits] == [
        ("touchpoint", "update"),
        ("finding", "update"),
    ]
    now = services.get_journey(JOURNEY, store=workspace)
    assert now.touchpoints[0].label == "Coupon revu"
    assert now.touchpoints[0].findings[0].type is FindingType.DELIGHT


def test_a_column_deleted_and_one_moved_delete_and_move_the_moments(
    workspace: services.Store,
) -> None:
    moments = [m.id for m in services.get_journey(JOURNEY, store=workspace).moments]

    def client(book) -> None:
        grid = book["Grille"]
        grid.delete_cols(4)  # the second moment
        grid.move_range(f"C1:C{grid.max_row}", cols=grid.max_column - 2)  # the first, last
        grid.delete_cols(3)

    plan = services.import_workbook(
        edited(exported(workspace), client), store=workspace, source_name="c.xlsx"
    )
    assert [(e.kind, e.action) for e in plan.edits] == [("moment", "delete")]
    assert plan.order_changed
    now = [m.id for m in services.get_journey(JOURNEY, store=workspace).moments]
    assert now == [*moments[2:], moments[0]]
    assert [(i.kind, i.item_id) for i in services.list_trash(store=workspace)] == [
        ("moment", moments[1])
    ]

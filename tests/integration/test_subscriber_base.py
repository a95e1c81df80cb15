"""Subscriber bases on real engines: DuckDB reading files, PostgreSQL reading a table, the
workspace on SQLite and PostgreSQL. The life table is checked against a Kaplan–Meier computed
row by row in plain Python; bad rows are listed and nothing is stored; no row is ever stored."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from journeys.cli.main import app
from journeys.data import services
from journeys.data.demo import generate
from journeys.data.mapping import SubscriptionField
from journeys.store.db import Store
from tests.fixtures.subscriber_bases import kaplan_meier_by_hand, write_french_extract


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    return generate(tmp_path_factory.mktemp("demo"), 4000, seed=11)


def _assert_matches(table, expected: dict[int, tuple[int, int, float]]) -> None:
    rows = {r.month: r for r in table.rows}
    assert set(rows) == set(expected)
    for month, (at_risk, ended, survival) in expected.items():
        assert rows[month].at_risk == at_risk, month
        assert rows[month].ended == ended, month
        assert round(rows[month].survival, 3) == round(survival, 3), month


def test_life_table_matches_an_independent_kaplan_meier_on_duckdb(demo, store: Store) -> None:
    result = services.import_base("presse", demo.subscriptions, store=store)
    expected = kaplan_meier_by_hand(demo.subscriptions)
    _assert_matches(services.get_base_view("presse", store=store).table, expected)
    assert result.summary.rows == 4000
    assert result.summary.ended == sum(e for _, e, _ in expected.values())


def test_life_table_matches_on_postgresql_reading_a_table(demo, store: Store, postgres_url) -> None:
    """The same expressions run where the rows live: a table in PostgreSQL, read by URL."""
    engine = create_engine(postgres_url)
    with demo.subscriptions.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle, delimiter=";"))
    headers, body = records[0], records[1:]
    columns = ", ".join(f'"{h}" text' for h in headers)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS extract_abonnes"))
        connection.execute(text(f"CREATE TABLE extract_abonnes ({columns})"))
        marks = ", ".join(f":c{i}" for i in range(len(headers)))
        connection.execute(
            text(f"INSERT INTO extract_abonnes VALUES ({marks})"),
            [{f"c{i}": v for i, v in enumerate(row)} for row in body],
        )
    try:
        url = postgres_url.render_as_string(hide_password=False)
        services.import_base("presse-pg", url, table="extract_abonnes", store=store)
        view = services.get_base_view("presse-pg", store=store)
        _assert_matches(view.table, kaplan_meier_by_hand(demo.subscriptions))
        assert "abonnes" in view.source and "journeys_ci:" not in view.source
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS extract_abonnes"))
        engine.dispose()


FRENCH_ROWS = [
    ("A-001", "03/01/2024", "", "", "Intégrale", "Prélèvement SEPA", "189,90 €", "Site web"),
    ("A-002", "15/01/2024", "14/02/2024", "Fin d'essai", "Numérique", "Carte", "99,00", "Kiosque"),
    (
        "A-003",
        "20/01/2024",
        "20/01/2025",
        "Impayé (rejet AM04)",
        "Intégrale",
        "Prélèvement SEPA",
        "189,90",
        "Téléphone",
    ),
    ("A-004", "01/02/2024", "", "", "Numérique", "Carte", "99,00", "Site web"),
    (
        "A-005",
        "12/02/2024",
        "11/08/2024",
        "Prix trop élevé",
        "Week-end",
        "Chèque",
        "1 089,50",
        "Partenaire",
    ),
]


def test_a_french_windows_1252_extract_imports_with_its_headers_mapped(
    tmp_path: Path, store: Store
) -> None:
    path = write_french_extract(tmp_path / "extrait abonnés.csv", FRENCH_ROWS)
    preview = services.preview_base(path)
    columns = preview.mapping.columns
    assert columns[SubscriptionField.ID] == "N° abonné"
    assert columns[SubscriptionField.START] == "Date de début"
    assert columns[SubscriptionField.END] == "Date de fin"
    assert columns[SubscriptionField.END_REASON] == "Motif de fin"
    assert columns[SubscriptionField.PRICE] == "Prix annuel"
    assert columns[SubscriptionField.PAYMENT_METHOD] == "Mode de paiement"
    assert columns[SubscriptionField.CHANNEL] == "Canal d'acquisition"
    assert preview.formats.date_format == "%d/%m/%Y" and preview.formats.decimal_comma
    result = services.import_base("extrait", path, store=store, mapping=preview.mapping)
    assert (result.summary.rows, result.summary.ended, result.summary.involuntary) == (5, 3, 1)
    revenue = sum(c.revenue for c in result.overall if c.ended)
    assert revenue == pytest.approx(99.0 + 189.90 + 1089.50)
    assert set(result.segments["Offre"]) == {"Intégrale", "Numérique", "Week-end"}
    _assert_matches(
        services.get_base_view("extrait", store=store).table,
        kaplan_meier_by_hand(path, encoding="cp1252"),
    )


BAD_ROWS = [
    ("B-1", "03/01/2024", "", "", "Intégrale", "Carte", "10", "Web"),
    ("B-2", "", "", "", "Intégrale", "Carte", "10", "Web"),  # row 3: no start
    ("B-3", "10/05/2024", "01/02/2024", "", "Intégrale", "Carte", "10", "Web"),  # row 4
    ("B-4", "12 mars 2024", "", "", "Intégrale", "Carte", "10", "Web"),  # row 5: format
    ("B-1", "05/01/2024", "", "", "Intégrale", "Carte", "10", "Web"),  # row 6: duplicate
    ("B-6", "05/01/2024", "", "", "Intégrale", "Carte", "dix", "Web"),  # row 7: price
]


def test_bad_rows_are_listed_by_row_and_nothing_is_stored(tmp_path: Path, store: Store) -> None:
    path = write_french_extract(tmp_path / "bad.csv", BAD_ROWS)
    with pytest.raises(services.BaseProblems) as refused:
        services.import_base("bad", path, store=store)
    found = {(p.row, p.code) for p in refused.value.problems}
    assert found == {
        (2, "duplicate_id"),
        (3, "missing_start"),
        (4, "end_before_start"),
        (5, "bad_date"),
        (6, "duplicate_id"),
        (7, "bad_price"),
    }
    assert services.list_base_names(store=store) == []


def test_an_empty_file_and_a_header_only_file_are_refused(tmp_path: Path, store: Store) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(services.SourceError, match="empty"):
        services.import_base("empty", empty, store=store)
    header_only = write_french_extract(tmp_path / "header.csv", [])
    with pytest.raises(ValueError, match="no subscription"):
        services.import_base("header", header_only, store=store)
    assert services.list_base_names(store=store) == []


def test_no_row_of_the_extract_is_stored(demo, store: Store, database_url) -> None:
    services.import_base(
        "presse", demo.subscriptions, store=store, events=demo.events, payments=demo.payments
    )
    with demo.subscriptions.open(encoding="utf-8", newline="") as handle:
        ids = [row["N° abonné"] for row in csv.DictReader(handle, delimiter=";")]
    engine = create_engine(database_url)
    try:
        dumped = []
        with engine.connect() as connection:
            for table in inspect(connection).get_table_names():
                for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                    dumped.append(" ".join(str(v) for v in row))
    finally:
        engine.dispose()
    everything = "\n".join(dumped)
    assert "abonnements.csv" in everything  # the base is there…
    assert not [i for i in ids if i in everything]  # …but not one subscriber id


def test_signals_rank_the_cancellation_page_visit_first(demo, store: Store) -> None:
    from journeys.data import attrition

    services.import_base(
        "presse", demo.subscriptions, store=store, events=demo.events, payments=demo.payments
    )
    view = services.get_base_view("presse", store=store)
    ranked = attrition.signals(view.aggregates, 30)
    assert ranked[0].event == "Visite page de résiliation"
    assert ranked[0].lift > 1 and ranked[0].lower <= ranked[0].lift <= ranked[0].upper
    assert set(view.aggregates.reject_codes) <= {"AM04", "AC04", "MD07", "MD06"}
    windows = view.windows
    assert any(w.first <= 1 for w in windows) and any(11 <= w.first <= 12 for w in windows)


def _cli(*args: str):
    return CliRunner().invoke(app, list(args))


def test_cli_imports_and_writes_the_life_table_and_signals(
    demo, tmp_path: Path, database_url
) -> None:
    url = database_url.render_as_string(hide_password=False)
    result = _cli(
        "base",
        "import",
        str(demo.subscriptions),
        "--name",
        "presse",
        "--events",
        str(demo.events),
        "--database",
        url,
    )
    assert result.exit_code == 0, result.output
    assert "4000 subscriptions" in result.output
    out = tmp_path / "life.csv"
    assert _cli("attrition", "presse", "--output", str(out), "--database", url).exit_code == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:4] == ["month", "at_risk", "ended", "survival"]
    expected = kaplan_meier_by_hand(demo.subscriptions)
    assert [int(r["ended"]) for r in rows] == [e for _, e, _ in expected.values()]
    by = tmp_path / "by.csv"
    done = _cli("attrition", "presse", "--by", "Offre", "--output", str(by), "--database", url)
    assert done.exit_code == 0, done.output
    with by.open(encoding="utf-8") as handle:
        segments = {r["segment"] for r in csv.DictReader(handle)}
    assert segments == {"Numérique", "Papier + numérique", "Week-end"}
    wrong = _cli("attrition", "presse", "--by", "Ville", "--output", str(by), "--database", url)
    assert wrong.exit_code == 1 and "not a segment" in wrong.output
    sig = tmp_path / "signals.csv"
    assert _cli("signals", "presse", "--output", str(sig), "--database", url).exit_code == 0
    assert "Visite page de résiliation" in sig.read_text(encoding="utf-8")


def test_cli_lists_bad_rows_and_stores_nothing(tmp_path: Path, database_url) -> None:
    url = database_url.render_as_string(hide_password=False)
    path = write_french_extract(tmp_path / "bad.csv", BAD_ROWS)
    result = _cli("base", "import", str(path), "--name", "bad", "--database", url)
    assert result.exit_code == 1
    assert "row 4, Date de fin: ends before it starts" in result.output
    assert "row 5, Date de début: start date in an unknown format" in result.output
    assert "Traceback" not in result.output
    listed = _cli("base", "list", "--database", url)
    assert listed.exit_code == 0 and "bad" not in listed.output


def test_aggregates_round_trip_through_json(demo, store: Store) -> None:
    from journeys.data.aggregate import Aggregates

    stored = services.import_base("presse", demo.subscriptions, store=store, events=demo.events)
    again = Aggregates.from_json(json.loads(json.dumps(stored.to_json())))
    assert again == stored


def test_a_signal_becomes_a_trigger_step_of_a_program(demo, store: Store, sample_program) -> None:
    from journeys import services as workspace
    from journeys.contract.model import Anchor, StepKind

    workspace.import_document(sample_program, store=store)
    services.import_base("presse", demo.subscriptions, store=store, events=demo.events)
    added = services.add_signal_trigger(
        sample_program.id, "presse", "Visite page de résiliation", 30, store=store
    )
    program = workspace.get_program(sample_program.id, store=store)
    step = next(s for s in program.steps if s.id == added.step_id)
    assert step.kind is StepKind.TRIGGER and step.label == "Visite page de résiliation"
    assert step.timing is not None and step.timing.anchor is Anchor.EVENT
    assert step.timing.event == "visite-page-de-resiliation"
    assert step.kpi is not None and "×" in step.kpi and "presse" in step.kpi
    assert len(program.steps) == len(sample_program.steps) + 1
    with pytest.raises(services.NotFoundError):
        services.add_signal_trigger(sample_program.id, "presse", "Inconnu", 30, store=store)


def test_a_date_not_in_the_calendar_is_refused_in_one_line(tmp_path: Path, store: Store) -> None:
    rows = [*FRENCH_ROWS, ("A-006", "31/02/2024", "", "", "Intégrale", "Carte", "99,00", "Web")]
    path = write_french_extract(tmp_path / "fevrier.csv", rows)
    with pytest.raises(services.MappingError, match="not in the calendar") as refused:
        services.import_base("fevrier", path, store=store)
    assert "Date de début" in str(refused.value) and "\n" not in str(refused.value)
    assert services.list_base_names(store=store) == []

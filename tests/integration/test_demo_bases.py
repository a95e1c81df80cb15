"""Demo subscriber bases: one per journey template, each showing its fragile moment where its
business loses subscribers; the Parquet demo (typed columns) reads as the CSV one does."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from journeys.cli.main import app
from journeys.contract.model import Journey
from journeys.contract.yaml_io import load_file
from journeys.data import services
from journeys.data.aggregate import Aggregates, compute
from journeys.data.attrition import FragileWindow, fragile_windows, life_table
from journeys.data.clean import guess_formats
from journeys.data.demo import PROFILES, generate, profile_for_template
from journeys.data.mapping import suggest_events, suggest_mapping, suggest_payments
from journeys.data.source import open_file
from journeys.store.db import Store

ROOT = Path(__file__).resolve().parents[2]
ROWS = 12_000


def _aggregates(folder: Path) -> Aggregates:
    subs = open_file(folder / "abonnements.csv")
    payments = open_file(folder / "paiements.csv", subs.backend)
    mapping = suggest_mapping(list(subs.headers))
    mapping.payments = suggest_payments(list(payments.headers))
    formats = guess_formats(subs.table, mapping)
    return compute(subs.table, mapping, formats, payments=payments.table)


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Aggregates, list]]:
    found = {}
    for profile in PROFILES:
        folder = tmp_path_factory.mktemp(profile)
        generate(folder, ROWS, seed=5, profile=profile)
        aggregates = _aggregates(folder)
        table = life_table(aggregates.overall)
        found[profile] = (aggregates, fragile_windows(table, aggregates.summary.years))
    return found


def _months(windows: list[FragileWindow]) -> set[int]:
    return {m for w in windows for m in range(w.first, w.last + 1)}


def test_every_journey_template_has_a_demo_profile() -> None:
    ids = [
        doc.id
        for path in sorted((ROOT / "templates_journeys").glob("*.journey.yaml"))
        if isinstance(doc := load_file(path), Journey)
    ]
    assert len(ids) == 8  # four journeys, French and English
    assert {profile_for_template(i) for i in ids} == set(PROFILES)
    with pytest.raises(ValueError, match="no demo"):
        profile_for_template("nope")


def test_press_base_loses_subscribers_at_the_end_of_trial_and_at_renewals(bases) -> None:
    _, windows = bases["press"]
    assert {0, 12, 24} <= _months(windows)
    assert windows[0].first == 0  # the trial loses the most


def test_renewal_base_loses_its_subscribers_at_the_anniversary_of_the_term(bases) -> None:
    aggregates, windows = bases["renewal"]
    assert windows[0].first == windows[0].last == 12
    assert _months(windows) == {12, 24, 36}  # nobody leaves in the middle of a term
    assert windows[0].share > 0.5
    assert aggregates.summary.involuntary / aggregates.summary.ended < 0.1


def test_sepa_base_loses_subscribers_at_the_first_debit_mostly_by_rejects(bases) -> None:
    aggregates, windows = bases["sepa"]
    first_debit = windows[0]
    assert (first_debit.first, first_debit.last) == (1, 1)
    assert first_debit.involuntary_share > 0.6
    assert {"AM04", "MD01"} <= set(aggregates.reject_codes)


def test_add_on_base_loses_options_when_returned_and_when_the_discount_ends(bases) -> None:
    aggregates, windows = bases["add-on"]
    assert {0, 3} <= _months(windows)
    assert not {1, 2, 12} & _months(windows)
    assert "Rétractation" in aggregates.end_reasons


def test_cli_writes_the_demo_of_a_template(tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(
        app, ["demo-base", str(tmp_path), "--template", "fixed-term-renewal", "--rows", "500"]
    )
    assert done.exit_code == 0, done.output
    assert "abonnements.csv" in done.output
    text = (tmp_path / "abonnements.csv").read_text(encoding="utf-8")
    assert "Hebdo 1 an" in text and text.count("\n") == 501
    wrong = runner.invoke(app, ["demo-base", str(tmp_path), "--template", "nope"])
    assert wrong.exit_code == 1 and "no demo" in wrong.output
    clash = runner.invoke(
        app, ["demo-base", str(tmp_path), "--template", "abonnement-sepa", "--profile", "press"]
    )
    assert clash.exit_code == 1 and "--profile sepa" in clash.output


def test_the_parquet_demo_with_typed_columns_imports_like_the_csv_one(
    tmp_path: Path, store: Store
) -> None:
    csv_files = generate(tmp_path / "csv", 3000, seed=9, profile="sepa")
    pq_files = generate(tmp_path / "pq", 3000, seed=9, profile="sepa", fmt="parquet")
    schema = pq.read_schema(pq_files.subscriptions)
    assert schema.field("Date de début").type == pa.date32()
    assert schema.field("Prix").type == pa.float64()

    from_csv = services.import_base(
        "csv", csv_files.subscriptions, store=store, events=csv_files.events
    )
    from_parquet = services.import_base(
        "pq", pq_files.subscriptions, store=store, events=pq_files.events
    )
    assert _without_revenue(from_parquet) == _without_revenue(from_csv)
    assert [c.revenue for c in from_parquet.overall] == pytest.approx(
        [c.revenue for c in from_csv.overall]
    )


def _without_revenue(aggregates: Aggregates) -> dict:
    """The aggregates with revenues left out (sums of floats, in another order)."""
    data = aggregates.to_json()
    for cell in data["overall"] + [
        c for s in data["segments"].values() for v in s.values() for c in v
    ]:
        cell["revenue"] = None
    return data


def test_a_parquet_file_lists_bad_rows_by_row(tmp_path: Path, store: Store) -> None:
    """Rows of a Parquet file are numbered as in a spreadsheet (header = row 1)."""
    from datetime import date

    path = tmp_path / "bad.parquet"
    pq.write_table(
        pa.table(
            {
                "N° abonné": ["A1", "A2", "A3", "A4", "A2"],
                "Date de début": [date(2024, 1, 5)] * 5,
                "Date de fin": [None, None, date(2023, 1, 1), None, None],
            }
        ),
        path,
    )
    with pytest.raises(services.BaseProblems) as refused:
        services.import_base("bad", path, store=store)
    assert {(p.row, p.code) for p in refused.value.problems} == {
        (3, "duplicate_id"),
        (4, "end_before_start"),
        (6, "duplicate_id"),
    }
    assert services.list_base_names(store=store) == []


def test_suggested_event_and_payment_columns_of_every_demo(tmp_path: Path) -> None:
    for profile in PROFILES:
        files = generate(tmp_path / profile, 200, seed=1, profile=profile)
        events = open_file(files.events)
        payments = open_file(files.payments)
        assert len(suggest_events(list(events.headers))) == 4  # id, date, time, type
        assert len(suggest_payments(list(payments.headers))) == 4

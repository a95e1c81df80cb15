"""A moment's free KPI in the real store (SQLite and PostgreSQL): migration 0008 adds its
column and keeps the moments of an older workspace; it is stored, exported and dumped as
typed; the canvas's KPI edit is versioned (a stale one is refused, nothing overwritten) and
undone and redone through the store's versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL

from journeys import services
from journeys.board.intents import edit_for
from journeys.board.undo import History, Op
from journeys.contract.model import Journey, Moment
from journeys.contract.yaml_io import dump_document
from journeys.dump import services as dump
from journeys.errors import StaleVersionError
from journeys.store.db import open_store
from journeys.store.migrations import alembic_config

J = "premier-abonnement"
KPI = 'Taux de réabonnement 62 % <b>html</b> « € » "q"'


def _with_kpi(journey: Journey, moment: str, kpi: str | None) -> Journey:
    moments = [m.model_copy(update={"kpi": kpi}) if m.id == moment else m for m in journey.moments]
    return Journey.model_validate(
        journey.model_copy(update={"moments": moments}).model_dump(by_alias=True)
    )


def _moment(store, moment: str) -> Moment:
    return next(m for m in services.get_journey(J, store=store).moments if m.id == moment)


def _intent(store, value: str | None, *, version: int | None = None) -> dict:
    seen = services.get_journey_for_edit(J, store=store).moment_versions["souscription"]
    return {
        "type": "moment",
        "moment": "souscription",
        "field": "kpi",
        "value": value,
        "version": seen if version is None else version,
    }


def _do(store, history: History, intent: dict) -> History:
    edit = edit_for(intent, services.get_journey_for_edit(J, store=store))
    assert edit is not None
    return history.done(services.apply_edit(J, edit, store=store))


# --- stored, exported, dumped --------------------------------------------------------------


def test_a_kpi_comes_back_from_the_store_and_its_yaml_as_typed(store, sample_journey):
    journey = _with_kpi(sample_journey, "decouverte", KPI + "\nsur deux lignes")
    services.import_document(journey, store=store)

    assert services.get_journey(J, store=store) == journey
    assert services.export_yaml(J, store=store) == dump_document(journey)


def test_a_workspace_dump_carries_each_moments_kpi(store, sample_journey, tmp_path: Path):
    journey = _with_kpi(sample_journey, "decouverte", KPI)
    services.import_document(journey, store=store)
    dump.dump_workspace(tmp_path / "dump", store=store)
    assert "kpi: " in (tmp_path / "dump" / f"{J}.journey.yaml").read_text(encoding="utf-8")

    target = open_store(f"sqlite:///{tmp_path / 'restored' / 'journeys.db'}")
    try:
        dump.restore_dump(tmp_path / "dump", store=target)
        assert services.get_journey(J, store=target) == journey
    finally:
        target.dispose()


# --- the canvas's versioned edit -----------------------------------------------------------


def test_a_kpi_typed_in_the_lane_is_undone_and_redone_through_the_versions(store, sample_journey):
    services.import_document(sample_journey, store=store)
    typed_before = _moment(store, "souscription").kpi
    history = _do(store, History(), _intent(store, "  Taux de réabonnement 62 %  "))
    assert _moment(store, "souscription").kpi == "Taux de réabonnement 62 %"
    assert _moment(store, "souscription").description == "Clé"  # the rest kept

    history, outcome = services.undo_edit(J, history, store=store)
    assert outcome.refused is None and outcome.edit is not None
    assert outcome.edit.op is Op.UPDATE_MOMENT
    assert _moment(store, "souscription").kpi == typed_before
    history, outcome = services.redo_edit(J, history, store=store)
    assert outcome.refused is None
    assert _moment(store, "souscription").kpi == "Taux de réabonnement 62 %"

    history = _do(store, history, _intent(store, ""))  # empty: cleared
    assert _moment(store, "souscription").kpi is None
    history, _ = services.undo_edit(J, history, store=store)
    assert _moment(store, "souscription").kpi == "Taux de réabonnement 62 %"


def test_a_kpi_sent_from_an_outdated_board_is_refused_and_keeps_the_newer_value(
    store, sample_journey
):
    services.import_document(sample_journey, store=store)
    seen = services.get_journey_for_edit(J, store=store).moment_versions["souscription"]
    _do(store, History(), _intent(store, "Valeur de l'autre écran"))

    outdated = _intent(store, "Ma valeur", version=seen)
    stale = edit_for(outdated, services.get_journey_for_edit(J, store=store))
    assert stale is not None
    with pytest.raises(StaleVersionError):
        services.apply_edit(J, stale, store=store)
    assert _moment(store, "souscription").kpi == "Valeur de l'autre écran"


def test_an_undone_kpi_is_not_forced_over_someone_elses_newer_label(store, sample_journey):
    services.import_document(sample_journey, store=store)
    history = _do(store, History(), _intent(store, "62 %"))
    editable = services.get_journey_for_edit(J, store=store)
    renamed = _moment(store, "souscription").model_copy(update={"label": "Souscription en ligne"})
    services.update_moment(
        J,
        "souscription",
        renamed,
        store=store,
        expected_version=editable.moment_versions["souscription"],
    )

    history, outcome = services.undo_edit(J, history, store=store)
    assert outcome.refused == "stale"
    assert _moment(store, "souscription") == renamed


# --- migration 0008 ------------------------------------------------------------------------


def _at_revision(url: URL, revision: str) -> None:
    opened = open_store(url, migrate=False)
    try:
        with opened.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        opened.dispose()


def test_an_older_workspace_gets_the_kpi_column_and_keeps_its_moments(empty_database_url):
    _at_revision(empty_database_url, "0007_workshop_live")
    engine = create_engine(empty_database_url)
    assert "kpi" not in {c["name"] for c in inspect(engine).get_columns("moment")}
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO journey (id, slug, title, journey_type, state, language, version,"
            " revision, created_at, updated_at) VALUES (1, 'ancien', 'Ancien', 'custom',"
            " 'current', 'fr', 1, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO moment (id, journey_id, slug, label, key, description, position,"
            " version) VALUES (1, 1, 'souscription', 'Souscription', true, 'Clé', 0, 1)"
        ))  # fmt: skip
    engine.dispose()

    opened = open_store(empty_database_url)
    try:
        moment = services.get_journey("ancien", store=opened).moments[0]
        assert (moment.label, moment.key, moment.description, moment.kpi) == (
            "Souscription",
            True,
            "Clé",
            None,
        )
        editable = services.get_journey_for_edit("ancien", store=opened)
        services.update_moment(
            "ancien",
            "souscription",
            moment.model_copy(update={"kpi": "62 %"}),
            store=opened,
            expected_version=editable.moment_versions["souscription"],
        )
        assert services.get_journey("ancien", store=opened).moments[0].kpi == "62 %"
    finally:
        opened.dispose()


def test_the_kpi_migration_goes_back_down_and_up_again(empty_database_url):
    _at_revision(empty_database_url, "head")
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0007_workshop_live")
        assert "kpi" not in {c["name"] for c in inspect(connection).get_columns("moment")}
        command.upgrade(config, "head")
        assert "kpi" in {c["name"] for c in inspect(connection).get_columns("moment")}
    engine.dispose()

"""What every screen of a workshop follows (the moment presented, follow-me, the timer), kept
in the store on SQLite and PostgreSQL with a revision that moves on every change; only those
who may edit change it; the migration goes up and down on both."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL

from journeys import services
from journeys.errors import InvalidReferenceError, NotFoundError
from journeys.roles import Actor, PermissionDenied, Role
from journeys.store.db import open_store
from journeys.store.migrations import alembic_config
from journeys.workshop import presenting

JID = "premier-abonnement"


@pytest.fixture
def journey(store, sample_journey):
    services.import_document(sample_journey, store=store)
    return sample_journey


def test_a_journey_nobody_presented_has_the_default_state_at_revision_zero(store, journey):
    state = presenting.workshop_state(JID, store=store)

    assert state == presenting.WorkshopState(None, False, None, None, 0, False, 5)
    assert presenting.workshop_revision(JID, store=store) == 0


def test_presenting_a_moment_then_none_is_kept_and_each_change_moves_the_revision(store, journey):
    first = presenting.set_presenting(JID, "souscription", store=store)
    assert first.presenting == "souscription"
    assert presenting.workshop_state(JID, store=store) == first
    assert presenting.workshop_revision(JID, store=store) == first.revision == 1

    second = presenting.set_presenting(JID, "decouverte", store=store)
    stopped = presenting.set_presenting(JID, None, store=store)

    assert (second.presenting, stopped.presenting) == ("decouverte", None)
    assert [second.revision, stopped.revision] == [2, 3]
    assert presenting.workshop_revision(JID, store=store) == 3


def test_an_unknown_moment_is_refused_with_its_name_and_nothing_changes(store, journey):
    presenting.set_presenting(JID, "souscription", store=store)

    with pytest.raises(InvalidReferenceError, match="unknown moment 'nulle-part'"):
        presenting.set_presenting(JID, "nulle-part", store=store)

    state = presenting.workshop_state(JID, store=store)
    assert (state.presenting, state.revision) == ("souscription", 1)


def test_a_moment_in_the_trash_is_no_longer_presented_and_cannot_be_chosen(store, journey):
    presenting.set_presenting(JID, "decouverte", store=store)
    services.delete_moment(JID, "decouverte", store=store)

    assert presenting.workshop_state(JID, store=store).presenting is None
    with pytest.raises(InvalidReferenceError):
        presenting.set_presenting(JID, "decouverte", store=store)

    services.restore_moment(JID, "decouverte", store=store)
    assert presenting.workshop_state(JID, store=store).presenting == "decouverte"


def test_follow_me_is_switched_on_and_off(store, journey):
    assert presenting.set_follow(JID, True, store=store).follow is True
    assert presenting.workshop_state(JID, store=store).follow is True
    assert presenting.set_follow(JID, False, store=store).follow is False
    assert presenting.workshop_revision(JID, store=store) == 2


def test_the_timer_starts_now_for_its_seconds_then_stops(store, journey):
    before = datetime.now(UTC)
    state = presenting.start_timer(JID, 600, store=store)
    after = datetime.now(UTC)

    assert state.timer_seconds == 600
    assert state.timer_started_at is not None
    assert before - timedelta(seconds=1) <= state.timer_started_at <= after
    assert state.timer_started_at.tzinfo is not None  # aware, on SQLite too
    assert state.timer_ends_at == state.timer_started_at + timedelta(seconds=600)
    assert state.timer_left(state.timer_started_at + timedelta(seconds=90)) == 510
    assert state.timer_left(state.timer_started_at + timedelta(hours=1)) == 0

    stopped = presenting.stop_timer(JID, store=store)
    assert (stopped.timer_started_at, stopped.timer_seconds, stopped.timer_left(after)) == (
        None,
        None,
        None,
    )
    assert stopped.revision == 2


@pytest.mark.parametrize("seconds", [0, -5, presenting.TIMER_MAX_SECONDS + 1, 2.5, True])
def test_a_timer_of_no_time_or_of_more_than_four_hours_is_refused(store, journey, seconds):
    with pytest.raises(ValueError, match="timer"):
        presenting.start_timer(JID, seconds, store=store)
    assert presenting.workshop_revision(JID, store=store) == 0


def test_the_state_of_an_unknown_journey_is_not_found(store):
    for call in (
        lambda: presenting.workshop_state("inconnu", store=store),
        lambda: presenting.workshop_revision("inconnu", store=store),
        lambda: presenting.set_follow("inconnu", True, store=store),
        lambda: presenting.set_presenting("inconnu", None, store=store),
    ):
        with pytest.raises(NotFoundError):
            call()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CONTRIBUTOR])
def test_only_those_who_may_edit_change_the_state_others_read_it(store, journey, role):
    other = store.as_actor(Actor("quelqu'un", role))
    for change in (
        lambda: presenting.set_presenting(JID, "souscription", store=other),
        lambda: presenting.set_follow(JID, True, store=other),
        lambda: presenting.start_timer(JID, 60, store=other),
        lambda: presenting.stop_timer(JID, store=other),
    ):
        with pytest.raises(PermissionDenied):
            change()

    presenting.set_follow(JID, True, store=store.as_actor(Actor("anim", Role.EDITOR)))
    assert presenting.workshop_state(JID, store=other).follow is True
    assert presenting.workshop_revision(JID, store=other) == 1


def test_a_participant_reads_nothing_of_it(store, journey):
    participant = store.as_actor(Actor("participant", Role.PARTICIPANT))
    with pytest.raises(PermissionDenied):
        presenting.workshop_state(JID, store=participant)
    with pytest.raises(PermissionDenied):
        presenting.workshop_revision(JID, store=participant)


def test_two_journeys_have_their_own_state(store, journey, sample_journey):
    services.import_document(sample_journey.model_copy(update={"id": "autre"}), store=store)
    presenting.set_presenting(JID, "souscription", store=store)

    assert presenting.workshop_state("autre", store=store).presenting is None
    assert presenting.workshop_revision("autre", store=store) == 0


def test_the_facade_offers_the_board_these_services(store, journey):
    assert services.set_presenting(JID, "souscription", store=store).presenting == "souscription"
    assert services.workshop_revision(JID, store=store) == 1
    assert services.workshop_state(JID, store=store).presenting == "souscription"


# --- the migration ---------------------------------------------------------------------------


def _migrate(url: URL, how: str, revision: str) -> None:
    store = open_store(url, migrate=False)
    try:
        with store.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            getattr(command, how)(config, revision)
    finally:
        store.dispose()


def _tables(url: URL) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_migration_adds_the_two_tables_to_a_workspace_from_before_and_takes_them_away(
    empty_database_url,
):
    _migrate(empty_database_url, "upgrade", "0006_program_rules")
    assert not {"workshop_state", "dot_vote"} & _tables(empty_database_url)
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO journey (id, slug, title, journey_type, state, language, version,"
            " revision, created_at, updated_at) VALUES (1, 'ancien', 'Ancien',"
            " 'first_subscription', 'current', 'fr', 1, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO moment (id, journey_id, slug, label, key, position, version)"
            " VALUES (1, 1, 'debut', 'Début', false, 0, 1)"
        ))  # fmt: skip
    engine.dispose()

    store = open_store(empty_database_url)  # upgrades to head
    try:
        assert {"workshop_state", "dot_vote"} <= _tables(empty_database_url)
        assert presenting.set_presenting("ancien", "debut", store=store).revision == 1
    finally:
        store.dispose()

    _migrate(empty_database_url, "downgrade", "0006_program_rules")
    assert not {"workshop_state", "dot_vote"} & _tables(empty_database_url)
    assert "journey" in _tables(empty_database_url)
    _migrate(empty_database_url, "upgrade", "head")
    store = open_store(empty_database_url)
    try:
        assert presenting.workshop_state("ancien", store=store).revision == 0
    finally:
        store.dispose()

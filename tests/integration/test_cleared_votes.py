"""Clearing the dots for a new round keeps them, on SQLite and PostgreSQL: the latest cleared
round comes back, added to the dots cast since; the summary the board shows (open or not, dots
per voter, voters, dots cast, dots to put back) is one read; phones see a clear; the
migration goes up and down."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL

from journeys import services
from journeys.dump import services as dump
from journeys.errors import NotFoundError
from journeys.roles import Actor, PermissionDenied, Role
from journeys.store.db import open_store
from journeys.store.migrations import alembic_config
from journeys.workshop import participants as p
from journeys.workshop import presenting
from journeys.workshop import votes as v

JID = "premier-abonnement"
ANIM = "facilitator:local"
TOKEN = "telephone-de-lea"


@pytest.fixture
def refs(store, sample_journey):
    """The sample journey with its vote open: the row ids of its irritant and its break."""
    services.import_document(sample_journey, store=store)
    v.open_vote(JID, store=store)
    found = services.get_journey_for_edit(JID, store=store).finding_refs
    return {"irritant": found["formulaire"][0].id, "break": found["codes"][0].id}


@pytest.fixture
def code(store, refs):
    return p.open_workshop(JID, store=store)


def test_cleared_dots_come_back_on_the_same_findings_for_the_same_voters(store, refs, code):
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.phone_cast(JID, code, TOKEN, refs["break"], store=store)
    before = v.vote_tally(JID, store=store)

    assert v.clear_votes(JID, store=store) == 3
    assert v.vote_tally(JID, store=store) == {}
    assert v.vote_summary(JID, store=store).cleared == 3

    assert services.restore_cleared_votes(JID, store=store) == 3
    assert v.vote_tally(JID, store=store) == before
    assert v.dots_left(JID, ANIM, store=store) == 3
    assert v.dots_left(JID, v.participant_voter(TOKEN), store=store) == 4
    assert v.vote_summary(JID, store=store).cleared == 0
    assert v.restore_cleared_votes(JID, store=store) == 0  # nothing left to put back


def test_a_round_put_back_adds_to_the_dots_cast_since_and_may_leave_a_voter_none(store, refs):
    v.set_dots_per_voter(JID, 3, store=store)
    for ref in (refs["irritant"], refs["irritant"], refs["break"]):
        v.cast_dot(JID, ref, ANIM, store=store)
    v.clear_votes(JID, store=store)
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)

    assert v.restore_cleared_votes(JID, store=store) == 3

    assert v.vote_tally(JID, store=store) == {refs["irritant"]: 3, refs["break"]: 1}
    assert v.dots_left(JID, ANIM, store=store) == 0  # 4 spent of 3: none to cast
    with pytest.raises(v.NoDotsLeftError):
        v.cast_dot(JID, refs["break"], ANIM, store=store)


def test_rounds_cleared_one_after_the_other_come_back_latest_first(store, refs):
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.clear_votes(JID, store=store)
    v.cast_dot(JID, refs["break"], ANIM, store=store)
    v.cast_dot(JID, refs["break"], ANIM, store=store)
    v.clear_votes(JID, store=store)
    assert v.vote_summary(JID, store=store).cleared == 2

    assert v.restore_cleared_votes(JID, store=store) == 2
    assert v.vote_tally(JID, store=store) == {refs["break"]: 2}
    assert v.vote_summary(JID, store=store).cleared == 1
    assert v.restore_cleared_votes(JID, store=store) == 1
    assert v.vote_tally(JID, store=store) == {refs["break"]: 2, refs["irritant"]: 1}


def test_clearing_no_dot_keeps_no_round_and_changes_nothing(store, refs):
    revision = presenting.workshop_revision(JID, store=store)
    assert v.clear_votes(JID, store=store) == 0
    assert v.restore_cleared_votes(JID, store=store) == 0
    assert presenting.workshop_revision(JID, store=store) == revision
    assert v.vote_summary(JID, store=store).cleared == 0


def test_clearing_and_putting_back_move_the_revision_the_screens_watch(store, refs):
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    start = presenting.workshop_revision(JID, store=store)
    v.clear_votes(JID, store=store)
    assert presenting.workshop_revision(JID, store=store) == start + 1
    v.restore_cleared_votes(JID, store=store)
    assert presenting.workshop_revision(JID, store=store) == start + 2


def test_the_phones_signature_changes_when_the_dots_are_cleared_and_put_back(store, refs, code):
    v.phone_cast(JID, code, TOKEN, refs["irritant"], store=store)
    before = v.ballot_signature(JID, code, store=store)
    v.clear_votes(JID, store=store)
    cleared = v.ballot_signature(JID, code, store=store)
    assert cleared != before
    v.restore_cleared_votes(JID, store=store)
    assert v.ballot_signature(JID, code, store=store) != cleared
    ballot = v.phone_ballot(JID, code, TOKEN, store=store)
    assert ballot.left == 4


def test_the_summary_counts_the_voters_and_dots_that_count(store, refs, code):
    assert v.vote_summary(JID, store=store) == v.VoteSummary(
        open=True, dots=5, voters=0, cast=0, cleared=0
    )
    v.set_dots_per_voter(JID, 3, store=store)
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.cast_dot(JID, refs["break"], ANIM, store=store)
    v.phone_cast(JID, code, TOKEN, refs["break"], store=store)
    v.close_vote(JID, store=store)
    assert v.vote_summary(JID, store=store) == v.VoteSummary(
        open=False, dots=3, voters=2, cast=3, cleared=0
    )
    services.delete_finding(refs["break"], store=store)  # its dots go back to their voters
    assert v.vote_summary(JID, store=store) == v.VoteSummary(
        open=False, dots=3, voters=1, cast=1, cleared=0
    )


def test_the_summary_of_a_journey_never_voted_on_has_the_defaults(store, sample_journey):
    services.import_document(sample_journey, store=store)
    assert v.vote_summary(JID, store=store) == v.VoteSummary(
        open=False, dots=5, voters=0, cast=0, cleared=0
    )
    with pytest.raises(NotFoundError):
        v.vote_summary("inconnu", store=store)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CONTRIBUTOR])
def test_only_those_who_may_edit_put_dots_back_others_read_the_summary(store, refs, role):
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.clear_votes(JID, store=store)
    other = store.as_actor(Actor("quelqu'un", role))
    with pytest.raises(PermissionDenied):
        v.restore_cleared_votes(JID, store=other)
    assert v.vote_summary(JID, store=other).cleared == 1


def _tables(url: URL) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _migrate(url: URL, how: str, revision: str) -> None:
    store = open_store(url, migrate=False)
    try:
        with store.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            getattr(command, how)(config, revision)
    finally:
        store.dispose()


def test_the_migration_adds_the_cleared_dots_table_and_takes_it_away(empty_database_url):
    _migrate(empty_database_url, "upgrade", "0008_moment_kpi")
    assert "cleared_dot_vote" not in _tables(empty_database_url)
    _migrate(empty_database_url, "upgrade", "head")
    assert "cleared_dot_vote" in _tables(empty_database_url)
    _migrate(empty_database_url, "downgrade", "0008_moment_kpi")
    assert "cleared_dot_vote" not in _tables(empty_database_url)
    assert "dot_vote" in _tables(empty_database_url)


def test_a_dump_keeps_the_cleared_rounds_and_they_come_back_after_a_restore(
    store, refs, code, tmp_path
):
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.phone_cast(JID, code, TOKEN, refs["break"], store=store)
    v.clear_votes(JID, store=store)
    v.cast_dot(JID, refs["break"], ANIM, store=store)
    v.clear_votes(JID, store=store)
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    dump.dump_workspace(tmp_path / "dump", store=store)
    text = (tmp_path / "dump" / "votes" / f"{JID}.votes.yaml").read_text(encoding="utf-8")
    assert "cleared:" in text and "round: 2" in text

    target = open_store(f"sqlite:///{tmp_path / 'restored' / 'journeys.db'}")
    try:
        dump.restore_dump(tmp_path / "dump", store=target)
        assert v.vote_summary(JID, store=target) == v.vote_summary(JID, store=store)
        for _ in range(2):
            assert v.restore_cleared_votes(JID, store=target) == v.restore_cleared_votes(
                JID, store=store
            )
            assert v.vote_tally(JID, store=target) == _same_places(store, target)
    finally:
        target.dispose()


def _same_places(source, target) -> dict[int, int]:
    """The source's tally, with the target's row ids for the same findings."""
    mine = services.get_journey_for_edit(JID, store=source).finding_refs
    theirs = services.get_journey_for_edit(JID, store=target).finding_refs
    ids = {
        ref.id: other.id
        for tp, refs in mine.items()
        for ref, other in zip(refs, theirs[tp], strict=True)
    }
    return {ids[ref]: dots for ref, dots in v.vote_tally(JID, store=source).items()}


def test_a_cleared_round_pointing_nowhere_is_refused(store, refs, tmp_path):
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.clear_votes(JID, store=store)
    dump.dump_workspace(tmp_path / "dump", store=store)
    path = tmp_path / "dump" / "votes" / f"{JID}.votes.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("finding: 0", "finding: 9", 1), encoding="utf-8")

    target = open_store(f"sqlite:///{tmp_path / 'restored' / 'journeys.db'}")
    try:
        with pytest.raises(dump.DumpRefused, match="cleared.0: finding 9"):
            dump.restore_dump(tmp_path / "dump", store=target)
    finally:
        target.dispose()

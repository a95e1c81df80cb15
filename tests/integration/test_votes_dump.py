"""The workspace dump keeps each journey's dot vote (open or not, dots per voter, every voter's
dots on each finding) and restores it onto the same findings, from and into SQLite and
PostgreSQL; the moment presented, follow-me and the timer stay out, like the join code; a votes
file that points nowhere is refused naming file and place."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from journeys import services
from journeys.dump import services as dump
from journeys.store.db import Store, open_store
from journeys.workshop import participants as p
from journeys.workshop import presenting
from journeys.workshop import votes as v

JID = "premier-abonnement"
ANIM = "facilitator:Léa « animatrice »"


def _by_text(store: Store, journey_id: str) -> dict[tuple[str, str], int]:
    editable = services.get_journey_for_edit(journey_id, store=store)
    tally = v.vote_tally(journey_id, store=store)
    return {
        (tp.id, finding.text): tally[ref.id]
        for tp in editable.journey.touchpoints
        for ref, finding in zip(editable.finding_refs[tp.id], tp.findings, strict=True)
        if ref.id in tally
    }


@pytest.fixture
def voted(store, sample_journey, tmp_path) -> Path:
    """The sample journey voted on (facilitator and a phone, one dot on a finding later put in
    the trash), presented, followed and timed; a second journey in the trash with its vote;
    then dumped."""
    services.import_document(sample_journey, store=store)
    refs = services.get_journey_for_edit(JID, store=store).finding_refs
    irritant, rupture = refs["formulaire"][0].id, refs["codes"][0].id
    code = p.open_workshop(JID, store=store)
    v.open_vote(JID, store=store)
    v.set_dots_per_voter(JID, 7, store=store)
    for ref in (irritant, irritant, rupture):
        v.cast_dot(JID, ref, ANIM, store=store)
    v.phone_cast(JID, code, "telephone-de-lea", irritant, store=store)
    services.delete_finding(rupture, store=store)  # its dot is left out with it
    presenting.set_presenting(JID, "souscription", store=store)
    presenting.set_follow(JID, True, store=store)
    presenting.start_timer(JID, 300, store=store)

    services.import_document(sample_journey.model_copy(update={"id": "ancien"}), store=store)
    old = services.get_journey_for_edit("ancien", store=store).finding_refs["codes"][0].id
    v.open_vote("ancien", store=store)
    v.cast_dot("ancien", old, "phone:abcdefgh", store=store)
    v.close_vote("ancien", store=store)
    services.delete_journey("ancien", store=store)

    folder = tmp_path / "dump"
    summary = dump.dump_workspace(folder, store=store)
    assert summary.counts["dot"] == 4
    return folder


def test_a_restored_dump_holds_each_journeys_vote_on_the_same_findings(
    store, voted, any_target, sample_journey
):
    summary = dump.restore_dump(voted, store=any_target)

    assert summary.counts["dot"] == 4 and "4 dots" in summary.describe()
    irritant = sample_journey.touchpoints[0].findings[0].text
    assert _by_text(any_target, JID) == {("formulaire", irritant): 3}
    assert _by_text(any_target, JID) == _by_text(store, JID)
    state = presenting.workshop_state(JID, store=any_target)
    assert (state.voting, state.dots) == (True, 7)
    assert v.dots_left(JID, ANIM, store=any_target) == 5
    assert v.dots_left(JID, "phone:telephone-de-lea", store=any_target) == 6
    # passing state: not in the dump
    assert (state.presenting, state.follow, state.timer_started_at) == (None, False, None)

    services.restore_journey("ancien", store=any_target)
    assert presenting.workshop_state("ancien", store=any_target).voting is False
    assert sum(v.vote_tally("ancien", store=any_target).values()) == 1


def test_the_votes_file_names_its_voters_and_places(voted):
    text = (voted / "votes" / f"{JID}.votes.yaml").read_text(encoding="utf-8")
    assert "kind: votes" in text and "open: true" in text and "dots: 7" in text
    assert "Léa « animatrice »" in text and "phone:telephone-de-lea" in text
    assert "touchpoint: codes" not in text  # the dot of the finding in the trash


def test_a_journey_never_voted_on_has_no_votes_file(store, sample_journey, tmp_path):
    services.import_document(sample_journey, store=store)
    presenting.set_presenting(JID, "souscription", store=store)
    dump.dump_workspace(tmp_path / "dump", store=store)
    assert not (tmp_path / "dump" / "votes").exists()


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("finding: 0", "finding: 9", "finding 9 of touchpoint 'formulaire' is not in journey"),
        ("touchpoint: formulaire", "touchpoint: nulle-part", "touchpoint 'nulle-part'"),
        ("dots: 7", "dots: 0", "dots"),
    ],
)
def test_a_votes_file_pointing_nowhere_is_refused_and_nothing_is_written(
    voted, target, old, new, problem
):
    path = voted / "votes" / f"{JID}.votes.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(dump.DumpRefused, match=problem) as refused:
        dump.restore_dump(voted, store=target)
    assert str(path) in str(refused.value)
    assert services.list_journeys(store=target) == []


@pytest.fixture
def target(database_url: URL, tmp_path: Path):
    """A second, empty SQLite workspace."""
    opened = open_store(f"sqlite:///{tmp_path / 'restored' / 'journeys.db'}")
    yield opened
    opened.dispose()


@pytest.fixture
def any_target(empty_database_url: URL):
    """A new, empty workspace on SQLite or PostgreSQL, whatever the source's database."""
    opened = open_store(empty_database_url)
    yield opened
    opened.dispose()

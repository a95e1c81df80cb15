"""Dot-voting on SQLite and PostgreSQL: each voter spends at most N dots on the irritants and
breaks of a journey, several on one if they like, only while the vote is open; phones vote
with the join code; the tally counts the dots of findings that can be voted on."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from journeys import services
from journeys.contract.model import Finding, FindingStatus, FindingType
from journeys.errors import NotFoundError, StoreError
from journeys.roles import Actor, PermissionDenied, Role
from journeys.workshop import participants as p
from journeys.workshop import presenting
from journeys.workshop import votes as v

JID = "premier-abonnement"
ANIM = "facilitator:local"


@pytest.fixture
def refs(store, sample_journey):
    """The sample journey with its vote open: the row ids of its irritant (formulaire), its
    delight (formulaire) and its break (codes)."""
    services.import_document(sample_journey, store=store)
    v.open_vote(JID, store=store)
    found = services.get_journey_for_edit(JID, store=store).finding_refs
    return {
        "irritant": found["formulaire"][0].id,
        "delight": found["formulaire"][1].id,
        "break": found["codes"][0].id,
    }


@pytest.fixture
def code(store, refs):
    return p.open_workshop(JID, store=store)


TOKEN = "telephone-de-lea"
OTHER = "telephone-de-max"


def test_a_voter_has_five_dots_by_default_and_may_put_several_on_one_finding(store, refs):
    assert v.dots_left(JID, ANIM, store=store) == 5
    assert v.cast_dot(JID, refs["irritant"], ANIM, store=store) == 4
    assert v.cast_dot(JID, refs["irritant"], ANIM, store=store) == 3
    assert v.cast_dot(JID, refs["break"], ANIM, store=store) == 2

    assert v.vote_tally(JID, store=store) == {refs["irritant"]: 2, refs["break"]: 1}
    assert v.dots_left(JID, ANIM, store=store) == 2


def test_a_voter_cannot_spend_more_than_n_dots_and_the_refused_one_changes_nothing(store, refs):
    v.set_dots_per_voter(JID, 3, store=store)
    for _ in range(3):
        v.cast_dot(JID, refs["break"], ANIM, store=store)
    revision = presenting.workshop_revision(JID, store=store)

    with pytest.raises(v.NoDotsLeftError, match="all 3 dots are spent"):
        v.cast_dot(JID, refs["irritant"], ANIM, store=store)

    assert v.vote_tally(JID, store=store) == {refs["break"]: 3}
    assert v.dots_left(JID, ANIM, store=store) == 0
    assert presenting.workshop_revision(JID, store=store) == revision


def test_a_dot_taken_back_can_go_elsewhere_and_taking_back_none_changes_nothing(store, refs):
    v.set_dots_per_voter(JID, 1, store=store)
    v.cast_dot(JID, refs["break"], ANIM, store=store)

    assert v.withdraw_dot(JID, refs["break"], ANIM, store=store) == 1
    assert v.vote_tally(JID, store=store) == {}
    assert v.withdraw_dot(JID, refs["break"], ANIM, store=store) == 1  # none there
    assert v.cast_dot(JID, refs["irritant"], ANIM, store=store) == 0
    assert v.vote_tally(JID, store=store) == {refs["irritant"]: 1}


def test_each_voter_has_their_own_dots_and_the_tally_sums_them(store, refs, code):
    v.set_dots_per_voter(JID, 2, store=store)
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    assert v.phone_cast(JID, code, TOKEN, refs["irritant"], store=store) == 1
    assert v.phone_cast(JID, code, OTHER, refs["break"], store=store) == 1

    assert v.vote_tally(JID, store=store) == {refs["irritant"]: 3, refs["break"]: 1}
    assert v.dots_left(JID, ANIM, store=store) == 0
    assert v.dots_left(JID, v.participant_voter(TOKEN), store=store) == 1


def test_a_delight_takes_no_dot_nor_does_a_resolved_problem_or_another_journeys_finding(
    store, refs, sample_journey
):
    with pytest.raises(v.NotVotableError, match="only the irritants and breaks"):
        v.cast_dot(JID, refs["delight"], ANIM, store=store)

    finding = Finding(
        type=FindingType.BREAK, intensity=2, text="Rupture", status=FindingStatus.RESOLVED
    )
    services.update_finding(refs["break"], finding, store=store, expected_version=1)
    with pytest.raises(v.NotVotableError):
        v.cast_dot(JID, refs["break"], ANIM, store=store)

    services.import_document(sample_journey.model_copy(update={"id": "autre"}), store=store)
    v.open_vote("autre", store=store)
    with pytest.raises(v.NotVotableError):
        v.cast_dot("autre", refs["irritant"], ANIM, store=store)
    with pytest.raises(v.NotVotableError):
        v.cast_dot(JID, 987_654, ANIM, store=store)
    assert v.vote_tally(JID, store=store) == v.vote_tally("autre", store=store) == {}


def test_nobody_votes_on_a_closed_vote_and_the_tally_holds_when_it_closes(store, refs, code):
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    closed = v.close_vote(JID, store=store)
    assert closed.voting is False

    for vote in (
        lambda: v.cast_dot(JID, refs["break"], ANIM, store=store),
        lambda: v.withdraw_dot(JID, refs["irritant"], ANIM, store=store),
        lambda: v.phone_cast(JID, code, TOKEN, refs["break"], store=store),
        lambda: v.phone_withdraw(JID, code, TOKEN, refs["break"], store=store),
    ):
        with pytest.raises(v.VoteClosedError, match="closed"):
            vote()
    assert v.vote_tally(JID, store=store) == {refs["irritant"]: 1}
    assert v.open_vote(JID, store=store).voting is True


def test_a_journey_starts_with_its_vote_closed(store, sample_journey):
    services.import_document(sample_journey.model_copy(update={"id": "neuf"}), store=store)
    ref = services.get_journey_for_edit("neuf", store=store).finding_refs["codes"][0].id
    assert presenting.workshop_state("neuf", store=store).voting is False
    with pytest.raises(v.VoteClosedError):
        v.cast_dot("neuf", ref, ANIM, store=store)


def test_a_finding_in_the_trash_gives_its_dots_back_and_gets_them_again_when_restored(store, refs):
    v.set_dots_per_voter(JID, 2, store=store)
    v.cast_dot(JID, refs["break"], ANIM, store=store)
    v.cast_dot(JID, refs["break"], ANIM, store=store)

    services.delete_finding(refs["break"], store=store)
    assert v.vote_tally(JID, store=store) == {}
    assert v.dots_left(JID, ANIM, store=store) == 2
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)  # one spent elsewhere meanwhile

    services.restore_finding(refs["break"], store=store)
    assert v.vote_tally(JID, store=store) == {refs["break"]: 2, refs["irritant"]: 1}
    assert v.dots_left(JID, ANIM, store=store) == 0  # over N: no more until one comes back
    with pytest.raises(v.NoDotsLeftError):
        v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.withdraw_dot(JID, refs["break"], ANIM, store=store)
    v.withdraw_dot(JID, refs["break"], ANIM, store=store)
    assert v.cast_dot(JID, refs["irritant"], ANIM, store=store) == 0


def test_a_touchpoint_in_the_trash_takes_its_findings_dots_out_of_the_tally(store, refs):
    v.cast_dot(JID, refs["break"], ANIM, store=store)
    services.delete_touchpoint(JID, "codes", store=store)
    assert v.vote_tally(JID, store=store) == {}
    services.restore_touchpoint(JID, "codes", store=store)
    assert v.vote_tally(JID, store=store) == {refs["break"]: 1}


def test_lowering_n_below_what_a_voter_spent_leaves_them_no_dot(store, refs):
    for _ in range(4):
        v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.set_dots_per_voter(JID, 2, store=store)
    assert v.dots_left(JID, ANIM, store=store) == 0
    with pytest.raises(v.NoDotsLeftError):
        v.cast_dot(JID, refs["break"], ANIM, store=store)


@pytest.mark.parametrize("dots", [0, v.DOTS_MAX + 1, -1, True, 2.0])
def test_dots_per_voter_go_from_one_to_twenty(store, refs, dots):
    with pytest.raises(ValueError, match="1 to 20 dots"):
        v.set_dots_per_voter(JID, dots, store=store)


def test_clearing_the_votes_starts_a_new_round(store, refs):
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.cast_dot(JID, refs["break"], ANIM, store=store)
    assert v.clear_votes(JID, store=store) == 2
    assert v.vote_tally(JID, store=store) == {}
    assert v.dots_left(JID, ANIM, store=store) == 5


def test_every_vote_moves_the_workshop_revision_the_screens_watch(store, refs):
    start = presenting.workshop_revision(JID, store=store)
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    v.withdraw_dot(JID, refs["irritant"], ANIM, store=store)
    v.set_dots_per_voter(JID, 3, store=store)
    v.close_vote(JID, store=store)
    assert presenting.workshop_revision(JID, store=store) == start + 4


# --- phones ----------------------------------------------------------------------------------


def test_a_phone_votes_with_the_join_code_only(store, refs, code):
    for wrong in (None, "", "ZZZZZZ"):
        with pytest.raises(p.JoinCodeError):
            v.phone_cast(JID, wrong, TOKEN, refs["irritant"], store=store)
        with pytest.raises(p.JoinCodeError):
            v.phone_ballot(JID, wrong, TOKEN, store=store)
        assert v.ballot_signature(JID, wrong, store=store) is None
    p.rotate_join_code(JID, store=store)
    with pytest.raises(p.JoinCodeError):
        v.phone_cast(JID, code, TOKEN, refs["irritant"], store=store)
    assert v.vote_tally(JID, store=store) == {}


@pytest.mark.parametrize("token", ["", "court", "a" * 65, "facilitator:local", "é" * 10, None])
def test_a_phone_votes_only_as_a_phone_with_a_token_it_was_given(store, refs, code, token):
    with pytest.raises(ValueError, match="token"):
        v.phone_cast(JID, code, token, refs["irritant"], store=store)


def test_a_participant_without_rights_votes_from_the_phone_but_not_as_the_facilitator(
    store, refs, code
):
    participant = store.as_actor(Actor("participant", Role.PARTICIPANT))
    assert v.phone_cast(JID, code, TOKEN, refs["irritant"], store=participant) == 4
    for call in (
        lambda: v.cast_dot(JID, refs["irritant"], ANIM, store=participant),
        lambda: v.vote_tally(JID, store=participant),
        lambda: v.open_vote(JID, store=participant),
        lambda: v.set_dots_per_voter(JID, 9, store=participant),
    ):
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CONTRIBUTOR])
def test_only_those_who_may_edit_run_the_vote_others_read_the_tally(store, refs, role):
    other = store.as_actor(Actor("quelqu'un", role))
    for call in (
        lambda: v.cast_dot(JID, refs["irritant"], ANIM, store=other),
        lambda: v.withdraw_dot(JID, refs["irritant"], ANIM, store=other),
        lambda: v.open_vote(JID, store=other),
        lambda: v.close_vote(JID, store=other),
        lambda: v.set_dots_per_voter(JID, 3, store=other),
        lambda: v.clear_votes(JID, store=other),
    ):
        with pytest.raises(PermissionDenied):
            call()
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    assert v.vote_tally(JID, store=other) == {refs["irritant"]: 1}
    assert v.dots_left(JID, ANIM, store=other) == 4


def test_a_phones_ballot_lists_irritants_and_breaks_by_moment_with_its_own_dots_only(
    store, refs, code
):
    v.cast_dot(JID, refs["break"], ANIM, store=store)
    v.phone_cast(JID, code, TOKEN, refs["irritant"], store=store)
    v.phone_cast(JID, code, TOKEN, refs["irritant"], store=store)

    ballot = v.phone_ballot(JID, code, TOKEN, store=store)

    assert (ballot.open, ballot.dots, ballot.left) == (True, 5, 3)
    assert [m.id for m in ballot.moments] == ["souscription"]
    found = ballot.moments[0].findings
    assert [(f.ref, f.type, f.mine, f.total) for f in found] == [
        (refs["irritant"], FindingType.IRRITANT, 2, None),  # web, before email
        (refs["break"], FindingType.BREAK, 0, None),  # the facilitator's dot is not shown
    ]
    assert (found[0].touchpoint, found[0].channel) == ("Formulaire", "Site web")
    assert found[0].text.startswith("Codes reçus le lundi")

    facilitator = v.ballot(JID, ANIM, store=store)
    totals = [(f.ref, f.mine, f.total) for m in facilitator.moments for f in m.findings]
    assert totals == [(refs["irritant"], 0, 2), (refs["break"], 1, 1)]


def test_the_phones_signature_changes_when_the_vote_opens_or_the_journey_changes_not_on_dots(
    store, refs, code
):
    before = v.ballot_signature(JID, code, store=store)
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    assert v.ballot_signature(JID, code, store=store) == before
    v.close_vote(JID, store=store)
    closed = v.ballot_signature(JID, code, store=store)
    assert closed != before
    services.delete_finding(refs["break"], store=store)
    assert v.ballot_signature(JID, code, store=store) != closed


def test_voter_ids_are_checked(store, refs):
    assert v.facilitator_voter(store.as_actor(Actor("Léa", Role.FACILITATOR))) == (
        "facilitator:Léa"
    )
    for bad in ("", " ", "x" * 121, "facilitator:a\x00b"):
        with pytest.raises(ValueError, match="voter id"):
            v.cast_dot(JID, refs["irritant"], bad, store=store)
    assert len(v.new_participant_token()) >= 16
    assert v.new_participant_token() != v.new_participant_token()


def test_the_vote_of_an_unknown_journey_is_not_found(store):
    with pytest.raises(NotFoundError):
        v.vote_tally("inconnu", store=store)
    with pytest.raises(NotFoundError):
        v.open_vote("inconnu", store=store)


def test_many_taps_at_once_never_spend_more_than_n_dots(store, refs, code):
    """Twelve taps of one phone at the same instant (and twelve of another) on a vote of five
    dots: five of each count, the others are refused."""

    def tap(token: str) -> str:
        try:
            v.phone_cast(JID, code, token, refs["irritant"], store=store)
        except v.NoDotsLeftError:
            return "refused"
        except StoreError as error:  # pragma: no cover - shown if it ever happens
            return repr(error)
        return "counted"

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(tap, [TOKEN, OTHER] * 12))

    assert results.count("counted") == 10 and results.count("refused") == 14
    assert v.vote_tally(JID, store=store) == {refs["irritant"]: 10}
    assert v.dots_left(JID, v.participant_voter(TOKEN), store=store) == 0


def test_replacing_the_journeys_content_makes_new_findings_without_dots(store, refs):
    """A snapshot restored writes the findings anew: their dots go, the vote stays open."""
    snapshot = services.snapshot_journey(JID, "avant le vote", store=store)
    v.cast_dot(JID, refs["irritant"], ANIM, store=store)
    presenting.set_presenting(JID, "souscription", store=store)

    services.restore_snapshot(snapshot.id, store=store)

    assert v.vote_tally(JID, store=store) == {}
    assert v.dots_left(JID, ANIM, store=store) == 5
    state = presenting.workshop_state(JID, store=store)
    assert (state.voting, state.presenting) == (True, None)

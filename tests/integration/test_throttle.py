"""Sign-in throttling on the real store (SQLite and PostgreSQL): wrong passwords and join codes
back off per client and per journey, notes have a rate per participant, and the counts are the
store's, so every app process on the workspace sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner

from journeys import services, throttle
from journeys.cli.main import app as cli
from journeys.roles import hash_password, verify_password
from journeys.store.db import open_store
from journeys.store.tables import utcnow
from journeys.workshop import participants as p
from tests.integration.conftest import build_journey

HASH = hash_password("atelier")


def test_wrong_passwords_back_off_then_the_right_one_goes_after_the_wait(store):
    now = utcnow()
    for _ in range(throttle.SIGN_IN.free):
        assert not throttle.sign_in("mauvais", HASH, client="10.0.0.7", store=store, now=now)
    with pytest.raises(throttle.Throttled) as refused:  # even the right one: it is not tried
        throttle.sign_in("atelier", HASH, client="10.0.0.7", store=store, now=now)
    assert refused.value.seconds >= 1
    assert throttle.sign_in("atelier", HASH, client="10.0.0.8", store=store, now=now)  # another

    later = now + timedelta(seconds=refused.value.seconds)
    assert throttle.sign_in("atelier", HASH, client="10.0.0.7", store=store, now=later)
    for _ in range(throttle.SIGN_IN.free):  # a success forgets the failures
        assert not throttle.sign_in("mauvais", HASH, client="10.0.0.7", store=store, now=later)


def test_each_further_failure_waits_longer(store):
    now = utcnow()
    waits = []
    for _ in range(throttle.SIGN_IN.free + 3):
        try:
            throttle.sign_in("mauvais", HASH, client="10.0.0.7", store=store, now=now)
        except throttle.Throttled as refused:
            waits.append(refused.seconds)
            now += timedelta(seconds=refused.seconds)
            throttle.sign_in("mauvais", HASH, client="10.0.0.7", store=store, now=now)
    assert waits == sorted(waits) and len(set(waits)) == len(waits) > 1


def test_two_app_processes_on_one_workspace_share_the_counts(store):
    other = open_store(store.url)  # a second process: its own engine and pool
    try:
        now = utcnow()
        for _ in range(throttle.SIGN_IN.free):
            throttle.sign_in("mauvais", HASH, client="10.0.0.7", store=store, now=now)
        with pytest.raises(throttle.Throttled):
            throttle.sign_in("atelier", HASH, client="10.0.0.7", store=other, now=now)
    finally:
        other.dispose()


def _workshop(store) -> str:
    services.import_document(build_journey(), store=store)
    return p.open_workshop("premier-abonnement", store=store)


def test_wrong_join_codes_back_off_per_client(store):
    code = _workshop(store)
    for _ in range(throttle.JOIN_CLIENT.free):
        assert not p.check_join_code("premier-abonnement", "ZZZ999", store=store, client="c1")
    with pytest.raises(p.Throttled):
        p.capture_form("premier-abonnement", code, store=store, client="c1")
    with pytest.raises(p.Throttled):
        p.find_workshop(code, store=store, client="c1")
    assert p.capture_form("premier-abonnement", code, store=store, client="c2").title


def test_wrong_join_codes_from_many_clients_back_off_on_the_journey(store):
    code = _workshop(store)
    for n in range(throttle.JOIN_JOURNEY.free):
        assert not p.check_join_code("premier-abonnement", "ZZZ999", store=store, client=f"c{n}")
    with pytest.raises(p.Throttled):
        p.check_join_code("premier-abonnement", code, store=store, client="newcomer")
    # a participant whose code this session already proved is not guessing: not held up
    assert p.capture_form("premier-abonnement", code, store=store).title


def test_a_participant_sends_at_most_ten_notes_a_minute(store):
    code = _workshop(store)
    note = p.NoteDraft(type="irritant", text="Trop long", moment="souscription", channel="web")
    for _ in range(throttle.NOTES.limit):
        p.submit_note("premier-abonnement", code, note, store=store, client="phone-1")
    with pytest.raises(p.Throttled) as refused:
        p.submit_note("premier-abonnement", code, note, store=store, client="phone-1")
    assert 1 <= refused.value.seconds <= 60
    p.submit_note("premier-abonnement", code, note, store=store, client="phone-2")
    assert len(p.list_notes("premier-abonnement", store=store)) == throttle.NOTES.limit + 1


@pytest.mark.parametrize("typed", ["", "   ", "\t"])
def test_hash_password_refuses_an_empty_or_blank_password(typed):
    result = CliRunner().invoke(cli, ["hash-password", "--password", typed])
    assert result.exit_code != 0
    assert "scrypt$" not in result.output
    assert "empty" in result.output
    with pytest.raises(ValueError):
        hash_password(typed)


def test_hash_password_hashes_a_real_password():
    result = CliRunner().invoke(cli, ["hash-password"], input="atelier\natelier\n")
    assert result.exit_code == 0, result.output
    assert verify_password("atelier", result.output.strip().splitlines()[-1])

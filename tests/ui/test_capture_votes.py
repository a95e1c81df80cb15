"""The participants' phone page while the vote is open (AppTest): the irritants and breaks by
moment, a + and a − on each, the dots left; the vote counted in the store; the note being
written kept aside; nothing to vote on once the vote is closed; French and English."""

from __future__ import annotations

from journeys import services
from journeys.contract.model import Finding, FindingType
from journeys.workshop import participants as p
from journeys.workshop import votes as v
from tests.ui.helpers import new_app, run, texts

JOURNEY = "premier-abonnement"
HOSTILE = "**Gras** <b>balise</b> [lien](http://x.test) :red[rouge]"


def _capture(code: str, lang: str = "fr", journey: str = JOURNEY, **params: str):
    at = new_app()
    at.query_params.update({"lang": lang})
    run(at)
    at.query_params.update({"lang": lang, "j": journey, "code": code, **params})
    at.switch_page("pages/capture/page.py")
    return run(at)


def _plus_keys(at) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith("capture_vote_plus_")]


def _refs(workspace) -> dict[str, int]:
    editable = services.get_journey_for_edit(JOURNEY, store=workspace)
    return {
        f.text: ref.id
        for tp in editable.journey.touchpoints
        for ref, f in zip(editable.finding_refs[tp.id], tp.findings, strict=True)
    }


def test_while_the_vote_is_open_a_phone_spends_its_dots_and_sees_how_many_are_left(workspace):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    code = p.open_workshop(JOURNEY, store=workspace)
    journey = services.get_journey(JOURNEY, store=workspace)
    problems = [
        f for tp in journey.touchpoints for f in tp.findings if f.type is not FindingType.DELIGHT
    ]
    v.open_vote(JOURNEY, store=workspace)

    at = _capture(code)

    shown = texts(at)
    assert "Votez pour les problèmes à traiter d'abord" in shown
    assert "Il vous reste 5 gommettes sur 5" in shown
    assert len(_plus_keys(at)) == len(problems)
    for finding in problems:
        assert finding.text in shown
    delights = [f.text for tp in journey.touchpoints for f in tp.findings if f not in problems]
    assert not any(text in shown for text in delights)
    moments = [m.label for m in journey.moments]
    assert shown.index(moments[0]) < shown.index(moments[1])  # grouped by moment, in order

    first, second = _plus_keys(at)[:2]
    at = run(at.button(key=first).click())
    at = run(at.button(key=first).click())
    at = run(at.button(key=second).click())
    assert "Il vous reste 2 gommettes sur 5" in texts(at)
    ref = int(first.rsplit("_", 1)[1])
    assert v.vote_tally(JOURNEY, store=workspace) == {ref: 2, int(second.rsplit("_", 1)[1]): 1}

    at = run(at.button(key=f"capture_vote_minus_{ref}").click())
    assert v.vote_tally(JOURNEY, store=workspace)[ref] == 1
    at = run(at.button(key=second).click())
    at = run(at.button(key=second).click())
    at = run(at.button(key=second).click())
    assert "Vos 5 gommettes sont posées" in texts(at)
    assert all(at.button(key=key).disabled for key in _plus_keys(at))
    assert sum(v.vote_tally(JOURNEY, store=workspace).values()) == 5


def test_the_phone_keeps_its_dots_on_a_reload_of_its_address(workspace):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    code = p.open_workshop(JOURNEY, store=workspace)
    v.open_vote(JOURNEY, store=workspace)
    at = _capture(code)
    at = run(at.button(key=_plus_keys(at)[0]).click())
    token = at.query_params["v"]
    token = token[0] if isinstance(token, list) else token

    again = _capture(code, v=token)
    assert "Il vous reste 4 gommettes sur 5" in texts(again)


def test_a_finding_is_shown_as_text_never_as_markdown(workspace):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    tp = services.get_journey(JOURNEY, store=workspace).touchpoints[0]
    finding = Finding(type=FindingType.BREAK, intensity=3, text=HOSTILE)
    services.add_finding(JOURNEY, tp.id, finding, store=workspace)
    code = p.open_workshop(JOURNEY, store=workspace)
    v.open_vote(JOURNEY, store=workspace)

    at = _capture(code)

    assert HOSTILE in texts(at)
    assert any(e.value.endswith(HOSTILE) for e in at.text)  # shown as typed, as text
    assert not any(HOSTILE in m.value for m in at.markdown)


def test_a_phone_writes_a_note_during_the_vote_and_finds_it_again(workspace):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    code = p.open_workshop(JOURNEY, store=workspace)
    at = _capture(code)
    at.text_area(key="capture_text").set_value("Ma note en cours")
    at = run(at)

    v.open_vote(JOURNEY, store=workspace)
    at = run(at)  # the page reruns (the watch sees the vote open)
    assert "Il vous reste 5 gommettes sur 5" in texts(at)
    assert not [t for t in at.text_area if t.key == "capture_text"]

    at.button_group(key="capture_mode").set_value("note")
    at = run(at)
    assert at.text_area(key="capture_text").value == "Ma note en cours"
    assert not _plus_keys(at)


def test_once_the_vote_is_closed_the_phone_says_so_and_shows_the_note_form(workspace):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    code = p.open_workshop(JOURNEY, store=workspace)
    v.open_vote(JOURNEY, store=workspace)
    at = _capture(code)
    key = _plus_keys(at)[0]

    v.close_vote(JOURNEY, store=workspace)
    at = run(at.button(key=key).click())

    assert "Le vote est clos, merci" in texts(at)
    assert not _plus_keys(at)
    assert [t for t in at.text_area if t.key == "capture_text"]
    assert v.vote_tally(JOURNEY, store=workspace) == {}


def test_the_vote_speaks_english_on_an_english_phone(workspace):
    services.create_from_template("first_subscription.en.journey", store=workspace)
    journey_id = services.list_journeys(store=workspace)[0].id
    code = p.open_workshop(journey_id, store=workspace)
    v.open_vote(journey_id, store=workspace)
    at = _capture(code, "en", journey_id)

    shown = texts(at)
    assert "Vote for the problems to fix first" in shown
    assert "5 dots left of 5" in shown
    assert "gommette" not in shown

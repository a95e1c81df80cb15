"""Mystery-shopper visits: strict models, findings sourced to the visit, fit with a journey."""

from __future__ import annotations

from datetime import datetime

import pytest
from pydantic import ValidationError

from journeys.contract.model import FindingType, Journey, Source
from journeys.visits.model import (
    Observation,
    Photo,
    Visit,
    VisitStatus,
    observation_to_finding,
    touchpoint_for,
    visit_problems,
)

SHA = "a" * 64


def journey() -> Journey:
    return Journey.model_validate(
        {
            "id": "renouvellement",
            "title": "Renouvellement",
            "moments": [{"id": "pre-renouvellement", "label": "Pré-renouvellement"}],
            "channels": [{"id": "email", "label": "Email"}, {"id": "sms", "label": "SMS"}],
            "touchpoints": [
                {
                    "id": "relance-1",
                    "moment": "pre-renouvellement",
                    "channel": "email",
                    "label": "R1",
                },
                {
                    "id": "relance-2",
                    "moment": "pre-renouvellement",
                    "channel": "email",
                    "label": "R2",
                },
                {
                    "id": "sms-echeance",
                    "moment": "pre-renouvellement",
                    "channel": "sms",
                    "label": "S",
                },
            ],
        }
    )


def observation(**changes) -> Observation:
    data = {"moment": "pre-renouvellement", "channel": "sms", "type": "irritant", "text": "Rien"}
    return Observation.model_validate(data | changes)


def visit(*observations: Observation) -> Visit:
    return Visit(
        id="visite-1",
        journey="renouvellement",
        visited_at=datetime(2024, 3, 5, 14, 30),
        shopper="Marie D.",
        observations=list(observations),
    )


def test_a_new_visit_is_a_draft_and_an_observation_has_marked_intensity_by_default():
    assert visit().status is VisitStatus.DRAFT
    assert observation().intensity == 2


def test_observation_holds_rating_wait_verbatim_and_photo_references():
    photo = Photo(file_name="caisse.jpg", sha256=SHA, content_type="image/jpeg")
    obs = observation(rating=4, wait_minutes=3.5, verbatim="« Enfin ! »", photos=[photo])
    assert Observation.model_validate_json(obs.model_dump_json()) == obs


@pytest.mark.parametrize(
    "changes",
    [
        {"rating": 0},
        {"rating": 6},
        {"wait_minutes": -1},
        {"wait_minutes": float("nan")},
        {"intensity": 4},
        {"type": "bonheur"},
        {"text": ""},
        {"moment": "Pré renouvellement"},
        {"colour": "red"},
        {"photos": [{"file_name": "x.jpg", "sha256": "xyz", "content_type": "image/jpeg"}]},
    ],
)
def test_observation_refuses_values_outside_the_contract(changes):
    with pytest.raises(ValidationError):
        observation(**changes)


def test_visit_refuses_unknown_fields_and_unknown_status():
    data = visit().model_dump() | {"status": "archived"}
    with pytest.raises(ValidationError):
        Visit.model_validate(data)
    with pytest.raises(ValidationError):
        Visit.model_validate(visit().model_dump() | {"weather": "rain"})


def test_observation_to_finding_sources_the_finding_to_the_visit():
    finding = observation_to_finding(observation(type="break", intensity=3), "visite-1")
    assert finding.type is FindingType.BREAK and finding.intensity == 3
    assert finding.source is Source.MYSTERY_SHOPPER and finding.visit == "visite-1"
    assert finding.text == "Rien"


def test_touchpoint_for_uses_the_named_touchpoint_or_the_only_one_of_the_cell():
    j = journey()
    assert touchpoint_for(observation(), j).id == "sms-echeance"
    assert touchpoint_for(observation(channel="email"), j) is None
    assert touchpoint_for(observation(channel="email", touchpoint="relance-2"), j).id == "relance-2"


def test_visit_problems_lists_unknown_ids_and_a_touchpoint_off_its_cell():
    bad = visit(
        observation(moment="resiliation"),
        observation(channel="email", touchpoint="sms-echeance"),
        observation(touchpoint="nulle-part"),
    )
    messages = [(p.path, p.message) for p in visit_problems(bad, journey())]
    assert [path for path, _ in messages] == [
        ("observations", 0, "moment"),
        ("observations", 1, "touchpoint"),
        ("observations", 2, "touchpoint"),
    ]
    assert "is at pre-renouvellement × sms" in messages[1][1]


def test_a_visit_that_fits_its_journey_has_no_problems():
    assert visit_problems(visit(observation()), journey()) == []

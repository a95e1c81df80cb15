"""The board's fine-grained edits: each one versioned, each one leaving a valid journey."""

from __future__ import annotations

import pytest

from journeys import services
from journeys.contract.model import (
    Channel,
    Finding,
    FindingType,
    Flow,
    Moment,
    Objective,
    Touchpoint,
)
from journeys.errors import DuplicateIdError, InvalidReferenceError, NotFoundError


@pytest.fixture
def journey_id(store, sample_journey) -> str:
    services.import_document(sample_journey, store=store)
    return sample_journey.id


def _journey(store, journey_id):
    return services.get_journey(journey_id, store=store)


def test_a_moment_added_at_a_position_shifts_the_others_right(store, journey_id):
    version = services.add_moment(
        journey_id, Moment(id="bienvenue", label="Bienvenue"), store=store, position=1
    )

    assert version == 1
    assert [m.id for m in _journey(store, journey_id).moments] == [
        "decouverte",
        "bienvenue",
        "souscription",
    ]


def test_a_moment_id_already_live_is_refused(store, journey_id):
    with pytest.raises(DuplicateIdError, match="moment 'decouverte' already exists"):
        services.add_moment(journey_id, Moment(id="decouverte", label="Bis"), store=store)


def test_renaming_a_moment_id_carries_its_touchpoints_along(store, journey_id):
    editable = services.get_journey_for_edit(journey_id, store=store)
    version = editable.moment_versions["souscription"]

    new = services.update_moment(
        journey_id,
        "souscription",
        Moment(id="adhesion", label="Adhésion", key=True),
        store=store,
        expected_version=version,
    )

    journey = _journey(store, journey_id)
    assert new == version + 1
    assert journey.moments[1] == Moment(id="adhesion", label="Adhésion", key=True)
    assert {t.id: t.moment for t in journey.touchpoints}["formulaire"] == "adhesion"


def test_moving_moments_and_channels_reorders_without_touching_other_versions(store, journey_id):
    services.move_moment(journey_id, "souscription", 0, store=store, expected_version=1)
    services.move_channel(journey_id, "web", 5, store=store)

    journey = _journey(store, journey_id)
    editable = services.get_journey_for_edit(journey_id, store=store)
    assert [m.id for m in journey.moments] == ["souscription", "decouverte"]
    assert [c.id for c in journey.channels] == ["email", "web"]
    assert editable.moment_versions == {"souscription": 2, "decouverte": 1}
    assert editable.channel_versions == {"email": 1, "web": 2}


def test_a_channel_is_added_updated_and_deleted(store, journey_id):
    services.add_channel(journey_id, Channel(id="sms", label="SMS"), store=store)
    services.update_channel(
        journey_id,
        "sms",
        Channel(id="sms", label="Texto", description="court"),
        store=store,
        expected_version=1,
    )
    assert _journey(store, journey_id).channels[-1] == Channel(
        id="sms", label="Texto", description="court"
    )

    services.delete_channel(journey_id, "sms", store=store, expected_version=2)
    assert [c.id for c in _journey(store, journey_id).channels] == ["web", "email"]


def test_a_touchpoint_is_added_with_its_findings_and_moved_to_another_cell(store, journey_id):
    finding = Finding(type=FindingType.DELIGHT, intensity=2, text="Rapide")
    touchpoint = Touchpoint(
        id="relance", moment="decouverte", channel="email", label="Relance", findings=[finding]
    )

    services.add_touchpoint(journey_id, touchpoint, store=store)
    moved = touchpoint.model_copy(update={"moment": "souscription", "findings": []})
    services.update_touchpoint(journey_id, "relance", moved, store=store, expected_version=1)

    stored = _journey(store, journey_id).touchpoints[-1]
    assert stored == moved.model_copy(update={"findings": [finding]})


def test_a_touchpoint_pointing_to_an_unknown_moment_is_refused(store, journey_id):
    touchpoint = Touchpoint(id="x", moment="inconnu", channel="web", label="X")

    with pytest.raises(InvalidReferenceError, match="unknown moment 'inconnu'"):
        services.add_touchpoint(journey_id, touchpoint, store=store)


def test_a_touchpoint_cannot_be_moved_to_a_deleted_channel(store, journey_id, sample_journey):
    services.delete_channel(journey_id, "email", store=store)
    moved = sample_journey.touchpoints[1].model_copy(update={"channel": "email"})

    with pytest.raises(InvalidReferenceError, match="unknown channel 'email'"):
        services.update_touchpoint(journey_id, "pub", moved, store=store, expected_version=1)


def test_findings_are_added_at_the_end_and_get_their_own_handles(store, journey_id):
    finding = Finding(type=FindingType.IRRITANT, intensity=1, text="Lent")

    row_id = services.add_finding(journey_id, "pub", finding, store=store)

    editable = services.get_journey_for_edit(journey_id, store=store)
    assert editable.journey.touchpoints[1].findings == [finding]
    assert [(r.id, r.version) for r in editable.finding_refs["pub"]] == [(row_id, 1)]
    assert len(editable.finding_refs["formulaire"]) == 2


def test_a_finding_for_an_unknown_touchpoint_is_refused(store, journey_id):
    finding = Finding(type=FindingType.IRRITANT, intensity=1, text="Lent")

    with pytest.raises(NotFoundError, match="touchpoint 'absent'"):
        services.add_finding(journey_id, "absent", finding, store=store)


def test_flows_are_added_and_deleted_between_live_touchpoints(store, journey_id, sample_journey):
    services.add_flow(journey_id, Flow(from_="codes", to="pub", label="retour"), store=store)
    assert _journey(store, journey_id).flows[-1] == Flow(from_="codes", to="pub", label="retour")

    assert services.delete_flow(journey_id, "pub", "formulaire", store=store) == 2
    assert [(f.from_, f.to) for f in _journey(store, journey_id).flows] == [
        ("formulaire", "codes"),
        ("codes", "pub"),
    ]
    with pytest.raises(InvalidReferenceError):
        services.add_flow(journey_id, Flow(from_="pub", to="absent"), store=store)


def test_a_flow_is_marked_as_a_break_in_place(store, journey_id):
    changed = services.update_flow(
        journey_id, Flow(from_="pub", to="formulaire", break_=True, label="perdu"), store=store
    )

    flows = _journey(store, journey_id).flows
    assert changed == 2
    assert flows[0] == flows[2] == Flow(from_="pub", to="formulaire", break_=True, label="perdu")
    assert flows[1].from_ == "formulaire"


def test_journey_header_fields_are_updated_and_validated(store, journey_id):
    version = services.update_journey_info(
        journey_id,
        {"persona": "Senior", "objectives": ["basket"], "state": "target"},
        store=store,
        expected_version=1,
    )

    journey = _journey(store, journey_id)
    assert version == 2
    assert (journey.persona, journey.objectives, journey.state) == (
        "Senior",
        [Objective.BASKET],
        "target",
    )
    with pytest.raises(ValueError):
        services.update_journey_info(journey_id, {"language": "français"}, store=store)
    with pytest.raises(ValueError, match="moments"):
        services.update_journey_info(journey_id, {"moments": []}, store=store)


def test_edits_to_a_journey_in_the_trash_are_refused(store, journey_id):
    services.delete_journey(journey_id, store=store)

    with pytest.raises(NotFoundError, match="journey 'premier-abonnement'"):
        services.add_moment(journey_id, Moment(id="tard", label="Tard"), store=store)


def test_every_edit_moves_the_journey_updated_at_forward(store, journey_id):
    before = services.list_journeys(store=store)[0].updated_at

    services.add_finding(
        journey_id, "pub", Finding(type=FindingType.BREAK, intensity=3, text="!"), store=store
    )

    summary = services.list_journeys(store=store)[0]
    assert summary.updated_at > before and summary.version == 1

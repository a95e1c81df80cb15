"""Named snapshots, restoring one without losing the present, and deriving a target journey."""

from __future__ import annotations

import pytest

from journeys import services
from journeys.contract.model import JourneyState, Moment
from journeys.contract.yaml_io import dump_document
from journeys.errors import DuplicateIdError, NotFoundError


def test_restoring_a_snapshot_brings_back_its_content_and_keeps_the_present(store, sample_journey):
    services.import_document(sample_journey, store=store)
    saved = services.snapshot_journey(sample_journey.id, "avant atelier", store=store)
    services.add_moment(
        sample_journey.id, Moment(id="renouvellement", label="Renouvellement"), store=store
    )
    services.rename_journey(sample_journey.id, "Après l'atelier", store=store)
    present = services.get_journey(sample_journey.id, store=store)

    restored = services.restore_snapshot(saved.id, store=store)

    assert restored == sample_journey
    assert services.get_journey(sample_journey.id, store=store) == sample_journey
    latest, original = services.list_snapshots(sample_journey.id, store=store)
    assert original.name == "avant atelier"
    assert latest.name.startswith("before restore of “avant atelier”")
    assert services.snapshot_yaml(latest.id, store=store) == dump_document(present)


def test_a_snapshot_keeps_the_canonical_yaml_of_the_journey(store, sample_journey):
    services.import_document(sample_journey, store=store)

    saved = services.snapshot_journey(sample_journey.id, "v1", store=store)

    assert (saved.journey_id, saved.name) == (sample_journey.id, "v1")
    assert services.snapshot_yaml(saved.id, store=store) == dump_document(sample_journey)


def test_restoring_an_unknown_snapshot_is_refused(store):
    with pytest.raises(NotFoundError, match="snapshot '999'"):
        services.restore_snapshot(999, store=store)


def test_duplicating_as_target_derives_a_to_be_journey_from_the_as_is(store, sample_journey):
    services.import_document(sample_journey, store=store)

    target = services.duplicate_journey(
        sample_journey.id,
        store=store,
        new_id="premier-abonnement-cible",
        title="Cible",
        as_target=True,
    )

    assert (target.state, target.derived_from, target.title) == (
        JourneyState.TARGET,
        sample_journey.id,
        "Cible",
    )
    assert target.touchpoints == sample_journey.touchpoints
    assert services.get_journey("premier-abonnement-cible", store=store) == target
    (summary,) = services.list_journeys(store=store, state="target")
    assert summary.derived_from == sample_journey.id
    assert services.get_journey(sample_journey.id, store=store) == sample_journey


def test_a_plain_duplicate_keeps_state_and_origin(store, sample_journey):
    services.import_document(sample_journey, store=store)

    copy = services.duplicate_journey(sample_journey.id, store=store, new_id="copie")

    assert copy == sample_journey.model_copy(update={"id": "copie"})


def test_duplicating_onto_a_taken_id_is_refused(store, sample_journey):
    services.import_document(sample_journey, store=store)

    with pytest.raises(DuplicateIdError):
        services.duplicate_journey(sample_journey.id, store=store, new_id=sample_journey.id)

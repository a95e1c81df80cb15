"""Deleting never loses anything: journeys, programs, moments, channels, touchpoints, findings."""

from __future__ import annotations

import pytest

from journeys import services
from journeys.errors import NotFoundError, RestoreConflictError


def test_a_deleted_journey_leaves_the_list_and_comes_back_intact(store, sample_journey):
    services.import_document(sample_journey, store=store)

    services.delete_journey(sample_journey.id, store=store)

    assert services.list_journeys(store=store) == []
    assert services.journey_titles(store=store) == []
    assert services.list_journeys(store=store, include_deleted=True)[0].deleted_at is not None
    with pytest.raises(NotFoundError):
        services.get_journey(sample_journey.id, store=store)
    (item,) = services.list_trash(store=store)
    assert (item.kind, item.item_id, item.label) == (
        "journey",
        sample_journey.id,
        sample_journey.title,
    )

    services.restore_journey(sample_journey.id, store=store)

    assert services.get_journey(sample_journey.id, store=store) == sample_journey
    assert services.journey_titles(store=store) == [
        (sample_journey.id, sample_journey.title, sample_journey.state)
    ]
    assert services.list_trash(store=store) == []


def test_a_deleted_program_comes_back_from_the_trash(store, sample_program):
    services.import_document(sample_program, store=store)
    services.delete_program(sample_program.id, store=store)
    assert services.list_programs(store=store) == []

    (item,) = services.list_trash(store=store)
    services.restore_trash_item(item, store=store)

    assert services.get_program(sample_program.id, store=store) == sample_program


def test_restoring_a_journey_not_in_the_trash_is_refused(store, sample_journey):
    services.import_document(sample_journey, store=store)

    with pytest.raises(NotFoundError, match="not found in the trash"):
        services.restore_journey(sample_journey.id, store=store)


def test_deleting_a_moment_takes_its_touchpoints_and_their_flows_to_the_trash(
    store, sample_journey
):
    services.import_document(sample_journey, store=store)

    services.delete_moment(sample_journey.id, "souscription", store=store, expected_version=1)

    journey = services.get_journey(sample_journey.id, store=store)
    assert [m.id for m in journey.moments] == ["decouverte"]
    assert [t.id for t in journey.touchpoints] == ["pub"]
    assert journey.flows == []
    trash = services.list_trash(store=store)
    assert [(i.kind, i.item_id) for i in trash] == [("moment", "souscription")]

    services.restore_trash_item(trash[0], store=store)

    assert services.get_journey(sample_journey.id, store=store) == sample_journey


def test_restoring_a_channel_leaves_touchpoints_whose_moment_is_still_deleted(
    store, sample_journey
):
    services.import_document(sample_journey, store=store)
    services.delete_channel(sample_journey.id, "web", store=store)
    services.delete_moment(sample_journey.id, "souscription", store=store)

    services.restore_channel(sample_journey.id, "web", store=store)
    assert [t.id for t in services.get_journey(sample_journey.id, store=store).touchpoints] == [
        "pub"
    ]

    services.restore_moment(sample_journey.id, "souscription", store=store)
    restored = services.get_journey(sample_journey.id, store=store)
    assert [t.id for t in restored.touchpoints] == ["pub", "codes"]  # formulaire: with the channel
    (item,) = services.list_trash(store=store)
    assert (item.kind, item.item_id) == ("touchpoint", "formulaire")
    services.restore_trash_item(item, store=store)
    assert services.get_journey(sample_journey.id, store=store) == sample_journey


def test_a_deleted_touchpoint_and_its_findings_come_back(store, sample_journey):
    services.import_document(sample_journey, store=store)
    services.delete_touchpoint(sample_journey.id, "formulaire", store=store, expected_version=1)
    assert services.list_journeys(store=store)[0].irritants == 0

    services.restore_touchpoint(sample_journey.id, "formulaire", store=store)

    assert services.get_journey(sample_journey.id, store=store) == sample_journey


def test_a_touchpoint_cannot_come_back_while_its_moment_is_deleted(store, sample_journey):
    services.import_document(sample_journey, store=store)
    services.delete_touchpoint(sample_journey.id, "codes", store=store)
    services.delete_moment(sample_journey.id, "souscription", store=store)

    with pytest.raises(RestoreConflictError, match="moment 'souscription' is deleted"):
        services.restore_touchpoint(sample_journey.id, "codes", store=store)


def test_a_moment_cannot_come_back_over_a_live_moment_with_its_id(store, sample_journey):
    services.import_document(sample_journey, store=store)
    services.delete_moment(sample_journey.id, "decouverte", store=store)
    services.add_moment(sample_journey.id, sample_journey.moments[0], store=store)

    with pytest.raises(RestoreConflictError, match="live moment"):
        services.restore_moment(sample_journey.id, "decouverte", store=store)


def test_a_deleted_finding_is_listed_and_restored(store, sample_journey):
    services.import_document(sample_journey, store=store)
    ref = services.get_journey_for_edit(sample_journey.id, store=store).finding_refs["formulaire"][
        0
    ]

    services.delete_finding(ref.id, store=store, expected_version=ref.version)

    assert len(services.get_journey(sample_journey.id, store=store).touchpoints[0].findings) == 1
    (item,) = services.list_trash(store=store)
    assert (item.kind, item.row_id, item.journey_id) == ("finding", ref.id, sample_journey.id)
    services.restore_trash_item(item, store=store)
    assert services.get_journey(sample_journey.id, store=store) == sample_journey


def test_the_trash_lists_the_most_recent_deletion_first(store, sample_journey, sample_program):
    services.import_document(sample_journey, store=store)
    services.import_document(sample_program, store=store)
    services.delete_program(sample_program.id, store=store)
    services.delete_channel(sample_journey.id, "email", store=store)

    assert [i.kind for i in services.list_trash(store=store)] == ["channel", "program"]

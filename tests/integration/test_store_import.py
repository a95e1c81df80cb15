"""Import is all or nothing: a taken id or a bad document is refused and changes nothing."""

from __future__ import annotations

import pytest

from journeys import services
from journeys.contract.model import Journey
from journeys.contract.yaml_io import DocumentError, dump_document
from journeys.errors import DuplicateIdError


def _workspace(store) -> tuple:
    journeys = [
        (s.id, s.title, s.version, s.touchpoints)
        for s in services.list_journeys(store=store, include_deleted=True)
    ]
    programs = [
        (s.id, s.title, s.version)
        for s in services.list_programs(store=store, include_deleted=True)
    ]
    return journeys, programs, [services.export_yaml(j[0], store=store) for j in journeys]


def test_import_refuses_a_journey_whose_id_is_taken_and_changes_nothing(store, sample_journey):
    services.import_document(sample_journey, store=store)
    before = _workspace(store)
    other = sample_journey.model_copy(
        update={"title": "Autre titre", "touchpoints": [], "flows": []}
    )

    with pytest.raises(DuplicateIdError, match="journey 'premier-abonnement' already exists"):
        services.import_yaml(dump_document(other), store=store)

    assert _workspace(store) == before


def test_import_refuses_an_id_waiting_in_the_trash(store, sample_journey):
    services.import_document(sample_journey, store=store)
    services.delete_journey(sample_journey.id, store=store)

    with pytest.raises(DuplicateIdError, match="in the trash"):
        services.import_document(sample_journey, store=store)


def test_import_refuses_a_program_whose_id_is_taken(store, sample_program):
    services.import_document(sample_program, store=store)

    with pytest.raises(DuplicateIdError, match="program 'programme-add'"):
        services.import_document(sample_program, store=store)


def test_import_of_a_bad_document_changes_nothing(store, sample_journey):
    services.import_document(sample_journey, store=store)
    before = _workspace(store)
    broken = dump_document(sample_journey.model_copy(update={"id": "nouveau"})).replace(
        "moment: souscription", "moment: inconnu", 1
    )

    with pytest.raises(DocumentError) as refused:
        services.import_yaml(broken, store=store, source_name="atelier.yaml")

    assert "atelier.yaml" in str(refused.value)
    assert "unknown moment 'inconnu'" in str(refused.value)
    assert _workspace(store) == before


def test_import_of_malformed_yaml_changes_nothing(store):
    with pytest.raises(DocumentError):
        services.import_yaml(b"format: journeys/v1\nkind: [journey\n", store=store)

    assert services.list_journeys(store=store, include_deleted=True) == []


def test_import_with_replace_overwrites_and_keeps_the_old_content_as_a_snapshot(
    store, sample_journey
):
    services.import_document(sample_journey, store=store)
    newer = Journey(id=sample_journey.id, title="Nouvelle version", moments=[])

    services.import_yaml(dump_document(newer), store=store, replace=True)

    assert services.get_journey(sample_journey.id, store=store) == newer
    (snapshot,) = services.list_snapshots(sample_journey.id, store=store)
    assert snapshot.name.startswith("before import")
    assert services.snapshot_yaml(snapshot.id, store=store) == dump_document(sample_journey)
    (summary,) = services.list_journeys(store=store)
    assert summary.version == 2


def test_import_with_replace_brings_a_journey_back_from_the_trash(store, sample_journey):
    services.import_document(sample_journey, store=store)
    services.delete_journey(sample_journey.id, store=store)

    services.import_document(sample_journey, store=store, replace=True)

    assert services.get_journey(sample_journey.id, store=store) == sample_journey


def test_import_with_replace_overwrites_a_program(store, sample_program):
    services.import_document(sample_program, store=store)
    shorter = sample_program.model_copy(update={"links": [], "title": "Court"})

    services.import_document(shorter, store=store, replace=True)

    assert services.get_program(sample_program.id, store=store) == shorter


def test_a_journey_is_created_from_a_template_under_a_new_id(store):
    journeys = [t for t in services.list_templates() if t.kind == "journey"]
    if not journeys:
        pytest.skip("no journey template yet")

    created = services.create_from_template(
        journeys[0].file_name, store=store, new_id="atelier-client", title="Atelier client"
    )

    assert (created.id, created.title) == ("atelier-client", "Atelier client")
    assert services.get_journey("atelier-client", store=store) == created
    with pytest.raises(ValueError):
        services.create_from_template(journeys[0].file_name, store=store, new_id="Pas un slug")


def test_a_program_is_created_from_a_template_linked_to_a_journey(store):
    programs = [t for t in services.list_templates() if t.kind == "program"]
    if not programs:
        pytest.skip("no program template yet")

    created = services.create_program_from_template(
        programs[0].file_name.removesuffix(".yaml"), store=store, journey_id="atelier-client"
    )

    assert created.journey == "atelier-client"
    assert services.list_programs(store=store, journey_id="atelier-client")[0].id == created.id

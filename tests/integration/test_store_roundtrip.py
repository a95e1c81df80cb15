"""Documents go into the store and come back exactly: same model, same canonical YAML bytes."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from journeys import services
from journeys.contract.model import Journey, Program
from journeys.contract.yaml_io import dump_document, load_file
from tests.strategies import documents

TEMPLATES = sorted((Path(__file__).parents[2] / "templates_journeys").glob("*.yaml"))


def test_a_journey_using_every_field_comes_back_identical(store, sample_journey):
    services.import_document(sample_journey, store=store)

    assert services.get_journey(sample_journey.id, store=store) == sample_journey
    assert services.export_yaml(sample_journey.id, store=store) == dump_document(sample_journey)


def test_a_program_using_every_field_comes_back_identical(store, sample_program):
    services.import_document(sample_program, store=store)

    assert services.get_program(sample_program.id, store=store) == sample_program
    exported = services.export_yaml(sample_program.id, store=store, kind="program")
    assert exported == dump_document(sample_program)


def test_an_empty_journey_comes_back_identical(store):
    journey = Journey(id="vide", title="Vide")
    services.import_document(journey, store=store)

    assert services.get_journey("vide", store=store) == journey


def test_yaml_imported_then_exported_gives_the_same_bytes(store, sample_journey):
    text = dump_document(sample_journey)

    services.import_yaml(text.encode("utf-8"), store=store, source_name="sample.yaml")

    assert services.export_yaml(sample_journey.id, store=store) == text


def test_every_template_comes_back_identical_from_the_store(store):
    for path in TEMPLATES:
        document = load_file(path)
        services.import_document(document, store=store)
        kind = document.kind
        if isinstance(document, Journey):
            assert services.get_journey(document.id, store=store) == document, path.name
        else:
            assert isinstance(document, Program)
            assert services.get_program(document.id, store=store) == document, path.name
        exported = services.export_yaml(document.id, store=store, kind=kind)
        assert exported == dump_document(document), path.name


def test_a_journey_and_a_program_may_share_an_id(store, sample_journey, sample_program):
    services.import_document(sample_journey, store=store)
    program = sample_program.model_copy(update={"id": sample_journey.id})
    services.import_document(program, store=store)

    assert services.export_yaml(sample_journey.id, store=store) == dump_document(sample_journey)
    exported = services.export_yaml(sample_journey.id, store=store, kind="program")
    assert exported == dump_document(program)


def test_the_journey_list_counts_touchpoints_and_findings(store, sample_journey):
    services.import_document(sample_journey, store=store)

    (summary,) = services.list_journeys(store=store)

    assert (summary.id, summary.title, summary.derived_from) == (
        "premier-abonnement",
        "Parcours premier abonnement €",
        "ancien-parcours",
    )
    assert (summary.touchpoints, summary.delights, summary.irritants, summary.breaks) == (
        3,
        1,
        1,
        1,
    )
    assert summary.updated_at.tzinfo is not None


def test_the_journey_list_filters_by_type_and_state(store, sample_journey):
    services.import_document(sample_journey, store=store)

    assert services.list_journeys(store=store, journey_type="first_subscription")
    assert not services.list_journeys(store=store, journey_type="add_on_purchase")
    assert not services.list_journeys(store=store, state="target")


def test_the_program_list_filters_by_journey(store, sample_program):
    services.import_document(sample_program, store=store)

    (summary,) = services.list_programs(store=store, journey_id="premier-abonnement")
    assert (summary.phases, summary.steps) == (2, 4)
    assert services.list_programs(store=store, journey_id="autre") == []


def test_the_templates_folder_holds_the_four_journeys_in_two_languages_with_programs():
    names = {path.name for path in TEMPLATES}
    for journey_type in (
        "first_subscription",
        "fixed_term_renewal",
        "sepa_open_ended",
        "add_on_purchase",
    ):
        for language in ("fr", "en"):
            assert f"{journey_type}.{language}.journey.yaml" in names
            assert f"{journey_type}.{language}.program.yaml" in names


_fresh_ids = itertools.count()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=documents)
def test_random_documents_come_back_from_the_store_as_identical_bytes(store, document):
    document = document.model_copy(update={"id": f"{document.id}-{next(_fresh_ids)}"})
    text = dump_document(document)

    services.import_yaml(text, store=store, source_name="random.yaml")

    assert services.export_yaml(document.id, store=store, kind=document.kind) == text

"""Several people editing one journey at once: nobody's edit is silently lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from journeys import services
from journeys.contract.model import Finding, FindingType, Source
from journeys.errors import StaleVersionError


def _run_together(*calls):
    """Run the calls in threads released at the same instant; return (result | exception)s."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each call raised
            return exc

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_two_updates_of_one_touchpoint_from_the_same_version_let_exactly_one_win(
    store, sample_journey
):
    services.import_document(sample_journey, store=store)
    editable = services.get_journey_for_edit(sample_journey.id, store=store)
    base = editable.touchpoint_versions["formulaire"]
    touchpoint = editable.journey.touchpoints[0]
    edits = [touchpoint.model_copy(update={"label": label}) for label in ("Par Anne", "Par Ben")]

    outcomes = _run_together(
        *[
            lambda tp=tp: services.update_touchpoint(
                sample_journey.id, "formulaire", tp, store=store, expected_version=base
            )
            for tp in edits
        ]
    )

    winners = [i for i, outcome in enumerate(outcomes) if outcome == base + 1]
    losers = [o for o in outcomes if isinstance(o, StaleVersionError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    stored = services.get_journey(sample_journey.id, store=store).touchpoints[0]
    assert stored.label == edits[winners[0]].label
    assert (losers[0].expected, losers[0].current) == (base, base + 1)


def test_a_stale_update_says_what_whose_version_and_the_current_version(store, sample_journey):
    services.import_document(sample_journey, store=store)
    touchpoint = sample_journey.touchpoints[0]
    services.update_touchpoint(
        sample_journey.id, "formulaire", touchpoint, store=store, expected_version=1
    )

    with pytest.raises(StaleVersionError) as stale:
        services.update_touchpoint(
            sample_journey.id, "formulaire", touchpoint, store=store, expected_version=1
        )

    message = str(stale.value)
    assert "touchpoint 'formulaire'" in message
    assert "version 1" in message and "now at version 2" in message


def test_updating_something_deleted_meanwhile_is_stale_not_a_silent_write(store, sample_journey):
    services.import_document(sample_journey, store=store)
    services.delete_touchpoint(sample_journey.id, "codes", store=store)

    with pytest.raises(StaleVersionError, match="deleted"):
        services.update_touchpoint(
            sample_journey.id,
            "codes",
            sample_journey.touchpoints[2],
            store=store,
            expected_version=1,
        )


def test_a_rename_from_a_stale_version_is_refused(store, sample_journey):
    services.import_document(sample_journey, store=store)
    assert services.rename_journey(sample_journey.id, "A", store=store, expected_version=1) == 2

    with pytest.raises(StaleVersionError, match="journey 'premier-abonnement'"):
        services.rename_journey(sample_journey.id, "B", store=store, expected_version=1)

    assert services.get_journey(sample_journey.id, store=store).title == "A"


def test_a_finding_edited_by_two_people_from_one_version_keeps_the_first_edit(
    store, sample_journey
):
    services.import_document(sample_journey, store=store)
    ref = services.get_journey_for_edit(sample_journey.id, store=store).finding_refs["codes"][0]
    first = Finding(type=FindingType.BREAK, intensity=3, text="Vu par Anne")

    services.update_finding(ref.id, first, store=store, expected_version=ref.version)
    with pytest.raises(StaleVersionError, match=f"finding '{ref.id}'"):
        services.update_finding(
            ref.id,
            first.model_copy(update={"text": "Vu par Ben"}),
            store=store,
            expected_version=ref.version,
        )

    assert services.get_journey(sample_journey.id, store=store).touchpoints[2].findings == [first]


@pytest.mark.parametrize(
    ("people", "each"),
    [(20, 5), pytest.param(30, 200, marks=pytest.mark.slow, id="30x200")],
)
def test_many_people_adding_findings_at_once_all_get_stored(store, sample_journey, people, each):
    services.import_document(sample_journey, store=store)

    def add_findings(person: int) -> list[int]:
        return [
            services.add_finding(
                sample_journey.id,
                ("formulaire", "pub")[person % 2],
                Finding(
                    type=FindingType.IRRITANT,
                    intensity=1 + n % 3,
                    text=f"p{person}-n{n}",
                    source=Source.MYSTERY_SHOPPER,
                ),
                store=store,
            )
            for n in range(each)
        ]

    outcomes = _run_together(*[lambda p=p: add_findings(p) for p in range(people)])

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert len({i for ids in outcomes for i in ids}) == people * each
    stored = sum(j.irritants for j in services.list_journeys(store=store))
    assert stored - _irritants(sample_journey) == people * each  # e.g. exactly 6,000 of 6,000
    journey = services.get_journey(sample_journey.id, store=store)
    texts = {f.text for tp in journey.touchpoints for f in tp.findings}
    assert {f"p{p}-n{n}" for p in range(people) for n in range(each)} <= texts
    by_person = [f.text for f in journey.touchpoints[1].findings if f.text.startswith("p1-")]
    assert by_person == [f"p1-n{n}" for n in range(each)]


def _irritants(journey) -> int:
    return sum(f.type is FindingType.IRRITANT for tp in journey.touchpoints for f in tp.findings)


def test_the_commit_count_moves_after_each_committed_write_only(store, sample_journey):
    """Pages key cached reads by it: a read after a write must see a new count."""
    viewer = store.as_actor(store.actor)  # a view of the same store shares the count
    before = store.commits
    services.import_document(sample_journey, store=store)
    assert store.commits > before and viewer.commits == store.commits
    services.get_journey(sample_journey.id, store=store)  # a read is not a write
    after_write = store.commits
    assert store.commits == after_write
    with pytest.raises(RuntimeError), store.session():
        raise RuntimeError("rolled back")
    assert store.commits == after_write

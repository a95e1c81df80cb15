"""The workshop's dots order the journey PDF, read back with pypdf: the irritant the room voted
for leads the first page's problems, and a target journey's plan puts first the improvement of
the problem the room voted for on its current journey."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from journeys import services
from journeys.board.priorities import PROBLEMS, top_improvements, top_problems
from journeys.contract.model import FindingType, Journey
from journeys.contract.yaml_io import load_file
from journeys.export.services import export_download
from journeys.visits import services as vs
from journeys.workshop import participants as p
from journeys.workshop import votes as v

DAY = date(2025, 3, 14)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates_journeys"
ANIM = "facilitator:local"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _first_page(pdf: bytes) -> str:
    return _flat(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def _renewal(store) -> Journey:
    journey = load_file(TEMPLATES / "fixed_term_renewal.fr.journey.yaml")
    assert isinstance(journey, Journey)
    services.import_document(journey, store=store)
    return journey


def _weakest_irritant(journey: Journey) -> tuple[str, str]:
    """(touchpoint id, text) of the irritant the summary lists last without a vote."""
    candidates = [
        (tp.id, f.text)
        for tp in journey.touchpoints
        for f in tp.findings
        if f.type is FindingType.IRRITANT and len(f.text) < 150
    ]
    ranked = [(p.touchpoint.id, p.finding.text) for p in top_problems(journey, 100)]
    return max(candidates, key=ranked.index)


def _ref(store, journey_id: str, touchpoint: str, text: str) -> int:
    editable = services.get_journey_for_edit(journey_id, store=store)
    tp = next(t for t in editable.journey.touchpoints if t.id == touchpoint)
    index = next(i for i, f in enumerate(tp.findings) if f.text == text)
    return editable.finding_refs[touchpoint][index].id


def test_the_irritant_the_room_voted_for_is_ranked_first_in_the_journey_pdf(store) -> None:
    journey = _renewal(store)
    touchpoint, voted = _weakest_irritant(journey)
    strongest = [_flat(p.finding.text) for p in top_problems(journey, 4)]
    before = _first_page(export_download(journey.id, store=store, fmt="pdf", generated_on=DAY).data)
    assert _flat(voted) not in before[: before.index(strongest[-1])]  # not among the first

    ref = _ref(store, journey.id, touchpoint, voted)
    code = p.open_workshop(journey.id, store=store)
    v.open_vote(journey.id, store=store)
    v.cast_dot(journey.id, ref, ANIM, store=store)
    v.cast_dot(journey.id, ref, ANIM, store=store)
    v.phone_cast(journey.id, code, "telephone-de-lea", ref, store=store)
    v.close_vote(journey.id, store=store)

    first = _first_page(export_download(journey.id, store=store, fmt="pdf", generated_on=DAY).data)

    assert "Les plus votés d'abord (gommettes de l'atelier)" in first
    at = first.index(_flat(voted))
    assert all(at < first.index(text) for text in strongest if text in first)
    assert "● 3 gommettes" in first[at : at + len(voted) + 200]


def test_a_target_pdf_puts_first_the_improvement_of_the_problem_voted_for_on_its_current(
    store,
) -> None:
    current = _renewal(store)
    everything = top_improvements(current, limit=100)
    weakest = everything[-1]
    problem = weakest.problems[0]
    assert problem.finding.type in PROBLEMS
    target = vs.derive_target_journey(current.id, store=store, new_id=f"{current.id}-cible")
    unvoted = _first_page(export_download(target.id, store=store, fmt="pdf", generated_on=DAY).data)
    heading = "Axes d'évolution qui comptent le plus"
    assert _flat(weakest.text)[:60] not in unvoted[unvoted.index(heading) :]

    ref = _ref(store, current.id, problem.touchpoint.id, problem.finding.text)
    v.open_vote(current.id, store=store)
    v.set_dots_per_voter(current.id, 20, store=store)
    for _ in range(12):
        v.cast_dot(current.id, ref, ANIM, store=store)

    first = _first_page(export_download(target.id, store=store, fmt="pdf", generated_on=DAY).data)
    axes = first[first.index(heading) :]
    assert axes.index(_flat(weakest.text)[:60]) < min(
        axes.index(_flat(a.text)[:60]) for a in everything[:4] if _flat(a.text)[:60] in axes
    )
    assert "multipliée par leurs gommettes" in first

"""What matters most in a journey: its strongest problems and the improvement axes that address
the most weight of them, as the PDF's summary page lists them."""

from __future__ import annotations

from journeys.board.compare import derive_target
from journeys.board.priorities import top_improvements, top_problems, vote_key
from journeys.contract.model import FindingStatus, JourneyState
from tests.fixtures.render_samples import sample_journey


def test_problems_are_ranked_by_intensity_breaks_first_without_delights_or_resolved_ones():
    journey = sample_journey()
    assert [p.finding.text for p in top_problems(journey, 10)] == [
        "Codes d'accès reçus le lundi suivant",  # break 3
        "20 minutes d'attente, numéro d'abonné demandé deux fois",  # irritant 3
        "=Champs obligatoires trop nombreux",  # irritant 2
    ]
    first = top_problems(journey, 1)[0]
    assert (first.moment, first.channel) == ("Souscription", "Site web")
    journey.touchpoints[1].findings[1].status = FindingStatus.RESOLVED
    assert "Codes d'accès reçus le lundi suivant" not in [
        p.finding.text for p in top_problems(journey, 10)
    ]


def test_improvements_sum_the_intensity_of_the_problems_they_address():
    journey = sample_journey()
    # the same axis, typed differently, on a weak problem: together they outweigh a single 3
    journey.touchpoints[4].findings[0].improvement = " réduire à 5  CHAMPS"
    journey.touchpoints[4].findings[0].intensity = 2
    axes = top_improvements(journey)
    assert [(a.text, a.score, len(a.problems)) for a in axes] == [
        ("Réduire à 5 champs", 4, 2),
        ("Envoyer les codes immédiatement par email et SMS", 3, 1),
    ]
    assert axes[0].moments == ["Souscription", "Première livraison"]


def test_at_most_five_improvements_are_kept():
    journey = sample_journey()
    finding = journey.touchpoints[1].findings[0]
    journey.touchpoints[1].findings = [
        finding.model_copy(update={"text": f"Constat {i}", "improvement": f"Axe {i}"})
        for i in range(8)
    ]
    assert len(top_improvements(journey)) == 5


def test_a_target_journey_plan_holds_the_improvements_of_the_problems_it_resolves():
    current = sample_journey().model_copy(update={"state": JourneyState.CURRENT})
    target = derive_target(current, new_id="cible")
    assert top_problems(target, 10) == []  # every problem had an improvement: all resolved
    assert top_improvements(target) == []
    texts = [a.text for a in top_improvements(target, current)]
    assert texts == [
        "Envoyer les codes immédiatement par email et SMS",
        "Reconnaître l'appelant",
        "Réduire à 5 champs",
    ]


# --- the workshop's dots -----------------------------------------------------------------------

CHAMPS = "=Champs obligatoires trop nombreux"  # irritant 2 on "formulaire"
ATTENTE = "20 minutes d'attente, numéro d'abonné demandé deux fois"  # irritant 3


def _votes(journey, text: str, dots: int) -> dict:
    (key,) = [
        vote_key(tp.id, f) for tp in journey.touchpoints for f in tp.findings if f.text == text
    ]
    return {key: dots}


def test_the_problems_the_room_voted_for_come_first_then_the_strongest():
    journey = sample_journey()
    ranked = top_problems(journey, 10, _votes(journey, CHAMPS, 2))

    assert [p.finding.text for p in ranked] == [
        CHAMPS,
        "Codes d'accès reçus le lundi suivant",
        ATTENTE,
    ]
    assert [p.votes for p in ranked] == [2, 0, 0]


def test_a_problems_dots_multiply_its_intensity_in_the_improvements_it_asks_for():
    journey = sample_journey()
    axes = top_improvements(journey, votes=_votes(journey, CHAMPS, 3))

    assert (axes[0].text, axes[0].score) == ("Réduire à 5 champs", 6)  # 2 × 3 dots
    assert top_improvements(journey)[0].text != "Réduire à 5 champs"  # 3 without the vote


def test_a_finding_keeps_its_dots_whatever_its_case_accents_or_spaces():
    journey = sample_journey()
    finding = journey.touchpoints[1].findings[0]
    assert vote_key("formulaire", finding) == (
        "formulaire",
        "=champs obligatoires trop nombreux",
    )
    same = finding.model_copy(update={"text": "  =CHÂMPS obligatoires   trop nombreux"})
    assert vote_key("formulaire", same) == vote_key("formulaire", finding)


def test_a_target_plan_is_ranked_by_the_dots_put_on_its_current_journey():
    current = sample_journey().model_copy(update={"state": JourneyState.CURRENT})
    target = derive_target(current, new_id="cible")
    votes = _votes(current, ATTENTE, 4)

    texts = [a.text for a in top_improvements(target, current, votes=votes)]
    assert texts[0] == "Reconnaître l'appelant"
    assert texts != [a.text for a in top_improvements(target, current)]

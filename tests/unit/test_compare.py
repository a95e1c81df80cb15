"""As-is → to-be: deriving a target journey and measuring the gap, cell by cell."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from journeys.board.compare import compare, derive_target
from journeys.contract.model import (
    FindingType,
    Journey,
    JourneyState,
    TouchpointStatus,
    findings_of,
)

TEMPLATES = sorted((Path(__file__).parents[2] / "templates_journeys").glob("*.journey.yaml"))
PROBLEMS = (FindingType.IRRITANT, FindingType.BREAK)


def current() -> Journey:
    return Journey.model_validate(
        {
            "id": "premier-abonnement",
            "title": "Parcours premier abonnement",
            "moments": [
                {"id": "decouverte", "label": "Découverte"},
                {"id": "souscription", "label": "Souscription"},
                {"id": "accueil", "label": "Accueil"},
            ],
            "channels": [
                {"id": "web", "label": "Site web"},
                {"id": "telephone", "label": "Téléphone"},
                {"id": "email", "label": "Email"},
            ],
            "touchpoints": [
                {
                    "id": "formulaire",
                    "moment": "souscription",
                    "channel": "web",
                    "label": "Formulaire en ligne",
                    "owner": "Marketing",
                    "findings": [
                        {
                            "type": "irritant",
                            "intensity": 2,
                            "text": "Formulaire trop long",
                            "improvement": "Réduire à cinq champs",
                        },
                        {"type": "delight", "intensity": 1, "text": "Prix clair"},
                    ],
                },
                {
                    "id": "appel",
                    "moment": "souscription",
                    "channel": "telephone",
                    "label": "Vente par téléphone",
                    "status": "poorly_handled",
                    "findings": [
                        {
                            "type": "break",
                            "intensity": 3,
                            "text": "Numéro d'abonné demandé deux fois",
                            "improvement": "Reconnaître l'appelant",
                        },
                        {"type": "irritant", "intensity": 2, "text": "Attente de 20 minutes"},
                    ],
                },
                {
                    "id": "email-codes",
                    "moment": "accueil",
                    "channel": "email",
                    "label": "Email des codes d'accès",
                    "status": "missing",
                    "findings": [
                        {
                            "type": "break",
                            "intensity": 2,
                            "text": "Codes reçus le lundi suivant",
                            "improvement": "Envoyer les codes immédiatement",
                        }
                    ],
                },
            ],
            "flows": [{"from": "formulaire", "to": "email-codes", "break": True}],
        }
    )


def texts(refs) -> set[str]:
    return {r.finding.text for r in refs}


def edited(journey: Journey, edit) -> Journey:
    data = journey.model_dump(by_alias=True)
    edit(data)
    return Journey.model_validate(data)


# --- derive_target -----------------------------------------------------------------------


def test_derived_target_is_a_to_be_copy_pointing_back_to_the_current_journey():
    target = derive_target(current(), new_id="premier-abonnement-cible")
    assert (target.id, target.state, target.derived_from) == (
        "premier-abonnement-cible",
        JourneyState.TARGET,
        "premier-abonnement",
    )
    assert target.title == "Parcours premier abonnement — cible"
    assert [m.id for m in target.moments] == [m.id for m in current().moments]
    assert target.flows == current().flows


def test_derived_target_plans_missing_and_poorly_handled_touchpoints():
    target = derive_target(current(), new_id="cible")
    assert [t.status for t in target.touchpoints] == [
        TouchpointStatus.EXISTING,
        TouchpointStatus.PLANNED,
        TouchpointStatus.PLANNED,
    ]


def test_derived_target_drops_problems_with_an_improvement_and_keeps_the_rest():
    target = derive_target(current(), new_id="cible")
    assert [[f.text for f in t.findings] for t in target.touchpoints] == [
        ["Prix clair"],
        ["Attente de 20 minutes"],
        [],
    ]


def test_deriving_a_target_leaves_the_current_journey_untouched():
    journey = current()
    before = journey.model_dump()
    derive_target(journey, new_id="cible")
    assert journey.model_dump() == before


def test_derived_target_takes_a_given_title_and_speaks_the_journeys_language():
    assert derive_target(current(), new_id="cible", title="À venir").title == "À venir"
    english = current().model_copy(update={"language": "en", "title": "First subscription"})
    assert derive_target(english, new_id="target").title == "First subscription — target"


def test_derived_target_round_trips_through_yaml():
    target = derive_target(current(), new_id="cible")
    text = yaml.safe_dump(target.model_dump(mode="json", by_alias=True), allow_unicode=True)
    assert Journey.model_validate(yaml.safe_load(text)) == target


def test_deriving_a_target_needs_a_new_valid_id():
    with pytest.raises(ValueError, match="other than"):
        derive_target(current(), new_id="premier-abonnement")
    with pytest.raises(ValidationError):
        derive_target(current(), new_id="Pas un slug")


# --- compare -----------------------------------------------------------------------------


def test_comparing_with_the_derived_target_lists_resolved_and_remaining_problems():
    gap = compare(current(), derive_target(current(), new_id="cible"))
    assert texts(gap.resolved) == {
        "Formulaire trop long",
        "Numéro d'abonné demandé deux fois",
        "Codes reçus le lundi suivant",
    }
    assert texts(gap.remaining) == {"Attente de 20 minutes"}
    assert gap.introduced == ()
    assert all(r.finding.improvement for r in gap.resolved)


def test_comparing_with_the_derived_target_reports_status_changes_per_cell():
    gap = compare(current(), derive_target(current(), new_id="cible"))
    changes = {
        (c.moment, c.channel): [(ch.after.id, ch.fields) for ch in c.changed]
        for c in gap.changed_cells
    }
    assert changes == {
        ("souscription", "web"): [],
        ("souscription", "telephone"): [("appel", ("status",))],
        ("accueil", "email"): [("email-codes", ("status",))],
    }
    assert not any(c.added or c.removed for c in gap.cells)


def test_emotion_curves_sum_delights_minus_irritants_and_breaks_per_moment():
    gap = compare(current(), derive_target(current(), new_id="cible"))
    assert [(p.moment, p.score) for p in gap.current_curve] == [
        ("decouverte", 0),
        ("souscription", 1 - 2 - 3 - 2),
        ("accueil", -2),
    ]
    assert [p.score for p in gap.target_curve] == [0, 1 - 2, 0]
    point = gap.current_curve[1]
    assert (point.label, point.delight, point.pain) == ("Souscription", 1, 7)


def test_a_journey_compared_with_itself_has_no_change_and_all_its_problems_remain():
    gap = compare(current(), current())
    assert gap.changed_cells == () and gap.resolved == ()
    problems = {f.text for _, f in findings_of(current()) if f.type in PROBLEMS}
    assert texts(gap.remaining) == problems


def _restructure(data: dict) -> None:
    data["moments"].append({"id": "fidelisation", "label": "Fidélisation"})
    data["channels"] = [c for c in data["channels"] if c["id"] != "telephone"]
    data["channels"].append({"id": "sms", "label": "SMS"})
    data["touchpoints"] = [t for t in data["touchpoints"] if t["id"] != "appel"]
    form, codes = data["touchpoints"]
    form.update(label="Formulaire en 5 champs", owner="Digital")
    form["findings"][0]["text"] = "  formulaire TROP   long "
    form["findings"].append({"type": "delight", "intensity": 2, "text": "Paiement en 1 clic"})
    codes.update(moment="souscription", status="planned")
    codes["findings"] = [{"type": "irritant", "intensity": 1, "text": "Email en spam"}]
    data["touchpoints"].append(
        {"id": "sms-bienvenue", "moment": "fidelisation", "channel": "sms", "label": "SMS"}
    )


def test_compare_reports_added_and_removed_moments_channels_and_touchpoints():
    gap = compare(current(), edited(current(), _restructure))
    assert [m.id for m in gap.moments_added] == ["fidelisation"] and gap.moments_removed == ()
    assert [c.id for c in gap.channels_added] == ["sms"]
    assert [c.id for c in gap.channels_removed] == ["telephone"]
    cells = {(c.moment, c.channel): c for c in gap.cells}
    assert [t.id for t in cells[("souscription", "telephone")].removed] == ["appel"]
    assert [t.id for t in cells[("fidelisation", "sms")].added] == ["sms-bienvenue"]


def test_compare_reports_label_owner_and_moves_in_the_target_cell():
    gap = compare(current(), edited(current(), _restructure))
    cells = {(c.moment, c.channel): c for c in gap.cells}
    (form,) = cells[("souscription", "web")].changed
    assert form.fields == ("label", "owner") and form.before.owner == "Marketing"
    (codes,) = cells[("souscription", "email")].changed
    assert codes.fields == ("moment", "status")


def test_compare_matches_findings_by_touchpoint_and_folded_text():
    gap = compare(current(), edited(current(), _restructure))
    assert texts(gap.remaining) == {"  formulaire TROP   long "}
    assert texts(gap.resolved) == {
        "Numéro d'abonné demandé deux fois",
        "Attente de 20 minutes",
        "Codes reçus le lundi suivant",
    }
    assert texts(gap.introduced) == {"Email en spam"}
    cells = {(c.moment, c.channel): c for c in gap.cells}
    assert texts(cells[("souscription", "web")].delights_added) == {"Paiement en 1 clic"}


def test_gap_cells_follow_the_board_with_removed_rows_back_in_place():
    gap = compare(current(), edited(current(), _restructure))
    assert [(c.moment, c.channel) for c in gap.cells] == [
        ("souscription", "web"),
        ("souscription", "telephone"),
        ("souscription", "email"),
        ("accueil", "email"),
        ("fidelisation", "sms"),
    ]


def test_a_target_without_findings_has_a_flat_curve():
    bare = edited(current(), lambda d: d.update(touchpoints=[], flows=[]))
    assert [p.score for p in compare(current(), bare).target_curve] == [0, 0, 0]


# --- templates ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_every_template_derives_a_valid_target_whose_gap_resolves_the_improved_problems(path):
    journey = Journey.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    target = derive_target(journey, new_id=f"{journey.id}-cible")
    assert target.state is JourneyState.TARGET and target.derived_from == journey.id
    assert not any(t.status in ("missing", "poorly_handled") for t in target.touchpoints)
    gap = compare(journey, target)
    improved = [f for _, f in findings_of(journey) if f.type in PROBLEMS and f.improvement]
    assert texts(gap.resolved) == {f.text for f in improved}
    assert not any(r.finding.improvement for r in gap.remaining)
    assert len(gap.current_curve) == len(gap.target_curve) == len(journey.moments)
    assert sum(p.score for p in gap.target_curve) >= sum(p.score for p in gap.current_curve)
    assert compare(journey, journey).changed_cells == ()

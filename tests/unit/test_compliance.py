"""French law checks on programs: the reminder before a tacit renewal (L215-1), online
cancellation (L215-1-1) and SEPA pre-notification; each verdict says why, with the rule's text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from journeys.contract.model import Journey, Program
from journeys.contract.yaml_io import load_file
from journeys.programs.compliance import (
    FAILED,
    NOT_APPLICABLE,
    PASSED,
    UNVERIFIED,
    RuleCheck,
    applies_by_default,
    check_compliance,
)
from journeys.programs.compliance_text import finding_text, report_lines, rule_text

TEMPLATES = Path(__file__).resolve().parents[2] / "templates_journeys"
CHATEL_FR = "au plus tôt trois mois et au plus tard un mois avant le terme"
CHATEL_EN = "no earlier than three months and no later than one month before"
RULE_CANCEL = "online_cancellation"


def step(sid: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"id": sid, "phase": extra.pop("phase", "a"), "kind": kind, "label": sid.upper(),
            **extra}  # fmt: skip


def make(steps: list[dict[str, Any]], chain: list[str] | None = None, **extra: Any) -> Program:
    """A program whose steps follow each other in `chain` order (default: as listed)."""
    order = chain or [s["id"] for s in steps]
    return Program.model_validate(
        {
            "id": "p",
            "title": "P",
            "objective": "lifetime",
            "phases": extra.pop("phases", [{"id": "a", "label": "A"}]),
            "steps": steps,
            "links": extra.pop(
                "links", [{"from": a, "to": b} for a, b in zip(order, order[1:], strict=False)]
            ),
            **extra,
        }
    )


def rule(checks: list[RuleCheck], name: str) -> RuleCheck:
    return next(c for c in checks if c.rule == name)


def renewal(days_before: int, *, tacit: bool = True, anchor: str = "term_end") -> Program:
    """A 12-month program whose letter reminds the subscriber `days_before` the term."""
    return make(
        [
            step("start", "trigger", timing={"anchor": "start"}),
            step("wait", "wait", timing={"anchor": anchor, "offset_days": -days_before}),
            step(
                "reminder",
                "message",
                channel="email",
                purpose="renewal_reminder",
                timing={"anchor": anchor, "offset_days": -days_before},
            ),  # fmt: skip
            step("end", "exit"),
        ],
        subscription={"term_months": 12, "tacit_renewal": tacit},
    )


# --- L215-1: the reminder before a tacit renewal --------------------------------------------


def test_a_reminder_at_d_minus_20_of_a_tacit_renewal_fails_chatel_with_the_rules_text():
    checks = check_compliance(renewal(20))

    chatel = rule(checks, "renewal_reminder")
    assert chatel.status == FAILED
    (finding,) = chatel.findings
    assert (finding.code, finding.steps, finding.params["days"]) == (
        "reminder_too_late",
        ("reminder",),
        20,
    )
    assert "20 jours avant le terme : trop tard" in finding_text(finding, "fr")
    report = "\n".join(report_lines(checks, "fr"))
    assert CHATEL_FR in report and "L215-1" in report and "[reminder]" in report
    assert CHATEL_EN in "\n".join(report_lines(checks, "en"))


def test_a_reminder_at_d_minus_45_passes_chatel():
    chatel = rule(check_compliance(renewal(45)), "renewal_reminder")

    assert chatel.status == PASSED
    assert [f.code for f in chatel.findings] == ["reminder_in_window"]
    assert CHATEL_FR not in "\n".join(report_lines([chatel], "fr"))  # the text of broken rules


@pytest.mark.parametrize(
    ("days", "status", "code"),
    [
        (30, FAILED, "reminder_too_late"),  # a term on 31 March: 1 March is less than a month
        (31, PASSED, "reminder_in_window"),
        (89, PASSED, "reminder_in_window"),
        (90, FAILED, "reminder_too_early"),  # a term on 28 May: 27 Feb is more than 3 months
        (0, FAILED, "reminder_after_term"),
    ],
)
def test_the_window_holds_whatever_the_month_of_the_term(days, status, code):
    chatel = rule(check_compliance(renewal(days)), "renewal_reminder")

    assert (chatel.status, chatel.findings[0].code) == (status, code)


def test_a_fixed_term_without_tacit_renewal_does_not_apply_and_says_why():
    chatel = rule(check_compliance(renewal(20, tacit=False)), "renewal_reminder")

    assert (chatel.status, chatel.findings[0].code) == (NOT_APPLICABLE, "no_tacit_renewal")
    assert "sans reconduction tacite" in finding_text(chatel.findings[0], "fr")
    assert "without tacit renewal" in finding_text(chatel.findings[0], "en")


def test_an_open_ended_contract_or_an_unsaid_one_does_not_apply_and_says_why():
    open_ended = make([step("t", "trigger"), step("x", "exit")], subscription={})
    unsaid = make([step("t", "trigger"), step("x", "exit")])

    first = rule(check_compliance(open_ended), "renewal_reminder").findings[0]
    second = rule(check_compliance(unsaid), "renewal_reminder").findings[0]

    assert (first.status, first.code) == (NOT_APPLICABLE, "open_ended")
    assert (second.status, second.code) == (NOT_APPLICABLE, "terms_unknown")


def test_a_fixed_term_journey_whose_program_does_not_say_tacit_renewal_is_to_verify():
    journey = load_file(TEMPLATES / "fixed_term_renewal.fr.journey.yaml")
    program = make([step("t", "trigger"), step("x", "exit")], journey=journey.id)

    chatel = rule(check_compliance(program, journey), "renewal_reminder")

    assert (chatel.status, chatel.findings[0].code) == (UNVERIFIED, "tacit_unknown")


def test_a_tacit_renewal_with_no_reminder_or_an_undated_one_fails():
    nothing = make(
        [step("t", "trigger"), step("x", "exit")],
        subscription={"term_months": 12, "tacit_renewal": True},
    )
    undated = renewal(45, anchor="start")

    assert rule(check_compliance(nothing), "renewal_reminder").findings[0].code == "no_reminder"
    found = rule(check_compliance(undated), "renewal_reminder").findings[0]
    assert (found.status, found.code) == (FAILED, "reminder_not_dated")


# --- L215-1-1: cancellation online, in few steps ---------------------------------------------


def journey(*touchpoints: tuple[str, str, str], flows: list[tuple[str, str]] = (), **extra: Any):
    """A journey with a cancellation moment; touchpoints as (id, channel, status)."""
    return Journey.model_validate(
        {
            "id": "j",
            "title": "J",
            "moments": [{"id": "resiliation", "label": "Résiliation"}],
            "channels": [
                {"id": "espace-client", "label": "Espace client"},
                {"id": "telephone", "label": "Téléphone / centre de contacts"},
                {"id": "courrier", "label": "Courrier"},
                {"id": "email", "label": "Email"},
            ],
            "touchpoints": [
                {"id": tid, "moment": "resiliation", "channel": cid, "label": tid, "status": st}
                for tid, cid, st in touchpoints
            ],
            "flows": [{"from": a, "to": b} for a, b in flows],
            **extra,
        }
    )


def cancellation(*middle: dict[str, Any]) -> Program:
    """Request → (middle steps) → written confirmation → exit, in a phase serving the moment."""
    return make(
        [
            step("request", "trigger", purpose="cancellation"),
            *middle,
            step("confirm", "message", channel="email", purpose="cancellation_confirmation"),
            step("x", "exit"),
        ],
        journey="j",
        phases=[{"id": "a", "label": "Résiliation", "moment": "resiliation"}],
    )


def test_online_cancellation_in_service_in_three_steps_passes():
    online = [(n, "espace-client", "existing") for n in ("bouton", "formulaire", "recap")]
    steps = [*online, ("appel", "telephone", "existing")]
    flows = [("bouton", "formulaire"), ("formulaire", "recap")]

    online = rule(check_compliance(cancellation(), journey(*steps, flows=flows)), RULE_CANCEL)

    assert online.status == PASSED
    assert [f.code for f in online.findings] == ["confirmed", "online_in_service"]


def test_a_cancellation_journey_without_online_touchpoint_fails_naming_its_channels():
    current = journey(("appel", "telephone", "poorly_handled"), ("lettre", "courrier", "existing"))

    online = rule(check_compliance(cancellation(), current), RULE_CANCEL)

    assert online.status == FAILED
    found = online.findings[-1]
    assert found.code == "no_online_touchpoint"
    assert "Téléphone / centre de contacts, Courrier" in finding_text(found, "fr")


def test_a_missing_online_cancellation_fails_but_a_planned_one_passes_on_a_target_journey():
    missing = journey(("en-ligne", "espace-client", "missing"))
    planned = journey(("en-ligne", "espace-client", "planned"), state="target")

    failed = rule(check_compliance(cancellation(), missing), RULE_CANCEL)
    passed = rule(check_compliance(cancellation(), planned), RULE_CANCEL)

    assert (failed.status, failed.findings[-1].code) == (FAILED, "online_not_in_service")
    assert "« en-ligne » (manquant)" in finding_text(failed.findings[-1], "fr")
    assert passed.status == PASSED


def test_cancelling_online_in_four_steps_fails_with_the_count():
    names = ["bouton", "identite", "motif", "recap"]
    current = journey(*[(n, "espace-client", "existing") for n in names],
                      flows=list(zip(names, names[1:], strict=False)))  # fmt: skip

    found = rule(check_compliance(cancellation(), current), RULE_CANCEL).findings[-1]

    assert (found.code, found.params["count"]) == ("too_many_steps", 4)


def test_a_cancellation_never_confirmed_or_confirmed_only_after_a_call_fails():
    current = journey(("en-ligne", "espace-client", "existing"))
    unconfirmed = make(
        [step("request", "trigger", purpose="cancellation"), step("x", "exit")], journey="j"
    )
    call = step("call", "action", channel="telephone")

    first = rule(check_compliance(unconfirmed, current), RULE_CANCEL).findings[0]
    second = rule(check_compliance(cancellation(call), current), RULE_CANCEL).findings[0]

    assert (first.status, first.code, first.steps) == (FAILED, "no_confirmation", ("request",))
    assert (second.code, second.params["channels"]) == (
        "offline_detour",
        "Téléphone / centre de contacts",
    )


def test_a_program_without_cancellation_step_does_not_apply_and_one_without_journey_is_to_verify():
    nothing = make([step("t", "trigger"), step("x", "exit")])

    assert rule(check_compliance(nothing), RULE_CANCEL).findings[0].code == "no_cancellation"
    alone = rule(check_compliance(cancellation()), RULE_CANCEL)
    assert alone.status == UNVERIFIED
    assert [f.code for f in alone.findings] == ["confirmed", "no_journey"]


def test_the_french_sepa_template_fails_online_cancellation_its_journey_lacks():
    program = load_file(TEMPLATES / "sepa_open_ended.fr.program.yaml")
    current = load_file(TEMPLATES / "sepa_open_ended.fr.journey.yaml")

    online = rule(check_compliance(program, current), RULE_CANCEL)

    assert online.status == FAILED
    assert online.findings[-1].params["labels"] == ["Résiliation en ligne"]


# --- SEPA: pre-notification before each debit ------------------------------------------------


def debit(notice_day: int, debit_day: int = 14, *, anchor: str = "event", **extra: Any) -> Program:
    on = {"anchor": "event", "event": "rejet"}
    return make(
        [
            step("rejet", "trigger", timing=on),
            step(
                "notice",
                "message",
                channel="email",
                purpose="pre_notification",
                timing={**on, "offset_days": notice_day}
                if anchor == "event"
                else {"anchor": anchor, "offset_days": notice_day},
            ),
            step("wait", "wait", timing={**on, "offset_days": debit_day}),
            step("debit", "action", purpose="sepa_debit", timing={**on, "offset_days": debit_day}),
            step("x", "exit"),
        ],  # fmt: skip
        **extra,
    )


def test_a_debit_pre_notified_14_days_before_passes():
    sepa = rule(check_compliance(debit(0)), "sepa_prenotification")

    assert sepa.status == PASSED
    assert {"lead": 14, "required": 14, "agreed": False}.items() <= sepa.findings[0].params.items()


def test_a_debit_pre_notified_9_days_before_fails_unless_a_shorter_delay_was_agreed():
    late = rule(check_compliance(debit(5)), "sepa_prenotification")
    agreed = rule(
        check_compliance(debit(5, subscription={"prenotification_days": 5})),
        "sepa_prenotification",
    )

    assert (late.status, late.findings[0].code, late.findings[0].steps) == (
        FAILED,
        "too_late",
        ("debit",),
    )
    assert "9 jours avant" in finding_text(late.findings[0], "fr")
    assert "14 jours demandés (délai du règlement SEPA)" in finding_text(late.findings[0], "fr")
    assert agreed.status == PASSED
    assert "délai convenu avec l'abonné" in finding_text(agreed.findings[0], "fr")


def test_a_debit_with_no_pre_notification_before_it_fails_and_another_reference_is_to_verify():
    alone = make(
        [step("t", "trigger"), step("debit", "action", purpose="sepa_debit",
                                    timing={"anchor": "start", "offset_days": 30}),
         step("x", "exit")],
    )  # fmt: skip

    assert rule(check_compliance(alone), "sepa_prenotification").findings[0].code == (
        "no_prenotification"
    )
    other = rule(check_compliance(debit(0, anchor="start")), "sepa_prenotification")
    assert (other.status, other.findings[0].code) == (UNVERIFIED, "not_comparable")


def test_a_program_without_sepa_debit_does_not_apply():
    sepa = rule(check_compliance(renewal(45)), "sepa_prenotification")

    assert (sepa.status, sepa.findings[0].code) == (NOT_APPLICABLE, "no_debit")


# --- when the checks are on, and the texts -----------------------------------------------------


def test_the_checks_are_on_by_default_for_a_french_program_or_journey_only():
    english = renewal(45).model_copy(update={"language": "en"})
    french_journey = Journey(id="j", title="J", language="fr")

    assert applies_by_default(renewal(45))
    assert not applies_by_default(english)
    assert applies_by_default(english, french_journey)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_rule_has_a_title_a_reference_and_its_text_in_both_languages(lang):
    for name in ("renewal_reminder", "online_cancellation", "sepa_prenotification"):
        assert not rule_text(name, lang).startswith("compliance.")
    lines = report_lines(check_compliance(renewal(20)), lang)
    assert lines[0].startswith(("NON RESPECTÉE", "NOT MET"))
    assert all("compliance." not in line for line in lines)

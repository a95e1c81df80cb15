"""Goals (an exit reached with success, or reached from anywhere when its event happens), entry
criteria on triggers, a step's purpose and the program's subscription: contract, checks, DOT."""

from __future__ import annotations

import re
from typing import Any

import pytest

from journeys.contract.model import Program
from journeys.contract.schema import json_schema
from journeys.contract.yaml_io import DocumentError, dump_document, load_document
from journeys.programs.checks import check_program
from journeys.programs.diagrams import detailed_dot, macro_dot


def make(steps: list[dict[str, Any]], links: list[tuple[str, str, str]], **extra: Any) -> Program:
    return Program.model_validate(
        {
            "id": "p",
            "title": "P",
            "objective": "lifetime",
            "phases": [{"id": "a", "label": "A"}],
            "steps": [{"phase": "a", "label": s["id"].upper(), **s} for s in steps],
            "links": [{"from": a, "to": b, "label": label} for a, b, label in links],
            **extra,
        }
    )


PAID = {"anchor": "event", "event": "paid"}


def codes(program: Program) -> list[str]:
    return [issue.code for issue in check_program(program)]


# --- checks ----------------------------------------------------------------------------------


def test_a_goal_ends_the_program_like_an_exit():
    program = make(
        [{"id": "t", "kind": "trigger"}, {"id": "m", "kind": "message", "channel": "email"},
         {"id": "g", "kind": "goal"}],
        [("t", "m", ""), ("m", "g", "")],
    )  # fmt: skip

    assert codes(program) == []


def test_a_goal_on_an_event_is_reached_from_anywhere_without_a_link():
    on_event = make(
        [{"id": "t", "kind": "trigger"}, {"id": "x", "kind": "exit"},
         {"id": "g", "kind": "goal", "timing": PAID}],
        [("t", "x", "")],
    )  # fmt: skip
    unlinked = make(
        [{"id": "t", "kind": "trigger"}, {"id": "x", "kind": "exit"}, {"id": "g", "kind": "goal"}],
        [("t", "x", "")],
    )

    assert codes(on_event) == []
    assert codes(unlinked) == ["unreachable_step"]


def test_a_goal_followed_by_a_step_is_reported():
    program = make(
        [{"id": "t", "kind": "trigger"}, {"id": "g", "kind": "goal"}, {"id": "x", "kind": "exit"}],
        [("t", "g", ""), ("g", "x", "")],
    )

    (issue,) = check_program(program)
    assert (issue.code, issue.steps) == ("goal_has_next_step", ("g",))


# --- contract --------------------------------------------------------------------------------

FULL = """format: journeys/v1
kind: program
id: relance
title: Relance
objective: lifetime
language: fr
subscription:
  term_months: 12
  tacit_renewal: true
  prenotification_days: 5
phases:
- id: a
  label: A
steps:
- id: rejet
  phase: a
  kind: trigger
  label: Rejet
  entry:
    segment:
    - Jeunes « 18-25 »
    payment_method:
    - Prélèvement SEPA
    - Carte bancaire
- id: preavis
  phase: a
  kind: message
  label: Préavis
  channel: email
  purpose: pre_notification
- id: paye
  phase: a
  kind: goal
  label: Payé
  timing:
    anchor: event
    offset_days: 0
    event: paiement-recu
links:
- from: rejet
  to: preavis
"""


def test_the_new_fields_read_and_write_back_the_same_bytes():
    program = load_document(FULL)

    assert isinstance(program, Program)
    assert program.subscription is not None and program.subscription.tacit_renewal
    assert program.steps[0].entry is not None
    assert program.steps[0].entry.payment_method == ["Prélèvement SEPA", "Carte bancaire"]
    assert program.steps[1].purpose is not None and program.steps[1].purpose.value == (
        "pre_notification"
    )
    assert dump_document(program) == FULL


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("  kind: message\n  label: Préavis", "  kind: message\n  label: Préavis\n  entry:\n"
          "    offer: [X]"), "'entry' is only allowed on a trigger step"),
        (("    segment:\n    - Jeunes « 18-25 »\n    payment_method:\n    - Prélèvement SEPA\n"
          "    - Carte bancaire\n", "    segment: []\n"), "entry needs at least one of"),
        (("  term_months: 12\n", ""), "tacit_renewal needs term_months"),
        (("purpose: pre_notification", "purpose: reminder"), "purpose"),
    ],
)  # fmt: skip
def test_misused_new_fields_are_refused_with_a_message(change, message):
    old, new = change
    assert old in FULL

    with pytest.raises(DocumentError, match=message):
        load_document(FULL.replace(old, new, 1))


def test_the_json_schema_describes_goals_purposes_entry_and_subscription():
    schema = json_schema("program")
    defs = schema["$defs"]

    assert "goal" in defs["StepKind"]["enum"]
    assert set(defs["Purpose"]["enum"]) == {
        "renewal_reminder",
        "pre_notification",
        "sepa_debit",
        "cancellation",
        "cancellation_confirmation",
    }
    assert set(defs["Entry"]["properties"]) == {"segment", "offer", "payment_method"}
    assert "subscription" in schema["properties"]


# --- diagrams --------------------------------------------------------------------------------


def drawn() -> Program:
    program = load_document(FULL)
    assert isinstance(program, Program)
    return program


def test_goals_are_drawn_apart_from_exits_and_named_in_the_legend():
    dot = detailed_dot(drawn(), language="fr")

    goal = next(line for line in dot.splitlines() if "Payé" in line and "shape" in line)
    assert "doubleoctagon" in goal and "depuis toute étape" in goal
    assert re.search(r'label="Objectif atteint".*doubleoctagon', dot)
    assert "Objectifs atteints" in macro_dot(drawn(), language="fr")


def test_a_triggers_entry_criteria_are_drawn_escaped():
    program = drawn()
    trigger = program.steps[0].model_copy(
        update={"entry": program.steps[0].entry.model_copy(update={"offer": ['Offre "Duo"']})}  # type: ignore[union-attr]
    )
    dot = detailed_dot(program.model_copy(update={"steps": [trigger, *program.steps[1:]]}),
                       language="en")  # fmt: skip

    assert 'Entry: Jeunes « 18-25 » · Offre \\"Duo\\" · Prélèvement SEPA, Carte' in dot.replace(
        "\\n", " "
    )

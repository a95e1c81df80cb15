"""check_program: reachability, exits, decisions, loops and links to the journey."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from journeys.contract.model import Journey, Program
from journeys.programs.checks import CODES, check_program, program_graph
from tests.fixtures.render_samples import sample_journey, sample_program

TEMPLATES = Path(__file__).resolve().parents[2] / "templates_journeys"


def program(
    steps: list[tuple[str, str]], links: list[tuple[str, str, str]], **extra: Any
) -> Program:
    """A one-phase program from (id, kind) steps and (from, to, label) links."""
    return Program.model_validate(
        {
            "id": "p",
            "title": "P",
            "objective": "lifetime",
            "phases": extra.pop("phases", [{"id": "a", "label": "A"}]),
            "steps": [
                {
                    "id": sid,
                    "phase": "a",
                    "kind": kind,
                    "label": sid.upper(),
                    **({"channel": "email"} if kind == "message" else {}),
                }
                for sid, kind in steps
            ],
            "links": [{"from": a, "to": b, "label": label} for a, b, label in links],
            **extra,
        }
    )


def codes(issues: list[Any]) -> list[str]:
    return [issue.code for issue in issues]


def test_sample_program_has_no_issue_against_its_journey() -> None:
    assert check_program(sample_program(), sample_journey()) == []


def test_program_graph_holds_steps_and_labelled_links() -> None:
    graph = program_graph(sample_program())
    assert graph.number_of_nodes() == 8
    assert graph.edges["active", "sortie"]["label"] == "oui"
    assert graph.nodes["active"]["kind"].value == "decision"


def test_program_without_trigger_is_reported_once() -> None:
    issues = check_program(program([("m", "message"), ("x", "exit")], [("m", "x", "")]))
    assert codes(issues) == ["no_trigger"]
    assert issues[0].severity == "error"


def test_step_not_reachable_from_a_trigger_is_named() -> None:
    issues = check_program(
        program(
            [("t", "trigger"), ("x", "exit"), ("orphan", "message")],
            [("t", "x", ""), ("orphan", "x", "")],
        )
    )
    assert codes(issues) == ["unreachable_step"]
    assert issues[0].steps == ("orphan",)
    assert issues[0].params == {"step": "orphan", "label": "ORPHAN"}
    assert "ORPHAN" in issues[0].message


def test_path_that_never_reaches_an_exit_is_reported_per_step() -> None:
    issues = check_program(
        program(
            [("t", "trigger"), ("d", "decision"), ("x", "exit"), ("dead", "message")],
            [("t", "d", ""), ("d", "x", "yes"), ("d", "dead", "no")],
        )
    )
    assert codes(issues) == ["no_exit_path"]
    assert issues[0].steps == ("dead",)


def test_program_without_any_exit_is_reported_once_not_per_step() -> None:
    issues = check_program(program([("t", "trigger"), ("m", "message")], [("t", "m", "")]))
    assert codes(issues) == ["no_exit"]


@pytest.mark.parametrize(
    ("branches", "expected"),
    [
        ([("x", "yes")], ["decision_branches"]),
        ([("x", "yes"), ("y", "")], ["decision_unlabelled_branch"]),
        ([("x", "Yes "), ("y", "Yes")], ["decision_duplicate_labels"]),
        ([("x", "yes"), ("y", "no")], []),
    ],
)
def test_decision_needs_two_distinctly_labelled_branches(
    branches: list[tuple[str, str]], expected: list[str]
) -> None:
    steps = [("t", "trigger"), ("d", "decision"), ("x", "exit"), ("y", "exit")]
    links = [("t", "d", "")] + [("d", to, label) for to, label in branches]
    if all(to != "y" for to, _ in branches):
        links.append(("t", "y", ""))
    assert codes(check_program(program(steps, links))) == expected


def test_loop_without_wait_is_an_error_and_a_paced_loop_is_fine() -> None:
    steps = [("t", "trigger"), ("m", "message"), ("d", "decision"), ("x", "exit")]
    links = [("t", "m", ""), ("m", "d", ""), ("d", "m", "again"), ("d", "x", "done")]
    issues = check_program(program(steps, links))
    assert codes(issues) == ["loop_without_wait"]
    assert set(issues[0].steps) == {"m", "d"}
    paced = steps + [("w", "wait")]
    paced_links = [
        ("t", "m", ""),
        ("m", "d", ""),
        ("d", "w", "again"),
        ("w", "m", ""),
        ("d", "x", "done"),
    ]
    assert check_program(program(paced, paced_links)) == []


def test_self_loop_counts_as_a_loop_without_wait() -> None:
    issues = check_program(
        program(
            [("t", "trigger"), ("a", "action"), ("x", "exit")],
            [("t", "a", ""), ("a", "a", ""), ("a", "x", "")],
        )
    )
    assert codes(issues) == ["loop_without_wait"]


def test_exit_followed_by_steps_and_message_without_channel() -> None:
    prog = Program.model_validate(
        {
            "id": "p",
            "title": "P",
            "objective": "basket",
            "phases": [{"id": "a", "label": "A"}],
            "steps": [
                {"id": "t", "phase": "a", "kind": "trigger", "label": "T"},
                {"id": "x", "phase": "a", "kind": "exit", "label": "X"},
                {"id": "m", "phase": "a", "kind": "message", "label": "M"},
                {"id": "y", "phase": "a", "kind": "exit", "label": "Y"},
            ],
            "links": [{"from": "t", "to": "x"}, {"from": "x", "to": "m"}, {"from": "m", "to": "y"}],
        }
    )
    assert codes(check_program(prog)) == ["exit_has_next_step", "message_without_channel"]


def test_moments_and_channels_unknown_to_the_linked_journey_are_errors() -> None:
    prog = sample_program().model_copy(deep=True)
    prog.phases[0].moment = "renouvellement"
    prog.steps[1].channel = "courrier"
    issues = check_program(prog, sample_journey())
    assert codes(issues) == ["unknown_moment", "unknown_channel"]
    assert issues[0].params["moment"] == "renouvellement"
    assert issues[0].phases == ("accueil",)
    assert issues[1].params["channel"] == "courrier"
    assert issues[1].steps == ("email-bienvenue",)


def test_program_linked_to_another_journey_is_flagged() -> None:
    journey = sample_journey().model_copy(update={"id": "autre"})
    assert "other_journey" in codes(check_program(sample_program(), journey))


def test_empty_phase_and_empty_program_are_informational() -> None:
    prog = sample_program().model_copy(deep=True)
    prog.phases.append(prog.phases[0].model_copy(update={"id": "vide", "label": "Vide"}))
    issues = check_program(prog)
    assert codes(issues) == ["empty_phase"] and issues[0].severity == "info"
    empty = Program(id="vide", title="Vide", objective="conversion")
    assert codes(check_program(empty)) == ["no_steps"]


def test_issues_come_in_code_order_and_every_code_is_declared() -> None:
    prog = program([("m", "message"), ("d", "decision")], [("m", "d", ""), ("d", "m", "x")])
    found = codes(check_program(prog))
    assert found == sorted(found, key=CODES.index)
    assert {"no_trigger", "no_exit", "decision_branches", "loop_without_wait"} <= set(found)


def _templates(kind: str) -> list[Path]:
    return sorted(TEMPLATES.glob(f"*.{kind}.yaml"))


@pytest.mark.parametrize("path", _templates("program"), ids=lambda p: p.name)
def test_every_template_program_passes_the_checks(path: Path) -> None:
    from journeys.contract.yaml_io import load_file

    prog = load_file(path)
    assert isinstance(prog, Program)
    journeys = [load_file(p) for p in _templates("journey")]
    linked = [j for j in journeys if isinstance(j, Journey) and j.id == prog.journey]
    assert linked, f"{path.name}: journey {prog.journey!r} not among the templates"
    assert check_program(prog, linked[0]) == []

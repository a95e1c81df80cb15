"""`journeys diff ID SNAPSHOT_A [SNAPSHOT_B]`: a template imported, snapshotted, edited through the
services (a touchpoint added, a finding removed, a label changed, a touchpoint moved) and
snapshotted again lists exactly those edits, on SQLite and PostgreSQL; unknown ids are refused
in one line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL
from typer.testing import CliRunner

from journeys import services
from journeys.contract.model import Touchpoint
from journeys.contract.yaml_io import load_file
from journeys.store.db import Store

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "templates_journeys" / "fixed_term_renewal.fr.journey.yaml"
JID = "renouvellement-duree-fixe"


def invoke(url: URL, *args: str, lang: str | None = None):  # type: ignore[no-untyped-def]
    from journeys.cli.main import app

    database = url.render_as_string(hide_password=False)
    extra = ["--lang", lang] if lang else []
    return CliRunner().invoke(app, [*args, *extra, "--database", database])


@pytest.fixture
def workspace(database_url: URL) -> Iterator[tuple[URL, Store]]:
    from journeys.cli.main import app

    database = database_url.render_as_string(hide_password=False)
    imported = CliRunner().invoke(app, ["import", str(TEMPLATE), "--database", database])
    assert imported.exit_code == 0, imported.output
    store = services.open_store(database_url)
    yield database_url, store
    store.dispose()


def snapshot(url: URL, name: str) -> int:
    result = invoke(url, "snapshot", JID, name)
    assert result.exit_code == 0, result.output
    found = re.match(r"snapshot (\d+) ", result.output)
    assert found, result.output
    return int(found.group(1))


def known_edits(store: Store) -> None:
    """Four edits through the services, as the board makes them."""
    editable = services.get_journey_for_edit(JID, store=store)
    journey, versions = editable.journey, editable.touchpoint_versions
    services.add_touchpoint(
        JID,
        Touchpoint(id="relance-sms", moment="pre-renouvellement", channel="sms", label="SMS J-30"),
        store=store,
    )
    (finding,) = editable.finding_refs["coupon-encarte"]
    services.delete_finding(finding.id, store=store, expected_version=finding.version)
    by_id = {tp.id: tp for tp in journey.touchpoints}
    services.update_touchpoint(
        JID,
        "email-bienvenue",
        by_id["email-bienvenue"].model_copy(update={"label": "Email de bienvenue personnalisé"}),
        store=store,
        expected_version=versions["email-bienvenue"],
    )
    services.update_touchpoint(
        JID,
        "souscription-web",
        by_id["souscription-web"].model_copy(update={"moment": "reconquete"}),
        store=store,
        expected_version=versions["souscription-web"],
    )


def change_lines(output: str) -> list[str]:
    """The lines that each tell one change (indented under their group's heading)."""
    return [line.strip() for line in output.splitlines() if line.startswith("  ")]


NB = "\u00a0"
EXPECTED = [
    # Grouped by moment, in board order; the moved touchpoint under the moment it moved to.
    f"− Constat supprimé · «{NB}Coupon d'abonnement encarté dans le magazine{NB}»{NB}: "
    f"⚠\ufe0e Irritant «{NB}Règlement uniquement par chèque, pas de champ email sur le "
    f"coupon{NB}»",
    f"~ Point de contact modifié · Email{NB}: «{NB}Email de bienvenue personnalisé{NB}» "
    f"(email-bienvenue) — Libellé{NB}: Email de bienvenue{{+ personnalisé+}}",
    f"+ Point de contact ajouté · SMS{NB}: «{NB}SMS J-30{NB}» (relance-sms)",
    f"↦\ufe0e Point de contact déplacé{NB}: «{NB}Souscription en ligne{NB}» (souscription-web) "
    "— Souscription · Site web → Reconquête · Site web",
]


def test_diff_of_two_snapshots_lists_exactly_the_edits_made_between_them(workspace):
    url, store = workspace
    assert load_file(TEMPLATE).id == JID
    before = snapshot(url, "après atelier 1")
    known_edits(store)
    after = snapshot(url, "après atelier 2")

    result = invoke(url, "diff", JID, str(before), str(after))

    assert result.exit_code == 0, result.output
    assert change_lines(result.output) == EXPECTED
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Parcours renouvellement d'un abonnement à durée fixe ({JID})")
    assert f"instantané {before} «{NB}après atelier 1{NB}»" in lines[0]
    assert f"instantané {after} «{NB}après atelier 2{NB}»" in lines[0]
    assert [line for line in lines if line and not line.startswith("  ")][1:] == [
        f"Moment de vie «{NB}Souscription{NB}»",
        f"Moment de vie «{NB}Bienvenue{NB}»",
        f"Moment de vie «{NB}Pré-renouvellement{NB}»",
        f"Moment de vie «{NB}Reconquête{NB}»",
        f"Points de contact et constats{NB}: 1 ajouté(s), 1 supprimé(s), 1 modifié(s), "
        "1 déplacé(s).",
        f"Mots changés{NB}: [-retirés-]{{+ajoutés+}}",
    ]


def test_diff_of_a_snapshot_and_now_lists_the_edits_since_and_speaks_english_when_asked(
    workspace,
):
    url, store = workspace
    before = snapshot(url, "after workshop 1")
    known_edits(store)

    french = invoke(url, "diff", JID, str(before))
    english = invoke(url, "diff", JID, str(before), lang="en")

    assert french.exit_code == 0, french.output
    assert change_lines(french.output) == EXPECTED
    assert french.output.splitlines()[0].endswith("→ maintenant")
    assert english.exit_code == 0, english.output
    assert english.output.splitlines()[0].endswith("→ now")
    assert change_lines(english.output) == [
        "− Finding removed · “Coupon d'abonnement encarté dans le magazine”: ⚠\ufe0e Irritant "
        "“Règlement uniquement par chèque, pas de champ email sur le coupon”",
        "~ Touchpoint changed · Email: “Email de bienvenue personnalisé” (email-bienvenue) "
        "— Label: Email de bienvenue{+ personnalisé+}",
        "+ Touchpoint added · SMS: “SMS J-30” (relance-sms)",
        "↦\ufe0e Touchpoint moved: “Souscription en ligne” (souscription-web) "
        "— Souscription · Site web → Reconquête · Site web",
    ]


def test_diff_with_nothing_changed_says_so(workspace):
    url, _ = workspace
    before = snapshot(url, "a")

    result = invoke(url, "diff", JID, str(before))

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == ["", "Aucun changement."]


def test_diff_refuses_unknown_ids_in_one_line(workspace):
    url, store = workspace
    mine = snapshot(url, "a")
    services.duplicate_journey(JID, store=store, new_id="autre")
    theirs = services.snapshot_journey("autre", "b", store=store).id

    for args, message in [
        (("nope", str(mine)), "journey 'nope' not found\n"),
        ((JID, "999"), f"snapshot '999' not found in journey '{JID}'\n"),
        ((JID, str(mine), str(theirs)), f"snapshot '{theirs}' not found in journey '{JID}'\n"),
    ]:
        result = invoke(url, "diff", *args)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit)
        assert result.output == message


def test_a_journey_in_the_trash_still_compares_its_snapshots_but_not_with_now(workspace):
    url, store = workspace
    before = snapshot(url, "a")
    known_edits(store)
    after = snapshot(url, "b")
    services.delete_journey(JID, store=store)

    kept = services.diff_snapshots(JID, before, after, store=store)
    assert kept.changes.counts() == {"added": 1, "removed": 1, "changed": 1, "moved": 1}
    with pytest.raises(services.NotFoundError):
        services.diff_snapshots(JID, before, store=store)

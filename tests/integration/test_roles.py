"""Who may do what: the services refuse what a role does not allow, and change nothing."""

from __future__ import annotations

import inspect

import pytest

from journeys import services
from journeys.contract.yaml_io import dump_document
from journeys.roles import (
    Actor,
    Permission,
    PermissionDenied,
    Role,
    hash_password,
    role_for_email,
    verify_password,
)

GUARDED = sorted(
    (name, fn.permission)
    for name, fn in inspect.getmembers(services, callable)
    if hasattr(fn, "permission")
)


def _workspace(store) -> list[str]:
    local = store.as_actor(Actor("audit", Role.FACILITATOR))
    return [
        services.export_yaml(j.id, store=local)
        for j in services.list_journeys(store=local, include_deleted=True)
    ]


@pytest.fixture
def seeded(store):
    services.create_from_template("first_subscription.fr.journey.yaml", store=store)
    return store


def test_every_service_that_writes_is_guarded():
    names = {name for name, _ in GUARDED}
    for required in (
        "import_yaml",
        "add_finding",
        "update_touchpoint",
        "delete_journey",
        "restore_snapshot",
        "add_moment",
        "duplicate_journey",
    ):
        assert required in names
    assert dict(GUARDED)["add_finding"] is Permission.EDIT
    assert dict(GUARDED)["list_journeys"] is Permission.READ


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CONTRIBUTOR])
def test_roles_without_edit_are_refused_every_editing_service_and_nothing_changes(seeded, role):
    before = _workspace(seeded)
    store = seeded.as_actor(Actor("someone", role))
    editing = [name for name, permission in GUARDED if permission is Permission.EDIT]
    assert len(editing) > 20
    for name in editing:
        with pytest.raises(PermissionDenied) as refused:
            # The check comes first, so the arguments need not even be valid.
            getattr(services, name)("premier-abonnement", "x", "y", store=store)
        assert role.value in str(refused.value) and "edit" in str(refused.value)
    assert _workspace(seeded) == before


def test_a_viewer_reads_and_exports(seeded):
    store = seeded.as_actor(Actor("manager", Role.VIEWER))
    assert [j.id for j in services.list_journeys(store=store)] == ["premier-abonnement"]
    text = services.export_yaml("premier-abonnement", store=store)
    assert text == dump_document(services.get_journey("premier-abonnement", store=store))


def test_an_editor_may_edit(seeded):
    store = seeded.as_actor(Actor("consultant", Role.EDITOR))
    services.rename_journey("premier-abonnement", "Nouveau titre", store=store)
    assert services.get_journey("premier-abonnement", store=store).title == "Nouveau titre"


def test_passwords_are_kept_hashed_and_checked():
    stored = hash_password("atelier-2026")
    assert "atelier-2026" not in stored and stored.startswith("scrypt$")
    assert verify_password("atelier-2026", stored)
    assert not verify_password("atelier-2027", stored)
    assert not verify_password("atelier-2026", "garbage")


def test_signed_in_users_get_the_role_configured_for_them_or_their_domain():
    mapping = {"anne@cabinet.fr": "facilitator", "*@client.fr": "contributor"}
    assert role_for_email("Anne@cabinet.fr", mapping, Role.VIEWER) is Role.FACILITATOR
    assert role_for_email("paul@client.fr", mapping, Role.VIEWER) is Role.CONTRIBUTOR
    assert role_for_email("x@ailleurs.com", mapping, Role.VIEWER) is Role.VIEWER

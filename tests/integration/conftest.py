"""Fixtures for the real store: every test runs on SQLite (a fresh file) and on PostgreSQL.

PostgreSQL: a database with a unique name is created on the server at
JOURNEYS_TEST_POSTGRES_URL for the test session and dropped at the end; tables are emptied
between tests. Unreachable server: the PostgreSQL tests are skipped locally, but fail in CI.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from journeys.contract.model import (
    Anchor,
    Channel,
    Entry,
    Finding,
    FindingType,
    Flow,
    Journey,
    JourneyState,
    JourneyType,
    Link,
    Moment,
    Objective,
    Phase,
    Program,
    Purpose,
    Source,
    Step,
    StepKind,
    Subscription,
    Timing,
    Touchpoint,
    TouchpointStatus,
)
from journeys.store.db import Store, open_store
from journeys.store.tables import metadata

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@/postgres?host=/var/run/postgresql"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.needs_postgres)]


def _admin_url() -> URL:
    return make_url(os.environ.get("JOURNEYS_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI runs every marker: start PostgreSQL or fix the URL)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[URL]:
    """URL of a brand-new PostgreSQL database for this test session (dropped afterwards)."""
    admin_url = _admin_url()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        admin.dispose()
        shown = admin_url.render_as_string(hide_password=True)
        _unavailable(f"PostgreSQL unreachable at {shown}: {exc.orig}")
    name = f"journeys_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_url: URL) -> URL:
    open_store(postgres_url).dispose()
    return postgres_url


def _empty_tables(url: URL) -> None:
    # DELETE, not TRUNCATE: on tables this small it is ten times faster.
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path) -> URL:
    """A migrated, empty database: a new SQLite file, or the session's PostgreSQL database."""
    if request.param == "sqlite":
        return make_url(f"sqlite:///{tmp_path / 'workspace' / 'journeys.db'}")
    url = request.getfixturevalue("migrated_postgres_url")
    _empty_tables(url)
    return url


@pytest.fixture
def store(database_url: URL) -> Iterator[Store]:
    opened = open_store(database_url)
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[URL]:
    """A database with no table at all: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield make_url(f"sqlite:///{tmp_path / 'new' / 'journeys.db'}")
        return
    base: URL = request.getfixturevalue("postgres_url")
    schema = f"empty_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"})
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# --- documents used across the store tests -------------------------------------------------


def build_journey(journey_id: str = "premier-abonnement") -> Journey:
    """A journey that uses every field of the contract, with hostile characters in the text."""
    finding = Finding(
        type=FindingType.IRRITANT,
        intensity=3,
        text='Codes reçus le lundi — « 20 min » d\'attente 😡 <b>&amp;</b> "quoted"',
        source=Source.MYSTERY_SHOPPER,
        improvement="Envoyer les codes par email et SMS\nsur deux lignes",
        visit="visite-1",
    )
    return Journey(
        id=journey_id,
        title="Parcours premier abonnement €",
        journey_type=JourneyType.FIRST_SUBSCRIPTION,
        state=JourneyState.CURRENT,
        language="fr",
        derived_from="ancien-parcours",
        persona="Abonné digital, 25-40 ans",
        description='=HYPERLINK("x") ; données',
        objectives=[Objective.CONVERSION, Objective.LIFETIME, Objective.CONVERSION],
        moments=[
            Moment(id="decouverte", label="Découverte"),
            Moment(
                id="souscription",
                label="Souscription",
                key=True,
                description="Clé",
                kpi="Conversion 3,2 % <b>objectif</b> 4 %",
            ),
        ],
        channels=[
            Channel(id="web", label="Site web", description="www"),
            Channel(id="email", label="Email"),
        ],
        touchpoints=[
            Touchpoint(
                id="formulaire",
                moment="souscription",
                channel="web",
                label="Formulaire",
                status=TouchpointStatus.POORLY_HANDLED,
                owner="Marketing",
                findings=[finding, Finding(type=FindingType.DELIGHT, intensity=1, text="Simple")],
            ),
            Touchpoint(id="pub", moment="decouverte", channel="web", label="Publicité"),
            Touchpoint(
                id="codes",
                moment="souscription",
                channel="email",
                label="Email codes",
                status=TouchpointStatus.MISSING,
                description="Jamais envoyé",
                findings=[Finding(type=FindingType.BREAK, intensity=2, text="Rupture")],
            ),
        ],
        flows=[
            Flow(from_="pub", to="formulaire"),
            Flow(from_="formulaire", to="codes", break_=True, label="attente"),
            Flow(from_="pub", to="formulaire"),
        ],
    )


def build_program(program_id: str = "programme-add") -> Program:
    """A program with every kind of timing, a link label and optional fields left empty."""
    return Program(
        id=program_id,
        title="Programme relationnel ADD",
        journey="premier-abonnement",
        objective=Objective.LIFETIME,
        goal="+5 points de réabonnement",
        language="fr",
        description="Décrit « en détail »",
        subscription=Subscription(term_months=12, tacit_renewal=True, prenotification_days=5),
        phases=[
            Phase(id="bienvenue", label="Bienvenue", moment="souscription"),
            Phase(id="fidelisation", label="Fidélisation", description="Après 3 mois"),
        ],
        steps=[
            Step(
                id="souscription-validee",
                phase="bienvenue",
                kind=StepKind.TRIGGER,
                label="Souscription validée",
                entry=Entry(segment=["Jeunes « 18-25 »", "Étudiants"], payment_method=["sepa"]),
            ),
            Step(
                id="email-bienvenue",
                phase="bienvenue",
                kind=StepKind.MESSAGE,
                label="Email de bienvenue",
                channel="email",
                timing=Timing(anchor=Anchor.START, offset_days=0),
                purpose=Purpose.PRE_NOTIFICATION,
                kpi="Taux d'ouverture",
            ),
            Step(
                id="attente",
                phase="fidelisation",
                kind=StepKind.WAIT,
                label="J-30",
                timing=Timing(anchor=Anchor.TERM_END, offset_days=-30),
            ),
            Step(
                id="relance",
                phase="fidelisation",
                kind=StepKind.DECISION,
                label="Relance ?",
                timing=Timing(anchor=Anchor.EVENT, offset_days=2, event="paiement-echoue"),
                description="Si pas de réponse",
            ),
        ],
        links=[
            Link(from_="souscription-validee", to="email-bienvenue"),
            Link(from_="email-bienvenue", to="attente", label="après envoi"),
            Link(from_="attente", to="relance"),
        ],
    )


@pytest.fixture
def sample_journey() -> Journey:
    return build_journey()


@pytest.fixture
def sample_program() -> Program:
    return build_program()

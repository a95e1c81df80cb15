"""The subscriber data page in AppTest: it opens on the import with no base; a stored base shows
its KPIs (the services' figures) and its charts; a bad file gets a clear message and nothing is
stored; a client's header holding Markdown is shown as text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.message import Message
from streamlit import config
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from journeys import services
from journeys.data import attrition
from journeys.data import services as ds
from journeys.data.demo import generate
from journeys.roles import hash_password
from pages.data import views
from tests.fixtures.subscriber_bases import FRENCH_HEADERS, french_rows, write_french_extract
from tests.ui.helpers import open_page, run, texts

PAGE = "pages/data/page.py"


@pytest.fixture(autouse=True)
def _fresh_views():
    views.forget()
    yield
    views.forget()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    return generate(tmp_path_factory.mktemp("demo"), 1500, seed=4)


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    uploader = next(u for u in at.file_uploader if u.key and u.key.startswith("data_import_file"))
    uploader.set_value((name, data, "text/csv"))
    return run(at)


def test_with_no_base_the_page_opens_on_the_import(db_url):
    at = open_page(PAGE)
    assert at.title[0].value == "Données abonnés"
    shown = texts(at)
    assert "8 Mo au plus" in "\n".join(u.label for u in at.file_uploader)
    assert "aucune ligne de l'extrait n'entre dans l'espace de travail" in shown
    assert "chemin sur le serveur" in shown  # bigger bases: said where to go


def test_a_stored_base_shows_its_kpis_and_its_charts(db_url, workspace, demo):
    ds.import_base("presse", demo.subscriptions, store=workspace, events=demo.events)
    view = ds.get_base_view("presse", store=workspace)
    expected = attrition.kpis(view.aggregates, view.table)
    at = open_page(PAGE)
    metrics = {m.label: m.value for m in at.metric}
    churn = f"{expected.churn_rate * 100:.1f}".replace(".", ",") + "\u00a0%"
    assert metrics["Attrition par an"] == churn
    assert metrics["Durée de vie médiane"].endswith("mois")
    assert "1\u00a0500 abonnements" in texts(at)
    assert at.get("plotly_chart"), "no survival chart"
    for tab in ("Risque mois par mois", "Cohortes", "Segments", "Signaux avant départ"):
        at.session_state["data_view_fr"] = tab
        at = run(at)
        assert at.get("plotly_chart") or at.dataframe, tab
    at.session_state["data_view_fr"] = "Moments fragiles"
    at = run(at)
    months = {row for row in at.dataframe[0].value.iloc[:, 0]}
    assert months == {
        f"mois {w.first}" if w.first == w.last else f"mois {w.first} à {w.last}"
        for w in view.windows
    }


def test_fragile_moments_are_placed_on_a_journeys_moments_as_suggested(db_url, workspace, demo):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    ds.import_base("presse", demo.subscriptions, store=workspace)
    at = open_page(PAGE)
    at.session_state["data_view_fr"] = "Moments fragiles"
    at = run(at)
    first = at.selectbox(key="data_link_premier-abonnement_presse_1_0-1")
    assert first.value == "bienvenue"  # month 0-1: the trial's end, suggested
    at = run(at.button(key="data_link_save").click())
    assert "« Parcours premier abonnement » lit cette base" in texts(at)
    linked = ds.journey_base_link("premier-abonnement", store=workspace)
    assert linked is not None and linked[0] == "presse"
    assert linked[1]["0-1"] == "bienvenue"


def test_a_viewer_reads_the_analysis_but_may_not_import_nor_link(
    db_url, workspace, demo, monkeypatch
):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    ds.import_base("presse", demo.subscriptions, store=workspace)
    monkeypatch.setenv("JOURNEYS_AUTH", "password")
    monkeypatch.setenv("JOURNEYS_EDITOR_PASSWORD_HASH", hash_password("atelier"))
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")  # this computer: the guest reads
    try:
        at = open_page(PAGE)
        assert "Attrition par an" in {m.label for m in at.metric}
        at.session_state["data_view_fr"] = "Moments fragiles"
        at = run(at)
        assert at.selectbox(key="data_link_premier-abonnement_presse_1_0-1").disabled
        assert "Lecture seule" in texts(at)
        assert not [b for b in at.button if b.key == "data_link_save"]
        at.session_state["data_section_fr"] = "Importer un extrait"
        at = run(at)
        assert "Importer une base demande le rôle d'éditeur" in texts(at)
        assert not at.file_uploader
    finally:
        config.set_option("server.address", before)


def test_a_file_with_bad_rows_lists_them_by_row_and_stores_nothing(db_url, workspace):
    rows = [
        ("A-1", "03/01/2024", "", "", "Numérique", "Carte", "99,00", "Web"),
        ("A-2", "", "", "", "Numérique", "Carte", "99,00", "Web"),
        ("A-3", "15/02/2024", "14/01/2024", "Prix", "Numérique", "Carte", "99,00", "Web"),
        ("A-1", "01/03/2024", "", "", "Numérique", "Carte", "99,00", "Web"),
    ]
    path = write_french_extract(Path(db_url.removeprefix("sqlite:///")).parent / "x.csv", rows)
    at = open_page(PAGE)
    at = _upload(at, "extrait.csv", path.read_bytes())
    assert at.selectbox(key="data_import_col_start").value == "Date de début"
    at = run(at.button(key="data_import_go").click())
    assert "4 ligne(s) ne peuvent pas être lues : rien n'a été enregistré" in texts(at)
    table = at.dataframe[-1].value
    assert list(table["Ligne"]) == [2, 3, 4, 5]
    assert list(table["Problème"]) == [
        "Identifiant en double",
        "Date de début manquante",
        "Fin avant le début",
        "Identifiant en double",
    ]
    assert ds.list_bases(store=workspace) == []


def test_a_file_that_is_not_a_table_or_is_empty_gets_a_clear_message(db_url, workspace):
    at = open_page(PAGE)
    at = _upload(at, "photo.png", b"\x89PNG\r\n")
    assert "« photo.png » n'est ni un CSV ni un Parquet" in texts(at)
    at = _upload(at, "vide.csv", b"")
    assert "Cet extrait ne peut pas être lu" in texts(at)
    assert not at.exception
    assert ds.list_bases(store=workspace) == []


def test_a_french_extract_imports_after_mapping_in_english_too(db_url, workspace, tmp_path):
    path = write_french_extract(tmp_path / "extrait.csv", french_rows(tmp_path / "demo", 300))
    at = open_page(PAGE, lang="en")
    at = _upload(at, "extrait abonnés.csv", path.read_bytes())
    assert at.text_input(key="data_import_name").value == "extrait abonnés"
    assert at.selectbox(key="data_import_col_price").value == "Prix annuel"
    assert at.selectbox(key="data_import_date_format").value == "%d/%m/%Y"
    at = run(at.button(key="data_import_go").click())
    assert "Base “extrait abonnés” imported: 300 subscriptions" in texts(at)
    (info,) = ds.list_bases(store=workspace)
    assert info.source == "extrait abonnés.csv"
    stored = ds.get_base_view("extrait abonnés", store=workspace).mapping
    assert stored.date_format == "%d/%m/%Y" and stored.decimal_comma is True
    assert at.metric, "the analysis opens on the new base"


# -- user text --------------------------------------------------------------------------------

HOSTILE = "![x](http://h/x.png)"
_MARKDOWN_FIELDS = {"body", "label", "options", "content", "title", "help"}
_PLAIN = {"text", "code", "html", "arrow_data_frame", "plotly_chart", "json", "imgs"}
_LIVE = re.compile(r"!\[|\]\(|<img|<a\b|https?://|www\.")
_ESCAPED = re.compile(r"\\.", re.DOTALL)


def _strings(message: Message) -> Iterator[tuple[str, str]]:
    for descriptor, value in message.ListFields():
        for item in value if descriptor.is_repeated else [value]:
            if isinstance(item, Message):
                yield from _strings(item)
            elif isinstance(item, str):
                yield descriptor.name, item


def _markdown(at: AppTest) -> list[str]:
    """Every string on the page that Streamlit renders as Markdown."""
    found, todo = [], [at._tree]
    while todo:
        node = todo.pop()
        if isinstance(node, Block):
            todo += list(node.children.values())
        proto, kind = getattr(node, "proto", None), getattr(node, "type", "")
        if not isinstance(proto, Message) or kind in _PLAIN:
            continue
        for name, text in _strings(proto):
            plain_options = kind in ("selectbox", "multiselect") and name == "options"
            if name in _MARKDOWN_FIELDS and not plain_options:
                found.append(text)
    return found


def test_a_hostile_header_is_shown_as_text(db_url, workspace, tmp_path):
    rows = french_rows(tmp_path / "demo", 200)
    headers = ";".join([*FRENCH_HEADERS, HOSTILE])
    body = "\r\n".join(";".join([*r, "Oui" if i % 3 else "Non"]) for i, r in enumerate(rows))
    data = (headers + "\r\n" + body + "\r\n").encode("cp1252")
    at = open_page(PAGE)
    at = _upload(at, "extrait.csv", data)
    assert HOSTILE in at.multiselect(key="data_import_segments").options
    assert HOSTILE in list(at.dataframe[-1].value.columns)
    assert not [t for t in _markdown(at) if _LIVE.search(_ESCAPED.sub("\0", t))]
    at.multiselect(key="data_import_segments").set_value([HOSTILE])
    at = run(at.button(key="data_import_go").click())
    at.session_state["data_view_fr"] = "Segments"
    at = run(at)
    assert at.selectbox(key="data_segment_column").value == "Offre"
    at.selectbox(key="data_segment_column").set_value(HOSTILE)
    at = run(at)
    shown = _markdown(at)
    assert not [t for t in shown if _LIVE.search(_ESCAPED.sub("\0", t))], shown
    assert "![x](http://h/x.png)" in texts(at)  # said, as typed

"""Fragile moments on the board, from a real base in a real workspace (SQLite and PostgreSQL):
a journey linked to the demo base gets badges on the moments its tenure windows are mapped to,
uncovered where the moment has no touchpoint or no finding; the base is parsed once per import;
a journey that reads no base reads nothing more."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys import services
from journeys.board.html import render_board
from journeys.contract.model import Finding, FindingType, Journey, Touchpoint
from journeys.contract.yaml_io import load_document
from journeys.data import attrition
from journeys.data import services as ds
from journeys.data.demo import generate
from journeys.store.db import Store

TEMPLATE = Path(__file__).resolve().parents[2] / "templates_journeys"
BASE = "presse démo"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    return generate(tmp_path_factory.mktemp("demo"), 3000, seed=5)


def _renewal_journey(store: Store) -> Journey:
    text = (TEMPLATE / "fixed_term_renewal.fr.journey.yaml").read_text(encoding="utf-8")
    journey = load_document(text)
    assert isinstance(journey, Journey)
    services.import_document(journey, store=store)
    return services.get_journey(journey.id, store=store)


def _link_as_suggested(journey: Journey, store: Store) -> dict[str, str]:
    windows = ds.get_base_view(BASE, store=store).windows
    pairs = [(m.id, m.label) for m in journey.moments]
    mapping = {w.key: s for w in windows if (s := attrition.suggest_moment(w, pairs))}
    ds.link_journey_base(journey.id, BASE, mapping, store=store)
    return mapping


def test_mapped_windows_badge_their_moments_with_what_the_base_loses(demo, store: Store) -> None:
    ds.import_base(BASE, demo.subscriptions, store=store)
    journey = _renewal_journey(store)
    mapping = _link_as_suggested(journey, store)
    assert "0-1" in mapping and "12-12" in mapping  # the trial's end and the first renewal

    found = ds.journey_attrition(journey, store=store)
    assert found is not None and found.base == BASE
    windows = {w.key: w for w in ds.get_base_view(BASE, store=store).windows}
    for moment in set(mapping.values()):
        badge = found.badges[moment]
        mine = [windows[k] for k, m in mapping.items() if m == moment]
        assert badge.lost_per_year == pytest.approx(sum(w.lost_per_year for w in mine))
        assert badge.share == pytest.approx(sum(w.share for w in mine))
        assert badge.revenue_per_year == pytest.approx(sum(w.revenue_per_year for w in mine))
        assert badge.revenue_per_year > 0
    assert {w.key for w in found.unmapped} == set(windows) - set(mapping)
    assert 0 < found.kpis.churn_rate < 1 and found.kpis.renewal_rate is not None
    assert (found.first_start, found.last_date) == (
        ds.get_base_view(BASE, store=store).aggregates.summary.first_start,
        "2026-06-30",
    )

    html = render_board(journey, attrition=found)
    assert html.count('<span class="jb-frag" ') == len(set(mapping.values()))
    assert "abonnés/an" in html and f"Base « {BASE} »" in html


def test_a_fragile_moment_without_touchpoint_or_finding_is_uncovered(demo, store: Store) -> None:
    ds.import_base(BASE, demo.subscriptions, store=store)
    journey = _renewal_journey(store)
    moment = "renouvellement"
    ds.link_journey_base(journey.id, BASE, {"12-12": moment}, store=store)

    # The template's renewal moment holds touchpoints with findings: covered.
    assert any(tp.findings for tp in journey.touchpoints if tp.moment == moment)
    assert not ds.journey_attrition(journey, store=store).badges[moment].uncovered

    bare = journey.model_copy(deep=True)
    for tp in bare.touchpoints:
        if tp.moment == moment:
            tp.findings = []
    assert ds.journey_attrition(bare, store=store).badges[moment].uncovered

    bare.touchpoints = [tp for tp in bare.touchpoints if tp.moment != moment]
    badge = ds.journey_attrition(bare, store=store).badges[moment]
    assert badge.uncovered
    header = render_board(bare, attrition=ds.journey_attrition(bare, store=store))
    assert "aucun point de contact à ce moment" in header and "non couvert" in header

    # One finding on one of its touchpoints covers it again.
    channel = bare.channels[0].id
    bare.touchpoints.append(
        Touchpoint(
            id="relance-tel",
            moment=moment,
            channel=channel,
            label="Relance",
            findings=[Finding(type=FindingType.IRRITANT, intensity=2, text="Trop tard")],
        )
    )
    assert not ds.journey_attrition(bare, store=store).badges[moment].uncovered


def test_the_base_is_parsed_once_per_import_and_again_after_a_new_one(demo, store: Store) -> None:
    ds.import_base(BASE, demo.subscriptions, store=store)
    journey = _renewal_journey(store)
    _link_as_suggested(journey, store)
    link = ds.journey_base_state(journey.id, store=store)
    assert link is not None and link.base == BASE and link.version == 1
    first = ds.journey_attrition(journey, store=store, link=link)
    again = ds.journey_attrition(journey, store=store)
    assert again is not None and first is not None
    assert again.kpis is first.kpis  # the same parse, kept

    ds.import_base(BASE, demo.subscriptions, store=store)
    newer = ds.journey_base_state(journey.id, store=store)
    assert newer is not None and newer.version == 2 and newer != link
    assert ds.journey_attrition(journey, store=store, link=newer).kpis is not first.kpis

    # Deleted and imported again: version 1 again, but another import, so parsed again.
    ds.delete_base(BASE, store=store)
    assert ds.journey_base_state(journey.id, store=store) is None  # the link went with it
    ds.import_base(BASE, demo.subscriptions, store=store)
    _link_as_suggested(journey, store)
    reborn = ds.journey_base_state(journey.id, store=store)
    assert reborn is not None and reborn.version == 1 and reborn != link


def test_a_journey_without_base_reads_no_badge(store: Store) -> None:
    journey = _renewal_journey(store)
    assert ds.journey_base_state(journey.id, store=store) is None
    assert ds.journey_attrition(journey, store=store) is None


def test_the_journey_pdf_lists_the_fragile_moments_its_base_shows(demo, store: Store) -> None:
    """The executive first page names the fragile moments of a journey that reads a base."""
    import io

    from pypdf import PdfReader

    from journeys.export.services import export_download

    journey = _renewal_journey(store)
    ds.import_base(BASE, demo.subscriptions, store=store)
    mapping = _link_as_suggested(journey, store)
    assert mapping
    first = PdfReader(io.BytesIO(export_download(journey.id, store=store, fmt="pdf").data))
    text = " ".join(first.pages[0].extract_text().split())
    labels = {m.id: m.label for m in journey.moments}
    assert BASE in text
    assert all(" ".join(labels[m].split()) in text for m in set(mapping.values()))
    ds.link_journey_base(journey.id, None, {}, store=store)
    again = PdfReader(io.BytesIO(export_download(journey.id, store=store, fmt="pdf").data))
    assert BASE not in " ".join(again.pages[0].extract_text().split())

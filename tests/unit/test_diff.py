"""What changed between two versions of a journey: touchpoints and findings added, removed,
changed (with a word diff) and moved; moments, channels and flows; the listing and the board."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given

from journeys.board.diff import Change, TouchpointChange, diff_journeys
from journeys.board.diff_board import diff_board
from journeys.board.diff_list import diff_entries, diff_text, words_text
from journeys.board.html import render_board
from journeys.board.text_diff import word_diff
from journeys.contract.model import Journey
from tests.fixtures.board_samples import make_journey
from tests.strategies import journeys, text


def edited(journey: Journey, edit) -> Journey:  # type: ignore[no-untyped-def]
    """A copy of `journey` changed by `edit(data)` on its plain data, checked by the contract."""
    data: dict[str, Any] = journey.model_dump(by_alias=True)
    edit(data)
    return Journey.model_validate(data)


def touchpoint(data: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(tp for tp in data["touchpoints"] if tp["id"] == ident)


def drop_touchpoint(data: dict[str, Any], ident: str) -> None:
    """Remove a touchpoint and the flows to or from it, as deleting it on the board does."""
    data["touchpoints"] = [tp for tp in data["touchpoints"] if tp["id"] != ident]
    data["flows"] = [f for f in data["flows"] if ident not in (f["from"], f["to"])]


def kinds(changes: tuple[TouchpointChange, ...]) -> list[tuple[Change, str]]:
    return [(c.change, c.touchpoint.id) for c in changes]


# --- word diff -------------------------------------------------------------------------------


def test_word_diff_marks_only_the_words_that_changed():
    words = word_diff("Email de bienvenue envoyé", "Email de confirmation envoyé le jour même")

    assert words == (
        ("=", "Email de "),
        ("-", "bienvenue"),
        ("+", "confirmation"),
        ("=", " envoyé"),
        ("+", " le jour même"),
    )
    assert words_text(words) == "Email de [-bienvenue-]{+confirmation+} envoyé{+ le jour même+}"


def test_word_diff_reads_two_neighbour_words_replaced_as_one_replacement():
    assert word_diff("trop long à remplir", "vraiment court à remplir") == (
        ("-", "trop long"),
        ("+", "vraiment court"),
        ("=", " à remplir"),
    )


@given(text, text)
def test_word_diff_gives_both_texts_back(before, after):
    words = word_diff(before, after)

    assert "".join(t for op, t in words if op != "+") == before
    assert "".join(t for op, t in words if op != "-") == after


@given(journeys())
def test_a_journey_compared_with_itself_has_no_change(journey):
    diff = diff_journeys(journey, journey)

    assert diff.empty
    assert diff_entries(diff, "en") == []


# --- touchpoints -----------------------------------------------------------------------------


def test_touchpoints_added_removed_changed_and_moved_are_told_apart():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        data["touchpoints"].append(
            {"id": "relance", "moment": "bienvenue", "channel": "email", "label": "Relance"}
        )
        drop_touchpoint(data, "email-codes")
        touchpoint(data, "pub")["label"] = "Page de l'offre"
        touchpoint(data, "appel")["moment"] = "souscription"

    diff = diff_journeys(before, edited(before, edit))

    assert sorted(kinds(diff.touchpoints)) == sorted(
        [
            (Change.CHANGED, "pub"),
            (Change.REMOVED, "email-codes"),
            (Change.MOVED, "appel"),
            (Change.ADDED, "relance"),
        ]
    )
    label = next(c for c in diff.touchpoints if c.change is Change.CHANGED).fields
    assert [(f.field, f.before, f.after) for f in label] == [
        ("label", "Page offre", "Page de l'offre")
    ]
    assert words_text(label[0].words) == "Page {+de l'+}offre"
    assert diff.findings == ()  # none of the findings changed
    assert [(c.change, c.flow.to) for c in diff.flows] == [(Change.REMOVED, "email-codes")]
    assert diff.counts() == {Change.ADDED: 1, Change.REMOVED: 1, Change.CHANGED: 1, Change.MOVED: 1}


def test_a_touchpoint_moved_and_renamed_is_moved_with_its_label_change():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        touchpoint(data, "appel").update(channel="email", label="Email de bienvenue")

    (change,) = diff_journeys(before, edited(before, edit)).touchpoints

    assert change.change is Change.MOVED
    assert (change.before.channel, change.after.channel) == ("tel", "email")
    assert [f.field for f in change.fields] == ["label"]


def test_the_findings_of_a_touchpoint_come_and_go_with_it():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        drop_touchpoint(data, "formulaire")

    diff = diff_journeys(before, edited(before, edit))

    assert kinds(diff.touchpoints) == [(Change.REMOVED, "formulaire")]
    assert diff.findings == ()
    (entry,) = [e for e in diff_entries(diff, "en") if "Touchpoint" in e.text]
    assert entry.text == "Touchpoint removed · Site web: “Formulaire” (formulaire), with 3 findings"


# --- findings --------------------------------------------------------------------------------


def test_findings_added_removed_and_changed_on_one_touchpoint():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        findings = touchpoint(data, "formulaire")["findings"]
        findings[0]["intensity"] = 2  # "Trop long": changed
        del findings[1]  # "Codes reçus lundi": removed
        findings.append({"type": "irritant", "intensity": 1, "text": "Captcha illisible"})

    diff = diff_journeys(before, edited(before, edit))

    assert [(c.change, c.finding.text) for c in diff.findings] == [
        (Change.CHANGED, "Trop long"),
        (Change.REMOVED, "Codes reçus lundi"),
        (Change.ADDED, "Captcha illisible"),
    ]
    changed = diff.findings[0].fields
    assert [(f.field, f.before, f.after) for f in changed] == [("intensity", 3, 2)]
    assert diff.touchpoints == ()


def test_a_finding_whose_text_was_edited_is_changed_with_its_word_diff():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        touchpoint(data, "formulaire")["findings"][1]["text"] = "Codes reçus le lundi suivant"

    (change,) = diff_journeys(before, edited(before, edit)).findings

    assert change.change is Change.CHANGED
    assert words_text(change.fields[0].words) == "Codes reçus {+le +}lundi{+ suivant+}"


def test_a_finding_rewritten_entirely_is_removed_and_another_added():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        touchpoint(data, "formulaire")["findings"][1]["text"] = "Aucune confirmation de commande"

    changes = diff_journeys(before, edited(before, edit)).findings

    assert [c.change for c in changes] == [Change.REMOVED, Change.ADDED]


def test_a_finding_moved_to_another_touchpoint_is_moved_not_removed_and_added():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        moved = touchpoint(data, "formulaire")["findings"].pop(1)
        touchpoint(data, "appel")["findings"] = [moved]

    (change,) = diff_journeys(before, edited(before, edit)).findings

    assert (change.change, change.from_touchpoint, change.touchpoint) == (
        Change.MOVED,
        "formulaire",
        "appel",
    )
    assert change.fields == ()


def test_findings_reordered_on_their_touchpoint_are_no_change():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        touchpoint(data, "formulaire")["findings"].reverse()

    assert diff_journeys(before, edited(before, edit)).empty


# --- moments, channels, flows, the journey's own fields -------------------------------------


def test_moments_added_removed_renamed_and_reordered():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        data["moments"] = [
            {"id": "souscription", "label": "Souscription", "key": True},
            {"id": "decouverte", "label": "Découverte de l'offre"},
            {"id": "relance", "label": "Relance"},
        ]
        drop_touchpoint(data, "appel")

    diff = diff_journeys(before, edited(before, edit))

    # In the later order, a removed moment back after the one it followed.
    assert [(c.change, c.id) for c in diff.moments] == [
        (Change.REMOVED, "bienvenue"),
        (Change.CHANGED, "decouverte"),
        (Change.ADDED, "relance"),
    ]
    assert words_text(diff.moments[1].fields[0].words) == "Découverte{+ de l'offre+}"
    assert diff.moment_order is not None
    assert diff.moment_order.before == ("decouverte", "souscription")
    assert diff.moment_order.after == ("souscription", "decouverte")
    assert kinds(diff.touchpoints) == [(Change.REMOVED, "appel")]


def test_channels_flows_and_the_journey_s_own_fields():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        data["title"] = "Premier abonnement en ligne"
        data["channels"][1]["label"] = "Courriel"
        data["flows"][1]["break"] = False
        data["flows"].append({"from": "email-codes", "to": "appel"})

    diff = diff_journeys(before, edited(before, edit))

    assert [(f.field, f.before, f.after) for f in diff.header] == [
        ("title", "Premier abonnement", "Premier abonnement en ligne")
    ]
    assert [(c.change, c.id) for c in diff.channels] == [(Change.CHANGED, "email")]
    assert [(c.change, c.flow.from_, c.flow.to) for c in diff.flows] == [
        (Change.CHANGED, "formulaire", "email-codes"),
        (Change.ADDED, "email-codes", "appel"),
    ]
    assert [(f.field, f.before, f.after) for f in diff.flows[0].fields] == [("break", True, False)]


# --- the listing -----------------------------------------------------------------------------


def known_edits(before: Journey) -> Journey:
    def edit(data: dict[str, Any]) -> None:
        data["touchpoints"].append(
            {"id": "relance", "moment": "bienvenue", "channel": "email", "label": "Relance"}
        )
        del touchpoint(data, "formulaire")["findings"][1]
        touchpoint(data, "pub")["label"] = "Page de l'offre"
        touchpoint(data, "appel")["channel"] = "web"

    return edited(before, edit)


def test_the_listing_groups_changes_by_moment_in_board_order():
    before = make_journey()
    diff = diff_journeys(before, known_edits(before))

    assert [(e.group, e.line) for e in diff_entries(diff, "en")] == [
        (
            "Moment of life “Découverte”",
            "~ Touchpoint changed · Site web: “Page de l'offre” (pub) — Label: Page {+de l'+}offre",
        ),
        (
            "Moment of life “Souscription”",
            "− Finding removed · “Formulaire”: ✖\ufe0e✖\ufe0e Break “Codes reçus lundi”",
        ),
        (
            "Moment of life “Bienvenue”",
            "↦\ufe0e Touchpoint moved: “Appel de bienvenue” (appel)"
            " — Bienvenue · Téléphone → Bienvenue · Site web",
        ),
        ("Moment of life “Bienvenue”", "+ Touchpoint added · Email: “Relance” (relance)"),
    ]


def test_the_listing_speaks_french_with_french_typography():
    before = make_journey()
    listing = diff_text(diff_journeys(before, known_edits(before)), "fr", heading="Titre")

    assert "Moment de vie «\u00a0Découverte\u00a0»" in listing
    nb = "\u00a0"
    assert f"Point de contact modifié · Site web{nb}: «{nb}Page de l'offre{nb}» (pub)" in listing
    assert "Constat supprimé" in listing and "Point de contact déplacé" in listing
    assert listing.endswith(
        "Points de contact et constats\u00a0: 1 ajouté(s), 1 supprimé(s), 1 modifié(s), "
        "1 déplacé(s).\nMots changés\u00a0: [-retirés-]{+ajoutés+}\n"
    )


def test_the_listing_of_no_change_says_so():
    journey = make_journey()

    assert diff_text(diff_journeys(journey, journey), "en", heading="H") == "H\n\nNo change.\n"


# --- the board -------------------------------------------------------------------------------


def test_the_board_of_a_diff_puts_back_what_was_removed_and_marks_each_change():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        drop_touchpoint(data, "email-codes")

    after = edited(known_edits(before), edit)
    drawn, marks = diff_board(diff_journeys(before, after), "en")

    assert {tp.id for tp in drawn.touchpoints} == {tp.id for tp in before.touchpoints} | {"relance"}
    assert {k: v.change for k, v in marks.cards.items()} == {
        "pub": Change.CHANGED,
        "appel": Change.MOVED,
        "relance": Change.ADDED,
        "email-codes": Change.REMOVED,
        "formulaire": None,  # only one of its findings changed
    }
    formulaire = next(tp for tp in drawn.touchpoints if tp.id == "formulaire")
    assert formulaire.findings[-1].text == "Codes reçus lundi"  # put back, last
    assert marks.cards["formulaire"].findings == {2: Change.REMOVED}
    assert marks.cards["appel"].note == "Moved from Bienvenue · Téléphone"

    html = render_board(drawn, lang="en", marks=marks)
    assert len(re.findall(r'class="jb-card[^"]* jb-x-(\w+)"', html)) == 4
    assert 'jb-fx-removed"' in html
    for word in ("+ Added", "− Removed", "~ Changed", "↦\ufe0e Moved"):
        assert word in html  # in the legend at least


def test_the_board_of_a_diff_marks_moments_and_channels_added_or_removed():
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        data["moments"].append({"id": "relance", "label": "Relance"})
        data["channels"] = [c for c in data["channels"] if c["id"] != "tel"]
        drop_touchpoint(data, "appel")

    drawn, marks = diff_board(diff_journeys(before, edited(before, edit)), "fr")
    html = render_board(drawn, lang="fr", marks=marks)

    assert marks.moments == {"relance": Change.ADDED}
    assert marks.channels == {"tel": Change.REMOVED}
    assert re.search(r'<th scope="col" class="jb-x-added"><span class="jb-xbadge', html)
    assert re.search(r'<th scope="row" class="jb-x-removed"><span class="jb-xbadge', html)


def test_the_board_of_a_diff_escapes_user_text():
    hostile = '<img src=x onerror=alert(1)> "quoted" & </style>'
    before = make_journey()

    def edit(data: dict[str, Any]) -> None:
        touchpoint(data, "pub")["label"] = hostile
        touchpoint(data, "appel")["moment"] = "souscription"
        data["moments"][2]["label"] = hostile

    drawn, marks = diff_board(diff_journeys(before, edited(before, edit)), "en")
    html = render_board(drawn, lang="en", marks=marks)

    assert "<img" not in html and "</style> " not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &lt;/style&gt;" in html


def test_a_board_without_marks_is_drawn_as_before():
    html = render_board(make_journey(), lang="en")

    assert "jb-x" not in html and "jb-fx-" not in html and "Added" not in html

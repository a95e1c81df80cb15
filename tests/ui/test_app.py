"""The app driven through AppTest: every page runs, the library and board flows work."""

from __future__ import annotations

import json
import time

import pytest
from streamlit.testing.v1 import AppTest

from journeys import services
from journeys.contract.model import FindingType, Moment, TouchpointStatus
from pages.common.shared import PROJECTOR, _open_store
from tests.ui.helpers import as_shown, button, new_app, run, texts

BAD_YAML = b"format: journeys/v1\nkind: journey\nid: Pas Un Slug\ntitle: x\nmoments: [\n"
UNKNOWN_FIELD_YAML = (
    b"format: journeys/v1\nkind: journey\nid: essai\ntitle: Essai\ntouchpionts: []\n"
)


@pytest.fixture
def store(db_url):
    """The app's own store: what the test writes is what another session of the same server
    would write (see the test of a write from elsewhere for another process)."""
    return _open_store(db_url)


def create_first_subscription(at: AppTest) -> str:
    picker = at.selectbox(key="library_tpl_pick")
    index = next(
        i
        for i, o in enumerate(picker.options)
        if "premier abonnement" in o.lower() or "first subscription" in o.lower()
    )
    picker.select_index(index)
    run(at.button(key="library_new_submit").click())
    jid = at.session_state["app_journey"]
    assert jid
    return jid


def open_board(at: AppTest) -> AppTest:
    at.switch_page("pages/board/page.py")
    return run(at)


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open one of the board's editing tabs (only the open tab is drawn)."""
    assert label in [t.label for t in at.tabs]
    at.session_state["board_edit_tab"] = label
    return run(at)


def canvas(at: AppTest) -> tuple[dict, dict]:
    """What the board's canvas (pages/board/canvas) was given: its live part (view, projector,
    findings shown…) and its board (moments, channels, cards, words); the component writes
    every user text as text (tests/e2e/test_canvas.py)."""
    found = [e for e in at.get("bidi_component") if e.key == "board_canvas"]
    assert len(found) == 1, "no canvas on the board"
    live, _, board = found[0].proto.bytes.partition(b"\n")
    return json.loads(live), json.loads(board)


def switch(at: AppTest, key: str) -> dict:
    """What the page gave one of its instant switches (pages/common/switch.py) to draw. AppTest
    cannot click them: the browser tests do."""
    found = [e for e in at.get("bidi_component") if e.key == key]
    assert len(found) == 1, f"no switch {key!r}"
    proto = found[0].proto
    return json.loads(proto.json or proto.mixed.json)


def test_every_page_runs_without_a_journey_and_with_one(app):
    assert "Bibliothèque des parcours" in [t.value for t in app.title]
    open_board(app)
    assert "Choisissez d'abord un parcours" in texts(app)
    app.switch_page("pages/library/page.py")
    run(app)
    jid = create_first_subscription(app)
    assert "Parcours premier abonnement" in [s.value for s in app.subheader]
    open_board(app)
    assert canvas(app)[1]["journey"] == jid
    assert app.query_params["journey"] in (jid, [jid])


def test_language_switch_translates_the_pages_and_the_url(app):
    app.button_group(key="app_lang_picker").set_value("en")
    run(app)
    assert "Journey library" in [t.value for t in app.title]
    assert app.query_params["lang"] in ("en", ["en"])
    jid = create_first_subscription(app)
    open_board(app)
    assert "Touchpoints" in [t.label for t in app.tabs]
    assert canvas(app)[1]["words"]["board.gap"] == "Empty cell: no touchpoint"
    assert jid


def test_create_from_template_makes_it_the_working_journey(app, store):
    jid = create_first_subscription(app)
    assert "créé" in texts(app)
    journey = services.get_journey(jid, store=store)
    assert journey.touchpoints
    assert jid in [s.id for s in services.list_journeys(store=store)]


def test_board_adds_a_moment_a_channel_a_touchpoint_and_a_finding(app, store):
    jid = create_first_subscription(app)
    open_board(app)

    open_tab(app, "Moments de vie")
    app.text_input(key="board_add_moment_label").input("Moment <script>x</script>")
    run(app.button(key="board_add_moment_submit").click())
    journey = services.get_journey(jid, store=store)
    assert journey.moments[-1].label == "Moment <script>x</script>"
    moment_id = journey.moments[-1].id
    assert canvas(app)[1]["moments"][-1]["label"] == "Moment <script>x</script>"  # data, not HTML

    open_tab(app, "Canaux")
    app.text_input(key="board_add_channel_label").input("Courrier papier")
    run(app.button(key="board_add_channel_submit").click())
    journey = services.get_journey(jid, store=store)
    assert journey.channels[-1].label == "Courrier papier"
    channel_id = journey.channels[-1].id

    open_tab(app, "Points de contact")
    assert not [w for w in app.text_input if w.key == "board_add_tp_label"]  # not until asked
    run(app.button(key="board_add_tp_open").click())
    app.selectbox(key="board_add_tp_moment").set_value(moment_id)
    app.selectbox(key="board_add_tp_channel").set_value(channel_id)
    app.text_input(key="board_add_tp_label").input("Coupon de réabonnement")
    run(app.button(key="board_add_tp_submit").click())
    journey = services.get_journey(jid, store=store)
    added = [tp for tp in journey.touchpoints if tp.label == "Coupon de réabonnement"]
    assert added and (added[0].moment, added[0].channel) == (moment_id, channel_id)
    tp_id = added[0].id

    # the dialog of the new touchpoint is open, ready for its findings
    assert app.session_state["board_dialog"] == tp_id
    prefix = f"board_add_f_{tp_id}"
    app.text_input(key=f"{prefix}_text").input("Le coupon arrive après l'échéance")
    app.text_area(key=f"{prefix}_improvement").input("Envoyer le coupon 6 semaines avant")
    app.radio(key=f"{prefix}_intensity").set_value(3)
    app.radio(key=f"{prefix}_type").set_value(FindingType.BREAK)
    run(app.button(key=f"{prefix}_submit").click())
    touchpoint = next(
        tp for tp in services.get_journey(jid, store=store).touchpoints if tp.id == tp_id
    )
    assert len(touchpoint.findings) == 1
    finding = touchpoint.findings[0]
    assert (finding.type, finding.intensity) == (FindingType.BREAK, 3)
    assert finding.improvement == "Envoyer le coupon 6 semaines avant"
    card = next(c for c in canvas(app)[1]["cards"] if c["id"] == tp_id)
    assert card["marks"] == {"break": [0, 0, 1]}  # the overview counts it: a break, strong


def test_touchpoint_dialog_edits_the_touchpoint_and_its_finding(app, store):
    jid = create_first_subscription(app)
    open_board(app)
    editable = services.get_journey_for_edit(jid, store=store)
    tp = next(tp for tp in editable.journey.touchpoints if tp.findings)
    app.session_state["board_tp_picker"] = True  # the picker's popover, opened
    run(app)
    app.selectbox(key="board_pick_tp").set_value(tp.id)
    run(app.button(key="board_edit_tp").click())
    version = editable.touchpoint_versions[tp.id]
    form = f"board_tp_{tp.id}_{version}"
    app.text_input(key=f"{form}_owner").input("Service client")
    app.radio(key=f"{form}_status").set_value(TouchpointStatus.POORLY_HANDLED)
    run(app.button(key=f"{form}_submit").click())
    ref = editable.finding_refs[tp.id][0]
    finding_form = f"board_f_{ref.id}_{ref.version}"
    app.text_input(key=f"{finding_form}_text").input("Texte corrigé")
    run(app.button(key=f"{finding_form}_submit").click())
    saved = next(t for t in services.get_journey(jid, store=store).touchpoints if t.id == tp.id)
    assert (saved.owner, saved.status) == ("Service client", TouchpointStatus.POORLY_HANDLED)
    assert saved.findings[0].text == "Texte corrigé"
    assert app.session_state["board_dialog"] == tp.id  # still open for the next finding
    run(app.button(key="board_dialog_close").click())
    assert "board_dialog" not in app.session_state


def test_a_bad_yaml_import_shows_its_error_and_changes_nothing(app, store):
    before = services.list_journeys(store=store, include_deleted=True)
    for name, data in (("casse.yaml", BAD_YAML), ("faute.journey.yaml", UNKNOWN_FIELD_YAML)):
        app.file_uploader(key="library_upload").set_value((name, data, "application/x-yaml"))
        run(app)
        run(button(app, "Importer").click())
        assert "Fichier refusé : rien n'a été importé." in [as_shown(e.value) for e in app.error]
        detail = "\n".join(c.value for c in app.code)
        assert name in detail
        assert services.list_journeys(store=store, include_deleted=True) == before
    assert "touchpionts" in detail


def test_a_good_yaml_import_selects_the_journey(app, store, db_url):
    jid = create_first_subscription(app)
    text = services.export_yaml(jid, store=store).replace(f"id: {jid}", "id: copie-importee", 1)
    app.file_uploader(key="library_upload").set_value(("copie.yaml", text.encode(), "text/yaml"))
    run(app)
    run(button(app, "Importer").click())
    assert app.session_state["app_journey"] == "copie-importee"


def test_projector_toggle_hides_the_editing_chrome(app):
    create_first_subscription(app)
    open_board(app)
    open_tab(app, "Moments de vie")
    assert app.tabs and app.text_input(key="board_add_moment_label")
    projector = switch(app, "board_projector_switch")
    assert projector["label"] == "Mode projecteur" and projector["checked"] is False
    assert (projector["target"], projector["cls"]) == (".jb-board", "jb-projector")
    assert canvas(app)[0]["projector"] is False  # the canvas's root: `.jb-board`, no class
    app.session_state[PROJECTOR] = True  # what a click on the switch stores
    run(app)
    assert canvas(app)[0]["projector"] is True  # `.jb-projector` on the canvas's root
    assert switch(app, "board_projector_switch")["checked"] is True
    assert not app.tabs
    assert not [w for w in app.text_input if w.key == "board_add_moment_label"]
    app.session_state[PROJECTOR] = False
    run(app)
    assert app.tabs


def test_the_findings_switch_hides_the_findings_by_a_class(app):
    create_first_subscription(app)
    open_board(app)
    findings = switch(app, "board_findings_switch")
    assert findings["label"] == "Afficher les constats" and findings["checked"] is True
    assert (findings["cls"], findings["invert"]) == ("jb-hide-findings", True)
    assert canvas(app)[0]["findings"] is True
    app.session_state["board_show_findings"] = False
    run(app)
    assert canvas(app)[0]["findings"] is False  # `.jb-hide-findings` on the canvas's root
    assert switch(app, "board_findings_switch")["checked"] is False


def test_deep_link_opens_the_board_of_that_journey(db_url, store):
    services.create_from_template("first_subscription.fr.journey.yaml", store=store, new_id="lien")
    at = new_app()
    at.query_params["journey"] = "lien"
    at.query_params["lang"] = "en"
    run(at)
    assert at.session_state["app_journey"] == "lien"
    assert at.session_state["app_lang"] == "en"
    assert canvas(at)[1]["journey"] == "lien" and canvas(at)[1]["lang"] == "en"


def test_a_stale_edit_shows_what_changed_and_can_be_reapplied(app, store):
    jid = create_first_subscription(app)
    open_board(app)
    open_tab(app, "Moments de vie")
    app.selectbox(key="board_pick_moment").select_index(0)
    run(app)
    editable = services.get_journey_for_edit(jid, store=store)
    first = editable.journey.moments[0]
    version = editable.moment_versions[first.id]
    # someone else renames the moment and describes it while this user edits it
    theirs = first.model_copy(update={"label": "Renommé ailleurs", "description": "Par Paul"})
    services.update_moment(jid, first.id, theirs, store=store, expected_version=version)
    prefix = f"board_moment_{first.id}_{version}"
    app.text_input(key=f"{prefix}_label").input("Mon libellé")
    run(app.button(key=f"{prefix}_submit").click())
    assert services.get_journey(jid, store=store).moments[0].label == "Renommé ailleurs"
    assert app.session_state["board_stale"]["kind"] == "moment"
    table = "".join(df.value.to_string() for df in app.dataframe)
    assert "Renommé ailleurs" in table and "Mon libellé" in table and "Par Paul" in table
    run(app.button(key="board_stale_reapply").click())
    moment = services.get_journey(jid, store=store).moments[0]
    assert moment.label == "Mon libellé"
    assert moment.description == "Par Paul"  # what the other person did is kept
    assert "board_stale" not in app.session_state


def test_deleting_a_moment_with_touchpoints_asks_first_and_goes_to_the_trash(app, store):
    jid = create_first_subscription(app)
    open_board(app)
    journey = services.get_journey(jid, store=store)
    busy = next(m for m in journey.moments if any(tp.moment == m.id for tp in journey.touchpoints))
    index = [m.id for m in journey.moments].index(busy.id)
    open_tab(app, "Moments de vie")
    app.selectbox(key="board_pick_moment").select_index(index)
    run(app)
    run(app.button(key="board_del_moment").click())
    assert busy.id in [m.id for m in services.get_journey(jid, store=store).moments]
    run(app.button(key="board_confirm_yes").click())
    assert busy.id not in [m.id for m in services.get_journey(jid, store=store).moments]
    assert busy.id in [i.item_id for i in services.list_trash(store=store)]


def test_unused_moment_is_deleted_without_asking(app, store):
    jid = create_first_subscription(app)
    editable = services.get_journey_for_edit(jid, store=store)
    services.add_moment(jid, Moment(id="vide", label="Vide"), store=store)
    open_board(app)
    open_tab(app, "Moments de vie")
    app.selectbox(key="board_pick_moment").select_index(len(editable.journey.moments))
    run(app)
    run(app.button(key="board_del_moment").click())
    assert "vide" not in [m.id for m in services.get_journey(jid, store=store).moments]


def test_only_the_open_editing_tab_is_drawn_and_each_tab_works(app):
    create_first_subscription(app)
    open_board(app)
    assert [t.label for t in app.tabs] == [
        "Points de contact",
        "Moments de vie",
        "Canaux",
        "Enchaînements",
    ]
    assert [p for p in app.get("popover") if p.key == "board_tp_picker"]  # the first tab is open
    # its picker (hundreds of options on a large journey) is drawn only once its popover opens
    assert not [w for w in app.selectbox if w.key == "board_pick_tp"]
    app.session_state["board_tp_picker"] = True
    run(app)
    assert app.selectbox(key="board_pick_tp")
    assert not [w for w in app.text_input if w.key == "board_add_moment_label"]
    for label, picker in (
        ("Moments de vie", "board_pick_moment"),
        ("Canaux", "board_pick_channel"),
        ("Enchaînements", "board_pick_flow"),
    ):
        open_tab(app, label)
        assert app.selectbox(key=picker)
        assert not [w for w in app.selectbox if w.key == "board_pick_tp"]
    assert app.dataframe  # the table of flows


def test_the_analysis_is_drawn_once_its_expander_is_opened(app):
    create_first_subscription(app)
    open_board(app)
    assert "Ruptures entre points de contact" not in texts(app)
    app.session_state["board_analysis"] = True
    run(app)
    assert "Ruptures entre points de contact" in texts(app)
    assert len(app.get("plotly_chart")) == 2  # the emotion curve and the heat map


def test_the_inbox_shows_notes_and_keeps_discarded_ones_restorable(app, store):
    from journeys.workshop import participants as p

    jid = create_first_subscription(app)
    open_board(app)
    code = p.open_workshop(jid, store=store)
    assert any(p.format_code(code) in h.value for h in app.get("html"))  # the code to join
    assert "Pas encore de note" in texts(app)

    journey = services.get_journey(jid, store=store)
    draft = p.NoteDraft(
        type=FindingType.IRRITANT,
        text="Le <b>code</b> promo est refusé",
        moment=journey.moments[0].id,
        channel=journey.channels[0].id,
    )
    note_id = p.submit_note(jid, code, draft, store=store)
    run(app)
    shown = "".join(h.value for h in app.get("html") if "ib-note" in h.value)
    assert "Le &lt;b&gt;code&lt;/b&gt; promo est refusé" in shown  # user text stays text

    run(app.button(key=f"inbox_discard_{note_id}").click())
    assert p.inbox(jid, store=store).discarded[0].id == note_id
    assert not [b for b in app.button if b.key == f"inbox_restore_{note_id}"]  # closed: not drawn
    app.session_state["inbox_discarded"] = True  # open the discarded notes
    run(app)
    run(app.button(key=f"inbox_restore_{note_id}").click())
    assert [n.id for n in p.inbox(jid, store=store).new] == [note_id]

    rotated = p.rotate_join_code(jid, store=store)  # by another facilitator
    run(app)
    assert any(p.format_code(rotated) in h.value for h in app.get("html"))

    # The link, the projector switch and the rotation are drawn only once their popover opens.
    assert not [w for w in app.text_input if w.key == "inbox_base_input"]
    assert not [b for b in app.button if b.key == "inbox_rotate"]
    assert not [t for t in app.toggle if t.key == "inbox_on_projector"]
    app.session_state["inbox_options_panel"] = True
    run(app)
    assert app.toggle(key="inbox_on_projector").value is True
    assert app.text_input(key="inbox_base_input").value.startswith("http")
    assert any(rotated in c.value for c in app.code)  # the join link itself
    run(app.button(key="inbox_rotate").click())
    assert p.open_workshop(jid, store=store) != rotated
    assert any(p.format_code(p.open_workshop(jid, store=store)) in h.value for h in app.get("html"))


def test_the_code_on_the_projector_can_be_hidden_before_and_during_projection(app):
    create_first_subscription(app)
    open_board(app)
    app.session_state["inbox_options_panel"] = True
    run(app)
    run(app.toggle(key="inbox_on_projector").set_value(False))
    app.session_state["inbox_options_panel"] = False  # closed: the switch is not drawn
    run(app)
    app.session_state[PROJECTOR] = True
    run(app)
    assert not [h for h in app.get("html") if "ib-float" in h.value]
    # minimised to a badge above the board, which brings the code back
    run(app.button(key="live_join_badge").click())
    assert [h for h in app.get("html") if "ib-float" in h.value]
    run(app.button(key="live_join_minimise").click())
    assert not [h for h in app.get("html") if "ib-float" in h.value]
    app.session_state["inbox_options_panel"] = True
    app.session_state[PROJECTOR] = False
    run(app)
    assert app.toggle(key="inbox_on_projector").value is False  # the same choice


def test_adding_a_touchpoint_without_a_label_says_so_in_the_dialog_and_adds_nothing(app, store):
    jid = create_first_subscription(app)
    open_board(app)
    before = len(services.get_journey(jid, store=store).touchpoints)
    run(app.button(key="board_add_tp_open").click())
    run(app.button(key="board_add_tp_submit").click())
    assert "Le libellé est obligatoire." in [as_shown(w.value) for w in app.warning]
    assert app.session_state["board_adding"] is True  # still open, ready to fill
    assert len(services.get_journey(jid, store=store).touchpoints) == before


def test_a_write_from_another_process_shows_on_a_later_run(app, db_url):
    """Reads are shared until this server commits a write; writes from elsewhere (the CLI,
    another server) show once the shared read is a second old."""
    jid = create_first_subscription(app)
    open_board(app)
    elsewhere = services.open_store(db_url)  # not the app's store: its commits are not counted
    journey = services.get_journey(jid, store=elsewhere)
    services.update_journey_info(jid, {"title": "Renommé ailleurs"}, store=elsewhere)
    deadline = time.monotonic() + 10
    while "Renommé ailleurs" not in [t.value for t in app.title]:
        assert time.monotonic() < deadline, "the rename never showed"
        time.sleep(0.3)
        run(app)
    assert journey.title != "Renommé ailleurs"
    elsewhere.dispose()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_template_makes_a_journey_whose_whole_board_shows_in_that_language(
    app, store, language
):
    """Create every journey template of a language from the library, as a new user would,
    and find each moment, channel, touchpoint and finding on its board, labelled in that
    language."""
    from journeys.contract.yaml_io import load_file
    from journeys.i18n import t

    if language == "en":
        app.button_group(key="app_lang_picker").set_value("en")
        run(app)
    app.button_group(key="library_tpl_lang").set_value(language)
    run(app)
    picker = app.selectbox(key="library_tpl_pick")
    assert len(picker.options) == 4  # the four journeys of every subscription brand
    templates = [
        t for t in services.list_templates() if t.kind == "journey" and t.language == language
    ]
    for index, template in enumerate(templates):
        app.selectbox(key="library_tpl_pick").select_index(index)
        run(app.button(key="library_new_submit").click())
        jid = app.session_state["app_journey"]
        app.session_state["board_zoom"] = "detail"  # the findings' words come along
        open_board(app)
        _, board = canvas(app)
        html = json.dumps(board, ensure_ascii=False)
        journey = load_file(services.TEMPLATES_DIR / template.file_name)
        assert services.get_journey(jid, store=store).touchpoints == journey.touchpoints
        words = [m.label for m in journey.moments] + [c.label for c in journey.channels]
        words += [tp.label for tp in journey.touchpoints]
        words += [f.text for tp in journey.touchpoints for f in tp.findings]
        missing = [w for w in words if json.dumps(w, ensure_ascii=False) not in html]
        assert not missing, f"{template.file_name}: not on the board: {missing[:3]}"
        other = "en" if language == "fr" else "fr"
        assert board["words"]["aria"] == t("canvas.aria", language, title="{title}")
        assert board["words"]["aria"] != t("canvas.aria", other, title="{title}")
        app.switch_page("pages/library/page.py")
        run(app)

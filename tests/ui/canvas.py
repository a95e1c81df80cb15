"""The board's canvas through AppTest, as the browser's script drives it: what the canvas was
given (`sent`, `cards`) and its intents sent back (`Browser`). Shared by the UI tests."""

from __future__ import annotations

import json

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX
from streamlit.testing.v1 import AppTest

from pages.common.shared import _open_store

TEMPLATE = "fixed_term_renewal.fr.journey"


@pytest.fixture
def store(db_url):
    return _open_store(db_url)


def canvas(at: AppTest):
    found = [e for e in at.get("bidi_component") if e.key == "board_canvas"]
    assert len(found) == 1, "no canvas on the board"
    return found[0]


def sent(at: AppTest) -> tuple[dict, dict]:
    """What the canvas was given: (live part, board part)."""
    live, _, board = canvas(at).proto.bytes.partition(b"\n")
    return json.loads(live), json.loads(board)


class Browser:
    """What the canvas's script does: number its intents, send all those not acknowledged."""

    def __init__(self, at: AppTest):
        self.at, self.seq, self.queue = at, 0, []

    def send(self, *intents: dict) -> dict:
        for intent in intents:
            self.seq += 1
            self.queue.append({**intent, "seq": self.seq})
        element = canvas(self.at)
        states = WidgetStates()
        states.widgets.extend(self.at._tree.get_widget_states().widgets)
        trigger = WidgetState(id=f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{element.proto.id}__events")
        trigger.json_trigger_value = json.dumps([{"event": "intents", "value": self.queue}])
        states.widgets.append(trigger)
        self.at._run(widget_state=states)
        assert not self.at.exception, [e.value for e in self.at.exception]
        live, _ = sent(self.at)
        self.queue = [i for i in self.queue if i["seq"] > live["ack"]["seq"]]
        return live

    def view(self, **view) -> None:
        element = canvas(self.at)
        states = WidgetStates()
        states.widgets.extend(
            w for w in self.at._tree.get_widget_states().widgets if w.id != element.proto.id
        )
        state = WidgetState(id=element.proto.id, json_value=json.dumps({"view": view}))
        states.widgets.append(state)
        self.at._run(widget_state=states)
        assert not self.at.exception, [e.value for e in self.at.exception]


def cards(at: AppTest) -> dict[str, dict]:
    return {card["id"]: card for card in sent(at)[1]["cards"]}

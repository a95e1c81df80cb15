"""The road form's text fields, kept as typed: in the phone's own storage at each key pressed,
then in the store.

Streamlit sends a text field's value on blur or Ctrl+Enter only, and a reload or a locked phone
blurs nothing. So the browser keeps every text in localStorage as it is typed (per draft token),
commits the field after a 300 ms pause and at once when the page is hidden or left (the field's
own Ctrl+Enter: Streamlit's on_change and the server-side save run as on blur), and forgets a
text once the store holds the same (the page sends a CRC-32 of each stored text). A text the
store never got, because the page went away first or the server was out of reach, is sent
again by the next page that opens the draft, which writes it into the draft and the field.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from journeys.visits.drafts import TYPED_OBSERVATION, apply_typed, parse_typed
from pages.road import state as road

KEY = "road_autosave"  # hidden by ROAD_CSS: it draws nothing
FIELDS = {
    road.W_SHOPPER: "v:shopper",
    **{road.W_OBS[name]: f"o:{name}" for name in TYPED_OBSERVATION},
}

# CRC-32 of a text's UTF-8 bytes, as Python's zlib.crc32 (journeys.visits.drafts.typed_digests).
CRC32_JS = """let table = null;
const crc32 = (text) => {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let crc = -1;
  for (const byte of new TextEncoder().encode(text)) crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
};
"""

# `data`: the draft's token, the observation on screen and how many there are, the widget
# keys of the text fields, the CRC-32 of each text the store holds, and whether it was sent.
_JS = """
const STORE = "journeys.road.typed";
const KEEP = 30 * 86400000;
const PAUSE = 300;
const PAGE = Date.now().toString(36) + Math.random().toString(36).slice(2);
const FIELDS = ".st-key-road_form .stTextArea textarea, .st-key-road_form .stTextInput input";

const read = () => {
  try {
    const all = JSON.parse(localStorage.getItem(STORE) || "{}");
    return all && typeof all === "object" ? all : {};
  } catch (error) {
    return {};
  }
};
const write = (all) => {
  try {
    localStorage.setItem(STORE, JSON.stringify(all));
  } catch (error) {
    // storage full or refused: the field's commit still goes to the server
  }
};

/* CRC32_JS */
const install = () => {
  const road = { data: null, pending: null, timer: null, asked: new Set() };
  const spec = (el) => {
    for (let node = el; node; node = node.parentElement) {
      for (const cls of node.classList) {
        const name = cls.startsWith("st-key-") ? cls.slice(7) : "";
        if (Object.prototype.hasOwnProperty.call(road.data.fields, name)) {
          return road.data.fields[name];
        }
      }
    }
    return null;
  };
  const remember = (el) => {
    const data = road.data;
    const draft = new URLSearchParams(location.search).get("draft");
    const found = data && !data.sent && draft === data.token ? spec(el) : null;
    if (!found) return;
    const o = found.startsWith("o:") ? data.current : null;
    const f = found.slice(2);
    const all = read();
    const mine = (all[data.token] ||= {});
    mine[`${o === null ? "v" : o}:${f}`] = { o, f, v: el.value, at: Date.now(), page: PAGE };
    write(all);
  };
  const commit = (el) => {
    if (!el || !el.isConnected) return;
    el.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", code: "Enter", keyCode: 13,
      which: 13, ctrlKey: true, bubbles: true, cancelable: true }));
  };
  const flush = () => {
    clearTimeout(road.timer);
    const el = road.pending;
    road.pending = null;
    commit(el);
  };
  document.addEventListener("input", (event) => {
    const el = event.target;
    if (!(el instanceof Element) || !el.matches(FIELDS)) return;
    remember(el);
    if (road.pending && road.pending !== el) flush();
    road.pending = el;
    clearTimeout(road.timer);
    road.timer = setTimeout(flush, PAUSE);
  }, true);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);

  road.update = (data, send) => {
    road.data = data;
    const all = read();
    const now = Date.now();
    for (const [token, kept] of Object.entries(all)) {
      if (!kept || typeof kept !== "object") {
        delete all[token];
        continue;
      }
      for (const [key, e] of Object.entries(kept)) {
        if (!e || typeof e.v !== "string" || !(now - e.at < KEEP)) delete kept[key];
      }
      if (!Object.keys(kept).length) delete all[token];
    }
    const mine = all[data.token] || {};
    const restore = [];
    for (const [key, e] of Object.entries(mine)) {
      const gone = e.o !== null && !(e.o < data.count);
      if (data.sent || gone || data.saved[key] === crc32(e.v)) {
        delete mine[key];
        continue;
      }
      const once = `${data.token} ${key} ${e.at}`;
      if (e.page !== PAGE && !road.asked.has(once)) {
        road.asked.add(once);
        restore.push({ o: e.o, f: e.f, v: e.v });
      }
    }
    if (!Object.keys(mine).length) delete all[data.token];
    write(all);
    if (restore.length) send("restore", { token: data.token, typed: restore });
  };
  return road;
};

export default function ({ data, setTriggerValue }) {
  const road = window.__journeysRoadTyped || (window.__journeysRoadTyped = install());
  road.update(data, setTriggerValue);
}
""".replace("/* CRC32_JS */", CRC32_JS)

_component = st.components.v2.component("journey_workshop.road_autosave", js=_JS)


def _restore() -> None:
    """Write into the draft (and its fields) the texts an earlier page kept but never sent."""
    sent: Any = getattr(st.session_state[KEY], "restore", None)
    if not isinstance(sent, dict) or sent.get("token") != st.session_state.get(road.TOKEN):
        return
    if road.DRAFT not in st.session_state or st.session_state.get(road.SENT):
        return
    d = road.draft()
    taken = apply_typed(d, parse_typed(sent.get("typed")))
    if not taken:
        return
    for item in taken:
        if item.observation is None:
            st.session_state[road.W_SHOPPER] = d.shopper
        elif item.observation == d.current:
            st.session_state[road.W_OBS[item.field]] = getattr(road.current(), item.field)
    road.save()


def keep_typed_text() -> None:
    """Mount the (invisible) keeper of typed text for the draft in the session."""
    d = road.draft()
    data = {
        "token": st.session_state[road.TOKEN],
        "current": d.current,
        "count": len(d.observations),
        "fields": FIELDS,
        "saved": st.session_state.get(road.STORED, {}),
        "sent": bool(st.session_state.get(road.SENT)),
    }
    _component(key=KEY, data=data, width="content", on_restore_change=_restore)

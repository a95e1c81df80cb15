// The board as one canvas (Streamlit custom component v2): the grid of moments × channels at
// four zoom levels (the overview fits the screen), lanes under it, a presentation mode, and
// editing where you point (click, drag, keyboard, undo). Every edit goes to the server as an
// intent with a sequence number; the canvas shows it at once and converges on the server's data.
//
// Streamlit calls this function again, on the same parent element, whenever the data changes
// (every rerun: the data is bytes). One Canvas per parent element keeps the DOM, the view,
// the selection and the scroll across those calls.
//
// The data: one line of JSON (the live part: view, acknowledgements, history, presentation,
// tally), a newline, then the board (moments, channels, cards, lanes, words), parsed again
// only when its bytes change. User text is always written as text (textContent or escaped).

const BOARDS = new WeakMap();
const ZOOMS = ["overview", "compact", "cards", "detail"];
const COLUMN = { compact: 190, cards: 250, detail: 340 }; // column widths (px) past the overview
const MIN_FONT = 14; // no text under 14 px, at any zoom
const RESEND_MS = 4000; // an intent not acknowledged by then is sent again (the server ignores repeats)
const TIMER_CHOICES = [5, 10, 15, 20, 30];

export default function (args) {
  let canvas = BOARDS.get(args.parentElement);
  if (!canvas) {
    canvas = new Canvas(args.parentElement);
    BOARDS.set(args.parentElement, canvas);
  }
  canvas.api = { setStateValue: args.setStateValue, setTriggerValue: args.setTriggerValue };
  canvas.receive(args.data);
  return () => {
    canvas.destroy();
    BOARDS.delete(args.parentElement);
  };
}

// --- text ------------------------------------------------------------------------------------

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);

// Soft hyphens in long words, so that a narrow column breaks "Réabon-nement" with a hyphen and
// never mid-word without one (hyphens:auto adds the browser's own where it has a dictionary).
const VOWEL = /[aeiouyàâäéèêëîïôöùûüÿœæ]/i;
const LETTER = /[a-zà-ÿœæ]/i;
const KEEP = new Set(["ch", "ph", "th", "gn", "bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr", "tr", "vr", "qu", "gu", "sh", "ck"]);
function syllables(word) {
  if (word.length < 9) return word;
  const parts = [];
  let last = 0;
  for (let i = 3; i <= word.length - 3; i++) {
    const a = word[i - 1], b = word[i], c = word[i + 1];
    if (!LETTER.test(a) || !LETTER.test(b) || !LETTER.test(c) || i - last < 3) continue;
    const vowelBefore = VOWEL.test(a), consonant = !VOWEL.test(b), vowelAfter = VOWEL.test(c);
    const pairKept = KEEP.has((b + c).toLowerCase()) || KEEP.has((a + b).toLowerCase());
    if ((vowelBefore && consonant && vowelAfter) || (!vowelBefore && consonant && vowelAfter && !pairKept)) {
      parts.push(word.slice(last, i));
      last = i;
    }
  }
  parts.push(word.slice(last));
  return parts.join("\u00ad");
}
const hy = (text) => esc(String(text ?? "").replace(/[^\s/–—'’-]{9,}/g, syllables));

const clamp = (value, low, high) => Math.max(low, Math.min(high, value));
const format = (template, params) =>
  String(template ?? "").replace(/\{(\w+)\}/g, (whole, name) => (name in params ? params[name] : whole));

// --- the canvas ------------------------------------------------------------------------------

class Canvas {
  constructor(parent) {
    this.parent = parent;
    this.boardText = null;
    this.liveText = null;
    this.doc = null; // the board part
    this.live = {};
    this.view = null; // {zoom, lanes, present}: the user's, sent to the server (URL)
    this.sel = null; // {m, c, tp}
    this.seq = 0;
    this.queue = []; // intents sent and not acknowledged yet
    this.pending = []; // what they show before the server answers: {seq, op}
    this.shown = 0; // the last acknowledgement whose messages were shown
    this.presenting = null; // the moment shown in presentation mode
    this.leftFollow = false; // this screen left the presentation it followed (until the next one)
    this.adding = null; // {m, c, input}: a touchpoint being named in a cell
    this.kpiInput = null; // {m, input, was, v}: a moment's KPI being typed in its lane
    this.editor = null; // {tp, version, dirty}: the card open in the drawer
    this.drag = null;
    this.build();
  }

  build() {
    const root = document.createElement("div");
    root.className = "jb-board cv-root";
    root.tabIndex = 0;
    root.setAttribute("role", "application");
    root.innerHTML =
      '<div class="cv-bar" role="toolbar"></div>' +
      '<div class="cv-kpis" role="group" hidden></div>' +
      '<div class="cv-legend-strip" hidden></div>' +
      '<div class="cv-scroll"><div class="cv-grid" role="grid"></div></div>' +
      '<aside class="cv-drawer" hidden></aside>' +
      '<div class="cv-toast" role="status" aria-live="polite"></div>';
    this.parent.appendChild(root);
    this.root = root;
    this.bar = root.querySelector(".cv-bar");
    this.kpis = root.querySelector(".cv-kpis");
    this.legend = root.querySelector(".cv-legend-strip");
    this.scroller = root.querySelector(".cv-scroll");
    this.grid = root.querySelector(".cv-grid");
    this.drawer = root.querySelector(".cv-drawer");
    this.toast = root.querySelector(".cv-toast");
    this.handlers = {
      click: (e) => this.onClick(e),
      pointerdown: (e) => this.onPointerDown(e),
      keydown: (e) => this.onKey(e),
      input: (e) => this.onInput(e),
      submit: (e) => this.onSubmit(e),
      change: (e) => this.onChange(e),
    };
    for (const [name, handler] of Object.entries(this.handlers)) root.addEventListener(name, handler);
    this.move = (e) => this.onPointerMove(e);
    this.up = (e) => this.onPointerUp(e);
    this.resize = new ResizeObserver(() => {
      this.resized = true;
      this.schedule();
    });
    this.resize.observe(root);
    this.onWindow = () => {
      this.resized = true;
      this.schedule();
    };
    window.addEventListener("resize", this.onWindow);
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  destroy() {
    this.resize.disconnect();
    window.removeEventListener("resize", this.onWindow);
    document.removeEventListener("pointermove", this.move);
    document.removeEventListener("pointerup", this.up);
    clearInterval(this.ticker);
    clearTimeout(this.resendTimer);
    this.root.remove();
  }

  // --- data in -------------------------------------------------------------------------------

  receive(data) {
    let text = data;
    if (data instanceof Uint8Array || ArrayBuffer.isView(data)) text = new TextDecoder().decode(data);
    else if (data instanceof ArrayBuffer) text = new TextDecoder().decode(new Uint8Array(data));
    if (typeof text !== "string") return;
    const cut = text.indexOf("\n");
    const liveText = text.slice(0, cut);
    const boardText = text.slice(cut + 1);
    if (liveText === this.liveText && boardText === this.boardText) return; // a rerun, same data
    if (boardText !== this.boardText) {
      this.boardText = boardText;
      this.doc = JSON.parse(boardText);
    }
    this.liveText = liveText;
    this.live = JSON.parse(liveText);
    this.receivedAt = Date.now();
    this.resized = true; // what is above the board may have changed with the page's run
    if (this.view === null) this.start();
    this.acknowledge();
    this.follow();
    this.render();
    this.refreshEditor();
  }

  start() {
    const view = this.live.view || {};
    this.view = {
      zoom: ZOOMS.includes(view.zoom) ? view.zoom : "overview",
      lanes: !!view.lanes,
      present: !!view.present,
      editing: false,
    };
    if (view.editing) this.api?.setStateValue("view", { ...this.view }); // a card was open before a reload
    this.seq = Math.max(this.seq, this.live.ack?.seq || 0);
    this.shown = this.live.ack?.seq || 0;
    this.presenting = this.live.presenting || null;
    document.documentElement.lang = this.doc.lang; // the interface's language, not Streamlit's "en"
  }

  w(key, params) {
    const words = this.doc?.words || {};
    return params ? format(words[key] ?? key, params) : words[key] ?? key;
  }

  // What the server acknowledged: drop what was shown ahead of it, say what was refused.
  acknowledge() {
    const ack = this.live.ack || { seq: 0, results: [] };
    this.queue = this.queue.filter((intent) => intent.seq > ack.seq);
    this.pending = this.pending.filter((p) => p.seq > ack.seq);
    const fresh = (ack.results || []).filter((r) => r.seq > this.shown && r.msg);
    if (fresh.length) {
      const last = fresh[fresh.length - 1];
      this.say(last.msg, !last.ok);
    }
    this.shown = Math.max(this.shown, ack.seq);
    this.root.dataset.acked = ack.seq;
    if (!this.queue.length) clearTimeout(this.resendTimer);
  }

  follow() {
    // While a step of this screen is on its way, the server's moment is an older one: taking it
    // would show a step back, and the next press would step from there (one step lost).
    if (this.queue.some((intent) => intent.type === "present")) return;
    if (!this.live.follow || !this.live.presenting) this.leftFollow = false; // next time, followed
    if (this.live.follow && this.live.presenting) {
      if (this.presenting !== this.live.presenting) this.presenting = this.live.presenting;
    }
  }

  get editable() {
    return !!this.live.editable;
  }

  get presentMode() {
    return this.view.present || this.following;
  }

  // Showing the facilitator's moment: follow-me on, led by another screen, not left here.
  get following() {
    return !!this.live.follow && !!this.live.presenting && !this.live.leader && !this.leftFollow;
  }

  // --- intents out ---------------------------------------------------------------------------

  send(intent, op) {
    intent.seq = ++this.seq;
    this.root.dataset.sent = intent.seq; // what the server has to answer (benches and tests read it)
    this.queue.push(intent);
    const cells = op ? this.cellsOf(op) : null;
    if (op) this.pending.push({ seq: intent.seq, op });
    // Shown first, sent after: the next frame shows the edit whatever the page does next.
    if (cells) this.refreshCells(cells);
    else if (op) this.render();
    this.flush();
  }

  // The cells an edit shown ahead of the server's answer changes (null: draw everything).
  cellsOf(op) {
    const card = (id) => this.current?.cards.find((c) => c.id === id);
    const at = (c) => (c ? [[c.m, c.c]] : []);
    if (op.op === "move") return [...at(card(op.tp)), [op.m, op.c]];
    if (op.op === "patch") return [...at(card(op.tp)), [op.fields.m, op.fields.c]];
    if (op.op === "hide") return at(card(op.tp));
    if (op.op === "show") return at(op.card);
    if (op.op === "add") return [[op.m, op.c]];
    return null;
  }

  refreshCells(cells) {
    const model = (this.current = this.model());
    const layout = this.layoutNow;
    const present = this.presentMode;
    const tally = this.live.tally || {};
    for (const [m, c] of cells) {
      const el = this.grid.querySelector(`.cv-cell[data-m="${cssEscape(m)}"][data-c="${cssEscape(c)}"]`);
      if (!el) return this.render();
      const cards = model.cells.get(`${m}\u0000${c}`) || [];
      const focus = present && m === this.presenting;
      el.innerHTML = this.cellHtml(cards, present ? (focus ? "detail" : "dots") : layout.zoom, layout, tally);
      el.classList.toggle("cv-gap", !cards.length);
      if (cards.length) el.removeAttribute("title");
    }
    this.reopenAdding();
    this.markSelection(false);
  }

  flush() {
    if (!this.queue.length || !this.api) return;
    this.api.setTriggerValue("intents", this.queue.map((intent) => ({ ...intent })));
    clearTimeout(this.resendTimer);
    this.resendTimer = setTimeout(() => this.flush(), RESEND_MS);
  }

  setView(change) {
    const redraw = ["zoom", "lanes", "present"].some((k) => k in change && change[k] !== this.view[k]);
    Object.assign(this.view, change);
    if (redraw) this.render(); // drawn first, then told to the server (the URL follows)
    this.api?.setStateValue("view", { ...this.view });
  }

  // --- the model: the server's board with what is not acknowledged yet ------------------------

  model() {
    const doc = this.doc;
    let moments = doc.moments.slice();
    let channels = doc.channels.slice();
    let cards = doc.cards;
    for (const { seq, op } of this.pending) {
      if (op.op === "move" || op.op === "patch") {
        cards = cards.map((card) => (card.id === op.tp ? { ...card, ...(op.op === "move" ? { m: op.m, c: op.c } : op.fields) } : card));
      } else if (op.op === "hide") {
        cards = cards.filter((card) => card.id !== op.tp);
      } else if (op.op === "show") {
        if (!cards.some((card) => card.id === op.card.id)) cards = cards.concat([{ ...op.card, pending: true }]);
      } else if (op.op === "add") {
        cards = cards.concat([{ id: `pending-${seq}`, m: op.m, c: op.c, label: op.label, status: "existing", marks: {}, f: [], v: 0, pending: true }]);
      } else if (op.op === "kpi") {
        moments = moments.map((m) => (m.id === op.m ? { ...m, kpi: op.value } : m));
      } else if (op.op === "reorder") {
        const list = op.kind === "moment" ? moments : channels;
        const from = list.findIndex((item) => item.id === op.id);
        if (from >= 0) {
          const [item] = list.splice(from, 1);
          list.splice(clamp(op.pos, 0, list.length), 0, item);
        }
      }
    }
    const cells = new Map();
    for (const card of cards) {
      const key = `${card.m}\u0000${card.c}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(card);
    }
    return { moments, channels, cards, cells };
  }

  // --- drawing -------------------------------------------------------------------------------

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      if (this.doc) this.render();
    });
  }

  render() {
    if (!this.doc) return;
    const live = this.live;
    const present = this.presentMode;
    const root = this.root;
    root.lang = this.doc.lang;
    root.classList.toggle("jb-projector", !!live.projector || present);
    root.classList.toggle("jb-hide-findings", live.findings === false);
    root.classList.toggle("cv-present", present);
    root.classList.toggle("cv-readonly", !this.editable);
    root.dataset.zoom = present ? "present" : this.view.zoom;
    root.setAttribute("aria-label", this.w("aria", { title: this.doc.title }));
    const model = (this.current = this.model());
    if (present && !model.moments.some((m) => m.id === this.presenting)) {
      this.presenting = model.moments[0]?.id || null;
    }
    this.drawBar(present);
    this.drawStrips();
    const top = this.scroller.scrollTop, left = this.scroller.scrollLeft;
    const layout = this.layout(model, present);
    this.applyLayout(layout);
    const typing = !!this.kpiInput && document.activeElement === this.kpiInput.input;
    this.grid.innerHTML = this.gridHtml(model, layout, present);
    this.scroller.scrollTop = top;
    this.scroller.scrollLeft = left;
    this.reopenAdding();
    this.reopenKpi(typing);
    this.markSelection(false);
    if (present && this.revealed !== this.presenting) this.revealPresented();
    this.revealed = present ? this.presenting : null;
  }

  // Sizes: the overview divides the screen among the columns and rows (text never under 14 px,
  // scrolling beyond); the other zooms have fixed column widths and scroll.
  layout(model, present) {
    const nm = Math.max(1, model.moments.length), nc = Math.max(1, model.channels.length);
    // The scroller's inner width (its borders off): the columns fill it, never more.
    const width = Math.max(320, this.scroller.clientWidth || this.root.clientWidth || 1000);
    const projector = this.root.classList.contains("jb-projector");
    const avail = this.available();
    const lanes = this.view.lanes;
    const zoom = present ? "present" : this.view.zoom;
    let font = projector ? 20 : 15; // the projector's cards read from the back of the room
    let label = clamp(Math.round(width * 0.11), 112, projector ? 190 : 170);
    let columns;
    let rowHeight = null, headHeight = null, laneHeight = null;
    if (zoom === "overview") {
      // Fixed heights, so that the sums are exact: header, rows (borders inside), lanes.
      const colW = Math.max(86, (width - label) / nm);
      const fragLine = model.moments.some((m) => m.frag);
      const head = (f) => Math.ceil(2 * f * 1.2 + 11 + (fragLine ? f * 1.2 + 5 : 0));
      const lane = (f) => Math.ceil(2 * f * 1.2 + 12);
      const lanesH = (f) => (lanes ? 100 + 2 * lane(f) : 0);
      const room = (f) => (avail - 2 - head(f) - lanesH(f)) / nc;
      font = clamp(Math.min(colW / 7.2, (room(MIN_FONT) - 8) / 3.6), MIN_FONT, projector ? 24 : 20);
      // At least a name and the chips: the widest cell's chips on one line, or two lines in
      // a column too narrow for them.
      const tally = this.live.tally || {};
      let widest = 0;
      for (const cards of model.cells.values()) widest = Math.max(widest, chipsWidth(cards, tally, font));
      const least = (lines) => Math.max(2 * font * 1.2, font * 1.2 + lines * (font * 1.05 + 5)) + 7;
      // Two lines of chips only if the board still fits (the whole journey on the screen
      // first), or if it scrolls anyway (too many moments for the width: a large journey).
      const scrolls = (width - label) / nm < 86;
      const chipLines = widest > colW - 8 && (least(2) <= room(font) || scrolls) ? 2 : 1;
      rowHeight = Math.floor(Math.max(least(chipLines), room(font)) * 10) / 10;
      headHeight = head(font);
      laneHeight = lane(font);
      columns = new Array(nm).fill(Math.floor(colW * 100) / 100);
    } else if (zoom === "present") {
      const focus = clamp((width - label) * 0.42, 340, 720);
      const others = Math.max(64, (width - label - focus) / Math.max(1, nm - 1));
      columns = model.moments.map((m) => (m.id === this.presenting ? focus : others));
    } else {
      const scale = projector ? 1.3 : 1;
      columns = new Array(nm).fill(COLUMN[zoom] * scale);
      label = Math.round(label * (zoom === "compact" ? 1 : 1.1));
    }
    const lines = rowHeight ? Math.max(2, Math.floor((rowHeight - 7) / (font * 1.2))) : null;
    return { zoom, font, label, columns, rowHeight, headHeight, laneHeight, lines, avail, nm, nc };
  }

  available() {
    // The height the board may take: from its top to the bottom of the window (as if the page
    // were scrolled to the top), the bar included. Measured again only when sizes changed.
    if (this.availableNow && this.availableFor === window.innerHeight && !this.resized) return this.availableNow;
    this.resized = false;
    this.availableFor = window.innerHeight;
    const scroller = (this.scrolling ||= scrollParent(this.root));
    const rect = this.scroller.getBoundingClientRect(); // under the bar and the strips
    const offset = scroller === document.scrollingElement
      ? rect.top + window.scrollY
      : rect.top - scroller.getBoundingClientRect().top + scroller.scrollTop;
    this.availableNow = Math.max(260, window.innerHeight - offset - 14);
    return this.availableNow;
  }

  applyLayout(layout) {
    const style = this.grid.style;
    style.setProperty("--cv-font", `${layout.font}px`);
    style.gridTemplateColumns = `${layout.label}px ${layout.columns.map((c) => `${c}px`).join(" ")}`;
    for (const [name, value] of [["--cv-row", layout.rowHeight], ["--cv-headh", layout.headHeight], ["--cv-laneh", layout.laneHeight]]) {
      if (value) style.setProperty(name, `${value}px`);
      else style.removeProperty(name);
    }
    if (layout.lines) style.setProperty("--cv-lines", String(layout.lines)); // a row's lines of text
    else style.removeProperty("--cv-lines");
    this.scroller.style.maxHeight = `${layout.avail}px`;
    this.layoutNow = layout;
  }
}

function refsOf(card) {
  return card.f ? card.f.map((f) => f.ref) : card.refs || [];
}

// What the editor compares to know a card's findings changed: their ids and versions (only
// ids while the board is sent without the findings' words).
function findingsKey(card) {
  return card.f ? card.f.map((f) => `${f.ref}:${f.v}`).join(",") : `?${(card.refs || []).join(",")}`;
}

function scrollParent(el) {
  for (let node = el.parentElement; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight) return node;
  }
  return document.scrollingElement || document.documentElement;
}

function cssEscape(value) {
  return window.CSS?.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, "\\$&");
}

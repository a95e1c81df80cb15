// The board canvas's drawing (pages/board/canvas.js): the grid, its cells at each zoom, the cards,
// the lanes and the emotion curve, the bar, the KPIs and the legend. User text: esc() or hy().
Object.assign(Canvas.prototype, {
  gridHtml(model, layout, present) {
    const out = [];
    const { moments, channels, cells } = model;
    const sym = this.doc.sym;
    if (!moments.length || !channels.length) {
      return `<div class="cv-empty">${esc(this.w("empty"))}</div>`;
    }
    out.push(`<div class="cv-corner" role="columnheader">${hy(this.w("corner"))}</div>`);
    moments.forEach((m, i) => {
      const focus = present && m.id === this.presenting;
      const cls = `cv-mhead${m.key ? " cv-key" : ""}${focus ? " cv-focus" : ""}${m.frag?.uncovered ? " cv-uncovered" : ""}`;
      const star = m.key ? `<span class="cv-star" title="${esc(this.w("board.key_moment"))}">${sym.key}</span> ` : "";
      let frag = "";
      if (m.frag) {
        // The overview's narrow column: the count alone (the title says the rest).
        const text = layout.zoom === "overview" ? m.frag.count : m.frag.figures.join(" · ");
        const flag = m.frag.uncovered ? ` <span class="cv-flag">${sym.uncovered}</span>` : "";
        frag = `<span class="cv-frag" title="${esc(m.frag.title)}">${sym.fragile} ${esc(text)}${flag}</span>`;
      }
      let feeling = "";
      if (focus) {
        const score = this.doc.lanes.emotion[this.doc.moments.findIndex((d) => d.id === m.id)] ?? 0;
        const shape = score > 0 ? "▲" : score < 0 ? "▼" : "●";
        feeling = `<span class="cv-feeling cv-feel-${score > 0 ? "up" : score < 0 ? "down" : "zero"}">${esc(this.w("present.emotion", { score: score > 0 ? `+${score}` : score }))} ${shape}</span>`;
      }
      out.push(
        `<div class="${cls}" role="columnheader" data-moment="${esc(m.id)}" data-i="${i}" style="grid-column:${i + 2}" title="${esc(m.label)}">` +
          `<span class="cv-hlabel">${star}${hy(m.label)}</span>${feeling}${frag}</div>`,
      );
    });
    const tally = this.live.tally || {};
    channels.forEach((c, ci) => {
      const row = ci + 2;
      out.push(`<div class="cv-chead" role="rowheader" data-channel="${esc(c.id)}" data-i="${ci}" style="grid-row:${row}" title="${esc(c.label)}"><span class="cv-hlabel">${hy(c.label)}</span></div>`);
      moments.forEach((m, mi) => {
        const cards = cells.get(`${m.id}\u0000${c.id}`) || [];
        const focus = present && m.id === this.presenting;
        const mode = present ? (focus ? "detail" : "dots") : layout.zoom;
        const cls = `cv-cell${m.key ? " cv-keycol" : ""}${cards.length ? "" : " cv-gap"}${focus ? " cv-focus" : ""}`;
        const title = cards.length ? "" : ` title="${esc(this.editable && !present ? this.w("add_hint") : this.w("board.gap"))}"`;
        out.push(
          `<div class="${cls}" role="gridcell" data-m="${esc(m.id)}" data-c="${esc(c.id)}" style="grid-row:${row};grid-column:${mi + 2}"${title}>` +
            this.cellHtml(cards, mode, layout, tally) +
            "</div>",
        );
      });
    });
    if (this.view.lanes) out.push(this.lanesHtml(model, layout, channels.length + 2, present));
    return out.join("");
  },

  cellHtml(cards, mode, layout, tally) {
    if (!cards.length) return "";
    if (mode === "overview") return this.summaryHtml(cards, layout, tally);
    if (mode === "dots") return this.chipsHtml(cards, tally, true);
    return cards.map((card) => this.cardHtml(card, mode, tally)).join("");
  },

  // A cell of the overview: touchpoint names (one line each, the last says how many more),
  // then the markers by type (count; outline, light or solid for the strongest intensity) and
  // the best evidence level.
  summaryHtml(cards, layout, tally) {
    const chips = this.chipsHtml(cards, tally, false);
    const line = layout.font * 1.2;
    // The chips' width is guessed from their characters (no layout to wait for).
    const chipRow = layout.font * 1.05 + 5;
    const wide = chips && chipsWidth(cards, tally, layout.font) > layout.columns[0] - 8;
    // Wide chips take two lines if a name still fits above them; else one line, the last chips
    // (evidence, votes) cut off at the cell's edge.
    const chipLines = !chips ? 0 : wide && layout.rowHeight - 7 - 2 * chipRow >= line - 1 ? 2 : 1;
    const inner = layout.rowHeight - 7 - chipLines * chipRow;
    const room = Math.max(1, Math.floor((inner + 0.5) / line));
    const sym = this.doc.sym;
    const shown = cards.slice(0, room);
    const names = shown.map((card, i) => {
      const status = sym.status[card.status] ? `<span class="cv-st">${sym.status[card.status]}</span> ` : "";
      const clampLines = cards.length === 1 && room > 1 ? ` style="-webkit-line-clamp:${room}"` : "";
      const more = i === shown.length - 1 && cards.length > shown.length
        ? `<span class="cv-more" title="${esc(cards.slice(shown.length).map((c) => c.label).join(" · "))}">${esc(this.w("more", { count: cards.length - shown.length }))}</span>`
        : "";
      return `<div class="cv-line cv-st-${card.status}${card.pending ? " cv-pending" : ""}${more ? " cv-has-more" : ""}" data-tp="${esc(card.id)}"${clampLines} title="${esc(card.label)}"><span class="cv-name">${status}${hy(card.label)}</span>${more}</div>`;
    });
    return names.join("") + (wide && chipLines === 1 ? chips.replace('"cv-chips"', '"cv-chips cv-tight"') : chips);
  },

  chipsHtml(cards, tally, withNames) {
    const sym = this.doc.sym;
    const totals = {};
    let votes = 0;
    let best = -1;
    const levels = ["assumed", "confirmed", "measured"];
    for (const card of cards) {
      for (const [kind, counts] of Object.entries(card.marks || {})) {
        const t = (totals[kind] ||= [0, 0, 0]);
        counts.forEach((n, i) => (t[i] += n));
      }
      if (card.ev) best = Math.max(best, levels.indexOf(card.ev));
      for (const ref of refsOf(card)) votes += tally[ref] || 0;
    }
    const chips = [];
    for (const kind of ["delight", "irritant", "break"]) {
      const counts = totals[kind];
      if (!counts) continue;
      const count = counts[0] + counts[1] + counts[2];
      const strongest = counts[2] ? 3 : counts[1] ? 2 : 1;
      const detail = [3, 2, 1].filter((i) => counts[i - 1]).map((i) => this.w("chip_intensity", { count: counts[i - 1], intensity: i })).join(", ");
      const title = `${this.w(`finding.${kind}`)} : ${count} (${detail})`;
      chips.push(`<span class="cv-chip cv-k-${kind} cv-i${strongest}" title="${esc(title)}">${sym.finding[kind]}${count}</span>`);
    }
    if (best >= 0) {
      const level = levels[best];
      chips.push(`<span class="cv-ev cv-ev-${level}" title="${esc(this.w(`visits.evidence_${level}_help`))}">${sym.evidence[level]}</span>`);
    }
    if (votes) chips.push(`<span class="cv-votes" title="${esc(this.w("votes", { count: votes }))}">●${votes}</span>`);
    if (withNames && !chips.length) chips.push(`<span class="cv-chip cv-count">${cards.length}</span>`);
    return chips.length ? `<div class="cv-chips">${chips.join("")}</div>` : "";
  },

  cardHtml(card, mode, tally) {
    const sym = this.doc.sym;
    const meta = [];
    if (card.status !== "existing") {
      meta.push(`<span class="cv-status">${sym.status[card.status]} ${esc(this.w(`status.${card.status}`))}</span>`);
    }
    if (card.owner && mode !== "compact") meta.push(`<span class="cv-owner">⚑ ${hy(card.owner)}</span>`);
    if (card.ev) {
      const visits = card.visits ? ` · ${esc(this.w(card.visits === 1 ? "visits_one" : "visits", { count: card.visits }))}` : "";
      meta.push(`<span class="cv-ev cv-ev-${card.ev}" title="${esc(this.w(`visits.evidence_${card.ev}_help`))}">${sym.evidence[card.ev]} ${esc(this.w(`visits.evidence_${card.ev}`))}${visits}</span>`);
    }
    let body = "";
    if (mode === "compact") {
      body = this.chipsHtml([card], tally, false);
    } else if (card.f?.length) {
      body = `<ul class="jb-findings cv-findings">${card.f.map((f) => this.findingHtml(f, mode, tally)).join("")}</ul>`;
    } else if (!card.f && card.refs?.length) {
      body = this.chipsHtml([card], tally, false); // the words come with the next answer
    }
    const cls = `jb-card cv-card cv-st-${card.status}${card.pending ? " cv-pending" : ""}`;
    return (
      `<div class="${cls}" data-tp="${esc(card.id)}" tabindex="-1">` +
      `<div class="cv-label">${hy(card.label)}</div>` +
      (meta.length ? `<div class="cv-meta">${meta.join("")}</div>` : "") +
      body +
      "</div>"
    );
  },

  findingHtml(f, mode, tally) {
    const sym = this.doc.sym;
    const mark = sym.finding[f.type].repeat(f.i);
    const aria = this.w("finding_aria", { type: this.w(`finding.${f.type}`), intensity: f.i });
    const votes = tally[f.ref] ? ` <span class="cv-votes" title="${esc(this.w("votes", { count: tally[f.ref] }))}">●${tally[f.ref]}</span>` : "";
    const state = f.st !== "open" ? ` <span class="cv-fstate">${esc(this.w(`finding_status.${f.st}`))}</span>` : "";
    const imp = f.imp && mode !== "cards" ? `<div class="cv-imp"><span class="cv-imp-mark">➜</span> ${hy(f.imp)}</div>` : "";
    const impMark = f.imp && mode === "cards" ? ` <span class="cv-imp-mark" title="${esc(f.imp)}">➜</span>` : "";
    return (
      `<li class="cv-f cv-f-${f.type} cv-fs-${f.st}${mode === "cards" ? " cv-clamp" : ""}">` +
      `<span class="cv-mark" role="img" aria-label="${esc(aria)}">${mark}</span> ` +
      `<span class="cv-ftext">${hy(f.text)}</span>${state}${votes}${impMark}${imp}</li>`
    );
  },

  // Lanes under the grid, on the same columns: the emotion curve (and the target's, or the
  // current journey's), the improvement axes of each moment, the fragile moments' KPIs.
  lanesHtml(model, layout, row, present) {
    const out = [];
    const { moments } = model;
    const lanes = this.doc.lanes;
    const order = moments.map((m) => this.doc.moments.findIndex((d) => d.id === m.id));
    const pick = (values) => (values ? order.map((i) => values[i]) : null);
    const own = pick(lanes.emotion), other = pick(lanes.target || lanes.current);
    const end = moments.length + 2;
    out.push(`<div class="cv-lhead cv-lane-e" style="grid-row:${row}">${hy(this.w("lane.emotion"))}${other ? `<span class="cv-legend"><span class="cv-swatch cv-sw-own"></span>${esc(this.w(lanes.target ? "lane.current" : "lane.target"))} <span class="cv-swatch cv-sw-other"></span>${esc(this.w(lanes.target ? "lane.target" : "lane.current"))}</span>` : ""}</div>`);
    out.push(`<div class="cv-lane cv-emotion" style="grid-row:${row};grid-column:2 / ${end}">${this.curveSvg(own, other, layout.columns, moments)}</div>`);
    out.push(`<div class="cv-lhead cv-lane-h" style="grid-row:${row + 1}">${hy(this.w("lane.axes"))}</div>`);
    moments.forEach((m, i) => {
      const axes = lanes.axes?.[order[i]] || []; // with the next answer when just turned on
      const focus = present && m.id === this.presenting;
      const full = layout.zoom === "detail" || focus;
      let html = "";
      if (axes.length) {
        const shown = full ? axes : axes.slice(0, layout.zoom === "overview" ? 1 : 3);
        html = `<ul class="cv-axes">${shown.map((a) => `<li${full ? "" : ' class="cv-clamp"'}>${hy(a)}</li>`).join("")}</ul>`;
        if (shown.length < axes.length) html += `<div class="cv-more">${esc(this.w("more", { count: axes.length - shown.length }))}</div>`;
      }
      out.push(`<div class="cv-lane cv-lcell${focus ? " cv-focus" : ""}" style="grid-row:${row + 1};grid-column:${i + 2}">${html}</div>`);
    });
    out.push(this.kpiLaneHtml(moments, layout, row + 2, present));
    return out.join("");
  },

  // The KPI lane: per moment, the KPI typed in the workshop (free text, a click edits it on
  // an editable board: pages/board/canvas_kpi.js) and, when the journey reads a subscriber
  // base, what the base says the moment loses; each labelled when both can show.
  kpiLaneHtml(moments, layout, row, present) {
    const based = moments.some((m) => m.frag);
    const editing = this.editable && !present;
    const typed = moments.some((m) => m.kpi);
    const head = `<div class="cv-lhead cv-lane-h" style="grid-row:${row}"${based ? "" : ` title="${esc(this.w("kpi.no_base"))}"`}>${hy(this.w("lane.kpi"))}</div>`;
    if (!based && !typed && !editing) {
      const none = `<div class="cv-lane cv-lcell cv-kpi-none" style="grid-row:${row};grid-column:2 / ${moments.length + 2}">${hy(this.w("lane.no_base"))}</div>`;
      return head + none;
    }
    const sym = this.doc.sym;
    const overview = layout.zoom === "overview";
    const cells = moments.map((m, i) => {
      const focus = present && m.id === this.presenting;
      const narrow = overview || (present && !focus); // symbols only: the words would not fit
      const tag = (kind, mark) => `<span class="cv-kpi-tag cv-kpi-tag-${kind}">${mark}${narrow ? "" : ` ${esc(this.w(`kpi.${kind}`))}`}</span> `;
      const parts = [];
      if (m.kpi) {
        // Overview: two lines alone, one above the base's figures; cards: three; detail: all.
        const clamp = overview ? (m.frag ? "" : " cv-kpi-two") : layout.zoom === "detail" || focus ? "" : " cv-kpi-three";
        parts.push(`<div class="cv-kpi-own${clamp}" title="${esc(this.w("kpi.own_title", { value: m.kpi }))}">${based ? tag("own", "✎") : ""}${hy(m.kpi)}</div>`);
      }
      if (m.frag) {
        // Narrow: the lines that fit (the title and the other zooms say all).
        const all = m.frag.figures;
        const figures = overview ? (m.kpi ? [all.join(" · ")] : all.slice(0, 2)) : narrow ? all.slice(0, 1) : all;
        parts.push(`<div class="cv-kpi-data" title="${esc(m.frag.title)}">${figures.map((f, j) => `<div>${j ? "" : tag("data", sym.fragile)}${esc(f)}</div>`).join("")}</div>`);
      }
      if (!parts.length) {
        parts.push(editing ? `<span class="cv-kpi-add">${esc(this.w("kpi.add"))}</span>` : `<span class="cv-none">${esc(this.w("lane.no_kpi"))}</span>`);
      }
      const cls = `cv-lane cv-lcell cv-kpicell${editing ? " cv-kpi-edit" : ""}${focus ? " cv-focus" : ""}`;
      const title = editing ? ` title="${esc(this.w("kpi.hint"))}"` : "";
      return `<div class="${cls}" data-kpi="${esc(m.id)}" style="grid-row:${row};grid-column:${i + 2}"${title}>${parts.join("")}</div>`;
    });
    return head + cells.join("");
  },

  curveSvg(own, other, columns, moments) {
    const height = 96;
    const width = columns.reduce((a, b) => a + b, 0);
    const xs = [];
    let x = 0;
    for (const c of columns) {
      xs.push(x + c / 2);
      x += c;
    }
    const values = [...own, ...(other || [])].filter((v) => v !== null && v !== undefined);
    const low = Math.min(0, ...values), high = Math.max(0, ...values);
    const pad = Math.max(1, (high - low) * 0.15);
    const y = (v) => 14 + (height - 28) * (1 - (v - (low - pad)) / (high + pad - (low - pad)));
    const path = (vals) => {
      let d = "";
      let pen = false;
      vals.forEach((v, i) => {
        if (v === null || v === undefined) return (pen = false);
        d += `${pen ? "L" : "M"}${xs[i].toFixed(1)},${y(v).toFixed(1)}`;
        pen = true;
      });
      return d;
    };
    const parts = [`<svg class="cv-curve" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(this.w("lane.emotion"))}">`];
    parts.push(`<line x1="0" x2="${width}" y1="${y(0)}" y2="${y(0)}" class="cv-zero"/>`);
    if (other) parts.push(`<path d="${path(other)}" class="cv-other"/>`);
    parts.push(`<path d="${path(own)}" class="cv-own"/>`);
    own.forEach((v, i) => {
      const shape = v > 0 ? "up" : v < 0 ? "down" : "zero";
      const focus = this.presentMode && moments[i].id === this.presenting ? " cv-pfocus" : "";
      const cx = xs[i].toFixed(1), cy = y(v).toFixed(1);
      const mark = shape === "up"
        ? `<path d="M${cx},${cy - 7}l7,12h-14z"/>`
        : shape === "down"
          ? `<path d="M${cx},${+cy + 7}l7,-12h-14z"/>`
          : `<circle cx="${cx}" cy="${cy}" r="6"/>`;
      const label = v > 0 ? `+${v}` : `${v}`;
      const ty = v >= 0 ? +cy - 11 : +cy + 21;
      parts.push(`<g class="cv-pt cv-pt-${shape}${focus}" data-i="${i}">${mark}<text x="${cx}" y="${ty}" text-anchor="middle">${label}</text></g>`);
    });
    if (other) {
      other.forEach((v, i) => {
        if (v === null || v === undefined) return;
        parts.push(`<circle class="cv-opt" cx="${xs[i].toFixed(1)}" cy="${y(v).toFixed(1)}" r="4"/>`);
      });
    }
    parts.push("</svg>");
    return parts.join("");
  },

  // --- the bar -------------------------------------------------------------------------------

  drawBar(present) {
    const history = this.live.history || {};
    const zoomIndex = ZOOMS.indexOf(this.view.zoom);
    const button = (act, label, opts = {}) =>
      `<button type="button" class="cv-btn${opts.on ? " cv-on" : ""}" data-act="${act}"${opts.title ? ` title="${esc(opts.title)}"` : ""}${opts.disabled ? " disabled" : ""}${opts.pressed !== undefined ? ` aria-pressed="${opts.pressed}"` : ""}>${esc(label)}</button>`;
    const parts = [];
    if (present) {
      const ids = this.current.moments.map((m) => m.id);
      const index = ids.indexOf(this.presenting);
      parts.push(button("prev", "◀", { title: this.w("present.prev"), disabled: index <= 0 }));
      parts.push(`<span class="cv-where">${esc(this.w("present.of", { n: index + 1, total: ids.length }))}</span>`);
      parts.push(button("next", "▶", { title: this.w("present.next"), disabled: index >= ids.length - 1 }));
      if (this.editable && !this.following) { // a screen that follows leaves these to the lead
        parts.push(button("follow", this.live.follow ? this.w("follow_on") : this.w("follow"), { on: !!this.live.follow, pressed: !!this.live.follow, title: this.w("follow_help") }));
        const options = [`<option value="">${esc(this.w("timer"))}</option>`]
          .concat(TIMER_CHOICES.map((n) => `<option value="${n * 60}">${esc(this.w("timer_min", { count: n }))}</option>`))
          .concat(this.live.timer ? [`<option value="stop">${esc(this.w("timer_stop"))}</option>`] : []);
        parts.push(`<select class="cv-select" data-act="timer" aria-label="${esc(this.w("timer"))}">${options.join("")}</select>`);
      } else if (this.following) {
        parts.push(`<span class="cv-following">${esc(this.w("following"))}</span>`);
      }
      parts.push(`<span class="cv-timer" aria-live="off"></span>`);
      parts.push(`<span class="cv-spacer"></span>`);
      parts.push(button("lanes", this.w("lanes"), { on: this.view.lanes, pressed: this.view.lanes }));
      parts.push(button("present", this.w("present_exit"), { title: this.w("present_exit") }));
    } else {
      parts.push(`<span class="cv-group" role="group" aria-label="${esc(this.w("zoom"))}">`);
      parts.push(button("zoom-out", "−", { title: this.w("zoom_out"), disabled: zoomIndex <= 0 }));
      for (const zoom of ZOOMS) {
        parts.push(button(`zoom:${zoom}`, this.w(`zoom.${zoom}`), { on: zoom === this.view.zoom, pressed: zoom === this.view.zoom }));
      }
      parts.push(button("zoom-in", "+", { title: this.w("zoom_in"), disabled: zoomIndex >= ZOOMS.length - 1 }));
      parts.push("</span>");
      parts.push(button("lanes", this.w("lanes"), { on: this.view.lanes, pressed: this.view.lanes, title: this.w("lanes_help") }));
      parts.push(button("present", this.w("present"), { title: this.w("present_help") }));
      if (this.editable) {
        parts.push(button("undo", `↶ ${this.w("undo")}`, { title: history.undo ? this.w("undo_what", { what: history.undo.what }) : this.w("nothing_undo"), disabled: !history.undo }));
        parts.push(button("redo", `↷ ${this.w("redo")}`, { title: history.redo ? this.w("redo_what", { what: history.redo.what }) : this.w("nothing_redo"), disabled: !history.redo }));
      }
      parts.push(`<span class="cv-timer" aria-live="off"></span>`);
      parts.push(`<span class="cv-spacer"></span>`);
      parts.push(button("legend", this.w("legend"), { on: !!this.legendOn, pressed: !!this.legendOn }));
      parts.push(`<span class="cv-help" title="${esc(this.w(this.editable ? "keys" : "keys_read"))}">⌨</span>`);
    }
    this.bar.innerHTML = parts.join("");
    this.tick();
  },

  // The base's KPIs (when the journey reads a subscriber base) and the legend, above the grid.
  drawStrips() {
    const kpis = this.doc.kpis;
    const kpiText = kpis ? JSON.stringify(kpis) : "";
    if (kpiText !== this.kpiText) {
      this.kpiText = kpiText;
      this.kpis.hidden = !kpis;
      this.kpis.setAttribute("aria-label", kpis?.aria || "");
      this.kpis.innerHTML = kpis
        ? kpis.tiles.map(([value, caption], i) => `<div class="cv-kpi${i ? "" : " cv-kpi-base"}"><b>${esc(value)}</b> <span>${esc(caption)}</span></div>`).join("")
        : "";
    }
    this.legend.hidden = !this.legendOn;
    if (!this.legendOn || this.legend.childElementCount) return;
    const sym = this.doc.sym;
    const item = (mark, text) => `<span class="cv-li">${mark} ${esc(text)}</span>`;
    const parts = ["delight", "irritant", "break"].map((k) => item(`<span class="cv-chip cv-k-${k} cv-i3">${sym.finding[k]}</span>`, this.w(`finding.${k}`)));
    parts.push(item(`<span class="cv-chip cv-k-irritant cv-i1">1</span><span class="cv-chip cv-k-irritant cv-i2">2</span><span class="cv-chip cv-k-irritant cv-i3">3</span>`, this.w("legend_intensity")));
    for (const status of ["missing", "poorly_handled", "planned"]) parts.push(item(`<b>${sym.status[status]}</b>`, this.w(`status.${status}`)));
    for (const level of ["assumed", "confirmed", "measured"]) parts.push(item(`<span class="cv-ev cv-ev-${level}">${sym.evidence[level]}</span>`, this.w(`visits.evidence_${level}`)));
    parts.push(item(`<span class="cv-star">${sym.key}</span>`, this.w("board.key_moment")));
    parts.push(item(`<span class="cv-li-gap"></span>`, this.w("board.gap")));
    parts.push(item(`<span class="cv-imp-mark">➜</span>`, this.w("term.improvement")));
    parts.push(item(`<span class="cv-votes">●</span>`, this.w("legend_votes")));
    if (this.doc.moments.some((m) => m.frag)) parts.push(item(`<span class="cv-frag cv-li-frag">${sym.fragile}</span>`, this.w("board.fragile.legend")));
    this.legend.innerHTML = parts.join("");
  },

  tick() {
    const timer = this.live?.timer;
    const shown = this.bar?.querySelector(".cv-timer");
    if (!shown) return;
    if (!timer) {
      if (!shown.hidden) shown.hidden = true; // no write when nothing changes: no layout to redo
      return;
    }
    const skew = this.live.now ? Date.parse(this.live.now) - (this.receivedAt || Date.now()) : 0;
    const end = Date.parse(timer.start) + timer.seconds * 1000;
    const left = Math.max(0, Math.round((end - (Date.now() + skew)) / 1000));
    shown.hidden = false;
    // the stopwatch is drawn by the style sheet: Debian's fonts have no ⏱
    const text = `${String(Math.floor(left / 60)).padStart(2, "0")}:${String(left % 60).padStart(2, "0")}`;
    if (shown.textContent !== text) shown.textContent = text;
    shown.classList.toggle("cv-over", left === 0);
    shown.title = this.w("timer");
  },

  say(message, alarm) {
    this.toast.textContent = message;
    this.toast.setAttribute("role", alarm ? "alert" : "status");
    this.toast.classList.toggle("cv-alarm", !!alarm);
    this.toast.classList.add("cv-show");
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => this.toast.classList.remove("cv-show"), alarm ? 7000 : 3500);
  },
});

// The width (px) the chips of a cell take on one line, from their characters: symbol and count
// per finding type, the evidence symbol, the votes.
function chipsWidth(cards, tally, font) {
  const counts = {};
  let evidence = 0, votes = 0;
  for (const card of cards) {
    for (const [kind, n] of Object.entries(card.marks || {})) counts[kind] = (counts[kind] || 0) + n[0] + n[1] + n[2];
    if (card.ev) evidence = 1;
    for (const ref of refsOf(card)) votes += tally[ref] || 0;
  }
  const chip = (chars) => chars * font * 0.75 + 14; // a symbol or digit, padding, border, gap
  let width = Object.values(counts).reduce((sum, n) => sum + chip(1 + String(n).length), 0);
  if (evidence) width += chip(1);
  if (votes) width += chip(1 + String(votes).length);
  return width;
}

// The board canvas's input (pages/board/canvas.js): selection and keyboard, clicks and drags
// (cards to cells, headers among headers), adding a touchpoint in a cell, presenting.
const PRESENTING = ["present", "follow", "timer"]; // intents that are not edits

Object.assign(Canvas.prototype, {
  // --- selection and keyboard ----------------------------------------------------------------

  markSelection(reveal) {
    for (const el of this.grid.querySelectorAll(".cv-sel")) el.classList.remove("cv-sel");
    if (!this.sel) return;
    // A card trashed and brought back (undo) is selected again, where it comes back.
    const back = this.sel.gone && !this.sel.tp && this.current.cards.find((c) => c.id === this.sel.gone);
    if (back) this.sel = { m: back.m, c: back.c, tp: back.id };
    let el = null;
    if (this.sel.tp) el = this.grid.querySelector(`[data-tp="${cssEscape(this.sel.tp)}"]`);
    if (!el && this.sel.tp) {
      const card = this.current.cards.find((c) => c.id === this.sel.tp);
      if (card) this.sel = { m: card.m, c: card.c, tp: card.id };
      else this.sel = { m: this.sel.m, c: this.sel.c, tp: null, gone: this.sel.tp };
      if (this.sel.tp) el = this.grid.querySelector(`.cv-cell[data-m="${cssEscape(this.sel.m)}"][data-c="${cssEscape(this.sel.c)}"]`);
    }
    if (!el) el = this.grid.querySelector(`.cv-cell[data-m="${cssEscape(this.sel.m)}"][data-c="${cssEscape(this.sel.c)}"]`);
    if (!el) return;
    el.classList.add("cv-sel");
    if (reveal) el.scrollIntoView({ block: "nearest", inline: "nearest" });
  },

  select(sel, reveal = true) {
    this.sel = sel;
    this.markSelection(reveal);
  },

  moveSelection(dm, dc) {
    const { moments, channels, cells } = this.current;
    if (!moments.length || !channels.length) return;
    if (!this.sel) return this.select({ m: moments[0].id, c: channels[0].id, tp: (cells.get(`${moments[0].id}\u0000${channels[0].id}`) || [])[0]?.id || null });
    let mi = Math.max(0, moments.findIndex((m) => m.id === this.sel.m));
    let ci = Math.max(0, channels.findIndex((c) => c.id === this.sel.c));
    const here = cells.get(`${moments[mi].id}\u0000${channels[ci].id}`) || [];
    const ti = here.findIndex((card) => card.id === this.sel.tp);
    if (dc && ti >= 0 && here[ti + dc]) {
      // Up and down go through the cards of a cell before leaving it.
      return this.select({ m: this.sel.m, c: this.sel.c, tp: here[ti + dc].id });
    }
    mi = clamp(mi + dm, 0, moments.length - 1);
    ci = clamp(ci + dc, 0, channels.length - 1);
    const there = cells.get(`${moments[mi].id}\u0000${channels[ci].id}`) || [];
    const card = dc < 0 ? there[there.length - 1] : there[0];
    this.select({ m: moments[mi].id, c: channels[ci].id, tp: card?.id || null });
  },

  onKey(e) {
    const target = e.target;
    const typing = target.matches?.("input, textarea, select");
    const mod = e.ctrlKey || e.metaKey;
    if (typing) {
      if (e.key === "Escape") {
        if (this.adding && target === this.adding.input) this.cancelAdding();
        else if (this.editor) this.closeEditor();
        this.root.focus({ preventScroll: true });
        e.preventDefault();
        e.stopPropagation();
      } else if (e.key === "Enter" && this.adding && target === this.adding.input) {
        e.preventDefault();
        this.commitAdding();
      }
      return;
    }
    let handled = true;
    if (mod && (e.key === "z" || e.key === "Z") && !e.shiftKey) this.undo();
    else if (mod && ((e.key === "z" || e.key === "Z") && e.shiftKey || e.key === "y")) this.redo();
    else if (this.presentMode && ["ArrowRight", "ArrowDown", "PageDown", " "].includes(e.key)) this.step(1);
    else if (this.presentMode && ["ArrowLeft", "ArrowUp", "PageUp"].includes(e.key)) this.step(-1);
    else if (e.key === "ArrowRight") this.moveSelection(1, 0);
    else if (e.key === "ArrowLeft") this.moveSelection(-1, 0);
    else if (e.key === "ArrowDown") this.moveSelection(0, 1);
    else if (e.key === "ArrowUp") this.moveSelection(0, -1);
    else if (e.key === "Enter" && this.sel && !this.presentMode) {
      if (this.sel.tp) this.openEditor(this.sel.tp);
      else this.startAdding(this.sel.m, this.sel.c);
    } else if ((e.key === "Delete" || e.key === "Backspace") && this.sel?.tp && !this.presentMode) this.trash(this.sel.tp);
    else if (e.key === "Escape") {
      if (this.editor) this.closeEditor();
      else if (this.presentMode) this.togglePresent();
      else handled = false;
    } else if ((e.key === "+" || e.key === "=") && !mod) this.zoom(1);
    else if (e.key === "-" && !mod) this.zoom(-1);
    else if (e.key === "0" && !mod) this.setView({ zoom: "overview" });
    else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  },

  zoom(step) {
    const index = clamp(ZOOMS.indexOf(this.view.zoom) + step, 0, ZOOMS.length - 1);
    if (ZOOMS[index] !== this.view.zoom) this.setView({ zoom: ZOOMS[index] });
  },

  step(delta) {
    const ids = this.current.moments.map((m) => m.id);
    const index = clamp(ids.indexOf(this.presenting) + delta, 0, ids.length - 1);
    if (ids[index] === this.presenting) return;
    this.presenting = ids[index];
    this.render();
    this.revealPresented();
    if (this.editable) this.send({ type: "present", moment: this.presenting });
  },

  revealPresented() {
    const head = this.grid.querySelector(".cv-mhead.cv-focus");
    if (!head) return;
    const box = this.scroller.getBoundingClientRect();
    const rect = head.getBoundingClientRect();
    if (rect.left < box.left + this.layoutNow.label || rect.right > box.right) {
      this.scroller.scrollLeft += rect.left - box.left - this.layoutNow.label - 8;
    }
  },

  togglePresent() {
    if (!this.view.present && this.following) {
      // A screen that follows leaves on its own: the facilitator still leads the others.
      this.leftFollow = true;
      this.render();
      this.root.focus({ preventScroll: true });
      return;
    }
    const present = !this.view.present;
    if (present && !this.presenting) this.presenting = this.sel?.m || this.current.moments[0]?.id || null;
    this.closeEditor();
    this.setView({ present });
    if (this.editable) this.send({ type: "present", moment: present ? this.presenting : null });
    this.root.focus({ preventScroll: true });
  },

  // The history the server last sent is out of date while an edit is on its way: then the
  // server alone knows what Ctrl+Z undoes, and nothing is shown ahead of its answer.
  undo() {
    this.travel("undo");
  },

  redo() {
    this.travel("redo");
  },

  travel(kind) {
    if (!this.editable) return;
    const inFlight = this.queue.some((intent) => !PRESENTING.includes(intent.type));
    const step = (this.live.history || {})[kind];
    if (!step && !inFlight) return this.say(this.w(`nothing_${kind}`), false);
    this.send({ type: kind }, inFlight ? null : step.show || null);
  },

  // --- pointer: click to select, edit or add; drag to move a card or a header ---------------

  onPointerDown(e) {
    this.suppressUntil = 0;
    if (e.button !== 0 || e.target.closest("input, textarea, select, button, .cv-drawer")) return;
    this.root.focus({ preventScroll: true });
    if (!this.editable || this.presentMode) return;
    const card = e.target.closest("[data-tp]");
    const head = e.target.closest(".cv-mhead, .cv-chead");
    if (!card && !head) return;
    if (card && card.dataset.tp.startsWith("pending-")) return;
    // The version seen when the card was grabbed: if someone moves it meanwhile, this move is
    // refused (and said) rather than laid over theirs.
    const version = card ? this.current.cards.find((c) => c.id === card.dataset.tp)?.v : null;
    this.drag = { card, head, version, x: e.clientX, y: e.clientY, moving: false, id: e.pointerId };
    document.addEventListener("pointermove", this.move);
    document.addEventListener("pointerup", this.up);
  },

  onPointerMove(e) {
    const drag = this.drag;
    if (!drag) return;
    if (!drag.moving) {
      if (Math.hypot(e.clientX - drag.x, e.clientY - drag.y) < 6) return;
      drag.moving = true;
      // One ghost, kept (hidden) between drags: adding and removing it would lay the page out
      // again in the frame that shows the drop.
      const ghost = (this.ghost ||= this.root.appendChild(document.createElement("div")));
      ghost.className = "cv-ghost";
      ghost.textContent = drag.card ? drag.card.getAttribute("title") || drag.card.querySelector(".cv-label")?.textContent || "" : drag.head.textContent;
      ghost.hidden = false;
      drag.ghost = ghost;
      (drag.card || drag.head).classList.add("cv-drag-src");
    }
    e.preventDefault();
    drag.ghost.style.transform = `translate(${e.clientX + 12}px, ${e.clientY + 10}px)`;
    this.autoScroll(e);
    if (drag.card) {
      const cell = this.cellAt(e.clientX, e.clientY);
      if (cell !== drag.target) {
        drag.target?.classList.remove("cv-drop");
        cell?.classList.add("cv-drop");
        drag.target = cell;
      }
    } else {
      drag.mark?.classList.remove("cv-insert-before", "cv-insert-after");
      drag.target = this.insertionAt(drag.head, e.clientX, e.clientY);
      drag.mark = drag.target?.el;
      if (drag.target) drag.mark.classList.add(drag.target.after ? "cv-insert-after" : "cv-insert-before");
    }
  },

  cellAt(x, y) {
    const el = document.elementFromPoint(x, y);
    return el?.closest?.(".cv-cell") || null;
  },

  // Where a header dropped at (x, y) would go among the others: {el, after, position}.
  insertionAt(head, x, y) {
    const moment = head.classList.contains("cv-mhead");
    const heads = [...this.grid.querySelectorAll(moment ? ".cv-mhead" : ".cv-chead")];
    const from = heads.indexOf(head);
    let index = heads.length;
    for (let i = 0; i < heads.length; i++) {
      const r = heads[i].getBoundingClientRect();
      const middle = moment ? r.left + r.width / 2 : r.top + r.height / 2;
      if ((moment ? x : y) < middle) {
        index = i;
        break;
      }
    }
    const position = index > from ? index - 1 : index;
    if (position === from) return null;
    const el = index < heads.length ? heads[index] : heads[heads.length - 1];
    return { el, after: index >= heads.length, position, kind: moment ? "moment" : "channel" };
  },

  autoScroll(e) {
    const box = this.scroller.getBoundingClientRect();
    const edge = 36;
    if (e.clientX > box.right - edge) this.scroller.scrollLeft += 18;
    else if (e.clientX < box.left + this.layoutNow.label + edge) this.scroller.scrollLeft -= 18;
    if (e.clientY > box.bottom - edge) this.scroller.scrollTop += 18;
    else if (e.clientY < box.top + edge + 40) this.scroller.scrollTop -= 18;
  },

  onPointerUp(e) {
    const drag = this.drag;
    this.drag = null;
    document.removeEventListener("pointermove", this.move);
    document.removeEventListener("pointerup", this.up);
    if (!drag?.moving) return;
    if (drag.ghost) drag.ghost.hidden = true;
    drag.target?.classList?.remove("cv-drop");
    drag.mark?.classList.remove("cv-insert-before", "cv-insert-after");
    (drag.card || drag.head).classList.remove("cv-drag-src");
    // The click that ends a drag is not a click (the next press clears this; a busy machine
    // may deliver that click late).
    this.suppressUntil = performance.now() + 1000;
    if (drag.card) {
      // Where the last move left it (no layout to force again), else under the pointer.
      const cell = drag.target?.isConnected ? drag.target : this.cellAt(e.clientX, e.clientY);
      const id = drag.card.dataset.tp;
      const card = this.current.cards.find((c) => c.id === id);
      if (!cell || !card) return;
      const m = cell.dataset.m, c = cell.dataset.c;
      if (m === card.m && c === card.c) return;
      this.sel = { m, c, tp: id };
      this.send({ type: "move", touchpoint: id, version: drag.version ?? card.v, moment: m, channel: c }, { op: "move", tp: id, m, c });
    } else if (drag.target) {
      const kind = drag.target.kind;
      const id = kind === "moment" ? drag.head.dataset.moment : drag.head.dataset.channel;
      const item = (kind === "moment" ? this.doc.moments : this.doc.channels).find((x) => x.id === id);
      if (!item) return;
      const position = drag.target.position;
      this.send({ type: "reorder", kind, id, version: item.v, position }, { op: "reorder", kind, id, pos: position });
    }
  },

  onClick(e) {
    const act = e.target.closest("[data-act]");
    if (act && act.tagName === "BUTTON") return this.onAct(act.dataset.act, act);
    if (performance.now() < (this.suppressUntil || 0)) {
      this.suppressUntil = 0; // that one click only
      return;
    }
    if (e.target.closest(".cv-drawer, input, select, textarea")) return;
    const card = e.target.closest("[data-tp]");
    const cell = e.target.closest(".cv-cell");
    const kpi = e.target.closest(".cv-kpicell"); // the KPI lane: canvas_kpi.js
    if (kpi) {
      if (this.editable && !this.presentMode) this.startKpi(kpi.dataset.kpi);
    } else if (card) {
      const id = card.dataset.tp;
      const found = this.current.cards.find((c) => c.id === id);
      if (!found) return;
      this.select({ m: found.m, c: found.c, tp: id }, false);
      if (this.editable && !this.presentMode && !id.startsWith("pending-")) this.openEditor(id);
    } else if (cell) {
      this.select({ m: cell.dataset.m, c: cell.dataset.c, tp: null }, false);
      if (this.editable && !this.presentMode) this.startAdding(cell.dataset.m, cell.dataset.c);
    } else {
      const head = e.target.closest(".cv-mhead");
      if (head && this.presentMode) {
        this.presenting = head.dataset.moment;
        this.render();
        if (this.editable) this.send({ type: "present", moment: this.presenting });
      }
    }
  },

  onAct(act, el) {
    if (act.startsWith("zoom:")) this.setView({ zoom: act.slice(5) });
    else if (act === "zoom-in") this.zoom(1);
    else if (act === "zoom-out") this.zoom(-1);
    else if (act === "lanes") this.setView({ lanes: !this.view.lanes });
    else if (act === "legend") {
      this.legendOn = !this.legendOn;
      this.resized = true; // the grid gives the legend its height
      this.render();
    }
    else if (act === "present") this.togglePresent();
    else if (act === "undo") this.undo();
    else if (act === "redo") this.redo();
    else if (act === "prev") this.step(-1);
    else if (act === "next") this.step(1);
    else if (act === "follow") this.send({ type: "follow", on: !this.live.follow });
    else if (act === "close") this.closeEditor();
    else if (act === "trash") this.trash(this.editor?.tp);
    else if (act === "take-theirs") this.openEditor(this.editor.tp, true);
    else if (act === "finding-delete") {
      const row = el.closest("[data-ref]");
      this.send({ type: "finding_delete", ref: +row.dataset.ref, version: +row.dataset.v });
    }
    if (!act.startsWith("finding") && act !== "close" && act !== "trash") this.root.focus({ preventScroll: true });
  },

  onChange(e) {
    const el = e.target;
    if (el.dataset?.act === "timer") {
      const value = el.value;
      if (value === "stop") this.send({ type: "timer", seconds: null });
      else if (value) this.send({ type: "timer", seconds: +value });
      el.value = "";
    }
  },

  // --- adding a touchpoint in a cell ---------------------------------------------------------

  startAdding(m, c) {
    if (this.adding && this.adding.m === m && this.adding.c === c) return this.adding.input.focus();
    this.cancelAdding();
    const input = document.createElement("input");
    input.type = "text";
    input.className = "cv-add";
    input.maxLength = 300;
    input.placeholder = this.w("add_placeholder");
    input.setAttribute("aria-label", this.w("add_label"));
    input.addEventListener("blur", () => setTimeout(() => {
      if (this.adding?.input === input && document.activeElement !== input) {
        if (input.value.trim()) this.commitAdding();
        else this.cancelAdding();
      }
    }, 150));
    this.adding = { m, c, input };
    this.reopenAdding();
    input.focus();
  },

  reopenAdding() {
    if (!this.adding) return;
    const cell = this.grid.querySelector(`.cv-cell[data-m="${cssEscape(this.adding.m)}"][data-c="${cssEscape(this.adding.c)}"]`);
    if (!cell) return this.cancelAdding();
    const input = this.adding.input;
    const focused = document.activeElement === input;
    const start = input.selectionStart, end = input.selectionEnd;
    cell.classList.add("cv-adding");
    cell.appendChild(input);
    if (focused) {
      input.focus({ preventScroll: true });
      input.setSelectionRange(start, end);
    }
  },

  commitAdding() {
    const adding = this.adding;
    if (!adding) return;
    const label = adding.input.value.trim();
    this.adding = null;
    adding.input.remove();
    this.root.focus({ preventScroll: true });
    if (!label) return this.render();
    this.send({ type: "add", moment: adding.m, channel: adding.c, label }, { op: "add", m: adding.m, c: adding.c, label });
  },

  cancelAdding() {
    const adding = this.adding;
    if (!adding) return;
    this.adding = null;
    adding.input.closest(".cv-cell")?.classList.remove("cv-adding");
    adding.input.remove();
  },

  trash(id) {
    const card = this.current.cards.find((c) => c.id === id);
    if (!card || !this.editable || id.startsWith("pending-")) return;
    if (this.editor?.tp === id) this.closeEditor();
    this.send({ type: "delete", touchpoint: id, version: card.v }, { op: "hide", tp: id });
    this.root.focus({ preventScroll: true });
  },
});

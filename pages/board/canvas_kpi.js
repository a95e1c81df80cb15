// The KPI lane's input (pages/board/canvas.js; the lane is drawn by canvas_draw.js): a click on
// a moment's KPI cell opens a small input there, holding its KPI; Enter sends what it holds as
// a moment edit at the version seen when it opened (someone else's newer edit is kept, and
// said), Escape cancels, an empty value clears the KPI. Ctrl+Z undoes it like any other edit.
const KPI_LIMIT = 5000; // the contract's Text

Object.assign(Canvas.prototype, {
  startKpi(id) {
    if (!this.editable || this.presentMode) return;
    if (this.kpiInput?.m === id) return this.kpiInput.input.focus();
    this.cancelKpi();
    const moment = this.current.moments.find((m) => m.id === id);
    if (!moment) return;
    const input = document.createElement("input");
    input.type = "text";
    input.className = "cv-add cv-kpi-input";
    input.maxLength = KPI_LIMIT;
    input.value = moment.kpi || "";
    input.placeholder = this.w("kpi.placeholder");
    input.setAttribute("aria-label", this.w("kpi.label", { label: moment.label }));
    input.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" && e.key !== "Escape") return;
      e.preventDefault();
      e.stopPropagation(); // the canvas's own keys stay out of it
      if (e.key === "Enter") this.commitKpi();
      else {
        this.cancelKpi();
        this.root.focus({ preventScroll: true });
      }
    });
    input.addEventListener("blur", () => setTimeout(() => {
      if (this.kpiInput?.input !== input || document.activeElement === input) return;
      if (input.value.trim() !== this.kpiInput.was) this.commitKpi(); // nothing typed is lost
      else this.cancelKpi();
    }, 150));
    this.kpiInput = { m: id, input, was: moment.kpi || "", v: moment.v };
    this.reopenKpi(false);
    input.focus();
    input.select();
  },

  // After the grid is drawn again: the input back in its cell (gone with its moment or the
  // lanes: cancelled), with its focus and selection.
  reopenKpi(focused) {
    const kpi = this.kpiInput;
    if (!kpi) return;
    const cell = this.grid.querySelector(`.cv-kpicell[data-kpi="${cssEscape(kpi.m)}"]`);
    if (!cell) return this.cancelKpi();
    const input = kpi.input;
    const start = input.selectionStart, end = input.selectionEnd;
    cell.classList.add("cv-adding");
    if (input.parentElement !== cell) cell.appendChild(input);
    if (focused) {
      input.focus({ preventScroll: true });
      input.setSelectionRange(start, end);
    }
  },

  commitKpi() {
    const kpi = this.kpiInput;
    if (!kpi) return;
    const value = kpi.input.value.trim();
    this.cancelKpi();
    this.root.focus({ preventScroll: true });
    if (value === kpi.was) return;
    const intent = { type: "moment", moment: kpi.m, field: "kpi", value, version: kpi.v };
    this.send(intent, { op: "kpi", m: kpi.m, value: value || null });
  },

  cancelKpi() {
    const kpi = this.kpiInput;
    if (!kpi) return;
    this.kpiInput = null;
    kpi.input.closest(".cv-kpicell")?.classList.remove("cv-adding");
    kpi.input.remove();
  },
});

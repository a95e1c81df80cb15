// The board canvas's editor (pages/board/canvas.js): a card's fields, findings and improvement
// axes, beside the board; what it sends are intents like every other edit.
Object.assign(Canvas.prototype, {
  // --- the editor: a card's fields, findings and improvement axes, beside the board ---------

  // `refresh`: drawn again with newer data (the focus stays where it is); `force`: the user
  // dropped their unsaved changes for the newer version.
  openEditor(id, force = false, refresh = false) {
    const card = this.current.cards.find((c) => c.id === id);
    if (!card) return;
    this.editor = { tp: id, version: card.v, findings: findingsKey(card), dirty: false };
    if (!this.view.editing) this.setView({ editing: true }); // the findings' words come with the answer
    this.drawer.hidden = false;
    const active = this.drawer.contains(document.activeElement) ? document.activeElement : null;
    const form = active?.closest("form");
    const where = form ? (form.dataset.ref ? `[data-ref="${form.dataset.ref}"]` : `[data-form="${form.dataset.form}"]`) : null;
    this.drawer.innerHTML = this.editorHtml(card);
    if (!refresh) this.drawer.querySelector(".cv-e-label")?.focus({ preventScroll: true });
    else if (where && active.name) this.drawer.querySelector(`${where} [name="${active.name}"]`)?.focus({ preventScroll: true });
    if (force) this.say(this.w("editor.reloaded"), false);
  },

  closeEditor() {
    const open = !!this.editor;
    this.editor = null;
    this.drawer.hidden = true;
    this.drawer.innerHTML = "";
    if (open && this.view.editing) this.setView({ editing: false });
  },

  refreshEditor() {
    if (!this.editor) return;
    const card = this.current?.cards.find((c) => c.id === this.editor.tp);
    const notice = this.drawer.querySelector(".cv-notice");
    if (!card) {
      if (notice) {
        notice.hidden = false;
        notice.textContent = this.w("editor.gone");
      }
      return;
    }
    const findings = findingsKey(card);
    if (card.v === this.editor.version && findings === this.editor.findings) return;
    if (!this.editor.dirty) return this.openEditor(card.id, false, true);
    if (notice) {
      notice.hidden = false;
      notice.innerHTML = `${esc(this.w("editor.changed"))} <button type="button" class="cv-btn" data-act="take-theirs">${esc(this.w("editor.take_theirs"))}</button>`;
    }
  },

  editorHtml(card) {
    const w = (k, p) => esc(this.w(k, p));
    const option = (value, label, chosen) => `<option value="${esc(value)}"${value === chosen ? " selected" : ""}>${esc(label)}</option>`;
    const statuses = ["existing", "missing", "poorly_handled", "planned"];
    const moments = this.current.moments.map((m) => option(m.id, m.label, card.m)).join("");
    const channels = this.current.channels.map((c) => option(c.id, c.label, card.c)).join("");
    const tally = this.live.tally || {};
    const findings = (card.f || []).map((f, i) => `
      <form class="cv-finding cv-f-${f.type}" data-form="finding" data-ref="${f.ref}" data-v="${f.v}">
        <div class="cv-row">
          <label>${w("field.type")}<select name="ftype">${["delight", "irritant", "break"].map((k) => option(k, `${this.doc.sym.finding[k]} ${this.w(`finding.${k}`)}`, f.type)).join("")}</select></label>
          <label>${w("field.intensity")}<select name="intensity">${[1, 2, 3].map((n) => option(String(n), this.w(`intensity.${n}`), String(f.i))).join("")}</select></label>
          <label>${w("field.finding_status")}<select name="status">${["open", "planned", "resolved"].map((s) => option(s, this.w(`finding_status.${s}`), f.st)).join("")}</select></label>
          ${tally[f.ref] ? `<span class="cv-votes">${w("votes", { count: tally[f.ref] })}</span>` : ""}
        </div>
        <label>${w("field.text")} ${i + 1}<textarea name="text" rows="2" maxlength="300" required>${esc(f.text)}</textarea></label>
        <label>${w("term.improvement")}<textarea name="improvement" rows="2" maxlength="5000">${esc(f.imp || "")}</textarea></label>
        <div class="cv-row cv-actions">
          <button type="submit" class="cv-btn cv-primary">${w("editor.save_finding")}</button>
          <button type="button" class="cv-btn" data-act="finding-delete">${w("editor.delete_finding")}</button>
        </div>
      </form>`).join("");
    return `
      <div class="cv-dhead"><h3>${w("editor.title")}</h3><button type="button" class="cv-btn cv-x" data-act="close" title="${w("editor.close")}" aria-label="${w("editor.close")}">✕</button></div>
      <p class="cv-notice" role="alert" hidden></p>
      <form class="cv-tp" data-form="touchpoint">
        <label>${w("field.label")}<input class="cv-e-label" name="label" maxlength="300" required value="${esc(card.label)}"></label>
        <div class="cv-row">
          <label>${w("term.moment")}<select name="moment">${moments}</select></label>
          <label>${w("term.channel")}<select name="channel">${channels}</select></label>
        </div>
        <div class="cv-row">
          <label>${w("field.status")}<select name="status">${statuses.map((s) => option(s, this.w(`status.${s}`), card.status)).join("")}</select></label>
          <label>${w("field.owner")}<input name="owner" maxlength="5000" value="${esc(card.owner || "")}"></label>
        </div>
        <label>${w("field.description")}<textarea name="description" rows="2" maxlength="5000">${esc(card.desc || "")}</textarea></label>
        <div class="cv-row cv-actions">
          <button type="submit" class="cv-btn cv-primary">${w("editor.save")}</button>
          <button type="button" class="cv-btn" data-act="trash">🗑 ${w("editor.trash")}</button>
        </div>
      </form>
      <h4>${w("term.findings")} (${card.f ? card.f.length : (card.refs || []).length})</h4>
      ${card.f ? findings : `<p class="cv-loading">${w("editor.loading")}</p>`}
      <form class="cv-finding cv-new" data-form="new-finding">
        <h4>${w("editor.new_finding")}</h4>
        <div class="cv-row">
          <label>${w("field.type")}<select name="ftype">${["delight", "irritant", "break"].map((k) => option(k, `${this.doc.sym.finding[k]} ${this.w(`finding.${k}`)}`, "irritant")).join("")}</select></label>
          <label>${w("field.intensity")}<select name="intensity">${[1, 2, 3].map((n) => option(String(n), this.w(`intensity.${n}`), "2")).join("")}</select></label>
        </div>
        <label>${w("field.text")}<textarea name="text" rows="2" maxlength="300" required></textarea></label>
        <label>${w("term.improvement")}<textarea name="improvement" rows="2" maxlength="5000"></textarea></label>
        <div class="cv-row cv-actions"><button type="submit" class="cv-btn cv-primary">${w("editor.add_finding")}</button></div>
      </form>`;
  },

  onInput(e) {
    if (this.editor && e.target.closest(".cv-drawer")) this.editor.dirty = true;
  },

  onSubmit(e) {
    const form = e.target;
    if (!form.closest?.(".cv-drawer") || !this.editor) return;
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    const kind = form.dataset.form;
    const card = this.current.cards.find((c) => c.id === this.editor.tp);
    if (!card) return;
    if (kind === "touchpoint") {
      const fields = { label: data.label, moment: data.moment, channel: data.channel, status: data.status, owner: data.owner, description: data.description };
      this.send({ type: "edit", touchpoint: card.id, version: card.v, ...fields }, { op: "patch", tp: card.id, fields: { label: data.label.trim() || card.label, m: data.moment, c: data.channel, status: data.status } });
    } else if (kind === "finding") {
      this.send({ type: "finding_edit", ref: +form.dataset.ref, version: +form.dataset.v, ftype: data.ftype, intensity: +data.intensity, status: data.status, text: data.text, improvement: data.improvement });
    } else {
      this.send({ type: "finding_add", touchpoint: card.id, ftype: data.ftype, intensity: +data.intensity, text: data.text, improvement: data.improvement });
      form.reset();
    }
    this.editor.dirty = false;
    form.classList.add("cv-saving");
  },
});

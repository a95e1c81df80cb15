"""The road form's look on a phone (big touch targets), its number pad and its photo guard."""

from __future__ import annotations

import json

# Scoped to the form's container (`st-key-road_form`): other pages keep Streamlit's look.
# 16 px and more in inputs: iOS zooms into smaller text when a field takes the focus.
ROAD_CSS = """<style>
.st-key-road_form{max-width:560px;margin:0 auto}
.st-key-road_autosave{display:none}
.st-key-road_form h1{font-size:1.9rem;padding-top:0}
.st-key-road_form button{min-height:3rem;font-size:1.05rem}
.st-key-road_form [data-testid="stButtonGroup"] button{min-height:3rem;min-width:3rem;
 flex:1 1 0}
.st-key-road_form input,.st-key-road_form textarea{font-size:17px!important}
.st-key-road_form [data-baseweb="select"]>div{min-height:3rem}
.st-key-road_form label p{font-size:1rem;font-weight:600}
.st-key-road_nav button{min-width:3.5rem}
.st-key-road_prev button p,.st-key-road_next button p{font-size:1.4rem}
[data-testid="stMainBlockContainer"]:has(.st-key-road_form){padding-top:3rem}
.st-key-road_send button{min-height:3.6rem;font-size:1.15rem}
.st-key-road_form [data-testid="stFileUploaderDropzoneInstructions"]{display:none}
.jr-upload-refused{margin-top:.5rem;padding:.75rem 1rem;border-radius:.5rem;
 background:#fbe9e1;color:#7a2b00}
</style>"""

# The wait in minutes: a phone shows its number pad. (Typed text is kept by autosave.py.)
ROAD_JS = """<script>
(() => {
  if (window.__journeysRoadNumbers) return;
  window.__journeysRoadNumbers = true;
  const numeric = () => document.querySelectorAll(
    ".st-key-road_o_wait_minutes input").forEach((el) => el.setAttribute("inputmode", "decimal"));
  new MutationObserver(numeric).observe(document.body, {childList: true, subtree: true});
})();
</script>"""

# The browser weighs a photo before sending it: one over the limit is refused here, in the
# page's language, instead of Streamlit's English "per file" line and the server's 413 mid-upload.
# The uploader's own checks run in React's listeners: this one runs first (document, capture
# phase) and stops the event. The accept list is set here because the widget is given no
# `type` (see page.py).
_UPLOAD_GUARD = """<script>
(() => {
  window.__journeysUploadLimit = %s;
  if (window.__journeysUploadGuard) return;
  window.__journeysUploadGuard = true;
  const ZONE = ".st-key-road_form [data-testid='stFileUploader']";
  const say = (zone, text) => {
    let note = zone.querySelector(".jr-upload-refused");
    if (!text) { if (note) note.remove(); return; }
    if (!note) {
      note = document.createElement("div");
      note.className = "jr-upload-refused";
      note.setAttribute("role", "alert");
      zone.appendChild(note);
    }
    note.textContent = text;
  };
  const refuse = (event, files) => {
    const zone = event.target instanceof Element && event.target.closest(ZONE);
    if (!zone || !files) return;
    const limit = window.__journeysUploadLimit;
    const big = Array.from(files).find((file) => file.size > limit.bytes);
    say(zone, big ? limit.message.replace("{name}", big.name) : "");
    if (!big) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.target instanceof HTMLInputElement) event.target.value = "";
  };
  document.addEventListener("change", (e) => refuse(e, e.target.files), true);
  document.addEventListener("drop", (e) => refuse(e, e.dataTransfer && e.dataTransfer.files),
    true);
  const accept = () => document.querySelectorAll(`${ZONE} input[type=file]`).forEach((el) => {
    if (el.accept !== window.__journeysUploadLimit.accept) {
      el.accept = window.__journeysUploadLimit.accept;
    }
  });
  accept();
  new MutationObserver(accept).observe(document.body, {childList: true, subtree: true});
})();
</script>"""


def upload_guard(limit_bytes: int, message: str, extensions: tuple[str, ...]) -> str:
    """The script that refuses, before upload, a file over `limit_bytes` with `message` (its
    `{name}` becomes the file's name, shown as text)."""
    accept = ",".join(["image/*", *(f".{ext}" for ext in extensions)])
    settings = {"bytes": limit_bytes, "message": message, "accept": accept}
    return _UPLOAD_GUARD % json.dumps(settings).replace("<", "\\u003c")

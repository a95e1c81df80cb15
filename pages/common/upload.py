"""The app's one upload limit, stated and enforced in the browser for any uploader on a page.

The limit is the server's (server.maxUploadSize in .streamlit/config.toml, tested equal to
journeys.visits.photos.MAX_PHOTO_MB). The browser weighs a file before sending it: one over the
limit is refused there, in the page's language, instead of Streamlit's English "per file" line
and the server's 413 mid-upload. (The road form keeps its own copy, pages/road/assets.py.)
"""

from __future__ import annotations

import json

from journeys.visits.photos import MAX_PHOTO_MB

UPLOAD_MB = MAX_PHOTO_MB
UPLOAD_BYTES = UPLOAD_MB * 1024 * 1024

# The uploader's own checks run in React's listeners: this one runs first (document, capture
# phase) and stops the event. One listener serves every zone registered by `upload_guard`.
_GUARD = """<script>
(() => {
  const zones = (window.__journeysUploadZones = window.__journeysUploadZones || {});
  zones[%(zone)s] = %(settings)s;
  if (window.__journeysUploadZonesOn) return;
  window.__journeysUploadZonesOn = true;
  const say = (zone, text) => {
    let note = zone.querySelector(".jw-upload-refused");
    if (!text) { if (note) note.remove(); return; }
    if (!note) {
      note = document.createElement("div");
      note.className = "jw-upload-refused";
      note.setAttribute("role", "alert");
      note.style.cssText = "margin-top:.5rem;padding:.75rem 1rem;border-radius:.5rem;"
        + "background:#fbe9e1;color:#7a2b00";
      zone.appendChild(note);
    }
    note.textContent = text;
  };
  const uploaders = (selector) => `${selector} [data-testid='stFileUploader']`;
  const refuse = (event, files) => {
    if (!(event.target instanceof Element) || !files) return;
    for (const [selector, limit] of Object.entries(zones)) {
      const zone = event.target.closest(uploaders(selector));
      if (!zone) continue;
      const big = Array.from(files).find((file) => file.size > limit.bytes);
      say(zone, big ? limit.message.replace("{name}", big.name) : "");
      if (!big) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (event.target instanceof HTMLInputElement) event.target.value = "";
      return;
    }
  };
  document.addEventListener("change", (e) => refuse(e, e.target.files), true);
  document.addEventListener("drop", (e) => refuse(e, e.dataTransfer && e.dataTransfer.files),
    true);
  const accept = () => {
    for (const [selector, limit] of Object.entries(zones)) {
      document.querySelectorAll(`${uploaders(selector)} input[type=file]`).forEach((el) => {
        if (el.accept !== limit.accept) el.accept = limit.accept;
      });
    }
  };
  accept();
  new MutationObserver(accept).observe(document.body, {childList: true, subtree: true});
})();
</script>"""


def upload_guard(zone_key: str, message: str, extensions: tuple[str, ...]) -> str:
    """The script (for st.html with JavaScript allowed) that refuses, before upload, a file over
    the limit dropped on an uploader inside the container of key `zone_key`, saying `message`
    (its `{name}` becomes the file's name, shown as text); the picker offers `extensions`."""
    settings = {
        "bytes": UPLOAD_BYTES,
        "message": message,
        "accept": ",".join(f".{ext}" for ext in extensions),
    }
    return _GUARD % {
        "zone": json.dumps(f".st-key-{zone_key}").replace("<", "\\u003c"),
        "settings": json.dumps(settings).replace("<", "\\u003c"),
    }

"""The workshop board as one block of escaped HTML with embedded CSS (moments × channels)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING

from journeys.board.analysis import Counts, counts_by_moment, touchpoints_by_cell
from journeys.board.diff import CHANGE_SYMBOLS, Change
from journeys.board.evidence import EVIDENCE_CSS, Evidence, evidence_badge
from journeys.board.fragile import FRAGILE_CSS, header_badge, header_class, kpi_strip, legend_items
from journeys.contract.model import (
    Finding,
    FindingStatus,
    FindingType,
    Journey,
    Touchpoint,
    TouchpointStatus,
)
from journeys.i18n import enum_label, t

if TYPE_CHECKING:
    from journeys.board.diff_board import BoardMarks, CardMark
    from journeys.board.fragile import Attrition

# Colour AND shape: a reader who cannot tell blue from orange still tells ♥ from ⚠ from ✖.
# U+FE0E asks for the text (not emoji) glyph, so the colour we set is the colour shown.
SYMBOLS: dict[FindingType, str] = {
    FindingType.DELIGHT: "♥\ufe0e",
    FindingType.IRRITANT: "⚠\ufe0e",
    FindingType.BREAK: "✖\ufe0e",
}
STATUS_SYMBOLS: dict[TouchpointStatus, str] = {
    TouchpointStatus.EXISTING: "",
    TouchpointStatus.MISSING: "◌",
    TouchpointStatus.POORLY_HANDLED: "!",
    TouchpointStatus.PLANNED: "◇",
}
FINDING_STATUS_SYMBOLS: dict[FindingStatus, str] = {
    FindingStatus.OPEN: "",
    FindingStatus.PLANNED: "◇",
    FindingStatus.RESOLVED: "✓",
}
KEY_SYMBOL = "★"
NEW_SYMBOL = "✱"

# Minimum widths (px) of the channel column and of each moment, normal and projector: ten
# moments fit 1920 px without horizontal scroll in both modes; beyond, the block scrolls while
# the channel column and the moment row stay put. The table carries both minimum widths, and
# the CSS picks one by class: switching modes in the browser is a class to toggle.
_WIDTHS = {False: (130, 120), True: (170, 165)}

CSS = """
.jb-board{--jb-d:#0b5c96;--jb-i:#e69f00;--jb-b:#a33a00;--jb-ink:#15191e;--jb-mute:#4a525c;
 --jb-line:#9aa3ad;color:var(--jb-ink);background:#fff;font-family:"Source Sans","Source Sans Pro",
 system-ui,sans-serif;font-size:14px;line-height:1.3;border-radius:6px}
.jb-board *{box-sizing:border-box}
.jb-scroll{overflow:auto;max-height:78vh;border:1px solid var(--jb-line);border-radius:6px}
.jb-table{border-collapse:separate;border-spacing:0;table-layout:fixed;width:100%;
 min-width:var(--jb-min)}
.jb-table th.jb-corner{width:130px}
.jb-table th,.jb-table td{border-right:1px solid #d5dae0;border-bottom:1px solid #d5dae0;
 padding:6px;vertical-align:top;text-align:left;hyphens:auto;-webkit-hyphens:auto;
 hyphenate-limit-chars:6 3 2;overflow-wrap:break-word}
.jb-table thead th{position:sticky;top:0;z-index:2;background:#eef1f5;font-weight:700}
.jb-table tbody th{position:sticky;left:0;z-index:1;background:#f6f7f9;font-weight:700}
.jb-table thead th.jb-corner{left:0;z-index:3;color:var(--jb-mute);font-weight:600}
.jb-table thead th.jb-key{background:#fff1b8;border-top:4px solid #7a5b00}
.jb-key-mark{color:#7a5b00}
.jb-counts{display:flex;flex-wrap:wrap;gap:2px 8px;margin-top:4px;font-weight:600;
 font-size:.85em;color:var(--jb-mute)}
.jb-c-d{color:var(--jb-d)}.jb-c-i{color:#8a5a00}.jb-c-b{color:var(--jb-b)}
td.jb-keycol{background:#fffbea}
td.jb-gap,.jb-gap-legend{
 background:repeating-linear-gradient(135deg,#f3f4f6 0 8px,#e4e7eb 8px 10px);color:#6b7380;
 text-align:center;vertical-align:middle;font-size:.85em}
.jb-card{background:#fff;border:1px solid var(--jb-line);border-radius:6px;padding:6px 7px;
 margin:0 0 6px;box-shadow:0 1px 0 rgba(0,0,0,.06)}
.jb-card:last-child{margin-bottom:0}
.jb-label{font-weight:600}
.jb-meta{display:flex;flex-wrap:wrap;gap:2px 6px;margin-top:3px;font-size:.85em;
 color:var(--jb-mute)}
.jb-status,.jb-newbadge{font-weight:700;border-radius:3px;padding:0 4px;white-space:nowrap}
.jb-st-missing{border:2px dashed #3d444d;background:#f7f7f7}
.jb-st-missing .jb-label{font-style:italic}
.jb-st-missing .jb-status{background:#3d444d;color:#fff}
.jb-st-poorly_handled{border:2px solid #b77900;background:#fff0cc}
.jb-st-poorly_handled .jb-status{background:#8a5a00;color:#fff}
.jb-st-planned{border:2px dotted var(--jb-d);background:#e8f2fb}
.jb-st-planned .jb-status{background:var(--jb-d);color:#fff}
.jb-new{outline:3px solid #6a3d9a;outline-offset:1px}
.jb-newbadge{background:#6a3d9a;color:#fff}
.jb-board ul.jb-findings{list-style:none;margin:5px 0 0;padding:0}
.jb-board .jb-findings li{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;
 overflow:hidden;margin:4px 0 0;padding:0;font-size:.9em;line-height:1.3}
.jb-mark{border-radius:3px;padding:0 3px;margin-right:4px;font-weight:700;letter-spacing:1px;
 white-space:nowrap}
.jb-f-delight .jb-mark{background:var(--jb-d);color:#fff}
.jb-f-irritant .jb-mark{background:var(--jb-i);color:#000}
.jb-f-break .jb-mark{background:var(--jb-b);color:#fff}
.jb-fstate{font-weight:700;white-space:nowrap;color:var(--jb-d)}
.jb-fs-resolved .jb-ftext{text-decoration:line-through;color:var(--jb-mute)}
.jb-fs-resolved .jb-fstate{color:#1d6b35}
.jb-legend{display:flex;flex-wrap:wrap;gap:6px 14px;padding:8px 4px 2px;font-size:.85em;
 color:var(--jb-mute);align-items:center}
.jb-legend .jb-card{display:inline-block;margin:0;padding:0 6px}
.jb-empty{padding:24px;font-size:1.1em;color:var(--jb-mute)}
@media (max-width:640px){.jb-table th.jb-corner{width:92px!important}
 .jb-table thead th,.jb-table tbody th,.jb-table td{padding:4px}}
.jb-projector{font-size:20px;line-height:1.25;--jb-line:#4a525c}
.jb-projector .jb-table th,.jb-projector .jb-table td{padding:8px;border-color:#8a939e}
.jb-projector .jb-table thead th{font-size:21px;background:#dde3ea}
.jb-projector .jb-table thead th.jb-key{background:#ffe680}
.jb-projector .jb-table tbody th{font-size:21px;background:#e9edf1}
.jb-projector .jb-meta,.jb-projector .jb-findings li{font-size:20px}
.jb-projector .jb-counts{color:var(--jb-ink);font-size:18px}
.jb-projector .jb-scroll{max-height:calc(100vh - 110px)}
.jb-projector .jb-legend{font-size:18px}
.jb-projector .jb-table{min-width:var(--jb-min-p)}
.jb-projector .jb-table th.jb-corner{width:170px}
.jb-hide-findings .jb-findings{display:none}
"""

# What changed between two versions (board.diff_board): a coloured outline and a badge with a
# symbol and a word on cards, findings and headers; only sent when a diff is drawn.
DIFF_CSS = """
.jb-x-added{outline:3px solid #1b7837;outline-offset:1px}
.jb-x-removed{outline:3px dashed #5f6670;outline-offset:1px;opacity:.8}
.jb-x-removed>.jb-label{text-decoration:line-through}
.jb-x-changed{outline:3px solid #b3007a;outline-offset:1px}
.jb-x-moved{outline:3px double #00607a;outline-offset:1px}
.jb-xbadge{font-weight:700;border-radius:3px;padding:0 4px;margin-right:4px;color:#fff;
 white-space:nowrap}
.jb-xb-added{background:#1b7837}.jb-xb-removed{background:#5f6670}
.jb-xb-changed{background:#b3007a}.jb-xb-moved{background:#00607a}
.jb-fx-removed .jb-ftext{text-decoration:line-through;color:var(--jb-mute)}
.jb-table th.jb-x-added,.jb-table th.jb-x-removed,.jb-table th.jb-x-changed{outline-offset:-3px}
"""


def _finding_html(finding: Finding, lang: str, change: Change | None = None) -> str:
    kind = finding.type.value
    name = enum_label("finding", finding.type, lang)
    describe = t("board.finding_aria", lang, type=name, intensity=finding.intensity)
    mark = SYMBOLS[finding.type] * finding.intensity
    state = classes = ""
    if finding.status is not FindingStatus.OPEN:  # the work plan of a target journey
        status_name = enum_label("finding_status", finding.status, lang)
        word = f"{FINDING_STATUS_SYMBOLS[finding.status]} {status_name}"
        state = f' <span class="jb-fstate">{escape(word)}</span>'
        classes = f" jb-fs-{finding.status.value}"
    first = ""
    if change is not None:  # the change first, where the eye starts
        classes += f" jb-fx-{change.value}"
        first = _change_badge(change, lang, word=False)
    # Written tersely: a large board has thousands (the legend says what the marks mean).
    return (
        f'<li class="jb-f-{kind}{classes}">{first}<span class="jb-mark" role="img" '
        f'aria-label="{escape(describe)}">{mark}</span>'
        f'<span class="jb-ftext">{escape(finding.text)}</span>{state}</li>'
    )


def _change_badge(change: Change, lang: str, *, word: bool = True) -> str:
    name = t(f"diff.mark.{change.value}", lang)
    shown = f"{CHANGE_SYMBOLS[change]} {name}" if word else CHANGE_SYMBOLS[change]
    return (
        f'<span class="jb-xbadge jb-xb-{change.value}" title="{escape(name)}" '
        f'aria-label="{escape(name)}">{escape(shown)}</span>'
    )


def _card_html(
    tp: Touchpoint,
    lang: str,
    new: int,
    evidence: Evidence | None = None,
    mark: CardMark | None = None,
) -> str:
    classes = f"jb-card jb-st-{tp.status.value}" + (" jb-new" if new else "")
    meta: list[str] = []
    title = ""
    if mark is not None:
        if mark.change is not None:
            classes += f" jb-x-{mark.change.value}"
            meta.append(_change_badge(mark.change, lang))
        title = f' title="{escape(mark.note)}"' if mark.note else ""
    if tp.status is not TouchpointStatus.EXISTING:
        status = f"{STATUS_SYMBOLS[tp.status]} {enum_label('status', tp.status, lang)}"
        meta.append(f'<span class="jb-status">{escape(status)}</span>')
    if tp.owner:
        owner = t("board.owner", lang, owner=tp.owner)
        meta.append(f'<span class="jb-owner">{escape(owner)}</span>')
    if new:
        badge = f"{NEW_SYMBOL} {t('board.new_notes', lang, count=new)}"
        meta.append(f'<span class="jb-newbadge">{escape(badge)}</span>')
    if evidence is not None:
        meta.append(evidence_badge(evidence, lang))
    findings = ""
    if tp.findings:
        if mark is None:
            items = "".join(_finding_html(f, lang) for f in tp.findings)
        else:
            changes = mark.findings
            items = "".join(
                _finding_html(f, lang, changes.get(i)) for i, f in enumerate(tp.findings)
            )
        findings = f'<ul class="jb-findings">{items}</ul>'
    meta_html = f'<div class="jb-meta">{"".join(meta)}</div>' if meta else ""
    return (
        f'<div class="{classes}"{title}><div class="jb-label">{escape(tp.label)}</div>'
        f"{meta_html}{findings}</div>"
    )


def _plural(key: str, count: int) -> str:
    return f"{key}_one" if count == 1 else key


def _counts_html(counts: Counts, lang: str) -> str:
    parts = [
        (
            "",
            t(
                _plural("board.count_touchpoints", counts.touchpoints),
                lang,
                count=counts.touchpoints,
            ),
            "",
        ),
        ("jb-c-d", f"{SYMBOLS[FindingType.DELIGHT]}{counts.delights}", "finding.delight"),
        ("jb-c-i", f"{SYMBOLS[FindingType.IRRITANT]}{counts.irritants}", "finding.irritant"),
        ("jb-c-b", f"{SYMBOLS[FindingType.BREAK]}{counts.breaks}", "finding.break"),
    ]
    spans = []
    for (cls, text, key), n in zip(
        parts, (1, counts.delights, counts.irritants, counts.breaks), strict=True
    ):
        if not n:  # zeros are noise on a projector; the legend says what each symbol is
            continue
        title = f' title="{escape(t(key, lang))}"' if key else ""
        spans.append(f'<span class="{cls}"{title}>{escape(text)}</span>')
    return f'<div class="jb-counts">{"".join(spans)}</div>'


def _legend_html(lang: str, *, changes: bool = False, fragile: bool = False) -> str:
    items = [
        f'<span class="jb-f-{f.value}"><span class="jb-mark">{SYMBOLS[f]}</span> '
        f"{escape(enum_label('finding', f, lang))}</span>"
        for f in FindingType
    ]
    items.append(f"<span>{escape(t('board.legend_intensity', lang))}</span>")
    for status in TouchpointStatus:
        label = f"{STATUS_SYMBOLS[status]} {enum_label('status', status, lang)}".strip()
        items.append(f'<span class="jb-card jb-st-{status.value}">{escape(label)}</span>')
    items.append(
        f'<span class="jb-key-mark">{KEY_SYMBOL} {escape(t("board.key_moment", lang))}</span>'
    )
    items.append(f'<span class="jb-card jb-gap-legend">{escape(t("board.gap", lang))}</span>')
    if changes:
        items.append(f"<span>{escape(t('diff.legend', lang))}</span>")
        items += [_change_badge(change, lang) for change in Change]
    if fragile:
        items += legend_items(lang)
    return f'<div class="jb-legend">{"".join(items)}</div>'


def render_board(
    journey: Journey,
    *,
    lang: str = "fr",
    projector: bool = False,
    new_notes: Mapping[str, int] | None = None,
    show_findings: bool = True,
    legend: bool = True,
    evidence: Mapping[str, Evidence] | None = None,
    marks: BoardMarks | None = None,
    attrition: Attrition | None = None,
) -> str:
    """Return the board of `journey` as one HTML string (CSS included), every user text escaped.

    `new_notes` maps touchpoint ids to the number of notes participants added since the
    facilitator last looked; those cards are outlined and badged. `evidence` (see
    journeys.board.evidence) badges cards with their level of evidence and visit count.
    `projector` and `show_findings` only set classes on the root (`jb-projector`,
    `jb-hide-findings`): the browser can switch either by toggling its class. `marks` (see
    journeys.board.diff_board) outlines and badges what changed between two versions, and
    the legend says what each mark means. `attrition` (see journeys.data.services.
    journey_attrition) badges the fragile moments' headers with what the base loses there,
    outlines the uncovered ones, and puts the base's KPIs above the grid.
    """
    new_notes = new_notes or {}
    root = "jb-board" + (" jb-projector" if projector else "")
    root += "" if show_findings else " jb-hide-findings"
    aria = escape(t("board.aria", lang, title=journey.title))
    extra = ("" if marks is None else DIFF_CSS) + ("" if attrition is None else FRAGILE_CSS)
    style = f"<style>{CSS}{EVIDENCE_CSS}{extra}</style>"
    head = f'<div class="{root}" role="region" aria-label="{aria}">{style}'
    if not journey.moments or not journey.channels:
        return f'{head}<div class="jb-empty">{escape(t("board.empty", lang))}</div></div>'
    widths = {mode: first + col * len(journey.moments) for mode, (first, col) in _WIDTHS.items()}
    # Two versions drawn at once (marks): counts would add up both, so none is shown.
    counts = counts_by_moment(journey) if marks is None else {}
    cells = touchpoints_by_cell(journey)
    corner = escape(t("board.corner", lang))
    header = [f'<th class="jb-corner" scope="col">{corner}</th>']
    moment_marks, channel_marks = (marks.moments, marks.channels) if marks else ({}, {})
    card_marks = marks.cards if marks else {}
    fragile = attrition.badges if attrition is not None else {}
    for m in journey.moments:
        frag = fragile.get(m.id)
        classes = f"{'jb-key' if m.key else ''} {header_class(frag)}".strip()
        cls, badge = _header_mark(moment_marks.get(m.id), classes, lang)
        frag_html = ""
        if frag is not None and attrition is not None:
            frag_html = header_badge(journey, m.id, frag, attrition.base, lang)
        star = ""
        if m.key:
            key_text = escape(t("board.key_moment", lang))
            star = f'<span class="jb-key-mark" title="{key_text}">{KEY_SYMBOL}</span> '
        header.append(
            f'<th scope="col"{cls}>{badge}{star}{escape(m.label)}'
            f"{_counts_html(counts[m.id], lang) if counts else ''}{frag_html}</th>"
        )
    gap_text = escape(t("board.gap", lang))
    rows = []
    for c in journey.channels:
        cls, badge = _header_mark(channel_marks.get(c.id), "", lang)
        tds = [f'<th scope="row"{cls}>{badge}{escape(c.label)}</th>']
        for m in journey.moments:
            key_cls = " jb-keycol" if m.key else ""
            cards = cells.get((m.id, c.id))
            if not cards:
                tds.append(f'<td class="jb-gap{key_cls}" title="{gap_text}">—</td>')
                continue
            inner = "".join(
                _card_html(
                    tp,
                    lang,
                    new_notes.get(tp.id, 0),
                    (evidence or {}).get(tp.id),
                    card_marks.get(tp.id),
                )
                for tp in cards
            )
            tds.append(f'<td class="jb-cell{key_cls}">{inner}</td>')
        rows.append(f"<tr>{''.join(tds)}</tr>")
    table = (
        f'<div class="jb-scroll"><table class="jb-table" '
        f'style="--jb-min:{widths[False]}px;--jb-min-p:{widths[True]}px">'
        f"<thead><tr>{''.join(header)}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    legend_html = (
        _legend_html(lang, changes=marks is not None, fragile=bool(fragile)) if legend else ""
    )
    strip = "" if attrition is None else kpi_strip(attrition, lang)
    return f"{head}{strip}{table}{legend_html}</div>"


def _header_mark(change: Change | None, classes: str, lang: str) -> tuple[str, str]:
    """The class attribute and the badge of a moment or channel header."""
    if change is not None:
        classes = f"{classes} jb-x-{change.value}".strip()
    badge = _change_badge(change, lang, word=False) if change is not None else ""
    return (f' class="{classes}"' if classes else ""), badge

"""What the board's canvas (one browser component: the grid, its zoom levels, lanes and
presentation) is given: the journey's grid with every card, marker counts, evidence and
versions, the lanes under it, and the words it shows; no markup (the component writes user
text as text). The board part is encoded once per revision (`Board`); each page run adds a
small live part (`packet`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from journeys.board.analysis import emotion_curve
from journeys.board.evidence import EVIDENCE_SYMBOLS, Evidence
from journeys.board.fragile import (
    FRAGILE_SYMBOL,
    UNCOVERED_SYMBOL,
    Attrition,
    Badge,
    badge_title,
    day,
    figures,
    percent,
)
from journeys.board.html import KEY_SYMBOL, STATUS_SYMBOLS, SYMBOLS
from journeys.board.undo import Edit, Op
from journeys.contract.model import (
    FindingStatus,
    FindingType,
    Journey,
    JourneyState,
    Moment,
    Source,
    Touchpoint,
    TouchpointStatus,
)
from journeys.i18n import catalog, enum_label, format_number, t

ZOOMS = ("overview", "compact", "cards", "detail")  # fit to the screen … whole findings
MODES = ("edit", "projector", "present")


class FindingHandle(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def version(self) -> int: ...


class Source_(Protocol):
    """What the canvas reads of a journey opened for editing (services.EditableJourney)."""

    @property
    def journey(self) -> Journey: ...
    @property
    def moment_versions(self) -> Mapping[str, int]: ...
    @property
    def channel_versions(self) -> Mapping[str, int]: ...
    @property
    def touchpoint_versions(self) -> Mapping[str, int]: ...
    @property
    def finding_refs(self) -> Mapping[str, Sequence[FindingHandle]]: ...
    @property
    def revision(self) -> tuple[int, int]: ...


def board_data(
    editable: Source_,
    *,
    lang: str,
    evidence: Mapping[str, Evidence],
    attrition: Attrition | None = None,
    other: Journey | None = None,
    findings: bool = True,
    lanes: bool = True,
) -> dict[str, Any]:
    """Return the board part of the component's data: moments and channels in order (with
    the versions their edits carry; a moment's free KPI where it has one), every card with
    its marker counts by type and intensity, evidence level and findings (without
    `findings`: only their row ids, for a board drawn without them: a fifth of the bytes on
    a large journey), the lanes (emotion per moment; `other`: the journey's target, or the
    current journey it derives from, aligned on the same moments; the improvement axes of
    each moment, None without `lanes`), the fragile moments of `attrition`, the symbols and
    the words, in `lang`."""
    journey = editable.journey
    badges = attrition.badges if attrition is not None else {}
    cards = [
        card(
            tp,
            editable.touchpoint_versions.get(tp.id, 1),
            editable.finding_refs.get(tp.id, ()),
            evidence.get(tp.id),
            findings=findings,
        )
        for tp in journey.touchpoints
    ]
    return {
        "journey": journey.id,
        "title": journey.title,
        "rev": "-".join(str(n) for n in editable.revision),
        "full": findings,
        "lang": lang,
        "moments": [
            {
                "id": m.id,
                "label": m.label,
                "key": m.key,
                "v": editable.moment_versions.get(m.id, 1),
                "frag": _fragile(journey, m.id, badges.get(m.id), attrition, lang),
                **({"kpi": m.kpi} if m.kpi else {}),  # the free KPI of the KPI lane
            }
            for m in journey.moments
        ],
        "channels": [
            {"id": c.id, "label": c.label, "v": editable.channel_versions.get(c.id, 1)}
            for c in journey.channels
        ],
        "cards": cards,
        "lanes": _lanes(journey, other, axes=lanes),
        "kpis": _kpis(attrition, lang),
        "sym": _symbols(),
        "words": texts(lang),
    }


def card(
    tp: Touchpoint,
    version: int = 0,
    refs: Sequence[FindingHandle] = (),
    evidence: Evidence | None = None,
    *,
    findings: bool = True,
) -> dict[str, Any]:
    """One touchpoint as the component draws it (`version` 0: not known, an optimistic one;
    without `findings`: only their row ids, and neither owner nor description)."""
    marks: dict[str, list[int]] = {}
    for finding in tp.findings:
        marks.setdefault(finding.type.value, [0, 0, 0])[finding.intensity - 1] += 1
    handles = list(refs)
    head = {
        "id": tp.id,
        "m": tp.moment,
        "c": tp.channel,
        "label": tp.label,
        "status": tp.status.value,
        "owner": tp.owner,
        "desc": tp.description,
        "v": version,
        "ev": evidence.level.value if evidence else None,
        "visits": evidence.visits if evidence else 0,
        "marks": {kind.value: marks[kind.value] for kind in FindingType if kind.value in marks},
    }
    if not findings:  # the overview and compact zoom: no owner, description nor words
        del head["owner"], head["desc"]
        return head | {"refs": [handle.id for handle in handles]}
    return head | {
        "f": [
            {
                "ref": handles[i].id if i < len(handles) else None,
                "v": handles[i].version if i < len(handles) else 0,
                "type": f.type.value,
                "i": f.intensity,
                "text": f.text,
                "imp": f.improvement,
                "st": f.status.value,
                "src": f.source.value,
            }
            for i, f in enumerate(tp.findings)
        ],
    }


def _fragile(
    journey: Journey, moment: str, badge: Badge | None, attrition: Attrition | None, lang: str
) -> dict[str, Any] | None:
    """A fragile moment's figures (its KPIs) and the title saying where they come from."""
    if badge is None or attrition is None:
        return None
    shown = figures(badge, lang)
    title = badge_title(journey, moment, badge, attrition.base, lang)
    # `count` alone where the overview's column is too narrow for the words ("−1 147").
    count = f"−{format_number(badge.lost_per_year, lang)}"
    return {
        "lost": shown[0],
        "count": count,
        "figures": shown,
        "uncovered": badge.uncovered,
        "title": title,
    }


def _kpis(attrition: Attrition | None, lang: str) -> dict[str, Any] | None:
    """The base's KPIs above the grid (as the HTML board's strip): which base over which
    dates, renewal at 12 months, churn per year, involuntary share."""
    if attrition is None:
        return None
    k = attrition.kpis
    period = t(
        "board.kpi.period",
        lang,
        first=day(attrition.first_start, lang),
        last=day(attrition.last_date, lang),
    )
    return {
        "aria": t("board.kpi.aria", lang, base=attrition.base),
        "tiles": [
            [t("board.kpi.base", lang, base=attrition.base), period],
            [
                "—" if k.renewal_rate is None else percent(k.renewal_rate, lang),
                t("board.kpi.renewal", lang),
            ],
            [
                t("board.kpi.per_year", lang, rate=percent(k.churn_rate, lang)),
                t("board.kpi.churn", lang),
            ],
            [percent(k.involuntary_share, lang), t("board.kpi.involuntary", lang)],
        ],
    }


def _lanes(journey: Journey, other: Journey | None, *, axes: bool) -> dict[str, Any]:
    """The emotion curve on the board's columns, and the other journey's on the same ones
    (None where it has no such moment)."""
    own = emotion_curve(journey)
    per_moment: dict[str, list[str]] = {m.id: [] for m in journey.moments}
    for tp in journey.touchpoints:
        per_moment[tp.moment] += [f.improvement for f in tp.findings if f.improvement]
    lanes: dict[str, Any] = {
        "axes": [per_moment[m.id] for m in journey.moments] if axes else None,
        "emotion": [p.score for p in own],
        "target": None,
        "current": None,
        "other": None,
    }
    if other is not None:
        theirs = {p.moment: p.score for p in emotion_curve(other)}
        aligned = [theirs.get(p.moment) for p in own]
        side = "current" if journey.state is JourneyState.TARGET else "target"
        lanes[side] = aligned
        lanes["other"] = other.title
    return lanes


def _symbols() -> dict[str, Any]:
    return {
        "finding": {kind.value: symbol for kind, symbol in SYMBOLS.items()},
        "status": {status.value: symbol for status, symbol in STATUS_SYMBOLS.items()},
        "evidence": {level.value: symbol for level, symbol in EVIDENCE_SYMBOLS.items()},
        "key": KEY_SYMBOL,
        "fragile": FRAGILE_SYMBOL,
        "uncovered": UNCOVERED_SYMBOL,
    }


# The words of other features the component shows, by the enum they name.
_ENUMS: tuple[tuple[str, Sequence[Any]], ...] = (
    ("status", list(TouchpointStatus)),
    ("finding", list(FindingType)),
    ("finding_status", list(FindingStatus)),
    ("source", list(Source)),
    ("intensity", [1, 2, 3]),
)
_SHARED = (
    "field.label",
    "field.status",
    "field.owner",
    "field.description",
    "field.type",
    "field.intensity",
    "field.text",
    "field.finding_status",
    "field.source",
    "term.improvement",
    "term.moment",
    "term.channel",
    "term.findings",
    "board.key_moment",
    "board.gap",
    "visits.evidence_assumed",
    "visits.evidence_confirmed",
    "visits.evidence_measured",
    "visits.evidence_assumed_help",
    "visits.evidence_confirmed_help",
    "visits.evidence_measured_help",
    "board.fragile.uncovered",
    "board.fragile.legend",
)


def texts(lang: str) -> dict[str, str]:
    """The component's words in `lang`: its own (`canvas.*` in the catalogues, without the
    prefix) and the labels of statuses, finding types, sources… it shares with the app."""
    words = {key[7:]: text for key, text in catalog(lang).items() if key.startswith("canvas.")}
    for prefix, values in _ENUMS:
        for value in values:
            words[f"{prefix}.{getattr(value, 'value', value)}"] = enum_label(prefix, value, lang)
    for key in _SHARED:
        words[key] = t(key, lang)
    words["legend"] = t("diagram.legend", lang)  # the diagrams' word, not a second copy
    return words


@dataclass(frozen=True)
class Board:
    """The board part of the data, encoded once (UTF-8 JSON on one line)."""

    body: bytes

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Board:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return cls(text.encode("utf-8"))  # JSON escapes newlines inside strings: one line

    @property
    def size(self) -> int:
        return len(self.body)


def packet(board: Board, live: Mapping[str, Any]) -> bytes:
    """What the component is sent: the live part's JSON, a newline, the board's (the browser
    parses the board again only when its bytes changed)."""
    head = json.dumps(live, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return head + b"\n" + board.body


def optimistic(edit: Edit | None) -> dict[str, Any] | None:
    """What the component shows at once when it asks for `edit` (an undo or redo), before
    the server answers: a card moved, hidden or shown again, a header moved. None when
    nothing shows at once (a finding, a card's field)."""
    if edit is None:
        return None
    if edit.op is Op.UPDATE_TOUCHPOINT and isinstance(edit.after, Touchpoint):
        return {"op": "move", "tp": edit.ident, "m": edit.after.moment, "c": edit.after.channel}
    if edit.op is Op.DELETE_TOUCHPOINT:
        return {"op": "hide", "tp": edit.ident}
    if edit.op is Op.RESTORE_TOUCHPOINT and isinstance(edit.after, Touchpoint):
        return {"op": "show", "card": card(edit.after)}
    if edit.op in (Op.MOVE_MOMENT, Op.MOVE_CHANNEL):
        kind = "moment" if edit.op is Op.MOVE_MOMENT else "channel"
        return {"op": "reorder", "kind": kind, "id": edit.ident, "pos": edit.after}
    if edit.op is Op.UPDATE_MOMENT and isinstance(edit.after, Moment):
        return {"op": "kpi", "m": edit.ident, "value": edit.after.kpi}
    return None

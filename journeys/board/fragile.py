"""Fragile moments on the board: a moment header's badge of what a subscriber base loses there
(subscribers per year, share of all losses, revenue at risk), the moments the journey leaves
uncovered, and the strip of the base's KPIs above the grid; numbers written the language's way.

What is drawn comes from journeys.data.services.journey_attrition; this module only reads it
(through the protocols below), so the board stays free of the data engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Protocol

from journeys.contract.model import Journey
from journeys.i18n import format_date, format_number, t

FRAGILE_SYMBOL = "▼"
UNCOVERED_SYMBOL = "⊘"
# Between the badge's figures; the no-break space ties each dot to the figure before it, so
# that a narrow column never starts a line with one.
SEPARATOR = "\u00a0· "


class Window(Protocol):
    """A tenure window where the hazard spikes (journeys.data.attrition.FragileWindow)."""

    @property
    def first(self) -> int: ...
    @property
    def last(self) -> int: ...
    @property
    def ratio(self) -> float: ...


class Badge(Protocol):
    """What a moment's header shows (journeys.data.services.MomentBadge)."""

    @property
    def windows(self) -> Sequence[Window]: ...
    @property
    def lost_per_year(self) -> float: ...
    @property
    def share(self) -> float: ...
    @property
    def revenue_per_year(self) -> float: ...
    @property
    def uncovered(self) -> bool: ...


class Kpis(Protocol):
    @property
    def churn_rate(self) -> float: ...
    @property
    def renewal_rate(self) -> float | None: ...
    @property
    def involuntary_share(self) -> float: ...


class Attrition(Protocol):
    """A journey's base as the board draws it (journeys.data.services.JourneyAttrition)."""

    @property
    def base(self) -> str: ...
    @property
    def badges(self) -> Mapping[str, Badge]: ...
    @property
    def kpis(self) -> Kpis: ...
    @property
    def first_start(self) -> str: ...
    @property
    def last_date(self) -> str: ...


FRAGILE_CSS = """
.jb-frag{display:block;margin-top:5px;padding:2px 5px;border-left:4px solid #a1260d;
 background:#fbe9e5;color:#4d1005;border-radius:0 3px 3px 0;font-size:.85em;font-weight:600;
 line-height:1.25;hyphens:none}
.jb-frag-lost{font-weight:800}
.jb-frag-flag{display:inline-block;margin-top:2px;padding:0 4px;border-radius:3px;
 background:#b3120a;color:#fff;font-weight:700;white-space:nowrap}
.jb-table thead th.jb-uncovered{outline:3px solid #b3120a;outline-offset:-3px}
.jb-kpis{display:flex;flex-wrap:wrap;align-items:stretch;gap:6px 10px;margin:0 0 8px}
.jb-kpi{border:1px solid var(--jb-line);border-radius:6px;padding:3px 10px;background:#f6f7f9}
.jb-kpi b{display:block;font-size:1.25em;line-height:1.2}
.jb-kpi span{font-size:.85em;color:var(--jb-mute)}
.jb-kpi-base{border-left:4px solid #a1260d;max-width:100%}
.jb-kpi-base b{font-size:1em;overflow-wrap:anywhere}
.jb-legend .jb-frag{display:inline-block;margin:0}
.jb-projector .jb-frag{font-size:18px}
.jb-projector .jb-kpi b{font-size:24px}
.jb-projector .jb-kpi span{font-size:18px}
.jb-projector .jb-table thead th.jb-uncovered{outline-width:4px;outline-offset:-4px}
@media (max-width:640px){.jb-kpis{gap:4px 6px}.jb-kpi{padding:2px 6px}
 .jb-kpi b{font-size:1.05em}}
"""


def percent(share: float, lang: str) -> str:
    """17 % in French, 17% in English; one decimal under 10 %."""
    value = share * 100
    text = format_number(value, lang, 1 if 0 < value < 9.95 else 0)
    return f"{text}\u00a0%" if lang == "fr" else f"{text}%"


def money(value: float, lang: str) -> str:
    """A yearly amount in short: 850 €, 158 k€, 1,2 M€ (€850, €158k, €1.2M in English)."""
    if value >= 999_500:
        amount, unit = format_number(value / 1_000_000, lang, 1), "M"
    elif value >= 999.5:
        amount, unit = format_number(value / 1_000, lang), "k"
    else:
        amount, unit = format_number(value, lang), ""
    return f"{amount}\u00a0{unit}€" if lang == "fr" else f"€{amount}{unit}"


def day(iso: str, lang: str) -> str:
    """An ISO date in the interface's format; anything else as it is."""
    try:
        return format_date(date.fromisoformat(iso), lang, numeric=True)
    except ValueError:
        return iso


def lost(badge: Badge, lang: str) -> str:
    """ "−1 147 abonnés/an" """
    return t("board.fragile.lost", lang, count=format_number(badge.lost_per_year, lang))


def figures(badge: Badge, lang: str) -> list[str]:
    """What the badge says, in order: lost per year, share of losses, revenue at risk."""
    shown = [lost(badge, lang), t("board.fragile.share", lang, share=percent(badge.share, lang))]
    if badge.revenue_per_year > 0:  # a base without prices has no revenue to show
        shown.append(t("board.fragile.revenue", lang, amount=money(badge.revenue_per_year, lang)))
    return shown


def _months(badge: Badge, lang: str) -> str:
    return ", ".join(
        t("board.fragile.month", lang, month=w.first)
        if w.first == w.last
        else t("board.fragile.months", lang, first=w.first, last=w.last)
        for w in badge.windows
    )


def uncovered_reason(journey: Journey, moment: str, lang: str) -> str:
    """Why a fragile moment is uncovered: no touchpoint there, or none with a finding."""
    count = sum(1 for tp in journey.touchpoints if tp.moment == moment)
    if not count:
        return t("board.fragile.why_no_touchpoint", lang)
    if count == 1:
        return t("board.fragile.why_no_finding_one", lang)
    return t("board.fragile.why_no_finding", lang, count=count)


def header_class(badge: Badge | None) -> str:
    """The classes a moment header takes for its badge ('' without one)."""
    if badge is None:
        return ""
    return "jb-fragile jb-uncovered" if badge.uncovered else "jb-fragile"


def badge_title(journey: Journey, moment: str, badge: Badge, base: str, lang: str) -> str:
    """What a badge's title says: which tenure months, how far above the base rate, and,
    uncovered, why."""
    ratio = max((w.ratio for w in badge.windows), default=0.0)
    title = t(
        "board.fragile.title",
        lang,
        base=base,
        months=_months(badge, lang),
        ratio=format_number(ratio, lang, 1),
    )
    if badge.uncovered:
        why = uncovered_reason(journey, moment, lang)
        title += " " + t("board.fragile.uncovered_title", lang, why=why)
    return title


def header_badge(journey: Journey, moment: str, badge: Badge, base: str, lang: str) -> str:
    """The escaped badge under a moment's label, titled by `badge_title`."""
    title = badge_title(journey, moment, badge, base, lang)
    parts = figures(badge, lang)
    spans = [f'<span class="jb-frag-lost">{FRAGILE_SYMBOL} {escape(parts[0])}</span>']
    spans += [f"<span>{escape(part)}</span>" for part in parts[1:]]
    flag = ""
    if badge.uncovered:
        word = f"{UNCOVERED_SYMBOL} {t('board.fragile.uncovered', lang)}"
        flag = f' <span class="jb-frag-flag">{escape(word)}</span>'
    return f'<span class="jb-frag" title="{escape(title)}">{SEPARATOR.join(spans)}{flag}</span>'


def kpi_strip(attrition: Attrition, lang: str) -> str:
    """The base's KPIs above the grid: renewal at 12 months, churn per year, involuntary
    share, and which base over which dates."""
    k = attrition.kpis
    renewal = "—" if k.renewal_rate is None else percent(k.renewal_rate, lang)
    tiles = [
        (
            "jb-kpi jb-kpi-base",
            t("board.kpi.base", lang, base=attrition.base),
            t(
                "board.kpi.period",
                lang,
                first=day(attrition.first_start, lang),
                last=day(attrition.last_date, lang),
            ),
        ),
        ("jb-kpi", renewal, t("board.kpi.renewal", lang)),
        (
            "jb-kpi",
            t("board.kpi.per_year", lang, rate=percent(k.churn_rate, lang)),
            t("board.kpi.churn", lang),
        ),
        ("jb-kpi", percent(k.involuntary_share, lang), t("board.kpi.involuntary", lang)),
    ]
    items = "".join(
        f'<div class="{cls}"><b>{escape(value)}</b><span>{escape(caption)}</span></div>'
        for cls, value, caption in tiles
    )
    aria = escape(t("board.kpi.aria", lang, base=attrition.base))
    return f'<div class="jb-kpis" role="group" aria-label="{aria}">{items}</div>'


def legend_items(lang: str) -> list[str]:
    """What the legend says of the badges when the board reads a base."""
    example = escape(t("board.fragile.legend", lang))
    flag = escape(f"{UNCOVERED_SYMBOL} {t('board.fragile.uncovered', lang)}")
    return [
        f'<span class="jb-frag">{FRAGILE_SYMBOL} {example}</span>',
        f'<span><span class="jb-frag-flag">{flag}</span> '
        f"{escape(t('board.fragile.legend_uncovered', lang))}</span>",
    ]


def uncovered_lines(journey: Journey, attrition: Attrition, lang: str) -> list[str]:
    """The uncovered fragile moments, most subscribers lost first, as the analysis lists
    them: 'Renouvellement (−1 147 abonnés/an): no finding on its 2 touchpoints'."""
    labels = {m.id: m.label for m in journey.moments}
    found = sorted(
        (
            (moment, badge)
            for moment, badge in attrition.badges.items()
            if badge.uncovered and moment in labels
        ),
        key=lambda item: -item[1].lost_per_year,
    )
    return [
        t(
            "board.fragile.line",
            lang,
            label=labels[moment],
            lost=lost(badge, lang),
            why=uncovered_reason(journey, moment, lang),
        )
        for moment, badge in found
    ]

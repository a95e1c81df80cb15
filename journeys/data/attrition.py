"""Attrition from a base's aggregates: life table, Kaplan–Meier survival with its confidence
band, monthly hazard, median lifetime, cohort retention, segments compared (log-rank),
fragile moments (tenure windows where the hazard spikes) and pre-churn signals (lift).

Everything here reads the aggregates the workspace keeps (journeys.data.aggregate); lifelines
fits the survival on the life table with weights, so no subscriber row is ever needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from journeys.data.aggregate import SIGNAL_WINDOWS, Aggregates, Cell, wilson

SPIKE_RATIO = 1.5  # a month's hazard at least this many times the base rate is a spike
MIN_AT_RISK = 30
MIN_ENDED = 5


@dataclass(frozen=True)
class LifeRow:
    month: int
    at_risk: int
    ended: int
    voluntary: int
    involuntary: int
    censored: int
    revenue_lost: float
    survival: float
    lower: float
    upper: float
    hazard: float  # share of those at risk who leave during this month


@dataclass(frozen=True)
class LifeTable:
    rows: tuple[LifeRow, ...]
    median: float | None  # tenure month where survival drops to one half, None if never

    @property
    def base_hazard(self) -> float:
        """Ended per subscriber-month at risk, over the whole table."""
        at_risk = sum(r.at_risk for r in self.rows)
        return sum(r.ended for r in self.rows) / at_risk if at_risk else 0.0


def life_table(cells: list[Cell]) -> LifeTable:
    """Kaplan–Meier on the aggregated table (lifelines, weights = counts)."""
    if not cells:
        return LifeTable((), None)
    last = max(c.month for c in cells)
    ended = [0] * (last + 1)
    invol = [0] * (last + 1)
    censored = [0] * (last + 1)
    revenue = [0.0] * (last + 1)
    for c in cells:
        if c.ended:
            ended[c.month] += c.count
            invol[c.month] += c.count if c.involuntary else 0
            revenue[c.month] += c.revenue or 0.0
        else:
            censored[c.month] += c.count
    survival, lower, upper, median = _kaplan_meier(cells, last)
    rows = []
    at_risk = sum(c.count for c in cells)
    for month in range(last + 1):
        rows.append(
            LifeRow(
                month=month,
                at_risk=at_risk,
                ended=ended[month],
                voluntary=ended[month] - invol[month],
                involuntary=invol[month],
                censored=censored[month],
                revenue_lost=revenue[month],
                survival=survival[month],
                lower=lower[month],
                upper=upper[month],
                hazard=ended[month] / at_risk if at_risk else 0.0,
            )
        )
        at_risk -= ended[month] + censored[month]
    return LifeTable(tuple(rows), median)


def _kaplan_meier(
    cells: list[Cell], last: int
) -> tuple[list[float], list[float], list[float], float | None]:
    import warnings

    from lifelines import KaplanMeierFitter

    fitter = KaplanMeierFitter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter.fit(
            [c.month for c in cells],
            event_observed=[c.ended for c in cells],
            weights=[c.count for c in cells],
            timeline=list(range(last + 1)),
        )
    survival = [float(v) for v in fitter.survival_function_.iloc[:, 0]]
    band = fitter.confidence_interval_survival_function_
    lower = [_number(v, 0.0) for v in band.iloc[:, 0]]
    upper = [_number(v, 1.0) for v in band.iloc[:, 1]]
    median = fitter.median_survival_time_
    return survival, lower, upper, (None if math.isinf(median) else float(median))


def _number(value: float, default: float) -> float:
    return default if value is None or math.isnan(value) else float(value)


@dataclass(frozen=True)
class SegmentTest:
    column: str
    values: tuple[str, ...]
    statistic: float
    p_value: float


def logrank(column: str, values: dict[str, list[Cell]]) -> SegmentTest | None:
    """Do the segments of a column lose subscribers alike? (multivariate log-rank test)."""
    import warnings

    import numpy as np
    from lifelines.statistics import multivariate_logrank_test

    durations, groups, events, weights = [], [], [], []
    for value, cells in values.items():
        for c in cells:
            durations.append(c.month)
            groups.append(value)
            events.append(c.ended)
            weights.append(c.count)
    if len(set(groups)) < 2 or not any(events):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = multivariate_logrank_test(
            np.array(durations), np.array(groups), np.array(events), weights=np.array(weights)
        )
    return SegmentTest(column, tuple(values), float(result.test_statistic), float(result.p_value))


@dataclass(frozen=True)
class CohortRow:
    cohort: str  # YYYY-MM of the start
    size: int
    retention: tuple[float | None, ...]  # share still subscribed after k months (None: not yet)


def cohort_table(aggregates: Aggregates, max_months: int = 24) -> list[CohortRow]:
    """Start month × tenure month: share of each cohort still subscribed after k months."""
    by_cohort: dict[str, list[tuple[int, bool, int]]] = {}
    for cohort, month, ended, count in aggregates.cohorts:
        by_cohort.setdefault(cohort, []).append((month, ended, count))
    rows = []
    for cohort in sorted(by_cohort):
        items = by_cohort[cohort]
        size = sum(n for _, _, n in items)
        horizon = (
            max(m for m, ended, _ in items if not ended)
            if any(not e for _, e, _ in items)
            else max(m for m, _, _ in items)
        )
        retention: list[float | None] = []
        for k in range(max_months + 1):
            if k > horizon:
                retention.append(None)
                continue
            left = sum(n for m, ended, n in items if ended and m < k)
            retention.append((size - left) / size if size else None)
        rows.append(CohortRow(cohort, size, tuple(retention)))
    return rows


@dataclass(frozen=True)
class FragileWindow:
    first: int  # tenure months, inclusive
    last: int
    ended: int
    share: float  # of all losses
    lost_per_year: float
    revenue_per_year: float
    ratio: float  # the window's hazard against the base rate
    involuntary_share: float

    @property
    def key(self) -> str:
        return f"{self.first}-{self.last}"


def fragile_windows(table: LifeTable, years: float) -> list[FragileWindow]:
    """Tenure windows where the hazard spikes against the base rate, most losses first."""
    base = table.base_hazard
    total = sum(r.ended for r in table.rows)
    if not base or not total:
        return []
    spiking = [
        r
        for r in table.rows
        if r.at_risk >= MIN_AT_RISK and r.ended >= MIN_ENDED and r.hazard >= SPIKE_RATIO * base
    ]
    windows: list[list[LifeRow]] = []
    for row in spiking:
        if windows and windows[-1][-1].month == row.month - 1:
            windows[-1].append(row)
        else:
            windows.append([row])
    found = []
    for rows in windows:
        ended = sum(r.ended for r in rows)
        at_risk = sum(r.at_risk for r in rows)
        found.append(
            FragileWindow(
                first=rows[0].month,
                last=rows[-1].month,
                ended=ended,
                share=ended / total,
                lost_per_year=ended / years,
                revenue_per_year=sum(r.revenue_lost for r in rows) / years,
                ratio=(ended / at_risk) / base if at_risk else 0.0,
                involuntary_share=sum(r.involuntary for r in rows) / ended if ended else 0.0,
            )
        )
    return sorted(found, key=lambda w: -w.ended)


# Words of a journey's moments that suggest where a tenure window belongs.
_SUGGESTIONS: tuple[tuple[range, tuple[str, ...]], ...] = (
    (range(0, 2), ("essai", "trial", "premier paiement", "first payment", "bienvenue", "welcome")),
    (range(2, 6), ("prix", "price", "tarif", "palier", "promotion", "usage", "onboarding")),
    (range(10, 14), ("renouvel", "renewal", "echeance", "terme", "term", "reabonn", "renew")),
    (range(22, 26), ("renouvel", "renewal", "echeance", "terme", "reabonn", "renew")),
)


def suggest_moment(window: FragileWindow, moments: list[tuple[str, str]]) -> str | None:
    """The id of the journey moment (id, label) a window most likely belongs to, if any."""
    from journeys.headers import normalize

    for months, words_ in _SUGGESTIONS:
        if window.first in months or window.last in months:
            # A label that starts with the word ("Renouvellement") before one that only holds it
            # ("Pré-renouvellement").
            # Earlier words first (the list says which matter most).
            best: tuple[tuple[int, int], str] | None = None
            for moment_id, label in moments:
                text = normalize(label) or normalize(moment_id)
                for index, word in enumerate(map(normalize, words_)):
                    place = 0 if text.startswith(word) else 1 if word in text else None
                    if place is not None and (best is None or (index, place) < best[0]):
                        best = ((index, place), moment_id)
            if best is not None:
                return best[1]
    return None


@dataclass(frozen=True)
class Signal:
    event: str
    window: int  # days
    subscribers: int
    left: int
    rate: float  # share of those with the event who left within the window
    base_rate: float  # same window, subscribers without the event
    lift: float
    lower: float
    upper: float


def signals(aggregates: Aggregates, window: int = SIGNAL_WINDOWS[0]) -> list[Signal]:
    """How much more likely a subscriber who had each event is to leave within `window` days.

    The comparison rate comes from the subscribers who did not have the event: their ends per
    day subscribed, over the window (constant hazard). The interval is the Wilson interval of
    the event group's rate divided by that rate. Ranked by lift, then volume.
    """
    found = []
    total_days = aggregates.total_exposure_days
    total_ended = aggregates.summary.ended
    for s in aggregates.signals:
        exposed = s.exposed.get(window, 0)
        if not exposed:
            continue
        left = s.left.get(window, 0)
        other_days = max(total_days - s.exposure_days, 1.0)
        other_ended = max(total_ended - s.ended, 0)
        base = 1 - math.exp(-other_ended / other_days * window)
        rate = left / exposed
        low, high = wilson(left, exposed)
        if base <= 0:
            continue
        found.append(
            Signal(s.event, window, exposed, left, rate, base, rate / base, low / base, high / base)
        )
    return sorted(found, key=lambda s: (-s.lift, -s.subscribers))


@dataclass(frozen=True)
class Kpis:
    churn_rate: float  # yearly: share of subscribers lost per year
    renewal_rate: float | None  # of those who reach the 12-month term, share who stay
    involuntary_share: float


def kpis(aggregates: Aggregates, table: LifeTable) -> Kpis:
    summary = aggregates.summary
    subscriber_years = aggregates.total_exposure_days / 365.25
    churn = summary.ended / subscriber_years if subscriber_years else 0.0
    renewal = 1 - table.rows[12].hazard if len(table.rows) > 12 else None
    invol = summary.involuntary / summary.ended if summary.ended else 0.0
    return Kpis(min(churn, 1.0), renewal, invol)

"""The subscribers a dry run walks through the programs, as numpy arrays: a chosen number with
stated assumptions, a stored base's aggregates (its tenure distribution, arrivals by cohort,
hazard by tenure month and segments: no row needed), or the rows of a base (a generated one)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from journeys.programs.dryrun_model import (
    MAX_SUBSCRIBERS,
    MONTH_DAYS,
    NEVER,
    Assumptions,
    Evidence,
    Population,
    add_months,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from journeys.data.aggregate import Aggregates

SAMPLE = 200_000  # a larger base is walked as a sample, each item standing for several
EPOCH = date(1970, 1, 1)
NO_END = 100_000_000  # days since 1970 of a subscription that has not ended


def of_count(
    count: int, assumptions: Assumptions, *, day0: date, term_months: int = 12
) -> Population:
    """`count` subscribers who all start on the horizon's first day; each month a share
    `monthly_churn` of them leaves (none unless stated)."""
    if not 1 <= count <= MAX_SUBSCRIBERS:
        raise ValueError(f"subscribers: from 1 to {MAX_SUBSCRIBERS:,}")
    rng = np.random.default_rng([assumptions.seed, 1])
    start = np.zeros(count, np.int64)
    end = _ends(start, np.zeros(count, np.int64), assumptions.monthly_churn, rng)
    facts = {
        "subscribers": count,
        "monthly_churn": assumptions.monthly_churn,
        "term_months": term_months,
    }
    term = np.full(count, round(term_months * MONTH_DAYS), np.int64)
    return Population(start, end, term, day0, "count", facts=facts)


def _ends(start: np.ndarray, tenure: np.ndarray, churn: float, rng: np.random.Generator):
    """End days at a constant monthly churn (NEVER with none)."""
    if churn <= 0:
        return np.full(len(start), NEVER, np.int64)
    per_day = -math.log1p(-churn) / MONTH_DAYS
    later = np.ceil(rng.exponential(1 / per_day, len(start))).astype(np.int64)
    return np.maximum(start, 0) + later


def evidence_of(aggregates: Aggregates, name: str) -> Evidence:
    """Event rates per subscriber and year (first occurrences over the time subscribed), the
    renewal rate at the 12-month term and the reject codes of a base."""
    from journeys.contract.editing import slugify

    years = aggregates.total_exposure_days / 365.25
    rates: dict[str, float] = {}
    labels: dict[str, str] = {}
    if years > 0:
        for signal in aggregates.signals:
            key = slugify(signal.event)
            rates[key] = signal.subscribers / years
            labels[key] = signal.event
        if aggregates.reject_codes:
            rates["__payments__"] = sum(aggregates.reject_codes.values()) / years
    at_risk = sum(c.count for c in aggregates.overall if c.month >= 12)
    ended = sum(c.count for c in aggregates.overall if c.month == 12 and c.ended)
    renewal = 1 - ended / at_risk if at_risk else None
    return Evidence(name, rates, labels, renewal, dict(aggregates.reject_codes))


def of_aggregates(
    aggregates: Aggregates,
    name: str,
    assumptions: Assumptions,
    *,
    roles: Mapping[str, str] | None = None,
    term_months: int = 12,
    sample: int = SAMPLE,
) -> Population:
    """The base's active subscribers on its last known day (by tenure month), joined over the
    horizon by newcomers at the pace of its last twelve cohorts; each leaves at the hazard of
    its tenure month; segment values drawn by tenure month. The horizon starts the day after
    the base's last known date."""
    rng = np.random.default_rng([assumptions.seed, 2])
    last = date.fromisoformat(aggregates.summary.last_date)
    day0 = last + timedelta(days=1)
    days = (add_months(day0, assumptions.months) - day0).days
    active = np.zeros(1 + max((c.month for c in aggregates.overall), default=0), np.int64)
    for cell in aggregates.overall:
        if not cell.ended:
            active[cell.month] += cell.count
    arrivals = _monthly_arrivals(aggregates.cohorts, last)
    newcomers = round(arrivals * assumptions.months)
    total = int(active.sum()) + newcomers
    if total == 0:
        raise ValueError(f"base {name!r} has no active subscriber")
    scale = max(1.0, total / sample)
    kept = rng.binomial(active, 1 / scale) if scale > 1 else active
    fresh = int(round(newcomers / scale))
    tenure = np.concatenate([np.repeat(np.arange(len(kept)), kept), np.zeros(fresh, np.int64)])
    within = rng.random(len(tenure))
    old = len(tenure) - fresh
    start = np.empty(len(tenure), np.int64)
    start[:old] = -np.floor((tenure[:old] + within[:old]) * MONTH_DAYS).astype(np.int64) - 1
    start[old:] = np.floor(within[old:] * days).astype(np.int64)
    end = _hazard_ends(aggregates, start, tenure, rng)
    segments = _segments(aggregates, tenure, old, rng)
    facts = {
        "base": name,
        "active": int(active.sum()),
        "arrivals": round(arrivals),
        "last_date": last.isoformat(),
        "term_months": term_months,
    }
    term = np.full(len(start), round(term_months * MONTH_DAYS), np.int64)
    evidence = evidence_of(aggregates, name)
    return Population(
        start, end, term, day0, "base", scale, segments, dict(roles or {}), evidence, facts
    )


def _monthly_arrivals(cohorts: Sequence[tuple[str, int, bool, int]], last: date) -> float:
    """Starts per month over the twelve months before the base's last month."""
    first = add_months(date(last.year, last.month, 1), -12)
    months = {f"{add_months(first, k):%Y-%m}" for k in range(12)}
    return sum(n for month, _, _, n in cohorts if month in months) / 12


def _hazard_ends(
    aggregates: Aggregates, start: np.ndarray, tenure: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """The day each subscription ends, drawn from the monthly hazard by tenure month given
    the months already completed (NEVER past the life table's last month)."""
    last = max((c.month for c in aggregates.overall), default=0)
    at_risk = np.zeros(last + 2)
    ended = np.zeros(last + 2)
    for c in aggregates.overall:
        at_risk[: c.month + 1] += c.count
        if c.ended:
            ended[c.month] += c.count
    hazard = np.clip(
        np.divide(ended, at_risk, out=np.zeros_like(ended), where=at_risk > 0), 0, 0.99
    )
    log_survival = np.cumsum(np.log1p(-hazard))  # after each month
    before = np.concatenate([[0.0], log_survival])[np.minimum(tenure, last + 1)]
    target = before + np.log(rng.random(len(tenure)))
    month = np.searchsorted(-log_survival, -target, side="right")
    within = rng.random(len(tenure))
    day = start + np.floor((month + within) * MONTH_DAYS).astype(np.int64)
    day = np.maximum(day, np.maximum(start, 0) + 1)  # active on the first day
    return np.where(month > last, NEVER, day)


def _segments(
    aggregates: Aggregates, tenure: np.ndarray, old: int, rng: np.random.Generator
) -> dict[str, tuple[np.ndarray, tuple[str, ...]]]:
    """Each segment column's value drawn for each subscriber: among the active subscribers of
    the same tenure month; for newcomers (and months with none active), among all starts."""
    out = {}
    months = int(tenure.max(initial=0)) + 1
    row = np.where(np.arange(len(tenure)) < old, tenure, months)  # the last row: all starts
    for column, values in aggregates.segments.items():
        labels = tuple(values)
        weights = np.zeros((months + 1, len(labels)))
        for v, cells in enumerate(values.values()):
            for c in cells:
                weights[months, v] += c.count
                if not c.ended and c.month < months:
                    weights[c.month, v] += c.count
        empty = weights.sum(axis=1) == 0
        weights[empty] = weights[months]
        cumulative = np.cumsum(weights, axis=1)
        cumulative /= np.maximum(cumulative[:, -1:], 1e-12)
        codes = (rng.random(len(tenure))[:, None] > cumulative[row]).sum(axis=1)
        out[column] = (np.minimum(codes, len(labels) - 1).astype(np.int64), labels)
    return out


def read_rows(
    subs: ir.Table,
    assumptions: Assumptions,
    *,
    segments: Sequence[str] = (),
    roles: Mapping[str, str] | None = None,
    facts: Mapping[str, Any] | None = None,
) -> Population:
    """A base's rows (typed by journeys.data.clean.subscriptions) replayed over its last
    `months` months: each subscription's own start, end and term, read where the rows live
    in one query; the horizon ends on the base's last known day."""
    import ibis
    import pyarrow.compute as pc

    from journeys.data.aggregate import _days

    # days since 1970 as integers, computed where the rows are: no date objects in Python
    columns = {
        "start": _days(subs.start),
        "end": ibis.coalesce(_days(subs.end), ibis.literal(NO_END)),
        "term": (subs.months.cast("float64") * MONTH_DAYS).round().cast("int32"),
    }
    columns.update({f"s{i}": subs[f"seg:{name}"] for i, name in enumerate(segments)})
    table = subs.select(**columns).to_pyarrow()
    start = table["start"].to_numpy(zero_copy_only=False)
    end = table["end"].to_numpy(zero_copy_only=False)
    ends = end[end < NO_END]
    last_day = int(max(start.max(initial=0), ends.max(initial=0)))
    last = EPOCH + timedelta(days=last_day)
    day0 = add_months(last, -assumptions.months) + timedelta(days=1)
    origin = (day0 - EPOCH).days
    out_segments = {}
    for i, name in enumerate(segments):
        encoded = pc.dictionary_encode(table[f"s{i}"]).combine_chunks()
        out_segments[name] = (
            encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
            tuple(str(v) for v in encoded.dictionary.to_pylist()),
        )
    return Population(
        start=(start - origin).astype(np.int64),
        end=np.where(end < NO_END, end - origin, NEVER),
        term_days=table["term"].to_numpy(zero_copy_only=False).astype(np.int64),
        day0=day0,
        origin="rows",
        segments=out_segments,
        roles=dict(roles or {}),
        facts={"rows": table.num_rows, "last_date": last.isoformat(), **(facts or {})},
    )

"""The aggregates of a subscriber base, computed where the rows live (Ibis expressions).

Only counts by tenure month, cohort, segment and event type come back to Python: they are
what the workspace stores (never a row). Tenure is counted in whole months completed between
the start and the end (or the base's last known date for active subscriptions).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from journeys.data.clean import Formats, failed_payment, parse_date, segment_names, subscriptions
from journeys.data.mapping import EventField, Mapping, PaymentField

if TYPE_CHECKING:
    import ibis.expr.types as ir

MAX_SEGMENT_VALUES = 30
MIN_COUNT = 5  # free-text values (end reasons, event types) kept only when this many share them
SIGNAL_WINDOWS = (30, 60, 90)
Progress = Callable[[float, str], None]


@dataclass
class Cell:
    """Subscriptions of one tenure month (and segment), ended or not, and their yearly value."""

    month: int
    ended: bool
    involuntary: bool
    count: int
    revenue: float  # yearly price of these subscriptions


@dataclass
class Summary:
    rows: int
    active: int
    ended: int
    involuntary: int
    first_start: str
    last_date: str
    years: float  # span of the base in years, for "per year" figures


@dataclass
class SignalCount:
    """Subscribers who had an event type, and how many of them left within each window."""

    event: str
    subscribers: int
    left: dict[int, int]  # window (days) -> left within it
    exposed: dict[int, int]  # window -> subscribers followed for the whole window (or left)
    exposure_days: float  # days subscribed, all subscribers who had the event
    ended: int  # of them, ended at any time


@dataclass
class Aggregates:
    summary: Summary
    overall: list[Cell]
    segments: dict[str, dict[str, list[Cell]]] = field(default_factory=dict)
    cohorts: list[tuple[str, int, bool, int]] = field(default_factory=list)  # month, tenure
    total_exposure_days: float = 0.0
    signals: list[SignalCount] = field(default_factory=list)
    reject_codes: dict[str, int] = field(default_factory=dict)
    end_reasons: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Aggregates:
        def cells(items: list[dict[str, Any]]) -> list[Cell]:
            return [Cell(**item) for item in items]

        return cls(
            summary=Summary(**data["summary"]),
            overall=cells(data["overall"]),
            segments={
                column: {value: cells(items) for value, items in values.items()}
                for column, values in data.get("segments", {}).items()
            },
            cohorts=[tuple(c) for c in data.get("cohorts", [])],  # type: ignore[misc]
            total_exposure_days=float(data.get("total_exposure_days", 0.0)),
            signals=[
                SignalCount(
                    event=s["event"],
                    subscribers=s["subscribers"],
                    left={int(k): v for k, v in s["left"].items()},
                    exposed={int(k): v for k, v in s["exposed"].items()},
                    exposure_days=s["exposure_days"],
                    ended=s["ended"],
                )
                for s in data.get("signals", [])
            ],
            reject_codes=dict(data.get("reject_codes", {})),
            end_reasons=dict(data.get("end_reasons", {})),
        )


def _days(value: ir.Value) -> ir.IntegerValue:
    """Days since 1970-01-01 of a date, portable across engines."""
    return (value.cast("timestamp").epoch_seconds() // 86400).cast("int64")


def tenure_months(start: ir.DateValue, end: ir.DateValue) -> ir.IntegerValue:
    """Whole months completed from start to end (31 Jan -> 28 Feb is 0, -> 1 Mar is 1)."""
    import ibis

    months = (end.year() - start.year()) * 12 + (end.month() - start.month())
    return (months - ibis.ifelse(end.day() < start.day(), 1, 0)).cast("int64")


def _rows(expr: ir.Table) -> list[dict[str, Any]]:
    return expr.to_pyarrow().to_pylist()  # type: ignore[no-any-return]


def compute(
    table: ir.Table,
    mapping: Mapping,
    formats: Formats,
    *,
    events: ir.Table | None = None,
    payments: ir.Table | None = None,
    progress: Progress | None = None,
) -> Aggregates:
    """Every aggregate of a base whose rows have been checked (see clean.problems)."""
    import ibis

    step = progress or (lambda share, what: None)
    subs = subscriptions(table, mapping, formats)
    bounds = _rows(
        subs.aggregate(
            rows=subs.count(),
            first=subs.start.min(),
            last_start=subs.start.max(),
            last_end=subs.end.max(),
        )
    )[0]
    if not bounds["rows"]:
        raise ValueError("the base holds no subscription")
    as_of: date = max(d for d in (bounds["last_start"], bounds["last_end"]) if d is not None)
    as_of_lit = ibis.literal(as_of, type="date")
    ended = subs.end.notnull()
    stop = ibis.coalesce(subs.end, as_of_lit)
    yearly = subs.price.fill_null(0.0) * 12.0 / subs.months.cast("float64")
    life = subs.mutate(
        month=tenure_months(subs.start, stop),
        ended=ended,
        involuntary=ended & subs.involuntary,
        yearly=yearly,
        days=_days(stop) - _days(subs.start),
        cohort=subs.start.strftime("%Y-%m"),
    )
    step(0.1, "life table")
    keys = ["month", "ended", "involuntary"]

    overall_rows = _rows(
        life.group_by(keys)
        .aggregate(n=life.count(), r=life.yearly.sum(), d=life.days.sum())
        .order_by(keys)
    )
    overall = [
        Cell(int(r["month"]), bool(r["ended"]), bool(r["involuntary"]), int(r["n"]), r["r"] or 0.0)
        for r in overall_rows
    ]
    exposure = float(sum(r["d"] or 0 for r in overall_rows))
    total = sum(c.count for c in overall)
    n_ended = sum(c.count for c in overall if c.ended)
    n_invol = sum(c.count for c in overall if c.involuntary)
    years = max((as_of - bounds["first"]).days / 365.25, 1 / 12)
    summary = Summary(
        rows=total,
        active=total - n_ended,
        ended=n_ended,
        involuntary=n_invol,
        first_start=bounds["first"].isoformat(),
        last_date=as_of.isoformat(),
        years=round(years, 4),
    )
    result = Aggregates(summary, overall, total_exposure_days=exposure)

    names = segment_names(mapping)
    if names:
        distinct = _rows(
            life.aggregate(**{f"n{i}": life[f"seg:{n}"].nunique() for i, n in enumerate(names)})
        )[0]
        for i, name in enumerate(names):
            step(0.2 + 0.4 * i / len(names), f"segment {name}")
            if not 1 < distinct[f"n{i}"] <= MAX_SEGMENT_VALUES:
                continue
            column = life[f"seg:{name}"]
            seg = life.mutate(segment=column)
            by = seg.group_by(["segment", *keys]).aggregate(n=seg.count(), r=seg.yearly.sum())
            rows = _rows(by.order_by(["segment", *keys]))
            values: dict[str, list[Cell]] = {}
            for r in rows:
                values.setdefault(r["segment"] or "", []).append(
                    Cell(
                        int(r["month"]),
                        bool(r["ended"]),
                        bool(r["involuntary"]),
                        int(r["n"]),
                        r["r"] or 0.0,
                    )
                )
            result.segments[name] = values
    step(0.65, "cohorts")
    cohort_rows = _rows(
        life.group_by(["cohort", "month", "ended"])
        .aggregate(n=life.count())
        .order_by(["cohort", "month"])
    )
    result.cohorts = [
        (r["cohort"], int(r["month"]), bool(r["ended"]), int(r["n"])) for r in cohort_rows
    ]
    gone = life.filter(life.ended)
    reasons = gone.group_by("reason").aggregate(n=gone.count())
    reasons = reasons.filter(reasons.n >= MIN_COUNT)  # a reason typed for one subscriber stays out
    result.end_reasons = {
        (r["reason"] or ""): int(r["n"]) for r in _rows(reasons.order_by(ibis.desc("n")).limit(100))
    }
    if events is not None:
        step(0.75, "signals")
        result.signals = _signals(life, events, mapping, formats, as_of_lit)
    if payments is not None:
        step(0.9, "payments")
        result.reject_codes = _reject_codes(payments, mapping)
    step(1.0, "done")
    return result


def _signals(
    life: ir.Table, events: ir.Table, mapping: Mapping, formats: Formats, as_of: ir.DateValue
) -> list[SignalCount]:
    import ibis

    cols = mapping.events
    when, _ = parse_date(events[cols[EventField.DATE]], _event_format(events, cols, formats))
    typed = events.select(
        id=events[cols[EventField.ID]].cast("string").strip(),
        type=events[cols[EventField.TYPE]].cast("string").strip(),
        at=when,
    ).filter(lambda t: t.at.notnull() & t.type.notnull() & (t.type != ""))
    first = typed.group_by(["id", "type"]).aggregate(at=typed.at.min())
    subs = life.select("id", "start", "end", "ended", "days")
    joined = first.join(subs, "id").filter(
        lambda t: (t.at >= t.start) & (t.end.isnull() | (t.at <= t.end))
    )
    after = ibis.ifelse(joined.ended, _days(joined.end) - _days(joined.at), ibis.null("int64"))
    followed = _days(as_of) - _days(joined.at)
    metrics: dict[str, Any] = {
        "subscribers": joined.count(),
        "exposure": joined.days.sum(),
        "ended": joined.ended.sum(),
    }
    for window in SIGNAL_WINDOWS:
        left = after.notnull() & (after <= window)
        metrics[f"left{window}"] = left.cast("int64").sum()
        metrics[f"exposed{window}"] = (left | (followed >= window)).cast("int64").sum()
    by_type = joined.group_by("type").aggregate(**metrics)
    by_type = by_type.filter(by_type.subscribers >= MIN_COUNT)
    rows = _rows(by_type.order_by("type").limit(200))
    return [
        SignalCount(
            event=r["type"],
            subscribers=int(r["subscribers"]),
            left={w: int(r[f"left{w}"] or 0) for w in SIGNAL_WINDOWS},
            exposed={w: int(r[f"exposed{w}"] or 0) for w in SIGNAL_WINDOWS},
            exposure_days=float(r["exposure"] or 0),
            ended=int(r["ended"] or 0),
        )
        for r in rows
    ]


def _event_format(events: ir.Table, cols: dict[EventField, str], formats: Formats) -> str | None:
    from journeys.data.clean import SAMPLE, guess_date_format

    column = events[cols[EventField.DATE]]
    if not column.type().is_string():
        return formats.date_format
    sample = events.filter(column.notnull()).select(v=column).limit(SAMPLE)
    values = [str(v) for v in sample.to_pyarrow()["v"].to_pylist()]
    return guess_date_format(values) or formats.date_format


def _reject_codes(payments: ir.Table, mapping: Mapping) -> dict[str, int]:
    import ibis

    cols = mapping.payments
    status = payments[cols[PaymentField.STATUS]]
    code_name = cols.get(PaymentField.REJECT_CODE)
    code = payments[code_name].cast("string").strip() if code_name else ibis.literal("")
    failed = payments.filter(failed_payment(status)).mutate(code=code.fill_null(""))
    rows = _rows(
        failed.group_by("code").aggregate(n=failed.count()).order_by(ibis.desc("n")).limit(100)
    )
    return {r["code"]: int(r["n"]) for r in rows}


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion."""
    if trials <= 0:
        return (0.0, 1.0)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))

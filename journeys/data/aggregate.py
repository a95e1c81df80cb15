"""The aggregates of a subscriber base, computed where the rows live (Ibis expressions).

Only counts by tenure month, cohort, segment and event type come back to Python: they are
what the workspace stores (never a row). Tenure is counted in whole months completed between
the start and the end (or the base's last known date for active subscriptions).
"""

from __future__ import annotations

import functools
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


DateParts = tuple[Callable[[Any], Any], Callable[[Any], Any], Callable[[Any], Any]]
PORTABLE_PARTS: DateParts = (
    lambda d: d.year(),  # EXTRACT(year FROM d) on every engine
    lambda d: d.month(),
    lambda d: d.day(),
)


def tenure_months(
    start: ir.DateValue, end: ir.DateValue, parts: DateParts = PORTABLE_PARTS
) -> ir.IntegerValue:
    """Whole months completed from start to end (31 Jan -> 28 Feb is 0, -> 1 Mar is 1)."""
    import ibis

    year, month, day = parts
    months = (year(end) - year(start)) * 12 + (month(end) - month(start))
    return (months - ibis.ifelse(day(end) < day(start), 1, 0)).cast("int64")


@functools.cache
def _duckdb_parts() -> DateParts:
    """DuckDB's year(), month(), day(): its EXTRACT(… FROM …) costs a tenth more on every row."""
    import ibis

    def builtin(name: str) -> Callable[[Any], Any]:
        def part(value: Any) -> Any: ...

        made: Callable[[Any], Any] = ibis.udf.scalar.builtin(
            part, name=name, signature=(("date",), "int64")
        )
        return made

    return (builtin("year"), builtin("month"), builtin("day"))


def _date_parts(table: ir.Table) -> DateParts:
    import ibis

    try:
        engine = ibis.get_backend(table).name
    except Exception:  # noqa: BLE001 - an unbound table: the portable form
        engine = ""
    return _duckdb_parts() if engine == "duckdb" else PORTABLE_PARTS


def _rows(expr: ir.Table) -> list[dict[str, Any]]:
    return expr.to_pyarrow().to_pylist()  # type: ignore[no-any-return]


@dataclass
class LifeAndCohorts:
    """The life table's cells and the cohort table of a base (see life_and_cohorts)."""

    summary: Summary
    overall: list[Cell]
    cohorts: list[tuple[str, int, bool, int]]
    exposure_days: float
    as_of: date


def _groups(
    raw: ir.Table,
    mapping: Mapping,
    formats: Formats,
    as_of: date,
    by: dict[str, Callable[[ir.Table, DateParts], ir.Value]],
    after: dict[str, Callable[[ir.Value], ir.Value]] | None = None,
) -> list[dict[str, Any]]:
    """Subscriptions (clean.cell_columns) grouped where the rows live by `by` (output name ->
    expression; `after` reads a key once per distinct value), tenure month, ended and
    involuntary: count (n), yearly revenue (r) and days subscribed (d), active ones counted up
    to as_of.

    Two steps in one statement: rows are grouped with the end reason, billing period and a
    text price as they are (no string function runs per row), then those few distinct values
    are read (payment failure? months per period? the price) and the groups summed again."""
    import ibis

    from journeys.data.clean import involuntary_reason, parse_number, period_months
    from journeys.data.mapping import SubscriptionField as F

    stop = ibis.coalesce(raw.end, ibis.literal(as_of, type="date"))
    parts = _date_parts(raw)
    keys: dict[str, ir.Value] = {out: make(raw, parts) for out, make in by.items()}
    keys |= {"month": tenure_months(raw.start, stop, parts), "ended": raw.end.notnull()}
    as_written = [
        name
        for name, fld in (("reason", F.END_REASON), ("period", F.BILLING_PERIOD))
        if mapping.columns.get(fld)
    ]
    typed_price = "price" in raw.columns
    as_written += [] if typed_price else ["price_text"]
    metrics: dict[str, ir.Value] = {"n": raw.count(), "d": stop.delta(raw.start, unit="day").sum()}
    if typed_price:
        metrics["p"] = raw.price.sum()
    inner = raw.group_by(**keys, **{k: raw[k] for k in as_written}).aggregate(**metrics)
    if typed_price:
        paid = inner.p.fill_null(0.0)
    else:
        price, _ = parse_number(inner.price_text, formats.decimal_comma)
        paid = price.fill_null(0.0) * inner.n.cast("float64")
    months = period_months(inner.period) if "period" in as_written else ibis.literal(12)
    involuntary = (
        inner.ended & involuntary_reason(inner.reason, mapping)
        if "reason" in as_written
        else ibis.literal(False)
    )
    read = inner.mutate(
        involuntary=involuntary,
        r=paid * 12.0 / months.cast("float64"),
        **{k: fn(inner[k]) for k, fn in (after or {}).items()},
    )
    outer = read.group_by([*by, "month", "ended", "involuntary"]).aggregate(
        n=read.n.sum(), r=read.r.sum(), d=read.d.sum()
    )
    return _rows(outer)  # ordered in Python: a few thousand rows


def _order(row: dict[str, Any]) -> tuple[int, bool, bool]:
    return (int(row["month"]), bool(row["ended"]), bool(row["involuntary"]))


def _cell(row: dict[str, Any]) -> Cell:
    return Cell(
        int(row["month"]),
        bool(row["ended"]),
        bool(row["involuntary"]),
        int(row["n"]),
        float(row["r"] or 0.0),
    )


def life_and_cohorts(table: ir.Table, mapping: Mapping, formats: Formats) -> LifeAndCohorts:
    """Life-table cells (tenure month × ended × involuntary) and cohorts (start month × tenure
    month × ended) of a checked base, where the rows live: the base's dates first (its last
    date, as_of, is when active subscriptions are counted up to), then one statement grouping
    every row by start month, tenure month, ended and involuntary; a few thousand groups come
    back, never a row."""
    from journeys.data.clean import cell_columns

    raw = cell_columns(table, mapping, formats, segments=False)
    bounds = _rows(
        raw.aggregate(
            rows=raw.count(),
            first=raw.start.min(),
            last_start=raw.start.max(),
            last_end=raw.end.max(),
        )
    )[0]
    if not bounds["rows"]:
        raise ValueError("the base holds no subscription")
    first: date = bounds["first"]
    as_of: date = max(d for d in (bounds["last_start"], bounds["last_end"]) if d is not None)
    rows = _groups(
        raw,
        mapping,
        formats,
        as_of,
        {"cohort": lambda t, parts: parts[0](t.start) * 100 + parts[1](t.start)},
    )
    cells: dict[tuple[int, bool, bool], list[float]] = {}
    cohort_counts: dict[tuple[str, int, bool], int] = {}
    exposure = 0.0
    for r in rows:
        cell = _cell(r)
        sums = cells.setdefault((cell.month, cell.ended, cell.involuntary), [0, 0.0])
        sums[0] += cell.count
        sums[1] += cell.revenue
        cohort = (f"{r['cohort'] // 100:04d}-{r['cohort'] % 100:02d}", cell.month, cell.ended)
        cohort_counts[cohort] = cohort_counts.get(cohort, 0) + cell.count
        exposure += float(r["d"] or 0)
    overall = [Cell(m, e, i, int(n), v) for (m, e, i), (n, v) in sorted(cells.items())]
    cohorts = [(c, m, e, n) for (c, m, e), n in sorted(cohort_counts.items())]
    total = sum(c.count for c in overall)
    n_ended = sum(c.count for c in overall if c.ended)
    summary = Summary(
        rows=total,
        active=total - n_ended,
        ended=n_ended,
        involuntary=sum(c.count for c in overall if c.involuntary),
        first_start=first.isoformat(),
        last_date=as_of.isoformat(),
        years=round(max((as_of - first).days / 365.25, 1 / 12), 4),
    )
    return LifeAndCohorts(summary, overall, cohorts, exposure, as_of)


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

    from journeys.data.clean import cell_columns

    step = progress or (lambda share, what: None)
    step(0.0, "life table")
    core = life_and_cohorts(table, mapping, formats)
    result = Aggregates(
        core.summary, core.overall, cohorts=core.cohorts, total_exposure_days=core.exposure_days
    )
    raw = cell_columns(table, mapping, formats)
    names = segment_names(mapping)
    if names:
        step(0.2, "segments")
        distinct = _rows(
            raw.aggregate(
                **{
                    f"n{i}": raw[f"seg:{n}"].strip().fill_null("").nunique()
                    for i, n in enumerate(names)
                }
            )
        )[0]
        for i, name in enumerate(names):
            step(0.25 + 0.4 * i / len(names), f"segment {name}")
            if not 1 < distinct[f"n{i}"] <= MAX_SEGMENT_VALUES:
                continue
            rows = _groups(
                raw,
                mapping,
                formats,
                core.as_of,
                {"segment": _column(f"seg:{name}")},
                after={"segment": lambda value: value.strip().fill_null("")},
            )
            values: dict[str, list[Cell]] = {}
            for r in sorted(rows, key=lambda r: (r["segment"] or "", *_order(r))):
                values.setdefault(r["segment"] or "", []).append(_cell(r))
            result.segments[name] = values
    step(0.65, "end reasons")
    result.end_reasons = _end_reasons(raw, mapping, core.summary.ended)
    as_of = ibis.literal(core.as_of, type="date")
    if events is not None:
        step(0.75, "signals")
        spans = _spans(table, mapping, formats, as_of)
        result.signals = _signals(spans, events, mapping, formats, as_of)
    if payments is not None:
        step(0.9, "payments")
        result.reject_codes = _reject_codes(payments, mapping)
    step(1.0, "aggregates computed")
    return result


def _column(name: str) -> Callable[[ir.Table, DateParts], ir.Value]:
    return lambda table, parts: table[name]


def _end_reasons(raw: ir.Table, mapping: Mapping, ended: int) -> dict[str, int]:
    """Ends by reason (a reason shared by fewer than MIN_COUNT subscriptions stays out)."""
    import ibis

    from journeys.data.mapping import SubscriptionField

    if not mapping.columns.get(SubscriptionField.END_REASON):
        return {"": ended} if ended >= MIN_COUNT else {}
    gone = raw.filter(raw.end.notnull())
    as_written = gone.group_by("reason").aggregate(n=gone.count())
    read = as_written.mutate(reason=as_written.reason.strip())
    reasons = read.group_by("reason").aggregate(n=read.n.sum())
    reasons = reasons.filter(reasons.n >= MIN_COUNT)
    rows = _rows(reasons.order_by([ibis.desc("n"), "reason"]).limit(100))
    return {(r["reason"] or ""): int(r["n"]) for r in rows}


def _spans(table: ir.Table, mapping: Mapping, formats: Formats, as_of: ir.DateValue) -> ir.Table:
    """Each subscription's id, start, end, whether it ended and its days subscribed."""
    import ibis

    subs = subscriptions(table, mapping, formats)
    stop = ibis.coalesce(subs.end, as_of)
    return subs.select(
        "id", "start", "end", ended=subs.end.notnull(), days=_days(stop) - _days(subs.start)
    )


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

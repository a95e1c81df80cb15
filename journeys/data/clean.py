"""From an extract's cells to typed subscriptions, and the rows that cannot be read.

Dates and decimals are parsed by Ibis expressions where the rows live; the formats are
guessed from a sample of values. A problem is reported by row (the spreadsheet's row number
for a file) with what is wrong; a base with problems is not stored at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from journeys.data.mapping import (
    FAILED_PAYMENT_WORDS,
    INVOLUNTARY_WORDS,
    Mapping,
    SubscriptionField,
)
from journeys.data.source import ROW_NUMBER
from journeys.headers import normalize

if TYPE_CHECKING:
    import ibis.expr.types as ir

SAMPLE = 2000
MAX_PROBLEMS = 200

# Date formats tried in this order on a sample of values (French day-first before US).
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%Y%m%d",
)
_TIME_SUFFIXES = ("", " %H:%M", " %H:%M:%S", "T%H:%M:%S", "T%H:%M")
_PIECES = {
    "%Y": r"\d{4}",
    "%y": r"\d{2}",
    "%m": r"(0?[1-9]|1[0-2])",
    "%d": r"(0?[1-9]|[12]\d|3[01])",
    "%H": r"\d{1,2}",
    "%M": r"\d{2}",
    "%S": r"\d{2}(\.\d+)?",
}
# A %Y%m%d date has fixed widths.
_FIXED = {"%Y%m%d": r"\d{8}"}

PERIOD_MONTHS = {
    "mensuel": 1,
    "mensuelle": 1,
    "mois": 1,
    "monthly": 1,
    "month": 1,
    "trimestriel": 3,
    "trimestrielle": 3,
    "quarterly": 3,
    "quarter": 3,
    "semestriel": 6,
    "semestrielle": 6,
    "half yearly": 6,
    "annuel": 12,
    "annuelle": 12,
    "an": 12,
    "annual": 12,
    "yearly": 12,
    "year": 12,
}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    code: str  # missing_start, bad_date, end_before_start, duplicate_id, bad_price, empty
    value: str


class BaseProblems(ValueError):
    """The base cannot be stored: problems listed by row (first MAX_PROBLEMS), and the count."""

    def __init__(self, problems: list[Problem], total: int):
        self.problems, self.total = problems, total
        lines = [f"row {p.row}, {p.column}: {p.code} ({p.value[:60]!r})" for p in problems[:5]]
        more = f"; and {total - 5} more" if total > 5 else ""
        super().__init__(f"{total} problem(s): " + "; ".join(lines) + more)


def _regex(fmt: str) -> str:
    if fmt in _FIXED:
        return "^" + _FIXED[fmt] + "$"
    out = re.escape(fmt)
    for piece, pattern in _PIECES.items():
        out = out.replace(re.escape(piece), pattern).replace(piece, pattern)
    return "^" + out + "$"


def _reads(value: str, fmt: str) -> bool:
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def guess_date_format(values: list[str]) -> str | None:
    """The format (with an optional time) that reads most sampled values, if it reads at least
    half of them (the others are then reported by row); None when no format does."""
    sample = [v.strip() for v in values if v and v.strip()]
    best, best_count = None, 0
    for base in DATE_FORMATS:
        for suffix in _TIME_SUFFIXES:
            fmt = base + suffix
            count = sum(1 for value in sample if _reads(value, fmt))
            if count > best_count:
                best, best_count = fmt, count
            if count == len(sample):
                return fmt
    return best if sample and best_count * 2 >= len(sample) else None


def guess_decimal_comma(values: list[str]) -> bool:
    """True when prices are written 12,50 (French) rather than 12.50."""
    commas = sum(
        1 for v in values if re.fullmatch(r"\s*-?[\d  .]*,\d+\s*(€|eur)?\s*", v or "", re.I)
    )
    dots = sum(1 for v in values if re.fullmatch(r"\s*-?[\d ,]*\.\d+\s*(€|eur)?\s*", v or "", re.I))
    return commas > dots


def _is_text(column: ir.Column) -> bool:
    return bool(column.type().is_string())


def parse_date(column: ir.Column, fmt: str | None) -> tuple[ir.Value, ir.BooleanValue]:
    """(the date, whether the cell is readable) for a text or temporal column."""
    import ibis

    if not _is_text(column):
        as_date = column.cast("date") if column.type().is_timestamp() else column
        return as_date, ibis.literal(True)
    text = column.strip()
    if fmt is None:
        return ibis.null("date"), text.isnull() | (text == "")
    readable = text.re_search(_regex(fmt))
    value = ibis.ifelse(readable, text, ibis.null("string"))
    parsed = value.as_timestamp(fmt).date() if "%H" in fmt else value.as_date(fmt)
    return parsed, readable.fill_null(False)


def parse_number(column: ir.Column, decimal_comma: bool) -> tuple[ir.Value, ir.BooleanValue]:
    """(the number, whether the cell is readable) — spaces, € and thousands separators dropped."""
    import ibis

    if not _is_text(column):
        return column.cast("float64"), ibis.literal(True)
    text = column.strip().re_replace(r"[\s €]|eur|EUR", "")
    text = text.replace(".", "").replace(",", ".") if decimal_comma else text.replace(",", "")
    readable = text.re_search(r"^-?\d+(\.\d+)?$")
    value = ibis.ifelse(readable, text, ibis.null("string")).cast("float64")
    return value, readable.fill_null(False)


def folded(column: ir.Value) -> ir.StringValue:
    """Lower case with French accents folded, where the rows live (for reasons and statuses)."""
    return column.cast("string").lower().translate(_ACCENTED, _PLAIN)


# One TRANSLATE where the rows live (DuckDB, PostgreSQL, …) rather than a REPLACE per letter.
_ACCENTED, _PLAIN = "éèêëàâäîïôöùûüç", "eeeeaaaiioouuuc"


def _any_word(text: ir.StringValue, words_: tuple[str, ...] | list[str]) -> ir.BooleanValue:
    pattern = "|".join(re.escape(normalize(w)) for w in words_ if normalize(w))
    return text.re_replace(r"[^0-9a-z]+", " ").re_search(pattern) if pattern else text.isnull()


@dataclass(frozen=True)
class Formats:
    date_format: str | None
    decimal_comma: bool


def guess_formats(table: ir.Table, mapping: Mapping) -> Formats:
    """Date and decimal formats from a sample of the mapped columns (the mapping's win)."""
    columns = mapping.columns
    date_format = mapping.date_format
    if date_format is None:
        values: list[str] = []
        for fld in (SubscriptionField.START, SubscriptionField.END):
            name = columns.get(fld)
            if name and _is_text(table[name]):
                col = table[name]
                sample = table.filter(col.notnull() & (col.strip() != "")).select(v=col)
                values += [str(v) for v in sample.limit(SAMPLE).to_pyarrow()["v"].to_pylist()]
        date_format = guess_date_format(values)
    decimal_comma = mapping.decimal_comma
    if decimal_comma is None:
        name = columns.get(SubscriptionField.PRICE)
        decimal_comma = False
        if name and _is_text(table[name]):
            col = table[name]
            rows = table.filter(col.notnull()).select(v=col).limit(SAMPLE).to_pyarrow()
            decimal_comma = guess_decimal_comma([str(v) for v in rows["v"].to_pylist()])
    return Formats(date_format, decimal_comma)


def subscriptions(table: ir.Table, mapping: Mapping, formats: Formats) -> ir.Table:
    """Typed subscriptions with, for each, whether each checked cell is readable.

    Columns: row, id, start, end, start_ok, end_ok, price, price_ok, reason, involuntary,
    months (billing period in months) and one column per segment (text).
    """
    import ibis

    cols = mapping.columns

    def cell(fld: SubscriptionField) -> ir.Column | None:
        name = cols.get(fld)
        return table[name] if name else None

    ident = cell(SubscriptionField.ID)
    assert ident is not None  # checked by missing_required
    start, start_ok, start_blank, end, end_ok = _dates(table, mapping, formats)
    price_col = cell(SubscriptionField.PRICE)
    if price_col is not None:
        price, price_ok = parse_number(price_col, formats.decimal_comma)
        price_ok = _blank(price_col) | price_ok
    else:
        price, price_ok = ibis.literal(0.0), ibis.literal(True)
    reason_col = cell(SubscriptionField.END_REASON)
    reason = reason_col.cast("string").strip() if reason_col is not None else ibis.null("string")
    involuntary = _involuntary(reason, mapping)
    period_col = cell(SubscriptionField.BILLING_PERIOD)
    months = _period_months(period_col) if period_col is not None else ibis.literal(12)
    segments = {
        f"seg:{name}": table[name].cast("string").strip().fill_null("")
        for name in _segment_columns(mapping)
    }
    return table.select(
        row=table[ROW_NUMBER],
        id=ident.cast("string").strip(),
        start=start,
        end=end,
        start_ok=start_ok | start_blank,
        start_blank=start_blank,
        end_ok=end_ok,
        price=price,
        price_ok=price_ok,
        reason=reason,
        involuntary=involuntary,
        months=months,
        **segments,
    )


def _dates(
    table: ir.Table, mapping: Mapping, formats: Formats
) -> tuple[ir.Value, ir.BooleanValue, ir.BooleanValue, ir.Value, ir.BooleanValue]:
    """(start, start readable, start blank, end (null when blank), end readable or blank)."""
    import ibis

    start_col = table[mapping.columns[SubscriptionField.START]]
    start, start_ok = parse_date(start_col, formats.date_format)
    start_blank = _blank(start_col)
    end_name = mapping.columns.get(SubscriptionField.END)
    if not end_name:
        return start, start_ok, start_blank, ibis.null("date"), ibis.literal(True)
    end_col = table[end_name]
    end, end_ok = parse_date(end_col, formats.date_format)
    if _is_text(end_col):
        blank = _blank(end_col)
        end = ibis.ifelse(blank, ibis.null("date"), end)
        end_ok = blank | end_ok
    return start, start_ok, start_blank, end, end_ok


def cell_columns(
    table: ir.Table, mapping: Mapping, formats: Formats, *, segments: bool = True
) -> ir.Table:
    """What the aggregates group checked rows by, read per row only where it must be: the dates
    parsed; the end reason, billing period, a price written as text and the segments left as
    they are (text), to be classified once per distinct value after grouping (see
    `involuntary_reason`, `period_months`, `parse_number`) — string work on every row of a big
    base costs more than the whole grouping.

    Columns: start, end, reason, period, price (a number, when typed or absent) or price_text,
    and `seg:NAME` per segment (unless `segments` is False: a smaller query to build).
    """
    import ibis

    cols = mapping.columns
    start, _, _, end, _ = _dates(table, mapping, formats)

    def text(fld: SubscriptionField) -> ir.Value:
        name = cols.get(fld)
        return table[name].cast("string") if name else ibis.null("string")

    fields: dict[str, ir.Value] = {
        "start": start,
        "end": end,
        "reason": text(SubscriptionField.END_REASON),
        "period": text(SubscriptionField.BILLING_PERIOD),
    }
    price_name = cols.get(SubscriptionField.PRICE)
    if price_name and _is_text(table[price_name]):
        fields["price_text"] = table[price_name]
    else:
        fields["price"] = table[price_name].cast("float64") if price_name else ibis.literal(0.0)
    for name in _segment_columns(mapping) if segments else []:
        fields[f"seg:{name}"] = table[name].cast("string")
    return table.select(**fields)


def involuntary_reason(reason: ir.StringValue, mapping: Mapping) -> ir.BooleanValue:
    """Whether an end reason says a payment failure (the mapping's own words included)."""
    return _involuntary(reason.strip(), mapping)


def period_months(period: ir.Value) -> ir.IntegerValue:
    """A billing period in months (12 when not said)."""
    return _period_months(period)


def _blank(column: ir.Column) -> ir.BooleanValue:
    """An empty cell: null, or only spaces in a text column (a typed column is never spaces)."""
    if _is_text(column):
        return column.isnull() | (column.strip() == "")
    return column.isnull()


def _segment_columns(mapping: Mapping) -> list[str]:
    from journeys.data.mapping import SEGMENT_FIELDS

    names = [mapping.columns[f] for f in SEGMENT_FIELDS if mapping.columns.get(f)]
    return names + [s for s in mapping.segments if s not in names]


def segment_names(mapping: Mapping) -> list[str]:
    """The segment columns' names as the user knows them."""
    return _segment_columns(mapping)


def _involuntary(reason: ir.StringValue, mapping: Mapping) -> ir.BooleanValue:
    import ibis

    text = folded(reason)
    said_involuntary = _any_word(text, list(INVOLUNTARY_WORDS) + mapping.involuntary_reasons)
    if mapping.voluntary_reasons:
        said_voluntary = _any_word(text, mapping.voluntary_reasons)
        said_involuntary = said_involuntary & ~said_voluntary
    return ibis.ifelse(reason.isnull(), False, said_involuntary.fill_null(False))


def _period_months(column: ir.Column) -> ir.IntegerValue:
    import ibis

    text = folded(column).re_replace(r"[^0-9a-z]+", " ").strip()
    return text.substitute(PERIOD_MONTHS, else_=ibis.literal(12))  # one CASE text WHEN …


def failed_payment(status: ir.Value) -> ir.BooleanValue:
    return _any_word(folded(status), FAILED_PAYMENT_WORDS).fill_null(False)


def problems(subs: ir.Table, mapping: Mapping) -> tuple[list[Problem], int]:
    """The rows that cannot be read, by row (first MAX_PROBLEMS), and how many in all."""
    import ibis

    cols = mapping.columns
    start_name = cols[SubscriptionField.START]
    end_name = cols.get(SubscriptionField.END, "")
    price_name = cols.get(SubscriptionField.PRICE, "")
    id_name = cols[SubscriptionField.ID]
    dup = subs.group_by("id").aggregate(n=subs.count()).filter(lambda t: t.n > 1)
    flagged = subs.left_join(dup, "id").select(
        subs.row,
        subs.id,
        subs.start,
        subs.end,
        subs.start_ok,
        subs.start_blank,
        subs.end_ok,
        subs.price_ok,
        is_dup=dup.n.notnull(),
    )
    code = ibis.cases(
        (flagged.id.isnull() | (flagged.id == ""), "missing_id"),
        (flagged.start_blank, "missing_start"),
        (~flagged.start_ok, "bad_date"),
        (~flagged.end_ok, "bad_end_date"),
        (flagged.end < flagged.start, "end_before_start"),
        (flagged.is_dup, "duplicate_id"),
        (~flagged.price_ok, "bad_price"),
        else_=ibis.null("string"),
    )
    bad = flagged.select(flagged.row, flagged.id, code=code).filter(lambda t: t.code.notnull())
    total = int(bad.count().to_pyarrow().as_py())
    if not total:
        return [], 0
    column_of = {
        "missing_id": id_name,
        "duplicate_id": id_name,
        "missing_start": start_name,
        "bad_date": start_name,
        "bad_end_date": end_name,
        "end_before_start": end_name,
        "bad_price": price_name,
    }
    rows = bad.order_by("row").limit(MAX_PROBLEMS).to_pyarrow().to_pylist()
    found = [
        Problem(int(r["row"]), column_of[r["code"]], r["code"], str(r["id"] or "")) for r in rows
    ]
    return found, total

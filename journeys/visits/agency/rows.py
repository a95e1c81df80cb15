"""One agency CSV row to one observation: cell parsing, label resolution, row-level errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import ClassVar

from journeys.contract.model import FindingType, Journey
from journeys.visits.agency.mapping import (
    REQUIRED_FIELDS,
    ColumnMapping,
    LabelIndex,
    ValueMapping,
    VisitField,
    intensity_from_rating,
    normalize,
    type_index,
)
from journeys.visits.model import Observation

DATE_EXPECTED = "a date like 05/03/2024, 05/03/2024 14:30 or 2024-03-05"
TIME_EXPECTED = "a time like 09:12, 9:12, 09h12, 9h or 9:12 PM"
TYPE_EXPECTED = "bonheur / enchantement / delight, irritant / douleur / pain, or rupture / break"
_TIME = r"(?:[ T]+(?P<H>\d{1,2})[:hH](?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
_DATE_PATTERNS = (
    re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})" + _TIME),
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME),
)
_TIME_OF_DAY = re.compile(
    r"(?P<H>\d{1,2})(?:\s*(?P<sep>[:hH.])\s*(?P<M>\d{2})?(?::(?P<S>\d{2}))?)?"
    r"\s*(?P<P>[aApP]\.?[mM]\.?)?"
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_TEXT_LIMITS = {
    VisitField.VISIT: 300,
    VisitField.SHOPPER: 300,
    VisitField.TEXT: 300,
    VisitField.PERSONA: 5000,
    VisitField.SCENARIO: 5000,
    VisitField.VERBATIM: 5000,
}
_NUMBERS = {
    VisitField.INTENSITY: (1, 3, True),
    VisitField.RATING: (1, 5, True),
    VisitField.WAIT_MINUTES: (0, None, False),
}


@dataclass(frozen=True)
class RowError:
    """One thing wrong, where a spreadsheet user finds it (header is row 1; None: whole file)."""

    row: int | None
    column: str | None
    code: str
    message: str
    value: str = ""
    suggestions: tuple[str, ...] = ()


class CellError(ValueError):
    def __init__(self, code: str, message: str, suggestions: tuple[str, ...] = ()):
        self.code, self.message, self.suggestions = code, message, suggestions
        super().__init__(message)


def parse_datetime(text: str) -> datetime:
    """Return the datetime of a French (dd/mm/yyyy [HH:MM]) or ISO date; raise ValueError."""
    value = text.strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(value)
        if match:
            p = {k: int(v) for k, v in match.groupdict(default="0").items()}
            try:
                return datetime(p["y"], p["m"], p["d"], p["H"], p["M"], p["S"])
            except ValueError:
                raise ValueError(f"no such date or time; expected {DATE_EXPECTED}") from None
    raise ValueError(f"expected {DATE_EXPECTED} (day first)")


def parse_time(text: str) -> time:
    """Return the time of day of '09:12', '9:12', '09h12', '9h', '09:12:30' or '9:12 PM';
    raise ValueError."""
    value = text.strip()
    match = _TIME_OF_DAY.fullmatch(value)
    if match is None or not (match["sep"] or match["P"]):
        raise ValueError(f"'{value}' is not a time; expected {TIME_EXPECTED}")
    hour, minute, second = (int(match[k] or 0) for k in ("H", "M", "S"))
    if match["P"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"'{value}' is not a time; expected {TIME_EXPECTED}")
        hour = hour % 12 + (12 if match["P"][0] in "pP" else 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        raise ValueError(f"'{value}' is not a time of day; expected {TIME_EXPECTED}") from None


def parse_number(text: str, *, low: float, high: float | None, whole: bool) -> float:
    """Return a number written with a decimal point or comma ('3,5'); raise ValueError."""
    value = "".join(text.split())
    bounds = f"from {low:g} to {high:g}" if high is not None else f"of at least {low:g}"
    expected = f"expected {'a whole number' if whole else 'a number'} {bounds}"
    if not _NUMBER.fullmatch(value):
        raise ValueError(expected)
    number = float(value.replace(",", "."))
    if (whole and not number.is_integer()) or number < low or (high is not None and number > high):
        raise ValueError(expected)
    return number


@dataclass
class RowReader:
    """What reading a row needs: where each field's cell is and how labels resolve."""

    headers: tuple[str, ...]
    positions: list[tuple[VisitField, int, str]]
    indexes: dict[VisitField, LabelIndex]
    touchpoint_cells: dict[str, tuple[str, str]]
    errors: list[RowError] = field(default_factory=list)

    unknown_codes: ClassVar[dict[str, VisitField]] = {
        f"unknown_{f.value}": f
        for f in (VisitField.MOMENT, VisitField.CHANNEL, VisitField.TOUCHPOINT, VisitField.TYPE)
    }

    @classmethod
    def build(
        cls,
        headers: tuple[str, ...],
        journey: Journey,
        mapping: ColumnMapping,
        values: ValueMapping,
    ) -> RowReader:
        """Return a reader; file-level mapping problems are in its `errors`."""
        reader = cls(
            headers,
            [],
            {
                VisitField.MOMENT: LabelIndex.build(
                    [(m.id, m.label) for m in journey.moments], values.moments
                ),
                VisitField.CHANNEL: LabelIndex.build(
                    [(c.id, c.label) for c in journey.channels], values.channels
                ),
                VisitField.TOUCHPOINT: LabelIndex.build(
                    [(t.id, t.label) for t in journey.touchpoints], values.touchpoints
                ),
                VisitField.TYPE: type_index(values.types),
            },
            {t.id: (t.moment, t.channel) for t in journey.touchpoints},
        )
        reader._place_columns(mapping)
        reader._check_value_mapping(values)
        return reader

    def _place_columns(self, mapping: ColumnMapping) -> None:
        exact = {h: i for i, h in reversed(list(enumerate(self.headers)))}
        folded = {normalize(h): i for i, h in reversed(list(enumerate(self.headers)))}
        for fld in mapping.missing_required():
            self.errors.append(
                RowError(None, None, "unmapped_field", f"no column is chosen for '{fld.value}'")
            )
        for fld, header in mapping.columns.items():
            index = exact.get(header, folded.get(normalize(header)))
            if index is None:
                known = ", ".join(h for h in self.headers if h)
                self.errors.append(
                    RowError(
                        None,
                        header,
                        "missing_column",
                        f"column '{header}' (for '{fld.value}') is not in the file; "
                        f"its columns are: {known}",
                    )
                )
            else:
                self.positions.append((fld, index, self.headers[index]))

    def _check_value_mapping(self, values: ValueMapping) -> None:
        for fld, words in (
            (VisitField.MOMENT, values.moments),
            (VisitField.CHANNEL, values.channels),
            (VisitField.TOUCHPOINT, values.touchpoints),
        ):
            for word, ident in words.items():
                if ident not in self.indexes[fld].choices:
                    self.errors.append(
                        RowError(
                            None,
                            None,
                            "bad_value_mapping",
                            f"'{word}' is mapped to {fld.value} '{ident}', "
                            "which the journey does not have",
                            word,
                        )
                    )

    def cell(self, fld: VisitField, raw: str) -> object:
        """Return the value of one cell, None when empty and optional; raise CellError."""
        if not raw.strip():
            if fld in REQUIRED_FIELDS:
                raise CellError("missing_value", f"a value is required ({fld.value})")
            return None
        if fld is VisitField.VISITED_AT:
            try:
                return parse_datetime(raw)
            except ValueError as exc:
                raise CellError("bad_date", str(exc)) from None
        if fld is VisitField.VISIT_TIME:
            try:
                return parse_time(raw)
            except ValueError as exc:
                raise CellError("bad_time", str(exc)) from None
        if fld in _NUMBERS:
            low, high, whole = _NUMBERS[fld]
            try:
                number = parse_number(raw, low=low, high=high, whole=whole)
            except ValueError as exc:
                raise CellError("bad_number", str(exc)) from None
            return int(number) if whole else number
        if fld in self.indexes:
            return self._label(fld, raw)
        limit = _TEXT_LIMITS[fld]
        if len(raw) > limit:
            raise CellError("too_long", f"{len(raw)} characters; at most {limit} fit")
        return raw

    def _label(self, fld: VisitField, raw: str) -> str:
        index = self.indexes[fld]
        ident = index.resolve(raw)
        if ident is not None:
            return ident
        suggestions = tuple(index.suggest(raw))
        if fld is VisitField.TYPE:
            expected = TYPE_EXPECTED
        else:
            shown = [f"{index.choices[i]} ({i})" for i in suggestions] or [
                f"{label} ({i})" for i, label in list(index.choices.items())[:8]
            ]
            lead = "did you mean" if suggestions else "expected one of"
            expected = f"{lead}: {', '.join(shown)}" if shown else "the journey has none"
        message = f"unknown {fld.value} '{raw}'; {expected}"
        raise CellError(f"unknown_{fld.value}", message, suggestions)


def parse_row(
    reader: RowReader, row: int, cells: list[str], errors: list[RowError]
) -> tuple[dict[VisitField, object], Observation] | None:
    """Return the row's values and observation, or None after appending its errors."""
    width = len(reader.headers)
    if len(cells) < width or any(c.strip() for c in cells[width:]):
        errors.append(
            RowError(
                row,
                None,
                "ragged_row",
                f"the row has {len(cells)} cells where the header has {width}; "
                "check delimiters and quotes",
            )
        )
        return None
    values: dict[VisitField, object] = {}
    failed = False
    for fld, index, header in reader.positions:
        try:
            values[fld] = reader.cell(fld, cells[index])
        except CellError as exc:
            errors.append(
                RowError(row, header, exc.code, exc.message, cells[index], exc.suggestions)
            )
            failed = True
    if failed or not _with_time(reader, row, values, errors):
        return None
    if not _touchpoint_in_cell(reader, row, values, errors):
        return None
    return values, _observation(values)


def _with_time(
    reader: RowReader, row: int, values: dict[VisitField, object], errors: list[RowError]
) -> bool:
    """Set the hour of a separate time column on the row's date; False on a contradiction."""
    hour = values.get(VisitField.VISIT_TIME)
    when = values[VisitField.VISITED_AT]
    if not isinstance(hour, time) or not isinstance(when, datetime):
        return True
    if when.time() not in (time(0), hour):
        header = next(h for f, _, h in reader.positions if f is VisitField.VISIT_TIME)
        raw = next(h for f, _, h in reader.positions if f is VisitField.VISITED_AT)
        errors.append(
            RowError(
                row,
                header,
                "time_conflict",
                f"the hour {hour:%H:%M} differs from the {when:%H:%M} of column '{raw}'; "
                "keep one of them",
                f"{hour:%H:%M}",
            )
        )
        return False
    values[VisitField.VISITED_AT] = datetime.combine(when.date(), hour)
    return True


def _touchpoint_in_cell(
    reader: RowReader, row: int, values: dict[VisitField, object], errors: list[RowError]
) -> bool:
    touchpoint = values.get(VisitField.TOUCHPOINT)
    if not isinstance(touchpoint, str):
        return True
    cell = reader.touchpoint_cells[touchpoint]
    if cell == (values[VisitField.MOMENT], values[VisitField.CHANNEL]):
        return True
    header = next(h for f, _, h in reader.positions if f is VisitField.TOUCHPOINT)
    errors.append(
        RowError(
            row,
            header,
            "touchpoint_elsewhere",
            f"touchpoint '{touchpoint}' is at {cell[0]} × {cell[1]}, not at the row's "
            f"{values[VisitField.MOMENT]} × {values[VisitField.CHANNEL]}",
            touchpoint,
        )
    )
    return False


def _observation(values: dict[VisitField, object]) -> Observation:
    """The row's observation; without an intensity, it follows the rating when there is one
    (mapping.intensity_from_rating), else the model's default (2)."""
    kind = FindingType(str(values[VisitField.TYPE]))
    fields = {
        "moment": values[VisitField.MOMENT],
        "channel": values[VisitField.CHANNEL],
        "touchpoint": values.get(VisitField.TOUCHPOINT),
        "type": kind,
        "text": values[VisitField.TEXT],
        "rating": values.get(VisitField.RATING),
        "wait_minutes": values.get(VisitField.WAIT_MINUTES),
        "verbatim": values.get(VisitField.VERBATIM),
    }
    rating = values.get(VisitField.RATING)
    if values.get(VisitField.INTENSITY) is not None:
        fields["intensity"] = values[VisitField.INTENSITY]
    elif isinstance(rating, int):
        fields["intensity"] = intensity_from_rating(rating, kind)
    return Observation.model_validate(fields)

"""The bases this server has read, kept by (workspace, name, version): a rerun parses no JSON
and fits no survival curve again; and numbers written the way the reader's language does."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from journeys.data import attrition
from journeys.data import services as ds
from journeys.i18n import format_date, format_number
from pages.common.shared import lang, store, tr

R = TypeVar("R")
_KEPT: dict[tuple[Any, ...], Any] = {}
_LOCK = threading.Lock()
_MAX = 48


def _kept(key: tuple[Any, ...], make: Callable[[], R]) -> R:
    found = _KEPT.get(key)
    if found is None:
        found = make()
        with _LOCK:
            if len(_KEPT) >= _MAX:  # the oldest go first (dicts keep their order)
                for old in list(_KEPT)[: _MAX // 4]:
                    del _KEPT[old]
            _KEPT[key] = found
    return found  # type: ignore[no-any-return]


def _key(info: ds.BaseInfo, *what: Any) -> tuple[Any, ...]:
    # A base deleted and imported again starts again at version 1: its date tells them apart.
    return (str(store().url), info.name, info.version, info.updated_at, *what)


def kept(info: ds.BaseInfo, what: tuple[Any, ...], make: Callable[[], R]) -> R:
    """What `make` returns for this version of the base, made once (figures, tables)."""
    return _kept(_key(info, *what), make)


def base_view(info: ds.BaseInfo) -> ds.BaseView:
    """The base's view (aggregates, life table), read once per version."""
    return _kept(_key(info), lambda: ds.get_base_view(info.name, store=store()))


def segments(
    info: ds.BaseInfo, column: str
) -> tuple[dict[str, attrition.LifeTable], attrition.SegmentTest | None]:
    """Survival by value of a segment column, and the log-rank test between them."""

    def make() -> tuple[dict[str, attrition.LifeTable], attrition.SegmentTest | None]:
        view = base_view(info)
        return view.segment_table(column), attrition.logrank(
            column, view.aggregates.segments.get(column, {})
        )

    return _kept(_key(info, "segments", column), make)


def cohorts(info: ds.BaseInfo) -> list[attrition.CohortRow]:
    return _kept(_key(info, "cohorts"), lambda: attrition.cohort_table(base_view(info).aggregates))


def kpis(info: ds.BaseInfo) -> attrition.Kpis:
    view = base_view(info)
    return _kept(_key(info, "kpis"), lambda: attrition.kpis(view.aggregates, view.table))


def forget() -> None:
    """Drop what is kept (tests; a workspace restored under the same names)."""
    with _LOCK:
        _KEPT.clear()


def number(value: float, digits: int = 0) -> str:
    """1 234,5 in French, 1,234.5 in English."""
    return format_number(value, lang(), digits)


def percent(share: float, digits: int = 1) -> str:
    """12,3 % in French, 12.3% in English."""
    text = number(share * 100, digits)
    return f"{text}\u00a0%" if lang() == "fr" else f"{text}%"


def day(iso: str) -> str:
    """31/12/2025 in French, Dec 31, 2025 in English (from an ISO date; else as it is)."""
    try:
        return format_date(date.fromisoformat(iso), lang(), numeric=True)
    except ValueError:
        return iso


def money(value: float) -> str:
    """12 345 € in French, €12,345 in English."""
    return f"{number(value)}\u00a0€" if lang() == "fr" else f"€{number(value)}"


def window_months(window: attrition.FragileWindow) -> str:
    """ "month 12" or "months 0–1" (tenure months completed)."""
    if window.first == window.last:
        return tr("data.fragile.month", month=window.first)
    return tr("data.fragile.month_range", first=window.first, last=window.last)

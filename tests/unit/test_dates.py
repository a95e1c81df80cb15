"""Dates and times in the interface's format: one helper (journeys.i18n) for every date a user
reads, French ("3 déc. 2026", "03/12/2026", 24 h) or English ("Dec 3, 2026")."""

from __future__ import annotations

import re
import time as clock
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from journeys import i18n

DAY = date(2026, 12, 3)
ENGLISH_MONTHS = i18n.t("date.months_short", "en").split(",")
ROOT = Path(__file__).resolve().parents[2]


def test_french_dates_read_as_french():
    assert i18n.format_date(DAY, "fr") == "3 déc. 2026"
    assert i18n.format_date(DAY, "fr", numeric=True) == "03/12/2026"
    assert i18n.format_date(date(2026, 2, 14), "fr") == "14 févr. 2026"
    assert i18n.format_date(date(2026, 8, 1), "fr") == "1 août 2026"


def test_english_dates_read_as_english():
    assert i18n.format_date(DAY, "en") == "Dec 3, 2026"
    assert i18n.format_date(DAY, "en", numeric=True) == "Dec 3, 2026"


def test_times_are_24_hour_in_both_languages():
    assert i18n.format_time(time(9, 5), "fr") == "09:05"
    assert i18n.format_time(time(21, 5, 7), "en") == "21:05"
    assert i18n.format_time(time(21, 5, 7), "fr", seconds=True) == "21:05:07"


def test_date_and_time_together():
    moment = datetime(2026, 12, 3, 14, 5)
    assert i18n.format_datetime(moment, "fr") == "3 déc. 2026, 14:05"
    assert i18n.format_datetime(moment, "fr", numeric=True) == "03/12/2026 14:05"
    assert i18n.format_datetime(moment, "en") == "Dec 3, 2026, 14:05"


@pytest.fixture
def paris(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


def test_a_stored_utc_moment_is_shown_in_local_time(paris):
    stored = datetime(2026, 12, 3, 13, 5, tzinfo=UTC)
    assert i18n.format_datetime(stored, "fr", numeric=True) == "03/12/2026 14:05"
    assert i18n.format_time(stored, "fr") == "14:05"
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already next year in Paris
    assert i18n.format_date(late, "fr", numeric=True) == "01/01/2027"


def test_no_english_month_in_a_french_date():
    for month in range(1, 13):
        shown = i18n.format_date(date(2026, month, 28), "fr")
        assert not any(name in shown for name in ENGLISH_MONTHS if name != "Mar"), shown
    names = {i18n.format_date(date(2026, month, 1), "fr").split()[1] for month in range(1, 13)}
    assert len(names) == 12


def test_table_and_date_input_formats_follow_the_language():
    # Streamlit's tables name months in English only: the French table format is numeric.
    assert i18n.table_datetime_format("fr") == "DD/MM/YYYY HH:mm"
    assert i18n.table_datetime_format("en") == "MMM D, YYYY, HH:mm"
    assert i18n.date_input_format("fr") == "DD/MM/YYYY"
    assert i18n.date_input_format("en") == "MM/DD/YYYY"


# Lines that format a date but do not show it in the interface's format, on purpose.
NOT_SHOWN = {
    "pages/data/importer.py": "_SAMPLE_DAY.strftime(fmt)",  # a sample of the file's own format
    "pages/board/inbox.py": 'strftime("%H:%M")',  # another engineer's file for now: 24 h already
}


def test_pages_format_dates_through_the_helper():
    """No page formats a date by hand (strftime, f"{when:%d/%m}"); isoformat is for data."""
    pattern = re.compile(r"strftime\(|:%[dmYHMSb]")
    offenders = []
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py"))]:
        name = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if pattern.search(line) and NOT_SHOWN.get(name, "\0") not in line:
                offenders.append(f"{name}:{number}")
    assert offenders == []

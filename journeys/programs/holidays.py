"""French public holidays (jours fériés), computed for any year: the fixed ones, and Easter
Monday, Ascension and Whit Monday from the date of Easter. Alsace-Moselle adds Good Friday
and St Stephen's day."""

from __future__ import annotations

from datetime import date, timedelta

CALENDARS = ("FR", "FR-ALSACE-MOSELLE", "NONE")


def easter(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def french_holidays(year: int, calendar: str = "FR") -> dict[date, str]:
    """The public holidays of `year` in France (metropolitan), by date, named by key
    (`new_year`, `easter_monday`…); `FR-ALSACE-MOSELLE` adds two, `NONE` has none."""
    if calendar == "NONE":
        return {}
    sunday = easter(year)
    days = {
        date(year, 1, 1): "new_year",
        sunday + timedelta(days=1): "easter_monday",
        date(year, 5, 1): "labour_day",
        date(year, 5, 8): "victory_1945",
        sunday + timedelta(days=39): "ascension",
        sunday + timedelta(days=50): "whit_monday",
        date(year, 7, 14): "national_day",
        date(year, 8, 15): "assumption",
        date(year, 11, 1): "all_saints",
        date(year, 11, 11): "armistice",
        date(year, 12, 25): "christmas",
    }
    if calendar == "FR-ALSACE-MOSELLE":
        days[sunday - timedelta(days=2)] = "good_friday"
        days[date(year, 12, 26)] = "st_stephen"
    return dict(sorted(days.items()))


def holidays_between(first: date, last: date, calendar: str = "FR") -> dict[date, str]:
    """Public holidays from `first` to `last`, both included."""
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        found.update(french_holidays(year, calendar))
    return {d: name for d, name in found.items() if first <= d <= last}

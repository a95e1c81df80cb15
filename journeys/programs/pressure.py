"""Pressure and quiet hours of a dry run's sends, across all its programs.

Pressure: for each subscriber and channel, the sends in any rolling 7 days against the
channel's cap (email 3, SMS 2, phone 1 by default; settable by channel or kind of channel):
who goes over, on which days, through which steps. Quiet hours: sends that land, in the
subscribers' time zone, before 8:00, from 22:00, on a Sunday or on a public holiday (France
by default). Vectorised: sorts and binary searches over all sends, no loop per subscriber.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from journeys.programs.dryrun_model import Sends
from journeys.programs.holidays import CALENDARS, holidays_between

DEFAULT_CAPS: Mapping[str, int] = {"email": 3, "sms": 2, "phone": 1}
WINDOW_DAYS = 7
# Kinds of channel, by the words their ids are made of (French and English).
KIND_WORDS: Mapping[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "courriel", "mel", "emailing", "newsletter"),
    "sms": ("sms", "texto", "mms", "rcs"),
    "phone": ("phone", "telephone", "tel", "appel", "call", "callcenter", "teleconseil"),
    "mail": ("mail", "courrier", "letter", "lettre", "postal", "post"),
    "push": ("push", "app", "appli", "application", "mobile-app", "notification"),
}


def _tokens(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", plain)


def channel_kind(channel: str) -> str | None:
    """email, sms, phone, mail or push for a channel id such as `courriel` or `appli-mobile`
    (the whole id first: `e-mail`, `mobile-app`), None when its words say none of them."""
    whole = "-".join(_tokens(channel))
    for kind, words in KIND_WORDS.items():
        if whole in words:
            return kind
    for token in _tokens(channel):
        for kind, words in KIND_WORDS.items():
            if token in words:
                return kind
    return None


@dataclass(frozen=True)
class Caps:
    """Most sends per subscriber in any `days` days, by channel id or kind of channel."""

    per_channel: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_CAPS))
    days: int = WINDOW_DAYS

    def __post_init__(self) -> None:
        if not 1 <= self.days <= 31:
            raise ValueError("cap window: from 1 to 31 days")
        for name, cap in self.per_channel.items():
            if not 0 <= cap <= 100:
                raise ValueError(f"cap of {name[:40]!r}: from 0 to 100 sends")

    def key(self, channel: str) -> str:
        """What a channel's sends are counted under: its own id when it has a cap of its own,
        else its kind (so `email` and `courriel` add up), else its id."""
        if channel in self.per_channel:
            return channel
        return channel_kind(channel) or channel

    def cap(self, key: str) -> int | None:
        return self.per_channel.get(key)


@dataclass(frozen=True)
class CapFinding:
    """One channel (or kind of channel) over the horizon. `over`: subscribers above the cap at
    least once; `over_days`: subscriber-days above it; `days`: calendar days with any."""

    channel: str
    channels: tuple[str, ...]
    cap: int | None
    sends: int
    subscribers: int
    peak: int  # most sends one subscriber gets in any window
    over: int = 0
    over_days: int = 0
    days: int = 0
    steps: tuple[tuple[str, str, int], ...] = ()  # (program, step, sends over the cap)

    @property
    def broken(self) -> bool:
        return self.over > 0


@dataclass(frozen=True)
class PressureReport:
    findings: tuple[CapFinding, ...]
    calendar: Mapping[str, np.ndarray]  # channel -> subscribers over the cap, by day
    day0: date
    days: int
    window: int
    over_any: int  # subscribers above some cap at least once

    @property
    def broken(self) -> tuple[CapFinding, ...]:
        return tuple(f for f in self.findings if f.broken)


def pressure(
    sends: Sends, *, day0: date, days: int, caps: Caps, scale: float = 1.0
) -> PressureReport:
    """Every channel's sends against its cap in any rolling window, per subscriber: one sort
    of all sends by (channel, subscriber, day, step) packed in one integer, then two binary
    searches give each send the sends of its window."""
    names = [caps.key(channel) for channel in sends.channels]
    groups = list(dict.fromkeys(names))
    group_of = np.array([groups.index(n) for n in names] or [0], np.int64)
    span = days + caps.days + 1  # keys of two subscribers never meet within a window
    people = int(sends.subscriber.max(initial=-1)) + 1
    steps = max(len(sends.steps), 1)
    packed = group_of[sends.channel]  # a fresh array, then worked in place: millions of sends
    for times, plus in ((people, sends.subscriber), (span, sends.day), (steps, sends.step)):
        packed *= times
        packed += plus
    packed.sort()
    keys, step = np.divmod(packed, steps)
    window = _run_ends(keys) - np.searchsorted(keys, keys - caps.days + 1)
    bounds = np.searchsorted(keys // (people * span), np.arange(len(groups) + 1))
    findings, calendar, over_subs = [], {}, []
    counted = _scaled(scale)
    for number, key in enumerate(groups):
        part = slice(bounds[number], bounds[number + 1])
        mine, counts, faults = keys[part], window[part], step[part]
        sub = mine // span % people
        cap = caps.cap(key)
        base = dict(
            channel=key,
            channels=tuple(c for c, n in zip(sends.channels, names, strict=True) if n == key),
            cap=cap,
            sends=counted(len(mine)),
            subscribers=counted(len(_distinct(sub))),
            peak=int(counts.max(initial=0)),
        )
        if cap is None:
            findings.append(CapFinding(**base))  # type: ignore[arg-type]
            continue
        breaking = counts > cap
        over_keys = _distinct(mine[breaking])
        per_day = np.bincount(over_keys % span, minlength=days)[:days]
        calendar[key] = np.round(per_day * scale).astype(np.int64)
        over_subs.append(_distinct(sub[breaking]))
        at_fault = np.bincount(faults[breaking], minlength=len(sends.steps))
        worst = np.argsort(-at_fault, kind="stable")[:5]
        findings.append(
            CapFinding(
                **base,  # type: ignore[arg-type]
                over=counted(len(over_subs[-1])),
                over_days=counted(len(over_keys)),
                days=int((per_day > 0).sum()),
                steps=tuple((*sends.steps[i], counted(at_fault[i])) for i in worst if at_fault[i]),
            )
        )
    anyone = np.unique(np.concatenate(over_subs)) if over_subs else np.empty(0)  # small
    findings.sort(key=lambda f: (f.cap is None, -f.over, f.channel))
    return PressureReport(tuple(findings), calendar, day0, days, caps.days, counted(len(anyone)))


def _run_ends(ordered: np.ndarray) -> np.ndarray:
    """For each item of a sorted array, the index after the last item equal to it (what
    np.searchsorted(ordered, ordered, "right") gives, in one pass)."""
    if not len(ordered):
        return np.empty(0, np.int64)
    ends = np.append(np.flatnonzero(ordered[1:] != ordered[:-1]) + 1, len(ordered))
    return np.repeat(ends, np.diff(ends, prepend=0))


def _distinct(ordered: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array (np.unique would sort it again)."""
    if not len(ordered):
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _scaled(scale: float):  # type: ignore[no-untyped-def]
    return lambda n: int(round(float(n) * scale))


# --- quiet hours ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuietRules:
    """When not to reach subscribers, in their time zone: the night (from `night_start` to
    `night_end`), Sundays, public holidays of `holidays` (FR, FR-ALSACE-MOSELLE, NONE).
    Planned sends go at `send_hour` on the clock of `send_zone`."""

    night_start: int = 22
    night_end: int = 8
    sundays: bool = True
    holidays: str = "FR"
    timezone: str = "Europe/Paris"
    send_zone: str = "Europe/Paris"
    send_hour: int = 10

    def __post_init__(self) -> None:
        if not (0 <= self.night_end <= 24 and 0 <= self.night_start <= 24):
            raise ValueError("quiet hours: hours from 0 to 24")
        if not 0 <= self.send_hour <= 23:
            raise ValueError("send hour: from 0 to 23")
        if self.holidays not in CALENDARS:
            raise ValueError(f"holidays: one of {', '.join(CALENDARS)}")
        for zone in (self.timezone, self.send_zone):
            zone_info(zone)


def zone_info(name: str) -> ZoneInfo:
    """The time zone of an IANA name (Europe/Paris, Indian/Reunion); ValueError otherwise."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name[:60]!r} (e.g. Europe/Paris)") from None


@dataclass(frozen=True)
class QuietFinding:
    """Sends of one step that land in quiet hours, by reason (a send can have several)."""

    program: str
    step: str
    channel: str
    sends: int
    quiet: int
    night: int
    sunday: int
    holiday: int


@dataclass(frozen=True)
class QuietReport:
    findings: tuple[QuietFinding, ...]  # steps with sends in quiet hours, most first
    sends: int
    quiet: int
    holidays: tuple[tuple[date, str, int], ...]  # holidays in the horizon, sends on each
    rules: QuietRules


NIGHT, SUNDAY, HOLIDAY = 1, 2, 4  # why a send is in quiet hours, as bits


def quiet_hours(
    sends: Sends, *, day0: date, days: int, rules: QuietRules, scale: float = 1.0
) -> QuietReport:
    """Which sends land in quiet hours where the subscribers are. A planned send's reasons
    depend on its day only (looked up in a table of the horizon's days); a send made at
    once keeps the hour of its moment."""
    first = day0 - timedelta(days=2)
    holidays = holidays_between(first, day0 + timedelta(days=days + 2), rules.holidays)
    dates = [first + timedelta(days=i) for i in range(days + 5)]  # local days from day0 - 2
    by_date = np.array(
        [SUNDAY * (rules.sundays and d.weekday() == 6) + HOLIDAY * (d in holidays) for d in dates]
    )
    shift, planned_hour = _local_planned(day0, days, rules)
    planned_day = np.clip(np.arange(-1, days + 1) + shift + 2, 0, len(dates) - 1)
    planned = (_night(planned_hour, rules) * NIGHT | by_date[planned_day]).astype(np.int64)
    index = np.clip(sends.day + 1, 0, days + 1)
    reasons = planned[index]
    at_once = np.flatnonzero(sends.hour >= 0)  # the local hour of a subscription, an event
    where = np.clip(sends.day[at_once] + 2, 0, len(dates) - 1)
    night = _night(sends.hour[at_once], rules) * NIGHT
    reasons[at_once] = night | by_date[where]
    size = len(sends.steps)
    table = np.bincount(sends.step * 8 + reasons, minlength=8 * size).reshape(size, 8)
    has = np.arange(8)
    columns = [table.sum(axis=1), table[:, has > 0].sum(axis=1)]
    columns += [table[:, (has & bit) > 0].sum(axis=1) for bit in (NIGHT, SUNDAY, HOLIDAY)]
    counted = _scaled(scale)
    channel_of = np.zeros(size, np.int64)
    channel_of[sends.step] = sends.channel  # one channel per step
    findings = [
        QuietFinding(
            *sends.steps[i], sends.channels[channel_of[i]], *(counted(c[i]) for c in columns)
        )
        for i in range(size)
        if columns[1][i]
    ]
    findings.sort(key=lambda f: -f.quiet)
    local_day = sends.day + np.where(sends.hour < 0, shift[index], 0)
    holiday_sends = local_day[(reasons & HOLIDAY) > 0]
    on_day = np.bincount(np.clip(holiday_sends + 2, 0, len(dates) - 1), minlength=len(dates))
    listed = tuple(
        (d, name, counted(on_day[(d - first).days]))
        for d, name in holidays.items()
        if day0 <= d < day0 + timedelta(days=days)
    )
    return QuietReport(
        tuple(findings), counted(sends.size), counted(columns[1].sum()), listed, rules
    )


def _local_planned(day0: date, days: int, rules: QuietRules) -> tuple[np.ndarray, np.ndarray]:
    """For a send planned on each day from day0 - 1 to the horizon's end + 1: the local day
    (as a shift from the planned day) and hour where the subscribers are."""
    local, send_zone = zone_info(rules.timezone), zone_info(rules.send_zone)
    shift = np.zeros(days + 2, np.int64)
    hour = np.zeros(days + 2)
    for d in range(-1, days + 1):
        when = datetime.combine(day0 + timedelta(days=d), time(rules.send_hour), send_zone)
        there = when.astimezone(local)
        shift[d + 1] = (there.date() - when.date()).days
        hour[d + 1] = there.hour + there.minute / 60
    return shift, hour


def _night(hour: np.ndarray, rules: QuietRules) -> np.ndarray:
    if rules.night_start == rules.night_end:
        return np.zeros(len(hour), dtype=bool)
    if rules.night_start > rules.night_end:  # 22:00 to 8:00 runs over midnight
        return (hour >= rules.night_start) | (hour < rules.night_end)
    return (hour >= rules.night_start) & (hour < rules.night_end)

"""Pressure and quiet hours: four emails in five days to one segment break the default cap
(3 in 7 days) for exactly that segment's subscribers; rolling windows, caps by channel or kind;
sends at night, on Sundays and French public holidays, where the subscribers are."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from journeys.programs.dryrun import dry_run
from journeys.programs.dryrun_model import Assumptions, Sends
from journeys.programs.dryrun_text import cap_text
from journeys.programs.holidays import easter, french_holidays
from journeys.programs.pressure import (
    Caps,
    QuietRules,
    channel_kind,
    pressure,
    quiet_hours,
)
from tests.fixtures.dryrun_samples import MONDAY, population, program, start, step


def emails(days: list[int], channel: str = "email", **entry: list[str]):
    steps = [step("start", "trigger", timing=start(), **({"entry": entry} if entry else {}))]
    steps += [
        step(f"email-{k}", "message", channel=channel, timing=start(day), label=f"Email {k}")
        for k, day in enumerate(days)
    ]
    ids = [s["id"] for s in steps]
    return program(steps, list(zip(ids, ids[1:], strict=False)))


def run_pressure(prog, pop, caps: Caps | None = None):
    run = dry_run([prog], pop, Assumptions())
    return run, pressure(run.sends, day0=run.day0, days=run.days, caps=caps or Caps())


def test_four_emails_in_five_days_to_one_segment_break_the_default_cap_for_that_segment():
    offers = ["Numérique"] * 137 + ["Papier"] * 863
    prog = emails([0, 1, 3, 4], offer=["Numérique"])
    pop = population(1000, starts=2, segments={"Offre": offers})

    run, report = run_pressure(prog, pop)

    (email,) = [f for f in report.findings if f.channel == "email"]
    assert (email.cap, email.sends, email.subscribers) == (3, 4 * 137, 137)
    assert (email.broken, email.over, email.over_days, email.days, email.peak) == (
        True,
        137,
        137,
        1,
        4,
    )
    assert email.steps == (("sample", "email-3", 137),)  # the fourth email breaks it
    assert report.calendar["email"][2 + 4] == 137
    assert report.calendar["email"].sum() == 137
    assert report.over_any == 137
    text = cap_text(email, report, [prog], None, "en")
    assert text.startswith("Email: 137 subscribers get more than 3 in 7 days")
    assert "“Email 3”" in text


def test_three_emails_a_week_and_four_over_eight_days_keep_within_the_cap():
    _, within = run_pressure(emails([0, 2, 6]), population(50))
    _, spread = run_pressure(emails([0, 2, 6, 7]), population(50))

    assert not within.findings[0].broken
    assert within.findings[0].peak == 3
    assert not spread.findings[0].broken  # days 0, 2, 6 then 7: never four in 7 days
    assert spread.broken == ()


def test_caps_apply_by_kind_of_channel_and_can_be_set_per_channel():
    assert [
        channel_kind(c)
        for c in (
            "courriel",
            "e-mail",
            "sms",
            "telephone",
            "appli-mobile",
            "courrier",
            "espace-client",
        )
    ] == [
        "email",
        "email",
        "sms",
        "phone",
        "push",
        "mail",
        None,
    ]
    _, french = run_pressure(emails([0, 1, 2, 3], channel="courriel"), population(10))
    assert (french.findings[0].channel, french.findings[0].over) == ("email", 10)
    _, raised = run_pressure(
        emails([0, 1, 2, 3], channel="courriel"), population(10), Caps({"courriel": 4})
    )
    assert (raised.findings[0].channel, raised.findings[0].broken) == ("courriel", False)
    with pytest.raises(ValueError):
        Caps({"email": -1})


def test_french_public_holidays_include_the_movable_ones():
    assert easter(2024) == date(2024, 3, 31)
    assert easter(2025) == date(2025, 4, 20)
    assert easter(2026) == date(2026, 4, 5)
    days = french_holidays(2025)
    assert days[date(2025, 4, 21)] == "easter_monday"
    assert days[date(2025, 5, 29)] == "ascension"
    assert days[date(2025, 6, 9)] == "whit_monday"
    assert days[date(2025, 7, 14)] == "national_day"
    assert len(days) == 11
    assert len(french_holidays(2025, "FR-ALSACE-MOSELLE")) == 13
    assert french_holidays(2025, "NONE") == {}


def sends(days: list[int], hours: list[float]) -> Sends:
    n = len(days)
    return Sends(
        subscriber=np.arange(n),
        day=np.array(days),
        hour=np.array(hours, dtype=float),
        channel=np.zeros(n, np.int64),
        step=np.zeros(n, np.int64),
        channels=("sms",),
        steps=(("p", "s"),),
    )


def test_quiet_hours_count_nights_sundays_and_public_holidays():
    # from Monday 5 January 2026: day 6 is a Sunday; day 91 is Easter Monday (6 April 2026)
    planned = sends([0, 6, 91, 1, 1, 1], [-1, -1, -1, 23.5, 7.9, 12])
    report = quiet_hours(planned, day0=MONDAY, days=365, rules=QuietRules())

    (finding,) = report.findings
    assert (finding.sends, finding.quiet) == (6, 4)
    assert (finding.night, finding.sunday, finding.holiday) == (2, 1, 1)
    assert [(d, name, n) for d, name, n in report.holidays if n] == [
        (date(2026, 4, 6), "easter_monday", 1)
    ]
    no_sundays = quiet_hours(planned, day0=MONDAY, days=365, rules=QuietRules(sundays=False))
    assert no_sundays.quiet == 3


def test_quiet_hours_are_those_of_the_subscribers_time_zone():
    at_ten = sends([1, 2], [-1, -1])  # planned at 10:00 in Paris
    reunion = QuietRules(timezone="Indian/Reunion", send_hour=20)  # 23:00 there in January
    guadeloupe = QuietRules(timezone="America/Guadeloupe")  # 5:00 there

    assert quiet_hours(at_ten, day0=MONDAY, days=30, rules=QuietRules()).quiet == 0
    assert quiet_hours(at_ten, day0=MONDAY, days=30, rules=reunion).quiet == 2
    assert quiet_hours(at_ten, day0=MONDAY, days=30, rules=guadeloupe).quiet == 2
    with pytest.raises(ValueError, match="unknown time zone"):
        QuietRules(timezone="Mars/Olympus")


def test_a_welcome_sms_sent_at_the_moment_of_subscribing_can_land_at_night():
    welcome = emails([0], channel="sms")
    run = dry_run([welcome], population(2000, starts=1), Assumptions(moment_hours=(0, 24)))
    report = quiet_hours(run.sends, day0=run.day0, days=run.days, rules=QuietRules())

    night = report.findings[0].night
    assert 2000 * 10 / 24 * 0.8 < night < 2000 * 10 / 24 * 1.2  # 10 quiet hours of 24


def test_the_pressure_calendar_counts_whole_subscribers_and_shows_each_day_of_a_year():
    from journeys.programs.charts import pressure_calendar_figure

    _, report = run_pressure(emails([1, 2, 3, 4]), population(1))  # one subscriber, over once
    heat = pressure_calendar_figure(report, {}, "fr").data[0]

    assert (heat.zmax, heat.colorbar.dtick) == (1, 1)  # no "0,5 subscriber" on the bar
    assert heat.xgap == 0 and report.days > 120

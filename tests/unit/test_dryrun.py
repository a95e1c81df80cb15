"""The dry run counts what a hand would: a program of a trigger, a 30-day wait, a 40/60
decision, two messages and two exits over 1,000 subscribers gives exactly 1,000, 400 and 600;
a decision with no share splits evenly and says so; A/B splits; data shares; subscriptions
that end, subscribers already on their way, term ends and events, goals and entry criteria."""

from __future__ import annotations

from datetime import date

import numpy as np

from journeys.programs.diagrams import detailed_dot
from journeys.programs.dryrun import dry_run, horizon_days
from journeys.programs.dryrun_model import NEVER, Assumptions, Evidence, add_months
from journeys.programs.dryrun_output import csv_text, step_rows, weekly
from journeys.programs.dryrun_population import of_count
from journeys.programs.dryrun_shares import quotas
from journeys.programs.dryrun_text import program_statements
from tests.fixtures.dryrun_samples import MONDAY, hand_program, population, program, start, step


def volumes(run, sid):
    v = run.runs[0].steps[sid]
    return (v.entered, v.reached, v.left, v.waiting)


def test_hand_computable_program_gives_exactly_the_expected_volumes():
    shares = Assumptions(shares={"decision": (0.4,)})
    run = dry_run([hand_program()], of_count(1000, shares, day0=MONDAY), shares)

    assert volumes(run, "trigger") == (1000, 1000, 0, 0)
    assert volumes(run, "wait-30") == (1000, 1000, 0, 0)
    assert volumes(run, "decision") == (1000, 1000, 0, 0)
    assert volumes(run, "email") == (400, 400, 0, 0)
    assert volumes(run, "sms") == (600, 600, 0, 0)
    assert volumes(run, "exit-a") == (400, 400, 400, 0)
    assert volumes(run, "exit-b") == (600, 600, 600, 0)
    assert run.runs[0].links == {
        ("trigger", "wait-30"): 1000,
        ("wait-30", "decision"): 1000,
        ("decision", "email"): 400,
        ("decision", "sms"): 600,
        ("email", "exit-a"): 400,
        ("sms", "exit-b"): 600,
    }
    # every send on day 31 (start + 31), in the fifth week of a horizon starting a Monday
    assert set(run.sends.day.tolist()) == {31}
    week = weekly(run)
    assert week.weeks[0] == MONDAY
    totals = dict(zip(week.channels, week.counts.sum(axis=1).tolist(), strict=True))
    assert totals == {"email": 400, "sms": 600}
    assert week.counts[:, 4].sum() == 1000


def test_the_csv_has_one_row_per_step_starting_with_step_entered_reached_left():
    shares = Assumptions(shares={"decision": (0.4, 0.6)})
    run = dry_run([hand_program()], of_count(1000, shares, day0=MONDAY), shares)

    lines = csv_text(step_rows(run, [hand_program()])).splitlines()

    assert lines[0].startswith("step,entered,reached,left,")
    assert lines[4].startswith("email,400,400,0,")
    assert len(lines) == 1 + 7


def test_a_decision_with_no_share_splits_evenly_and_says_so():
    plain = Assumptions()
    run = dry_run([hand_program()], of_count(1001, plain, day0=MONDAY), plain)

    branching = run.runs[0].branchings[0]
    assert (branching.source, branching.shares) == ("even", (0.5, 0.5))
    assert sorted([volumes(run, "email")[1], volumes(run, "sms")[1]]) == [500, 501]
    said = program_statements(hand_program(), run.runs[0], run, "en")
    assert "“Decision”: yes 50%, no 50% — no share given: split evenly." in said
    said_fr = program_statements(hand_program(), run.runs[0], run, "fr")
    expected = "« Decision » : yes 50\u00a0%, no 50\u00a0% — aucune part indiquée : partage égal."
    assert expected in said_fr


def test_an_ab_split_without_shares_is_even_and_one_with_percentages_follows_them():
    plain = Assumptions()
    ab = dry_run([hand_program("A", "B")], of_count(1000, plain, day0=MONDAY), plain)
    assert ab.runs[0].branchings[0].source == "ab"
    assert (volumes(ab, "email")[1], volumes(ab, "sms")[1]) == (500, 500)

    shared = hand_program("Groupe A · 90 %", "Groupe B (témoin) · 10 %")
    run = dry_run([shared], of_count(1000, plain, day0=MONDAY), plain)
    assert run.runs[0].branchings[0].source == "labels"
    assert (volumes(run, "email")[1], volumes(run, "sms")[1]) == (900, 100)


def test_a_decision_naming_an_observed_outcome_takes_its_share_from_the_base():
    renewal = hand_program("Renewed", "Not renewed")
    pop = population(1000, evidence=Evidence("presse", renewal_rate=0.7))
    run = dry_run([renewal], pop, Assumptions())

    assert run.runs[0].branchings[0].source == "renewal"
    assert (volumes(run, "email")[1], volumes(run, "sms")[1]) == (700, 300)


def test_quotas_are_whole_and_add_up():
    assert quotas((0.4, 0.6), 1000).tolist() == [400, 600]
    assert quotas((1 / 3, 1 / 3, 1 / 3), 100).tolist() == [34, 33, 33]
    assert quotas((0.5, 0.5), 0).tolist() == [0, 0]


def test_subscriptions_ending_before_a_step_anchored_on_the_start_leave_there():
    ends = np.array([10] * 300 + [NEVER] * 700)
    run = dry_run([hand_program()], population(1000, ends=ends), Assumptions())

    wait = run.runs[0].steps["wait-30"]
    assert (wait.entered, wait.reached, wait.ended, wait.left) == (1000, 700, 300, 300)
    assert volumes(run, "decision")[1] == 700


def test_subscribers_already_on_their_way_are_carried_into_the_horizon():
    run = dry_run([hand_program()], population(1000, starts=-20), Assumptions())

    wait = run.runs[0].steps["wait-30"]
    assert (wait.entered, wait.carried, wait.reached) == (1000, 1000, 1000)
    assert volumes(run, "trigger") == (0, 0, 0, 0)  # it happened before the horizon
    assert set(run.sends.day.tolist()) == {11}


def test_a_step_beyond_the_horizon_is_still_waiting_at_its_end():
    short = Assumptions(months=1)
    run = dry_run([hand_program()], population(1000, starts=10), short)

    assert volumes(run, "wait-30") == (1000, 0, 0, 1000)
    assert volumes(run, "decision") == (0, 0, 0, 0)
    assert horizon_days(MONDAY, 1) == 31


def test_term_end_steps_wait_for_each_term_and_never_for_an_open_ended_subscription():
    reminder = program(
        [
            step("start", "trigger", timing=start()),
            step(
                "d30", "message", channel="email", timing={"anchor": "term_end", "offset_days": -30}
            ),
            step("out", "exit"),
        ],
        [("start", "d30"), ("d30", "out")],
    )
    fixed = dry_run([reminder], population(100, starts=-200, term_days=365), Assumptions())
    assert volumes(fixed, "d30")[1] == 100
    assert set(fixed.sends.day.tolist()) == {365 - 200 - 30}

    open_ended = dry_run([reminder], population(100, starts=10, term_days=0), Assumptions())
    assert volumes(open_ended, "d30") == (100, 0, 0, 100)
    assert [n.code for n in open_ended.runs[0].notes] == ["no_term_end"]


def test_with_cycles_each_term_start_enters_the_program_again():
    welcome = program(
        [
            step("start", "trigger", timing=start()),
            step("survey", "message", channel="email", timing=start(60)),
            step("out", "exit"),
        ],
        [("start", "survey"), ("survey", "out")],
    )
    pop = population(50, starts=-400, term_days=365)  # second term began 35 days ago
    once = dry_run([welcome], pop, Assumptions(cycle_each_term=False))
    again = dry_run([welcome], pop, Assumptions(cycle_each_term=True))

    assert volumes(once, "survey")[1] == 0
    assert volumes(again, "survey")[1] == 50
    assert set(again.sends.day.tolist()) == {-400 + 365 + 60}


def test_event_triggers_follow_the_rate_and_say_where_it_comes_from():
    reaction = program(
        [
            step("visit", "trigger", timing={"anchor": "event", "event": "terms-visit"}),
            step(
                "email",
                "message",
                channel="email",
                timing={"anchor": "event", "event": "terms-visit", "offset_days": 1},
            ),
            step("out", "exit"),
        ],
        [("visit", "email"), ("email", "out")],
    )
    rates = Assumptions(event_rates={"terms-visit": 2.0})
    run = dry_run([reaction], population(5000), rates)

    entries = volumes(run, "visit")[1]
    assert 9000 < entries < 11000  # 5,000 subscribers × 2 a year, over one year
    assert run.runs[0].events[0].source == "set"
    assert volumes(run, "email")[1] <= entries
    assumed = dry_run([reaction], population(5000), Assumptions())
    assert assumed.runs[0].events[0].source == "assumed"
    based = Evidence("presse", event_rates={"terms-visit": 0.5})
    from_base = dry_run([reaction], population(5000, evidence=based), Assumptions())
    assert from_base.runs[0].events[0].source == "base"


def test_a_goal_reached_by_its_event_takes_subscribers_out_early():
    with_goal = program(
        [
            step("trigger", "trigger", timing=start()),
            step("wait-30", "wait", timing=start(30)),
            step("email", "message", channel="email"),
            step("paid", "goal", timing={"anchor": "event", "event": "paid"}),
            step("out", "exit"),
        ],
        [("trigger", "wait-30"), ("wait-30", "email"), ("email", "out")],
    )
    run = dry_run([with_goal], population(1000), Assumptions(event_rates={"paid": 365.0}))

    wait = run.runs[0].steps["wait-30"]
    paid = run.runs[0].steps["paid"]
    assert wait.goal > 900  # a payment a day on average: nearly all pay before 30 days
    assert paid.reached == wait.goal + run.runs[0].steps["trigger"].goal
    assert wait.entered == wait.reached + wait.goal
    assert run.runs[0].links[("wait-30", "paid")] == wait.goal


def test_entry_criteria_let_in_only_the_matching_segment():
    entry = program(
        [
            step("start", "trigger", timing=start(), entry={"offer": ["Numérique"]}),
            step("email", "message", channel="email", timing=start(1)),
        ],
        [("start", "email")],
    )
    offers = ["Numérique"] * 30 + ["Papier"] * 70
    run = dry_run([entry], population(100, segments={"Offre": offers}), Assumptions())
    assert volumes(run, "email")[1] == 30

    unknown = dry_run([entry], population(100), Assumptions())
    assert volumes(unknown, "email")[1] == 100
    assert unknown.runs[0].notes[0].code == "entry_unchecked"


def test_link_volumes_are_drawn_on_the_detailed_diagram():
    shares = Assumptions(shares={"decision": (0.4,)})
    pop = of_count(1234, shares, day0=MONDAY)
    run = dry_run([hand_program()], pop, shares)

    dot = detailed_dot(hand_program(), volumes=run.runs[0].links)

    assert 'label="yes\\n494"' in dot
    assert 'label="1\u00a0234"' in dot  # trigger -> wait, 1 234
    assert '-> s1 [label="1\u00a0234", penwidth="6.0"' in dot  # the widest link
    assert "-> s1 ;" in detailed_dot(hand_program())  # no volumes: no label, usual width


def test_add_months_keeps_the_day_or_falls_back_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 3, 1), -12) == date(2025, 3, 1)


def test_a_prospect_brought_by_an_event_starts_the_subscription_where_the_start_steps_begin():
    prospect = program(
        [
            step("abandoned", "trigger", timing={"anchor": "event", "event": "cart"}),
            step("access", "message", channel="email", timing=start()),
            step("tips", "message", channel="email", timing=start(7)),
        ],
        [("abandoned", "access"), ("access", "tips")],
    )
    old = population(2000, starts=-400)  # subscribed long ago as far as the base knows
    run = dry_run([prospect], old, Assumptions(event_rates={"cart": 1.0}))

    sends = run.sends
    access, tips = (
        set(zip(sends.subscriber[sends.step == code].tolist(),
                sends.day[sends.step == code].tolist(), strict=True))
        for code in (0, 1)
    )  # fmt: skip
    assert len(tips) > 1000
    # each tip 7 days after its access email (or after one sent before the horizon)
    assert all(day < 7 or (sub, day - 7) in access for sub, day in tips)
    assert [n.code for n in run.runs[0].notes] == ["start_at_arrival"]


def test_a_share_written_on_a_link_is_said_once():
    shared = hand_program("Oui · 40 %", "Non · 60 %")
    run = dry_run([shared], of_count(1000, Assumptions(), day0=MONDAY), Assumptions())

    said = program_statements(shared, run.runs[0], run, "fr")
    assert "« Decision » : Oui 40\u00a0%, Non 60\u00a0% — parts écrites sur les liens." in said

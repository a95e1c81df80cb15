"""French rules a subscription program must follow, checked at design time, before any send.

Three rules, each answered for one program (and its journey, when linked):
- renewal_reminder: Chatel law, Code de la consommation L215-1 — a fixed-term contract that
  renews tacitly gets a written reminder between three months and one month before the term;
- online_cancellation: "résiliation en trois clics", L215-1-1 (since 1 June 2023) — the
  cancellation can be done online in few steps and is confirmed in writing;
- sepa_prenotification: SEPA Core rulebook — each debit is pre-notified 14 calendar days
  before, unless another delay was agreed (the program's `subscription.prenotification_days`).

A program says what the rules need with optional contract fields: `subscription` (term,
tacit renewal, agreed pre-notification delay) and a step's `purpose` (renewal_reminder,
pre_notification, sepa_debit, cancellation, cancellation_confirmation). A rule that does not
apply says why. Wording lives in the catalogues (compliance_text).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from journeys.contract.model import (
    Anchor,
    Journey,
    JourneyState,
    JourneyType,
    Program,
    Purpose,
    Step,
    StepKind,
    TouchpointStatus,
)
from journeys.headers import normalize
from journeys.programs.checks import program_graph

RULES = ("renewal_reminder", "online_cancellation", "sepa_prenotification")
PASSED, FAILED, UNVERIFIED, NOT_APPLICABLE = "passed", "failed", "unverified", "not_applicable"
STATUSES = (FAILED, UNVERIFIED, PASSED, NOT_APPLICABLE)  # worst first

# Three months is never less than 89 days (Mar+Apr+May to a 28 May term), one month never more
# than 31: a day count inside [89, 31] before the term is in the window whatever the month.
EARLIEST_DAYS, LATEST_DAYS = 89, 31
SEPA_NOTICE_DAYS = 14
MAX_ONLINE_STEPS = 3  # the button, the form, the confirmation: "three clicks"

# Channels told apart by the words of their id and label (accents and case folded).
_ONLINE = (
    "web site website internet online ligne espace area account compte app appli application"
    " portail portal extranet selfcare"
)
_OFFLINE = (
    "telephone phone appel call courrier mail lettre letter postal poste boutique shop magasin"
    " store agence branch guichet counter"
)
ONLINE_WORDS, OFFLINE_WORDS = frozenset(_ONLINE.split()), frozenset(_OFFLINE.split())


@dataclass(frozen=True)
class RuleFinding:
    """One answer of a rule: a stable `code` the catalogues word, a status, plain English,
    the steps concerned and the values the wording needs."""

    code: str
    status: str
    message: str
    steps: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class RuleCheck:
    """A rule's verdict on a program: the worst status of its findings, and the findings."""

    rule: str
    status: str
    findings: tuple[RuleFinding, ...]


def applies_by_default(program: Program, journey: Journey | None = None) -> bool:
    """True for a French program or journey: the checks are on by default there."""
    return "fr" in (program.language, journey.language if journey else None)


def check_compliance(program: Program, journey: Journey | None = None) -> list[RuleCheck]:
    """Return the verdict of each rule in RULES order, for `program` and its `journey`."""
    linked = journey if journey is not None and program.journey in (None, journey.id) else None
    graph = program_graph(program)
    found = {
        "renewal_reminder": _renewal_reminder(program, linked),
        "online_cancellation": _online_cancellation(program, linked, graph),
        "sepa_prenotification": _sepa_prenotification(program, graph),
    }
    return [_verdict(rule, found[rule]) for rule in RULES]


def failed(checks: Iterable[RuleCheck]) -> list[RuleCheck]:
    return [c for c in checks if c.status == FAILED]


def _verdict(rule: str, findings: list[RuleFinding]) -> RuleCheck:
    status = min((f.status for f in findings), key=STATUSES.index)
    return RuleCheck(rule, status, tuple(findings))


def _finding(code: str, status: str, message: str, *steps: Step, **params: Any) -> RuleFinding:
    if steps:
        params = {"label": steps[0].label, **params}
    return RuleFinding(
        code, status, message.format(**params), tuple(s.id for s in steps), {**params}
    )


def _with(program: Program, purpose: Purpose) -> list[Step]:
    return [s for s in program.steps if s.purpose is purpose]


# --- L215-1: the reminder before a tacit renewal ----------------------------------------------


def _renewal_reminder(program: Program, journey: Journey | None) -> list[RuleFinding]:
    terms = program.subscription
    if terms is None:
        if journey is not None and journey.journey_type is JourneyType.SEPA_OPEN_ENDED:
            return [_finding("open_ended", NOT_APPLICABLE, "The contract is open-ended.")]
        if journey is not None and journey.journey_type is JourneyType.FIXED_TERM_RENEWAL:
            text = "Fixed-term journey: does the contract renew tacitly? (subscription)"
            return [_finding("tacit_unknown", UNVERIFIED, text)]
        return [_finding("terms_unknown", NOT_APPLICABLE, "The contract is not declared.")]
    if terms.term_months is None:
        return [_finding("open_ended", NOT_APPLICABLE, "The contract is open-ended.")]
    if not terms.tacit_renewal:
        return [_finding("no_tacit_renewal", NOT_APPLICABLE, "Fixed-term, no tacit renewal.")]
    reminders = _with(program, Purpose.RENEWAL_REMINDER)
    if not reminders:
        return [_finding("no_reminder", FAILED, "No step is the renewal reminder.")]
    return [_reminder(step) for step in reminders]


def _reminder(step: Step) -> RuleFinding:
    window = {"earliest": EARLIEST_DAYS, "latest": LATEST_DAYS}
    if step.kind is not StepKind.MESSAGE:
        return _finding("reminder_not_message", FAILED, "'{label}' is not a message.", step)
    timing = step.timing
    if timing is None or timing.anchor is not Anchor.TERM_END:
        text = "'{label}' is not counted from the term end."
        return _finding("reminder_not_dated", FAILED, text, step)
    days = -timing.offset_days
    if days <= 0:
        text = "'{label}' is sent after the term."
        return _finding("reminder_after_term", FAILED, text, step, days=-days, **window)
    if days < LATEST_DAYS:
        text = "'{label}' is sent {days} days before the term: later than one month."
        return _finding("reminder_too_late", FAILED, text, step, days=days, **window)
    if days > EARLIEST_DAYS:
        text = "'{label}' is sent {days} days before the term: earlier than three months."
        return _finding("reminder_too_early", FAILED, text, step, days=days, **window)
    text = "'{label}' is sent {days} days before the term, in the window."
    return _finding("reminder_in_window", PASSED, text, step, days=days, **window)


# --- L215-1-1: cancellation online, in few steps ----------------------------------------------


def channel_words(*texts: str | None) -> set[str]:
    return {word for text in texts if text for word in normalize(text).split()}


def is_online(words: set[str]) -> bool:
    return bool(words & ONLINE_WORDS) and not words & OFFLINE_WORDS


def is_offline(words: set[str]) -> bool:
    return bool(words & OFFLINE_WORDS)


def _online_cancellation(
    program: Program, journey: Journey | None, graph: nx.DiGraph
) -> list[RuleFinding]:
    requests = _with(program, Purpose.CANCELLATION)
    if not requests:
        return [_finding("no_cancellation", NOT_APPLICABLE, "No cancellation step.")]
    channels = {c.id: c.label for c in journey.channels} if journey else {}
    found = [_confirmation(program, graph, step, channels) for step in requests]
    if journey is None:
        text = "No linked journey: the cancellation touchpoints are not checked."
        return [*found, _finding("no_journey", UNVERIFIED, text)]
    return found + _cancellation_touchpoints(program, journey, requests)


def _confirmation(
    program: Program, graph: nx.DiGraph, request: Step, channels: dict[str, str]
) -> RuleFinding:
    """The request must lead to a written confirmation without a call, a letter or a visit."""
    steps = {s.id: s for s in program.steps}
    confirmations = {s.id for s in _with(program, Purpose.CANCELLATION_CONFIRMATION)}
    ahead = nx.descendants(graph, request.id) & confirmations
    if not ahead:
        return _finding("no_confirmation", FAILED, "'{label}' is never confirmed.", request)

    def offline(step_id: str) -> bool:
        cid = steps[step_id].channel
        if step_id == request.id or cid is None:
            return False
        return is_offline(channel_words(cid, channels.get(cid)))

    online = graph.subgraph(n for n in graph if not offline(n))
    reached = nx.descendants(online, request.id) & ahead if request.id in online else set()
    if not reached:
        detours = sorted(
            {channels.get(c, c) for n in nx.descendants(graph, request.id) if offline(n)
             for c in [steps[n].channel] if c}
        )  # fmt: skip
        text = "'{label}' is confirmed only through {channels}."
        return _finding("offline_detour", FAILED, text, request, channels=", ".join(detours))
    first = min(reached, key=lambda n: nx.shortest_path_length(online, request.id, n))
    text = "'{label}' is confirmed by '{confirmation}'."
    return _finding("confirmed", PASSED, text, request, confirmation=steps[first].label)


def _cancellation_touchpoints(
    program: Program, journey: Journey, requests: Sequence[Step]
) -> list[RuleFinding]:
    """The journey's touchpoints at the moments the cancellation phases serve."""
    phases = {p.id: p for p in program.phases}
    moments = {m.id: m.label for m in journey.moments}
    served = [phases[s.phase] for s in requests if s.phase in phases]
    wanted = list(dict.fromkeys(p.moment for p in served if p.moment in moments))
    if not wanted:
        labels = list(dict.fromkeys(p.label for p in served))
        text = "Phase {phase} serves no moment of the journey."
        return [_finding("no_moment", UNVERIFIED, text, phase=", ".join(labels), phases=labels)]
    return [_moment_touchpoints(journey, moment, moments[moment]) for moment in wanted]


def _moment_touchpoints(journey: Journey, moment: str, moment_label: str) -> RuleFinding:
    channels = {c.id: c.label for c in journey.channels}
    here = [tp for tp in journey.touchpoints if tp.moment == moment]
    online = [tp for tp in here if is_online(channel_words(tp.channel, channels.get(tp.channel)))]
    if not online:
        used = ", ".join(dict.fromkeys(channels.get(tp.channel, tp.channel) for tp in here))
        text = "At {moment}, cancellation only through {channels}."
        return _finding(
            "no_online_touchpoint", FAILED, text, moment=moment_label, channels=used or "—"
        )
    usable = {TouchpointStatus.EXISTING, TouchpointStatus.POORLY_HANDLED}
    if journey.state is JourneyState.TARGET:
        usable.add(TouchpointStatus.PLANNED)
    in_service = [tp for tp in online if tp.status in usable]
    shown = [tp.label for tp in in_service]
    quoted = ", ".join(f"'{x}'" for x in shown)
    if not in_service:
        names = ", ".join(f"'{tp.label}' ({tp.status.value})" for tp in online)
        text = "At {moment}, online cancellation is not in service: {touchpoints}."
        return _finding(
            "online_not_in_service", FAILED, text, moment=moment_label, touchpoints=names,
            statuses=[tp.status.value for tp in online], labels=[tp.label for tp in online],
        )  # fmt: skip
    path = _longest_online_path(journey, {tp.id for tp in online})
    labels = [next(tp.label for tp in online if tp.id == n) for n in path]
    if len(path) > MAX_ONLINE_STEPS:
        text = "At {moment}, cancelling online takes {count} steps."
        return _finding(
            "too_many_steps", FAILED, text, moment=moment_label, count=len(path), labels=labels
        )
    if all(tp.status is TouchpointStatus.POORLY_HANDLED for tp in in_service):
        text = "At {moment}, online cancellation {touchpoints} is marked poorly handled."
        return _finding(
            "online_poorly_handled", UNVERIFIED, text, moment=moment_label, touchpoints=quoted,
            labels=shown,
        )  # fmt: skip
    text = "At {moment}, online cancellation is in service: {touchpoints}."
    return _finding(
        "online_in_service", PASSED, text, moment=moment_label, touchpoints=quoted, labels=shown
    )


def _longest_online_path(journey: Journey, online: set[str]) -> list[str]:
    """The longest chain of the moment's online touchpoints joined by flows (one if none)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(online))
    graph.add_edges_from(
        (f.from_, f.to) for f in journey.flows if f.from_ in online and f.to in online
    )
    if not nx.is_directed_acyclic_graph(graph):
        return sorted(online)[:1]
    return list(nx.dag_longest_path(graph)) or sorted(online)[:1]


# --- SEPA: pre-notification before each debit -------------------------------------------------


def _sepa_prenotification(program: Program, graph: nx.DiGraph) -> list[RuleFinding]:
    debits = _with(program, Purpose.SEPA_DEBIT)
    if not debits:
        return [_finding("no_debit", NOT_APPLICABLE, "No step presents a SEPA debit.")]
    terms = program.subscription
    agreed = terms is not None and terms.prenotification_days is not None
    required = terms.prenotification_days if terms and agreed else SEPA_NOTICE_DAYS
    notices = {s.id: s for s in _with(program, Purpose.PRE_NOTIFICATION)}
    return [_debit(step, graph, notices, required or 0, agreed) for step in debits]


def _debit(
    debit: Step, graph: nx.DiGraph, notices: dict[str, Step], required: int, agreed: bool
) -> RuleFinding:
    basis = {"required": required, "agreed": agreed}
    timing = debit.timing
    if timing is None:
        return _finding("debit_not_dated", FAILED, "'{label}' has no timing.", debit, **basis)
    before = [notices[n] for n in sorted(nx.ancestors(graph, debit.id)) if n in notices]
    if not before:
        text = "No pre-notification comes before '{label}'."
        return _finding("no_prenotification", FAILED, text, debit, **basis)
    leads = [
        (timing.offset_days - n.timing.offset_days, n)
        for n in before
        if n.timing is not None
        and (n.timing.anchor, n.timing.event) == (timing.anchor, timing.event)
    ]
    if not leads:
        text = "'{notice}' before '{label}' is counted from another reference."
        return _finding("not_comparable", UNVERIFIED, text, debit, notice=before[0].label, **basis)
    lead, best = max(leads, key=lambda pair: pair[0])
    if lead < required:
        text = "'{label}' is pre-notified {lead} days before; {required} required."
        return _finding("too_late", FAILED, text, debit, lead=lead, notice=best.label, **basis)
    text = "'{label}' is pre-notified {lead} days before (at least {required})."
    return _finding("prenotified", PASSED, text, debit, lead=lead, notice=best.label, **basis)

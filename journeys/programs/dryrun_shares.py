"""How each decision of a dry run splits its subscribers, and why: shares set by the user,
percentages written on the links, an A/B split, the base's data (renewal rate, reject
codes), or an even split that the output states. Likewise how often each event happens."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np

from journeys.contract.model import Link, Program, Step
from journeys.programs.dryrun_model import Assumptions, Branching, EventRate, Evidence

_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%")
_AB = re.compile(r"^(?:(?:groupe?|group|variante?|version|test|cellule|cell|lot)\s+)?[a-d]$")
# an event named so is a failed payment (echec-prelevement, payment-failed, debit-rejected)
FAILURE_WORDS = ("echec", "rejet", "reject", "fail", "impaye", "unpaid", "refus", "declined")
_CODE = re.compile(r"\b([A-Z]{2}\d{2})\b")
_RENEWED = ("renouvel", "reabonn", "renew", "prolong")
_NOT = ("non", "not", "pas", "no", "sans", "without", "never", "jamais")


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in plain if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _folded(text))


def given_shares(values: Sequence[float], branches: int) -> tuple[float, ...]:
    """Shares for `branches` links from what the user typed: one per link (normalised when
    they do not add up to 1), or one for the first link and the rest split evenly."""
    if len(values) == 1 and branches > 1:
        rest = (1.0 - values[0]) / (branches - 1)
        return (float(values[0]), *([rest] * (branches - 1)))
    if len(values) != branches:
        raise ValueError(f"{len(values)} shares given for {branches} branches")
    total = float(sum(values))
    if total <= 0:
        return tuple([1.0 / branches] * branches)
    return tuple(float(v) / total for v in values)


def branching(
    program: Program,
    step: Step,
    links: Sequence[Link],
    assumptions: Assumptions,
    evidence: Evidence | None,
) -> Branching:
    """The split of `step` over its `links` (two or more), with its source."""
    targets = tuple(link.to for link in links)
    labels = tuple(link.label for link in links)
    count = len(links)
    given = assumptions.shares.get(f"{program.id}/{step.id}", assumptions.shares.get(step.id))
    if given:
        return Branching(step.id, targets, given_shares(given, count), "set", labels)
    percents = [_PERCENT.search(label) for label in labels]
    if all(percents):
        values = [float(m.group(1).replace(",", ".")) for m in percents if m]
        return Branching(step.id, targets, given_shares(values, count), "labels", labels)
    if all(_AB.match(" ".join(_words(label))) for label in labels):
        return Branching(step.id, targets, tuple([1.0 / count] * count), "ab", labels)
    if evidence is not None:
        found = _from_data(labels, evidence)
        if found is not None:
            return Branching(step.id, targets, found[0], found[1], labels)
    return Branching(step.id, targets, tuple([1.0 / count] * count), "even", labels)


def _from_data(labels: Sequence[str], evidence: Evidence) -> tuple[tuple[float, ...], str] | None:
    codes = [set(_CODE.findall(label)) for label in labels]
    if evidence.reject_codes and any(codes):
        named = set().union(*codes)
        other = sum(n for c, n in evidence.reject_codes.items() if c not in named)
        # the branches naming no code share the codes named on no branch
        bare = sum(1 for mine in codes if not mine)
        counts = [
            float(sum(evidence.reject_codes.get(c, 0) for c in mine)) if mine else other / bare
            for mine in codes
        ]
        total = sum(counts)
        if total > 0:
            return tuple(c / total for c in counts), "reject_codes"
    rate = evidence.renewal_rate
    if rate is not None and len(labels) == 2:
        said = [_renewal_word(label) for label in labels]
        if set(said) == {True, False}:
            first = rate if said[0] else 1.0 - rate
            return (first, 1.0 - first), "renewal"
    return None


def _renewal_word(label: str) -> bool | None:
    """True for "Renewed", False for "Not renewed", None when the label says neither."""
    words = _words(label)
    if not any(w.startswith(_RENEWED) for w in words):
        return None
    return not any(w in _NOT for w in words)


def quotas(shares: Sequence[float], items: int) -> np.ndarray:
    """Whole counts per branch adding up to `items`, by largest remainder: 40/60 of 1,000
    is exactly 400 and 600."""
    exact = np.asarray(shares, dtype=float) * items
    counts = np.floor(exact + 1e-9).astype(np.int64)
    short = items - int(counts.sum())
    if short > 0:
        order = np.argsort(-(exact - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


def split(shares: Sequence[float], items: int, rng: np.random.Generator) -> np.ndarray:
    """The branch of each of `items` subscribers: exact quotas, in a random order."""
    branch = np.repeat(np.arange(len(shares)), quotas(shares, items))
    return rng.permutation(branch) if items > 1 else branch


def decision_steps(program: Program) -> Mapping[str, list[Link]]:
    """Steps with two or more links out (decisions and splits), with their links in order."""
    outs: dict[str, list[Link]] = {}
    for link in program.links:
        outs.setdefault(link.from_, []).append(link)
    return {k: v for k, v in outs.items() if len(v) > 1}


def event_rate(name: str, assumptions: Assumptions, evidence: Evidence | None) -> EventRate:
    """Occurrences of an event per subscriber and year: as set, else the base's rate for an
    event of that name (or its failed payments for a payment failure), else assumed."""
    if name in assumptions.event_rates:
        return EventRate(name, float(assumptions.event_rates[name]), "set")
    if evidence is not None:
        if name in evidence.event_rates:
            label = evidence.event_labels.get(name, name)
            return EventRate(name, float(evidence.event_rates[name]), "base", label)
        failures = evidence.event_rates.get("__payments__")
        if failures is not None and any(w in name for w in FAILURE_WORDS):
            return EventRate(name, float(failures), "payments")
    return EventRate(name, float(assumptions.default_event_rate), "assumed")

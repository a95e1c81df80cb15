"""The compliance checks in words (French or English): each rule's title, reference and text,
each finding as a sentence naming the steps and touchpoints, and a plain-text report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from journeys.i18n import t
from journeys.programs.checks import ProgramIssue
from journeys.programs.compliance import STATUSES, RuleCheck, RuleFinding

_QUOTED = ("label", "confirmation", "notice", "moment")


def rule_title(rule: str, lang: str) -> str:
    return t(f"compliance.rule.{rule}.title", lang)


def rule_reference(rule: str, lang: str) -> str:
    return t(f"compliance.rule.{rule}.reference", lang)


def rule_text(rule: str, lang: str) -> str:
    """The rule as the law or the rulebook states it, in `lang`."""
    return t(f"compliance.rule.{rule}.text", lang)


def status_word(status: str, lang: str) -> str:
    return t(f"compliance.status.{status}", lang)


def quoted(text: object, lang: str) -> str:
    return t("compliance.quoted", lang, text=text)


def finding_text(finding: RuleFinding, lang: str) -> str:
    """The finding in `lang`, user text (labels) quoted; the English message if no wording."""
    params: dict[str, Any] = dict(finding.params)
    for name in _QUOTED:
        if name in params:
            params[name] = quoted(params[name], lang)
    labels = params.get("labels")
    if isinstance(labels, list):
        statuses = params.get("statuses") or [None] * len(labels)
        params["touchpoints"] = ", ".join(
            quoted(x, lang) + (f" ({t(f'status.{s}', lang).lower()})" if s else "")
            for x, s in zip(labels, statuses, strict=False)
        )
    if isinstance(params.get("phases"), list):
        params["phase"] = ", ".join(quoted(x, lang) for x in params["phases"])
    if "agreed" in params:
        params["basis"] = t(
            "compliance.agreed" if params["agreed"] else "compliance.default_notice", lang
        )
    key = f"compliance.finding.{finding.code}"
    text = t(key, lang, **params)
    return finding.message if text == key else text


def counts(checks: Sequence[RuleCheck]) -> dict[str, int]:
    return {status: sum(1 for c in checks if c.status == status) for status in STATUSES}


def report_lines(checks: Sequence[RuleCheck], lang: str) -> list[str]:
    """Plain-text lines: per rule its verdict, title and reference, its findings with step ids,
    and the rule's text under a rule that is not met."""
    out = []
    for check in checks:
        head = f"{status_word(check.status, lang).upper()} · {rule_title(check.rule, lang)}"
        out.append(f"{head} — {rule_reference(check.rule, lang)}")
        for finding in check.findings:
            where = f" [{', '.join(finding.steps)}]" if finding.steps else ""
            out.append(f"  - {finding_text(finding, lang)}{where}")
        if check.status == "failed":
            out.append(f"  {rule_text(check.rule, lang)}")
    return out


def issue_text(issue: ProgramIssue, lang: str) -> str:
    """A program check's finding in `lang` (the page words it the same way), labels quoted."""
    quoted_names = ("label", "moment", "channel", "journey", "linked")
    params = {k: quoted(v, lang) if k in quoted_names else v for k, v in issue.params.items()}
    if isinstance(issue.params.get("labels"), list):
        params["labels"] = ", ".join(quoted(x, lang) for x in issue.params["labels"])
    key = f"programs.issue.{issue.code}"
    text = t(key, lang, **params)
    return issue.message if text == key else text

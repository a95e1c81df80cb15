"""Programs page: the French law checks of the program (on by default for a French program or
journey), each rule with its verdict, its findings, its reference and, when broken, its text."""

from __future__ import annotations

import html

import streamlit as st

from journeys.contract.model import Journey, Program
from journeys.programs import compliance_text as words
from journeys.programs.compliance import (
    FAILED,
    NOT_APPLICABLE,
    PASSED,
    UNVERIFIED,
    RuleCheck,
    applies_by_default,
    check_compliance,
)
from pages.common.shared import lang, tr

_LOOK = {FAILED: ("error", "!"), UNVERIFIED: ("warning", "?"), PASSED: ("ok", "✓"),
         NOT_APPLICABLE: ("info", "–")}  # fmt: skip
_STYLE = """<style>
.pc-list{margin:0;padding:0;list-style:none;font-size:0.95rem;line-height:1.45}
.pc-list>li{padding:0.35rem 0.6rem;border-left:4px solid #ccc;margin:0.25rem 0;
  background:#fafafa;border-radius:0 4px 4px 0}
.pc-list>li.error{border-color:#c62828;background:#fdecea}
.pc-list>li.warning{border-color:#ef8f00;background:#fff6e5}
.pc-list>li.ok{border-color:#2e7d32;background:#edf7ee}
.pc-list>li.info{border-color:#607d8b;background:#f3f6f8}
.pc-list .badge{display:inline-block;width:1.2rem;height:1.2rem;border-radius:50%;color:#fff;
  font-weight:700;font-size:0.8rem;line-height:1.2rem;text-align:center;margin-right:0.4rem}
.pc-list li.error .badge{background:#c62828}
.pc-list li.warning .badge{background:#ef8f00}
.pc-list li.ok .badge{background:#2e7d32}
.pc-list li.info .badge{background:#607d8b}
.pc-list .ref{color:#555;font-size:0.85rem}
.pc-list ul{margin:0.2rem 0 0 1.6rem;padding:0}
.pc-list details{margin:0.3rem 0 0 1.6rem;font-size:0.88rem;color:#333}
</style>"""


def _item(check: RuleCheck, language: str) -> str:
    cls, icon = _LOOK[check.status]
    e = html.escape
    title = e(words.rule_title(check.rule, language))
    status = e(words.status_word(check.status, language))
    reference = e(tr("compliance.reference", reference=words.rule_reference(check.rule, language)))
    findings = "".join(f"<li>{e(words.finding_text(f, language))}</li>" for f in check.findings)
    text = e(words.rule_text(check.rule, language))
    rule = f"<details{' open' if check.status == FAILED else ''}><summary>{reference}</summary>"
    return (
        f'<li class="{cls}" data-rule="{e(check.rule)}" data-status="{e(check.status)}">'
        f'<span class="badge">{icon}</span><b>{status}</b> · {title}'
        f"<ul>{findings}</ul>{rule}{text}</details></li>"
    )


def show_compliance(program: Program, journey: Journey | None) -> None:
    """The toggle (on by default for French) and, when on, each rule's verdict."""
    on = st.toggle(
        tr("compliance.toggle"),
        value=applies_by_default(program, journey),
        help=tr("compliance.toggle_help"),
        key=f"programs_compliance_{program.id}",
    )
    if not on:
        return
    checks = check_compliance(program, journey)
    counts = words.counts(checks)
    st.markdown(f"**{tr('compliance.title')}** — " + tr("compliance.counts", **counts))
    language = lang()
    items = "".join(_item(c, language) for c in checks)
    st.html(_STYLE + f'<ul class="pc-list" data-testid="programs-compliance">{items}</ul>')

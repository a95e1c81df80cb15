"""Programs page, no Streamlit: the program's subscription contract as header fields and a
trigger's entry criteria as one text cell (`payment_method: SEPA, Card; offer: 20 GB`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from journeys.contract.model import Entry, Program

SUBSCRIPTION_FIELDS = ("contract", "term_months", "tacit_renewal", "prenotification_days")
CONTRACTS = ("unsaid", "open_ended", "fixed_term")
ENTRY_FIELDS = ("segment", "offer", "payment_method")
# the contract's names, and the French words a user may type instead
_ENTRY_NAMES = {
    **{name: name for name in ENTRY_FIELDS},
    "offre": "offer",
    "paiement": "payment_method",
    "moyen_de_paiement": "payment_method",
    "payment": "payment_method",
}


def subscription_values(program: Program) -> dict[str, Any]:
    """The header fields of the program's `subscription` (contract: unsaid when it has none)."""
    terms = program.subscription
    if terms is None:
        return {"contract": "unsaid", "term_months": None, "tacit_renewal": False,
                "prenotification_days": None}  # fmt: skip
    return {
        "contract": "fixed_term" if terms.term_months is not None else "open_ended",
        "term_months": terms.term_months,
        "tacit_renewal": terms.tacit_renewal,
        "prenotification_days": terms.prenotification_days,
    }


def subscription_data(header: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """The `subscription` the header fields describe, and the column of a missing term."""
    contract = header.get("contract") or "unsaid"
    if contract == "unsaid":  # a subscription without a term is an open-ended one
        return None, None
    data: dict[str, Any] = {"prenotification_days": header.get("prenotification_days")}
    if contract == "fixed_term":
        data["term_months"] = header.get("term_months")
        data["tacit_renewal"] = bool(header.get("tacit_renewal"))
        if data["term_months"] is None:
            return None, "term_months"
    return data, None


def entry_cell(entry: Entry | None) -> str | None:
    """`payment_method: SEPA, Card; offer: 20 GB` — each list any of, the lists all of."""
    if entry is None:
        return None
    parts = [(name, getattr(entry, name)) for name in ENTRY_FIELDS]
    return "; ".join(f"{name}: {', '.join(values)}" for name, values in parts if values) or None


def parse_entry(text: str | None) -> tuple[dict[str, list[str]] | None, str | None]:
    """The entry criteria typed in a cell, or None and a problem code (`bad_entry`)."""
    if not text or not text.strip():
        return None, None
    data: dict[str, list[str]] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, colon, values = part.partition(":")
        field = _ENTRY_NAMES.get("_".join(name.strip().lower().split()))
        items = [v.strip() for v in values.split(",") if v.strip()]
        if not colon or field is None or not items:
            return None, "bad_entry"
        data.setdefault(field, []).extend(items)
    return (data or None), None

"""Subscriber extracts: which column feeds which field, French and English headers guessed.

A mapping is what the workspace keeps of a base besides its aggregates: column names, how
dates and decimals are written, which end reasons are payment failures. Never a row.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from journeys.headers import match_headers, words


class SubscriptionField(StrEnum):
    """One row per subscription."""

    ID = "id"
    START = "start"
    END = "end"
    END_REASON = "end_reason"
    OFFER = "offer"
    PRICE = "price"
    BILLING_PERIOD = "billing_period"
    PAYMENT_METHOD = "payment_method"
    CHANNEL = "channel"


class EventField(StrEnum):
    """One row per event in a subscriber's life (usage, visit of the terms of sale…)."""

    ID = "id"
    DATE = "date"
    TIME = "time"
    TYPE = "type"


class PaymentField(StrEnum):
    """One row per payment due."""

    ID = "id"
    DUE = "due"
    STATUS = "status"
    REJECT_CODE = "reject_code"


REQUIRED_SUBSCRIPTION = (SubscriptionField.ID, SubscriptionField.START)
REQUIRED_EVENT = (EventField.ID, EventField.DATE, EventField.TYPE)
REQUIRED_PAYMENT = (PaymentField.ID, PaymentField.DUE, PaymentField.STATUS)

# Segments the attrition is split by when their column is mapped (extra columns too).
SEGMENT_FIELDS = (
    SubscriptionField.OFFER,
    SubscriptionField.PAYMENT_METHOD,
    SubscriptionField.CHANNEL,
    SubscriptionField.BILLING_PERIOD,
)

SUBSCRIPTION_SYNONYMS: dict[SubscriptionField, tuple[str, ...]] = {
    SubscriptionField.ID: words(
        "n abonne | numero abonne | numero d abonne | id abonne | abonne | identifiant"
        " | n contrat | numero de contrat | contrat | id | subscriber id | subscriber"
        " | subscription id | customer id | contract id"
    ),
    SubscriptionField.START: words(
        "date de debut | debut | date debut | date d abonnement | date de souscription"
        " | souscription | start date | start | started at | subscription date"
    ),
    SubscriptionField.END: words(
        "date de fin | fin | date fin | date de resiliation | resiliation | end date | end"
        " | ended at | cancellation date | churn date"
    ),
    SubscriptionField.END_REASON: words(
        "motif de fin | motif | motif de resiliation | raison | cause | end reason | reason"
        " | churn reason | cancellation reason"
    ),
    SubscriptionField.OFFER: words("offre | formule | produit | offer | plan | product"),
    SubscriptionField.PRICE: words(
        "prix | prix annuel | prix mensuel | tarif | montant | price | annual price"
        " | monthly price | amount"
    ),
    SubscriptionField.BILLING_PERIOD: words(
        "periodicite | frequence de facturation | periode de facturation | billing period"
        " | billing frequency | periodicity"
    ),
    SubscriptionField.PAYMENT_METHOD: words(
        "mode de paiement | moyen de paiement | paiement | payment method | payment"
    ),
    SubscriptionField.CHANNEL: words(
        "canal d acquisition | canal | source | origine | acquisition channel | channel"
        " | acquisition source"
    ),
}

EVENT_SYNONYMS: dict[EventField, tuple[str, ...]] = {
    EventField.ID: SUBSCRIPTION_SYNONYMS[SubscriptionField.ID],
    EventField.DATE: words("date | date evenement | jour | event date | date de l evenement"),
    EventField.TIME: words("heure | horaire | time | event time"),
    EventField.TYPE: words("type | type d evenement | evenement | event | event type | kind"),
}

PAYMENT_SYNONYMS: dict[PaymentField, tuple[str, ...]] = {
    PaymentField.ID: SUBSCRIPTION_SYNONYMS[SubscriptionField.ID],
    PaymentField.DUE: words(
        "date d echeance | echeance | date de prelevement | date | due date | due | date due"
    ),
    PaymentField.STATUS: words("statut | etat | resultat | status | state | result"),
    PaymentField.REJECT_CODE: words(
        "code rejet | code de rejet | motif de rejet | reject code | return code | reason code"
    ),
}

# End reasons that say the subscription ended because a payment failed (matched after folding
# accents and case, anywhere in the reason); a mapping may add its own values.
INVOLUNTARY_WORDS = words(
    "impaye | rejet | defaut de paiement | echec de paiement | paiement refuse | carte expiree"
    " | prelevement refuse | incident de paiement | payment failure | payment failed | unpaid"
    " | involuntary | involontaire | card expired | chargeback | dunning | recouvrement"
)

# Payment statuses that are failures (same folding).
FAILED_PAYMENT_WORDS = words(
    "rejete | rejet | refuse | impaye | echec | failed | failure | rejected | returned | unpaid"
    " | declined"
)


class _Plain(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Mapping(_Plain):
    """How an extract is read: columns by field, extra columns kept as segments, formats."""

    columns: dict[SubscriptionField, str] = Field(default_factory=dict)
    segments: list[str] = Field(default_factory=list)
    date_format: str | None = None  # strftime-style; guessed from the file when None
    decimal_comma: bool | None = None  # guessed when None
    involuntary_reasons: list[str] = Field(default_factory=list)
    voluntary_reasons: list[str] = Field(default_factory=list)
    events: dict[EventField, str] = Field(default_factory=dict)
    payments: dict[PaymentField, str] = Field(default_factory=dict)

    def missing_required(self) -> list[SubscriptionField]:
        return [f for f in REQUIRED_SUBSCRIPTION if not self.columns.get(f)]


def suggest_mapping(headers: list[str]) -> Mapping:
    """The guess of a subscription extract's mapping; unmapped columns become segments."""
    columns = match_headers(headers, SUBSCRIPTION_SYNONYMS)
    used = set(columns.values())
    return Mapping(columns=columns, segments=[h for h in headers if h and h not in used])


def suggest_events(headers: list[str]) -> dict[EventField, str]:
    return match_headers(headers, EVENT_SYNONYMS)


def suggest_payments(headers: list[str]) -> dict[PaymentField, str]:
    return match_headers(headers, PAYMENT_SYNONYMS)

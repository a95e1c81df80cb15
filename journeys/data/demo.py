"""Synthetic subscriber bases, to try attrition without the client's data.

One profile per journey template: `press` (first subscription: a trial month, a 12-month
renewal spike, SEPA rejects, cancellation-page visits), `renewal` (12-month fixed terms that
end on their anniversary), `sepa` (open-ended monthly plans paid by SEPA direct debit, the first
debit failing often) and `add-on` (options bought by members: returns within the withdrawal
period, drops at the end of the discounted months). Each writes subscriptions, events and
payments: French CSV (text cells, dates 31/12/2025, decimal commas) or Parquet (typed columns:
dates, numbers), in chunks of CHUNK rows so tens of millions of rows take little memory.
Vectorised with numpy and Arrow; ids are random tokens, names are never invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

CHUNK = 1_000_000  # rows generated and written at a time


@dataclass(frozen=True)
class Profile:
    """How a kind of subscription is taken, paid and left."""

    offers: tuple[tuple[str, float, str, float], ...]  # label, price per period, period, share
    payments: tuple[tuple[str, float], ...]  # label, share
    channels: tuple[tuple[str, float], ...]
    offer_risk: dict[str, float]  # hazard multiplier by offer (segments leave at their pace)
    payment_risk: dict[str, float]
    base_hazard: float  # monthly hazard by tenure month completed, outside the spikes
    spikes: dict[int, float]
    voluntary: tuple[str, ...]  # end reasons
    involuntary: str  # the end reason of a payment failure
    involuntary_share: float  # of the ends of subscribers who pay by debit or card
    involuntary_by_month: dict[int, float] = field(default_factory=dict)
    anniversary: tuple[int, ...] = (12, 24, 36)  # months whose ends fall on the day
    rejects: tuple[tuple[str, float], ...] = (
        ("AM04", 0.6),
        ("AC04", 0.15),
        ("MD07", 0.05),
        ("MD06", 0.2),
    )
    reject_share: float = 0.05  # debit payers rejected once without leaving
    # label, share of leavers who had it shortly before leaving, share of the others
    events: tuple[tuple[str, float, float], ...] = ()


NO_DEBIT = ("Chèque", "Virement")  # paid by hand: no payment failure ends them

PROFILES: dict[str, Profile] = {
    "press": Profile(
        offers=(
            ("Numérique", 9.99, "mensuel", 0.5),
            ("Papier + numérique", 199.0, "annuel", 0.3),
            ("Week-end", 89.0, "annuel", 0.2),
        ),
        payments=(("Prélèvement SEPA", 0.55), ("Carte bancaire", 0.35), ("Chèque", 0.10)),
        channels=(("Site web", 0.5), ("Téléphone", 0.2), ("Partenaire", 0.15), ("Kiosque", 0.15)),
        offer_risk={"Numérique": 1.3, "Papier + numérique": 0.7, "Week-end": 1.0},
        payment_risk={"Prélèvement SEPA": 0.85, "Carte bancaire": 1.1, "Chèque": 1.3},
        base_hazard=0.012,
        spikes={0: 0.22, 1: 0.08, 12: 0.18, 24: 0.12, 36: 0.1},
        voluntary=(
            "Prix trop élevé",
            "Ne lit plus",
            "Déménagement",
            "Offre concurrente",
            "Fin d'essai",
        ),
        involuntary="Impayé (rejet de prélèvement)",
        involuntary_share=0.25,
        events=(
            ("Visite page de résiliation", 0.6, 0.04),
            ("Visite des CGV", 0.3, 0.05),
            ("Baisse d'usage", 0.4, 0.15),
            ("Réclamation", 0.15, 0.03),
            ("Changement d'adresse", 0.05, 0.05),
        ),
    ),
    # Fixed 12-month terms: hardly anyone leaves during a term, many at its anniversary.
    "renewal": Profile(
        offers=(
            ("Magazine 1 an", 59.0, "annuel", 0.45),
            ("Hebdo 1 an", 129.0, "annuel", 0.35),
            ("Duo papier + numérique 1 an", 169.0, "annuel", 0.2),
        ),
        payments=(("Carte bancaire", 0.45), ("Chèque", 0.3), ("Prélèvement SEPA", 0.25)),
        channels=(("Site web", 0.4), ("Courrier", 0.3), ("Partenaire", 0.15), ("Téléphone", 0.15)),
        offer_risk={"Magazine 1 an": 1.15, "Hebdo 1 an": 1.0, "Duo papier + numérique 1 an": 0.75},
        payment_risk={"Carte bancaire": 1.0, "Chèque": 1.25, "Prélèvement SEPA": 0.6},
        base_hazard=0.003,
        spikes={12: 0.38, 24: 0.26, 36: 0.2},
        voluntary=(
            "Non renouvelé",
            "Prix du réabonnement",
            "Ne lit plus",
            "Déménagement",
            "Numéros non reçus",
        ),
        involuntary="Impayé (carte refusée)",
        involuntary_share=0.05,
        events=(
            ("Relance de réabonnement restée sans réponse", 0.7, 0.08),
            ("Réclamation livraison", 0.2, 0.04),
            ("Changement d'adresse", 0.15, 0.05),
            ("Visite des CGV", 0.25, 0.05),
        ),
    ),
    # Open-ended monthly plans paid by SEPA direct debit: the first debit fails often.
    "sepa": Profile(
        offers=(
            ("Forfait 20 Go", 12.99, "mensuel", 0.4),
            ("Forfait 100 Go", 19.99, "mensuel", 0.35),
            ("Box fibre", 32.99, "mensuel", 0.25),
        ),
        payments=(("Prélèvement SEPA", 0.9), ("Carte bancaire", 0.1)),
        channels=(("Site web", 0.45), ("Boutique", 0.3), ("Téléphone", 0.15), ("Partenaire", 0.1)),
        offer_risk={"Forfait 20 Go": 1.25, "Forfait 100 Go": 1.0, "Box fibre": 0.7},
        payment_risk={"Prélèvement SEPA": 1.0, "Carte bancaire": 0.9},
        base_hazard=0.014,
        spikes={1: 0.15, 12: 0.05},
        voluntary=(
            "Offre concurrente",
            "Prix trop élevé",
            "Déménagement",
            "Qualité du réseau",
            "Ne s'en sert plus",
        ),
        involuntary="Impayé (rejet de prélèvement SEPA)",
        involuntary_share=0.3,
        involuntary_by_month={0: 0.5, 1: 0.75},
        anniversary=(),
        rejects=(("AM04", 0.5), ("MD01", 0.15), ("AC04", 0.15), ("MD06", 0.15), ("MS03", 0.05)),
        reject_share=0.1,
        events=(
            ("Visite page de résiliation", 0.55, 0.04),
            ("Changement de coordonnées bancaires", 0.2, 0.05),
            ("Baisse d'usage", 0.45, 0.15),
            ("Visite des CGV", 0.3, 0.05),
            ("Appel au service client", 0.3, 0.1),
        ),
    ),
    # Options bought by members: returned within the withdrawal period, dropped when the three
    # discounted months end.
    "add-on": Profile(
        offers=(
            ("Option multi-écrans", 4.99, "mensuel", 0.45),
            ("Assurance appareil", 7.99, "mensuel", 0.35),
            ("Pack accessoires", 59.0, "annuel", 0.2),
        ),
        payments=(("Carte bancaire", 0.6), ("Prélèvement SEPA", 0.4)),
        channels=(
            ("Application", 0.4),
            ("Site web", 0.3),
            ("Boutique", 0.2),
            ("Service client", 0.1),
        ),
        offer_risk={"Option multi-écrans": 1.2, "Assurance appareil": 0.8, "Pack accessoires": 1.0},
        payment_risk={"Carte bancaire": 1.05, "Prélèvement SEPA": 0.9},
        base_hazard=0.02,
        spikes={0: 0.2, 3: 0.16},
        voluntary=(
            "Rétractation",
            "Produit retourné",
            "Prix après la remise",
            "Ne s'en sert plus",
            "Livraison en retard",
        ),
        involuntary="Impayé (rejet de paiement)",
        involuntary_share=0.08,
        anniversary=(),
        events=(
            ("Retour produit", 0.35, 0.02),
            ("Réclamation livraison", 0.2, 0.04),
            ("Contact service client", 0.3, 0.1),
            ("Baisse d'usage", 0.4, 0.15),
        ),
    ),
}

# The profile matching each journey template (French and English ids).
TEMPLATE_PROFILES = {
    "premier-abonnement": "press",
    "first-subscription": "press",
    "renouvellement-duree-fixe": "renewal",
    "fixed-term-renewal": "renewal",
    "abonnement-sepa": "sepa",
    "sepa-open-ended": "sepa",
    "achat-complementaire": "add-on",
    "add-on-purchase": "add-on",
}


@dataclass(frozen=True)
class DemoFiles:
    subscriptions: Path
    events: Path
    payments: Path
    rows: int
    profile: str = "press"


def profile_for_template(template_id: str) -> str:
    """The demo profile of a journey template (ValueError names the known templates)."""
    try:
        return TEMPLATE_PROFILES[template_id]
    except KeyError:
        known = ", ".join(sorted(TEMPLATE_PROFILES))
        raise ValueError(f"template {template_id[:60]!r}: no demo (known: {known})") from None


def generate(
    folder: Path,
    rows: int = 50_000,
    *,
    seed: int = 7,
    as_of: date = date(2026, 6, 30),
    years: int = 4,
    fmt: str = "csv",
    profile: str = "press",
) -> DemoFiles:
    """Write subscriptions, events and payments (CSV in French, or Parquet) into `folder`."""
    if profile not in PROFILES:
        raise ValueError(f"profile {profile[:40]!r}: one of {', '.join(PROFILES)}")
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format {fmt[:20]!r}: csv or parquet")
    chosen = PROFILES[profile]
    folder.mkdir(parents=True, exist_ok=True)
    names = ("abonnements", "evenements", "paiements")
    paths = [folder / f"{name}.{fmt}" for name in names]
    writers: list[Any] = [None, None, None]
    try:
        for index, first in enumerate(range(0, rows, CHUNK)):
            count = min(CHUNK, rows - first)
            rng = np.random.default_rng(seed if index == 0 else [seed, index])
            tables = _chunk(chosen, rng, count, first * 3, as_of, years)
            for i, table in enumerate(tables):
                out = table if fmt == "parquet" else _as_french_text(table)
                if writers[i] is None:
                    writers[i] = _writer(paths[i], out.schema, fmt)
                writers[i].write_table(out)
    finally:
        for writer in writers:
            if writer is not None:
                writer.close()
    return DemoFiles(paths[0], paths[1], paths[2], rows, profile)


def _writer(path: Path, schema: pa.Schema, fmt: str) -> Any:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetWriter(path, schema)
    import pyarrow.csv as pcsv

    options = pcsv.WriteOptions(delimiter=";", quoting_style="needed")
    return pcsv.CSVWriter(path, schema, write_options=options)


def _pick(
    rng: np.random.Generator, items: tuple[tuple[str, float], ...] | tuple[Any, ...], n: int
) -> np.ndarray:
    shares = np.array([i[-1] for i in items], dtype=float)
    return rng.choice(len(items), size=n, p=shares / shares.sum())


def _labels(items: tuple[Any, ...], index: np.ndarray) -> pa.Array:
    import pyarrow as pa

    return pa.array([i[0] for i in items], pa.string()).take(pa.array(index))


def _add_months(starts: np.ndarray, months: np.ndarray) -> np.ndarray:
    """The same day `months` months later (31 Jan + 1 month runs over into early March)."""
    first = starts.astype("datetime64[M]")
    day = starts - first.astype("datetime64[D]")
    return (first + months.astype("timedelta64[M]")).astype("datetime64[D]") + day


def _chunk(
    p: Profile, rng: np.random.Generator, n: int, id_offset: int, as_of: date, years: int
) -> tuple[pa.Table, pa.Table, pa.Table]:
    import pyarrow as pa
    import pyarrow.compute as pc

    span = years * 365
    starts = np.datetime64(as_of) - rng.integers(0, span, size=n).astype("timedelta64[D]")
    offer_index = _pick(rng, p.offers, n)
    payment_index = _pick(rng, p.payments, n)
    channel_index = _pick(rng, p.channels, n)
    # Tenure drawn from the hazard profile, by segment (offers and payments leave at their pace).
    max_months = years * 12 + 1
    hazard = np.full(max_months, p.base_hazard)
    for month, value in p.spikes.items():
        if month < max_months:
            hazard[month] = value
    offer_risk = np.array([p.offer_risk[o[0]] for o in p.offers])
    payment_risk = np.array([p.payment_risk[m[0]] for m in p.payments])
    factor = offer_risk[offer_index] * payment_risk[payment_index]
    uniform = rng.random(n)
    months = np.empty(n, dtype=np.int64)
    for value in np.unique(factor):
        chosen = factor == value
        survival = np.cumprod(1 - np.minimum(hazard * value, 0.95))
        months[chosen] = np.searchsorted(-survival, -uniform[chosen], side="left")
    # The end falls within that tenure month (on the anniversary for a fixed term).
    on_the_day = np.isin(months, p.anniversary)
    extra_days = np.where(on_the_day, 0, rng.integers(0, 28, size=n))
    end = _add_months(starts, months) + extra_days.astype("timedelta64[D]")
    active = end > np.datetime64(as_of)
    debit = ~np.isin(np.array([m[0] for m in p.payments])[payment_index], NO_DEBIT)
    share = np.full(max_months + 1, p.involuntary_share)
    for month, value in p.involuntary_by_month.items():
        share[month] = value
    involuntary = (~active) & debit & (rng.random(n) < share[np.minimum(months, max_months)])
    reason_index = rng.integers(0, len(p.voluntary), size=n)
    reasons = pa.array([*p.voluntary, p.involuntary], pa.string())
    reason = reasons.take(pa.array(np.where(involuntary, len(p.voluntary), reason_index)))
    reason = pc.if_else(pa.array(active), pa.scalar(None, pa.string()), reason)
    numbers = id_offset + rng.permutation(n * 3)[:n]
    ids = pc.binary_join_element_wise(
        "A", pc.utf8_lpad(pa.array(numbers).cast(pa.string()), 8, "0"), ""
    )
    prices = np.array([o[1] for o in p.offers])[offer_index]
    subs = pa.table(
        {
            "N° abonné": ids,
            "Date de début": pa.array(starts, pa.date32()),
            "Date de fin": pa.array(end, pa.date32(), mask=active),
            "Motif de fin": reason,
            "Offre": _labels(p.offers, offer_index),
            "Mode de paiement": _labels(p.payments, payment_index),
            "Prix": pa.array(prices, pa.float64()),
            "Périodicité": _labels(tuple((o[2],) for o in p.offers), offer_index),
            "Canal d'acquisition": _labels(p.channels, channel_index),
        }
    )
    events = _events(p, rng, ids, starts, end, active, as_of)
    payments = _payments(p, rng, ids, starts, debit, end, involuntary, as_of)
    return subs, events, payments


def _events(  # type: ignore[no-untyped-def]
    p: Profile, rng: np.random.Generator, ids, starts, end, active, as_of: date
) -> pa.Table:
    import pyarrow as pa

    n = len(ids)
    last = np.minimum(end, np.datetime64(as_of))
    lifetime = (last - starts).astype(int)
    chosen_index: list[np.ndarray] = []
    when_parts: list[np.ndarray] = []
    type_parts: list[np.ndarray] = []
    for _label, share_leavers, share_stayers in p.events:
        # Leavers had it shortly before leaving; the others at any time of their subscription.
        leavers = (~active) & (rng.random(n) < share_leavers)
        stayers = active & (rng.random(n) < share_stayers)
        before = rng.integers(3, 45, size=n).astype("timedelta64[D]")
        anywhere = starts + (rng.random(n) * np.maximum(lifetime, 1)).astype("timedelta64[D]")
        when = np.minimum(np.where(leavers, np.maximum(end - before, starts), anywhere), last)
        picked = np.flatnonzero(leavers | stayers)
        chosen_index.append(picked)
        when_parts.append(when[picked])
        type_parts.append(np.full(len(picked), len(type_parts)))
    index = np.concatenate(chosen_index) if chosen_index else np.empty(0, dtype=np.int64)
    hours = rng.integers(7, 23, size=len(index))
    hour_labels = pa.array([f"{h:02d}:15" for h in range(24)], pa.string())
    return pa.table(
        {
            "N° abonné": ids.take(pa.array(index)),
            "Date": pa.array(np.concatenate(when_parts) if when_parts else [], pa.date32()),
            "Heure": hour_labels.take(pa.array(hours)),
            "Type": _labels(p.events, np.concatenate(type_parts).astype(np.int64))
            if type_parts
            else pa.array([], pa.string()),
        }
    )


def _payments(  # type: ignore[no-untyped-def]
    p: Profile, rng: np.random.Generator, ids, starts, debit, end, involuntary, as_of: date
) -> pa.Table:
    import pyarrow as pa

    rejected = involuntary | (debit & (rng.random(len(starts)) < p.reject_share))
    picked = np.flatnonzero(rejected)
    last = np.minimum(end[picked], np.datetime64(as_of))
    due = last - rng.integers(5, 40, size=len(picked)).astype("timedelta64[D]")
    due = np.maximum(due, starts[picked])
    return pa.table(
        {
            "N° abonné": ids.take(pa.array(picked)),
            "Date d'échéance": pa.array(due, pa.date32()),
            "Statut": pa.array(np.full(len(picked), "Rejeté", dtype=object), pa.string()),
            "Code rejet": _labels(p.rejects, _pick(rng, p.rejects, len(picked))),
        }
    )


def _as_french_text(table: pa.Table) -> pa.Table:
    """The table as a French extract: dates 31/12/2025, decimal commas, blanks for nulls."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for column in table.columns:
        if pa.types.is_date(column.type):
            text = pc.strftime(column.cast(pa.timestamp("s")), format="%d/%m/%Y")
        elif pa.types.is_floating(column.type):
            text = _decimal_comma(column)
        else:
            text = column
        columns.append(pc.fill_null(text, ""))
    return pa.table(columns, names=table.column_names)


def _decimal_comma(column: Any) -> Any:
    """12.5 -> '12,50' (two decimals, a comma; prices are not negative)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cents = pc.cast(pc.round(pc.multiply(column, 100)), pa.int64())
    units = pc.divide(cents, 100)  # integer division
    rest = pc.subtract(cents, pc.multiply(units, 100))
    return pc.binary_join_element_wise(
        pc.cast(units, pa.string()), pc.utf8_lpad(pc.cast(rest, pa.string()), 2, "0"), ","
    )

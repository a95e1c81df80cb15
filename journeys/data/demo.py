"""A synthetic press subscriber base, to try attrition without the client's data.

Subscriptions with a one-month trial, a spike of ends at the 12-month renewal (and a smaller
one at 24), SEPA and card payment rejects ending some subscriptions (involuntary churn), visits
to the cancellation page and the terms of sale before many ends. Vectorised with numpy: tens of
millions of rows take seconds. Ids are random tokens, names are never invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

OFFERS = (  # label, price per period, billing period, share
    ("Numérique", 9.99, "mensuel", 0.5),
    ("Papier + numérique", 199.0, "annuel", 0.3),
    ("Week-end", 89.0, "annuel", 0.2),
)
PAYMENTS = (("Prélèvement SEPA", 0.55), ("Carte bancaire", 0.35), ("Chèque", 0.10))
CHANNELS = (("Site web", 0.5), ("Téléphone", 0.2), ("Partenaire", 0.15), ("Kiosque", 0.15))
VOLUNTARY = ("Prix trop élevé", "Ne lit plus", "Déménagement", "Offre concurrente", "Fin d'essai")
INVOLUNTARY = "Impayé (rejet de prélèvement)"
REJECTS = (("AM04", 0.6), ("AC04", 0.15), ("MD07", 0.05), ("MD06", 0.2))

OFFER_RISK = {"Numérique": 1.3, "Papier + numérique": 0.7, "Week-end": 1.0}
PAYMENT_RISK = {"Prélèvement SEPA": 0.85, "Carte bancaire": 1.1, "Chèque": 1.3}

# Monthly hazard by tenure month completed (the rest: BASE_HAZARD).
BASE_HAZARD = 0.012
SPIKES = {0: 0.22, 1: 0.08, 12: 0.18, 24: 0.12, 36: 0.1}


@dataclass(frozen=True)
class DemoFiles:
    subscriptions: Path
    events: Path
    payments: Path
    rows: int


def _choice(rng: np.random.Generator, items: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    labels = np.array([i[0] for i in items], dtype=object)
    shares = np.array([i[1] for i in items])
    return labels[rng.choice(len(items), size=n, p=shares / shares.sum())]


def generate(
    folder: Path,
    rows: int = 50_000,
    *,
    seed: int = 7,
    as_of: date = date(2026, 6, 30),
    years: int = 4,
    fmt: str = "csv",
) -> DemoFiles:
    """Write subscriptions, events and payments (CSV in French, or Parquet) into `folder`."""
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    span = years * 365
    start_offset = rng.integers(0, span, size=rows)  # days before as_of
    starts = np.datetime64(as_of) - start_offset.astype("timedelta64[D]")
    offer_index = rng.choice(len(OFFERS), size=rows, p=[o[3] for o in OFFERS])
    payment = _choice(rng, PAYMENTS, rows)
    channel = _choice(rng, CHANNELS, rows)
    # Tenure drawn month by month from the hazard profile (vectorised over subscribers).
    max_months = years * 12 + 1
    hazard = np.full(max_months, BASE_HAZARD)
    for month, value in SPIKES.items():
        if month < max_months:
            hazard[month] = value
    # Segments leave at different paces (the monthly offer more, the print bundle less).
    factor = np.array([OFFER_RISK[o[0]] for o in OFFERS])[offer_index] * np.vectorize(
        PAYMENT_RISK.get
    )(payment)
    uniform = rng.random(rows)
    months = np.empty(rows, dtype=np.int64)
    for value in np.unique(factor):
        chosen = factor == value
        survival = np.cumprod(1 - np.minimum(hazard * value, 0.95))
        months[chosen] = np.searchsorted(-survival, -uniform[chosen], side="left")
    # The end falls within that month: start + months + a few days (the renewal on its day).
    extra_days = np.where(np.isin(months, (12, 24, 36)), 0, rng.integers(0, 28, size=rows))
    end_days = np.array([_add_months(int(m)) for m in range(max_months + 1)])[months]
    end = starts + (end_days + extra_days).astype("timedelta64[D]")
    active = end > np.datetime64(as_of)
    involuntary = (~active) & (payment != "Chèque") & (rng.random(rows) < 0.25)
    reason = np.where(
        active,
        "",
        np.where(
            involuntary,
            INVOLUNTARY,
            np.array(VOLUNTARY, dtype=object)[rng.integers(0, len(VOLUNTARY), size=rows)],
        ),
    )
    ids = np.char.add("A", np.char.zfill(rng.permutation(rows * 3)[:rows].astype(str), 8))
    labels = np.array([o[0] for o in OFFERS], dtype=object)[offer_index]
    prices = np.array([o[1] for o in OFFERS])[offer_index]
    periods = np.array([o[2] for o in OFFERS], dtype=object)[offer_index]
    end_text = np.where(active, "", _french(end))
    subs = pa.table(
        {
            "N° abonné": ids,
            "Date de début": _french(starts),
            "Date de fin": end_text,
            "Motif de fin": reason,
            "Offre": labels,
            "Mode de paiement": payment,
            "Prix": np.char.replace(np.char.mod("%.2f", prices), ".", ","),
            "Périodicité": periods,
            "Canal d'acquisition": channel,
        }
    )
    events = _events(rng, ids, starts, end, active, as_of)
    payments = _payments(rng, ids, payment, end, involuntary)
    names = ("abonnements", "evenements", "paiements")
    paths = []
    for name, table in zip(names, (subs, events, payments), strict=True):
        paths.append(_write(folder / f"{name}.{fmt}", table, fmt))
    return DemoFiles(paths[0], paths[1], paths[2], rows)


def _add_months(months: int) -> int:
    """Days in `months` months from a 1st of January (an average calendar, good enough)."""
    return int(round(months * 30.4375))


def _french(days: np.ndarray) -> np.ndarray:
    """Dates written the French way (31/12/2025), vectorised by Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    stamps = pa.array(days.astype("datetime64[s]"))
    return np.asarray(pc.strftime(stamps, format="%d/%m/%Y").to_numpy(zero_copy_only=False))


def _events(rng, ids, starts, end, active, as_of):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    n = len(ids)
    parts = []
    # Before an end: a visit to the cancellation page (60 % of leavers), the terms (30 %).
    for label, share_leavers, share_stayers in (
        ("Visite page de résiliation", 0.6, 0.04),
        ("Visite des CGV", 0.3, 0.05),
        ("Baisse d'usage", 0.4, 0.15),
        ("Réclamation", 0.15, 0.03),
        ("Changement d'adresse", 0.05, 0.05),
    ):
        leavers = (~active) & (rng.random(n) < share_leavers)
        stayers = active & (rng.random(n) < share_stayers)
        before = rng.integers(3, 45, size=n).astype("timedelta64[D]")
        lifetime = (np.minimum(end, np.datetime64(as_of)) - starts).astype(int)
        anywhere = starts + (rng.random(n) * np.maximum(lifetime, 1)).astype("timedelta64[D]")
        when = np.where(leavers, np.maximum(end - before, starts), anywhere)
        chosen = leavers | stayers
        parts.append((ids[chosen], when[chosen], np.full(int(chosen.sum()), label, dtype=object)))
    all_ids = np.concatenate([p[0] for p in parts])
    all_when = np.concatenate([p[1] for p in parts])
    all_type = np.concatenate([p[2] for p in parts])
    hours = np.char.add(np.char.zfill(rng.integers(7, 23, size=len(all_ids)).astype(str), 2), ":15")
    return pa.table(
        {"N° abonné": all_ids, "Date": _french(all_when), "Heure": hours, "Type": all_type}
    )


def _payments(rng, ids, payment, end, involuntary):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    rejected = involuntary | ((payment == "Prélèvement SEPA") & (rng.random(len(ids)) < 0.05))
    count = int(rejected.sum())
    codes = _choice(rng, REJECTS, count)
    due = end[rejected] - rng.integers(5, 40, size=count).astype("timedelta64[D]")
    return pa.table(
        {
            "N° abonné": ids[rejected],
            "Date d'échéance": _french(due),
            "Statut": np.full(count, "Rejeté", dtype=object),
            "Code rejet": codes,
        }
    )


def _write(path: Path, table, fmt: str) -> Path:  # type: ignore[no-untyped-def]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, path)
        return path
    import pyarrow.csv as pcsv

    pcsv.write_csv(table, path, pcsv.WriteOptions(delimiter=";", quoting_style="needed"))
    return path

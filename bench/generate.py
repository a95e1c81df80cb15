"""The generated large journey the benchmarks share: 30 moments x 15 channels, 400 touchpoints,
2,000 findings, with realistic French text (accents, €, quotes)."""

from __future__ import annotations

import random

from journeys.contract.model import (
    Channel,
    Finding,
    FindingType,
    Flow,
    Journey,
    Moment,
    Source,
    Touchpoint,
    TouchpointStatus,
)

_TEXTS = [
    "Codes d'accès reçus le lundi suivant",
    "20 minutes d'attente, puis numéro d'abonné demandé deux fois",
    "L'abonné fidèle paie plus cher qu'un nouveau client (+4,90 €/mois)",
    "Offre « senior » proposée à un abonné de 18 ans",
    "Abonnement pris en boutique impossible à gérer en ligne",
    "Conseiller chaleureux qui reconnaît l'abonné — effet « waouh »",
]


def large_journey(
    moments: int = 30,
    channels: int = 15,
    touchpoints: int = 400,
    findings: int = 2000,
    seed: int = 7,
) -> Journey:
    """Return a valid journey of the given size, the same for the same seed."""
    rng = random.Random(seed)
    moment_ids = [f"moment-{i:02d}" for i in range(moments)]
    channel_ids = [f"canal-{i:02d}" for i in range(channels)]
    tps = []
    for i in range(touchpoints):
        tps.append(
            Touchpoint(
                id=f"tp-{i:03d}",
                moment=rng.choice(moment_ids),
                channel=rng.choice(channel_ids),
                label=f"Point de contact n°{i} — {rng.choice(_TEXTS)[:40]}",
                status=rng.choice(list(TouchpointStatus)),
                owner=rng.choice(["Marketing digital", "Service client", "Back-office", "DSI"]),
                findings=[],
            )
        )
    for j in range(findings):
        kind = rng.choice(list(FindingType))
        tps[j % touchpoints].findings.append(
            Finding(
                type=kind,
                intensity=rng.randint(1, 3),
                text=f"{rng.choice(_TEXTS)} (#{j})",
                source=rng.choice(list(Source)),
                improvement=None if kind is FindingType.DELIGHT else "Prévenir l'abonné par SMS",
            )
        )
    flows = [
        Flow(from_=f"tp-{i:03d}", to=f"tp-{i + 1:03d}", break_=i % 17 == 0)
        for i in range(touchpoints - 1)
    ]
    return Journey(
        id="grand-parcours",
        title="Grand parcours généré",
        journey_type="custom",
        persona="Abonné digital, 25-40 ans",
        objectives=["conversion", "lifetime"],
        moments=[
            Moment(id=m, label=f"Moment de vie {i + 1}", key=i % 7 == 0)
            for i, m in enumerate(moment_ids)
        ],
        channels=[Channel(id=c, label=f"Canal {i + 1}") for i, c in enumerate(channel_ids)],
        touchpoints=tps,
        flows=flows,
    )

"""What a dry run shows: one row per step, messages per channel and week, the volumes of each
link for the detailed diagram, the CSV file (the words are in dryrun_text)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from journeys.contract.model import Program
from journeys.export.touchpoints_csv import neutralise
from journeys.programs.dryrun_model import DryRun, ProgramRun

CSV_COLUMNS = ("step", "entered", "reached", "left", "waiting", "program", "kind", "label")


@dataclass(frozen=True)
class StepRow:
    program: str
    step: str
    label: str
    kind: str
    entered: int
    reached: int
    left: int
    waiting: int


def step_rows(run: DryRun, programs: tuple[Program, ...] | list[Program]) -> list[StepRow]:
    """Every step of every program, in program order."""
    rows = []
    for program, result in zip(programs, run.runs, strict=True):
        for step in program.steps:
            v = result.steps[step.id]
            rows.append(
                StepRow(
                    program.id,
                    step.id,
                    step.label,
                    step.kind.value,
                    v.entered,
                    v.reached,
                    v.left,
                    v.waiting,
                )
            )
    return rows


def csv_text(rows: list[StepRow]) -> str:
    """`step,entered,reached,left` first (then waiting, program, kind, label), every text
    cell neutralised against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                neutralise(r.step),
                r.entered,
                r.reached,
                r.left,
                r.waiting,
                neutralise(r.program),
                r.kind,
                neutralise(r.label),
            ]
        )
    return buffer.getvalue()


def link_volumes(result: ProgramRun) -> dict[tuple[str, str], int]:
    """Subscribers along each link of the program in the horizon, for detailed_dot(volumes=)."""
    return dict(result.links)


@dataclass(frozen=True)
class Weekly:
    """Sends per channel for each week (Monday first) the horizon touches."""

    weeks: tuple[date, ...]
    channels: tuple[str, ...]
    counts: np.ndarray  # channel x week


def weekly(run: DryRun) -> Weekly:
    sends, day0 = run.sends, run.day0
    first = day0 - timedelta(days=day0.weekday())
    lead = day0.weekday()
    count = (lead + run.days + 6) // 7
    week = (sends.day + lead) // 7
    flat = np.bincount(sends.channel * count + week, minlength=len(sends.channels) * count)
    counts = np.round(flat.reshape(len(sends.channels), count) * run.population.scale)
    weeks = tuple(first + timedelta(days=7 * k) for k in range(count))
    return Weekly(weeks, sends.channels, counts.astype(np.int64))


def even_splits(run: DryRun) -> Mapping[str, list[str]]:
    """Program id -> steps split evenly because nothing said otherwise."""
    return {
        r.program_id: [b.step for b in r.branchings if b.source == "even"]
        for r in run.runs
        if any(b.source == "even" for b in r.branchings)
    }

"""Writers killed at random moments (SIGKILL, 100 times) lose nothing they acknowledged.

crash_worker.py imports journeys and adds findings, printing an ACK line after each commit
returns. One server process pays the import cost once and forks a writer per round; each
writer is killed after a seeded random delay, most often while it writes, sometimes while
it opens (and, on a new SQLite file, migrates) the store. After every kill the database must
open, pass SQLite's integrity and foreign-key checks, hold every acknowledged journey and
finding, and hold only whole journeys (an import is all or nothing).
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from journeys import services
from journeys.contract.yaml_io import load_document
from tests.integration import crash_worker as worker

WORKER = Path(worker.__file__)
KILLS = 100
SEED = 20_240_605
LINE_TIMEOUT_S = 60.0


@dataclass
class Acknowledged:
    """What the writers said was committed: journeys (with their title) and findings."""

    titles: dict[str, str] = field(default_factory=dict)
    findings: dict[str, dict[int, int]] = field(default_factory=dict)  # journey -> row -> n

    def take(self, line: str) -> None:
        words = line.split()
        if words[1] == "journey":
            self.titles[words[2]] = worker.journey_title(words[2], "v1")
        elif words[1] == "replaced":
            self.titles[words[2]] = worker.journey_title(words[2], "v2")
        elif words[1] == "finding":
            self.findings.setdefault(words[2], {})[int(words[3])] = int(words[4])


class Server:
    """The worker in serve mode, its stdout read line by line on a thread."""

    def __init__(self, url: str, stderr: Path):
        self._stderr = stderr.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), url, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr = stderr

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def until(self, done: Callable[[str], bool], seen: list[str]) -> str:
        """Collect lines into `seen` until one satisfies `done`; return that line."""
        while True:
            try:
                line = self.lines.get(timeout=LINE_TIMEOUT_S)
            except queue.Empty:
                pytest.fail(f"the worker went silent; its stderr:\n{self.stderr.read_text()}")
            if line is None:
                pytest.fail(f"the worker server died; its stderr:\n{self.stderr.read_text()}")
            assert not line.startswith(("ERROR", "DONE")), line
            seen.append(line)
            if done(line):
                return line

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._stderr.close()


@contextmanager
def worker_server(url: str, stderr: Path) -> Iterator[Server]:
    server = Server(url, stderr)
    try:
        server.until(lambda line: line == "SERVING", [])
        yield server
    finally:
        server.close()


def kill_and_wait(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    while True:  # the server ignores SIGCHLD, so the kernel reaps the writer at once
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.002)


def one_round(
    server: Server, prefix: str, rng: random.Random, *, during_open: bool
) -> tuple[list[str], str]:
    """Start a writer, kill it at a random moment, return every line it wrote and when."""
    lines: list[str] = []
    server.send(f"RUN {prefix}")
    started = "OPENING" if during_open else "READY"
    pid = int(server.until(lambda line: line.startswith(started), lines).split()[1])
    delay = rng.uniform(0.0, 0.15) if during_open else rng.uniform(0.02, 0.3)
    time.sleep(delay)
    kill_and_wait(pid)
    server.send("SYNC")
    server.until(lambda line: line == "SYNCED", lines)
    return lines, f"{delay * 1000:.0f} ms after {started}"


# --- what must hold after each kill --------------------------------------------------------


def check_sqlite(store: services.Store) -> None:
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def check_whole(store: services.Store, journey_id: str, acked: Acknowledged) -> None:
    """The journey is complete, titled as acknowledged, with its acknowledged findings."""
    editable = services.get_journey_for_edit(journey_id, store=store)
    journey = editable.journey
    expected = load_document(worker.journey_yaml(journey_id, "v1"))
    assert journey.model_copy(update={"title": "", "touchpoints": []}) == expected.model_copy(
        update={"title": "", "touchpoints": []}
    )
    versions = ["v1", "v2"] if worker.replaced(int(journey_id.rsplit("-", 1)[1])) else ["v1"]
    if acked.titles.get(journey_id) == worker.journey_title(journey_id, "v2"):
        versions = ["v2"]  # an acknowledged replace must not be undone
    assert journey.title in [worker.journey_title(journey_id, v) for v in versions]
    assert [t.id for t in journey.touchpoints] == [t.id for t in expected.touchpoints]
    refs = {ref.id: i for i, ref in enumerate(editable.finding_refs[worker.TOUCHPOINT])}
    findings = journey.touchpoints[1].findings
    assert findings[0] == expected.touchpoints[1].findings[0]
    for row, n in acked.findings.get(journey_id, {}).items():
        assert row in refs, f"acknowledged finding {row} ({journey_id}) is missing"
        assert findings[refs[row]].text == worker.finding_text(journey_id, n)
    allowed = {worker.finding_text(journey_id, k) for k in range(worker.FINDINGS_PER_JOURNEY)}
    assert {f.text for f in findings[1:]} <= allowed


def check_after_kill(
    url: URL, acked: Acknowledged, prefix: str, *, full: bool, sqlite: bool
) -> None:
    store = services.open_store(url)
    try:
        if sqlite:
            check_sqlite(store)
        summaries = {s.id: s for s in services.list_journeys(store=store)}
        missing = set(acked.titles) - set(summaries)
        assert not missing, f"acknowledged journeys lost: {sorted(missing)}"
        for journey_id, rows in acked.findings.items():
            assert summaries[journey_id].delights >= len(rows), journey_id
        now = [j for j in summaries if j.startswith(f"{prefix}-")]
        for journey_id in sorted(set(summaries) if full else now):
            check_whole(store, journey_id, acked)
    finally:
        store.dispose()


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_acknowledged_writes_survive_100_random_kills_and_the_database_stays_sound(
    database_url, tmp_path
):
    rng = random.Random(SEED)
    sqlite = database_url.get_backend_name() == "sqlite"
    url_text = database_url.render_as_string(hide_password=False)
    acked = Acknowledged()
    with worker_server(url_text, tmp_path / "worker.stderr") as server:
        for kill in range(KILLS):
            prefix = f"r{kill}"
            # the first writer meets a new SQLite file: kill it while it may be migrating
            during_open = kill == 0 or rng.random() < 0.1
            lines, when = one_round(server, prefix, rng, during_open=during_open)
            for line in lines:
                if line.startswith("ACK"):
                    acked.take(line)
            try:
                full = kill % 25 == 24
                check_after_kill(database_url, acked, prefix, full=full, sqlite=sqlite)
            except AssertionError as exc:
                raise AssertionError(f"kill {kill} (seed {SEED}), {when}: {exc}") from exc
    assert acked.titles and acked.findings  # the writers did get killed in the middle of work

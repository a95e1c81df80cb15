"""Crash-safety worker: writes journeys and findings, acknowledging each commit on stdout.

    python crash_worker.py URL PREFIX    open the store at URL and write until killed
    python crash_worker.py URL --serve   import once, then fork one writer per "RUN PREFIX"
                                         line read on stdin (the ~2 s start-up is paid once)

Every line is one os.write, made only after the call that committed has returned, so a line
the test reads stands for data the store has promised to keep:

    OPENING <pid> / READY <pid>     before and after open_store (which may migrate)
    ACK journey <id>                import_yaml returned (title "<id> v1")
    ACK replaced <id>               import_yaml(replace=True) returned (title "<id> v2")
    ACK finding <id> <row> <n>      add_finding returned row id <row>; text finding_text(id, n)

In serve mode the server answers "CHILD <pid>" to RUN and "SYNCED" to SYNC; it reaps its
children itself, so a killed writer disappears at once.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback

from journeys import services
from journeys.contract.model import Finding, FindingType

TOUCHPOINT = "formulaire"
REPLACE_EVERY = 3  # journeys n with n % 3 == 1 are replaced by their v2 before any finding
FINDINGS_PER_JOURNEY = 3
GIVE_UP_AFTER_S = 120.0  # a writer nobody kills stops by itself

_JOURNEY = """\
format: journeys/v1
kind: journey
id: {id}
title: {title}
journey_type: first_subscription
moments:
  - id: decouverte
    label: Découverte
  - id: souscription
    label: Souscription
    key: true
  - id: accueil
    label: Accueil
channels:
  - id: web
    label: Site web
  - id: email
    label: Email
touchpoints:
  - id: publicite
    moment: decouverte
    channel: web
    label: Publicité
  - id: formulaire
    moment: souscription
    channel: web
    label: Formulaire
    findings:
      - type: irritant
        intensity: 2
        text: Formulaire trop long
  - id: bienvenue
    moment: accueil
    channel: email
    label: Email de bienvenue
flows:
  - from: publicite
    to: formulaire
  - from: formulaire
    to: bienvenue
    break: true
"""


def journey_yaml(journey_id: str, version: str) -> str:
    return _JOURNEY.format(id=journey_id, title=journey_title(journey_id, version))


def journey_title(journey_id: str, version: str) -> str:
    return f"{journey_id} {version}"


def finding_text(journey_id: str, n: int) -> str:
    return f"constat {n} de {journey_id} « acquitté »"


def replaced(n: int) -> bool:
    return n % REPLACE_EVERY == 1


def say(line: str) -> None:
    os.write(1, f"{line}\n".encode())


def write_until_killed(url: str, prefix: str) -> None:
    """Import journeys `<prefix>-0`, `<prefix>-1`… and add findings, acknowledging each."""
    say(f"OPENING {os.getpid()}")
    store = services.open_store(url)
    say(f"READY {os.getpid()}")
    deadline = time.monotonic() + GIVE_UP_AFTER_S
    n = 0
    while time.monotonic() < deadline:
        journey_id = f"{prefix}-{n}"
        source = f"{journey_id}.yaml"
        services.import_yaml(journey_yaml(journey_id, "v1"), store=store, source_name=source)
        say(f"ACK journey {journey_id}")
        if replaced(n):
            text = journey_yaml(journey_id, "v2")
            services.import_yaml(text, store=store, source_name=source, replace=True)
            say(f"ACK replaced {journey_id}")
        for k in range(FINDINGS_PER_JOURNEY):
            finding = Finding(
                type=FindingType.DELIGHT, intensity=1, text=finding_text(journey_id, k)
            )
            row = services.add_finding(journey_id, TOUCHPOINT, finding, store=store)
            say(f"ACK finding {journey_id} {row} {k}")
        n += 1
    say("DONE")


def _child(url: str, prefix: str) -> None:
    code = 0
    try:
        write_until_killed(url, prefix)
    except BaseException:
        say("ERROR " + traceback.format_exc().replace("\n", " | "))
        code = 1
    finally:
        os._exit(code)


def serve(url: str) -> None:
    """Fork one writer per RUN line; answer SYNC once every earlier line has been written."""
    import journeys.store.migrations  # noqa: F401  (alembic: ~0.5 s each writer need not pay)

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped as soon as they die
    say("SERVING")
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "RUN":
            pid = os.fork()
            if pid == 0:
                _child(url, argument)
            say(f"CHILD {pid}")
        elif command == "SYNC":
            say("SYNCED")


def main(argv: list[str]) -> None:
    url, mode = argv[1], argv[2]
    if mode == "--serve":
        serve(url)
    else:
        write_until_killed(url, mode)


if __name__ == "__main__":
    main(sys.argv)

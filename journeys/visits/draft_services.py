"""Phone drafts of visits: kept as typed under a token, then submitted as a visit with its
findings, all or nothing and only once."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from journeys.contract.editing import slugify
from journeys.errors import NotFoundError, StoreError
from journeys.roles import Permission, requires
from journeys.store import draft_rows, rows, visit_rows
from journeys.store import repository as repo
from journeys.store.db import Store
from journeys.store.tables import utcnow
from journeys.visits.drafts import (
    DraftProblem,
    VisitDraft,
    draft_problems,
    draft_to_visit,
    parse_draft,
)
from journeys.visits.model import Visit
from journeys.visits.plan import plan_findings

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class DraftSubmitted(StoreError):
    """The draft has already become a visit: it is kept as it was sent."""

    def __init__(self, token: str, visit: str):
        self.token, self.visit = token, visit
        super().__init__(f"this draft was already sent as visit '{visit}'")


class DraftIncomplete(StoreError, ValueError):
    """A draft that cannot become a visit yet; `problems` say where and why."""

    def __init__(self, problems: list[DraftProblem]):
        self.problems = problems
        shown = ", ".join(
            f"{p.field}{'' if p.observation is None else f'[{p.observation}]'}: {p.code}"
            for p in problems
        )
        super().__init__(f"the visit cannot be sent yet: {shown}")


@dataclass(frozen=True)
class DraftInfo:
    """A draft as stored: its content, version, and the visit it became (once submitted)."""

    token: str
    draft: VisitDraft
    version: int
    updated_at: datetime
    visit: str | None


@requires(Permission.CONTRIBUTE)
def new_draft(journey_id: str, *, store: Store, shopper: str = "") -> DraftInfo:
    """Start a draft visit of a journey, dated now; return it with its token (for the URL).

    Raises NotFoundError when the journey is not live.
    """
    draft = VisitDraft(
        journey=journey_id,
        shopper=shopper,
        visited_at=datetime.now().replace(second=0, microsecond=0).isoformat(),
    )
    token = secrets.token_urlsafe(18)
    with store.session() as session:
        journey_pk = repo.journey_pk(session, journey_id)
        now = utcnow()
        draft_rows.insert_draft(session, journey_pk, token, draft.model_dump_json(), now=now)
    return DraftInfo(token, draft, 1, now, None)


@requires(Permission.CONTRIBUTE)
def save_draft(token: str, draft: VisitDraft | Mapping[str, object], *, store: Store) -> int:
    """Keep the draft as typed, creating it under `token` if new; return its version.

    Every call replaces the stored content (the page calls it on each change).
    Raises DraftRefused (content that cannot be a draft), DraftSubmitted, NotFoundError
    (a journey that is not live, a malformed token).
    """
    checked = draft if isinstance(draft, VisitDraft) else parse_draft(draft)
    _check_token(token)
    content = checked.model_dump_json()
    with store.session() as session:
        row = draft_rows.draft_row(session, token, lock=True)
        now = utcnow()
        if row is None:
            journey_pk = repo.journey_pk(session, checked.journey)
            draft_rows.insert_draft(session, journey_pk, token, content, now=now)
            return 1
        if row.visit_slug:
            raise DraftSubmitted(token, row.visit_slug)
        return draft_rows.update_draft(row, content, now=now)


@requires(Permission.READ)
def load_draft(token: str, *, store: Store) -> DraftInfo:
    """Return the draft kept under `token`. Raises NotFoundError."""
    _check_token(token)
    with store.read_session() as session:
        row = draft_rows.draft_row(session, token)
        if row is None:
            raise NotFoundError("draft", token)
        return DraftInfo(
            token, parse_draft(row.content), row.version, row.updated_at, row.visit_slug
        )


@requires(Permission.CONTRIBUTE)
def submit_visit(token: str, *, store: Store) -> Visit:
    """Turn a draft into a visit and its findings (source mystery_shopper), all or nothing.

    Each observation's finding goes to its touchpoint (a new one for a cell the workshop
    left empty). Sending the same draft again returns the visit it already became.
    Raises DraftIncomplete, NotFoundError.
    """
    _check_token(token)
    with store.session() as session:
        journey_slug = draft_rows.draft_journey(session, token)
        journey_pk = rows.lock_journey(session, journey_slug)
        row = draft_rows.draft_row(session, token, lock=True)
        assert row is not None  # found just above, and drafts are never deleted
        if row.visit_slug:
            return visit_rows.load_visit(session, journey_pk, row.visit_slug)
        journey = repo.load_journey(session, journey_slug)
        draft = parse_draft(row.content).model_copy(update={"journey": journey_slug})
        problems = draft_problems(draft, journey)
        if problems:
            raise DraftIncomplete(problems)
        taken = visit_rows.visit_slugs(session, journey_pk)
        visit = draft_to_visit(draft, journey, _new_visit_id(draft, taken))
        plan = plan_findings(
            journey, [visit], taken=visit_rows.touchpoint_slugs(session, journey_pk)
        )
        visit_rows.insert_touchpoints(session, journey_pk, plan.new_touchpoints)
        targets = {i: plan.targets[(visit.id, i)] for i in range(len(visit.observations))}
        visit_rows.insert_visit(
            session, journey_pk, visit, targets, origin="road", draft_token=token
        )
        draft_rows.mark_submitted(row, visit.id)
    placed = [
        o.model_copy(update={"touchpoint": targets[i]}) for i, o in enumerate(visit.observations)
    ]
    return visit.model_copy(update={"observations": placed})


def _check_token(token: str) -> None:
    if not _TOKEN.fullmatch(token or ""):
        raise NotFoundError("draft", token)


def _new_visit_id(draft: VisitDraft, taken: set[str]) -> str:
    base = slugify(f"{draft.visited_at[:10]}-{draft.shopper}", 70)
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    return ident

"""Phone drafts of visits: kept as typed under a token, then submitted as a visit with its
findings, all or nothing and only once."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from journeys.contract.editing import slugify
from journeys.errors import NotFoundError, StoreError
from journeys.roles import Permission, requires
from journeys.store import repository as repo
from journeys.store import rows, visit_rows
from journeys.store.db import Store
from journeys.store.tables import JourneyRow, utcnow
from journeys.store.visit_tables import VisitDraftRow
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
        journey_pk = repo.journey_row(session, journey_id).id
        now = utcnow()
        row = VisitDraftRow(
            token=token,
            journey_id=journey_pk,
            content=draft.model_dump_json(),
            created_at=now,
            updated_at=now,
        )
        session.add(row)
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
        row = _draft_row(session, token, lock=True)
        now = utcnow()
        if row is None:
            journey_pk = repo.journey_row(session, checked.journey).id
            session.add(
                VisitDraftRow(
                    token=token,
                    journey_id=journey_pk,
                    content=content,
                    created_at=now,
                    updated_at=now,
                )
            )
            return 1
        if row.visit_slug:
            raise DraftSubmitted(token, row.visit_slug)
        row.content, row.updated_at, row.version = content, now, row.version + 1
        return row.version


@requires(Permission.READ)
def load_draft(token: str, *, store: Store) -> DraftInfo:
    """Return the draft kept under `token`. Raises NotFoundError."""
    _check_token(token)
    with store.read_session() as session:
        row = _draft_row(session, token)
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
        journey_slug = _draft_journey(session, token)
        journey_pk = rows.lock_journey(session, journey_slug)
        row = _draft_row(session, token, lock=True)
        if row.visit_slug:
            return visit_rows.load_visit(session, journey_pk, row.visit_slug)
        journey = repo.load_journey(session, journey_slug)
        draft = parse_draft(row.content).model_copy(update={"journey": journey_slug})
        problems = draft_problems(draft, journey)
        if problems:
            raise DraftIncomplete(problems)
        visit = draft_to_visit(draft, journey, _new_visit_id(session, journey_pk, draft))
        plan = plan_findings(
            journey, [visit], taken=visit_rows.touchpoint_slugs(session, journey_pk)
        )
        visit_rows.insert_touchpoints(session, journey_pk, plan.new_touchpoints)
        targets = {i: plan.targets[(visit.id, i)] for i in range(len(visit.observations))}
        visit_rows.insert_visit(
            session, journey_pk, visit, targets, origin="road", draft_token=token
        )
        row.visit_slug, row.submitted_at = visit.id, utcnow()
    placed = [
        o.model_copy(update={"touchpoint": targets[i]}) for i, o in enumerate(visit.observations)
    ]
    return visit.model_copy(update={"observations": placed})


def _check_token(token: str) -> None:
    if not _TOKEN.fullmatch(token or ""):
        raise NotFoundError("draft", token)


def _draft_row(session: Session, token: str, *, lock: bool = False) -> VisitDraftRow | None:
    statement = select(VisitDraftRow).where(VisitDraftRow.token == token)
    if lock:
        statement = statement.with_for_update()
    return session.scalars(statement.execution_options(populate_existing=True)).one_or_none()


def _draft_journey(session: Session, token: str) -> str:
    slug = session.scalars(
        select(JourneyRow.slug)
        .join(VisitDraftRow, VisitDraftRow.journey_id == JourneyRow.id)
        .where(VisitDraftRow.token == token)
    ).one_or_none()
    if slug is None:
        raise NotFoundError("draft", token)
    return slug


def _new_visit_id(session: Session, journey_pk: int, draft: VisitDraft) -> str:
    taken = visit_rows.visit_slugs(session, journey_pk)
    base = slugify(f"{draft.visited_at[:10]}-{draft.shopper}", 70)
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    return ident

"""Reviews of process drafts (issue 14): rounds, reviewers, answers, reminders.

- A round is opened once per request (``request_key``, Slack's trigger_id): the same request
  delivered twice opens one round and asks each reviewer once.
- An answer is stored once per click or submission (``answer_key``). "The last answer counts": a
  new answer makes the reviewer's older open answers ``superseded``; the reviewer's row is
  locked first, so two answers of one person racing leave exactly one current.
- A suggestion is resolved once: ``open`` -> ``accepted`` or ``dismissed``; a second press of
  the same button changes nothing and says so (False).
- A reminder is claimed per reviewer (``reminded_at`` set where it is NULL) before it is sent.

Writes flush and never commit: the caller's unit of work does (storage/unit_of_work.py)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from storage import db
from storage.models import (
    ProcessDraft,
    ProcessReview,
    ReviewAnswer,
    ReviewReviewer,
    SalesTeam,
)

OPEN, SUPERSEDED, ACCEPTED, DISMISSED = "open", "superseded", "accepted", "dismissed"
SUGGEST, APPROVE = "suggest", "approve"


def _insert_unless_taken(session: Session, row, keys: list[str]):
    """Insert ``row`` unless its unique ``keys`` are taken: the stored row, or None."""
    model = type(row)
    statement = db.insert_ignoring_duplicates(session, model, keys)
    if statement is not None:
        values = row.model_dump(exclude={"id"})
        return session.scalars(statement.values(**values).returning(model)).first()
    from sqlalchemy.exc import IntegrityError  # another database: the unique key decides

    try:
        with db.savepoint(session):
            session.add(row)
        return row
    except IntegrityError:
        return None


def _insert_or_existing(session: Session, row, keys: list[str]):
    """Insert ``row`` unless its unique ``keys`` are taken: (the stored row, True), or (the
    row already stored under those keys, False), nothing written."""
    stored = _insert_unless_taken(session, row, keys)
    if stored is not None:
        return stored, True
    model = type(row)
    existing = session.exec(
        select(model).where(*(getattr(model, k) == getattr(row, k) for k in keys))
    ).one()
    return existing, False


# -- rounds -----------------------------------------------------------------------------------


def open_review(
    session: Session, row: ProcessReview, reviewers: Iterable[tuple[str, str]]
) -> tuple[ProcessReview, bool]:
    """Open a round and ask ``reviewers`` ((user ID, role) pairs); (the round, True). When the
    request key was used in the workspace already: (that round, False), nothing written."""
    stored, new = _insert_or_existing(session, row, ["workspace_id", "request_key"])
    if not new:
        return stored, False
    for user_id, role in dict(reviewers).items():
        session.add(ReviewReviewer(review_id=stored.id, user_id=user_id, role=role))
    session.flush()
    return stored, True


def get_review(session: Session, review_id: int) -> ProcessReview | None:
    return session.get(ProcessReview, review_id)


def save(session: Session, row) -> None:
    """Store changes made to a round or a reviewer row (where a message was posted)."""
    session.add(row)
    session.flush()


def reviews_of_draft(
    session: Session, draft_id: int, *, open_only: bool = True
) -> list[ProcessReview]:
    """A draft's rounds, oldest first."""
    query = select(ProcessReview).where(ProcessReview.draft_id == draft_id)
    if open_only:
        query = query.where(col(ProcessReview.closed_at).is_(None))
    return list(session.exec(query.order_by(col(ProcessReview.id))))


def open_reviews_of_team(session: Session, team_id: int) -> list[ProcessReview]:
    """The open rounds of the team's open draft, oldest first."""
    query = (
        select(ProcessReview)
        .join(ProcessDraft, col(ProcessDraft.id) == col(ProcessReview.draft_id))
        .where(
            ProcessDraft.team_id == team_id,
            ProcessDraft.status == "open",
            col(ProcessReview.closed_at).is_(None),
        )
        .order_by(col(ProcessReview.id))
    )
    return list(session.exec(query))


# -- reviewers --------------------------------------------------------------------------------


def reviewers_of(session: Session, review_id: int) -> list[ReviewReviewer]:
    """The people asked, in the order they were asked."""
    query = select(ReviewReviewer).where(ReviewReviewer.review_id == review_id)
    return list(session.exec(query.order_by(col(ReviewReviewer.id))))


def reviewer(session: Session, review_id: int, user_id: str) -> ReviewReviewer | None:
    return session.exec(
        select(ReviewReviewer).where(
            ReviewReviewer.review_id == review_id, ReviewReviewer.user_id == user_id
        )
    ).first()


# -- answers ----------------------------------------------------------------------------------


def record_answer(session: Session, row: ReviewAnswer) -> tuple[ReviewAnswer, bool]:
    """Store a reviewer's answer; (it, True). The reviewer's older open answers become
    ``superseded``. When the answer key was used in the round already: (that answer, False),
    nothing written. The caller checks the round is open and the person was asked."""
    # Lock the reviewer's row: two answers of one person racing are taken one after the other.
    session.exec(
        select(ReviewReviewer.id)
        .where(
            ReviewReviewer.review_id == row.review_id,
            ReviewReviewer.user_id == row.reviewer_id,
        )
        .with_for_update()
    ).first()
    stored, new = _insert_or_existing(session, row, ["review_id", "answer_key"])
    if not new:
        return stored, False
    session.execute(
        update(ReviewAnswer)
        .where(
            col(ReviewAnswer.review_id) == row.review_id,
            col(ReviewAnswer.reviewer_id) == row.reviewer_id,
            col(ReviewAnswer.id) != stored.id,
            col(ReviewAnswer.status) == OPEN,
        )
        .values(status=SUPERSEDED)
    )
    return stored, True


def get_answer(session: Session, answer_id: int, *, fresh: bool = False) -> ReviewAnswer | None:
    """An answer; ``fresh``: as the database has it now (after an UPDATE that missed it)."""
    return session.get(ReviewAnswer, answer_id, populate_existing=fresh)


def answers_of(
    session: Session, review_ids: Iterable[int], *, current_only: bool = False
) -> list[ReviewAnswer]:
    """The answers of these rounds, oldest first (``current_only``: without superseded ones)."""
    ids = list(review_ids)
    if not ids:
        return []
    query = select(ReviewAnswer).where(col(ReviewAnswer.review_id).in_(ids))
    if current_only:
        query = query.where(col(ReviewAnswer.status) != SUPERSEDED)
    return list(session.exec(query.order_by(col(ReviewAnswer.id))))


def resolve_suggestion(
    session: Session,
    answer_id: int,
    status: str,
    by: str,
    at: datetime,
    reason: str | None = None,
) -> bool:
    """An open suggestion becomes ``accepted`` or ``dismissed`` (with ``reason``); False when it
    is not an open suggestion any more (resolved already, superseded, or an approval)."""
    if status not in (ACCEPTED, DISMISSED):
        raise ValueError(f"a suggestion is resolved as accepted or dismissed, not {status!r}")
    result = session.execute(
        update(ReviewAnswer)
        .where(
            col(ReviewAnswer.id) == answer_id,
            col(ReviewAnswer.status) == OPEN,
            col(ReviewAnswer.verdict) == SUGGEST,
        )
        .values(status=status, resolved_by=by, resolved_at=at, reason=reason)
    )
    return bool(result.rowcount)


@dataclass(frozen=True)
class Counts:
    asked: int
    answered: int

    def text(self) -> str:
        return f"{self.answered} of {self.asked} answered"


def answer_counts(session: Session, review_ids: Iterable[int]) -> dict[int, Counts]:
    """Per round: how many were asked and how many of them have a current answer (one query)."""
    ids = list(review_ids)
    if not ids:
        return {}
    answered = (
        select(ReviewAnswer.review_id, ReviewAnswer.reviewer_id)
        .where(col(ReviewAnswer.review_id).in_(ids), col(ReviewAnswer.status) != SUPERSEDED)
        .distinct()
        .subquery()
    )
    query = (
        select(
            ReviewReviewer.review_id,
            func.count(ReviewReviewer.id),
            func.count(answered.c.reviewer_id),
        )
        .outerjoin(
            answered,
            (answered.c.review_id == ReviewReviewer.review_id)
            & (answered.c.reviewer_id == ReviewReviewer.user_id),
        )
        .where(col(ReviewReviewer.review_id).in_(ids))
        .group_by(ReviewReviewer.review_id)
    )
    return {rid: Counts(int(a), int(b)) for rid, a, b in session.exec(query)}


# -- reminders --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Owed:
    """A reviewer who has not answered a round that is due, and not been reminded."""

    review: ProcessReview
    team: SalesTeam
    reviewer: ReviewReviewer


def reminders_owed(session: Session, on_or_before: date, team_id: int | None = None) -> list[Owed]:
    """Reviewers of open rounds due on or before ``on_or_before`` (the latest local date of any
    team: the caller checks each team's own day and hours) with no current answer and no
    reminder yet, by round and then in the order asked; ``team_id``: that team's only."""
    answered = (
        select(ReviewAnswer.id)
        .where(
            col(ReviewAnswer.review_id) == col(ReviewReviewer.review_id),
            col(ReviewAnswer.reviewer_id) == col(ReviewReviewer.user_id),
            col(ReviewAnswer.status) != SUPERSEDED,
        )
        .exists()
    )
    query = (
        select(ProcessReview, SalesTeam, ReviewReviewer)
        .join(ReviewReviewer, col(ReviewReviewer.review_id) == col(ProcessReview.id))
        .join(ProcessDraft, col(ProcessDraft.id) == col(ProcessReview.draft_id))
        .join(SalesTeam, col(SalesTeam.id) == col(ProcessDraft.team_id))
        .where(
            col(ProcessReview.closed_at).is_(None),
            col(ProcessReview.due_on).is_not(None),
            col(ProcessReview.due_on) <= on_or_before,
            ProcessDraft.status == "open",
            col(ReviewReviewer.reminded_at).is_(None),
            ~answered,
        )
        .order_by(col(ProcessReview.id), col(ReviewReviewer.id))
    )
    if team_id is not None:
        query = query.where(ProcessDraft.team_id == team_id)
    return [Owed(r, t, who) for r, t, who in session.exec(query)]


def claim_reminder(session: Session, reviewer_row_id: int, at: datetime) -> bool:
    """Claim one reviewer's reminder: True once, False ever after (sent or being sent)."""
    result = session.execute(
        update(ReviewReviewer)
        .where(col(ReviewReviewer.id) == reviewer_row_id, col(ReviewReviewer.reminded_at).is_(None))
        .values(reminded_at=at)
    )
    return bool(result.rowcount)


def mark_round_reminded(session: Session, review_id: int, at: datetime) -> None:
    session.execute(
        update(ProcessReview)
        .where(col(ProcessReview.id) == review_id, col(ProcessReview.reminded_at).is_(None))
        .values(reminded_at=at)
    )

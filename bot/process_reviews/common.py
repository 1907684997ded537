"""Lookups every review surface shares: a round or an answer named by a button or a form (never
another workspace's), who answers to whom, and storage rows as the tally's plain answers."""

from __future__ import annotations

from bot import messages
from bot.context import Request
from bot.replies import Problem
from rituals import dates
from rituals.process.model import SLACK_ID_RE
from rituals.process_reviews import Answer
from storage import draft_queries, review_queries
from storage.models import ProcessDraft, ProcessReview, ReviewAnswer
from storage.unit_of_work import Session

FEEDBACK = "`/pacer process feedback`"


def as_answer(row: ReviewAnswer) -> Answer:
    return Answer(
        id=row.id or 0,
        reviewer=row.reviewer_id,
        verdict=row.verdict,
        item=row.item,
        instead=row.instead,
        why=row.why,
        status=row.status,
    )


def thread_owner(draft: ProcessDraft, review: ProcessReview) -> str:
    """Whom a round's answers go to: the draft's author, or (a draft loaded from the shell,
    authored by "cli") the person who asked for the review."""
    return draft.author_id if SLACK_ID_RE.match(draft.author_id or "") else review.requested_by


def may_resolve(request: Request, draft: ProcessDraft) -> bool:
    """The draft's author, the team's managers and admins act on suggestions."""
    return request.user_id == draft.author_id or request.actor.is_manager


def _number(raw: object) -> int | None:
    text = str(raw or "")
    return int(text) if text.isdigit() and len(text) <= 12 else None


def round_of(session: Session, request: Request, raw: object) -> tuple[ProcessReview, ProcessDraft]:
    """The open round a review button or form names, for one of its reviewers; else a Problem
    that says why nothing was recorded."""
    review_id = _number(raw)
    review = review_queries.get_review(session, review_id) if review_id else None
    if review is None or review.workspace_id != request.actor.workspace_id:
        raise Problem(
            "Pacer can't find this review, so nothing was recorded. Ask whoever sent it to "
            "ask again with `/pacer process review`."
        )
    if review_queries.reviewer(session, review.id, request.user_id) is None:
        raise Problem(
            "You weren't asked to review this draft, so your answer wasn't recorded. Only the "
            "people asked can answer; ask the draft's author to add you with "
            "`/pacer process review @you`."
        )
    draft = draft_queries.draft_by_id(session, review.draft_id)
    if review.closed_at is not None or draft is None or draft.status != "open":
        when = review.closed_at or (draft.closed_at if draft else None)
        on = f" on {dates.short(when.date())}" if when else ""
        raise Problem(
            f"This review closed{on} (the draft was published, discarded or the round was "
            "closed), so your answer wasn't recorded."
        )
    return review, draft


def answer_of(
    session: Session, request: Request, raw: object
) -> tuple[ReviewAnswer, ProcessReview, ProcessDraft]:
    """The open suggestion an Accept / Dismiss button or form names, for someone who may act on
    it; else a Problem."""
    answer_id = _number(raw)
    answer = review_queries.get_answer(session, answer_id) if answer_id else None
    review = review_queries.get_review(session, answer.review_id) if answer else None
    if answer is None or review is None or review.workspace_id != request.actor.workspace_id:
        raise Problem(
            f"Pacer can't find this suggestion, so nothing changed. {FEEDBACK} lists the open ones."
        )
    draft = draft_queries.draft_by_id(session, review.draft_id)
    if draft is None or not may_resolve(request, draft):
        raise Problem(
            "Only the draft's author, the team's managers and Pacer admins can accept or "
            "dismiss a suggestion; nothing changed."
        )
    if draft.status != "open":
        raise Problem(f"The draft was {draft.status}, so this suggestion can't change it any more.")
    if answer.status != "open" or answer.verdict != "suggest":
        raise Problem(already(answer))
    return answer, review, draft


def already(answer: ReviewAnswer) -> str:
    who = f" by {messages.mention(answer.resolved_by)}" if answer.resolved_by else ""
    if answer.status == "accepted":
        return f"This suggestion was already accepted{who}; nothing changed."
    if answer.status == "dismissed":
        return f"This suggestion was already dismissed{who}; nothing changed."
    return (
        f"{messages.mention(answer.reviewer_id)} has answered again since, so this suggestion "
        f"no longer counts; nothing changed. {FEEDBACK} shows their answer that counts."
    )

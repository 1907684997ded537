"""Process drafts (issue 14): a team's next process while it is prepared and reviewed.

At most one open draft per team (a partial unique index); opening one is keyed on the request
(``open_key``), so the same request twice opens one draft, and two different requests racing
end with one draft both see. Every edit is a DraftEdit keyed on the submission (``edit_key``):
the same submission delivered twice is applied once. Like the other query modules these only
flush; the caller's unit of work commits.
"""

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage import db
from storage.models import (
    ActivityLog,
    DraftEdit,
    ProcessDraft,
    ProcessReview,
    ProcessVersion,
    ReviewAnswer,
    ReviewReviewer,
)

OPEN, SCHEDULED, PUBLISHED, DISCARDED = "open", "scheduled", "published", "discarded"


def open_draft(session: Session, team_id: int, *, for_update: bool = False) -> ProcessDraft | None:
    """The team's open draft, if any. ``for_update``: locked until the transaction ends (an
    edit reads, changes and writes it back; two edits at once must not lose one). SQLite has no
    row locks: the transaction takes the write turn before the read (BEGIN IMMEDIATE, as
    storage.db.savepoint does), so the read is not stale by the time it writes."""
    query = select(ProcessDraft).where(ProcessDraft.team_id == team_id, ProcessDraft.status == OPEN)
    if for_update:
        _write_turn(session)
        query = query.with_for_update()
    return session.exec(query).first()


def scheduled_draft(
    session: Session, team_id: int, *, for_update: bool = False
) -> ProcessDraft | None:
    """The team's draft waiting for its day to be published, if any (at most one: a scheduled
    draft is the team's pending next version, like an open one; see uq_draft_open_team)."""
    query = select(ProcessDraft).where(
        ProcessDraft.team_id == team_id, ProcessDraft.status == SCHEDULED
    )
    if for_update:
        _write_turn(session)
        query = query.with_for_update()
    return session.exec(query).first()


def _write_turn(session: Session) -> None:
    connection = session.connection()
    if (
        connection.dialect.name == "sqlite"
        and not connection.connection.driver_connection.in_transaction
    ):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def schedule_draft(
    session: Session, draft: ProcessDraft, publish_on: date, *, by: str, at: datetime
) -> bool:
    """Lock an open draft until the clock publishes it on ``publish_on``; False when it is no
    longer open (published, discarded or scheduled by another request a moment ago)."""
    return _move(session, draft, OPEN, SCHEDULED, publish_on=publish_on, closed_at=at, closed_by=by)


def reopen_scheduled(session: Session, draft: ProcessDraft, *, at: datetime) -> bool:
    """A scheduled draft that can no longer be published becomes the team's open draft again
    (unlocked, no day); False when it is no longer scheduled (published or discarded meanwhile)."""
    unlocked = {"publish_on": None, "closed_at": None, "closed_by": None, "updated_at": at}
    return _move(session, draft, SCHEDULED, OPEN, **unlocked)


def _move(session: Session, draft: ProcessDraft, was: str, status: str, **values) -> bool:
    """The draft from status ``was`` to ``status`` (and ``values``) in one conditional UPDATE,
    so of two requests (or two clocks) only one moves it; False when it wasn't ``was``."""
    changed = session.exec(
        update(ProcessDraft)
        .where(col(ProcessDraft.id) == draft.id, col(ProcessDraft.status) == was)
        .values(status=status, **values)
    ).rowcount
    session.refresh(draft)
    return bool(changed)


def scheduled_due(
    session: Session, on_or_before: date, team_id: int | None = None
) -> list[ProcessDraft]:
    """Scheduled drafts whose day is ``on_or_before`` (the caller checks each team's own
    midnight), oldest day first."""
    query = select(ProcessDraft).where(
        ProcessDraft.status == SCHEDULED, col(ProcessDraft.publish_on) <= on_or_before
    )
    if team_id is not None:
        query = query.where(ProcessDraft.team_id == team_id)
    return list(session.exec(query.order_by(col(ProcessDraft.publish_on), col(ProcessDraft.id))))


def draft_by_id(session: Session, draft_id: int) -> ProcessDraft | None:
    return session.get(ProcessDraft, draft_id)


def create_draft(session: Session, draft: ProcessDraft) -> tuple[ProcessDraft, bool]:
    """Store a new open draft: (the draft, True). (the existing draft, False) when the same
    request already opened one, or when the team already has an open draft."""
    same = session.exec(
        select(ProcessDraft).where(
            ProcessDraft.workspace_id == draft.workspace_id,
            ProcessDraft.open_key == draft.open_key,
        )
    ).first()
    if same is not None:
        return same, False
    existing = open_draft(session, draft.team_id) or scheduled_draft(session, draft.team_id)
    if existing is not None:
        return existing, False
    try:
        with db.savepoint(session):
            session.add(draft)
    except IntegrityError:  # opened a moment ago by another request
        found = (
            open_draft(session, draft.team_id)
            or scheduled_draft(session, draft.team_id)
            or session.exec(
                select(ProcessDraft).where(
                    ProcessDraft.workspace_id == draft.workspace_id,
                    ProcessDraft.open_key == draft.open_key,
                )
            ).first()
        )
        if found is None:
            raise
        return found, False
    return draft, True


def save_edit(
    session: Session,
    draft: ProcessDraft,
    definition: str,
    source_text: str,
    summary: str,
    edited_by: str,
    edit_key: str,
    *,
    at: datetime,
    name: str | None = None,
    credited_to: str | None = None,
    answer_id: int | None = None,
) -> bool:
    """Record one edit and make ``definition`` (JSON of Process.to_dict()) and ``source_text``
    (YAML) the draft's content. False, and nothing changed, when this ``edit_key`` was already
    applied to the draft or the draft is no longer open."""
    if draft.status != OPEN:
        return False
    edit = DraftEdit(
        draft_id=draft.id,
        edited_by=edited_by,
        credited_to=credited_to,
        answer_id=answer_id,
        summary=summary[:300],
        at=at,
        edit_key=edit_key[:160],
    )
    try:
        with db.savepoint(session):
            session.add(edit)
    except IntegrityError:
        return False
    values = {"definition": definition, "source_text": source_text, "updated_at": at}
    if name is not None:
        values["name"] = name[:200]
    changed = session.exec(
        update(ProcessDraft)
        .where(col(ProcessDraft.id) == draft.id, col(ProcessDraft.status) == OPEN)
        .values(**values)
    ).rowcount
    if not changed:  # closed meanwhile: the edit goes with the draft's last state
        session.delete(edit)
        session.flush()
        return False
    session.refresh(draft)
    return True


def edits_of(session: Session, draft_id: int) -> list[DraftEdit]:
    return list(
        session.exec(
            select(DraftEdit).where(DraftEdit.draft_id == draft_id).order_by(col(DraftEdit.id))
        )
    )


def close_draft(
    session: Session,
    draft: ProcessDraft,
    status: str,
    *,
    by: str,
    at: datetime,
    published_version: int | None = None,
    was: str = OPEN,
) -> bool:
    """Publish or discard a draft that is ``was`` (open, or scheduled); False when it was closed
    already (a second request, or the other of two clocks: the claim that publishes once)."""
    return _move(
        session, draft, was, status, closed_at=at, closed_by=by, published_version=published_version
    )


def set_published_version(session: Session, draft: ProcessDraft, version: int) -> None:
    """The version a scheduled draft became (known only after its claim stored it)."""
    draft.published_version = version
    session.add(draft)
    session.flush()


def drafts_of(session: Session, draft_ids: Iterable[int]) -> dict[int, ProcessDraft]:
    ids = list(set(draft_ids))
    if not ids:
        return {}
    rows = session.exec(select(ProcessDraft).where(col(ProcessDraft.id).in_(ids)))
    return {d.id: d for d in rows}


def published_versions(session: Session, team_id: int) -> list[ProcessVersion]:
    """The team's versions, newest first (history)."""
    return list(
        session.exec(
            select(ProcessVersion)
            .where(ProcessVersion.team_id == team_id)
            .order_by(col(ProcessVersion.version).desc())
        )
    )


def kpis_in_use(session: Session, team_id: int, kpis: Iterable[str]) -> set[str]:
    """Which of these KPI keys the team's logs refer to (voided ones too: undone history is
    still history)."""
    keys = list(set(kpis))
    if not keys:
        return set()
    rows = session.exec(
        select(ActivityLog.kpi, func.count())
        .where(ActivityLog.team_id == team_id, col(ActivityLog.kpi).in_(keys))
        .group_by(ActivityLog.kpi)
    )
    return {kpi for kpi, _ in rows}


# -- what the reviews of a draft say (read here for publishing, history and who may see it;
# storage/review_queries.py records them) ------------------------------------------------------


def reviewers_of(session: Session, draft_ids: Iterable[int]) -> dict[int, set[str]]:
    """Everyone asked to review each draft, in any round."""
    ids = list(set(draft_ids))
    out: dict[int, set[str]] = {i: set() for i in ids}
    if not ids:
        return out
    rows = session.exec(
        select(ProcessReview.draft_id, ReviewReviewer.user_id)
        .join(ReviewReviewer, col(ReviewReviewer.review_id) == col(ProcessReview.id))
        .where(col(ProcessReview.draft_id).in_(ids))
    )
    for draft_id, user_id in rows:
        out[draft_id].add(user_id)
    return out


def current_answers(session: Session, draft_id: int) -> list[ReviewAnswer]:
    """The answers that count (not superseded), over every review round of the draft."""
    return list(
        session.exec(
            select(ReviewAnswer)
            .join(ProcessReview, col(ProcessReview.id) == col(ReviewAnswer.review_id))
            .where(ProcessReview.draft_id == draft_id, ReviewAnswer.status != "superseded")
            .order_by(col(ReviewAnswer.id))
        )
    )


def close_reviews(session: Session, draft_id: int, at: datetime) -> int:
    """Close the draft's open review rounds (it was published or discarded)."""
    return session.exec(
        update(ProcessReview)
        .where(col(ProcessReview.draft_id) == draft_id, col(ProcessReview.closed_at).is_(None))
        .values(closed_at=at)
    ).rowcount


def last_closed_draft(session: Session, team_id: int) -> ProcessDraft | None:
    return session.exec(
        select(ProcessDraft)
        .where(ProcessDraft.team_id == team_id, col(ProcessDraft.status).not_in((OPEN, SCHEDULED)))
        .order_by(col(ProcessDraft.closed_at).desc(), col(ProcessDraft.id).desc())
        .limit(1)
    ).first()

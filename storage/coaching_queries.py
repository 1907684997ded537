"""Coaching sessions and their notes (issue 4, "Coaching"): reads and writes, each one statement.

A session is opened by ``/coach @rep`` (one row per Slack trigger_id, so a request delivered
twice opens one session); its thread is recorded once posted. Notes are the thread's replies,
unique on (session, Slack message ts) so an event delivered twice is saved once. Sessions whose
thread was never posted (``thread_ts`` NULL) are kept, with the reason in their agenda, but do
not count as coaching in the cadence.

Writes flush and never commit: the caller's unit of work does (storage/unit_of_work.py). A
unique key taken by a racing request is settled inside the statement (``INSERT … ON CONFLICT DO
NOTHING``; a SAVEPOINT on other databases), so the caller's transaction goes on either way."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage import db
from storage.models import CoachingNote, CoachingSession, SalesTeam

# Rep IDs per IN list: far under every database's bound-parameter limit.
_MAX_IN = 5000


def set_coaching_channel(session: Session, team: SalesTeam, channel_id: str | None) -> None:
    team.coaching_channel_id = channel_id
    session.add(team)
    session.flush()


def _insert_unless_taken(session: Session, row, keys: list[str]):
    """Insert ``row`` unless its unique ``keys`` are taken: the stored row (in the session), or
    None. A racing insert of the same key waits for the other transaction, then does nothing."""
    model = type(row)
    statement = db.insert_ignoring_duplicates(session, model, keys)
    if statement is not None:
        values = row.model_dump(exclude={"id"})
        return session.scalars(statement.values(**values).returning(model)).first()
    try:  # another database: the unique key decides, inside a savepoint
        with session.begin_nested():
            session.add(row)
        return row
    except IntegrityError:
        return None


# -- sessions ---------------------------------------------------------------------------------


def open_session(session: Session, row: CoachingSession) -> tuple[CoachingSession, bool]:
    """Insert a session; (the stored row, True). When its ``open_key`` (Slack's trigger_id) was
    already used in the workspace, nothing is inserted: (the existing session, False)."""
    stored = _insert_unless_taken(session, row, ["workspace_id", "open_key"])
    if stored is not None:
        return stored, True
    existing = session.exec(
        select(CoachingSession).where(
            CoachingSession.workspace_id == row.workspace_id,
            CoachingSession.open_key == row.open_key,
        )
    ).one()
    return existing, False


def get_session(session: Session, session_id: int) -> CoachingSession | None:
    return session.get(CoachingSession, session_id)


def save_session(session: Session, row: CoachingSession) -> CoachingSession:
    session.add(row)
    session.flush()
    return row


def sessions_for_rep(
    session: Session, workspace_id: int, rep_id: str, limit: int | None = None
) -> list[CoachingSession]:
    """A rep's sessions, newest first (posted or not)."""
    query = (
        select(CoachingSession)
        .where(CoachingSession.workspace_id == workspace_id, CoachingSession.rep_id == rep_id)
        .order_by(col(CoachingSession.opened_at).desc(), col(CoachingSession.id).desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def count_sessions_for_rep(session: Session, workspace_id: int, rep_id: str) -> int:
    return session.exec(
        select(func.count())
        .select_from(CoachingSession)
        .where(CoachingSession.workspace_id == workspace_id, CoachingSession.rep_id == rep_id)
    ).one()


def last_session(
    session: Session, workspace_id: int, rep_id: str, before: datetime | None = None
) -> CoachingSession | None:
    """The rep's newest session whose thread was posted (opened before ``before`` if given)."""
    query = select(CoachingSession).where(
        CoachingSession.workspace_id == workspace_id,
        CoachingSession.rep_id == rep_id,
        col(CoachingSession.thread_ts).is_not(None),
    )
    if before is not None:
        query = query.where(CoachingSession.opened_at < before)
    return session.exec(
        query.order_by(col(CoachingSession.opened_at).desc(), col(CoachingSession.id).desc())
    ).first()


def find_by_thread(session: Session, channel_id: str, thread_ts: str) -> CoachingSession | None:
    """The session whose thread is (channel, ts): one lookup on ``ix_coaching_thread``."""
    return session.exec(
        select(CoachingSession).where(
            CoachingSession.channel_id == channel_id, CoachingSession.thread_ts == thread_ts
        )
    ).first()


@dataclass(frozen=True)
class Cadence:
    """A rep's coaching so far: sessions since the window's start, and the newest one."""

    recent: int
    last_at: datetime | None


def cadence(
    session: Session,
    workspace_id: int,
    rep_ids: Iterable[str],
    since: datetime,
    until: datetime,
) -> dict[str, Cadence]:
    """rep -> (posted sessions opened in [since, until], the newest opened by ``until``), in one
    GROUP BY (per 5,000 reps). A rep never coached is absent."""
    ids = sorted(set(rep_ids))
    out: dict[str, Cadence] = {}
    for start in range(0, len(ids), _MAX_IN):
        chunk = ids[start : start + _MAX_IN]
        recent = func.sum(case((CoachingSession.opened_at >= since, 1), else_=0))
        rows = session.exec(
            select(CoachingSession.rep_id, func.max(CoachingSession.opened_at), recent)
            .where(
                CoachingSession.workspace_id == workspace_id,
                col(CoachingSession.rep_id).in_(chunk),
                CoachingSession.opened_at <= until,
                col(CoachingSession.thread_ts).is_not(None),
            )
            .group_by(CoachingSession.rep_id)
        )
        for rep_id, last_at, count in rows:
            out[rep_id] = Cadence(int(count or 0), last_at)
    return out


# -- notes ------------------------------------------------------------------------------------


def insert_note(session: Session, note: CoachingNote) -> bool:
    """Store a note unless one for the same (session, message ts) exists: True when stored.
    Two deliveries of the same event racing each other store one note and neither fails."""
    return _insert_unless_taken(session, note, ["session_id", "message_ts"]) is not None


def update_note(
    session: Session, session_id: int, message_ts: str, text: str, is_action: bool
) -> bool:
    """An edited reply: the note follows the edit. False when there is no such note."""
    changed = session.execute(
        update(CoachingNote)
        .where(
            col(CoachingNote.session_id) == session_id, col(CoachingNote.message_ts) == message_ts
        )
        .values(text=text, is_action=is_action)
    ).rowcount
    return changed > 0


def get_note(session: Session, note_id: int) -> CoachingNote | None:
    return session.exec(
        select(CoachingNote)
        .where(CoachingNote.id == note_id)
        .execution_options(populate_existing=True)
    ).first()


def note_by_message(session: Session, session_id: int, message_ts: str) -> CoachingNote | None:
    return session.exec(
        select(CoachingNote).where(
            CoachingNote.session_id == session_id, CoachingNote.message_ts == message_ts
        )
    ).first()


def mark_done(session: Session, note_id: int, by: str, now: datetime) -> bool:
    """Mark an action item done (compare-and-set): False when it was done already (or is not an
    action item), so two presses at once record one."""
    changed = session.execute(
        update(CoachingNote)
        .where(
            col(CoachingNote.id) == note_id,
            col(CoachingNote.is_action),
            col(CoachingNote.done_at).is_(None),
        )
        .values(done_at=now, done_by=by)
    ).rowcount
    return changed == 1


def delete_note(session: Session, session_id: int, message_ts: str) -> bool:
    """A deleted reply: its note goes too. False when there was none."""
    removed = session.execute(
        delete(CoachingNote).where(
            col(CoachingNote.session_id) == session_id, col(CoachingNote.message_ts) == message_ts
        )
    ).rowcount
    return removed > 0


def notes_for_sessions(
    session: Session, session_ids: Iterable[int]
) -> dict[int, list[CoachingNote]]:
    """session id -> its notes in the order they were written, for many sessions at once."""
    ids = sorted(set(session_ids))
    out: dict[int, list[CoachingNote]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = session.exec(
        select(CoachingNote)
        .where(col(CoachingNote.session_id).in_(ids))
        .order_by(CoachingNote.session_id, CoachingNote.message_ts, CoachingNote.id)
    )
    for note in rows:
        out[note.session_id].append(note)
    return out


@dataclass(frozen=True)
class Totals:
    """Everything coaching has stored: sessions (posted or not), notes, action items among them."""

    sessions: int
    notes: int
    actions: int


def totals(session: Session) -> Totals:
    """Sessions, notes and action items in the whole database, in one statement (what
    ``pacer demo``'s summary counts)."""
    count = func.count()
    sessions = select(count).select_from(CoachingSession).scalar_subquery()
    notes = select(count).select_from(CoachingNote).scalar_subquery()
    actions = (
        select(count).select_from(CoachingNote).where(col(CoachingNote.is_action)).scalar_subquery()
    )
    found = session.exec(select(sessions, notes, actions)).one()
    return Totals(*(int(n) for n in found))


__all__ = [
    "Cadence",
    "Totals",
    "cadence",
    "count_sessions_for_rep",
    "delete_note",
    "find_by_thread",
    "get_session",
    "insert_note",
    "last_session",
    "notes_for_sessions",
    "open_session",
    "save_session",
    "sessions_for_rep",
    "set_coaching_channel",
    "totals",
    "update_note",
]

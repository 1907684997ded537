"""Exactly-once ritual runs: a run is claimed in the database before anything is posted.

A run is one :class:`~rituals.schedule.Occurrence` for one team, stored as a ``ritual_run`` row
unique on (team, kind, period_key) (SQL: storage/run_queries.py). Each step is its own unit of
work, opened by the caller, so that the claim is durable before anything is posted and each post
is recorded before the next one (bot/delivery/runner.py)::

    with unit_of_work() as session:
        run = claim(session, workspace_id=…, team_id=…, occurrence=occ, now=now, owner=identity)
    if run is None:
        return                      # posted or skipped already, or another clock is on it
    try:
        for part in parts[run.parts_done:]:        # resume where a crashed run stopped
            ts = post(part, thread_ts=run.message_ts)
            with unit_of_work() as session:
                progress(session, run, parts_done=run.parts_done + 1, channel_id=…, message_ts=…)
        with unit_of_work() as session:
            finish(session, run, now)
    except ClaimLost:
        return                      # we were presumed dead and another clock took over
    except SlackError as error:
        with unit_of_work() as session:
            fail(session, run, str(error), now)    # retried on a later tick, up to max_attempts

- ``claim`` inserts a ``claimed`` row; the unique key gives two clocks racing for the same run
  exactly one winner. A ``failed`` row (under ``max_attempts``) or a ``claimed`` row older than
  ``stale_after`` (its clock died mid-run) is re-claimed with a compare-and-set UPDATE guarded by
  the status, attempts and claimed_at as read, so of two clocks re-claiming at once one wins.
  ``posted`` and ``skipped`` rows are never claimed again.
- ``attempts`` is also the fence: ``progress`` and ``finish`` only touch the row while it is still
  ``claimed`` with the attempt number of *this* claim, and raise :class:`ClaimLost` otherwise, so
  a clock that was merely slow cannot keep posting after another one took the run over.
- ``parts_done``, ``channel_id`` and ``message_ts`` are recorded after each post: a resumed run
  (re-claimed after a crash or a failure) continues in the same thread without re-posting.

No function here commits: the caller's unit of work does. Callers pass the session and the time.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta

from rituals.kinds import INVITE_NOTE, NUDGE, RITUAL_KINDS
from rituals.schedule import Occurrence
from storage import run_queries
from storage.models import RitualRun
from storage.unit_of_work import Session

__all__ = [
    "CLAIMED",
    "FAILED",
    "INVITE_NOTE",
    "MAX_ERROR_LEN",
    "POSTED",
    "SKIPPED",
    "STATUSES",
    "ClaimLost",
    "claim",
    "claimed_keys",
    "fail",
    "finish",
    "get_run",
    "last_runs",
    "note_once",
    "posted_before",
    "process_identity",
    "progress",
    "prune_sweeps",
    "retryable",
    "settled_keys",
    "skip",
]

CLAIMED, POSTED, FAILED, SKIPPED = "claimed", "posted", "failed", "skipped"
STATUSES = (CLAIMED, POSTED, FAILED, SKIPPED)
MAX_ERROR_LEN = 2000
MAX_OWNER_LEN = 200
STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 5


class ClaimLost(Exception):
    """The run is no longer this claim's: another clock re-claimed it (this one was presumed
    dead), or it was finished or skipped meanwhile. Stop posting it."""


def process_identity() -> str:
    """A string that names this process among the clocks, for ``claimed_by``."""
    return f"{socket.gethostname()}:{os.getpid()}"[:MAX_OWNER_LEN]


def _truncate(text: str, limit: int = MAX_ERROR_LEN) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


get_run = run_queries.get_run  # the run of a ritual for a period, fresh from the database


def _new_row(workspace_id: int, team_id: int, occurrence: Occurrence, **values) -> RitualRun:
    return RitualRun(
        workspace_id=workspace_id,
        team_id=team_id,
        kind=occurrence.kind,
        period_key=occurrence.period_key,
        due_at=occurrence.due_at,
        parts_done=0,
        **values,
    )


def claim(
    session: Session,
    *,
    workspace_id: int,
    team_id: int,
    occurrence: Occurrence,
    now: datetime,
    owner: str,
    stale_after: timedelta = STALE_AFTER,
    max_attempts: int = MAX_ATTEMPTS,
    backoff: Callable[[int], timedelta] | None = None,
) -> RitualRun | None:
    """Claim the run of ``occurrence`` for this team; the RitualRun to carry out, or None when
    it must not run (posted, skipped, given up after ``max_attempts``, or being run right now by
    another clock). A re-claimed run keeps its parts_done, channel_id and message_ts. The row
    comes back detached from the session: pass it to progress/finish/fail, which keep it
    up to date. The claim holds once the caller's unit of work commits: commit it before
    posting anything."""
    owner = owner[:MAX_OWNER_LEN]
    new = _new_row(
        workspace_id,
        team_id,
        occurrence,
        status=CLAIMED,
        attempts=1,
        claimed_at=now,
        claimed_by=owner,
    )
    if run_queries.insert_new(session, new):
        return _claimed(session, team_id, occurrence)
    existing = get_run(session, team_id, occurrence.kind, occurrence.period_key)
    if existing is None or existing.attempts >= max_attempts:
        return None
    if existing.status == FAILED:
        # ``backoff(attempts)``: how long a failed run rests before the next try, so a Slack
        # outage of minutes does not use up every attempt.
        rest = backoff(existing.attempts) if backoff else timedelta(0)
        if existing.finished_at is not None and existing.finished_at > now - rest:
            return None
    if not _may_take_over(existing, now, stale_after):
        return None
    taken = run_queries.update_if_unchanged(
        session,
        existing,
        status=CLAIMED,
        attempts=existing.attempts + 1,
        claimed_at=now,
        claimed_by=owner,
        finished_at=None,
    )
    if not taken:  # another clock re-claimed it between our read and our write
        return None
    return _claimed(session, team_id, occurrence)


def _claimed(session: Session, team_id: int, occurrence: Occurrence) -> RitualRun:
    """The claimed row as stored, detached from the session: its ``attempts`` is this claim's
    fence, and must not be refreshed from the database by a later load, commit or rollback."""
    row = get_run(session, team_id, occurrence.kind, occurrence.period_key)
    return run_queries.detached(session, row)


def _may_take_over(existing: RitualRun, now: datetime, stale_after: timedelta) -> bool:
    """Whether another claim may take a run over: it failed, or its clock went quiet for
    ``stale_after``. (The takeover itself is a compare-and-set on the row as read.)"""
    if existing.status == FAILED:
        return True
    return (
        existing.status == CLAIMED
        and existing.claimed_at is not None
        and existing.claimed_at <= now - stale_after
    )


def _fenced(session: Session, run: RitualRun, **values) -> bool:
    """Update the run only while it is still this claim's (claimed, same attempt)."""
    if not run_queries.update_if(
        session, run.id, while_status=CLAIMED, while_attempts=run.attempts, values=values
    ):
        return False
    for name, value in values.items():
        setattr(run, name, value)
    return True


def progress(
    session: Session,
    run: RitualRun,
    *,
    parts_done: int,
    channel_id: str | None = None,
    message_ts: str | None = None,
    now: datetime | None = None,
) -> None:
    """Record, after each successful post, how many of the run's posts are done (and where the
    main post is). Raises ClaimLost when the run is no longer this claim's."""
    values: dict[str, object] = {"parts_done": parts_done}
    if channel_id is not None:
        values["channel_id"] = channel_id
    if message_ts is not None:
        values["message_ts"] = message_ts
    if now is not None:  # a heartbeat: a slow run that is still posting is not taken for dead
        values["claimed_at"] = now
    if not _fenced(session, run, **values):
        raise ClaimLost(f"{run.kind} {run.period_key} of team {run.team_id}")


def finish(session: Session, run: RitualRun, now: datetime) -> None:
    """The run is posted, for good. Raises ClaimLost when it is no longer this claim's."""
    if not _fenced(session, run, status=POSTED, finished_at=now, error=None):
        raise ClaimLost(f"{run.kind} {run.period_key} of team {run.team_id}")


def fail(session: Session, run: RitualRun, error: str, now: datetime) -> bool:
    """The run failed (the reason is kept, truncated); a later claim retries it while attempts
    remain. False when the run was no longer this claim's (nothing recorded)."""
    return _fenced(session, run, status=FAILED, error=_truncate(error), finished_at=now)


def skip(
    session: Session,
    *,
    workspace_id: int,
    team_id: int,
    occurrence: Occurrence,
    reason: str,
    now: datetime,
    stale_after: timedelta = STALE_AFTER,
) -> bool:
    """Record that a run will not happen (e.g. missed beyond its grace window): a new
    ``skipped`` row, or a failed run (or one whose clock died) given up. True when this call
    recorded it; False when the run was posted, skipped already, or is being run right now."""
    new = _new_row(
        workspace_id,
        team_id,
        occurrence,
        status=SKIPPED,
        attempts=0,
        finished_at=now,
        error=_truncate(reason),
    )
    if run_queries.insert_new(session, new):
        return True
    existing = get_run(session, team_id, occurrence.kind, occurrence.period_key)
    if existing is None or not _may_take_over(existing, now, stale_after):
        return False
    why = reason if not existing.error else f"{reason} (last error: {existing.error})"
    return run_queries.update_if_unchanged(
        session, existing, status=SKIPPED, finished_at=now, error=_truncate(why)
    )


def note_once(
    session: Session, *, workspace_id: int, team_id: int, kind: str, key: str, now: datetime
) -> bool:
    """Record that the note ``kind`` (one of rituals.kinds.ONE_TIME_RUNS, e.g. INVITE_NOTE) about
    ``key`` (e.g. a channel id) was given to the team's managers: a ``posted`` row, never claimed
    by a clock. True when this call recorded it (so say it now), False when it was said already
    (across processes: the row's unique key decides)."""
    occurrence = Occurrence(kind=kind, due_at=now, period_key=key)
    row = _new_row(workspace_id, team_id, occurrence, status=POSTED, attempts=0, finished_at=now)
    return run_queries.insert_new(session, row)


def posted_before(session: Session, run: RitualRun, channel_id: str) -> str | None:
    """A lower bound for the ts of anything ``run`` posted in ``channel_id``: the newest post
    recorded there by the team's runs finished by the time ``run`` was due (so before it could
    post). None when there is none."""
    return run_queries.newest_message_ts(
        session, run.team_id, channel_id, finished_by=run.due_at, other_than=run.id
    )


def last_runs(session: Session, team_id: int) -> list[RitualRun]:
    """The newest run of each ritual for a team (by due time), in RITUAL_KINDS order, for
    `pacer rituals status`."""
    order = {kind: i for i, kind in enumerate(RITUAL_KINDS)}
    rows = run_queries.newest_of_each_kind(session, team_id)
    return sorted(rows, key=lambda r: (order.get(r.kind, len(order)), r.kind))


def retryable(
    session: Session,
    now: datetime,
    *,
    team_id: int | None = None,
    stale_after: timedelta = STALE_AFTER,
    max_attempts: int = MAX_ATTEMPTS,
) -> list[RitualRun]:
    """Runs a clock should try again on this tick, oldest first: failed ones with attempts left,
    and claimed ones whose clock went quiet for ``stale_after`` (claim() decides who gets them)."""
    return run_queries.in_status_or_stale(
        session,
        statuses=(FAILED,),
        stale_status=CLAIMED,
        stale_before=now - stale_after,
        below_attempts=max_attempts,
        team_id=team_id,
    )


def settled_keys(
    session: Session, team_id: int, since: datetime, max_attempts: int = MAX_ATTEMPTS
) -> set[tuple[str, str]]:
    """(kind, period_key) of this team's runs due since ``since`` that need nothing more: posted,
    skipped, or failed for good. A clock's tick skips them without trying to claim them."""
    return run_queries.keys_due_since(
        session,
        team_id,
        since,
        statuses=(POSTED, SKIPPED),
        or_status=FAILED,
        at_attempts=max_attempts,
    )


def claimed_keys(session: Session, team_id: int, kind: str, keys: list[str]) -> set[str]:
    """Which of these period keys of ``kind`` are claimed already, whatever became of them (one
    query, so a nudge sweep through a big team's afternoon costs nothing per rep nudged)."""
    return run_queries.period_keys_taken(session, team_id, kind, keys)


# A nudge sweep's key is its UTC slot ("2026-11-26T20:00Z"); a rep's nudge is "2026-11-26:U…".
SWEEP_KEY_SUFFIX = "Z"


def prune_sweeps(session: Session, before: datetime) -> int:
    """Delete the nudge sweeps' own rows due before ``before`` (48 a day per team, most of them
    quiet); the per-rep nudge rows, one per reminder sent, stay. A clock never looks this far
    back (its tick reaches back the longest grace window), so nothing is run twice for it."""
    return run_queries.delete_due_before(
        session,
        kind=NUDGE.name,
        key_suffix=SWEEP_KEY_SUFFIX,
        before=before,
        statuses=(POSTED, SKIPPED, FAILED),
    )

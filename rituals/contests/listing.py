"""Which of a team's contests are running, and which ended lately."""

from datetime import datetime

from rituals.contests.spec import RECENT
from rituals.contests.timing import closes_at
from storage import contest_queries
from storage.models import Contest
from storage.unit_of_work import Session


def running_contests(session: Session, team_id: int, now: datetime) -> list[Contest]:
    """The team's contests started and still counting at ``now``, oldest first."""
    rows = contest_queries.team_contests(session, team_id, since=now)
    return sorted(
        (
            c
            for c in rows
            if c.status == contest_queries.RUNNING
            and c.result is None
            and c.starts_at <= now < closes_at(c)
        ),
        key=lambda c: (c.starts_at, c.id),
    )


running = running_contests  # what `pacer rituals run standings` calls


def recent_contests(session: Session, team_id: int, now: datetime) -> list[Contest]:
    """Running contests, then those that closed in the last 30 days, newest first."""
    rows = contest_queries.team_contests(session, team_id, since=now - RECENT)
    live = [c for c in rows if c.result is None and now < closes_at(c) and now >= c.starts_at]
    done = [c for c in rows if c not in live]
    return live + sorted(done, key=lambda c: closes_at(c), reverse=True)

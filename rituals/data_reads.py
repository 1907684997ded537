"""What the read API answers, as plain data from the same functions Slack's views use: a rep's
scorecard (what /scorecard shows), a team's leaderboard (/leaderboard), and activity, paged."""

from dataclasses import dataclass
from datetime import date, datetime

from rituals.digests import Leaderboard, leaderboard
from rituals.ingest.items import SLACK_USER_ID, owner_key
from rituals.ranking import BY_ATTAINMENT, BY_COUNT
from rituals.scorecard import Scorecard, build_scorecard, period_for, rep_calendar
from rituals.teams import team_members, team_process
from storage import api_queries, ingest_queries, people_queries
from storage.models import ActivityLog
from storage.unit_of_work import Session

PERIODS = ("day", "week", "month")
MAX_PAGE = 1000


class NotFound(LookupError):
    """What a read names does not exist; ``field`` is the parameter that named it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class BadQuery(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def rep_scorecard(
    session: Session, workspace_id: int, user_id: str, kind: str, now: datetime
) -> Scorecard:
    if kind not in PERIODS:
        raise BadQuery("period", f"period is one of {', '.join(PERIODS)}")
    member = people_queries.get_member(session, workspace_id, user_id)
    if member is None or not member.role:
        raise NotFound("user_id", f"{user_id} is not a rep on a Pacer team")
    process, _ = team_process(session, member.team_id)
    if not process.has_role(member.role):
        raise NotFound("user_id", f"{user_id}'s role {member.role!r} is not in the team's process")
    profile = people_queries.get_profile(session, workspace_id, user_id)
    cal = rep_calendar(process, profile.tz if profile else None)
    period = period_for(process, kind, now, 0, cal)
    return build_scorecard(session, workspace_id, process, member, period, now, cal)


def team_leaderboard(
    session: Session,
    workspace_id: int,
    team: str,
    kpi: str | None,
    kind: str,
    now: datetime,
    by: str | None = None,
) -> Leaderboard:
    """``by``: attainment (the default) or count (one KPI at a time), as /leaderboard ranks."""
    if kind not in PERIODS:
        raise BadQuery("period", f"period is one of {', '.join(PERIODS)}")
    by = by or BY_ATTAINMENT
    if by not in (BY_ATTAINMENT, BY_COUNT):
        raise BadQuery("by", f"by is {BY_ATTAINMENT} or {BY_COUNT}")
    teams = people_queries.teams(session, workspace_id)
    found = [t for t in teams if t.name.casefold() == team.casefold() or str(t.id) == team]
    if not found:
        names = ", ".join(t.name for t in teams) or "none yet"
        raise NotFound("team", f"no team is named {team!r} (teams: {names})")
    row = found[0]
    process, _ = team_process(session, row.id)
    key = None
    if kpi:
        matches = [process.kpi(kpi)] if process.has_kpi(kpi) else process.resolve_word(kpi)
        if len(matches) != 1:
            keys = ", ".join(k.key for k in process.kpis)
            raise BadQuery("kpi", f"kpi {kpi!r} is not a KPI of the team's process ({keys})")
        key = matches[0].key
    period = period_for(process, kind, now)
    today = process.calendar.local_date(now)
    members = team_members(session, row.id, period.start, period.end, today)
    if by == BY_COUNT and key is None:
        raise BadQuery("by", "counts rank one KPI at a time: add kpi=")
    return leaderboard(session, workspace_id, process, members, key, period, now, by)


@dataclass(frozen=True)
class Page:
    items: list[ActivityLog]
    next_after: int | None  # the cursor of the next page; None: this is the last


def activities(
    session: Session,
    workspace_id: int,
    *,
    start: date | None = None,
    end: date | None = None,
    owner: str | None = None,
    kpi: str | None = None,
    after_id: int = 0,
    limit: int = 100,
    voided: bool = False,
) -> Page:
    if start and end and end < start:
        raise BadQuery("to", f"to ({end}) is before from ({start})")
    if not 1 <= limit <= MAX_PAGE:
        raise BadQuery("limit", f"limit is from 1 to {MAX_PAGE}")
    rep_ids = None
    if owner:
        rep_ids = _owner_ids(session, workspace_id, owner)
    rows = api_queries.activities_page(
        session,
        workspace_id,
        start=start,
        end=end,
        rep_ids=rep_ids,
        kpi=kpi.strip().lower() if kpi else None,
        after_id=after_id,
        limit=limit + 1,
        voided=voided,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1].id if more else None)


def _owner_ids(session: Session, workspace_id: int, owner: str) -> list[str]:
    """An owner as ingestion names one: a Slack user ID, an email, or a mapped id."""
    key = owner_key(owner)
    found = ingest_queries.aliases(session, workspace_id, [key]).get(key)
    found = found or ingest_queries.users_by_email(session, workspace_id, [key]).get(key)
    if found is None and SLACK_USER_ID.match(owner.strip()):
        found = owner.strip()
    return [found] if found else []

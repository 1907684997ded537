"""Starting a contest (checked, then stored once per start key, a lag suggestion claimed with it)
and ending one early. Both work inside the caller's unit of work and never commit: the caller
announces the contest, or posts its result, once that unit of work has committed."""

from datetime import UTC, datetime

from rituals.contests.plan import plan_contest
from rituals.contests.problems import NameTaken
from rituals.contests.spec import SOURCES, ContestSpec
from rituals.contests.standings import Standings, final_result
from rituals.contests.timing import closes_at
from rituals.process import Process
from rituals.refusals import (
    ContestNotStarted,
    ContestNotStored,
    SuggestionDecided,
    SuggestionGone,
    SuggestionOfAnotherTeam,
    SuggestionUnavailable,
)
from storage import contest_queries
from storage.models import Contest, SalesTeam
from storage.unit_of_work import Session


def start_contest(
    session: Session,
    *,
    team: SalesTeam,
    process: Process,
    spec: ContestSpec,
    by: str,
    now: datetime,
    source: str,
    start_key: str,
    suggestion_id: int | None = None,
) -> tuple[Contest, bool]:
    """Check a spec and store the contest with its entrants; (contest, True). The same
    ``start_key`` again returns the contest it started and False. With ``suggestion_id`` the
    lag suggestion is marked launched with it (compare-and-set). Raises ContestNotStarted with
    every problem of the spec, or SuggestionUnavailable (who decided it and when) if the
    suggestion is no longer open; either way nothing is stored."""
    start_key = start_key[:160]
    existing = contest_queries.contest_by_start_key(session, team.workspace_id, start_key)
    if existing is not None:
        return existing, False
    plan = plan_contest(session, team.id, process, spec, now)
    if not plan.ok:
        # The same request delivered twice at once: the other delivery may have stored it since
        # the look-up above (its name now "already running"): that one is this one's answer.
        existing = contest_queries.contest_by_start_key(session, team.workspace_id, start_key)
        if existing is not None:
            return existing, False
        raise ContestNotStarted(plan.problems)
    contest = Contest(
        workspace_id=team.workspace_id,
        team_id=team.id,
        name=spec.name.strip(),
        kind=spec.kind,
        kpi=process.kpi(spec.kpi).key,
        target=spec.target if spec.kind != "race" else None,
        scoring=spec.scoring if spec.kind == "teams" else "sum",
        prize=(spec.prize or "").strip(),
        start_day=spec.start_day,
        end_day=spec.end_day,
        starts_at=now.astimezone(UTC),
        ends_at=plan.ends_at,
        settles_at=plan.settles_at,
        status=contest_queries.RUNNING,
        source=source if source in SOURCES else "command",
        created_by=by,
        created_at=now.astimezone(UTC),
        start_key=start_key,
    )
    stored, outcome = contest_queries.store_contest(
        session, contest, plan.entrants, suggestion_id=suggestion_id, now=now
    )
    if outcome == contest_queries.SUGGESTION_TAKEN:
        raise _unavailable(session, suggestion_id, process)
    if outcome == contest_queries.NAME_TAKEN:  # another manager's, started at the same instant
        until = closes_at(stored).astimezone(process.calendar.tz)
        raise ContestNotStarted((NameTaken("name", stored.name, until),))
    if stored is None:
        raise ContestNotStored()
    return stored, outcome == contest_queries.CREATED


def _unavailable(session: Session, suggestion_id: int, process: Process) -> SuggestionUnavailable:
    row = contest_queries.get_suggestion(session, suggestion_id)
    if row is None:
        return SuggestionGone()
    if row.status == contest_queries.OPEN:
        return SuggestionOfAnotherTeam()
    contest = None
    if row.status == contest_queries.LAUNCHED and row.contest_id:
        contest = contest_queries.get_contest(session, row.contest_id)
    return SuggestionDecided(
        status=row.status,
        decided_by=row.decided_by,
        decided_at=row.decided_at.astimezone(process.calendar.tz) if row.decided_at else None,
        contest_name=contest.name if contest else None,
    )


def end_contest(session: Session, contest: Contest, by: str, now: datetime) -> Standings | None:
    """End a running (or settling) contest now and freeze its result as of now; None when it
    had already ended (nothing changed)."""
    if not contest_queries.end_early(session, contest.id, by, now):
        return None
    contest.ended_at, contest.ended_by = now, by
    return final_result(session, contest, now)

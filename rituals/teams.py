"""Who is asking, which team and process apply, and what they may do."""

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from functools import cached_property, lru_cache

from rituals.process import Process, ProcessError, default_process, dump_process, load_process_dict
from rituals.refusals import InvalidProcessChange, NotAllowed, ProcessChangeRaced
from rituals.tenure import has_left, not_started, on_team
from storage import people_queries, process_queries
from storage.models import Member, ProcessVersion, SalesTeam
from storage.unit_of_work import Session


class Actor:
    """The person behind a request, resolved once per request with as few queries as possible
    (two for a rep): the team row and admin rights are looked up only when a handler asks."""

    def __init__(
        self,
        session: Session,
        workspace_id: int,
        user_id: str,
        member: Member | None,
        team_id: int,
        process: Process,
        process_version_id: int | None,
        env_admins: frozenset[str],
        today: date | None = None,
    ):
        self.session = session
        self.workspace_id = workspace_id
        self.user_id = user_id
        self.member = member  # None when they are on no team today (removed, left, not started)
        # Their membership when they are not on the team today (a future starter, or their
        # last day is over): for replies that say when they start or left.
        self.off_team: Member | None = None
        self.team_id = team_id  # their team, else the workspace's default team
        self.process = process
        self.process_version_id = process_version_id  # None while the built-in default applies
        self._env_admins = env_admins
        self._today = today

    @cached_property
    def team(self) -> SalesTeam:
        return people_queries.get_team(self.session, self.team_id)

    @cached_property
    def is_admin(self) -> bool:
        return self.user_id in self._env_admins or people_queries.is_promoted_admin(
            self.session, self.workspace_id, self.user_id
        )

    @property
    def is_manager(self) -> bool:
        """Managers of this team, and admins, run the team."""
        if self.member and self.member.active and self.member.is_manager:
            return True
        return self.is_admin

    def today(self) -> date:
        """The team's date when the request arrived: whose tenure covers it is on the team."""
        if self._today is None:
            raise RuntimeError("this actor was made without the request's date")
        return self._today

    @property
    def role(self) -> str | None:
        return self.member.role if self.member and self.member.active else None


def resolve_actor(
    session: Session,
    slack_team_id: str,
    enterprise_id: str | None,
    user_id: str,
    env_admins: frozenset[str],
    now: datetime,
    *,
    resume: bool = False,
) -> Actor:
    """Who is asking. ``resume``: Slack just sent this request, so the workspace is installed
    (its rituals resume if an uninstall paused them: bot/install)."""
    workspace_id, member = people_queries.workspace_and_member(
        session, slack_team_id, enterprise_id, user_id, resume=resume
    )
    if workspace_id is None:
        workspace_id = people_queries.workspace_for(session, slack_team_id, enterprise_id, now).id
    if member is not None and member.active:
        team_id = member.team_id
    else:
        member = None
        team_id = people_queries.default_team(session, workspace_id, now).id
    process, version_id = team_process(session, team_id)
    off_team, today = None, process.calendar.local_date(now)
    if member is not None and not on_team(member, today):
        off_team, member = member, None  # a future starter, or past their last day
    actor = Actor(
        session, workspace_id, user_id, member, team_id, process, version_id, env_admins, today
    )
    actor.off_team = off_team
    return actor


def team_process(session: Session, team_id: int | None) -> tuple[Process, int | None]:
    """The team's newest process version (or the install-wide one), else the built-in default."""
    latest = process_queries.latest_definition(session, team_id)
    if latest is None:
        return default_process(), None
    version_id, definition = latest
    return _parse_version(version_id, definition), version_id


def process_in_effect(session: Session, team_id: int, instant: datetime) -> Process:
    """The process (and so the goals) a team ran with at an instant: a past week is judged
    against the goals it had, not against goals changed since."""
    row = process_queries.process_version_at(session, team_id, instant)
    then = _parse_version(row.id, row.definition) if row else default_process()
    # Days off are facts about days, not goals: the newest calendar knows best which days were
    # off (a snow day added the morning after counts for the week it fell in).
    newest, _ = team_process(session, team_id)
    if newest.calendar.holidays == then.calendar.holidays:
        return then
    return replace(then, calendar=replace(then.calendar, holidays=newest.calendar.holidays))


@lru_cache(maxsize=256)
def _parse_version(version_id: int, definition: str) -> Process:
    # Versions never change once stored, so parsing each once per process is enough (keyed on
    # the text too: ids can repeat across databases, as in tests).
    return load_process_dict(json.loads(definition))


def store_process(
    session: Session,
    process: Process,
    *,
    team: SalesTeam | None,
    loaded_by: str,
    change: str,
    now: datetime,
    source_text: str | None = None,
    after=process_queries.NEWEST,
    draft_id: int | None = None,
) -> ProcessVersion | None:
    """Store a validated process as the newest version for a team (or install-wide); with
    ``after``, only if the version it was derived from is still the newest (else None)."""
    row = ProcessVersion(
        workspace_id=team.workspace_id if team else None,
        team_id=team.id if team else None,
        version=0,
        name=process.name[:200],
        definition=json.dumps(process.to_dict(), sort_keys=True),
        source_text=source_text if source_text is not None else dump_process(process),
        loaded_by=loaded_by,
        change=change[:300],
        loaded_at=now,
        draft_id=draft_id,
    )
    return process_queries.add_process_version(session, row, after)


def change_process(
    session: Session,
    team: SalesTeam,
    apply: Callable[[Process], Process],
    *,
    loaded_by: str,
    change: str,
    now: datetime,
) -> tuple[Process, ProcessVersion]:
    """Apply a change (a goal, the timezone…) to the team's newest process and store the result
    as a new version. Two changes at the same moment both land: the one that loses the race is
    applied again on top of the other's version, never over it."""
    for _ in range(5):
        row = process_queries.latest_process_version(session, team.id)
        current = _parse_version(row.id, row.definition) if row else default_process()
        own = row.version if row is not None and row.team_id == team.id else None
        try:
            updated = apply(current)
        except ProcessError as error:
            raise InvalidProcessChange(str(error)) from None
        stored = store_process(
            session, updated, team=team, loaded_by=loaded_by, change=change, now=now, after=own
        )
        if stored is not None:
            return updated, stored
    raise ProcessChangeRaced()


def admins_of(session: Session, workspace_id: int, env_admins: frozenset[str]) -> list[str]:
    return sorted(set(env_admins) | set(people_queries.promoted_admins(session, workspace_id)))


def require_manager(actor: Actor, action: str) -> None:
    if not actor.is_manager:
        raise NotAllowed(action)


def can_view(actor: Actor, rep_user_id: str) -> bool:
    """Scorecards are public by default, as the method says; a team may keep them to managers."""
    if actor.process.visibility == "public" or actor.user_id == rep_user_id:
        return True
    return actor.is_manager


def scorecard_shown(actor: Actor, rep: Member | None, today: date) -> bool:
    """Whether a member's scorecard can be shown: a rep on the team today, to whoever may see
    it (can_view); a rep who left (or hasn't started yet) only to a manager of their team or an
    admin: their logs stay, and so do their numbers for any period."""
    if rep is None or not rep.role:
        return False
    if on_team(rep, today):
        return True
    had_tenure = rep.active or has_left(rep, today)
    return had_tenure and actor.is_manager and (actor.is_admin or rep.team_id == actor.team_id)


def managers_of(session: Session, team_id: int, today: date | None = None) -> list[str]:
    """The team's managers (on the team ``today``, when given)."""
    members = (
        people_queries.active_members(session, team_id)
        if today is None
        else people_queries.members_on(session, team_id, today)
    )
    return [m.user_id for m in members if m.is_manager]


def team_members(
    session: Session, team_id: int, first: date, last: date, today: date
) -> list[Member]:
    """The people a view of ``first``..``last`` reports on: everyone whose tenure overlaps it up
    to ``today`` (a rep who left on the 4th is in this month's and last month's numbers, not in
    tomorrow's), and in a view that reaches today, the new hires still to start (shown as not
    started yet, with no goal and no rank: rituals/rep_days.py)."""
    members = people_queries.members_during(session, team_id, first, min(last, today))
    if last >= today:
        seen = {m.id for m in members}
        starters = [
            m
            for m in people_queries.roster(session, team_id, today)
            if m.id not in seen and not_started(m, today)
        ]
        members = sorted(members + starters, key=lambda m: (m.added_at, m.id))
    return members


def members_today(session: Session, team_id: int, today: date) -> list[Member]:
    """The team today: nudges, today's rankings, contests, the coaching list."""
    return people_queries.members_on(session, team_id, today)

"""Checking a contest spec against the team before anything is stored: every problem, each on
its field, or who takes part."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import rituals.contests.problems as p
from rituals.contests.listing import running_contests
from rituals.contests.spec import (
    KINDS,
    MAX_DAYS,
    MAX_GROUP_NAME,
    MAX_NAME,
    MAX_PRIZE,
    MAX_TARGET,
    SCORINGS,
    ContestSpec,
)
from rituals.contests.timing import closes_at, ends_at_for, settles_at_for
from rituals.process import Process
from storage import people_queries
from storage.models import Member
from storage.unit_of_work import Session


@dataclass(frozen=True)
class Plan:
    """A spec checked against the team: who takes part (user id, group), or what is wrong."""

    entrants: tuple[tuple[str, str], ...]
    problems: tuple[p.SpecProblem, ...]
    ends_at: datetime | None = None
    settles_at: datetime | None = None  # when its result is frozen (timing.settles_at_for)

    @property
    def ok(self) -> bool:
        return not self.problems


def plan_contest(
    session: Session,
    team_id: int,
    process: Process,
    spec: ContestSpec,
    now: datetime,
    members: Sequence[Member] | None = None,
) -> Plan:
    """Check a spec against the team at ``now``: every problem (each with its field and the
    data to say what would work), or the entrants. Reads only; stores nothing."""
    problems: list[p.SpecProblem] = []
    cal = process.calendar
    today = cal.local_date(now)
    name = (spec.name or "").strip()
    if not name:
        problems.append(p.NoName("name"))
    elif len(name) > MAX_NAME:
        problems.append(p.NameTooLong("name", len(name), MAX_NAME))
    kpi = None
    if spec.kind not in KINDS:
        problems.append(p.UnknownKind("kind", spec.kind))
    if process.has_kpi(spec.kpi):
        kpi = process.kpi(spec.kpi)
    else:
        close = tuple(process.suggest(str(spec.kpi or "")))
        problems.append(p.UnknownKpi("kpi", spec.kpi, close, tuple(k.key for k in process.kpis)))
    ends_at = None
    if spec.start_day < today:
        problems.append(p.StartsInThePast("start", spec.start_day, today))
    days = (spec.end_day - spec.start_day).days + 1
    if spec.end_day < spec.start_day:
        problems.append(p.EndsBeforeStart("end", spec.end_day, spec.start_day))
    elif spec.end_day < today:
        problems.append(p.EndIsPast("end", spec.end_day))
    else:
        ends_at = ends_at_for(process, spec.end_day)
        if ends_at <= now:
            problems.append(p.OverBeforeItBegins("end", spec.end_day, cal.day_end))
        elif days > MAX_DAYS:
            problems.append(p.TooManyDays("end", days, MAX_DAYS))
    if spec.kind == "target" and spec.target is None:
        problems.append(p.NoTarget("target"))
    if spec.target is not None and not (1 <= spec.target <= MAX_TARGET):
        problems.append(p.TargetOutOfRange("target", spec.target, MAX_TARGET))
    if spec.scoring not in SCORINGS:
        problems.append(p.UnknownScoring("scoring", spec.scoring))
    if len(spec.prize or "") > MAX_PRIZE:
        problems.append(p.PrizeTooLong("prize", len(spec.prize), MAX_PRIZE))
    if name and len(name) <= MAX_NAME:
        for other in running_contests(session, team_id, now):
            if other.name.casefold() == name.casefold():
                until = closes_at(other).astimezone(cal.tz)
                problems.append(p.NameTaken("name", other.name, until))
                break
    chosen: list[tuple[str, str]] = []
    if kpi is not None and spec.kind in KINDS:
        chosen = _entrants(session, team_id, process, spec, kpi, problems, members)
    settles_at = settles_at_for(process, spec.end_day) if ends_at is not None else None
    return Plan(tuple(chosen), tuple(problems), ends_at, settles_at)


def _entrants(session, team_id, process, spec, kpi, problems, members) -> list:
    members = (
        list(members) if members is not None else people_queries.active_members(session, team_id)
    )
    by_id = {m.user_id: m for m in members if m.active}

    def tracks(member: Member) -> bool:
        return bool(
            member.role
            and process.has_role(member.role)
            and kpi.key in process.role(member.role).scorecard
        )

    roles_with = tuple(r.name for r in process.roles if kpi.key in r.scorecard)

    def check_person(user_id: str, field_name: str) -> bool:
        member = by_id.get(user_id)
        if member is None:
            problems.append(p.EntrantNotOnTeam(field_name, user_id))
            return False
        if not tracks(member):
            role = (
                process.role(member.role).name
                if member.role and process.has_role(member.role)
                else None
            )
            problems.append(p.EntrantDoesNotTrack(field_name, user_id, role, kpi.name, roles_with))
            return False
        return True

    if spec.kind == "teams":
        groups = [(str(n or "").strip(), tuple(dict.fromkeys(ids))) for n, ids in spec.groups]
        if len(groups) < 2:
            problems.append(p.TooFewGroups("groups"))
            return []
        seen: dict[str, str] = {}
        names: set[str] = set()
        out: list[tuple[str, str]] = []
        for index, (group_name, ids) in enumerate(groups, 1):
            group_name = group_name or f"Team {index}"
            if len(group_name) > MAX_GROUP_NAME:
                problems.append(p.GroupNameTooLong("groups", MAX_GROUP_NAME))
            if group_name.casefold() in names:
                problems.append(p.GroupNamesClash("groups", group_name))
            names.add(group_name.casefold())
            if not ids:
                problems.append(p.EmptyGroup(f"group{index}", group_name))
            for user_id in ids:
                if user_id in seen:
                    problems.append(
                        p.InTwoGroups(f"group{index}", user_id, seen[user_id], group_name)
                    )
                    continue
                seen[user_id] = group_name
                if check_person(user_id, f"group{index}"):
                    out.append((user_id, group_name))
        return out
    if spec.entrants:
        out = []
        for user_id in dict.fromkeys(spec.entrants):
            if check_person(user_id, "entrants"):
                out.append((user_id, ""))
        if not out and not any(problem.field == "entrants" for problem in problems):
            problems.append(p.NobodyTakesPart("entrants"))
        return out
    out = [(m.user_id, "") for m in members if m.active and tracks(m)]
    if not out:
        problems.append(p.NobodyTracks("kpi", kpi.name, roles_with))
    return list(dict.fromkeys(out))

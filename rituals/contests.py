"""Contests: a time-boxed competition on one KPI, started by a manager or suggested by the lag
check (issue 4). Plain data and the storage it needs: no Slack.

Kinds: ``race`` (most of the KPI in the window wins; the top 3 are shown), ``target`` (everyone
who reaches ``target`` wins), ``teams`` (two or more groups of reps; each group's score is the
sum of its reps' counts, or the average per rep).

A contest counts whole team-local days ``start_day``..``end_day`` (a log counts on the day it
happened, so a log backdated into the window counts) and ends at ``ends_at``, the end of the
last day's working hours, when its standings are frozen into ``Contest.result``.

Decisions:

- **Counting as of an instant T** (storage/contest_queries.py): a log counts when it was stored
  by T and not voided by T. Live standings use T = now (capped at the end); the result uses
  T = the end, so it is the same whenever it is computed, and the first run that computes it
  freezes it (compare-and-set; first freeze wins). A log voided or backdated into the window
  after that is reported by ``changes_since_result`` but does not change the result.
- **Ended early** (``/contest end``): ``ended_at``/``ended_by`` are set and the contest closes
  then (``closes_at``); its result is due at that moment and no later post is.
- **Posts** (``contest_occurrences``), all of ritual kind "standings" with ``contest_id`` set:
  ``c{id}:start`` at ``starts_at``; ``c{id}:{YYYY-MM-DD}T{HH:MM}`` at each of the process's
  standings times on working days inside the window (not within 30 minutes of another post);
  ``c{id}:mid`` at the midpoint of ``starts_at``..``ends_at`` counted in **working time** (so a
  week-long contest is never "half way" on a Saturday; plain time when the window has no
  working time); ``c{id}:last-hour`` at ``ends_at`` − 1 h; ``c{id}:result`` when it closes.
- **Late posts** (``due_occurrences``): a standings, midpoint or last-hour post more than
  ``STANDINGS_GRACE`` (90 min) late is skipped, and so is one superseded by a later post of the
  same contest also due; a start or a result is never too late (posted late rather than lost),
  except that a start still unposted when the result is due is superseded by the result, which
  says everything the start would have.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from rituals.pacing import WorkCalendar
from rituals.process import Process
from rituals.refusals import Refusal
from rituals.schedule import Occurrence
from storage import contest_queries, people_queries
from storage.models import Contest, Member

KINDS = ("race", "target", "teams")
SCORINGS = ("sum", "average")
SOURCES = ("command", "modal", "suggestion", "auto")
MAX_NAME = 80
MAX_PRIZE = 300
MAX_GROUP_NAME = 80
MAX_DAYS = 92  # a contest is a sprint: at most about a quarter
MAX_TARGET = 1_000_000
STANDINGS_GRACE = timedelta(minutes=90)
APART = timedelta(
    minutes=30
)  # a scheduled standings post this close (or closer) to another is dropped
RECENT = timedelta(days=30)
TOP = 3  # a race shows its top 3
TIE_DECIMALS = 4  # group averages equal to 4 decimals tie (as in rituals.ranking)


@dataclass(frozen=True)
class ContestSpec:
    """What a contest will be, before it is started: from the quick form, the modal or the lag
    check's proposal. ``entrants`` empty: every rep whose scorecard has the KPI. ``groups``
    (teams only): (group name, user ids) pairs, two or more."""

    name: str
    kind: str  # one of KINDS
    kpi: str  # a KPI key of the team's process
    start_day: date
    end_day: date  # inclusive, team-local
    target: int | None = None  # target: required; teams: optional
    entrants: tuple[str, ...] = ()
    groups: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    scoring: str = "sum"  # teams: one of SCORINGS
    prize: str = ""


# -- time -------------------------------------------------------------------------------------


def _at(day: date, clock: time, cal: WorkCalendar) -> datetime:
    """A team-local wall time as a UTC instant (a time skipped by DST resolves as the trigger
    does: by the offset before the change)."""
    local = datetime.combine(day, clock, tzinfo=cal.tz)
    return datetime.fromtimestamp(local.timestamp(), UTC)


def ends_at_for(process: Process, end_day: date) -> datetime:
    """When a contest ending on ``end_day`` ends: the end of that day's working hours, in UTC."""
    return _at(end_day, process.calendar.day_end, process.calendar)


def first_working_day(cal: WorkCalendar, day: date) -> date:
    """``day`` if it is a working day, else the next working day."""
    for _ in range(7):
        if cal.is_working_day(day):
            return day
        day += timedelta(days=1)
    return day  # a calendar without working days cannot be loaded; a guard


def start_day_for(process: Process, now: datetime) -> date:
    """The first day of a contest started now: today if it is a working day whose hours are not
    over, else the next working day."""
    cal = process.calendar
    today = cal.local_date(now)
    if cal.is_working_day(today) and now < ends_at_for(process, today):
        return today
    return first_working_day(cal, today + timedelta(days=1))


def after_working_days(cal: WorkCalendar, first: date, n: int) -> date:
    """The day on which ``n`` working days counted from ``first`` (included) are done."""
    day, counted = first, 0
    for _ in range(n * 7 + 7):
        if cal.is_working_day(day):
            counted += 1
            if counted >= n:
                return day
        day += timedelta(days=1)
    return day


def closes_at(contest: Contest) -> datetime:
    """When the contest stops counting: its end, or the moment a manager ended it early."""
    if contest.ended_at is not None and contest.ended_at < contest.ends_at:
        return contest.ended_at
    return contest.ends_at


def is_over(contest: Contest, now: datetime) -> bool:
    return contest.result is not None or now >= closes_at(contest)


def _working_spans(
    process: Process, start_day: date, end_day: date, lo: datetime, hi: datetime
) -> list[tuple[datetime, datetime]]:
    cal = process.calendar
    spans = []
    day = max(start_day, cal.local_date(lo))
    while day <= end_day:
        if cal.is_working_day(day):
            a = max(_at(day, cal.day_start, cal), lo)
            b = min(_at(day, cal.day_end, cal), hi)
            if b > a:
                spans.append((a, b))
        day += timedelta(days=1)
    return spans


def working_midpoint(process: Process, contest: Contest) -> datetime:
    """Half way through the contest in working time (plain time if it has no working time)."""
    lo, hi = contest.starts_at, contest.ends_at
    spans = _working_spans(process, contest.start_day, contest.end_day, lo, hi)
    total = sum((b - a for a, b in spans), timedelta(0))
    if total <= timedelta(0):
        return lo + (hi - lo) / 2
    left = total / 2
    for a, b in spans:
        if b - a >= left:
            return a + left
        left -= b - a
    return hi  # pragma: no cover - the loop always lands


# -- checking a spec --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a contest spec: which field, and what would work."""

    # name | kpi | kind | start | end | target | entrants | groups | group1, group2… | scoring
    # | prize
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Plan:
    """A spec checked against the team: who takes part (user id, group), or what is wrong."""

    entrants: tuple[tuple[str, str], ...]
    problems: tuple[Problem, ...]
    ends_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _with_article(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _stamp(instant: datetime, cal: WorkCalendar) -> str:
    local = instant.astimezone(cal.tz)
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


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


def plan_contest(
    session: Session,
    team_id: int,
    process: Process,
    spec: ContestSpec,
    now: datetime,
    who: Callable[[str], str] = mention,
    members: Sequence[Member] | None = None,
) -> Plan:
    """Check a spec against the team at ``now``: every problem (each with its field and what
    would work), or the entrants. Reads only; stores nothing."""
    problems: list[Problem] = []
    cal = process.calendar
    today = cal.local_date(now)
    name = (spec.name or "").strip()
    if not name:
        problems.append(Problem("name", 'Give the contest a name, e.g. "Call Blitz".'))
    elif len(name) > MAX_NAME:
        problems.append(
            Problem("name", f"The name is {len(name)} characters long; {MAX_NAME} at most, please.")
        )
    kpi = None
    if spec.kind not in KINDS:
        problems.append(
            Problem("kind", f"A contest is a race, a target or teams, not {_esc(spec.kind)!r}.")
        )
    if process.has_kpi(spec.kpi):
        kpi = process.kpi(spec.kpi)
    else:
        close = process.suggest(str(spec.kpi or ""))
        hint = f" Did you mean {' or '.join(f'`{s}`' for s in close)}?" if close else ""
        problems.append(
            Problem(
                "kpi",
                f"I don't know the KPI `{_esc(spec.kpi)}`.{hint} KPIs: "
                + ", ".join(f"`{k.key}`" for k in process.kpis)
                + ".",
            )
        )
    ends_at = None
    if spec.start_day < today:
        problems.append(
            Problem(
                "start",
                f"It would start on {_day(spec.start_day)}, which is past. Start today "
                f"({_day(today)}) or later; logs backdated into the window still count.",
            )
        )
    if spec.end_day < spec.start_day:
        problems.append(
            Problem(
                "end",
                f"It would end on {_day(spec.end_day)}, before it starts ({_day(spec.start_day)}). "
                "Pick an end day on or after the start.",
            )
        )
    elif spec.end_day < today:
        problems.append(
            Problem("end", f"{_day(spec.end_day)} is past. Pick an end day from today on.")
        )
    else:
        ends_at = ends_at_for(process, spec.end_day)
        if ends_at <= now:
            problems.append(
                Problem(
                    "end",
                    f"Working hours on {_day(spec.end_day)} end at {cal.day_end:%H:%M}, which is "
                    "past, so it would be over before it began. End tomorrow or later.",
                )
            )
        elif (spec.end_day - spec.start_day).days + 1 > MAX_DAYS:
            problems.append(
                Problem(
                    "end",
                    f"That's {(spec.end_day - spec.start_day).days + 1} days; a contest runs "
                    f"{MAX_DAYS} days at most. Shorter sprints keep the energy up.",
                )
            )
    if spec.kind == "target" and spec.target is None:
        problems.append(
            Problem(
                "target",
                "A target contest needs the number to reach, e.g. "
                '`/contest start target meetings 1w 5 "Five by Friday"`.',
            )
        )
    if spec.target is not None and not (1 <= spec.target <= MAX_TARGET):
        problems.append(
            Problem("target", f"The target must be a whole number from 1 to {MAX_TARGET:,}.")
        )
    if spec.scoring not in SCORINGS:
        problems.append(
            Problem("scoring", "Teams score by `sum` (the group's total) or `average` (per rep).")
        )
    if len(spec.prize or "") > MAX_PRIZE:
        problems.append(
            Problem(
                "prize", f"The prize is {len(spec.prize)} characters; {MAX_PRIZE} at most, please."
            )
        )
    if name and len(name) <= MAX_NAME:
        for other in running_contests(session, team_id, now):
            if other.name.casefold() == name.casefold():
                problems.append(
                    Problem(
                        "name",
                        f"A contest called “{_esc(other.name)}” is already running (until "
                        f"{_stamp(closes_at(other), cal)}). Pick another name, or end it first "
                        f"with `/contest end {_esc(other.name)}`.",
                    )
                )
                break
    chosen: list[tuple[str, str]] = []
    if kpi is not None and spec.kind in KINDS:
        chosen = _entrants(session, team_id, process, spec, kpi, who, problems, members)
    return Plan(tuple(chosen), tuple(problems), ends_at)


def _entrants(session, team_id, process, spec, kpi, who, problems, members) -> list:
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

    roles_with = [r.name for r in process.roles if kpi.key in r.scorecard]
    with_words = (
        f"{kpi.name} is on the {' and '.join(roles_with)} scorecard"
        if roles_with
        else f"No role has {kpi.name} on its scorecard"
    )

    def check_person(user_id: str, field_name: str) -> bool:
        member = by_id.get(user_id)
        if member is None:
            problems.append(
                Problem(
                    field_name,
                    f"{who(user_id)} isn't on the team, so they couldn't take part. Add them with "
                    f"`/pacer team add @them sdr`, or leave them out.",
                )
            )
            return False
        if not tracks(member):
            what = (
                _with_article(process.role(member.role).name)
                if member.role and process.has_role(member.role)
                else "not a rep"
            )
            problems.append(
                Problem(
                    field_name,
                    f"{who(user_id)} is {what} without {_esc(kpi.name)} on their scorecard, so "
                    f"they couldn't log it. {with_words}; leave them out or pick a KPI they track.",
                )
            )
            return False
        return True

    if spec.kind == "teams":
        groups = [(str(n or "").strip(), tuple(dict.fromkeys(ids))) for n, ids in spec.groups]
        if len(groups) < 2:
            problems.append(
                Problem(
                    "groups",
                    "Teams need two or more groups of reps, e.g. "
                    '`/contest start teams calls 1w "East vs West" @a @b vs @c @d`.',
                )
            )
            return []
        seen: dict[str, str] = {}
        names: set[str] = set()
        out: list[tuple[str, str]] = []
        for index, (group_name, ids) in enumerate(groups, 1):
            group_name = group_name or f"Team {index}"
            if len(group_name) > MAX_GROUP_NAME:
                problems.append(
                    Problem("groups", f"Group names are {MAX_GROUP_NAME} characters at most.")
                )
            if group_name.casefold() in names:
                problems.append(
                    Problem(
                        "groups", f"Two groups are called “{_esc(group_name)}”: name them apart."
                    )
                )
            names.add(group_name.casefold())
            if not ids:
                problems.append(
                    Problem(
                        f"group{index}",
                        f"The group “{_esc(group_name)}” has nobody in it: add at least one rep.",
                    )
                )
            for user_id in ids:
                if user_id in seen:
                    problems.append(
                        Problem(
                            f"group{index}",
                            f"{who(user_id)} is in two groups (“{_esc(seen[user_id])}” and "
                            f"“{_esc(group_name)}”): a rep plays for one group.",
                        )
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
        if not out and not any(p.field == "entrants" for p in problems):
            problems.append(Problem("entrants", "Nobody would take part."))
        return out
    out = [(m.user_id, "") for m in members if m.active and tracks(m)]
    if not out:
        problems.append(
            Problem(
                "kpi",
                f"Nobody on the team tracks {_esc(kpi.name)}: {with_words}, and no rep with that "
                "role is on the team. Pick a KPI your reps log, or add reps with "
                "`/pacer team add @user sdr`.",
            )
        )
    return list(dict.fromkeys(out))


# -- starting ---------------------------------------------------------------------------------


def start_contest(
    session: Session,
    *,
    team,
    process: Process,
    spec: ContestSpec,
    by: str,
    now: datetime,
    source: str,
    start_key: str,
    suggestion_id: int | None = None,
    who: Callable[[str], str] = mention,
) -> tuple[Contest, bool]:
    """Check and store a contest with its entrants in one transaction; (contest, True). The
    same ``start_key`` again returns the contest it started and False. With ``suggestion_id``
    the lag suggestion is marked launched in the same transaction (compare-and-set): if it is no
    longer open, Refusal says who decided it and when, and nothing is stored. Raises Refusal
    with every problem of the spec."""
    start_key = start_key[:160]
    existing = contest_queries.contest_by_start_key(session, team.workspace_id, start_key)
    if existing is not None:
        return existing, False
    plan = plan_contest(session, team.id, process, spec, now, who)
    if not plan.ok:
        session.rollback()
        raise Refusal(_refusal_text(plan.problems))
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
        status=contest_queries.RUNNING,
        source=source if source in SOURCES else "command",
        created_by=by,
        created_at=now.astimezone(UTC),
        start_key=start_key,
    )
    try:
        contest_queries.add_contest(session, contest, plan.entrants)
    except IntegrityError:
        session.rollback()
        existing = contest_queries.contest_by_start_key(session, team.workspace_id, start_key)
        if existing is not None:
            return existing, False
        raise
    if suggestion_id is not None and not contest_queries.mark_suggestion_launched(
        session, suggestion_id, team.id, contest.id, by, now
    ):
        session.rollback()
        raise Refusal(_suggestion_taken(session, suggestion_id, process, who))
    if not contest_queries.commit_or_duplicate(session):
        existing = contest_queries.contest_by_start_key(session, team.workspace_id, start_key)
        if existing is not None:
            return existing, False
        raise Refusal("That contest could not be stored just now; nothing changed. Try again.")
    return contest, True


def _refusal_text(problems: Iterable[Problem]) -> str:
    texts = list(dict.fromkeys(p.message for p in problems))
    if len(texts) == 1:
        return f"No contest started: {texts[0]}"
    return "No contest started:\n" + "\n".join(f"• {t}" for t in texts)


def _suggestion_taken(session, suggestion_id: int, process: Process, who) -> str:
    row = contest_queries.get_suggestion(session, suggestion_id)
    if row is None:
        return "That suggestion no longer exists, so nothing was started."
    if row.status == "open":
        return "That suggestion belongs to another team, so nothing was started."
    when = _stamp(row.decided_at, process.calendar) if row.decided_at else "earlier"
    by = who(row.decided_by) if row.decided_by else "Pacer"
    if row.status == "launched":
        contest = contest_queries.get_contest(session, row.contest_id) if row.contest_id else None
        what = f" (“{_esc(contest.name)}”)" if contest else ""
        return (
            f"This suggestion was already launched by {by} on {when}{what}, so nothing new was "
            "started. See it with `/contest standings`."
        )
    return (
        f"This suggestion was dismissed by {by} on {when}, so nothing was started. "
        "Start one yourself with `/contest start`."
    )


# -- standings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    rank: int  # ties share a rank: 1, 2, 2, 4
    user_id: str
    count: int
    group: str = ""


@dataclass(frozen=True)
class GroupScore:
    rank: int
    name: str
    score: float  # the total (sum) or the total per rep (average)
    total: int
    size: int


@dataclass(frozen=True)
class Standings:
    """Where a contest stands at ``as_of``: every entrant best first, the groups (teams), and
    who wins if it ended now (user ids for race and target, group names for teams; empty when
    nobody does). ``final``: the frozen result."""

    contest_id: int
    kind: str
    kpi: str
    target: int | None
    scoring: str
    as_of: datetime
    places: tuple[Place, ...]
    groups: tuple[GroupScore, ...] = ()
    winners: tuple[str, ...] = ()
    final: bool = False

    @property
    def tie(self) -> bool:
        return self.kind != "target" and len(self.winners) > 1

    @property
    def total(self) -> int:
        return sum(p.count for p in self.places)

    @property
    def logged(self) -> int:
        return sum(1 for p in self.places if p.count > 0)

    def reached(self) -> tuple[Place, ...]:
        if self.target is None:
            return ()
        return tuple(p for p in self.places if p.count >= self.target)

    def chasing(self) -> tuple[Place, ...]:
        if self.target is None:
            return self.places
        return tuple(p for p in self.places if p.count < self.target)

    def place_of(self, user_id: str) -> Place | None:
        return next((p for p in self.places if p.user_id == user_id), None)

    def to_json(self) -> str:
        return json.dumps(
            {
                "contest_id": self.contest_id,
                "kind": self.kind,
                "kpi": self.kpi,
                "target": self.target,
                "scoring": self.scoring,
                "as_of": self.as_of.astimezone(UTC).isoformat(),
                "places": [[p.rank, p.user_id, p.count, p.group] for p in self.places],
                "groups": [[g.rank, g.name, g.score, g.total, g.size] for g in self.groups],
                "winners": list(self.winners),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Standings:
        data = json.loads(text)
        return cls(
            contest_id=data["contest_id"],
            kind=data["kind"],
            kpi=data["kpi"],
            target=data["target"],
            scoring=data["scoring"],
            as_of=datetime.fromisoformat(data["as_of"]),
            places=tuple(Place(r, u, c, g) for r, u, c, g in data["places"]),
            groups=tuple(GroupScore(r, n, s, t, z) for r, n, s, t, z in data["groups"]),
            winners=tuple(data["winners"]),
            final=True,
        )


def _ranked(values: list[tuple[float, str]]) -> list[tuple[int, float, str]]:
    """(value, key) pairs best first with shared ranks (1, 2, 2, 4), ties listed by key."""
    ordered = sorted(values, key=lambda v: (-round(v[0], TIE_DECIMALS), v[1]))
    out, previous, place = [], None, 0
    for position, (value, key) in enumerate(ordered, 1):
        if round(value, TIE_DECIMALS) != previous:
            place, previous = position, round(value, TIE_DECIMALS)
        out.append((place, value, key))
    return out


def build_standings(
    contest: Contest, counts: Sequence[contest_queries.EntrantCount], as_of: datetime
) -> Standings:
    """The standings from each entrant's total (pure: no query)."""
    group_of = {c.user_id: c.group_name for c in counts}
    count_of = {c.user_id: c.total for c in counts}
    places = tuple(
        Place(rank, user_id, int(value), group_of[user_id])
        for rank, value, user_id in _ranked([(c.total, c.user_id) for c in counts])
    )
    groups: tuple[GroupScore, ...] = ()
    winners: tuple[str, ...] = ()
    if contest.kind == "teams":
        members: dict[str, list[str]] = {}
        for c in counts:
            members.setdefault(c.group_name, []).append(c.user_id)
        scores = []
        for name, ids in members.items():
            total = sum(count_of[u] for u in ids)
            score = total / len(ids) if contest.scoring == "average" else float(total)
            scores.append((score, name, total, len(ids)))
        info = {name: (total, size) for _, name, total, size in scores}
        groups = tuple(
            GroupScore(rank, name, score, *info[name])
            for rank, score, name in _ranked([(s, n) for s, n, _, _ in scores])
        )
        winners = tuple(g.name for g in groups if g.rank == 1 and g.total > 0)
    elif contest.kind == "target":
        winners = tuple(
            p.user_id for p in places if contest.target is not None and p.count >= contest.target
        )
    else:
        winners = tuple(p.user_id for p in places if p.rank == 1 and p.count > 0)
    return Standings(
        contest_id=contest.id,
        kind=contest.kind,
        kpi=contest.kpi,
        target=contest.target,
        scoring=contest.scoring,
        as_of=as_of.astimezone(UTC),
        places=places,
        groups=groups,
        winners=winners,
    )


def standings_at(session: Session, contest: Contest, as_of: datetime) -> Standings:
    """The standings as of an instant (capped at the contest's close), from one statement."""
    as_of = min(as_of.astimezone(UTC), closes_at(contest))
    counts = contest_queries.entrant_totals(session, contest, as_of)
    return build_standings(contest, counts, as_of)


def final_result(session: Session, contest: Contest, now: datetime) -> Standings:
    """The contest's result: the frozen one, or computed as of its close and frozen now (the
    first freeze wins; a run that loses reads the winner's). Only once it has closed. Commits.
    ``contest`` is refreshed with the stored result."""
    if contest.result is None:
        if now < closes_at(contest):
            raise ValueError(f"contest {contest.id} has not closed yet")
        result = standings_at(session, contest, closes_at(contest))
        contest_queries.freeze_result(session, contest.id, result.to_json(), closes_at(contest))
        fresh = contest_queries.get_contest(session, contest.id)
        contest.result, contest.status, contest.ended_at = (
            fresh.result,
            fresh.status,
            fresh.ended_at,
        )
    return Standings.from_json(contest.result)


def changes_since_result(session: Session, contest: Contest) -> list[contest_queries.LateChange]:
    """Logs voided or stored after the result was frozen: recorded, but the result stands."""
    if contest.result is None:
        return []
    as_of = Standings.from_json(contest.result).as_of
    return contest_queries.changes_after(session, contest, as_of)


def end_contest(session: Session, contest: Contest, by: str, now: datetime) -> Standings | None:
    """End a running contest now and freeze its result as of now; None when it had already
    ended (nothing changed). Commits."""
    if not contest_queries.end_early(session, contest.id, by, now):
        session.rollback()
        return None
    contest.ended_at, contest.ended_by = now, by
    return final_result(session, contest, now)


# -- posts ------------------------------------------------------------------------------------

START, MID, LAST_HOUR, RESULT, STANDINGS = "start", "mid", "last-hour", "result", "standings"


def phase_of(period_key: str) -> tuple[int, str]:
    """(contest id, phase) of a contest post's period key: start, mid, last-hour, result, or
    standings (a timed one, ``c12:2026-11-24T11:30``)."""
    head, _, tail = period_key.partition(":")
    if not head.startswith("c") or not head[1:].isdigit() or not tail:
        raise ValueError(f"{period_key!r} is not a contest post's key")
    phase = tail if tail in (START, MID, LAST_HOUR, RESULT) else STANDINGS
    return int(head[1:]), phase


def _occurrence(contest: Contest, due: datetime, tail: str) -> Occurrence:
    return Occurrence("standings", due.astimezone(UTC), f"c{contest.id}:{tail}", (), contest.id)


def standings_occurrence(contest: Contest, process: Process, instant: datetime) -> Occurrence:
    """A standings post of the contest at ``instant`` (a manual `pacer rituals run standings`),
    keyed by the team-local minute, so the same minute is posted once."""
    local = instant.astimezone(process.calendar.tz)
    return _occurrence(contest, instant, f"{local:%Y-%m-%dT%H:%M}")


def result_occurrence(contest: Contest) -> Occurrence:
    return _occurrence(contest, closes_at(contest), RESULT)


def start_occurrence(contest: Contest) -> Occurrence:
    return _occurrence(contest, contest.starts_at, START)


def contest_occurrences(contest: Contest, process: Process) -> list[Occurrence]:
    """Every post of a contest, by due time: start, the scheduled standings, the midpoint, the
    last hour, the result (see the module notes). A contest ended early has nothing after the
    moment it ended but its result, then."""
    cal = process.calendar
    start, end, close = contest.starts_at, contest.ends_at, closes_at(contest)
    out = [_occurrence(contest, start, START)]
    anchors = [start, end]
    last_hour = end - timedelta(hours=1)
    has_last_hour = last_hour - start > APART
    if has_last_hour:
        anchors.append(last_hour)
    mid = working_midpoint(process, contest)
    has_mid = all(abs(mid - a) > APART for a in anchors)
    if has_mid:
        anchors.append(mid)
    timed = []
    day = contest.start_day
    while day <= contest.end_day:
        if cal.is_working_day(day):
            for clock in sorted(set(process.rituals.standings)):
                due = _at(day, clock, cal)
                if start < due < end and all(abs(due - a) > APART for a in anchors):
                    timed.append(_occurrence(contest, due, f"{day.isoformat()}T{clock:%H:%M}"))
        day += timedelta(days=1)
    out += timed
    if has_mid:
        out.append(_occurrence(contest, mid, MID))
    if has_last_hour:
        out.append(_occurrence(contest, last_hour, LAST_HOUR))
    out = [o for o in out if o.period_key.endswith(":start") or o.due_at < close]
    out.append(_occurrence(contest, close, RESULT))
    return sorted(out, key=lambda o: (o.due_at, o.period_key.endswith(":result")))


def due_occurrences(
    session: Session, team_id: int, process: Process, after: datetime, until: datetime
) -> tuple[list[Occurrence], list[Occurrence]]:
    """The contest posts of a team due in (after, until], split like rituals.schedule.missed:
    (to run now, too late to post). A standings, midpoint or last-hour post more than
    STANDINGS_GRACE late, or superseded by a later post of the same contest that is also due,
    is too late; a start or a result never is (a start still owed when the result is due is
    superseded by the result)."""
    after, until = after.astimezone(UTC), until.astimezone(UTC)
    run: list[Occurrence] = []
    late: list[Occurrence] = []
    for contest in contest_queries.contests_between(session, team_id, after, until):
        due = [o for o in contest_occurrences(contest, process) if after < o.due_at <= until]
        phases = [phase_of(o.period_key)[1] for o in due]
        result_due = RESULT in phases
        timed = [o for o, p in zip(due, phases, strict=True) if p not in (START, RESULT)]
        newest = max((o.due_at for o in timed), default=None)
        for o, phase in zip(due, phases, strict=True):
            if phase == RESULT:
                run.append(o)
            elif phase == START:
                (late if result_due else run).append(o)
            elif result_due or o.due_at < newest or until - o.due_at > STANDINGS_GRACE:
                late.append(o)
            else:
                run.append(o)
    key = _order
    return sorted(run, key=key), sorted(late, key=key)


def _order(o: Occurrence) -> tuple:
    return (o.due_at, o.contest_id or 0, o.period_key)


# -- listing ----------------------------------------------------------------------------------


def recent_contests(session: Session, team_id: int, now: datetime) -> list[Contest]:
    """Running contests, then those that closed in the last 30 days, newest first."""
    rows = contest_queries.team_contests(session, team_id, since=now - RECENT)
    live = [c for c in rows if c.result is None and now < closes_at(c) and now >= c.starts_at]
    done = [c for c in rows if c not in live]
    return live + sorted(done, key=lambda c: closes_at(c), reverse=True)

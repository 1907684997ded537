"""A contest's posts, all of ritual kind "standings" with ``contest_id`` set (see the package
notes): the start, the scheduled standings, the midpoint, the last hour and the result; and
which of them are due, or too late, when the clock looks."""

from datetime import UTC, datetime, timedelta

from rituals.contests.timing import at, closes_at, working_midpoint
from rituals.process import Process
from rituals.schedule import Occurrence
from storage import contest_queries
from storage.models import Contest
from storage.unit_of_work import Session

STANDINGS_GRACE = timedelta(minutes=90)
# A scheduled standings post this close (or closer) to another is dropped.
APART = timedelta(minutes=30)
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
                due = at(day, clock, cal)
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

"""Shared values and builders for the contest tests on a database.

The default process without its public holidays (these contests run over Thanksgiving week as
a plain Mon–Fri week; contests over holidays: test_timing_holidays.py): New York, Mon–Fri
09:00–17:00, contest standings at 11:30 and 15:30.
NOW is Tuesday 24 Nov 2026, 11:00 in New York (16:00 UTC). The race ``start`` makes runs Tue 24
– Thu 26 Nov, ends Thu 26 Nov 17:00 New York (22:00 UTC) and settles (its result frozen) two
hours later, the default process's `contests: {settle: 2h}`: 19:00 New York (00:00 UTC)."""

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import select

from rituals import contests
from rituals.contests import ContestSpec
from rituals.contests.timing import ends_at_for, settles_at_for
from rituals.process import default_process
from storage.models import Contest
from tests.storage.support import NOW, TODAY, add_member, make_log

__all__ = ["NOW", "TODAY", "add_member"]

PROCESS = default_process().with_settings(holidays="off")
A, B, C, AE = "U0REPA001", "U0REPB001", "U0REPC001", "U0AE00001"
THU = date(2026, 11, 26)
ENDS = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)  # Thu 17:00 New York
SETTLES = ENDS + timedelta(hours=2)  # Thu 19:00 New York: the result is frozen


def add_reps(session, ws, team) -> None:
    """Three SDRs (A, B, C), an AE and a manager."""
    for user in (A, B, C):
        add_member(session, ws, team, user, "sdr")
    add_member(session, ws, team, AE, "ae")
    add_member(session, ws, team, "U0MGR0001", None, is_manager=True)


def ny(text: str) -> datetime:
    return datetime.fromisoformat(text + "-05:00").astimezone(UTC)


def local(day: date, hhmm: str) -> datetime:
    """A New York wall time on ``day`` (EST or EDT, whichever applies) as a UTC instant."""
    wall = datetime.combine(day, time.fromisoformat(hhmm), PROCESS.calendar.tz)
    return wall.astimezone(UTC)


def start(session, team, spec=None, key="k1", now=NOW, process=PROCESS, **kw):
    spec = spec or ContestSpec("Call Blitz", "race", "calls", TODAY, THU)
    return contests.start_contest(
        session,
        team=team,
        process=process,
        spec=spec,
        by="U0MGR0001",
        now=now,
        source="command",
        start_key=key,
        **kw,
    )


def log(session, ws, team, rep, count, **kw):
    row = make_log(ws, team, rep_id=rep, count=count, **kw)
    session.add(row)
    session.commit()
    return row


def count_rows(session, model) -> int:
    return len(session.exec(select(model)).all())


def keys(occurrences):
    return [o.period_key.split(":", 1)[1] for o in occurrences]


def unsaved_contest(start_day: date, end_day: date, starts_at: datetime, **kw) -> Contest:
    """A contest as start_contest would store it (not stored): it ends at the end of its last
    day's working hours and settles two hours later."""
    kw.setdefault("ends_at", ends_at_for(PROCESS, end_day))
    kw.setdefault("settles_at", settles_at_for(PROCESS, end_day))
    return Contest(
        workspace_id=1,
        team_id=1,
        name="Window",
        kind="race",
        kpi="calls",
        start_day=start_day,
        end_day=end_day,
        starts_at=starts_at,
        created_by="U0MGR0001",
        created_at=starts_at,
        start_key="window",
        **kw,
    )

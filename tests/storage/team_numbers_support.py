"""A team's numbers computed by hand, shared by the team-wide queries' tests
(tests/storage/test_log_queries.py) and the rankings' and digests' (tests/rituals).

The team runs the default process (New York, Mon-Fri 09:00-17:00) without its public holidays
(these numbers were computed for plain Mon-Fri weeks and months; holidays have their own tests:
tests/rituals/test_pacing_holidays.py and others), with per-rep goals: USDR2 calls 50/day instead
of 60/day (and USDR1 calls 60/day, the same as the role's).

    SDR goals: calls 60/day, conversations 12/day, meetings_scheduled 8/week, sao 6/month
    AE goals:  meetings_held 3/day, roi_discussions 8/week, proposals 5/week, deals 4/month

November 2026 has 21 working days (Nov 1 is a Sunday), October 22 (Oct 1 is a Thursday).
The clock, NOW, is Tuesday 24 Nov 2026, 11:00 in New York: a quarter of the working day gone.
"""

from datetime import UTC, date, datetime

from rituals.pacing import Period
from rituals.process import Process, default_process, load_process_dict
from storage import people_queries
from storage.models import ActivityLog, Member
from tests.storage.support import NOW, TODAY, add_member, make_log

SDR1, SDR2, SDR3, AE1, AE2 = "USDR1", "USDR2", "USDR3", "UAE1", "UAE2"
MGR, GONE, SE = "UMGR", "UGONE", "USE"
REPS = [SDR1, SDR2, SDR3, AE1, AE2]
MON, TUE, WED = date(2026, 11, 23), TODAY, date(2026, 11, 25)
LAST_WEEK = Period("week", date(2026, 11, 16), date(2026, 11, 22))
WEEK_BEFORE = Period("week", date(2026, 11, 9), date(2026, 11, 15))
THIS_WEEK = Period("week", MON, date(2026, 11, 29))
OCTOBER = Period("month", date(2026, 10, 1), date(2026, 10, 31))
# The monthly digest runs on the first working day of November, which comes late: Monday the 2nd.
FIRST_WORKING_DAY = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # 09:00 in New York


def make_process() -> Process:
    data = default_process().to_dict()
    data["holidays"] = "off"  # a plain Mon-Fri calendar: see the module docstring
    # SDR1's own goal is the role's: not a goal of their own in the weekly digest
    data["overrides"] = {SDR2: {"calls": "50/day"}, SDR1: {"calls": "60/day"}}
    return load_process_dict(data)


PROCESS = make_process()


def row(ws, team, rep, kpi, count, on, *, voided=False) -> ActivityLog:
    log = make_log(ws, team, rep_id=rep, kpi=kpi, count=count, occurred_on=on)
    if voided:
        log.voided_at, log.voided_by = NOW, rep
    return log


def table(ranking):
    return [(r.rank, r.rep_id) for r in ranking]


def add_other_workspace(session):
    """A second workspace and its team, whose logs no query of the first may see."""
    ws = people_queries.workspace_for(session, "T0002", None, NOW)
    return ws, people_queries.default_team(session, ws.id, NOW)


def add_members(session, ws, team) -> list[Member]:
    """The team: three SDRs (one stored as "SDR"), two AEs, a manager, a removed rep and
    someone whose role the process lacks; returns the active members."""
    for user_id, role in [(SDR1, "sdr"), (SDR2, "sdr"), (SDR3, "SDR"), (AE1, "ae"), (AE2, "ae")]:
        add_member(session, ws, team, user_id, role)
    add_member(session, ws, team, MGR, None, is_manager=True)
    add_member(session, ws, team, GONE, "sdr", active=False)
    add_member(session, ws, team, SE, "sales_engineer")  # a role the process doesn't have
    return list(people_queries.active_members(session, team.id))


def add_data(session, ws, team, other_ws, members) -> list[Member]:
    """The logs the numbers are computed from by hand (see the module docstring)."""
    L = lambda *a, **k: row(ws, team, *a, **k)  # noqa: E731
    rows = [
        # -- today, Tuesday 24 Nov --
        L(SDR1, "calls", 40, TUE),
        L(SDR1, "calls", 20, TUE),
        L(SDR1, "conversations", 3, TUE),
        L(SDR1, "meetings_scheduled", 2, TUE),
        L(SDR2, "calls", 50, TUE),
        L(SDR2, "calls", 30, TUE, voided=True),
        L(SDR2, "conversations", 12, TUE),
        L(SDR2, "meetings_scheduled", 2, TUE),
        L(SDR2, "sao", 1, TUE),
        L(SDR3, "calls", 10, TUE, voided=True),  # undone: SDR3 has logged nothing today
        L(SDR3, "calls", 25, MON),  # yesterday
        L(SDR3, "calls", 7, WED),  # tomorrow (backdating works the other way, but still)
        L(AE1, "meetings_held", 3, TUE),
        L(AE1, "proposals", 1, TUE),
        L(AE2, "meetings_held", 1, TUE),
        L(AE2, "roi_discussions", 2, TUE),
        L(AE2, "calls", 4, TUE),  # not on an AE's scorecard: logged, but no team number
        L(AE1, "calls", 2, WED),  # the same, tomorrow
        L(MGR, "calls", 99, TUE),  # not a rep
        L(GONE, "calls", 99, TUE),  # removed
        L(SE, "calls", 99, TUE),  # role missing from the process
        # -- last week, 16-22 Nov --
        L(SDR1, "calls", 150, date(2026, 11, 17)),
        L(SDR1, "calls", 100, date(2026, 11, 18), voided=True),
        L(SDR1, "conversations", 30, date(2026, 11, 18)),
        L(SDR1, "meetings_scheduled", 4, date(2026, 11, 19)),
        L(SDR2, "calls", 250, date(2026, 11, 16)),
        L(SDR2, "conversations", 30, date(2026, 11, 20)),
        L(SDR2, "meetings_scheduled", 4, date(2026, 11, 20)),
        L(SDR3, "calls", 100, date(2026, 11, 16)),  # first day of the week
        L(SDR3, "calls", 50, date(2026, 11, 22)),  # a Sunday: the last day of the week
        L(SDR3, "conversations", 60, date(2026, 11, 19)),
        L(SDR3, "meetings_scheduled", 4, date(2026, 11, 21)),
        L(AE1, "meetings_held", 15, date(2026, 11, 17)),
        L(AE1, "roi_discussions", 8, date(2026, 11, 18)),
        L(AE1, "proposals", 5, date(2026, 11, 19)),
        L(AE1, "deals", 1, date(2026, 11, 20)),
        L(AE2, "meetings_held", 6, date(2026, 11, 17)),
        L(AE2, "roi_discussions", 4, date(2026, 11, 18)),
        # -- the week before, 9-15 Nov --
        L(SDR1, "calls", 300, date(2026, 11, 10)),
        L(SDR1, "conversations", 60, date(2026, 11, 11)),
        L(SDR1, "meetings_scheduled", 8, date(2026, 11, 12)),
        L(SDR3, "calls", 150, date(2026, 11, 9)),
        L(SDR3, "conversations", 60, date(2026, 11, 10)),
        L(SDR3, "meetings_scheduled", 4, date(2026, 11, 15)),
        L(AE1, "meetings_held", 15, date(2026, 11, 10)),
        L(AE1, "roi_discussions", 8, date(2026, 11, 11)),
        L(AE1, "proposals", 5, date(2026, 11, 12)),
        # -- months: July to October, and the edges around them --
        L(SDR3, "sao", 5, date(2026, 11, 1)),  # a Sunday: November's, not October's
        L(AE1, "deals", 3, date(2026, 4, 30)),  # before the six months of the trend
        L(SDR1, "sao", 6, date(2026, 10, 30)),
        L(SDR1, "calls", 1320, date(2026, 10, 15)),
        L(SDR2, "sao", 3, date(2026, 10, 1)),
        L(AE1, "deals", 4, date(2026, 10, 31)),  # a Saturday, still October
        L(AE2, "deals", 2, date(2026, 10, 20)),
        L(AE2, "deals", 2, date(2026, 10, 21), voided=True),
        L(SDR1, "sao", 6, date(2026, 9, 30)),
        L(SDR2, "sao", 6, date(2026, 9, 1)),
        L(SDR3, "sao", 6, date(2026, 9, 15)),
        L(AE2, "deals", 4, date(2026, 9, 10)),
        L(AE2, "roi_discussions", 1, date(2026, 8, 12)),
        L(SDR1, "sao", 12, date(2026, 7, 31)),
        L(AE1, "deals", 5, date(2026, 7, 1)),
        L(AE2, "deals", 3, date(2026, 7, 9)),
    ]
    other, other_team = other_ws
    rows += [row(other, other_team, SDR1, "calls", 500, TUE)]  # another workspace
    session.add_all(rows)
    session.commit()
    return members

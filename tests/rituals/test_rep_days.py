"""Each rep's own days from what is stored (rituals/rep_days.py), and what they do to a team's
numbers: the closing example of issue 12, Thanksgiving week 2026 (Thu 26 Nov off), at Tuesday
11:00, for a full-week rep, a rep away on Wednesday and a rep who started on Tuesday."""

from datetime import date, datetime, time, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from rituals import rep_days, scorecard
from rituals.availability import EVERY_DAY, RepDays
from rituals.pacing import Period, period_containing
from rituals.process import default_process
from rituals.ranking import GoalScaler, rank, results_from_totals, team_results, windows
from storage.models import Member, TimeOff
from tests.storage.support import NOW, add_member

PROCESS = default_process()  # with US holidays: Thanksgiving is off
CAL = PROCESS.calendar
WEEK = period_containing("week", date(2026, 11, 24))
MON, TUE, WED, THU, FRI = (date(2026, 11, d) for d in (23, 24, 25, 26, 27))
SDR = PROCESS.role("sdr")


def away(session, ws, user_id, *days, cancelled=False):
    for day in days:
        session.add(
            TimeOff(
                workspace_id=ws.id,
                user_id=user_id,
                day=day,
                entered_by=user_id,
                entered_at=NOW,
                cancelled_at=NOW if cancelled else None,
            )
        )
    session.commit()


def test_span_covers_the_weeks_and_months_a_view_touches():
    assert rep_days.span([Period("day", TUE, TUE)]) == (date(2026, 11, 1), date(2026, 11, 30))
    # Mon 30 Nov – Sun 6 Dec: both months (a monthly goal's month to date on either side)
    assert rep_days.span([period_containing("week", date(2026, 12, 1))]) == (
        date(2026, 11, 1),
        date(2026, 12, 31),
    )


def test_absence_says_why_a_rep_has_none_of_the_days():
    assert rep_days.absence(EVERY_DAY, WEEK, CAL) is None
    assert rep_days.absence(RepDays(away={MON, TUE, WED, FRI}), WEEK, CAL) == "away"
    assert rep_days.absence(RepDays(away={MON, TUE, WED}), WEEK, CAL) is None
    assert rep_days.absence(RepDays(start=date(2026, 11, 30)), WEEK, CAL) == "not_started"
    assert rep_days.absence(RepDays(last_day=date(2026, 11, 20)), WEEK, CAL) == "left"
    sunday = Period("day", date(2026, 11, 29), date(2026, 11, 29))
    assert rep_days.absence(RepDays(away={MON}), sunday, CAL) is None  # nobody works Sundays


def test_load_reads_tenure_time_off_and_the_roles_ramp(session, ws, team):
    process = PROCESS
    plain = add_member(session, ws, team, "UPLAIN", "sdr")
    newbie = add_member(session, ws, team, "UNEW", "sdr", started_on=TUE)
    off = add_member(session, ws, team, "UOFF", "sdr")
    away(session, ws, "UOFF", WED)
    away(session, ws, "UOFF", FRI, cancelled=True)  # cancelled: not away
    away(session, ws, "UOFF", date(2026, 10, 30))  # outside the span
    reps = [(m, process.role("sdr")) for m in (plain, newbie, off)]
    days = rep_days.load(session, ws.id, reps, [WEEK])
    assert set(days) == {"UNEW", "UOFF"}  # the plain rep has the team's days
    assert days["UNEW"] == RepDays(start=TUE, ramp=SDR.ramp)
    assert days["UOFF"] == RepDays(away={WED})


def test_thanksgiving_week_for_a_full_week_rep_one_away_wednesday_one_started_tuesday(
    session, ws, team
):
    full = add_member(session, ws, team, "UFULL", "sdr")
    off = add_member(session, ws, team, "UAWAY", "sdr")
    new = add_member(session, ws, team, "UNEW", "sdr", started_on=TUE)
    gone = add_member(session, ws, team, "UGONE", "sdr")
    away(session, ws, "UAWAY", WED)
    away(session, ws, "UGONE", MON, TUE, WED, FRI)
    members = [full, off, new, gone]
    results = {r.rep_id: r for r in team_results(session, ws.id, PROCESS, members, WEEK, NOW)}
    calls = {rep: r.lines["calls"] for rep, r in results.items()}
    meetings = {rep: r.lines["meetings_scheduled"] for rep, r in results.items()}
    # 60 calls a day: 4 days, 3 days (Wednesday away), 3 days (from Tuesday); nothing when away
    assert {rep: p.goal for rep, p in calls.items()} == {
        "UFULL": 240,
        "UAWAY": 180,
        "UNEW": 180,
        "UGONE": None,
    }
    # 8 meetings a week over the team's 4 days: 2 a day, so 6 for the two with 3 days
    assert [meetings[r].goal for r in ("UFULL", "UAWAY", "UNEW")] == [8, 6, 6]
    # Tuesday 11:00: 1.25 of the full-week rep's 4 days gone, 1.25 of 3 for the one away
    # Wednesday, 0.25 of 3 for the one who started on Tuesday.
    assert calls["UFULL"].elapsed == 1.25 / 4
    assert calls["UAWAY"].elapsed == 1.25 / 3
    assert calls["UNEW"].elapsed == 0.25 / 3
    assert results["UGONE"].absent == "away" and results["UGONE"].overall is None
    ranked = rank(results.values())
    assert ranked[-1].rep_id == "UGONE" and not ranked[-1].ranked
    # The rep's own scorecard says the same, and says why a rep has no goal.
    card = scorecard.build_scorecard(session, ws.id, PROCESS, new, WEEK, NOW)
    assert card.lines[0].pacing == calls["UNEW"]
    assert scorecard.build_scorecard(session, ws.id, PROCESS, gone, WEEK, NOW).absent == "away"


weekdays_2026 = st.integers(0, 364).map(lambda n: date(2026, 1, 1) + timedelta(days=n))


@given(day=weekdays_2026, kind=st.sampled_from(["day", "week", "month"]), extra=st.booleans())
def test_a_rep_away_for_the_whole_period_has_no_goal_and_no_rank(day, kind, extra):
    """Property: whatever the period, a rep away on every one of its working days has no goal
    on any line of the period's own scale, no overall score and no rank; their teammate keeps
    theirs."""
    period = period_containing(kind, day)
    working = [d for d in period.days() if CAL.is_working_day(d)]
    assume(working)
    away = set(working) | ({period.end + timedelta(days=1)} if extra else set())
    scaler = GoalScaler(PROCESS, {"UAWAY": RepDays(away=frozenset(away))})
    reps = [(Member(user_id=u, role="sdr", active=True), SDR) for u in ("UAWAY", "UHERE")]
    now = datetime.combine(period.end, time(12), CAL.tz)
    totals = {w: {"UAWAY": {"calls": 50}} for w in windows(PROCESS, reps, period, now, scaler)}
    results = results_from_totals(PROCESS, reps, period, now, totals, scaler)
    gone, here = results
    assert gone.absent == "away" and gone.overall is None
    assert all(p.goal is None for k, p in gone.lines.items() if p.period == period), (
        "a goal on the period's own scale"
    )
    assert here.absent is None and here.overall is not None
    ranking = rank(results)
    assert [(r.rep_id, r.ranked) for r in ranking] == [("UHERE", True), ("UAWAY", False)]

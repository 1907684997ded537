"""The demo's last week (simulator/demo/final_week.py): a day off booked with /away, a new hire
with the SDRs' ramp, a goal raised from the week's Monday and a rep out on the last day, each
through the real command path and each visible in the numbers. The package's demo runs two weeks
to Fri 20 Nov 2026, so the last week is Mon 16 – Fri 20 Nov."""

from datetime import date

from simulator.demo.cast import AES, MANAGER, NEW_HIRE, SDRS
from simulator.demo.final_week import FinalWeek
from tests.simulator.demo.support import printed, reply_to

SAM, MARIA, MARCUS = SDRS[1], SDRS[0], AES[2]


def test_the_weeks_days_come_from_the_days_played():
    days = [date(2026, 11, d) for d in (12, 13, 16, 17, 18, 19, 20)]
    week = FinalWeek.of(days)
    assert (week.first, week.booking, week.hire_starts, week.last) == (
        date(2026, 11, 16),
        date(2026, 11, 13),
        date(2026, 11, 17),
        date(2026, 11, 20),
    )
    assert SAM not in week.reps_on(date(2026, 11, 16)) and NEW_HIRE not in week.reps_on(days[2])
    assert NEW_HIRE in week.reps_on(date(2026, 11, 17)) and MARCUS not in week.reps_on(days[-1])


def test_the_day_off_the_new_hire_and_the_goal_change_show_in_the_numbers(output):
    booked = printed(output, f"{SAM.name} › /away 2026-11-16 Family visit")
    assert "Away Mon 16 Nov 2026: 1 working day · Family visit" in booked
    sam = reply_to(output, MANAGER, f"/scorecard @{SAM.name} calls why")
    assert "• 60 a day × 4 of their days (Tue 17, Wed 18, Thu 19, Fri 20 Nov) = 240" in sam
    assert "not counted: Mon 16 Nov — away" in sam
    priya = reply_to(output, MANAGER, f"/scorecard @{NEW_HIRE.name} calls why")
    assert "60 a day × 25% (ramp) × 4 of their days" in priya and "= 60" in priya
    assert "Mon 16 Nov — before their start" in priya
    goals = reply_to(output, MANAGER, "/pacer goal")
    assert "Conversations 14/day from Mon 16 Nov 2026 (was 12/day)" in goals
    maria = reply_to(output, MANAGER, f"/scorecard @{MARIA.name} conversations why")
    assert "14 a day × 5 of their days" in maria
    # Marcus is out on the last day: away in its rankings, not last.
    assert f"— {MARCUS.name} · away" in output

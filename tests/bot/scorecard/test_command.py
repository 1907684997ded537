"""bot/scorecard/command.py: /scorecard through signed requests: the logs behind a number within
Slack's limits, a day off, a week not over yet, and a past week judged by the goals it had."""

from datetime import datetime

from tests.bot.support import MGR, SDR


def test_long_notes_and_many_logs_stay_inside_slack_limits(rig):
    rig.team()
    for i in range(45):
        rig.text("/log", f'call 1 "{"R&D <x> " * 60}{i}"', SDR)
    basis = rig.text("/scorecard", "calls", SDR)
    assert "*45* counted from 45 logs" in basis


def test_a_sunday_scorecard_says_day_off(rig):
    rig.team()
    rig.now = datetime.fromisoformat("2026-11-22T12:00:00-05:00")
    card = rig.text("/scorecard", "day", SDR)
    assert "a day off" in card and "no goal on a day off" in card


def test_a_friday_evening_week_is_not_over(rig):
    rig.team()
    rig.now = datetime.fromisoformat("2026-11-27T18:00:00-05:00")
    card = rig.text("/scorecard", "", SDR)
    assert "period complete" not in card and "pace" in card


def test_a_past_week_keeps_the_goals_it_had(rig):
    rig.team()
    rig.text("/log", "call 30", SDR)
    rig.now = datetime.fromisoformat("2026-11-30T10:00:00-05:00")  # the next Monday
    rig.text("/pacer", "goal sdr calls 50/day", MGR)
    # 60/day then, on Thanksgiving week's four working days
    assert "30 of 240 (12%)" in rig.text("/scorecard", "last-week", SDR)
    assert "of 250" in rig.text("/scorecard", "", SDR)  # 50/day from now on

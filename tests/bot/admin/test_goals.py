"""bot/admin/goals.py through signed requests: `/pacer goal` with `from DATE`, the list with
today's goals, coming changes and history, `confirm` for implausible goals, and every mistake
answered with what would work and nothing changed. Now: Tue 24 Nov 2026 11:00 New York."""

from datetime import datetime

from tests.bot.support import MGR, SDR


def test_a_dated_change_shows_in_force_coming_and_history(rig):
    rig.team()
    done = rig.text("/pacer", "goal sdr calls 80/day from 2026-12-01", MGR)
    assert "Calls / Emails 80/day* from Tue 1 Dec 2026 (was 60/day)" in done
    assert "until then the goal stays 60/day" in done and "process version 1" in done
    listing = rig.text("/pacer", "goal", SDR)
    assert "in force today, Tue 24 Nov 2026" in listing
    assert "Calls / Emails 60/day" in listing  # still 60 today
    assert "*Coming changes*" in listing
    assert (
        "Sales Development Rep: Calls / Emails 80/day from Tue 1 Dec 2026 (was 60/day) · set by "
        f"<@{MGR}> on Tue 24 Nov" in listing
    )
    rig.now = datetime.fromisoformat("2026-12-02T10:00:00-05:00")
    later = rig.text("/pacer", "goal", SDR)
    assert "*History* (newest first)" in later and "*Coming changes*" not in later
    assert "Sales Development Rep* (`sdr`): Calls / Emails 80/day" in later


def test_a_reps_own_goal_from_a_past_date_and_reset(rig):
    rig.team()
    done = rig.text("/pacer", f"goal <@{SDR}> calls 50/day from 2026-11-23", MGR)
    assert "Goal set for <@U0SDR0001>: *Calls / Emails 50/day* from Mon 23 Nov 2026" in done
    assert "the days since then count against it" in done
    listing = rig.text("/pacer", "goal", MGR)
    assert f"<@{SDR}> (their own): Calls / Emails 50/day" in listing
    reset = rig.text("/pacer", f"goal <@{SDR}> calls reset from tomorrow", MGR)
    assert "back to the role's goal (60/day)* from Wed 25 Nov 2026 (was 50/day)" in reset
    assert "their own" in rig.text("/pacer", "goal", MGR)  # still theirs today
    rig.now = datetime.fromisoformat("2026-11-25T10:00:00-05:00")
    assert "(their own)" not in rig.text("/pacer", "goal", MGR)
    nothing = rig.text("/pacer", f"goal <@{SDR}> calls reset", MGR)
    assert "has no goal of their own for Calls / Emails on Wed 25 Nov 2026" in nothing


def test_dates_outside_the_window_are_refused_and_change_nothing(rig):
    rig.team()
    early = rig.text("/pacer", "goal sdr calls 80/day from 2026-09-30", MGR)
    assert "dated back to Thu 1 Oct 2026 (the start of last month)" in early
    assert "Nothing changed" in early and "`from 2026-10-01`" in early
    late = rig.text("/pacer", "goal sdr calls 80/day from 2027-12-01", MGR)
    assert "up to a year ahead" in late and "/pacer goal sdr calls 80/day from" in late
    bad = rig.text("/pacer", "goal sdr calls 80/day from 1-dec", MGR)
    assert "isn't a date" in bad and "YYYY-MM-DD" in bad
    two = rig.text("/pacer", "goal sdr calls 80/day from 2026-12-01 2026-12-02", MGR)
    assert "one date after `from`" in two
    assert "*History*" not in rig.text("/pacer", "goal", MGR)  # none of them stored


def test_an_implausible_goal_needs_confirm(rig):
    rig.team()
    refused = rig.text("/pacer", "goal sdr calls 5000/day", MGR)
    assert "Not applied" in refused and "over the team's limit of 500 a working day" in refused
    assert "`/pacer goal sdr calls 5000/day confirm`" in refused
    times = rig.text("/pacer", "goal sdr conversations 700/week from 2026-12-01", MGR)
    assert "700/week (about 140 a working day) is 12× the Sales Development Rep goal" in times
    assert "`/pacer goal sdr conversations 700/week from 2026-12-01 confirm`" in times
    assert "Conversations 12/day" in rig.text("/pacer", "goal", MGR)  # nothing changed
    assert "Goal set" in rig.text("/pacer", "goal sdr calls 600/week", MGR)  # 2×: no question
    confirmed = rig.text("/pacer", "goal sdr calls 5000/day confirm", MGR)
    assert "Goal set for every Sales Development Rep: *Calls / Emails 5000/day*" in confirmed


def test_usage_mistakes_keep_their_replies(rig):
    rig.team()
    assert "Only the team's managers" in rig.text("/pacer", "goal sdr calls 80/day", SDR)
    assert "optionally `from 2026-12-01`" in rig.text("/pacer", "goal sdr calls", MGR)
    assert "puts one rep back on their role's goal" in rig.text(
        "/pacer", "goal sdr calls reset", MGR
    )

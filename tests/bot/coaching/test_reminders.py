"""The coaching reminder ritual (each manager told privately which reps are due a session, once
per run, never twice after a crash) and the coaching cadence in the weekly digest's thread."""

from datetime import datetime

from tests.bot.coaching.support import (
    MGR2,
    MONDAY_0930,
    SALES,
    SDR2,
    SDR3,
    SDR4,
    SDR5,
    coach_at,
    reminders_to,
    run,
    weekly_thread,
)
from tests.bot.support import ADMIN, AE, MGR, SDR


def test_the_reminder_ritual_names_overdue_reps_once(rig):
    coach_at(rig, SDR2, "2026-11-10T10:00:00-05:00")  # 20 days before Monday: overdue
    coach_at(rig, SDR, "2026-11-24T10:00:00-05:00")  # 6 days: on cadence
    coach_at(rig, AE, "2026-11-24T10:30:00-05:00")
    coach_at(rig, SDR4, "2026-11-17T10:00:00-05:00")  # 13 days: not yet
    rig.now = datetime.fromisoformat("2026-11-25T10:00:00-05:00")
    rig.text("/pacer", f"team add <@{SDR5}> sdr", MGR)  # joined 5 days before: not due yet
    outcome = run(rig, "coaching", MONDAY_0930)
    assert outcome.status == "posted" and outcome.detail == "1 private messages", outcome
    [dm] = reminders_to(rig, MGR)
    assert "2 reps have had no coaching session in 14 days" in dm
    assert "<@U0SDR0002> — last session 20 days ago" in dm
    assert "<@U0SDR0003> — no session since joining 60 days ago" in dm
    for on_cadence in (SDR, AE, SDR4, SDR5):
        assert f"<@{on_cadence}>" not in dm
    assert "`/coach @rep`" in dm
    assert run(rig, "coaching", MONDAY_0930).status == "settled"
    assert len(reminders_to(rig, MGR)) == 1


def test_no_reminder_when_nobody_is_overdue_and_a_crash_never_sends_two(rig):
    for rep in (SDR, SDR2, SDR3, SDR4, AE):
        coach_at(rig, rep, "2026-11-24T10:00:00-05:00")
    outcome = run(rig, "coaching", MONDAY_0930)
    assert outcome.detail == "0 private messages" and not reminders_to(rig, MGR)
    # two weeks on everyone is overdue; two managers; the first DM fails after Pacer recorded
    # it was about to be sent: the retry sends the second manager's and never the first twice
    rig.text("/pacer", f"manager <@{MGR2}>", ADMIN)
    due = datetime.fromisoformat("2026-12-14T09:30:00-05:00")
    rig.slack.fail_next("chat.postMessage", status=500)
    assert run(rig, "coaching", due).status == "failed"
    later = datetime.fromisoformat("2026-12-14T09:40:00-05:00")
    assert run(rig, "coaching", due, now=later).status == "posted"
    assert (len(reminders_to(rig, MGR)), len(reminders_to(rig, MGR2))) == (0, 1)
    assert "5 reps have had no coaching session" in reminders_to(rig, MGR2)[0]


# -- the weekly digest ----------------------------------------------------------------------------


def test_the_weekly_digest_thread_shows_the_coaching_cadence_unless_private(rig):
    rig.text("/pacer", f"channel <#{SALES}|sales>", ADMIN)
    coach_at(rig, SDR, "2026-11-10T10:00:00-05:00")
    coach_at(rig, SDR, "2026-11-24T10:00:00-05:00")
    coach_at(rig, SDR2, "2026-11-13T10:00:00-05:00")
    thread = weekly_thread(rig, datetime.fromisoformat("2026-11-30T09:00:00-05:00"))
    assert "*Coaching cadence* (for managers: a session every 14 days" in thread
    assert "Maria Lopez: 2 sessions · 6 days since the last" in thread.splitlines()
    assert "Sam Okafor: 1 session · 17 days since the last · :red_circle: *overdue*" in thread
    assert "Jenna Park: 0 sessions · never coached · :red_circle: *overdue*" in thread
    assert "<@" not in thread  # names, not mentions: nobody is pinged
    rig.text("/pacer", "visibility managers", MGR)
    private = weekly_thread(rig, datetime.fromisoformat("2026-12-07T09:00:00-05:00"))
    assert "Every rep against goal" in private and "Coaching cadence" not in private

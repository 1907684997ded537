"""Nudges (bot/delivery/nudges.py) through the ritual path: privately, to the reps who logged
nothing and want them, once a day. (Each rep's own timezone and quiet hours:
tests/bot/test_time_and_help.py.)"""

from datetime import datetime

from tests.bot.admin.test_team import with_ramp
from tests.bot.delivery.support import nudges_sent, run
from tests.bot.support import ADMIN, AE, SDR


def test_nudges_go_privately_to_reps_who_logged_nothing_and_want_them(rig):
    rig.text("/pacer", "team add <@U0SDR0002> sdr", ADMIN)
    rig.text("/pacer", "team add <@U0SDR0003> sdr", ADMIN)
    rig.text("/pacer", "nudges off", "U0SDR0003")
    rig.now = datetime.fromisoformat("2026-11-26T10:00:00-05:00")
    rig.text("/log", "calls 5", SDR)
    outcome = run(rig, "nudge", datetime.fromisoformat("2026-11-26T15:00:00-05:00"))
    assert outcome.status == "posted" and outcome.detail == "2 private messages"
    # once each: not Maria (logged), not U0SDR0003 (opted out), not the manager
    assert sorted(nudges_sent(rig.slack)) == sorted(["U0SDR0002", AE])
    (dm,) = [
        c
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params["channel"] == AE and "Nothing logged" in c.params["text"]
    ]
    assert "/log meeting 12" in str(dm.params["blocks"]) and "`" not in dm.params["text"]
    # The same sweep again (a manual run at 15:07), the next sweep and the one after: the run or
    # the per-rep claims say they were nudged today; nobody hears twice.
    again = run(rig, "nudge", datetime.fromisoformat("2026-11-26T15:07:00-05:00"))
    assert again.status == "settled"
    for at in ("2026-11-26T15:30:00-05:00", "2026-11-26T16:30:00-05:00"):
        assert str(run(rig, "nudge", datetime.fromisoformat(at))) == "posted: 0 private messages"
    assert len(nudges_sent(rig.slack)) == 2
    # The next working day they are due again.
    friday = run(rig, "nudge", datetime.fromisoformat("2026-11-27T15:00:00-05:00"))
    assert friday.detail == "3 private messages"  # Maria too: nothing logged on Friday


def test_a_rep_away_today_gets_no_nudge(rig):
    rig.text("/pacer", "team add <@U0SDR0002> sdr", ADMIN)
    rig.text("/away", "2026-11-25", "U0SDR0002")
    rig.text("/away", "2026-11-24 2026-11-25", SDR)
    rig.text("/away", "cancel 2026-11-25", SDR)  # cancelled: nudged after all
    outcome = run(rig, "nudge", datetime.fromisoformat("2026-11-25T15:00:00-05:00"))
    assert outcome.detail == "2 private messages"
    assert sorted(nudges_sent(rig.slack)) == sorted([SDR, AE])  # not U0SDR0002, away today


def test_a_new_hires_nudge_shows_today_s_goal_at_their_ramp(rig):
    with_ramp(rig, (0.25, 0.5))
    rig.text("/pacer", "team add <@U0SDR0002> sdr starting 2026-11-23", ADMIN)
    run(rig, "nudge", datetime.fromisoformat("2026-11-25T15:00:00-05:00"))
    texts = {
        c.params["channel"]: str(c.params["blocks"])
        for c in rig.slack.calls_to("chat.postMessage")
        if "Nothing logged" in c.params["text"]
    }
    # Calls are 60 a day; a quarter of it in the new hire's first month, all of it for Maria.
    assert "Today's goals: Calls / Emails 15 · Conversations 3." in texts["U0SDR0002"]
    assert "Today's goals: Calls / Emails 60 · Conversations 12." in texts[SDR]

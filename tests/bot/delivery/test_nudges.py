"""Nudges (bot/delivery/nudges.py) through the ritual path: privately, to the reps who logged
nothing and want them, once a day. (Each rep's own timezone and quiet hours:
tests/bot/test_time_and_help.py.)"""

from datetime import datetime

from sqlmodel import select

from storage.models import RitualRun
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
    assert again.status == "nobody-due"
    for at in ("2026-11-26T15:30:00-05:00", "2026-11-26T16:30:00-05:00"):
        assert str(run(rig, "nudge", datetime.fromisoformat(at))) == "nobody-due"
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


def all_runs(rig) -> list[tuple[str, str, str]]:
    """The ritual runs stored (not the one-time welcome claims of the rig's setup)."""
    with rig.services.unit_of_work() as session:
        rows = session.exec(select(RitualRun).where(RitualRun.kind != "welcome")).all()
        return sorted((r.kind, r.period_key, r.status) for r in rows)


def test_a_sweep_with_nobody_due_writes_no_row(rig):
    """The sweep runs every 30 minutes; before 15:00, after the reps logged, or for reps away,
    nobody is due: it claims nothing, so the ritual_run table stays as it was."""
    for hhmm in ("09:00", "11:30", "14:30"):  # before the nudge time
        when = datetime.fromisoformat(f"2026-11-26T{hhmm}:00-05:00")
        assert run(rig, "nudge", when).status == "nobody-due"
    assert all_runs(rig) == []
    rig.now = datetime.fromisoformat("2026-11-26T10:00:00-05:00")
    rig.text("/log", "calls 5", SDR)
    rig.text("/log", "meetings 1", AE)
    for hhmm in ("15:00", "15:30", "16:30"):  # due by the clock, but everyone has logged
        when = datetime.fromisoformat(f"2026-11-26T{hhmm}:00-05:00")
        assert run(rig, "nudge", when).status == "nobody-due"
    assert all_runs(rig) == []
    # The next day nobody logs: the sweep is claimed, and each rep's nudge.
    friday = run(rig, "nudge", datetime.fromisoformat("2026-11-27T15:00:00-05:00"))
    assert friday.detail == "2 private messages"
    assert sorted(key for _, key, _ in all_runs(rig)) == [
        f"2026-11-27:{AE}",
        f"2026-11-27:{SDR}",
        "2026-11-27T20:00Z",
    ]

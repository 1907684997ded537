"""bot/delivery/nudges.py through the ritual path against the local Slack stand-in: each rep is
nudged at the nudge time of their own day, inside the working hours, once per local day,
whatever the clocks do (races, a crash, manual runs), and the nudge reads well. The week before
Thanksgiving; on the holiday itself nobody is nudged, in any timezone (the last test)."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from cli import rituals as rituals_cli
from rituals import runs
from rituals.process import default_process, load_process_dict
from rituals.schedule import Occurrence, nudge_key
from rituals.teams import store_process
from storage import people_queries
from storage.models import RitualRun
from tests.bot.support import AE, MGR, SDR, assert_within_slack_limits
from tests.bot.timezone_support import LA, NY, at, nudges, sweep, team_id, timezone_rig


@pytest.fixture
def rig(tmp_path):
    yield from timezone_rig(tmp_path)


def test_each_rep_is_nudged_at_the_nudge_time_of_their_own_day(rig):
    """Sweeps every 30 minutes from Thursday 00:00 to Friday 03:00 in New York: each rep is
    nudged once per working day of their own, at 15:00 their time."""
    rig.slack.reset()
    when, sent = at("2026-11-19T00:00:00-05:00"), []
    while when <= at("2026-11-20T03:00:00-05:00"):
        before = len(nudges(rig.slack))
        assert sweep(rig, when).status in ("posted", "nobody-due")
        sent += [(who, f"{when:%a %H:%M}") for who in nudges(rig.slack)[before:]]
        when += timedelta(minutes=30)
    assert sorted(sent) == sorted(
        [
            (SDR, "Thu 01:00"),  # 15:00 Thursday in Tokyo
            (NY, "Thu 15:00"),
            (AE, "Thu 15:00"),
            (LA, "Thu 18:00"),  # 15:00 in Los Angeles: after the team's hours, not the rep's
            (SDR, "Fri 01:00"),  # 15:00 Friday in Tokyo
        ]
    )
    # Saturday in Tokyo is Friday in New York: Tokyo's day off, and Pacer is quiet.
    rig.slack.reset()
    for hhmm in ("01:00", "02:30"):  # Sat 15:00 and 16:30 in Tokyo
        sweep(rig, at(f"2026-11-21T{hhmm}:00-05:00"))
    assert SDR not in nudges(rig.slack)
    # Each nudge was claimed as its own run, keyed by the rep's local day.
    with rig.services.unit_of_work() as session:
        keys = {
            r.period_key
            for r in session.exec(select(RitualRun).where(RitualRun.kind == "nudge"))
            if ":U" in r.period_key
        }
    assert {nudge_key(at("2026-11-19T00:00:00").date(), SDR), f"2026-11-20:{SDR}"} <= keys
    assert f"2026-11-19:{LA}" in keys and len(keys) == 5


def test_a_rep_who_logged_on_their_own_day_is_not_nudged(rig):
    rig.now = at("2026-11-18T23:30:00-05:00")
    rig.text("/log", "calls 5", SDR)  # Thursday 13:30 in Tokyo
    rig.text("/log", "calls 5", LA)  # Wednesday 20:30 in Los Angeles
    rig.slack.reset()
    sweep(rig, at("2026-11-19T01:00:00-05:00"))  # Thursday 15:00 in Tokyo
    assert nudges(rig.slack) == []  # Kenji logged on his Thursday
    sweep(rig, at("2026-11-19T18:00:00-05:00"))  # Thursday 15:00 in Los Angeles
    assert nudges(rig.slack) == [LA]  # Lena's log was on her Wednesday


def test_opted_out_reps_and_quiet_hours(rig):
    rig.text("/pacer", "nudges off", NY)
    rig.slack.reset()
    sweep(rig, at("2026-11-19T15:00:00-05:00"))
    assert nudges(rig.slack) == [AE]  # not Maria: she turned them off
    # A clock that was down from 14:00 to 17:10 in New York: the New York reps are in their
    # quiet hours by then; nobody is nudged late in the evening.
    rig.text("/pacer", "nudges on", NY)
    rig.slack.reset()
    assert str(sweep(rig, at("2026-11-20T17:10:00-05:00"))) == "nobody-due"
    # A nudge time after the working day would never be sent: the command refuses it.
    refused = rig.text("/pacer", "ritual nudges 18:00", MGR)
    assert "nothing changed" in refused and "no nudge would ever be sent" in refused
    assert "rituals.nudges: 18:00 is at or after the end of the working day (17:00)" in refused
    assert "nudges 15:00" in rig.text("/pacer", "ritual", MGR)  # unchanged
    # One already saved (a process file says so: it loads, with a warning) nudges nobody.
    data = default_process().to_dict()
    data["rituals"]["nudges"] = {"at": "18:00"}
    late = load_process_dict(data)
    assert any("no nudge would ever be sent" in w for w in late.warnings)
    with rig.services.unit_of_work() as session:
        team = people_queries.get_team(session, team_id(rig))
        store_process(session, late, team=team, loaded_by="test", change="file", now=rig.now)
    when = at("2026-11-23T00:00:00-05:00")
    while when < at("2026-12-01T00:00:00-05:00"):
        sweep(rig, when)
        when += timedelta(hours=1)
    assert nudges(rig.slack) == []


def test_clocks_racing_a_crash_and_manual_runs_never_nudge_twice(rig, capsys):
    rig.slack.reset()
    three = at("2026-11-19T15:00:00-05:00")
    # Two clocks sweeping at once, each under its own key (a restart, a manual run …).
    barrier = threading.Barrier(2)

    def race(key: str):
        barrier.wait()
        return sweep(rig, three, Occurrence("nudge", three, key))

    outcomes = []
    threads = [
        threading.Thread(target=lambda k=k: outcomes.append(race(k)))
        for k in ("2026-11-19T20:00Z", "manual")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(nudges(rig.slack)) == sorted([AE, NY])  # once each
    assert sum(int(o.detail.split()[0]) for o in outcomes) == 2
    # A clock that died between claiming Lena's nudge and sending it: her claim stays; no
    # later sweep sends it (one reminder lost at worst, never two).
    six = at("2026-11-19T18:00:00-05:00")
    with rig.services.unit_of_work() as session:
        team = people_queries.get_team(session, team_id(rig))
        runs.claim(
            session,
            workspace_id=team.workspace_id,
            team_id=team.id,
            occurrence=Occurrence("nudge", six, nudge_key(six.date(), LA)),
            now=six,
            owner="a clock that died",
            max_attempts=1,
        )
    sweep(rig, six)
    sweep(rig, six + timedelta(minutes=30))  # the claim is stale by now: still not taken over
    assert LA not in nudges(rig.slack)
    # `pacer rituals run nudge` goes the same way: nobody is nudged twice.

    code = rituals_cli.run_now(rig.services.settings, "nudge", None, None, "2026-11-19T16:10-05:00")
    assert code == 0
    assert "Sales: nudge 2026-11-19T21:00Z: nobody-due" in capsys.readouterr().out
    assert sorted(nudges(rig.slack)) == sorted([AE, NY])


def test_a_nudge_slack_refuses_is_recorded_and_never_sent_twice(rig):
    rig.slack.reset()
    rig.slack.fail_next(
        "chat.postMessage", status=200, body={"ok": False, "error": "user_not_found"}
    )
    outcome = sweep(rig, at("2026-11-19T15:00:00-05:00"))  # AE first (sorted IDs), then Maria
    assert str(outcome) == "posted: 1 private messages"  # Maria's; Alex's was refused
    assert nudges(rig.slack) == [AE, NY]
    with rig.services.unit_of_work() as session:
        row = runs.get_run(session, team_id(rig), "nudge", f"2026-11-19:{AE}")
    assert row.status == "failed" and "user_not_found" in row.error
    sweep(rig, at("2026-11-19T15:30:00-05:00"))  # not tried again: one reminder lost at most
    assert nudges(rig.slack) == [AE, NY]


def test_the_nudge_reads_well(rig):
    rig.slack.reset()
    sweep(rig, at("2026-11-19T01:00:00-05:00"))  # 15:00 in Tokyo
    (call,) = [c for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == SDR]
    assert_within_slack_limits(call.params)
    body = call.params["blocks"][0]["text"]["text"]
    assert "Nothing logged today yet* (Thu 19 Nov)" in body
    # a weekly goal has no share of a day to show (issue 12: it read "Meetings Scheduled 1.6")
    assert "Today's goals: Calls / Emails 60 · Conversations 12.\n" in body
    assert "Discovery Meetings Scheduled: 8 this week." in body
    assert "`/log calls 12`" in body and "15:00 your time (Asia/Tokyo)" in body
    assert "`/pacer nudges off`" in body
    assert call.params["text"] == (
        "Nothing logged today (Thu 19 Nov) yet. Log what you've done, e.g. /log calls 12; "
        "/scorecard shows where you stand."
    )


def test_nobody_is_nudged_on_thanksgiving_in_any_timezone(rig):
    """Thu 26 Nov 2026 is a US public holiday in the default process: a day off for every rep,
    each on their own Thursday; the day before and after, nudges go out as usual."""
    rig.slack.reset()
    when = at("2026-11-25T20:00:00-05:00")  # Thursday 10:00 in Tokyo
    while when <= at("2026-11-27T00:30:00-05:00"):  # Friday 14:30 in Tokyo
        sweep(rig, when)
        when += timedelta(minutes=30)
    assert nudges(rig.slack) == []
    sweep(rig, at("2026-11-27T01:00:00-05:00"))  # Friday 15:00 in Tokyo
    assert nudges(rig.slack) == [SDR]
    rig.slack.reset()
    sweep(rig, at("2026-11-27T15:00:00-05:00"))  # Friday 15:00 in New York
    assert sorted(nudges(rig.slack)) == [AE, NY]

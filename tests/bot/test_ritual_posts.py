"""Rituals end to end against the local Slack stand-in: the right channel, numbers and thread;
exactly once across repeats, two clocks and restarts; faults retried until the post lands once."""

from datetime import datetime

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.delivery.clock import Clock
from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from rituals.schedule import occurrence_at
from rituals.teams import team_process
from storage import people_queries
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig, no_waiting

CHANNEL = "C0SALES01"
THURSDAY_1745 = datetime.fromisoformat("2026-11-26T17:45:00-05:00")


@pytest.fixture
def rig(tmp_path):
    from simulator.slack_standin import SlackStandin

    with SlackStandin() as slack:
        slack.add_user(SDR, "Maria Lopez")
        slack.add_user(AE, "Alex Chen")
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.team()
        rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
        yield rig
        rig.services.background.shutdown(wait=True)


def team_id(rig) -> int:
    with rig.services.unit_of_work() as session:
        return people_queries.teams(session)[0].id


def run(rig, kind, at=THURSDAY_1745, pacer=None, now=None):
    """The ritual due at ``at``, run at ``now`` (default: at once)."""
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
    occurrence = occurrence_at(process, kind, at)
    return run_ritual(
        rig.services,
        team_id(rig),
        occurrence,
        now or at,
        pacer=pacer or ChannelPacer(0),
        owner="test",
    )


def channel_posts(slack):
    return [c for c in slack.calls_to("chat.postMessage") if c.params.get("channel") == CHANNEL]


def test_daily_digest_posts_once_with_chart_and_thread(rig):
    rig.now = datetime.fromisoformat("2026-11-26T10:00:00-05:00")
    rig.text("/log", "calls 70 conversations 13 meetings 2", SDR)
    rig.text("/log", "held 2 roi 1", AE)
    outcome = run(rig, "daily")
    assert outcome.status == "posted", outcome
    posts = channel_posts(rig.slack)
    main = [p for p in posts if "thread_ts" not in p.params]
    assert len(main) == 1
    text = main[0].params["blocks"][0]["text"]["text"]
    assert "Daily digest" in text and "Thu 26 Nov 2026" in text
    assert "Calls / Emails* 70 of 60" in text
    assert "Maria Lopez" in text and "<@" not in text  # names, never mentions
    assert rig.slack.calls_to("files.completeUploadExternal")[0].params["thread_ts"] == main[
        0
    ].params.get("ts", rig.slack.history[CHANNEL][0]["ts"])
    assert any("thread_ts" in p.params for p in posts)
    assert run(rig, "daily").status == "settled"
    assert len([p for p in channel_posts(rig.slack) if "thread_ts" not in p.params]) == 1


def test_two_clocks_at_once_post_once(rig):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda _: run(rig, "weekly"), range(2)))
    assert sorted(o.status for o in outcomes) == ["posted", "settled"]
    assert len([p for p in channel_posts(rig.slack) if "thread_ts" not in p.params]) == 1


def test_a_rate_limit_is_waited_out_and_posts_once(rig):
    rig.slack.fail_next("chat.postMessage", status=429, retry_after=0)
    assert run(rig, "daily").status == "posted"
    assert len([m for m in rig.slack.history[CHANNEL] if "thread_ts" not in m]) == 1


def test_a_server_error_ends_the_attempt_and_the_next_one_posts_once(rig):
    """Slack's 5xx may have posted (internal_error can be partial): the attempt fails, rests,
    and the next one looks in the channel first."""
    rig.slack.fail_next("chat.postMessage", status=500)
    first = run(rig, "daily")
    assert first.status == "failed" and "500" in first.detail or "internal_error" in first.detail
    assert run(rig, "daily").status == "settled"  # resting: 1 minute after a first failure
    later = datetime.fromisoformat("2026-11-26T17:47:00-05:00")
    assert run(rig, "daily", at=THURSDAY_1745, now=later).status == "posted"
    assert len([m for m in rig.slack.history[CHANNEL] if "thread_ts" not in m]) == 1


def test_a_timeout_fails_the_attempt_and_the_retry_finds_the_post(rig):
    rig.services.ritual_client.timeout = 1
    rig.slack.fail_next("chat.postMessage", status=200, delay=2)  # posts, but answers too late
    first = run(rig, "daily")
    assert first.status == "failed" and "timed out" in first.detail.lower()
    rig.slack.wait_for("chat.postMessage")
    second = run(
        rig, "daily", now=datetime.fromisoformat("2026-11-26T17:50:00-05:00")
    )  # after its rest
    assert second.status == "posted", second
    assert len([m for m in rig.slack.history[CHANNEL] if "thread_ts" not in m]) == 1


def test_no_channel_is_skipped_with_a_reason(tmp_path):
    from simulator.slack_standin import SlackStandin

    with SlackStandin() as slack:
        rig = Rig(tmp_path, slack)
        rig.team()
        slack.reset()  # the new reps' welcome messages
        outcome = run(rig, "daily")
        assert (
            outcome.status == "waiting" and "/pacer channel" in outcome.detail
        )  # not claimed: still owed
        assert not slack.calls_to("chat.postMessage")
        rig.services.background.shutdown(wait=True)


def test_the_clock_builds_jobs_in_the_team_timezone_and_catches_up(rig):
    clock = Clock(rig.services, BackgroundScheduler(timezone="UTC"))
    assert clock.sync() == [team_id(rig)]
    jobs = {job.id.split(":")[1] for job in clock.scheduler.get_jobs()}
    assert {"daily", "weekly", "monthly", "leaderboard", "nudge"} <= jobs
    daily = next(j for j in clock.scheduler.get_jobs() if ":daily:" in j.id)
    fire = daily.trigger.get_next_fire_time(
        None, datetime.fromisoformat("2026-11-26T12:00:00-05:00")
    )
    assert fire.isoformat() == "2026-11-26T17:30:00-05:00"
    assert clock.sync() == []  # nothing changed: jobs are not rebuilt
    rig.text("/pacer", "timezone America/Chicago", MGR)
    assert clock.sync() == [team_id(rig)]  # a new process version rebuilds them
    # The clock was down all day. At 17:00 the 16:00 leaderboard is within its 90-minute grace:
    # posted late, once; the 12:00 one is past it: skipped, with a log line.
    rig.now = datetime.fromisoformat("2026-11-26T17:00:00-06:00")
    done = {(o.kind, o.period_key): outcome for _, o, outcome in clock.tick()}
    assert done[("leaderboard", "2026-11-26T16:00")].startswith("posted")
    assert done[("leaderboard", "2026-11-26T12:00")] == "skipped"
    assert ("daily", "2026-11-26") not in done  # not due until 17:30
    rig.now = datetime.fromisoformat("2026-11-26T18:00:00-06:00")
    done = {(o.kind, o.period_key): outcome for _, o, outcome in clock.tick()}
    # The nudge sweep of 18:00 runs (the 17:30 one is not owed), and nudges nobody: it is 19:00
    # for the reps, in New York (bot/delivery/nudges.py: quiet hours).
    assert done.pop(("nudge", "2026-11-27T00:00Z")) == "posted: 0 private messages"
    assert done == {("daily", "2026-11-26"): done[("daily", "2026-11-26")]}
    assert done[("daily", "2026-11-26")].startswith("posted")
    assert clock.tick() == []  # everything owed is settled


def nudges_sent(slack) -> list[str]:
    return [
        c.params["channel"]
        for c in slack.calls_to("chat.postMessage")
        if "Nothing logged today" in c.params.get("text", "")
    ]


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


def test_a_300_rep_team_with_long_names_stays_within_every_block_kit_limit(tmp_path):
    from bot.delivery import digests as digest_messages
    from bot.delivery.posting import Part
    from rituals.digests import daily_digest, leaderboard, monthly_digest, weekly_digest
    from rituals.pacing import period_containing
    from rituals.process import default_process
    from storage.db import make_engine
    from storage.db import session as open_session
    from storage.migrate import upgrade
    from storage.models import ActivityLog, Member
    from tests.bot.support import assert_within_slack_limits

    engine = make_engine(f"sqlite:///{tmp_path / 'big.db'}")
    upgrade(engine)
    now = THURSDAY_1745
    process = default_process()
    with open_session(engine) as session:
        ws = people_queries.workspace_for(session, "T0BIG", None, now)
        team = people_queries.default_team(session, ws.id, now)
        members = []
        for i in range(300):
            member = Member(
                workspace_id=ws.id,
                team_id=team.id,
                user_id=f"U{i:08d}",
                role="sdr" if i % 2 else "ae",
                added_by="x",
                added_at=now,
            )
            members.append(people_queries.save_member(session, member))
            kpi = "calls" if i % 2 else "meetings_held"
            session.add(
                ActivityLog(
                    workspace_id=ws.id,
                    team_id=team.id,
                    rep_id=member.user_id,
                    entered_by=member.user_id,
                    kpi=kpi,
                    count=1 + i % 97,
                    occurred_on=now.date(),
                    created_at=now,
                    source="import",
                    batch_id=f"b{i}",
                )
            )
        session.commit()
        names = {
            m.user_id: ("Ñame <&> " * 10)[:80] for m in members
        }  # 80 characters, escaping grows them
        day = period_containing("day", now.date())
        all_parts: list[Part] = []
        all_parts += digest_messages.daily_parts(
            daily_digest(session, ws.id, team.id, process, members, now), process, names, "T" * 80
        )
        all_parts += digest_messages.weekly_parts(
            weekly_digest(session, ws.id, team.id, process, members, now), process, names, "T" * 80
        )
        all_parts += digest_messages.monthly_parts(
            monthly_digest(session, ws.id, team.id, process, members, now), process, names, "T" * 80
        )
        board = leaderboard(session, ws.id, process, members, "calls", day, now)
        all_parts += digest_messages.leaderboard_parts(board, names, "T" * 80)
        private = digest_messages.leaderboard_message(board, names, viewer="U00000299")
    assert_within_slack_limits(private)
    messages_posted = [p for p in all_parts if p.chart is None]
    assert len(messages_posted) > 8  # the full rankings went to threads, over several messages
    for part in messages_posted:
        assert_within_slack_limits({"text": part.text, "blocks": part.blocks})
    channel_posts = [all_parts[0]]
    assert len(channel_posts[0].blocks) <= 10  # the channel post stays short
    everyone = "\n".join(
        b["text"]["text"] for p in messages_posted for b in p.blocks if b.get("text")
    )  # the digest's buttons have none
    assert "&lt;&amp;&gt;" in everyone and "<&>" not in everyone


def test_a_run_that_dies_midway_resumes_without_posting_twice(rig):
    rig.slack.fail_next("files.getUploadURLExternal", status=500)  # the chart upload fails once
    first = run(rig, "daily")
    assert first.status == "failed" and "internal_error" in first.detail
    assert len(rig.slack.history[CHANNEL]) == 1  # the channel message went out before the failure
    rig.slack.calls.clear()
    second = run(
        rig, "daily", now=datetime.fromisoformat("2026-11-26T17:50:00-05:00")
    )  # after its rest
    assert second.status == "posted", second
    assert [
        c.params.get("thread_ts") is not None for c in rig.slack.calls_to("chat.postMessage")
    ] == [True]
    assert rig.slack.calls_to("files.completeUploadExternal")


def test_pacer_rituals_run_and_status_from_the_command_line(rig, tmp_path):
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "PACER_", "DATABASE_URL"))
    }
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-rig",
        "SLACK_API_URL": rig.slack.url,
        "DATABASE_URL": str(rig.engine.url),
        "PACER_CLOCK": "2026-11-26T18:00:00-05:00",
    }

    def pacer(*args):
        return subprocess.run(
            [sys.executable, "-m", "cli.main", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )

    done = pacer("rituals", "run", "daily", "--at", "2026-11-26T17:30:00-05:00")
    assert done.returncode == 0, done.stderr
    assert "Sales: daily 2026-11-26: posted" in done.stdout
    again = pacer("rituals", "run", "daily", "--team", "Sales", "--at", "2026-11-26T17:45:00-05:00")
    assert "settled" in again.stdout
    assert len([c for c in channel_posts(rig.slack) if "thread_ts" not in c.params]) == 1
    assert (
        "isn't a ritual" in pacer("rituals", "run", "hourly").stderr
        or pacer("rituals", "run", "hourly").returncode == 2
    )
    status = pacer("rituals", "status")
    assert status.returncode == 0, status.stderr
    assert "daily 17:30" in status.stdout
    daily = next(line for line in status.stdout.splitlines() if line.strip().startswith("daily "))
    assert "next Fri 27 Nov 17:30" in daily and "last 2026-11-26: posted" in daily


def test_weekly_digest_numbers_for_a_known_week(rig):
    """Last week (Mon 16 – Sun 22 Nov): three SDRs, two tied; the AE with no logs. Goals: calls
    60/day = 300/week, conversations 12/day = 60, meetings 8/week, SAO 6/month → 6 × 5/21."""
    rig.slack.add_user("U0SDR0002", "Sam Okafor")
    rig.slack.add_user("U0SDR0003", "Jenna Park")
    rig.text("/pacer", "team add <@U0SDR0002> sdr", ADMIN)
    rig.text("/pacer", "team add <@U0SDR0003> sdr", ADMIN)
    rig.now = datetime.fromisoformat("2026-11-20T16:00:00-05:00")  # Friday of that week
    rig.text("/log", "calls 300 conversations 60 meetings 8", SDR)  # 100% on three of four
    rig.text("/log", "calls 150 conversations 30 meetings 4", "U0SDR0002")  # 50%
    rig.text("/log", "calls 150 conversations 30 meetings 4", "U0SDR0003")  # 50%: tied with Sam
    monday = datetime.fromisoformat("2026-11-23T09:00:00-05:00")
    assert run(rig, "weekly", monday).status == "posted"
    main = next(c for c in channel_posts(rig.slack) if "thread_ts" not in c.params)
    text = "\n".join(b["text"]["text"] for b in main.params["blocks"] if b.get("text"))
    assert "Weekly digest · Sales · Mon 16 – Sun 22 Nov 2026" in text
    assert "Calls / Emails* 600 of 900 (66%)" in text  # three SDRs × 300
    assert "Conversations* 120 of 180 (66%)" in text
    # overall = mean attainment over each rep's goals: Maria (1+1+1+0)/4 = 75%, the others 37.5%
    assert "1. Maria Lopez — 75% · 2. Sam Okafor — 37% · 2. Jenna Park — 37%" in text
    assert (
        "Sales Development Rep: Calls / Emails 300 · Conversations 60" in text
    )  # this week's goals
    thread = [c for c in channel_posts(rig.slack) if "thread_ts" in c.params]
    ranking = "\n".join(b["text"]["text"] for c in thread for b in c.params["blocks"])
    assert (
        "Alex Chen" not in ranking
    )  # joined on Tuesday, after that week, and logged nothing in it
    assert (
        rig.slack.calls_to("files.getUploadURLExternal") and rig.slack.uploads
    )  # the three-step upload


def test_a_daily_digest_run_after_midnight_reports_its_own_day(rig):
    rig.text("/pacer", "ritual daily 23:00", MGR)
    rig.now = datetime.fromisoformat("2026-11-26T15:00:00-05:00")
    rig.text("/log", "calls 42", SDR)
    due = datetime.fromisoformat("2026-11-26T23:00:00-05:00")
    late = datetime.fromisoformat("2026-11-27T00:30:00-05:00")  # the clock came back after midnight
    assert run(rig, "daily", at=due, now=late).status == "posted"
    text = next(c for c in channel_posts(rig.slack) if "thread_ts" not in c.params).params[
        "blocks"
    ][0]["text"]["text"]
    assert "Thu 26 Nov 2026" in text and "Calls / Emails* 42 of 60" in text


def test_a_goal_changed_this_morning_does_not_rewrite_last_week(rig):
    rig.now = datetime.fromisoformat("2026-11-20T16:00:00-05:00")
    rig.text("/log", "calls 300", SDR)
    rig.now = datetime.fromisoformat("2026-11-23T08:00:00-05:00")  # Monday, before the digest
    rig.text("/pacer", "goal sdr calls 100/day", MGR)
    assert (
        run(rig, "weekly", at=datetime.fromisoformat("2026-11-23T09:00:00-05:00")).status
        == "posted"
    )
    main = next(c for c in channel_posts(rig.slack) if "thread_ts" not in c.params)
    text = "\n".join(b["text"]["text"] for b in main.params["blocks"] if b.get("text"))
    assert "Calls / Emails* 300 of 300 (100%)" in text  # last week's goal was 60/day
    assert "Calls / Emails 500" in text  # this week's goals use the new one


def test_two_clocks_ticking_at_once_post_each_ritual_once(rig):
    from concurrent.futures import ThreadPoolExecutor

    clocks = [Clock(rig.services, BackgroundScheduler(timezone="UTC")) for _ in range(2)]
    rig.now = datetime.fromisoformat("2026-11-26T17:40:00-05:00")
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda clock: clock.tick(), clocks))
    mains = [c for c in channel_posts(rig.slack) if "thread_ts" not in c.params]
    texts = [c.params["text"] for c in mains]
    assert len(texts) == len(set(texts)), texts  # nothing twice
    assert any(t.startswith("Daily digest") for t in texts)


def test_many_names_come_from_one_users_list_walk(rig):
    for i in range(12):
        rig.slack.add_user(f"U0REP{i:04d}", f"Rep Number {i}")
        rig.text("/pacer", f"team add <@U0REP{i:04d}> sdr", ADMIN)
    rig.services.background.shutdown(wait=True)  # let the adds' own name fetches finish first
    with rig.services.unit_of_work() as session:  # …then forget them, as a day later would
        for profile in people_queries.profiles(
            session, 1, [f"U0REP{i:04d}" for i in range(12)]
        ).values():
            session.delete(profile)
        session.commit()
    rig.slack.calls.clear()
    assert run(rig, "daily").status == "posted"
    assert len(rig.slack.calls_to("users.list")) == 1
    assert not [c for c in rig.slack.calls_to("users.info") if c.params["user"].startswith("U0REP")]
    assert "Rep Number 3" in str(rig.slack.history[CHANNEL])


def test_the_clock_prunes_old_nudge_sweeps_hourly_but_not_on_its_first_tick(rig):
    from sqlmodel import select

    from rituals import runs
    from rituals.schedule import Occurrence
    from storage.models import RitualRun

    with rig.services.unit_of_work() as session:
        team = people_queries.teams(session)[0]
        old = runs.claim(
            session,
            workspace_id=team.workspace_id,
            team_id=team.id,
            occurrence=Occurrence("nudge", THURSDAY_1745, "2026-11-26T22:30Z"),
            now=THURSDAY_1745,
            owner="test",
        )
        runs.finish(session, old, THURSDAY_1745)

    def sweeps():
        with rig.services.unit_of_work() as session:
            keys = session.exec(select(RitualRun.period_key).where(RitualRun.kind == "nudge"))
            return [k for k in keys if k.endswith("Z") and k.startswith("2026-11-26T22")]

    clock = Clock(rig.services, BackgroundScheduler(timezone="UTC"))
    rig.now = datetime.fromisoformat("2026-12-10T10:00:00-05:00")  # two weeks on, at :00
    clock.tick()
    assert sweeps() == ["2026-11-26T22:30Z"]  # the first tick writes nothing of the kind
    clock.tick()
    assert sweeps() == []

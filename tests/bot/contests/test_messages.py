"""A contest's posts through the clock's ritual path (Clock.tick with an injected time): each kind
from start to result, with ties, and inside Slack's limits however many take part."""

import json
import re

from bot.contests.messages import duration_words
from tests.bot.contests.support import (
    CHANNEL,
    SDR2,
    SDR3,
    at,
    channel_runs,
    contest_posts,
    posts_of,
    set_settle,
    stored,
    tick,
)
from tests.bot.contests.support import rig as rig  # noqa: F401  (the fixture)
from tests.bot.support import ADMIN, MGR, SDR, assert_within_slack_limits


def test_a_race_from_start_to_result(rig):
    reply = rig.text("/contest", 'start race calls 3d "Call Blitz" prize "Lunch on me"', MGR)
    assert "Started *Call Blitz*: a race on *Calls / Emails*" in reply
    # 3 working days from Tuesday: Tue, Wed and Fri (Thursday is Thanksgiving)
    assert "Tue 24 – Fri 27 Nov 2026" in reply and "3 taking part" in reply
    assert f"announced in <#{CHANNEL}>" in reply
    start = posts_of(rig, ":start")
    assert len(start) == 1
    assert "Race* on *Calls / Emails*" in start[0] and "Ends Fri 27 Nov at 17:00" in start[0]
    assert "Prize: Lunch on me" in start[0] and "3 taking part" in start[0]
    assert "`/log calls 12`" in start[0]
    rig.text("/log", "calls 40", SDR)
    rig.text("/log", "calls 25", SDR2)
    rig.text("/log", "calls 10", SDR3)
    tick(rig, "2026-11-24T11:40:00")  # the start is settled: not posted again
    assert len(posts_of(rig, ":start")) == 1
    tick(rig, "2026-11-25T11:30:00")
    [standing] = posts_of(rig, ":2026-11-25T11:30")
    assert "*Call Blitz* standings, Wed 25 Nov at 11:30" in standing
    assert ":first_place_medal: Maria Lopez — 40" in standing
    assert ":second_place_medal: Sam Ray — 25" in standing
    assert ":third_place_medal: Kim Lee — 10" in standing
    assert "<@" not in standing  # names, not mentions: nobody is pinged by standings
    rig.text("/log", "calls 30", SDR2)
    tick(rig, "2026-11-25T14:00:00")
    [mid] = posts_of(rig, ":mid")
    assert "Half way" in mid and "Sam Ray — 55" in mid
    tick(rig, "2026-11-26T16:00:00")  # Thanksgiving: no standings, no last hour
    assert posts_of(rig, ":last-hour") == [] and posts_of(rig, ":2026-11-26T11:30") == []
    tick(rig, "2026-11-27T16:00:00")
    [last] = posts_of(rig, ":last-hour")
    assert "Last hour" in last and "ends at 17:00" in last
    tick(rig, "2026-11-27T17:00:00")
    assert posts_of(rig, ":result") == []  # its days are over; the result is being settled
    tick(rig, "2026-11-27T19:00:00")
    [result] = posts_of(rig, ":result")
    assert f"<@{SDR2}> wins *Call Blitz* with 55 Calls / Emails!" in result
    assert "Prize: Lunch on me" in result
    assert "105 Calls / Emails logged in all by 3 of 3 taking part" in result
    assert "Settled Fri 27 Nov 19:00, two hours after the last day's working hours." in result
    tick(rig, "2026-11-27T19:05:00")
    assert len(posts_of(rig, ":result")) == 1  # exactly once
    [contest] = stored(rig)
    assert contest.status == "ended" and json.loads(contest.result)["winners"] == [SDR2]
    # The result shown later, privately, is the one announced.
    shown = rig.text("/contest", "standings call blitz", SDR3)
    assert f"<@{SDR2}> wins" in shown and "You: 10 (rank 3)" in shown


def test_a_race_tie_for_first_and_a_race_nobody_logged(rig):
    rig.text("/contest", f'start race calls today "Tie Break" <@{SDR}> <@{SDR2}>', MGR)
    rig.text("/contest", f'start race conversations today "Quiet" <@{SDR3}>', MGR)
    rig.text("/log", "calls 84", SDR)
    rig.text("/log", "calls 84", SDR2)
    rig.text("/log", "calls 90", SDR3)  # not taking part in Tie Break
    tick(rig, "2026-11-24T19:00:00")
    results = posts_of(rig, ":result")
    tie = next(r for r in results if "Tie Break" in r)
    assert f"Tie for first: <@{SDR}> and <@{SDR2}> with 84 Calls / Emails each" in tie
    quiet = next(r for r in results if "Quiet" in r)
    assert "Nobody logged Conversations during *Quiet*, so there is no winner." in quiet
    assert "<@" not in quiet


def test_a_target_with_several_winners(rig):
    # "meetings" is scheduled for an SDR and held for an AE: the SDRs named settle it.
    reply = rig.text(
        "/contest",
        f'start target meetings 1w 5 "Five by Friday" prize "Lunch" <@{SDR}> <@{SDR2}> <@{SDR3}>',
        MGR,
    )
    assert "a target on *Discovery Meetings Scheduled*, target 5" in reply
    [start] = posts_of(rig, ":start")
    assert "everyone who reaches *5* for Tue 24 – Mon 30 Nov 2026 wins" in start
    rig.text("/log", "meetings 5", SDR)
    rig.text("/log", "meetings 7", SDR2)
    rig.text("/log", "meetings 3", SDR3)
    tick(rig, "2026-11-25T11:30:00")
    [standing] = posts_of(rig, ":2026-11-25T11:30")
    assert "Reached (2): Sam Ray (7), Maria Lopez (5)" in standing
    assert "Kim Lee 3 (2 to go)" in standing
    tick(rig, "2026-11-30T19:00:00")
    [result] = posts_of(rig, ":result")
    assert f"2 reached 5 Discovery Meetings Scheduled and win: <@{SDR2}> and <@{SDR}>" in result
    assert "Prize: Lunch" in result


def test_team_vs_team_with_a_tie_then_averaged(rig):
    rig.text(
        "/contest",
        f'start teams calls today "East vs West" East: <@{SDR}> <@{SDR2}> vs West: <@{SDR3}>',
        MGR,
    )
    rig.text(
        "/contest",
        f'start teams calls today "Per Rep" <@{SDR}> <@{SDR2}> vs <@{SDR3}> average',
        MGR,
    )
    [start_sum, start_avg] = posts_of(rig, ":start")
    assert "*East* (2) vs *West* (1)" in start_sum and "in total" in start_sum
    assert "*Team 1* (2) vs *Team 2* (1)" in start_avg and "per rep" in start_avg
    rig.text("/log", "calls 6", SDR)
    rig.text("/log", "calls 4", SDR2)
    rig.text("/log", "calls 10", SDR3)
    tick(rig, "2026-11-24T19:00:00")
    results = posts_of(rig, ":result")
    summed = next(r for r in results if "East vs West" in r)
    assert "Tie for first: *East* and *West* with 10 each" in summed
    averaged = next(r for r in results if "Per Rep" in r)
    assert "*Team 2* wins *Per Rep* with 10 Calls / Emails per rep!" in averaged
    assert f"Well played <@{SDR3}>" in averaged
    assert "*Team 1* — 5 per rep (10 from 2)" in averaged


def test_three_hundred_entrants_stay_inside_slack_limits(rig):
    for i in range(300):
        rig.slack.add_user(f"U{i:08d}", f"Rep number {i} with a rather long display name")
        rig.run("/pacer", f"team add <@U{i:08d}> sdr", ADMIN)
    rig.text("/contest", 'start target calls today 3 "Everyone"', MGR)
    rig.text("/contest", 'start race calls today "Big Race"', MGR)
    for i in range(300):
        rig.run("/log", f"calls {i % 7 + 1}", f"U{i:08d}")
    board = rig.run("/contest", "standings Everyone", SDR)
    assert_within_slack_limits(board)
    tick(rig, "2026-11-24T15:30:00")
    tick(rig, "2026-11-24T19:00:00")
    posts = contest_posts(rig)
    assert len(posts) >= 6  # starts, standings, results and the results' threads
    for post in posts:
        assert_within_slack_limits(post["params"])
    results = [p["text"] for p in posts if p["run"].endswith(":result")]
    assert any("reached 3 Calls / Emails and win" in text for text in results)
    threads: dict[str, list[str]] = {}
    for post in posts:
        if post["params"].get("thread_ts"):
            threads.setdefault(post["run"], []).extend(post["text"].splitlines())
    assert len(threads) == 2  # each result's full ranking, in its thread: nobody left out
    for lines in threads.values():
        ranked = [line for line in lines if re.match(r"^\d+\. Rep number \d+ ", line)]
        assert len(ranked) == 300


def test_a_target_with_hundreds_of_winners_names_or_counts_every_one(rig):
    ids = [f"U0LONGID{i:05d}" for i in range(260)]
    for user in ids:
        rig.slack.add_user(user, f"Rep {user}")
        rig.run("/pacer", f"team add <@{user}> sdr", ADMIN)
    rig.text("/contest", 'start target calls today 3 "Everyone"', MGR)
    for user in ids:
        rig.run("/log", "calls 5", user)
    tick(rig, "2026-11-24T19:00:00")
    (post,) = [
        p
        for p in contest_posts(rig)
        if p["run"].endswith(":result") and not p["params"].get("thread_ts")
    ]
    full = "\n".join((b.get("text") or {}).get("text", "") for b in post["params"]["blocks"])
    shown = full.count("<@U0LONGID")
    more = re.search(r"and (\d+) more", full)
    assert more and shown + int(more.group(1)) == 260, (shown, full[-300:])
    assert "…" not in full  # nothing cut off mid-mention


# -- settling: the last day's late logs count until the result settles ------------------------


def test_a_log_typed_at_1710_wins_the_contest_and_one_at_1910_is_since_the_result(rig):
    # 3 working days from Tuesday: Tue, Wed and Fri (Thanksgiving, Thu 26, is off)
    reply = rig.text("/contest", 'start race calls 3d "Call Blitz"', MGR)
    assert "ending Fri 27 Nov at 17:00 (result settled at 19:00)" in reply
    [start] = posts_of(rig, ":start")
    assert "Ends Fri 27 Nov at 17:00 (America/New_York); the result is settled at 19:00" in start
    rig.text("/log", "calls 40", SDR)
    rig.text("/log", "calls 25", SDR2)
    tick(rig, "2026-11-27T16:00:00")
    [last] = posts_of(rig, ":last-hour")
    assert "it ends at 17:00" in last and "The day's logs typed by 19:00 still count." in last
    tick(rig, "2026-11-27T17:00:00")
    assert posts_of(rig, ":result") == []
    rig.now = at("2026-11-27T17:10:00")
    rig.text("/log", "calls 30", SDR2)  # Friday's calls, typed after the working day
    rig.now = at("2026-11-27T17:40:00")
    board = rig.text("/contest", "standings", SDR2)
    assert "*Call Blitz* standings, Fri 27 Nov at 17:40." in board
    assert (
        "The contest ended Fri 27 Nov at 17:00 and its result is being settled: logs of its days "
        "typed until Fri 27 Nov at 19:00 still count, and the result is posted then." in board
    )
    assert ":first_place_medal: Sam Ray — 55 ← you" in board
    listed = rig.text("/contest", "", SDR)
    assert "ended Fri 27 Nov at 17:00, result settled Fri 27 Nov at 19:00" in listed
    assert "*Running*" in listed and "leading: Sam Ray (55)" in listed
    tick(rig, "2026-11-27T19:00:00")
    [result] = posts_of(rig, ":result")
    assert f"<@{SDR2}> wins *Call Blitz* with 55 Calls / Emails!" in result
    assert "Settled Fri 27 Nov 19:00, two hours after the last day's working hours." in result
    rig.now = at("2026-11-27T19:10:00")
    rig.text("/log", "calls 90", SDR3)  # after the result settled: recorded, not counted
    tick(rig, "2026-11-27T19:15:00")
    assert len(posts_of(rig, ":result")) == 1  # exactly once
    shown = rig.text("/contest", "standings Call Blitz", SDR3)
    assert f"<@{SDR2}> wins *Call Blitz* with 55" in shown
    assert (
        "Since the result: 1 log logged into the contest's days (+90 Calls / Emails, Kim" in shown
    )
    assert "ended Fri 27 Nov at 17:00 · won by: Sam Ray (55)" in rig.text("/contest", "", SDR)
    [contest] = stored(rig)
    assert json.loads(contest.result)["winners"] == [SDR2]


def test_with_no_settle_time_the_result_follows_the_daily_digest(rig):
    set_settle(rig, "0")
    assert "Rituals now" in rig.text("/pacer", "ritual daily 17:30", ADMIN)
    rig.text("/contest", 'start race calls today "Quick One"', MGR)
    [start] = posts_of(rig, ":start")
    assert "Ends Tue 24 Nov at 17:00 (America/New_York); the result is settled at 17:30" in start
    rig.text("/log", "calls 40", SDR)
    rig.now = at("2026-11-24T17:20:00")
    rig.text("/log", "calls 45", SDR2)  # before the digest: counts
    tick(rig, "2026-11-24T17:29:00")
    assert posts_of(rig, ":result") == []
    tick(rig, "2026-11-24T17:30:00")
    [result] = posts_of(rig, ":result")
    assert f"<@{SDR2}> wins *Quick One* with 45" in result
    assert (
        "Settled Tue 24 Nov 17:30, with the daily digest, half an hour after the last day's "
        "working hours." in result
    )
    runs = channel_runs(rig)
    digest = next(i for i, run in enumerate(runs) if ":daily:" in run)
    assert digest < next(i for i, run in enumerate(runs) if run.endswith(":result"))


def test_with_no_settle_time_and_no_digest_it_settles_as_it_ends(rig):
    set_settle(rig, "0")
    rig.text("/contest", 'start race calls today "Sharp"', MGR)
    [start] = posts_of(rig, ":start")
    assert "Ends Tue 24 Nov at 17:00 (America/New_York). Logs count" in start
    rig.text("/log", "calls 40", SDR)
    tick(rig, "2026-11-24T17:00:00")
    [result] = posts_of(rig, ":result")
    assert "Settled Tue 24 Nov 17:00, at the end of the last day's working hours." in result


def test_a_manager_ending_it_while_it_settles_posts_the_result_at_once(rig):
    rig.text("/contest", 'start race calls today "Early Call"', MGR)
    rig.text("/log", "calls 40", SDR)
    rig.now = at("2026-11-24T17:20:00")
    reply = rig.text("/contest", "end", MGR)
    settled = (
        "Settled by Morgan Boss Tue 24 Nov 17:20, 20 minutes after the last day's working hours."
    )
    assert "Ended *Early Call* now" in reply and settled in reply
    assert "Ended early" not in reply
    [result] = posts_of(rig, ":result")
    assert settled in result
    tick(rig, "2026-11-24T19:00:00")
    assert len(posts_of(rig, ":result")) == 1


def test_how_long_after_the_working_day_a_result_settled_in_words():
    said = [duration_words(m) for m in (1, 20, 30, 60, 90, 120, 135, 150, 600, 720, 1440)]
    assert said == [
        "1 minute",
        "20 minutes",
        "half an hour",
        "an hour",
        "an hour and a half",
        "two hours",
        "two hours and 15 minutes",
        "two and a half hours",
        "ten hours",
        "12 hours",
        "24 hours",
    ]

"""Running one ritual (bot/delivery/runner.py) against the local Slack stand-in: the right
channel, numbers and thread; exactly once across repeats, racing runs and restarts; faults
retried until the post lands once; no channel yet: not claimed, still owed."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from bot.delivery.posting import Part, send_privately
from bot.delivery.runner import ChannelPosts, PrivateMessages
from bot.ritual_deliveries import DELIVERIES
from rituals import runs
from simulator.slack_standin import SlackStandin
from storage import people_queries
from tests.bot.delivery.support import CHANNEL, THURSDAY_1745, channel_posts, run, team_id
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig


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


def test_each_step_is_committed_before_the_next_one_reaches_slack(rig):
    """The claim is in the database (seen from another transaction) before the posts are built,
    and each post is recorded before the next one is posted."""
    seen = []

    def stored():
        with rig.services.unit_of_work() as session:
            row = runs.get_run(session, team_id(rig), "daily", "2026-11-26")
            return (row.status, row.parts_done) if row else None

    def parts(services, session, team, process, members, occurrence):
        seen.append(("built", stored()))
        return [Part("Daily digest"), Part("The full ranking"), Part("More")]

    def counting(*args, **kwargs):
        seen.append(("posting", stored()))
        return post_message(*args, **kwargs)

    rig.services.deliveries = {**DELIVERIES, "daily": ChannelPosts(parts)}
    post_message = rig.services.ritual_client.chat_postMessage
    rig.services.ritual_client.chat_postMessage = counting
    assert run(rig, "daily").status == "posted"
    assert seen == [
        ("built", ("claimed", 0)),
        ("posting", ("claimed", 0)),
        ("posting", ("claimed", 1)),
        ("posting", ("claimed", 2)),
    ]
    assert stored() == ("posted", 3)


def test_a_private_message_is_recorded_before_it_is_sent(rig):
    """send_privately records the run's progress in a transaction of its own before each
    message: a crash may lose one message, never send two."""
    seen = []

    def progress_now():
        with rig.services.unit_of_work() as session:
            return runs.get_run(session, team_id(rig), "coaching", "2026-11-26").parts_done

    def send(services, session, run, team, process, members, occurrence, now, pacer):
        items = [(MGR, "one"), (SDR, "two")]
        return send_privately(services, session, run, pacer, items, message_for)

    def message_for(item):
        seen.append((item, progress_now()))
        return {"text": item, "blocks": []}

    rig.services.deliveries = {**DELIVERIES, "coaching": PrivateMessages(send)}
    assert str(run(rig, "coaching")) == "posted: 2 private messages"
    assert seen == [("one", 1), ("two", 2)]

"""Rituals land in a channel Pacer is not in (bot/delivery/posting.py join_once, runner.py
_not_invited), through the ritual path against the stand-in, which answers as Slack does: a
public channel takes posts (chat:write.public) but can't be read until Pacer joins it; a private
one can't be seen, joined or posted to until someone invites Pacer."""

from datetime import datetime

from rituals import runs
from storage import run_queries
from tests.bot.delivery.support import CHANNEL, run, team_id
from tests.bot.support import ADMIN, MGR

MGR2 = "U0MGR0002"
LATER = datetime.fromisoformat("2026-11-26T17:50:00-05:00")  # after a first failure's rest
MUCH_LATER = datetime.fromisoformat("2026-11-26T18:30:00-05:00")


def mains(slack) -> list[dict]:
    return [m for m in slack.history.get(CHANNEL, []) if "thread_ts" not in m]


def joins(slack) -> list[str]:
    return [c.params["channel"] for c in slack.calls_to("conversations.join")]


def invite_notes(slack) -> list[str]:
    return [
        c.params["channel"]
        for c in slack.calls_to("chat.postMessage")
        if "/invite @Pacer" in c.params.get("text", "") and c.params["channel"] != CHANNEL
    ]


def restart(rig) -> None:
    """A new process: what it remembered about channels is gone (the database stays)."""
    rig.services.channels_joined.clear()


def test_a_public_channel_pacer_is_not_in_is_joined_once_and_the_digest_lands_once(rig):
    rig.slack.add_channel(CHANNEL, "sales", member=False)
    assert str(run(rig, "daily")).startswith("posted")
    assert joins(rig.slack) == [CHANNEL]
    assert len(mains(rig.slack)) == 1 and CHANNEL not in rig.slack.outside
    # The next ritual in the same process does not join again.
    assert run(rig, "leaderboard", at=datetime.fromisoformat("2026-11-26T12:00:00-05:00")).status
    assert joins(rig.slack) == [CHANNEL]
    assert not invite_notes(rig.slack)


def test_a_timeout_after_joining_is_retried_and_the_digest_still_posts_once(rig):
    """The bug this fixes: the retry's check reads the channel's history, which Slack refuses to
    a non-member (not_in_channel); joined first, the check finds the post that timed out."""
    rig.slack.add_channel(CHANNEL, "sales", member=False)
    rig.services.ritual_client.timeout = 1
    rig.slack.fail_next("chat.postMessage", status=200, delay=2)  # posts, but answers too late
    first = run(rig, "daily")
    assert first.status == "failed" and "timed out" in first.detail.lower()
    rig.slack.wait_for("chat.postMessage")
    restart(rig)  # even in another process: it joins again (already in: harmless) and reads
    second = run(rig, "daily", now=LATER)
    assert second.status == "posted", second
    assert len(mains(rig.slack)) == 1
    assert rig.slack.calls_to("conversations.history")  # the check ran, and found it
    assert joins(rig.slack) == [CHANNEL, CHANNEL]


def test_removed_from_the_channel_since_joining_it_joins_again_to_check(rig):
    rig.slack.add_channel(CHANNEL, "sales", member=False)
    assert run(rig, "leaderboard", at=datetime.fromisoformat("2026-11-26T12:00:00-05:00"))
    rig.slack.remove_bot(CHANNEL)  # someone typed /remove @Pacer
    rig.services.ritual_client.timeout = 1
    rig.slack.fail_next("chat.postMessage", status=200, delay=2)
    assert run(rig, "daily").status == "failed"
    rig.slack.wait_for("chat.postMessage", count=2)
    assert run(rig, "daily", now=LATER).status == "posted"
    daily = [m for m in mains(rig.slack) if "Daily digest" in m.get("text", "")]
    assert len(daily) == 1
    assert joins(rig.slack) == [CHANNEL, CHANNEL]  # once at first, once after being removed


def test_a_channel_pacer_cannot_read_is_not_a_reason_to_drop_the_digest(rig):
    """An install from before channels:join: Pacer posts (chat:write.public) but can't join, so
    it can't check for an earlier post. It posts rather than drop the digest."""
    rig.slack.add_channel(CHANNEL, "sales", member=False)
    rig.slack.fail_next(
        "conversations.join", status=200, body={"ok": False, "error": "missing_scope"}
    )
    rig.slack.fail_next("files.getUploadURLExternal", status=500)  # the attempt fails midway
    first = run(rig, "daily")
    assert first.status == "failed", first
    second = run(rig, "daily", now=LATER)
    assert second.status == "posted", second
    assert len(mains(rig.slack)) == 1  # recorded in the ledger: resumed by its ts, not reposted
    assert joins(rig.slack) == [CHANNEL]  # "can't join" is remembered too


def test_a_private_channel_tells_each_manager_once_how_to_invite_pacer(rig):
    rig.text("/pacer", f"manager <@{MGR2}>", ADMIN)
    rig.slack.add_channel(CHANNEL, "sales", private=True, member=False)
    first = run(rig, "daily")
    assert first.status == "failed"
    assert "/invite @Pacer" in first.detail and "managers were told" in first.detail
    assert sorted(invite_notes(rig.slack)) == sorted([MGR, MGR2])
    note = next(c for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == MGR)
    assert f"<#{CHANNEL}>" in note.params["text"] and "private" in note.params["text"]
    assert not mains(rig.slack)
    # Another ritual, and the same one retried: still refused, nobody told twice.
    weekly = run(rig, "weekly", at=datetime.fromisoformat("2026-11-30T09:00:00-05:00"))
    assert weekly.status == "failed" and "/invite @Pacer" in weekly.detail
    assert "told" not in weekly.detail
    again = run(rig, "daily", now=LATER)
    assert again.status == "failed"
    assert sorted(invite_notes(rig.slack)) == sorted([MGR, MGR2])
    with rig.services.unit_of_work() as session:
        row = runs.get_run(session, team_id(rig), "daily", "2026-11-26")
        assert row.status == runs.FAILED and "/invite @Pacer" in row.error
        assert run_queries.get_run(session, team_id(rig), runs.INVITE_NOTE, CHANNEL)
    # Someone invites Pacer: the next try of the digest lands, once.
    rig.slack.invite(CHANNEL)
    assert run(rig, "daily", now=MUCH_LATER).status == "posted"
    assert len(mains(rig.slack)) == 1
    assert sorted(invite_notes(rig.slack)) == sorted([MGR, MGR2])


def test_a_private_channel_pacer_was_invited_to_just_posts(rig):
    rig.slack.add_channel(CHANNEL, "sales", private=True, member=True)
    assert run(rig, "daily").status == "posted"
    assert run(rig, "leaderboard", at=datetime.fromisoformat("2026-11-26T12:00:00-05:00"))
    assert joins(rig.slack) == [CHANNEL]  # tried once: a private channel can't be joined
    assert not invite_notes(rig.slack)


def test_the_last_attempt_gives_up_without_telling_the_managers_again(rig, monkeypatch):
    monkeypatch.setattr("bot.delivery.runner.ATTEMPTS", 2)
    rig.slack.add_channel(CHANNEL, "sales", private=True, member=False)
    assert run(rig, "daily").status == "failed"
    last = run(rig, "daily", now=LATER)
    assert last.status == "gave-up" and "/invite @Pacer" in last.detail
    assert invite_notes(rig.slack) == [MGR]
    with rig.services.unit_of_work() as session:
        assert runs.get_run(session, team_id(rig), "daily", "2026-11-26").status == runs.SKIPPED


def test_the_check_reads_every_message_since_the_last_recorded_post(rig):
    """A timeout, then a busy channel: more than a page of people's messages before the retry.
    The check reads from the ledger's last post before the digest was due (by its ts), page by
    page, and finds the digest instead of posting it again."""
    noon = datetime.fromisoformat("2026-11-26T12:00:00-05:00")
    assert run(rig, "leaderboard", at=noon).status == "posted"
    rig.services.ritual_client.timeout = 1
    rig.slack.fail_next("chat.postMessage", status=200, delay=2)
    assert run(rig, "daily").status == "failed"
    rig.slack.wait_for("chat.postMessage", count=2)
    chatter = rig.slack.history[CHANNEL]
    for i in range(450):
        chatter.append({"type": "message", "user": "U0SDR0001", "ts": f"1800000{i:03d}.000100"})
    assert run(rig, "daily", now=LATER).status == "posted"
    daily = [m for m in mains(rig.slack) if "Daily digest" in m.get("text", "")]
    assert len(daily) == 1
    reads = rig.slack.calls_to("conversations.history")
    leaderboard_ts = mains(rig.slack)[0]["ts"]
    assert reads[0].params["oldest"] == leaderboard_ts and reads[0].params["inclusive"] in (
        "0",
        "false",
        False,
    )
    assert len(reads) == 3  # three pages of 200

"""Posting a ritual: in order, paced, resumable, and never twice."""

from dataclasses import dataclass

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.delivery.posting import (
    MEMBER,
    NOT_JOINABLE,
    ChannelPacer,
    NotInvited,
    Part,
    Progress,
    deliver,
    find_posted,
    join_once,
)
from bot.services import make_client
from bot.settings import load_settings
from simulator.slack_standin import SlackStandin

CHANNEL = "C0SALES01"


@dataclass(frozen=True)
class FakeChart:
    png: bytes = b"\x89PNG\r\n\x1a\nfake"
    filename: str = "daily.png"
    title: str = "Attainment today"
    alt_text: str = "Bar chart of attainment for 3 reps"


class FakeTime:
    def __init__(self):
        self.now, self.slept = 100.0, []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def slack():
    with SlackStandin() as standin:
        yield standin


def client_for(slack):
    client = make_client(load_settings({"SLACK_BOT_TOKEN": "xoxb-t", "SLACK_API_URL": slack.url}))
    for handler in client.retry_handlers:  # retries without backoff sleeps
        handler.interval_calculator = FixedValueRetryIntervalCalculator(0)
    return client


PARTS = [Part("Daily digest"), Part("", chart=FakeChart()), Part("The full ranking")]


def test_posts_the_message_then_its_thread_recording_each_step(slack):
    recorded = []
    fake = FakeTime()
    done = deliver(
        client_for(slack),
        ChannelPacer(1.1, fake.clock, fake.sleep),
        CHANNEL,
        PARTS,
        "daily:T:2026-11-26",
        Progress(),
        recorded.append,
    )
    main = slack.calls_to("chat.postMessage")[0]
    assert main.params["metadata"]["event_payload"] == {"run": "daily:T:2026-11-26", "part": 0}
    assert "thread_ts" not in main.params
    upload = slack.calls_to("files.completeUploadExternal")[0]
    assert upload.params["thread_ts"] == done.message_ts and upload.params["channel_id"] == CHANNEL
    assert list(slack.uploads.values()) == [FakeChart.png]
    reply = slack.calls_to("chat.postMessage")[1]
    assert (
        reply.params["thread_ts"] == done.message_ts and reply.params["text"] == "The full ranking"
    )
    assert [p.parts_done for p in recorded] == [1, 2, 3]
    assert fake.slept == [1.1, 1.1]  # three posts to one channel: paced to about one a second


def test_a_resumed_run_posts_only_what_is_left(slack):
    first = deliver(
        client_for(slack), ChannelPacer(0), CHANNEL, PARTS[:1], "k", Progress(), lambda p: None
    )
    slack.reset()
    deliver(client_for(slack), ChannelPacer(0), CHANNEL, PARTS, "k", first, lambda p: None)
    assert len(slack.calls_to("chat.postMessage")) == 1  # only the thread reply
    assert slack.calls_to("chat.postMessage")[0].params["thread_ts"] == first.message_ts


def test_a_run_that_died_before_recording_finds_its_message(slack):
    client = client_for(slack)
    posted = client.chat_postMessage(
        channel=CHANNEL,
        text="Daily digest",
        metadata={"event_type": "pacer_ritual", "event_payload": {"run": "k2"}},
    )
    assert find_posted(client, CHANNEL, "k2") == posted["ts"]
    assert find_posted(client, CHANNEL, "another") is None
    recorded = []
    done = deliver(
        client,
        ChannelPacer(0),
        CHANNEL,
        PARTS,
        "k2",
        Progress(),
        recorded.append,
        may_have_posted=True,
    )
    mains = [c for c in slack.calls_to("chat.postMessage") if "thread_ts" not in c.params]
    assert len(mains) == 1  # the one posted before the "crash": not posted again
    assert done.message_ts == posted["ts"] and recorded[-1].parts_done == 3


@pytest.mark.parametrize("status", [429, 500])
def test_rate_limits_and_server_errors_are_retried_and_post_once(slack, status):
    slack.fail_next("chat.postMessage", status=status, retry_after=0)
    deliver(
        client_for(slack), ChannelPacer(0), CHANNEL, PARTS[:1], "k3", Progress(), lambda p: None
    )
    attempts = slack.calls_to("chat.postMessage")
    assert [c.failed_status for c in attempts] == [status, None]
    assert len(slack.history[CHANNEL]) == 1


@pytest.mark.parametrize("slow", ["chat.postMessage", "files.completeUploadExternal"])
def test_a_thread_part_that_landed_unrecorded_is_not_posted_again(slack, slow):
    """The chart (or a reply) reached Slack but its answer did not come back in time: the retry
    finds it in the thread instead of posting it twice."""
    client = client_for(slack)
    recorded: list[Progress] = []
    first = deliver(client, ChannelPacer(0), CHANNEL, PARTS[:1], "k4", Progress(), recorded.append)
    parts = [PARTS[0], Part("", chart=FakeChart()), Part("The full ranking")]
    # The second attempt dies after posting part 1 or 2 without recording it:
    if slow == "files.completeUploadExternal":
        deliver(client, ChannelPacer(0), CHANNEL, parts[:2], "k4", first, lambda p: None)
    else:
        client.chat_postMessage(
            channel=CHANNEL,
            thread_ts=first.message_ts,
            text="The full ranking",
            metadata={"event_type": "pacer_ritual", "event_payload": {"run": "k4", "part": 2}},
        )
        deliver(client, ChannelPacer(0), CHANNEL, parts[:2], "k4", first, lambda p: None)
    before_uploads = len(slack.calls_to("files.completeUploadExternal"))
    before_replies = len(
        [c for c in slack.calls_to("chat.postMessage") if c.params.get("thread_ts")]
    )
    done = deliver(
        client, ChannelPacer(0), CHANNEL, parts, "k4", first, recorded.append, may_have_posted=True
    )
    assert done.parts_done == 3
    assert len(slack.calls_to("files.completeUploadExternal")) == before_uploads == 1
    replies = [c for c in slack.calls_to("chat.postMessage") if c.params.get("thread_ts")]
    assert len(replies) == 1  # "The full ranking" once, whoever posted it
    assert len(replies) - before_replies in (0, 1)


def test_join_once_remembers_what_it_learned(slack):
    client, joined = client_for(slack), {}
    slack.add_channel(CHANNEL, "sales", member=False)
    slack.add_channel("G0DEALS1", "deals", private=True, member=False)
    assert join_once(client, CHANNEL, joined) == MEMBER
    assert join_once(client, "G0DEALS1", joined) == NOT_JOINABLE
    assert join_once(client, CHANNEL, joined) == MEMBER
    assert join_once(client, "G0DEALS1", joined) == NOT_JOINABLE
    assert [c.params["channel"] for c in slack.calls_to("conversations.join")] == [
        CHANNEL,
        "G0DEALS1",
    ]
    slack.add_channel("C0ARCHIV1", "old", member=False)
    slack.fail_next("conversations.join", status=200, body={"ok": False, "error": "is_archived"})
    with pytest.raises(SlackApiError):  # not a membership answer: the attempt fails
        join_once(client, "C0ARCHIV1", joined)
    assert "C0ARCHIV1" not in joined


def test_a_private_channel_it_is_not_in_raises_not_invited_and_posts_nothing(slack):
    slack.add_channel("G0DEALS1", "deals", private=True, member=False)
    recorded = []
    with pytest.raises(NotInvited) as raised:
        deliver(
            client_for(slack),
            ChannelPacer(0),
            "G0DEALS1",
            PARTS,
            "k5",
            Progress(),
            recorded.append,
            may_have_posted=True,
            joined={},
        )
    assert raised.value.channel == "G0DEALS1" and raised.value.error == "channel_not_found"
    assert recorded == [] and not slack.history

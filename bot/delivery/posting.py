"""Posting a ritual to Slack exactly once: the channel message, then its thread (charts and the
long detail), each step recorded as it lands so a resumed run continues where it stopped.

Slack has no idempotency key for chat.postMessage, so the channel message carries the run in
its metadata; a run resumed after its clock died between posting and recording looks for that
message in the channel's history before posting again.

Reading a channel needs membership (chat:write.public only lets Pacer post), so Pacer joins a
public channel before its first post there (once per channel and process: ``joined``); a
private one it can only be invited to (:class:`NotInvited`). A channel it cannot read is never a
reason to drop a post: the check is skipped (and logged), and the post made."""

import logging
import threading
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from rituals import runs

log = logging.getLogger("pacer.rituals")

METADATA_EVENT = "pacer_ritual"
# Slack's answers to a bot outside a channel: a public one it may post to but not read
# (not_in_channel); a private one it cannot see at all (channel_not_found).
NOT_A_MEMBER = {"not_in_channel", "channel_not_found"}
# conversations.join's answers for a channel Pacer cannot join by itself: a private channel (or
# one that is gone); missing_scope: an install made before the manifest asked for channels:join.
CANNOT_JOIN = {"method_not_supported_for_channel_type", "channel_not_found", "missing_scope"}
MEMBER, NOT_JOINABLE = "member", "not-joinable"


class NotInvited(Exception):
    """Pacer cannot post in the channel and cannot join it: a private channel nobody invited it
    to (or one that is gone). Someone in it must type ``/invite @Pacer``."""

    def __init__(self, channel: str, error: str):
        super().__init__(f"Pacer isn't a member of {channel} and can't join it ({error})")
        self.channel, self.error = channel, error


def join_once(client: WebClient, channel: str, joined: MutableMapping[str, str]) -> str:
    """Join the channel (conversations.join) unless this process did already, or learned that it
    can't: MEMBER or NOT_JOINABLE, remembered in ``joined``. Anything else Slack answers (a 5xx,
    ``is_archived``) raises: the run's attempt fails and is retried or given up."""
    state = joined.get(channel)
    if state is None:
        try:
            client.conversations_join(channel=channel)
            state = MEMBER
        except SlackApiError as error:
            if error.response.get("error") not in CANNOT_JOIN:
                raise
            state = NOT_JOINABLE
        joined[channel] = state
    return state


class ChannelPacer:
    """At most one post per channel per interval (Slack allows about one a second), shared by
    every run in the process. Time and sleep are injected so tests never sleep."""

    def __init__(
        self, interval: float = 1.1, clock: Callable[[], float] = time.monotonic, sleep=time.sleep
    ):
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> None:
        with self._lock:
            now = self.clock()
            at = max(now, self._next.get(channel, now))
            self._next[channel] = at + self.interval
        if at > now:
            self.sleep(at - now)


@dataclass(frozen=True)
class Part:
    """One post of a ritual: the channel message (the first part), a thread reply, or a chart
    uploaded into the thread."""

    text: str
    blocks: list[dict] | None = None
    chart: object | None = None  # rituals.charts.Chart: png, filename, title, alt_text


@dataclass
class Progress:
    """Where a run stands: how many parts are posted, and the channel message's ts."""

    parts_done: int = 0
    message_ts: str | None = None


def deliver(
    client: WebClient,
    pacer: ChannelPacer,
    channel: str,
    parts: list[Part],
    run_key: str,
    progress: Progress,
    record: Callable[[Progress], None],
    may_have_posted: bool = False,
    joined: MutableMapping[str, str] | None = None,
    posted_after: str | None = None,
) -> Progress:
    """Post the parts not yet posted, recording after each one. ``may_have_posted``: an earlier
    attempt may have posted a part and died (or timed out) before recording it; find what is
    already in the channel or the thread instead of posting it twice. ``joined``: the process's
    memory of the channels it joined (see :func:`join_once`); None posts without joining.
    ``posted_after``: a ts older than any post of this run (see :func:`find_posted`).
    Raises :class:`NotInvited` when the channel refuses Pacer and it cannot join."""
    if joined is not None and progress.parts_done < len(parts):
        join_once(client, channel, joined)
    present: set[int] = set()
    if may_have_posted:
        if progress.parts_done == 0:
            found = _reading(
                client,
                channel,
                joined,
                lambda: find_posted(client, channel, run_key, posted_after),
                None,
            )
            if found:
                progress = Progress(1, found)
                record(progress)
        if progress.message_ts:
            ts = progress.message_ts
            present = _reading(
                client,
                channel,
                joined,
                lambda: thread_parts(client, channel, ts, run_key, parts),
                set(),
            )
    for index in range(progress.parts_done, len(parts)):
        part, ts = parts[index], None
        if index not in present:
            pacer.wait(channel)
            try:
                ts = _post(client, channel, part, index, run_key, progress.message_ts)
            except SlackApiError as error:
                code = error.response.get("error")
                if code not in NOT_A_MEMBER:
                    raise
                if joined is not None:
                    joined.pop(channel, None)  # removed since it joined? the next try joins again
                raise NotInvited(channel, code) from error
        progress = Progress(index + 1, ts if index == 0 else progress.message_ts)
        record(progress)
    return progress


def _reading(client, channel: str, joined, read, unreadable):
    """``read()`` the channel; when Slack says Pacer is not in it, join again if it may (it was
    removed since it joined) and read once more; still unreadable: ``unreadable``, logged. The
    check for an earlier post is skipped, never the post."""
    for again in (True, False):
        try:
            return read()
        except SlackApiError as error:
            code = error.response.get("error")
            if code not in NOT_A_MEMBER:
                raise
            rejoined = (
                again
                and joined is not None
                and joined.pop(channel, None) == MEMBER
                and join_once(client, channel, joined) == MEMBER
            )
            if rejoined:
                continue
            log.warning(
                "cannot read %s to look for an earlier post (%s): posting without that check",
                channel,
                code,
            )
            return unreadable
    return unreadable


def _post(
    client: WebClient, channel: str, part: Part, index: int, run_key: str, thread_ts: str | None
) -> str | None:
    metadata = {"event_type": METADATA_EVENT, "event_payload": {"run": run_key, "part": index}}
    if index == 0:
        response = client.chat_postMessage(
            channel=channel,
            text=part.text,
            blocks=part.blocks,
            unfurl_links=False,
            metadata=metadata,
        )
        return response["ts"]
    if part.chart is not None:
        chart = part.chart
        client.files_upload_v2(
            channel=channel,
            thread_ts=thread_ts,
            file=chart.png,
            filename=chart.filename,
            title=chart.title,
            alt_txt=chart.alt_text[:1000],
        )
        return None
    client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, text=part.text, blocks=part.blocks, metadata=metadata
    )
    return None


def find_posted(
    client: WebClient, channel: str, run_key: str, after: str | None = None
) -> str | None:
    """The ts of this run's channel message if an earlier attempt posted it. ``after``: the ts of
    a post known to be older than it (the ledger's newest post in this channel before the run
    was due): every message since then is read, page by page, however busy the channel; without
    it, the last 200 messages."""
    cursor = None
    while True:
        bounds = {"oldest": after, "inclusive": False} if after else {}
        response = client.conversations_history(
            channel=channel, limit=200, include_all_metadata=True, cursor=cursor, **bounds
        )
        for message in response.get("messages", []):
            if _run_of(message) == run_key:
                return message["ts"]
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not after or not response.get("has_more") or not cursor:
            return None


def thread_parts(
    client: WebClient, channel: str, ts: str, run_key: str, parts: list[Part]
) -> set[int]:
    """Which of the run's thread parts are already in the thread: replies carry the run and part
    in their metadata; a chart is known by its file name."""
    response = client.conversations_replies(
        channel=channel, ts=ts, limit=200, include_all_metadata=True
    )
    present: set[int] = set()
    files = set()
    for message in response.get("messages", []):
        if _run_of(message) == run_key:
            present.add((message.get("metadata") or {}).get("event_payload", {}).get("part"))
        files.update(f.get("name") for f in message.get("files") or [])
    present |= {
        i for i, part in enumerate(parts) if part.chart is not None and part.chart.filename in files
    }
    return present


def _run_of(message: dict) -> str | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != METADATA_EVENT:
        return None
    return (metadata.get("event_payload") or {}).get("run")


def send_privately(services, session, run, pacer: ChannelPacer, items: list, message_for) -> int:
    """One private message per ``(user_id, item)`` of a private ritual (lag suggestions,
    coaching reminders), resuming after the run's ``parts_done``: progress is recorded on the run
    before each message, in a unit of work of its own, so a crash may lose one message, never
    send two. ``message_for(item)`` builds the message (reading through the caller's
    ``session``), or None to send nothing for that item. Returns the messages sent.

    Whatever the caller stored for these messages must be committed before: the progress is
    written by another transaction (on SQLite, one the caller's pending writes would block)."""
    clients = services.sending_clients(session, run.workspace_id)  # the run's workspace's token
    sent = 0
    for index in range(run.parts_done or 0, len(items)):
        user_id, item = items[index]
        with services.unit_of_work() as step:
            runs.progress(step, run, parts_done=index + 1, now=services.clock())
        message = message_for(item)
        if message is None:
            continue
        pacer.wait(user_id)
        clients.ritual_client.chat_postMessage(
            channel=user_id, text=message["text"], blocks=message["blocks"]
        )
        sent += 1
    return sent

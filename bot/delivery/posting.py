"""Posting a ritual to Slack exactly once: the channel message, then its thread (charts and the
long detail), each step recorded as it lands so a resumed run continues where it stopped.

Slack has no idempotency key for chat.postMessage, so the channel message carries the run in
its metadata; a run resumed after its clock died between posting and recording looks for that
message in the channel's history before posting again."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient

from rituals import runs

METADATA_EVENT = "pacer_ritual"


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
) -> Progress:
    """Post the parts not yet posted, recording after each one. ``may_have_posted``: an earlier
    attempt may have posted a part and died (or timed out) before recording it; find what is
    already in the channel or the thread instead of posting it twice."""
    present: set[int] = set()
    if may_have_posted:
        if progress.parts_done == 0:
            found = find_posted(client, channel, run_key)
            if found:
                progress = Progress(1, found)
                record(progress)
        if progress.message_ts:
            present = thread_parts(client, channel, progress.message_ts, run_key, parts)
    for index in range(progress.parts_done, len(parts)):
        part, ts = parts[index], None
        if index not in present:
            pacer.wait(channel)
            ts = _post(client, channel, part, index, run_key, progress.message_ts)
        progress = Progress(index + 1, ts if index == 0 else progress.message_ts)
        record(progress)
    return progress


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


def find_posted(client: WebClient, channel: str, run_key: str) -> str | None:
    """The ts of this run's channel message if an earlier attempt posted it (last 200 messages)."""
    response = client.conversations_history(channel=channel, limit=200, include_all_metadata=True)
    for message in response.get("messages", []):
        if _run_of(message) == run_key:
            return message["ts"]
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
    sent = 0
    for index in range(run.parts_done or 0, len(items)):
        user_id, item = items[index]
        with services.unit_of_work() as step:
            runs.progress(step, run, parts_done=index + 1, now=services.clock())
        message = message_for(item)
        if message is None:
            continue
        pacer.wait(user_id)
        services.ritual_client.chat_postMessage(
            channel=user_id, text=message["text"], blocks=message["blocks"]
        )
        sent += 1
    return sent

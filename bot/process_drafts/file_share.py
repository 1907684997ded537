"""A process file (YAML) shared with Pacer in a direct message fills the team's draft.

The event (``message`` with subtype ``file_share`` in an IM) is acknowledged at once; the file
is fetched after the acknowledgement, with the bot token, from Slack's file host only, and
checked by the loader. A file with problems changes nothing and is answered with every problem
by line; a good one becomes the draft's content (the draft is opened if there is none), as one
edit keyed on the file and message, so a redelivered event fills it once. Only the team's
managers and admins may fill it."""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.request
from collections import OrderedDict
from urllib.parse import urlsplit

from slack_bolt import App

from bot import messages
from bot.services import Services
from rituals import dates
from rituals.process import ProcessError, load_process_text
from rituals.process_drafts.drafts import fill_draft
from rituals.process_drafts.lines import by_line
from rituals.teams import resolve_actor
from storage import draft_queries

log = logging.getLogger("pacer.requests")
MAX_BYTES = 256 * 1024
SLACK_FILE_HOSTS = ("files.slack.com",)
YAML_ENDINGS = (".yml", ".yaml")
_seen: OrderedDict[str, None] = OrderedDict()  # event ids handled by this process (retries)
_seen_lock = threading.Lock()


def is_dm_file(event: dict) -> bool:
    return (
        event.get("subtype") == "file_share"
        and event.get("channel_type") == "im"
        and not event.get("bot_id")
        and not event.get("thread_ts")
        and bool(event.get("files"))
    )


def register(app: App, services: Services) -> None:
    def on_file(event: dict, body: dict, context) -> None:
        event_id = body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}"
        with _seen_lock:
            if event_id in _seen:
                return
            _seen[event_id] = None
            while len(_seen) > 1000:
                _seen.popitem(last=False)
        services.after_ack(
            lambda: fill_from_file(
                services, event, context.get("team_id") or "", context.get("enterprise_id")
            )
        )

    # Before any other message listener (bot/app.py registers this feature first): Bolt runs
    # the first listener whose matchers pass.
    app.event("message", matchers=[lambda event: is_dm_file(event)])(on_file)


def _allowed_url(url: str, services: Services) -> bool:
    host = urlsplit(url).hostname or ""
    api_host = urlsplit(services.settings.api_url or "").hostname or ""
    return host in SLACK_FILE_HOSTS or (bool(api_host) and host == api_host)


def download(url: str, token: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - checked host
        data = response.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError("too big")
    return data


def fill_from_file(services: Services, event: dict, team_id: str, enterprise_id: str | None) -> str:
    """Fill the draft from the first YAML file of the message; returns what happened. Read and
    answered with the bot token of the workspace the file was shared in."""
    clients = services.clients_for(team_id, enterprise_id)
    if clients is None:
        return "not-installed"
    client = clients.client
    user = event.get("user") or ""
    channel = event.get("channel") or user
    file = next(
        (
            f
            for f in event.get("files") or []
            if str(f.get("name", "")).lower().endswith(YAML_ENDINGS)
        ),
        None,
    )

    def say(text: str) -> None:
        client.chat_postMessage(
            channel=channel, text=messages.plain(text)[:3000], blocks=messages.section(text)[:45]
        )

    if file is None:
        say(
            "Pacer reads process files in YAML (a name ending in .yml or .yaml) and activity in "
            "CSV (.csv). For the process, start from `pacer process show --yaml`, or edit the "
            "draft in Slack: `/pacer process draft`."
        )
        return "not-yaml"
    name = messages.escape(str(file.get("name"))[:80])
    url = file.get("url_private_download") or file.get("url_private") or ""
    if int(file.get("size") or 0) > MAX_BYTES or not _allowed_url(url, services):
        say(f"{name} was not used: Pacer reads process files of up to 256 KB shared in Slack.")
        return "refused-file"
    try:
        raw = download(url, client.token)
    except (urllib.error.URLError, OSError, ValueError) as error:
        log.warning("process file download failed: %s", error)
        say(f"{name} was not used: Pacer couldn't fetch it from Slack. Share it again in a moment.")
        return "download-failed"
    now = services.clock()
    with services.unit_of_work() as session:
        actor = resolve_actor(
            session, team_id, enterprise_id, user, services.settings.admins, now, resume=True
        )
        if not actor.is_manager:
            say(
                f"{name} was not used: only the team's managers and admins draft its process. "
                "Ask one of them to share it."
            )
            return "not-allowed"
        try:
            process = load_process_text(raw, source=str(file.get("name")))
        except ProcessError as error:
            text = raw.decode("utf-8", "replace")
            problems = by_line(text, error.problems)
            shown = "\n".join(f"• {messages.escape(p)}" for p in problems[:25])
            more = f"\n…and {len(problems) - 25} more" if len(problems) > 25 else ""
            say(f"*{name} was not used*, because:\n{shown}{more}\nFix the file and share it again.")
            return "invalid"
        waiting = draft_queries.scheduled_draft(session, actor.team_id)
        if waiting is not None:
            say(
                f"{name} was not used: the draft is scheduled to be published on "
                f"{dates.long(waiting.publish_on)} and is locked until then. "
                "`/pacer process discard` cancels the scheduled publish."
            )
            return "scheduled"
        filled = fill_draft(
            session,
            actor.team,
            process,
            raw.decode("utf-8"),
            name=str(file.get("name"))[:80],
            by=user,
            key=f"file:{file.get('id')}:{event.get('ts')}",
            now=now,
            today=actor.today(),
        )
    if not filled.stored:
        return "duplicate"
    opened = (
        "opened the team's draft with it" if filled.created else "the draft now says what it says"
    )
    lines = "\n".join(f"• {messages.escape(c)}" for c in filled.changes[:30]) or "• nothing changed"
    advice = "\n".join(f"• {messages.escape(w)}" for w in filled.process.warnings[:6])
    say(
        f"*{name}*: {opened}.\n*Changes to the draft:*\n{lines}"
        + (f"\n*The method says:*\n{advice}" if advice else "")
        + "\n`/pacer process draft show` shows it; nobody else sees it until it is published."
    )
    return "filled"

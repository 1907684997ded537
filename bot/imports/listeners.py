"""A CSV shared with Pacer in a direct message: a manager (or an admin) gets the dry-run summary
of importing it (rituals/connectors/csv_import.py: what would be created, updated, held, and
each problem by line and column) and, when it would change something and has no problem, an
**Apply** button that imports it for real.

The event is acknowledged at once; reading the file (files.info, then its private download
with the bot token) and the dry run happen after. The button carries the file's id and a hash
of what was summarised: a file edited since is summarised again, never applied unseen. Pressing
Apply twice imports once (the upsert finds everything unchanged the second time, and says so).
Anyone else who shares a CSV is told who can import it; files that aren't CSV are not Pacer's
business (coaching replies in a thread go to bot/coaching as before)."""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.request

from slack_bolt import App

from bot import messages
from bot.buttons import STALE
from bot.context import Interaction
from bot.ids import Action
from bot.listeners import register_action
from bot.replies import Problem
from bot.services import Services, WorkspaceClients
from rituals.connectors.csv_files import MAX_BYTES
from rituals.connectors.csv_import import ImportReport, run_import
from rituals.teams import resolve_actor

log = logging.getLogger("pacer.requests")
HASH_CHARS = 16


def register(app: App, services: Services) -> None:
    app.event("message", matchers=[csv_in_dm])(
        lambda event, context: services.after_ack(
            lambda: summarize(services, event, context.team_id, context.enterprise_id)
        )
    )
    register_action(app, services, Action.APPLY_CSV, apply_pressed)


def _csv(event: dict) -> dict | None:
    for item in event.get("files") or []:
        name = str(item.get("name") or "")
        if item.get("filetype") == "csv" or name.lower().endswith(".csv"):
            return item
    return None


def csv_in_dm(event: dict) -> bool:
    """A person's own message in a DM with Pacer, not in a thread, with a CSV attached."""
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") in (None, "file_share")
        and not event.get("bot_id")
        and event.get("thread_ts") in (None, event.get("ts"))
        and _csv(event) is not None
    )


class _Unreadable(Exception):
    pass


def fetch(clients: WorkspaceClients | None, file_id: str) -> tuple[str, bytes]:
    """The file's name and bytes: files.info, then its private download with the bot token of
    the workspace it was shared in."""
    if clients is None:
        raise _Unreadable("Pacer isn't installed in this workspace any more")
    client = clients.client
    try:
        info = client.files_info(file=file_id)["file"]
    except Exception as error:  # SlackApiError, a dropped connection…
        raise _Unreadable(f"Slack didn't give Pacer the file ({error})") from None
    name = str(info.get("name") or "the file")
    if int(info.get("size") or 0) > MAX_BYTES:
        raise _Unreadable(f"{name} is over {MAX_BYTES // (1024 * 1024)} MB; split it")
    request = urllib.request.Request(
        info.get("url_private_download") or info.get("url_private") or "",
        headers={"Authorization": f"Bearer {client.token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return name, response.read(MAX_BYTES + 1)
    except (ValueError, OSError) as error:
        raise _Unreadable(f"Pacer couldn't download {name} ({error})") from None


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:HASH_CHARS]


def summary_message(name: str, report: ImportReport, file_id: str, raw: bytes) -> dict:
    lines = report.lines()
    head = f"*{messages.escape(name)}* · {messages.escape(lines[0])}"
    body = "\n".join(f"• {messages.escape(line)}" for line in lines[1:])
    changes = sum(report.statuses[s] for s in ("created", "updated", "voided", "held"))
    if report.failed:
        tail = "Fix these lines and share the file again; nothing is stored until it reads clean."
    elif not changes:
        tail = "Nothing to apply: every line is in Pacer already."
    else:
        tail = "Apply it to store exactly this. Held lines wait in `/pacer api review`."
    text = "\n".join(part for part in (head, body, tail) if part)
    reply = messages.message(text, messages.section(text))
    if not report.failed and changes:
        value = json.dumps({"file": file_id, "hash": _digest(raw)})
        button = messages.button("Apply to Pacer", Action.APPLY_CSV, value, style="primary")
        reply["blocks"].append(messages.actions(button))
    return reply


def summarize(services: Services, event: dict, team_id: str, enterprise_id: str | None) -> None:
    user, channel, file = event.get("user") or "", event.get("channel") or "", _csv(event) or {}
    now = services.clock()
    with services.unit_of_work() as session:
        actor = resolve_actor(
            session, team_id, enterprise_id, user, services.settings.admins, now, resume=True
        )
        workspace_id, may = actor.workspace_id, actor.is_manager
    clients = services.clients_for(team_id, enterprise_id)  # where the file was shared
    if clients is None:
        return
    if not may:
        reply = (
            "Only managers and Pacer admins import activity from a file: your manager can "
            "share it with me. Your own numbers go in with `/log`."
        )
        outcome = "refused"
    else:
        try:
            name, raw = fetch(clients, str(file.get("id") or ""))
        except _Unreadable as error:
            reply, outcome = f"{error}; nothing was stored. Share it again to retry.", "unreadable"
        else:
            report = run_import(services.engine, raw, workspace_id, now, by=user, dry_run=True)
            message = summary_message(name, report, str(file.get("id")), raw)
            clients.client.chat_postMessage(channel=channel, **message)
            log.info("event=csv_shared user=%s outcome=summary %s", user, report.counts())
            return
    clients.client.chat_postMessage(channel=channel, text=reply)
    log.info("event=csv_shared user=%s outcome=%s", user, outcome)


def apply_pressed(ix: Interaction) -> None:
    """Checked before the acknowledgement (who, which file); read and imported after it."""
    if not ix.actor.is_manager:
        raise Problem("Only managers and Pacer admins import activity; nothing was stored.")
    try:
        data = json.loads(str(ix.action.get("value") or ""))
        file_id, digest = str(data["file"]), str(data["hash"])
    except (ValueError, KeyError, TypeError):
        raise Problem(f"{STALE} Share the file again.") from None
    services, workspace_id, user = ix.services, ix.actor.workspace_id, ix.user_id
    respond, now = ix.respond, ix.now
    ix.outcome = "applying"

    def apply() -> None:
        try:
            name, raw = fetch(ix.clients, file_id)
        except _Unreadable as error:
            text = f"{error}; nothing was stored. Share the file again."
        else:
            if _digest(raw) != digest:
                text = (
                    f"*{messages.escape(name)}* changed since this summary, so nothing was stored. "
                    "Share it again for a new summary."
                )
            else:
                report = run_import(services.engine, raw, workspace_id, now, by=user)
                lines = report.lines()
                text = f"*{messages.escape(name)}* · {messages.escape(lines[0])}"
                text += "".join(f"\n• {messages.escape(line)}" for line in lines[1:])
        if respond is not None:
            respond(text=text, blocks=messages.section(text), replace_original=True)
        log.info("event=csv_apply user=%s", user)

    ix.follow_ups.append(apply)

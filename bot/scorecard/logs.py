"""The logs behind a number (`/scorecard calls`): when, how many, who entered them and through
what. Activity from another system says where it came from ("via HubSpot · 14:02 · call:11"),
and a manager of the rep's team (or an admin) can void any counted log from the list, an
ingested one too: it stays in the trail, struck through, and the system sending it again does
not bring it back (rituals/ingest keeps a manager's void)."""

from __future__ import annotations

from slack_bolt import App

from bot import messages
from bot.buttons import answer_privately
from bot.context import Command, Interaction
from bot.ids import Action
from bot.listeners import register_action
from bot.replies import Problem
from bot.services import Services
from rituals import dates
from rituals.ingest.items import DELETED_AT_SOURCE
from rituals.log_edits import void_log
from rituals.scorecard import basis
from storage.models import ActivityLog

SHOWN = 40  # the newest 40 keep the message inside Slack's limits
VOIDABLE = 100  # a select menu's most options
# How each way in reads ("via HubSpot"); a source not listed reads as stored.
SOURCE_NAMES = {
    "hubspot": "HubSpot",
    "import": "CSV import",
    "api": "the API",
    "slash": "/log",
    "modal": "the /log form",
    "button": "a button",
}


def register(app: App, services: Services) -> None:
    register_action(app, services, Action.SCORECARD_VOID, void_chosen)


def _ingested(log: ActivityLog) -> bool:
    return bool(getattr(log, "ext_source", None))


def _when(log: ActivityLog, tz) -> str:
    """When it came: the time alone on the day it counts on ("14:02"), else day and time."""
    local = log.created_at.astimezone(tz)
    return f"{local:%H:%M}" if local.date() == log.occurred_on else dates.short_time(local)


def how(log: ActivityLog, tz) -> messages.Raw:
    """Who entered a log and through what, at what time."""
    at = dates.short_time(log.created_at.astimezone(tz))
    if _ingested(log):
        via = SOURCE_NAMES.get(log.source, log.source)
        at = _when(log, tz)  # the day is the line's own: "via HubSpot · 14:02"
        who = ""
        if log.source == "import" and log.entered_by[:1] in "UW" and log.entered_by.isalnum():
            who = f" by {messages.mention(log.entered_by)}"  # a CSV a manager shared in Slack
        elif log.entered_by.startswith("api:"):
            via = f"the API (token {messages.escape(log.entered_by[4:])})"
        key = messages.escape(f"{log.external_id}")
        return messages.Raw(f"via {messages.escape(via)}{who} · {at} · `{key}`")
    return messages.Raw(f"entered by {messages.mention(log.entered_by)} via {log.source} at {at}")


def undone(log: ActivityLog) -> messages.Raw:
    if log.voided_by == DELETED_AT_SOURCE:
        return messages.Raw(f"deleted in {SOURCE_NAMES.get(log.source, log.source)}")
    return messages.Raw(f"undone by {messages.mention(log.voided_by or '')}")


def basis_message(cmd: Command, rep_id: str, kpi_key: str, period) -> dict:
    process = cmd.actor.process
    tz = process.calendar.tz
    logs = basis(cmd.session, cmd.actor.workspace_id, rep_id, kpi_key, period)
    shown = logs[-SHOWN:]
    rows = [
        {
            "day": dates.short(log.occurred_on),
            "count": log.count,
            "how": how(log, tz),
            "note": log.note,
            "voided_at": log.voided_at,
            "undone": undone(log) if log.voided_at else "",
        }
        for log in shown
    ]
    counted = [log for log in logs if log.voided_at is None]
    total = sum(log.count for log in counted)
    text = messages.render(
        "basis.md.j2",
        kpi=process.kpi(kpi_key),
        rep_id=rep_id,
        period_label=period.label(),
        total=total,
        counted=len(counted),
        voided=len(logs) - len(counted),
        logs=rows,
    )
    if len(logs) > len(shown):
        text += f"\n_{len(logs) - len(shown)} older logs not shown; pick a shorter period, e.g. `/scorecard {kpi_key} day`._"
    reply = messages.message(
        f"{process.kpi(kpi_key).name}: {total} in {period.label()}", messages.section(text)
    )
    voidable = [log for log in reversed(shown) if log.voided_at is None][:VOIDABLE]
    if voidable and cmd.actor.is_manager and rep_id != cmd.user_id:
        reply["blocks"].append(messages.actions(void_menu(voidable, tz)))
    return reply


def void_menu(logs: list[ActivityLog], tz) -> dict:
    """A select of the counted logs shown, newest first; choosing one asks to confirm."""
    options = []
    for log in logs:
        source = SOURCE_NAMES.get(log.source, log.source)
        label = f"{dates.short(log.occurred_on)} · {log.count} · {source} {_when(log, tz)}"
        if _ingested(log):
            label += f" · {log.external_id}"
        options.append({"text": messages.plain_text(label, 75), "value": str(log.id)})
    return {
        "type": "static_select",
        "action_id": Action.SCORECARD_VOID,
        "placeholder": messages.plain_text("Void a log…", 75),
        "options": options,
        "confirm": {
            "title": messages.plain_text("Void this log?", 24),
            "text": messages.plain_text(
                "It stops counting and stays in the trail, struck through. A system that sends "
                "it again won't bring it back.",
                300,
            ),
            "confirm": messages.plain_text("Void it", 24),
            "deny": messages.plain_text("Keep it", 24),
        },
    }


def void_chosen(ix: Interaction) -> None:
    value = str((ix.action.get("selected_option") or {}).get("value") or "")
    if not value.isdigit() or len(value) > 12:
        raise Problem("Pacer can't find that log, so nothing changed.")
    actor = ix.actor
    row = void_log(ix.session, actor, int(value), ix.now)
    ix.outcome = "voided"
    name = actor.process.kpi(row.kpi).name if actor.process.has_kpi(row.kpi) else row.kpi
    where = ""
    if _ingested(row):
        where = f" from {SOURCE_NAMES.get(row.source, row.source)} (`{messages.escape(row.external_id)}`)"
    text = (
        f":wastebasket: Voided *{row.count} {messages.escape(name)}* of "
        f"{messages.mention(row.rep_id)} ({dates.short(row.occurred_on)}){where}. It stays in the "
        "trail, struck through"
        + (", and won't count again if the source sends it again." if where else ".")
    )
    answer_privately(ix, messages.message(text, messages.section(text)), "/scorecard")

"""Replies in a coaching thread become the session's notes (Events API ``message`` events).

A reply counts when it is in a coaching session's thread (found by channel and thread ts: one
indexed query; every other message is ignored after it, or before any query when it is not a
thread reply at all) and comes from a person: no ``bot_id``, and no subtype other than
``thread_broadcast`` (a reply also sent to the channel). A reply starting with ``action:``
(any case) is an action item, stored without the prefix, and gets a :pushpin: reaction so the
thread shows it was captured.

Edits and deletions: a ``message_changed`` for a reply updates its note (text and whether it is
an action item; an edit of a reply Pacer missed stores it); a ``message_deleted`` removes the
note, so what the session keeps is what the thread shows.

Delivered twice (Slack retries with ``X-Slack-Retry-Num`` when the answer is slow): notes are
unique on (session, message ts) and inserted with ON CONFLICT DO NOTHING, so one note is saved
and the reaction is added once.

Text is stored as a person reads it: Slack's markup (``<@U1|sam>``, ``<!channel>``, links,
``&amp;``) becomes plain text (``@sam``, ``@channel``, ``label (url)``, ``&``), and is escaped
again wherever it is shown, so a note can never ping anyone."""

import logging
import re
import time

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.buttons import action_done_button, with_actions
from bot.services import Services
from storage import coaching_queries, people_queries
from storage.models import CoachingNote, CoachingSession
from storage.unit_of_work import Session

log = logging.getLogger("pacer.requests")

ACTION = re.compile(r"^\s*[*_~]*action(?:s| items?)?[*_~]*\s*:[*_~]*\s*", re.IGNORECASE)
SLACK_TOKEN = re.compile(r"<([^<>]*)>")
BARE_MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")
REACTION = "pushpin"
# A reply with a file attached arrives as file_share: still a reply (its text is the note).
ANSWERED_SUBTYPES = (None, "thread_broadcast", "file_share")


def register(app: App, services: Services) -> None:
    def on_message(event: dict, body: dict, context) -> None:
        started = time.perf_counter()
        outcome = handle_message_event(
            services, event, team_id=context.team_id, enterprise_id=context.enterprise_id
        )
        if outcome != "ignored":  # most messages in a workspace are not Pacer's business
            log.info(
                "event=message subtype=%s team=%s user=%s outcome=%s duration_ms=%.1f",
                event.get("subtype"),
                context.team_id,
                event.get("user") or (event.get("message") or {}).get("user"),
                outcome,
                (time.perf_counter() - started) * 1000,
            )

    app.event("message")(on_message)


def handle_message_event(
    services: Services, event: dict, *, team_id: str | None, enterprise_id: str | None
) -> str:
    """Save, update or remove the note a message event stands for; returns what happened:
    ignored | not-coaching | other-workspace | not-a-participant | noted | action | duplicate
    | edited | deleted.

    Checked before anything is stored: the thread is a coaching session's (its channel and
    thread ts), the event comes from that session's workspace (``team_id``/``enterprise_id``
    from Bolt's context: the same workspace, or one in the same Enterprise Grid org), and the
    author is the session's rep or manager, a manager of the rep's team, or an admin: anyone
    else's reply in the thread is left out of the notes (logged, not answered).

    Not a request context (bot/context.py): most messages are not Pacer's business and must
    cost no query, and nobody is asking anything. A reply in a thread gets its own unit of work,
    committed before the reaction is added after the acknowledgement."""
    subtype = event.get("subtype")
    channel = event.get("channel") or ""
    if subtype == "message_deleted":
        previous = event.get("previous_message") or {}
        ts, thread_ts = event.get("deleted_ts") or previous.get("ts"), previous.get("thread_ts")
        if not _is_reply(ts, thread_ts):
            return "ignored"
        with services.unit_of_work() as session:
            found = coaching_queries.find_by_thread(session, channel, thread_ts)
            if found is None:
                return "not-coaching"
            if not _same_workspace(session, found, team_id, enterprise_id):
                return "other-workspace"
            return "deleted" if coaching_queries.delete_note(session, found.id, ts) else "ignored"
    edited = subtype == "message_changed"
    message = (event.get("message") or {}) if edited else event
    if not edited and subtype not in ANSWERED_SUBTYPES:
        return "ignored"  # joins, topic changes, bot messages, file comments…
    ts, thread_ts, user = message.get("ts"), message.get("thread_ts"), message.get("user")
    if not _is_reply(ts, thread_ts) or not user or message.get("bot_id"):
        return "ignored"
    if message.get("subtype") not in ANSWERED_SUBTYPES:
        return "ignored"
    with services.unit_of_work() as session:
        found = coaching_queries.find_by_thread(session, channel, thread_ts)
        if found is None:
            return "not-coaching"
        if not _same_workspace(session, found, team_id, enterprise_id):
            return "other-workspace"
        if not _takes_part(services, session, found, user):
            return "not-a-participant"
        text, is_action = note_text(session, found.workspace_id, message)
        if not text:
            return "ignored"
        if edited and coaching_queries.update_note(session, found.id, ts, text, is_action):
            return "edited"
        note = CoachingNote(
            session_id=found.id,
            author_id=user,
            message_ts=ts,
            text=text,
            is_action=is_action,
            created_at=services.clock(),
        )
        if not coaching_queries.insert_note(session, note):
            return "duplicate"
        note_id = coaching_queries.note_by_message(session, found.id, ts).id if is_action else 0
    if is_action:
        slack = (team_id, enterprise_id)  # the event's workspace: its token answers
        services.after_ack(lambda: _react(services, slack, channel, ts, thread_ts, note_id))
        return "action"
    return "noted"


def _same_workspace(
    session: Session, found: CoachingSession, team_id: str | None, enterprise_id: str | None
) -> bool:
    """Whether the event was sent for the session's workspace (or its Grid org's)."""
    workspace = people_queries.get_workspace(session, found.workspace_id)
    if workspace is None:
        return False
    if workspace.enterprise_id:
        return enterprise_id == workspace.enterprise_id
    return team_id == workspace.slack_team_id and not enterprise_id


def _takes_part(services: Services, session: Session, found: CoachingSession, user: str) -> bool:
    """The rep, the manager who opened it, a manager of the rep's team, or an admin."""
    if user in (found.rep_id, found.manager_id) or user in services.settings.admins:
        return True
    member = people_queries.get_member(session, found.workspace_id, user)
    if member is not None and member.active and member.is_manager:
        return member.team_id == found.team_id or people_queries.is_promoted_admin(
            session, found.workspace_id, user
        )
    return people_queries.is_promoted_admin(session, found.workspace_id, user)


def _is_reply(ts: str | None, thread_ts: str | None) -> bool:
    return bool(ts) and bool(thread_ts) and ts != thread_ts


def note_text(session: Session, workspace_id: int, message: dict) -> tuple[str, bool]:
    """(plain text without an ``action:`` prefix, whether it is an action item)."""
    raw = message.get("text") or ""
    if not raw.strip() and message.get("files"):
        raw = "(shared a file: see the thread)"
    ids = set(BARE_MENTION.findall(raw))  # <@U1|sam> carries its name; <@U1> needs a lookup
    names = {}
    if ids:
        names = {
            u: p.display_name
            for u, p in people_queries.profiles(session, workspace_id, ids).items()
        }
    text = plain_text(raw, names).strip()
    match = ACTION.match(text)
    if match:
        return text[match.end() :].strip(), True
    return text, False


def plain_text(slack_text: str, names: dict[str, str] | None = None) -> str:
    """Slack's message markup as plain text: mentions as @name, channels as #name, special
    mentions as @channel / @here, links as "label (url)", entities decoded."""
    names = names or {}

    def token(match: re.Match) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            user = target[1:]
            return "@" + (label or names.get(user) or user)
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            if target.startswith("!subteam^"):
                return label or "@group"
            if target.startswith("!date^"):
                return label or "a date"
            return "@" + (label or target[1:]).lstrip("@")
        if label and label != target and not target.endswith(label):
            return f"{label} ({target})"
        return label or target.removeprefix("mailto:")

    return messages.unescape(SLACK_TOKEN.sub(token, slack_text))


def _react(
    services: Services, slack: tuple, channel: str, ts: str, thread_ts: str, note_id: int
) -> None:
    """The reply gets a pushpin, and the thread a "Done" button for the item."""
    clients = services.clients_for(*slack)
    if clients is None:
        return
    try:
        clients.client.reactions_add(channel=channel, timestamp=ts, name=REACTION)
    except SlackApiError as error:  # already reacted, or no reactions:write: the note is saved
        log.info("reactions.add %s %s: %s", channel, ts, error.response.get("error"))
    said = ":pushpin: Saved as an action item. Press *Done* when it is."
    message = with_actions(
        messages.message(said, messages.section(said)), action_done_button(note_id)
    )
    try:
        clients.client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=message["text"], blocks=message["blocks"]
        )
    except SlackApiError as error:  # the item is saved; `/coach @rep history` has its button
        log.info("action item button not posted in %s: %s", channel, error.response.get("error"))

"""Add action item, on a coaching thread's opening message: a small form whose submission is
stored as an action item (``CoachingNote.is_action``) of that session, keyed on the view's id and
hash (a submission delivered twice is stored once), and posted into the thread. Only the
session's manager and rep, and Pacer admins, may add one.

Done, on an action item (its post in the thread, and `/coach @rep history`): the session's rep
or manager marks it done (``done_at``/``done_by``; once, even pressed twice at once); anyone
else is refused and nothing changes. The next session's opening lists only open items."""

import hashlib
import logging

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.buttons import action_done_button, with_actions
from bot.context import Interaction
from bot.ids import INPUT, Action, View
from bot.listeners import register_action, register_view
from bot.messages import plain_text
from bot.modals import open_modal
from bot.replies import Problem
from bot.services import Services
from rituals import dates
from storage import coaching_queries
from storage.models import CoachingNote, CoachingSession

log = logging.getLogger("pacer.requests")

ACTION_ITEM_BLOCK = "item"
ACTION_ITEM_LIMIT = 1000


def register(app: App, services: Services) -> None:
    register_action(app, services, Action.ADD_ACTION_ITEM, add_action_pressed)
    register_view(app, services, View.ACTION_ITEM, action_item_submitted)
    register_action(app, services, Action.ACTION_ITEM_DONE, done_pressed)


def _coaching_session(ix: Interaction, raw: object) -> CoachingSession:
    text = str(raw or "")
    row = (
        coaching_queries.get_session(ix.session, int(text))
        if text.isdigit() and len(text) <= 12
        else None
    )
    if row is None or row.workspace_id != ix.actor.workspace_id:
        raise Problem(
            "Pacer can't find this coaching session, so nothing changed. Reply in the thread "
            "starting with `action:` to add an action item."
        )
    if ix.user_id not in (row.manager_id, row.rep_id) and not ix.actor.is_admin:
        raise Problem(
            f"Only {messages.mention(row.manager_id)}, {messages.mention(row.rep_id)} and Pacer "
            "admins can add action items to this session; nothing changed."
        )
    if not row.thread_ts:
        raise Problem(
            "This session's thread was never posted, so it can't take action items. Open a "
            "new one with `/coach @rep`."
        )
    return row


def action_item_view(row: CoachingSession) -> dict:
    return {
        "type": "modal",
        "callback_id": View.ACTION_ITEM,
        "title": plain_text("Add action item", messages.MODAL_TITLE_LIMIT),
        "submit": plain_text("Add", messages.MODAL_TITLE_LIMIT),
        "close": plain_text("Cancel", messages.MODAL_TITLE_LIMIT),
        "private_metadata": str(row.id),
        "blocks": [
            messages.context(
                f"Coaching session of {messages.mention(row.rep_id)} with "
                f"{messages.mention(row.manager_id)}: the item is saved with the session and "
                "posted in its thread."
            ),
            {
                "type": "input",
                "block_id": ACTION_ITEM_BLOCK,
                "label": plain_text("Action item"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": INPUT,
                    "multiline": True,
                    "max_length": ACTION_ITEM_LIMIT,
                    "placeholder": plain_text("e.g. Open with the ROI story on every call"),
                },
            },
        ],
    }


def add_action_pressed(ix: Interaction) -> None:
    row = _coaching_session(ix, ix.action.get("value"))
    if not ix.trigger_id:
        raise Problem("Slack sent no trigger to open the form with. Reply `action: …` instead.")
    open_modal(
        ix,
        action_item_view(row),
        what="the form",
        instead="Reply in the thread starting with `action:` instead.",
    )
    ix.outcome = "modal"
    return None


def action_item_submitted(ix: Interaction) -> dict | None:
    view = ix.view
    row = _coaching_session(ix, view.get("private_metadata"))
    value = ((view.get("state") or {}).get("values") or {}).get(ACTION_ITEM_BLOCK) or {}
    text = " ".join(str((value.get(INPUT) or {}).get("value") or "").split())
    if not text:
        ix.outcome = "invalid"
        return {
            "response_action": "errors",
            "errors": {ACTION_ITEM_BLOCK: "Write the action item, e.g. Call Acme back by Friday."},
        }
    if len(text) > ACTION_ITEM_LIMIT:
        ix.outcome = "invalid"
        return {
            "response_action": "errors",
            "errors": {
                ACTION_ITEM_BLOCK: f"Keep it under {ACTION_ITEM_LIMIT} characters "
                f"(this one has {len(text)})."
            },
        }
    key = "modal:" + hashlib.sha1(f"{view.get('id')}:{view.get('hash')}".encode()).hexdigest()[:26]
    stored = coaching_queries.insert_note(
        ix.session,
        CoachingNote(
            session_id=row.id,
            author_id=ix.user_id,
            message_ts=key,
            text=text,
            is_action=True,
            created_at=ix.now,
        ),
    )
    ix.outcome = "action" if stored else "duplicate"
    if stored:
        channel, thread = row.channel_id, row.thread_ts
        posted = (
            f":pushpin: *Action item* from {messages.mention(ix.user_id)}: {messages.escape(text)}"
        )
        note = coaching_queries.note_by_message(ix.session, row.id, key)
        message = with_actions(
            messages.message(posted, messages.section(posted)), action_done_button(note.id)
        )

        def post() -> None:
            clients = ix.clients  # the workspace's own token
            if clients is None:
                return
            try:
                clients.client.chat_postMessage(
                    channel=channel,
                    thread_ts=thread,
                    text=message["text"],
                    blocks=message["blocks"],
                    unfurl_links=False,
                )
            except SlackApiError as error:  # saved with the session either way
                log.warning(
                    "action item not posted in %s: %s", channel, error.response.get("error")
                )

        ix.follow_ups.append(post)
    return None


def done_pressed(ix: Interaction) -> None:
    """ "Done" on an action item: stored once, by its session's rep or manager."""
    text = str(ix.action.get("value") or "")
    note = coaching_queries.get_note(ix.session, int(text)) if text.isdigit() else None
    row = coaching_queries.get_session(ix.session, note.session_id) if note else None
    if note is None or row is None or row.workspace_id != ix.actor.workspace_id:
        raise Problem(
            "Pacer can't find this action item (its reply may have been deleted), so nothing "
            "changed. `/coach @rep history` lists the items that are saved."
        )
    if ix.user_id not in (row.manager_id, row.rep_id):
        raise Problem(
            f"Only {messages.mention(row.rep_id)} and {messages.mention(row.manager_id)} can mark "
            "this action item done; nothing changed."
        )
    if not coaching_queries.mark_done(ix.session, note.id, ix.user_id, ix.now):
        done = coaching_queries.get_note(ix.session, note.id)
        when = done.done_at if done and done.done_at else ix.now
        day = ix.actor.process.calendar.local_date(dates.aware(when))
        who = f" by {messages.mention(done.done_by)}" if done and done.done_by else ""
        raise Problem(
            f"This action item was already marked done{who} on {dates.short(day)}; nothing changed."
        )
    ix.outcome = "done"
    item = messages.escape(note.text)
    shown = f":white_check_mark: *Action item* done ({messages.mention(ix.user_id)}): ~{item}~"
    if len(note.text) > 2500:  # strike-through markup must not be cut in half
        shown = f":white_check_mark: *Action item* done ({messages.mention(ix.user_id)}): {item}"
    respond, ephemeral = ix.respond, bool((ix.body.get("container") or {}).get("is_ephemeral"))
    if respond is None:
        return None
    if ephemeral:  # `/coach @rep history`: say so where it was pressed; the history stays
        ix.follow_ups.append(
            lambda: respond(
                text=messages.plain(shown),
                blocks=messages.section(shown),
                response_type="ephemeral",
                replace_original=False,
            )
        )
    else:  # the item's post in the thread shows it done, without its button
        ix.follow_ups.append(
            lambda: respond(
                text=messages.plain(shown), blocks=messages.section(shown), replace_original=True
            )
        )
    return None

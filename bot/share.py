"""Buttons on messages (issue 5): "Share to channel" on a scorecard or leaderboard shown
privately, "My scorecard" on a digest ("Log activity" opens the `/log` form: bot/log/form.py),
and "Add action item" on a coaching thread's opening message.

Share to channel posts the same content (the same rep or board and the same period, with the
numbers as of the press) where it was asked, through the press's ``response_url`` with
``response_type: in_channel``: Slack posts it in that conversation, as Pacer, even in a private
channel or a conversation Pacer isn't a member of (the slash command worked there too). It
follows the presser's rights at the moment of the press: your own scorecard always; someone
else's only when the team's scorecards are public; a leaderboard only for managers and admins
(as `/leaderboard post`). One post per press: a press Slack delivers twice is posted once.
Names, not mentions, are shown for other people, so a share pings nobody.

Add action item opens a small form; its submission is stored as an action item
(``CoachingNote.is_action``) of that session, keyed on the view's id and hash (a submission
delivered twice is stored once), and posted into the thread. Only the session's manager and
rep, and Pacer admins, may add one."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import date, datetime, time, timedelta

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.app import Interaction, Services, register_action, register_view
from bot.messages import plain_text
from rituals import runs
from rituals.pacing import PERIOD_KINDS, Period, period_containing
from rituals.schedule import Occurrence
from rituals.teams import Refusal, require_manager, team_process
from storage import coaching_queries, queries
from storage.models import CoachingNote, CoachingSession

log = logging.getLogger("pacer.requests")

SHARE_SCORECARD, SHARE_LEADERBOARD = "share_scorecard", "share_leaderboard"
MY_SCORECARD = "digest_scorecard"
ADD_ACTION, ACTION_ITEM_VIEW = "coaching_add_action", "coaching_action_item"
ACTION_ITEM_BLOCK, ACTION = "item", "value"
ACTION_ITEM_LIMIT = 1000
MAX_MESSAGE_BLOCKS = 50


def register(app: App, services: Services) -> None:
    register_action(app, services, SHARE_SCORECARD, share_scorecard_pressed)
    register_action(app, services, SHARE_LEADERBOARD, share_leaderboard_pressed)
    register_action(app, services, MY_SCORECARD, my_scorecard_pressed)
    register_action(app, services, ADD_ACTION, add_action_pressed)
    register_view(app, services, ACTION_ITEM_VIEW, action_item_submitted)


# -- the buttons (pure: messages call these) --------------------------------------------------


def with_actions(message: dict, *buttons: dict, keep_last: bool = False) -> dict:
    """The message with a row of buttons at its end (``keep_last``: just before its last
    block, e.g. a hint that must stay last), still within Slack's 50 blocks."""
    blocks = list(message.get("blocks") or [])
    tail = blocks[-1:] if keep_last else []
    head = blocks[: len(blocks) - len(tail)][: MAX_MESSAGE_BLOCKS - 1 - len(tail)]
    return {**message, "blocks": head + [messages.actions(*buttons)] + tail}


def period_value(period: Period) -> str:
    return f"{period.kind}:{period.start.isoformat()}"


def scorecard_share_button(rep_id: str, period: Period) -> dict:
    value = json.dumps({"rep": rep_id, "period": period_value(period)})
    return messages.button("Share to channel", SHARE_SCORECARD, value)


def leaderboard_share_button(board) -> dict:
    value = json.dumps(
        {
            "kpi": board.kpi.key if board.kpi else None,
            "period": period_value(board.period),
            "by": board.by,
        }
    )
    return messages.button("Share to channel", SHARE_LEADERBOARD, value)


def digest_buttons(period: Period) -> dict:
    """ "My scorecard" (for the digest's period) and "Log activity" (the `/log` form)."""
    from bot.log.form import LOG_BUTTON

    return messages.actions(
        messages.button("My scorecard", MY_SCORECARD, period_value(period)),
        messages.button("Log activity", LOG_BUTTON, "", style="primary"),
        block_id="digest_buttons",
    )


def action_item_button(session_id: int) -> dict:
    return messages.button("Add action item", ADD_ACTION, str(session_id))


# -- reading a press --------------------------------------------------------------------------

_STALE = "This button is from an older Pacer message; nothing happened."


def _period(text: object) -> Period:
    kind, _, start = str(text or "").partition(":")
    try:
        day = date.fromisoformat(start)
    except ValueError:
        day = None
    if kind not in PERIOD_KINDS or day is None:
        raise Refusal(f"{_STALE} Ask again with `/scorecard` or `/leaderboard`.")
    return period_containing(kind, day)


def _json_value(ix: Interaction) -> dict:
    try:
        data = json.loads(ix.action.get("value") or "")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise Refusal(f"{_STALE} Ask again with `/scorecard` or `/leaderboard`.")
    return data


def first_delivery(ix: Interaction) -> bool:
    """False for a press already handled (the same user, button, action_ts and value): one post
    per press, however often Slack delivers it and whichever server process it reaches. The
    press is recorded as a one-time ``ritual_run`` (kind ``share``), like a welcome."""
    action = ix.action
    press = "|".join(
        str(part or "")
        for part in (
            ix.user_id,
            action.get("action_id"),
            action.get("action_ts"),
            action.get("value"),
        )
    )
    claim = runs.claim(
        ix.session,
        workspace_id=ix.actor.workspace_id,
        team_id=ix.actor.team_id,
        occurrence=Occurrence("share", ix.now, hashlib.sha256(press.encode()).hexdigest()[:32]),
        now=ix.now,
        owner=runs.process_identity(),
        max_attempts=1,
    )
    if claim is None:
        return False
    runs.finish(ix.session, claim, ix.now)
    return True


def _channel_of(ix: Interaction) -> str | None:
    return (ix.body.get("channel") or {}).get("id") or (ix.body.get("container") or {}).get(
        "channel_id"
    )


def _post_here(ix: Interaction, what: str, build) -> None:
    """After the acknowledgement: post ``build()`` in the conversation the button was in."""
    respond, services, channel = ix.respond, ix.services, _channel_of(ix)
    if not channel and not (respond is not None and ix.body.get("response_url")):
        raise Refusal(f"Slack didn't say where this {what} was shown, so nothing was posted.")

    def post() -> None:
        message = build()
        try:
            if respond is not None and ix.body.get("response_url"):
                respond(
                    text=message["text"],
                    blocks=message["blocks"],
                    response_type="in_channel",
                    replace_original=False,
                )
            else:
                services.client.chat_postMessage(
                    channel=channel, text=message["text"], blocks=message["blocks"]
                )
        except Exception as error:  # Slack refused: say so privately, never silently
            reason = (
                error.response.get("error")
                if isinstance(error, SlackApiError)
                else type(error).__name__
            )
            log.warning("share of a %s failed: %s", what, reason)
            if respond is not None:
                respond(
                    text=f"Pacer couldn't post the {what} here ({reason}). Nothing was shared.",
                    response_type="ephemeral",
                    replace_original=False,
                )

    ix.follow_ups.append(post)


def _names(services: Services, workspace_id: int, user_ids: list[str], now) -> dict[str, str]:
    from bot.people import display_names

    return display_names(services, workspace_id, user_ids, now)


# -- scorecards -------------------------------------------------------------------------------


def _scorecard(ix: Interaction, rep_id: str, period: Period):
    """(card, basis hint) for a rep and period, with the goals that period had."""
    from bot.examples import log_words
    from bot.people import known_profiles
    from rituals.scorecard import build_scorecard, rep_calendar
    from rituals.teams import process_in_effect

    session, actor = ix.session, ix.actor
    rep = queries.get_member(session, actor.workspace_id, rep_id)
    if rep is None or not rep.active or not rep.role:
        if rep_id == ix.user_id:
            raise Refusal(
                "You don't have a scorecard: you're not on a sales team in Pacer. Ask your "
                "manager or a Pacer admin to add you: `/pacer team add @you sdr`."
            )
        raise Refusal(
            f"{messages.mention(rep_id)} isn't a rep on a Pacer team any more, so there's no "
            "scorecard to share. See who is with `/pacer team`."
        )
    process = (
        actor.process if rep.team_id == actor.team_id else team_process(session, rep.team_id)[0]
    )
    if not process.has_role(rep.role):
        raise Refusal(
            f"{messages.mention(rep_id)}'s role `{messages.escape(rep.role)}` is no longer in the "
            "team's process, so there is no scorecard to show. A manager gives a current role "
            f"with `/pacer team add {messages.mention(rep_id)} ROLE`."
        )
    profile = known_profiles(ix, rep_id).get(rep_id)
    cal = rep_calendar(process, profile.tz if profile else None)
    goals = process
    if period.end < cal.local_date(ix.now):  # a finished period keeps the goals it had
        end = datetime.combine(period.end + timedelta(days=1), time(0), cal.tz)
        then = process_in_effect(session, rep.team_id, end)
        goals = then if then.has_role(rep.role) else process
    card = build_scorecard(session, actor.workspace_id, goals, rep, period, ix.now, cal)
    word = log_words(process)[rep.role][card.lines[0].kpi.key]
    who = "" if rep_id == ix.user_id else f"{messages.mention(rep_id)} "
    return card, f"/scorecard {who}{word}"


def private_scorecard(ix: Interaction, rep_id: str, period: Period) -> dict:
    """A scorecard shown privately, with "Share to channel"."""
    from bot.scorecard.command import scorecard_message

    card, hint = _scorecard(ix, rep_id, period)
    return with_actions(scorecard_message(card, hint), scorecard_share_button(rep_id, period))


def my_scorecard_pressed(ix: Interaction) -> None:
    """ "My scorecard" on a digest: the presser's own, for the digest's period, privately."""
    from rituals.activity import target_rep

    period = _period(ix.action.get("value"))
    target_rep(ix.session, ix.actor, ix.user_id)  # on no team: a refusal that says what to do
    message = private_scorecard(ix, ix.user_id, period)
    respond = ix.respond
    if respond is None:
        raise Refusal("Slack sent no way to answer this press. Type `/scorecard` instead.")
    ix.outcome = "scorecard"
    ix.follow_ups.append(
        lambda: respond(
            text=message["text"],
            blocks=message["blocks"],
            response_type="ephemeral",
            replace_original=False,
        )
    )


def _visibility_of(ix: Interaction, rep_id: str) -> str:
    """Who may see the rep's scorecard is their own team's rule, not the presser's."""
    rep = queries.get_member(ix.session, ix.actor.workspace_id, rep_id)
    if rep is None or rep.team_id == ix.actor.team_id:
        return ix.actor.process.visibility
    return team_process(ix.session, rep.team_id)[0].visibility


def share_scorecard_pressed(ix: Interaction) -> None:
    data = _json_value(ix)
    rep_id, period = str(data.get("rep") or ""), _period(data.get("period"))
    if not rep_id:
        raise Refusal(f"{_STALE} Ask again with `/scorecard`.")
    if rep_id != ix.user_id and _visibility_of(ix, rep_id) != "public":
        raise Refusal(
            "This team keeps scorecards to managers and the rep, so only "
            f"{messages.mention(rep_id)} can share theirs in a channel. Nothing was posted."
        )
    if not first_delivery(ix):
        ix.outcome = "duplicate"
        return None
    from bot.scorecard.command import scorecard_message

    card, hint = _scorecard(ix, rep_id, period)
    services, workspace_id, now, by = ix.services, ix.actor.workspace_id, ix.now, ix.user_id

    def build() -> dict:
        message = scorecard_message(card, hint)
        if rep_id != by:  # a name, not a mention: sharing someone's scorecard pings nobody
            name = _names(services, workspace_id, [rep_id], now).get(rep_id, rep_id)
            shown = json.dumps(message).replace(
                json.dumps(str(messages.mention(rep_id)))[1:-1],
                json.dumps("@" + messages.escape(name))[1:-1],
            )
            message = json.loads(shown)
        blocks = message["blocks"][: MAX_MESSAGE_BLOCKS - 1]
        blocks.append(messages.context(f"Shared by {messages.mention(by)}."))
        return {**message, "response_type": "in_channel", "blocks": blocks}

    _post_here(ix, "scorecard", build)
    ix.outcome = "shared"
    return None


# -- leaderboards -----------------------------------------------------------------------------


def share_leaderboard_pressed(ix: Interaction) -> None:
    from bot.delivery import digests as digest_messages
    from rituals.digests import leaderboard
    from rituals.ranking import BY_ATTAINMENT, BY_COUNT

    data = _json_value(ix)
    period = _period(data.get("period"))
    require_manager(ix.actor, "share a leaderboard in a channel")
    actor, process = ix.actor, ix.actor.process
    kpi, by = data.get("kpi"), data.get("by") or BY_ATTAINMENT
    if (kpi is not None and not process.has_kpi(kpi)) or by not in (BY_ATTAINMENT, BY_COUNT):
        raise Refusal(f"{_STALE} Ask again with `/leaderboard`.")
    if not first_delivery(ix):
        ix.outcome = "duplicate"
        return None
    members = queries.active_members(ix.session, actor.team_id)
    board = leaderboard(ix.session, actor.workspace_id, process, members, kpi, period, ix.now, by)
    services, workspace_id, now, who = ix.services, actor.workspace_id, ix.now, ix.user_id

    def build() -> dict:
        names = _names(services, workspace_id, board.rep_ids, now)
        message = digest_messages.leaderboard_message(board, names, viewer=None)
        blocks = message["blocks"][: MAX_MESSAGE_BLOCKS - 1]
        blocks.append(messages.context(f"Shared by {messages.mention(who)}."))
        return {**message, "response_type": "in_channel", "blocks": blocks}

    _post_here(ix, "leaderboard", build)
    ix.outcome = "shared"
    return None


# -- coaching action items --------------------------------------------------------------------


def _coaching_session(ix: Interaction, raw: object) -> CoachingSession:
    text = str(raw or "")
    row = (
        coaching_queries.get_session(ix.session, int(text))
        if text.isdigit() and len(text) <= 12
        else None
    )
    if row is None or row.workspace_id != ix.actor.workspace_id:
        raise Refusal(
            "Pacer can't find this coaching session, so nothing changed. Reply in the thread "
            "starting with `action:` to add an action item."
        )
    if ix.user_id not in (row.manager_id, row.rep_id) and not ix.actor.is_admin:
        raise Refusal(
            f"Only {messages.mention(row.manager_id)}, {messages.mention(row.rep_id)} and Pacer "
            "admins can add action items to this session; nothing changed."
        )
    if not row.thread_ts:
        raise Refusal(
            "This session's thread was never posted, so it can't take action items. Open a "
            "new one with `/coach @rep`."
        )
    return row


def action_item_view(row: CoachingSession) -> dict:
    return {
        "type": "modal",
        "callback_id": ACTION_ITEM_VIEW,
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
                    "action_id": ACTION,
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
        raise Refusal("Slack sent no trigger to open the form with. Reply `action: …` instead.")
    try:
        ix.services.client.views_open(trigger_id=ix.trigger_id, view=action_item_view(row))
    except SlackApiError as error:
        reason = messages.escape(error.response.get("error", "an error"))
        raise Refusal(
            f"Slack didn't open the form ({reason}). Reply in the thread starting with "
            "`action:` instead."
        ) from None
    ix.outcome = "modal"
    return None


def action_item_submitted(ix: Interaction) -> dict | None:
    view = ix.view
    row = _coaching_session(ix, view.get("private_metadata"))
    value = ((view.get("state") or {}).get("values") or {}).get(ACTION_ITEM_BLOCK) or {}
    text = " ".join(str((value.get(ACTION) or {}).get("value") or "").split())
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
        services, channel, thread = ix.services, row.channel_id, row.thread_ts
        posted = (
            f":pushpin: *Action item* from {messages.mention(ix.user_id)}: {messages.escape(text)}"
        )

        def post() -> None:
            try:
                services.client.chat_postMessage(
                    channel=channel,
                    thread_ts=thread,
                    text=messages.plain(posted),
                    blocks=messages.section(posted),
                    unfurl_links=False,
                )
            except SlackApiError as error:  # saved with the session either way
                log.warning(
                    "action item not posted in %s: %s", channel, error.response.get("error")
                )

        ix.follow_ups.append(post)
    return None

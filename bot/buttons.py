"""Buttons on messages: building them (Share to channel, My scorecard, Log activity, Add action
item), reading a press, and posting where a button was pressed. The presses themselves are
handled by their features (bot/scorecard/share.py, bot/leaderboard/share.py,
bot/coaching/action_items.py; "Log activity" opens the /log form, bot/log/form.py).

Share to channel posts the same content (the same rep or board and the same period, with the
numbers as of the press) where it was asked, through the press's ``response_url`` with
``response_type: in_channel``: Slack posts it in that conversation, as Pacer, even in a private
channel or a conversation Pacer isn't a member of (the slash command worked there too). One post
per press: a press Slack delivers twice is posted once (``first_delivery``). Names, not
mentions, are shown for other people, so a share pings nobody."""

import hashlib
import json
import logging
from datetime import date

from slack_sdk.errors import SlackApiError

from bot import messages
from bot.context import Interaction
from bot.ids import Action
from bot.replies import Problem
from rituals import runs
from rituals.pacing import PERIOD_KINDS, Period, period_containing
from rituals.schedule import Occurrence

log = logging.getLogger("pacer.requests")

MAX_MESSAGE_BLOCKS = 50

# -- building them (pure: messages call these) --------------------------------------------------


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
    return messages.button("Share to channel", Action.SHARE_SCORECARD, value)


def team_scorecard_share_button(team_id: int, period: Period) -> dict:
    value = json.dumps({"team": team_id, "period": period_value(period)})
    return messages.button("Share to channel", Action.SHARE_TEAM_SCORECARD, value)


def leaderboard_share_button(board) -> dict:
    value = json.dumps(
        {
            "kpi": board.kpi.key if board.kpi else None,
            "period": period_value(board.period),
            "by": board.by,
        }
    )
    return messages.button("Share to channel", Action.SHARE_LEADERBOARD, value)


def digest_buttons(period: Period) -> dict:
    """ "My scorecard" (for the digest's period) and "Log activity" (the `/log` form)."""
    return messages.actions(
        messages.button("My scorecard", Action.MY_SCORECARD, period_value(period)),
        messages.button("Log activity", Action.LOG_ACTIVITY, "", style="primary"),
        block_id="digest_buttons",
    )


def action_item_button(session_id: int) -> dict:
    return messages.button("Add action item", Action.ADD_ACTION_ITEM, str(session_id))


def action_done_button(note_id: int, text: str = "") -> dict:
    """ "Done" on an action item (``text``: the item, for a list of several)."""
    label = f"Done: {text}" if text else "Done"
    if len(label) > 75:
        label = label[:74] + "…"
    return messages.button(label, Action.ACTION_ITEM_DONE, str(note_id))


# -- reading a press ----------------------------------------------------------------------------

STALE = "This button is from an older Pacer message; nothing happened."


def period_of_value(text: object) -> Period:
    kind, _, start = str(text or "").partition(":")
    try:
        day = date.fromisoformat(start)
    except ValueError:
        day = None
    if kind not in PERIOD_KINDS or day is None:
        raise Problem(f"{STALE} Ask again with `/scorecard` or `/leaderboard`.")
    return period_containing(kind, day)


def json_value(ix: Interaction) -> dict:
    try:
        data = json.loads(ix.action.get("value") or "")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise Problem(f"{STALE} Ask again with `/scorecard` or `/leaderboard`.")
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


def channel_of(ix: Interaction) -> str | None:
    return (ix.body.get("channel") or {}).get("id") or (ix.body.get("container") or {}).get(
        "channel_id"
    )


def answer_privately(ix: Interaction, message: dict, instead: str) -> None:
    """After the acknowledgement: ``message`` to the presser only, below the message they pressed
    on (which stays). ``instead``: the command to type when Slack sent no response_url."""
    respond = ix.respond
    if respond is None:
        raise Problem(f"Slack sent no way to answer this press. Type `{instead}` instead.")
    ix.follow_ups.append(
        lambda: respond(
            text=message["text"],
            blocks=message["blocks"],
            response_type="ephemeral",
            replace_original=False,
        )
    )


def post_here(ix: Interaction, what: str, build) -> None:
    """After the acknowledgement: post ``build()`` in the conversation the button was in."""
    respond, channel = ix.respond, channel_of(ix)
    if not channel and not (respond is not None and ix.body.get("response_url")):
        raise Problem(f"Slack didn't say where this {what} was shown, so nothing was posted.")

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
            elif (clients := ix.clients) is not None:  # the workspace's own token
                clients.client.chat_postMessage(
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

"""Scorecards from buttons: "My scorecard" on a digest (the presser's own, privately) and
"Share to channel" on a scorecard shown privately. Sharing follows the presser's rights at the
moment of the press: your own scorecard always; someone else's only when the rep's team keeps
scorecards public."""

import json
from datetime import datetime, time, timedelta

from slack_bolt import App

from bot import messages
from bot.buttons import (
    MAX_MESSAGE_BLOCKS,
    STALE,
    answer_privately,
    first_delivery,
    json_value,
    period_of_value,
    post_here,
    scorecard_share_button,
    with_actions,
)
from bot.context import Interaction
from bot.examples import log_words
from bot.ids import Action
from bot.listeners import register_action
from bot.people import display_names, known_profiles
from bot.replies import Problem
from bot.scorecard.message import scorecard_message
from bot.scorecard.why import why_button
from bot.services import Services
from rituals.activity import target_rep
from rituals.pacing import Period
from rituals.scorecard import build_scorecard, rep_calendar
from rituals.teams import process_in_effect, scorecard_shown, team_process
from storage import people_queries


def register(app: App, services: Services) -> None:
    register_action(app, services, Action.SHARE_SCORECARD, share_scorecard_pressed)
    register_action(app, services, Action.MY_SCORECARD, my_scorecard_pressed)


def _scorecard(ix: Interaction, rep_id: str, period: Period):
    """(card, basis hint) for a rep and period, with the goals that period had."""
    session, actor = ix.session, ix.actor
    rep = people_queries.get_member(session, actor.workspace_id, rep_id)
    if not scorecard_shown(actor, rep, actor.process.calendar.local_date(ix.now)):
        if rep_id == ix.user_id:
            raise Problem(
                "You don't have a scorecard: you're not on a sales team in Pacer. Ask your "
                "manager or a Pacer admin to add you: `/pacer team add @you sdr`."
            )
        raise Problem(
            f"{messages.mention(rep_id)} isn't a rep on a Pacer team any more, so there's no "
            "scorecard to share. See who is with `/pacer team`."
        )
    process = (
        actor.process if rep.team_id == actor.team_id else team_process(session, rep.team_id)[0]
    )
    if not process.has_role(rep.role):
        raise Problem(
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
    card, hint = _scorecard(ix, rep_id, period)
    return with_actions(
        scorecard_message(card, hint),
        scorecard_share_button(rep_id, period),
        why_button(rep_id, period),
    )


def my_scorecard_pressed(ix: Interaction) -> None:
    """ "My scorecard" on a digest: the presser's own, for the digest's period, privately."""
    period = period_of_value(ix.action.get("value"))
    target_rep(ix.session, ix.actor, ix.user_id)  # on no team: a refusal that says what to do
    answer_privately(ix, private_scorecard(ix, ix.user_id, period), "/scorecard")
    ix.outcome = "scorecard"


def _visibility_of(ix: Interaction, rep_id: str) -> str:
    """Who may see the rep's scorecard is their own team's rule, not the presser's."""
    rep = people_queries.get_member(ix.session, ix.actor.workspace_id, rep_id)
    if rep is None or rep.team_id == ix.actor.team_id:
        return ix.actor.process.visibility
    return team_process(ix.session, rep.team_id)[0].visibility


def share_scorecard_pressed(ix: Interaction) -> None:
    data = json_value(ix)
    rep_id, period = str(data.get("rep") or ""), period_of_value(data.get("period"))
    if not rep_id:
        raise Problem(f"{STALE} Ask again with `/scorecard`.")
    if rep_id != ix.user_id and _visibility_of(ix, rep_id) != "public":
        raise Problem(
            "This team keeps scorecards to managers and the rep, so only "
            f"{messages.mention(rep_id)} can share theirs in a channel. Nothing was posted."
        )
    if not first_delivery(ix):
        ix.outcome = "duplicate"
        return None
    card, hint = _scorecard(ix, rep_id, period)
    services, workspace_id, now, by = ix.services, ix.actor.workspace_id, ix.now, ix.user_id

    def build() -> dict:
        message = scorecard_message(card, hint)
        if rep_id != by:  # a name, not a mention: sharing someone's scorecard pings nobody
            name = display_names(services, workspace_id, [rep_id], now).get(rep_id, rep_id)
            shown = json.dumps(message).replace(
                json.dumps(str(messages.mention(rep_id)))[1:-1],
                json.dumps("@" + messages.escape(name))[1:-1],
            )
            message = json.loads(shown)
        blocks = message["blocks"][: MAX_MESSAGE_BLOCKS - 1]
        blocks.append(messages.context(f"Shared by {messages.mention(by)}."))
        return {**message, "response_type": "in_channel", "blocks": blocks}

    post_here(ix, "scorecard", build)
    ix.outcome = "shared"
    return None

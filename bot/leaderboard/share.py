"""Share to channel on a leaderboard shown privately: managers and admins only (as
`/leaderboard post`); the board is posted with the numbers as of the press, names not mentions."""

from slack_bolt import App

from bot import messages
from bot.buttons import (
    MAX_MESSAGE_BLOCKS,
    STALE,
    first_delivery,
    json_value,
    period_of_value,
    post_here,
)
from bot.context import Interaction
from bot.delivery import digests as digest_messages
from bot.ids import Action
from bot.listeners import register_action
from bot.people import display_names
from bot.replies import Problem
from bot.services import Services
from rituals.digests import leaderboard
from rituals.ranking import BY_ATTAINMENT, BY_COUNT
from rituals.teams import require_manager, team_members


def register(app: App, services: Services) -> None:
    register_action(app, services, Action.SHARE_LEADERBOARD, share_leaderboard_pressed)


def share_leaderboard_pressed(ix: Interaction) -> None:
    data = json_value(ix)
    period = period_of_value(data.get("period"))
    require_manager(ix.actor, "share a leaderboard in a channel")
    actor, process = ix.actor, ix.actor.process
    kpi, by = data.get("kpi"), data.get("by") or BY_ATTAINMENT
    if (kpi is not None and not process.has_kpi(kpi)) or by not in (BY_ATTAINMENT, BY_COUNT):
        raise Problem(f"{STALE} Ask again with `/leaderboard`.")
    if not first_delivery(ix):
        ix.outcome = "duplicate"
        return None
    members = team_members(ix.session, actor.team_id, period.start, period.end, actor.today())
    board = leaderboard(ix.session, actor.workspace_id, process, members, kpi, period, ix.now, by)
    services, workspace_id, now, who = ix.services, actor.workspace_id, ix.now, ix.user_id

    def build() -> dict:
        names = display_names(services, workspace_id, board.rep_ids, now)
        message = digest_messages.leaderboard_message(board, names, viewer=None)
        blocks = message["blocks"][: MAX_MESSAGE_BLOCKS - 1]
        blocks.append(messages.context(f"Shared by {messages.mention(who)}."))
        return {**message, "response_type": "in_channel", "blocks": blocks}

    post_here(ix, "leaderboard", build)
    ix.outcome = "shared"
    return None

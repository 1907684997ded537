"""/leaderboard: the stack ranking, privately, for any KPI and period; managers can post it."""

from bot import messages
from bot.buttons import leaderboard_share_button, with_actions
from bot.context import Command
from bot.delivery import digests as digest_messages
from bot.delivery.posting import ChannelPacer, Progress, deliver
from bot.parsing import ParseError, match_kpi, quoted
from bot.people import display_names, known_profiles
from bot.replies import Problem
from rituals.digests import leaderboard
from rituals.ranking import BY_ATTAINMENT, BY_COUNT
from rituals.scorecard import PERIOD_WORDS, period_for
from rituals.teams import require_manager, team_members

HELP = (
    "*/leaderboard* ranks the team, by attainment (fair across quotas) unless you ask for counts.\n"
    "• `/leaderboard` — overall attainment this week · `/leaderboard calls` — one KPI\n"
    "• `/leaderboard deals month` · `/leaderboard calls last-week` — day, week, month, yesterday, last-week, last-month\n"
    "• `/leaderboard calls count` — by raw count · `/leaderboard calls post` — managers post it to the team's channel"
)
_PACER = ChannelPacer()  # one per process: posts to a channel stay about a second apart


def handle(cmd: Command) -> dict:
    if cmd.text.lower() in ("help", "?"):
        cmd.outcome = "help"
        return messages.message(HELP.replace("*", ""), messages.section(HELP))
    actor, process = cmd.actor, cmd.actor.process
    kpi, kind, offset, by, post = None, "week", 0, BY_ATTAINMENT, False
    words = cmd.text.split()
    i = 0
    while i < len(words):
        word = words[i].lower()
        if word in PERIOD_WORDS:
            kind, offset = PERIOD_WORDS[word]
        elif i + 1 < len(words) and f"{word}-{words[i + 1].lower()}" in PERIOD_WORDS:
            kind, offset = PERIOD_WORDS[f"{word}-{words[i + 1].lower()}"]
            i += 1
        elif word in ("count", "counts", "raw"):
            by = BY_COUNT
        elif word in ("post", "share"):
            post = True
        elif word in ("overall", "all"):
            kpi = None
        elif (matched := match_kpi(words, i, process, actor.role)) is not None and kpi is None:
            kpi, used = matched
            i += used
            continue
        else:
            raise ParseError(
                f"I don't understand {quoted(words[i])} here. {HELP.splitlines()[1][2:]}"
            )
        i += 1
    if process.visibility != "public" and not actor.is_manager:
        raise Problem(
            "This team keeps numbers to managers and each rep. See your own with `/scorecard`."
        )
    if by == BY_COUNT and kpi is None:
        raise ParseError("Counts rank one KPI at a time, e.g. `/leaderboard calls count`.")
    period = period_for(process, kind, cmd.now, offset)
    members = team_members(cmd.session, actor.team_id, period.start, period.end, actor.today())
    board = leaderboard(cmd.session, actor.workspace_id, process, members, kpi, period, cmd.now, by)
    rep_ids = [r.rep_id for r in board.ranking]
    if post:
        return post_to_channel(cmd, board, rep_ids)
    cached = known_profiles(cmd, *rep_ids)
    names = {u: cached[u].display_name if u in cached else u for u in rep_ids}
    cmd.outcome = "leaderboard"
    reply = digest_messages.leaderboard_message(board, names, viewer=cmd.user_id)
    if actor.is_manager:  # sharing it, like `post`, is for managers
        reply = with_actions(reply, leaderboard_share_button(board))
    return reply


def post_to_channel(cmd: Command, board, rep_ids: list[str]) -> dict:
    require_manager(cmd.actor, "post a leaderboard to the channel")
    team = cmd.actor.team
    if not team.channel_id:
        raise Problem(
            "The team has no channel yet: set it with `/pacer channel #sales`, then post again."
        )
    services, workspace_id, now, channel = (
        cmd.services,
        cmd.actor.workspace_id,
        cmd.now,
        team.channel_id,
    )
    team_name = team.name

    def post() -> None:  # after the acknowledgement: names may need Slack, and posts are paced
        clients = cmd.clients  # the workspace's own token; none (uninstalled): nothing posted
        if clients is None:
            return
        names = display_names(services, workspace_id, rep_ids, now)
        parts = digest_messages.leaderboard_parts(board, names, team_name)
        deliver(
            clients.ritual_client,
            _PACER,
            channel,
            parts,
            f"adhoc:{cmd.trigger_id}",
            Progress(),
            lambda p: None,
        )

    cmd.follow_ups.append(post)
    cmd.outcome = "leaderboard_posted"
    return messages.message(
        "Posting the leaderboard to the channel.",
        messages.section(
            f"Posting *{messages.escape(digest_messages.leaderboard_title(board))}* to {messages.channel(channel)}."
        ),
    )

"""`/pacer tv`: the team's sales-floor TV link, for its managers, answered privately; `/pacer tv
revoke` makes the old link answer 403 at once (tv/app.py looks a link up on every request).
Only a hash of the token is stored, so a link is shown once: asking again makes a new one (and
the old one stops working)."""

from bot import messages
from bot.admin.team import done
from bot.context import Command
from bot.parsing import ParseError
from bot.replies import Problem
from rituals import tv
from rituals.teams import require_manager

USAGE = "`/pacer tv` gives your team's TV link; `/pacer tv revoke` turns it off."


def tv_command(cmd: Command, args: list[str]) -> dict:
    require_manager(cmd.actor, "get the team's TV link")
    team = cmd.actor.team  # theirs; an admin on no team: the workspace's team
    if team is None:
        raise Problem("There's no sales team yet: add people with `/pacer team add @user sdr`.")
    words = [a.lower() for a in args]
    if words == ["revoke"]:
        if not tv.revoke(cmd.session, team.id):
            return done(f"*{messages.escape(team.name)}* has no TV link to revoke. {USAGE}")
        cmd.outcome = "tv_revoke"
        return done(
            f"The TV link for *{messages.escape(team.name)}* is revoked: it no longer opens, "
            "and screens showing it stop at their next refresh (within seconds). "
            "`/pacer tv` makes a new one."
        )
    if words:
        raise ParseError(f"I don't understand `{messages.escape(' '.join(args))}`. {USAGE}")
    replacing = tv.has_link(cmd.session, team.id)
    token = tv.new_link(cmd.session, team, cmd.user_id, cmd.now)
    if token is None:
        raise Problem("Someone made a TV link for this team at the same moment. Ask again.")
    url = cmd.services.settings.public_url + tv.path_for(token)
    old = " The previous link no longer works." if replacing else ""
    return done(
        f"The sales-floor TV for *{messages.escape(team.name)}* (open it in a browser on the "
        f"screen; keep the link to the team, anyone with it can watch):\n{url}\n"
        f"Pacer keeps no copy of it, so asking again makes a new one.{old} "
        "`/pacer tv revoke` turns it off."
    )

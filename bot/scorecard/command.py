"""/scorecard: a rep's 3 leading + 1 lagging KPIs for a period, and the logs behind a number."""

from datetime import datetime, time, timedelta

from bot import messages
from bot.buttons import scorecard_share_button, with_actions
from bot.context import Command
from bot.examples import log_words
from bot.parsing import parse_mention, parse_scorecard
from bot.people import known_profiles, resolve_user
from bot.replies import Problem
from bot.scorecard import team_view
from bot.scorecard.logs import basis_message
from bot.scorecard.message import scorecard_message
from bot.scorecard.why import why_button, why_message
from rituals import dates
from rituals.activity import require_known_role
from rituals.scorecard import build_scorecard, period_for, rep_calendar
from rituals.teams import can_view, process_in_effect, scorecard_shown
from rituals.tenure import not_started
from storage import people_queries

HELP = (
    "*/scorecard* shows a rep's KPIs against goal with pace and projection.\n"
    "• `/scorecard` — yours, this week · `/scorecard @rep` — someone else's\n"
    "• `/scorecard @rep month` — day, week, month, yesterday, last-week, last-month\n"
    "• `/scorecard calls` — the logs behind a number: when, how many, who entered them and how\n"
    "• `/scorecard calls why` (or `/scorecard why`) — how a goal is computed: the days counted, "
    "holidays, days away, goal changes\n"
    "• `/scorecard team` — the whole team: totals per KPI and every rep, for managers (everyone "
    "when scorecards are public) · `/scorecard team month`"
)


def handle(cmd: Command) -> dict:
    if cmd.text.lower() in ("help", "?"):
        cmd.outcome = "help"
        return messages.message(HELP.replace("*", ""), messages.section(HELP))
    actor, process = cmd.actor, cmd.actor.process
    words = cmd.text.split()
    if words and words[0].lower() == "team":
        return team_view.handle(cmd, words[1:])
    # Whose scorecard first: KPI words resolve against the rep's role (an AE's "meeting" is held).
    mentions = [m for m in map(parse_mention, cmd.text.split()) if m is not None]
    rep_id = resolve_user(cmd, mentions[0]) if mentions else cmd.user_id
    rep = people_queries.get_member(cmd.session, actor.workspace_id, rep_id)
    today = process.calendar.local_date(cmd.now)
    if not scorecard_shown(actor, rep, today):
        parsed = parse_scorecard(cmd.text, process, actor.role)  # a mistake is the better answer
        if rep_id == cmd.user_id and actor.is_manager:  # no scorecard of their own: the team's
            return team_view.handle_own(cmd, parsed)
        if rep is not None and rep.role and (rep.active or rep.removed_at):
            raise Problem(off_team_text(rep, rep_id == cmd.user_id, today))
        if rep_id == cmd.user_id:
            raise Problem(
                "You don't have a scorecard yet: you're not on a sales team in Pacer. "
                "Ask your manager or a Pacer admin to add you: `/pacer team add @you sdr`. "
                "To see a rep's, name them: `/scorecard @rep`."
            )
        raise Problem(
            f"{messages.mention(rep_id)} isn't a rep on a Pacer team. See who is with `/pacer team`."
        )
    require_known_role(actor, rep)
    parsed = parse_scorecard(cmd.text, process, rep.role)
    if not can_view(actor, rep_id):
        raise Problem(
            "This team keeps scorecards to managers and the rep. See your own with `/scorecard`."
        )
    profile = known_profiles(cmd, rep_id).get(rep_id)
    cal = rep_calendar(process, profile.tz if profile else None)
    period = period_for(process, parsed.period_kind, cmd.now, parsed.offset, cal)
    if parsed.why:
        cmd.outcome = "why"
        goals = goals_for(cmd, process, rep, period, cal)
        return why_message(
            cmd.session,
            actor.workspace_id,
            goals,
            rep,
            period,
            cmd.now,
            cal,
            cmd.user_id,
            parsed.kpi,
        )
    if parsed.kpi:
        cmd.outcome = "basis"
        return basis_message(cmd, rep_id, parsed.kpi, period)
    cmd.outcome = "scorecard"
    card = build_scorecard(
        cmd.session,
        actor.workspace_id,
        goals_for(cmd, process, rep, period, cal),
        rep,
        period,
        cmd.now,
        cal,
    )
    hint = f"/scorecard {'' if rep_id == cmd.user_id else messages.mention(rep_id) + ' '}{log_words(process)[rep.role][card.lines[0].kpi.key]}"
    reply = scorecard_message(card, hint)
    if rep_id == cmd.user_id and actor.is_manager:  # a player-coach: their own card first
        reply = team_view.with_team_hint(reply)
    buttons = [why_button(rep_id, period)]
    if rep_id == cmd.user_id or process.visibility == "public":  # this viewer may share it
        buttons.insert(0, scorecard_share_button(rep_id, period))
    return with_actions(reply, *buttons)


def off_team_text(rep, is_self: bool, today) -> str:
    """A rep who hasn't started yet or whose last day is over, asked for by someone who may not
    see past members' numbers (managers and admins may)."""
    who = "You" if is_self else str(messages.mention(rep.user_id))
    if not_started(rep, today):
        return (
            f"{who} {'start' if is_self else 'starts'} on the team on "
            f"{dates.long(rep.started_on)}; the scorecard begins that day. Until then, see "
            "the team's with `/leaderboard`."
        )
    when = f" after {dates.long(rep.last_day)}" if rep.last_day else ""
    whose = "your" if is_self else "their"
    return (
        f"{who} left the team{when}. {whose.capitalize()} logs stay in the team's numbers, and "
        f"a manager can still see {whose} scorecard for any period. See who is on the team "
        "with `/pacer team`."
    )


def goals_for(cmd: Command, process, rep, period, cal):
    """A finished period keeps the goals it had (a goal changed since applies from then on)."""
    if period.end >= cal.local_date(cmd.now):
        return process
    end = datetime.combine(period.end + timedelta(days=1), time(0), cal.tz)
    then = process_in_effect(cmd.session, cmd.actor.team_id, end)
    return then if then.has_role(rep.role) else process

"""`/scorecard team [period] [team]`: the team's scorecard, for its managers and Pacer admins
(everyone on the team when its scorecards are public). A manager with no scorecard of their own
sees it on a plain `/scorecard`; a manager who is also a rep sees their own card, with a hint.

People belong to one team each, so a manager's team is theirs; an admin on no team, in a
workspace with several teams, names one: `/scorecard team Enterprise`."""

from dataclasses import replace
from datetime import datetime, time, timedelta

from bot import messages
from bot.context import Command
from bot.examples import log_words
from bot.parsing import ParsedScorecard, ParseError, parse_mention, quoted
from bot.people import known_profiles
from bot.replies import Problem
from bot.scorecard.team_message import team_message
from rituals.process import Process
from rituals.ranking import by_name
from rituals.scorecard import PERIOD_WORDS, period_for
from rituals.team_scorecard import build_team_scorecard
from rituals.teams import process_in_effect, team_process
from storage import people_queries
from storage.models import SalesTeam

USAGE = (
    "Try `/scorecard team`, `/scorecard team month` "
    "(day, week, month, yesterday, last-week, last-month)"
)


def handle(cmd: Command, words: list[str]) -> dict:
    """`/scorecard team …`: the words after "team" are a period and, for an admin of several
    teams, a team's name."""
    kind, offset, rest = "week", 0, []
    i = 0
    while i < len(words):
        word = words[i].lower()
        pair = f"{word}-{words[i + 1].lower()}" if i + 1 < len(words) else None
        if word in PERIOD_WORDS:
            kind, offset = PERIOD_WORDS[word]
        elif pair in PERIOD_WORDS:
            kind, offset = PERIOD_WORDS[pair]
            i += 1
        elif parse_mention(words[i]) is not None:
            raise ParseError(
                "The team view shows everyone. For one rep, leave out `team`: `/scorecard @rep`."
            )
        else:
            rest.append(words[i])
        i += 1
    team = _team(cmd, rest)
    return _show(cmd, team, kind, offset)


def handle_own(cmd: Command, parsed: ParsedScorecard) -> dict:
    """A plain `/scorecard` (or `/scorecard month`) from a manager with no scorecard: the team's."""
    if parsed.kpi:
        raise ParseError(
            "You have no scorecard of your own, so there are no logs of yours behind a number. "
            f"See a rep's: `/scorecard @rep {parsed.kpi}`, or the team's: `/scorecard team`."
        )
    return _show(cmd, cmd.actor.team, parsed.period_kind, parsed.offset)


def with_team_hint(reply: dict) -> dict:
    """A manager's own scorecard, with the way to their team's."""
    hint = messages.context("You run the team too: `/scorecard team` shows everyone on it.")
    return {**reply, "blocks": [*reply["blocks"][: messages.MAX_BLOCKS - 1], hint]}


def _team(cmd: Command, words: list[str]) -> SalesTeam:
    """The team asked about: the named one, else the asker's."""
    actor = cmd.actor
    if not words:
        if actor.member is None and actor.is_admin:
            teams = people_queries.teams(cmd.session, actor.workspace_id)
            if len(teams) > 1:
                raise Problem(
                    f"This workspace has {len(teams)} teams: {_names(teams)}. Say which, e.g. "
                    f"`/scorecard team {messages.escape(teams[0].name)}`."
                )
        return actor.team
    name = " ".join(words)
    teams = people_queries.teams(cmd.session, actor.workspace_id)
    wanted = name.casefold()
    found = [t for t in teams if t.name.casefold() == wanted] or [
        t for t in teams if t.name.casefold().startswith(wanted)
    ]
    if len(teams) < 2 and not found:  # one team: a word that is no period is a mistake
        raise ParseError(f"I don't understand {quoted(name)} here. {USAGE}.")
    if not found:
        raise ParseError(f"No team is called {quoted(name)}. Teams: {_names(teams)}. {USAGE}.")
    if len(found) > 1:
        raise ParseError(f"{quoted(name)} could be {_names(found)}: type more of the name.")
    team = found[0]
    if team.id != actor.team_id and not actor.is_admin:
        raise Problem(
            f"You can see your own team's scorecard, not *{messages.escape(team.name)}*'s: "
            "`/scorecard team`."
        )
    return team


def _names(teams: list[SalesTeam]) -> str:
    return ", ".join(f"*{messages.escape(t.name)}*" for t in teams[:10])


def _show(cmd: Command, team: SalesTeam, kind: str, offset: int) -> dict:
    actor, session = cmd.actor, cmd.session
    own = team.id == actor.team_id
    process = actor.process if own else team_process(session, team.id)[0]
    on_team = own and actor.member is not None
    if not (actor.is_admin or (own and actor.is_manager)):
        if not on_team:
            raise Problem(
                "You're not on a sales team in Pacer, so there's no team to show. Ask your "
                "manager or a Pacer admin to add you: `/pacer team add @you sdr`."
            )
        if process.visibility != "public":
            raise Problem(
                "This team keeps scorecards to managers and each rep, so the team view is for "
                "managers. See your own with `/scorecard`."
            )
    period = period_for(process, kind, cmd.now, offset)
    members = people_queries.active_members(session, team.id)
    goals = _goals_then(cmd, team.id, process, members, period)
    card = build_team_scorecard(
        session, actor.workspace_id, team.id, goals, members, period, cmd.now
    )
    cached = known_profiles(cmd, *card.rep_ids())
    names = {u: cached[u].display_name for u in card.rep_ids() if u in cached}
    card = replace(card, groups=[replace(g, rows=by_name(g.rows, names)) for g in card.groups])
    cmd.outcome = "team_scorecard"
    return team_message(
        card, team.name, {k.key: k.name for k in goals.kpis}, log_words(goals), names
    )


def _goals_then(cmd: Command, team_id: int, process: Process, members, period) -> Process:
    """A finished period keeps the goals it had, unless a rep's role is newer than them."""
    if period.end >= process.calendar.local_date(cmd.now):
        return process
    end = datetime.combine(period.end + timedelta(days=1), time(0), process.calendar.tz)
    then = process_in_effect(cmd.session, team_id, end)
    roles = {m.role for m in members if m.role and process.has_role(m.role)}
    return then if all(then.has_role(r) for r in roles) else process

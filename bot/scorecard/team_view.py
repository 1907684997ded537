"""`/scorecard team [period] [team]`: the team's scorecard, for its managers and Pacer admins
(everyone on the team when its scorecards are public). A manager with no scorecard of their own
sees it on a plain `/scorecard`; a manager who is also a rep sees their own card, with a hint.

People belong to one team each, so a manager's team is theirs; an admin on no team, in a
workspace with several teams, names one: `/scorecard team Enterprise`."""

from dataclasses import replace
from datetime import datetime, time, timedelta

from slack_bolt import App

from bot import messages
from bot.buttons import (
    MAX_MESSAGE_BLOCKS,
    STALE,
    first_delivery,
    json_value,
    period_of_value,
    post_here,
    team_scorecard_share_button,
    with_actions,
)
from bot.context import Command, Interaction, Request
from bot.examples import log_words
from bot.ids import Action
from bot.listeners import register_action
from bot.parsing import ParsedScorecard, ParseError, parse_mention, quoted
from bot.people import display_names, known_profiles
from bot.replies import Problem
from bot.scorecard.team_message import team_message
from bot.services import Services
from rituals.pacing import Period
from rituals.process import Process
from rituals.ranking import by_name
from rituals.scorecard import PERIOD_WORDS, period_for
from rituals.team_scorecard import TeamScorecard, build_team_scorecard
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
    if parsed.kpi or parsed.why:
        asked = " ".join(w for w in (parsed.kpi, "why" if parsed.why else None) if w)
        raise ParseError(
            "You have no scorecard of your own, so there are no goals or logs of yours to show. "
            f"See a rep's: `/scorecard @rep {asked}`, or the team's: `/scorecard team`."
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
    period = period_for(_process_of(cmd, team), kind, cmd.now, offset)
    card, goals = _card(cmd, team, period)
    cached = known_profiles(cmd, *card.rep_ids())
    names = {u: cached[u].display_name for u in card.rep_ids() if u in cached}
    cmd.outcome = "team_scorecard"
    reply = _message(card, team, goals, names)
    return with_actions(reply, team_scorecard_share_button(team.id, period))


def _card(req: Request, team: SalesTeam, period: Period) -> tuple[TeamScorecard, Process]:
    """The team's scorecard for the period, if the asker may see it; and the goals it used."""
    actor, session = req.actor, req.session
    own = team.id == actor.team_id
    process = _process_of(req, team)
    if not (actor.is_admin or (own and actor.is_manager)):
        if not (own and actor.member is not None):
            raise Problem(
                "You're not on a sales team in Pacer, so there's no team to show. Ask your "
                "manager or a Pacer admin to add you: `/pacer team add @you sdr`."
            )
        if process.visibility != "public":
            raise Problem(
                "This team keeps scorecards to managers and each rep, so the team view is for "
                "managers. See your own with `/scorecard`."
            )
    members = people_queries.active_members(session, team.id)
    goals = _goals_then(req, team.id, process, members, period)
    card = build_team_scorecard(
        session, actor.workspace_id, team.id, goals, members, period, req.now
    )
    return card, goals


def _process_of(req: Request, team: SalesTeam) -> Process:
    if team.id == req.actor.team_id:
        return req.actor.process
    return team_process(req.session, team.id)[0]


def _message(card: TeamScorecard, team: SalesTeam, goals: Process, names: dict) -> dict:
    """The message, each tie listed by name (the names known only now)."""
    card = replace(card, groups=[replace(g, rows=by_name(g.rows, names)) for g in card.groups])
    kpi_names = {k.key: k.name for k in goals.kpis}
    return team_message(card, team.name, kpi_names, log_words(goals), names)


def register(app: App, services: Services) -> None:
    register_action(app, services, Action.SHARE_TEAM_SCORECARD, share_pressed)


def share_pressed(ix: Interaction) -> None:
    """ "Share to channel" on the team's scorecard: the same team and period, with the numbers
    as of the press, posted where it was asked, with names (nobody is pinged). Whoever may see
    the team view may share it, by the team's rule at the moment of the press."""
    data = json_value(ix)
    period = period_of_value(data.get("period"))
    team_id = data.get("team")
    team = people_queries.get_team(ix.session, team_id) if isinstance(team_id, int) else None
    if team is None or team.workspace_id != ix.actor.workspace_id:
        raise Problem(f"{STALE} Ask again with `/scorecard team`.")
    card, goals = _card(ix, team, period)  # refused as the command would be: nothing is posted
    if not first_delivery(ix):
        ix.outcome = "duplicate"
        return None
    services, workspace_id, now, by = ix.services, ix.actor.workspace_id, ix.now, ix.user_id

    def build() -> dict:
        names = display_names(services, workspace_id, card.rep_ids(), now)
        message = _message(card, team, goals, names)
        blocks = message["blocks"][: MAX_MESSAGE_BLOCKS - 1]
        blocks.append(messages.context(f"Shared by {messages.mention(by)}."))
        return {**message, "response_type": "in_channel", "blocks": blocks}

    post_here(ix, "team scorecard", build)
    ix.outcome = "shared"
    return None


def _goals_then(req: Request, team_id: int, process: Process, members, period) -> Process:
    """A finished period keeps the goals it had, unless a rep's role is newer than them."""
    if period.end >= process.calendar.local_date(req.now):
        return process
    end = datetime.combine(period.end + timedelta(days=1), time(0), process.calendar.tz)
    then = process_in_effect(req.session, team_id, end)
    roles = {m.role for m in members if m.role and process.has_role(m.role)}
    return then if all(then.has_role(r) for r in roles) else process

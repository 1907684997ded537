"""The buttons on a lag suggestion (bot/contests/lag_suggestions.py): Launch contest, Edit first, Dismiss.

Only the suggestion's team's managers and Pacer admins may press them; anyone else is told so
privately and nothing changes. A suggestion is decided once: launched (a compare-and-set open →
launched inside bot.contests.flow.launch, the contest keyed by ``suggestion:<id>``) or dismissed
(open → dismissed here). A button pressed afterwards — twice, or by a second manager — is
answered privately with who decided and when, and changes nothing. Each press is one unit of
work: the contest is announced, and the message replaced, after it has committed."""

from __future__ import annotations

from slack_bolt import App

from bot import messages
from bot.contests import lag_suggestions
from bot.contests.flow import announce_job, launch
from bot.contests.form import open_contest_modal
from bot.context import Interaction
from bot.ids import Action
from bot.listeners import register_action
from bot.replies import Problem
from bot.services import Services
from rituals import lag_check
from rituals.lag_check import OPEN
from rituals.process import Process
from rituals.refusals import Refusal
from rituals.teams import managers_of, members_today, team_process
from storage import people_queries
from storage.models import LagSuggestion, SalesTeam


def register(app: App, services: Services) -> None:
    register_action(app, services, Action.LAG_LAUNCH, launch_pressed)
    register_action(app, services, Action.LAG_EDIT, edit_pressed)
    register_action(app, services, Action.LAG_DISMISS, dismiss_pressed)


def _suggestion(interaction: Interaction, verb: str) -> tuple[LagSuggestion, SalesTeam, Process]:
    """The suggestion behind the button, once the presser may act on it."""
    value = str(interaction.action.get("value") or "")
    known = value.isdigit() and len(value) <= 9  # a suggestion id, not some other number
    row = lag_check.get_suggestion(interaction.session, int(value)) if known else None
    if row is None or row.workspace_id != interaction.actor.workspace_id:
        raise Problem(
            "Pacer can't find this suggestion any more, so nothing changed. "
            "`/contest start` starts a contest by hand."
        )
    team = people_queries.get_team(interaction.session, row.team_id)
    actor = interaction.actor
    if not actor.is_admin and actor.user_id not in managers_of(interaction.session, team.id):
        raise Problem(
            f"Only the managers of {messages.escape(team.name)} and Pacer admins can {verb} a "
            "suggested contest, so "
            "nothing changed. Ask one of them; `/contest` shows the contests that are running."
        )
    process, _ = team_process(interaction.session, team.id)
    return row, team, process


def _replace(interaction: Interaction, message: dict) -> None:
    """Replace the message the button was on (its buttons go away)."""
    if interaction.respond is not None:
        interaction.respond(text=message["text"], blocks=message["blocks"], replace_original=True)
        return
    container = interaction.body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if channel and ts and (clients := interaction.clients) is not None:
        clients.client.chat_update(
            channel=channel, ts=ts, text=message["text"], blocks=message["blocks"]
        )


def _already_decided(
    interaction: Interaction, row: LagSuggestion, team: SalesTeam, process: Process
) -> dict:
    """The private answer to a button pressed after the suggestion was decided; this copy of
    the message loses its stale buttons too. Nothing is stored."""
    interaction.outcome = f"refused:{row.status}"
    message = lag_suggestions.decided_message(team, process, row)
    interaction.follow_ups.append(lambda: _replace(interaction, message))
    return {"problem": lag_suggestions.decision_text(team, process, row, stale=True)}


def _week_not_over(interaction: Interaction, row: LagSuggestion, process: Process) -> None:
    stored = lag_check.decode_proposal(row.proposal)
    if stored.spec.end_day < process.calendar.local_date(interaction.now):
        raise Problem(
            f"This suggestion was for the week {row.week_key}, which is over, so nothing was "
            "launched. `/contest start` starts a contest for this week."
        )


def launch_pressed(interaction: Interaction) -> dict | None:
    row, team, process = _suggestion(interaction, "launch")
    if row.status != OPEN:
        return _already_decided(interaction, row, team, process)
    _week_not_over(interaction, row, process)

    session, services = interaction.session, interaction.services
    stored = lag_check.decode_proposal(row.proposal)
    spec = lag_check.proposal_at(session, team.workspace_id, process, stored, interaction.now)
    try:
        contest, created = launch(
            services,
            session,
            team=team,
            process=process,
            spec=spec,
            by=interaction.user_id,
            now=interaction.now,
            source="suggestion",
            start_key=f"suggestion:{row.id}",
            suggestion_id=row.id,
        )
    except Refusal:  # nothing was stored: a refused launch writes nothing
        fresh = lag_check.get_suggestion(session, row.id)
        if fresh is not None and fresh.status != OPEN:  # another manager won the race
            return _already_decided(interaction, fresh, team, process)
        raise
    decided = lag_check.get_suggestion(session, row.id) or row
    if not created:  # launched a moment ago (the same start key): by a press that won the race
        return _already_decided(interaction, decided, team, process)
    message = lag_suggestions.decided_message(team, process, decided, started=spec)
    interaction.follow_ups.append(announce_job(services, team.id, contest.id))
    interaction.follow_ups.append(lambda: _replace(interaction, message))
    return None


def edit_pressed(interaction: Interaction) -> dict | None:
    """The contest modal, prefilled with the proposal; its submission launches the contest and
    marks this suggestion launched. Opened before the acknowledgement: the trigger_id is
    only good for 3 seconds."""
    row, team, process = _suggestion(interaction, "edit")
    if row.status != OPEN:
        return _already_decided(interaction, row, team, process)
    _week_not_over(interaction, row, process)

    session = interaction.session
    stored = lag_check.decode_proposal(row.proposal)
    spec = lag_check.proposal_at(session, team.workspace_id, process, stored, interaction.now)
    members = members_today(session, team.id, process.calendar.local_date(interaction.now))
    open_contest_modal(  # refused e.g. expired_trigger_id: the press came too late
        interaction,
        process,
        members,
        instead="Press *Edit first* again, or *Launch contest* to start it as proposed, or use "
        "`/contest start` for the form.",
        spec=spec,
        suggestion_id=row.id,
    )
    return None


def dismiss_pressed(interaction: Interaction) -> dict | None:
    row, team, process = _suggestion(interaction, "dismiss")
    if row.status != OPEN:
        return _already_decided(interaction, row, team, process)
    session = interaction.session
    if not lag_check.dismiss(session, row.id, interaction.user_id, interaction.now):
        fresh = lag_check.get_suggestion(session, row.id) or row
        return _already_decided(interaction, fresh, team, process)
    decided = lag_check.get_suggestion(session, row.id) or row
    message = lag_suggestions.decided_message(team, process, decided)
    interaction.follow_ups.append(lambda: _replace(interaction, message))
    return None

"""The team settings form: `/pacer` with no arguments opens it for the team's managers (and
Pacer admins); anyone else gets the help, as before.

One form holds the roster and roles, the channel rituals post in, the goals, the timezone,
working days and hours, the ritual times, and who sees scorecards (bot/admin/settings_view.py).
A submission is checked whole (bot/admin/settings_input.py): every mistake is shown under its
field and nothing changes. A good one applies only what the manager changed, as **one** new
process version (``rituals.teams.change_process``) stored in the request's transaction with the
roster and channel changes: all of it lands, or none of it."""

from __future__ import annotations

from slack_bolt import App

from bot.admin.settings_input import Changes, FormValues, read_changes, read_metadata
from bot.admin.settings_view import build_view, saved_view, snapshot
from bot.admin.welcome import welcome_job
from bot.context import Command, Interaction
from bot.home.listeners import refresh_job
from bot.ids import View
from bot.listeners import register_view
from bot.modals import open_modal
from bot.replies import Problem
from bot.services import Services
from rituals.process import Process
from rituals.teams import change_process, require_manager, team_process
from storage import people_queries, process_queries


def register(app: App, services: Services) -> None:
    register_view(app, services, View.TEAM_SETTINGS, submit)


def open_from_command(cmd: Command) -> dict:
    """`/pacer` alone, for a manager: open the form now (a trigger_id lasts 3 seconds) and
    acknowledge with nothing."""
    require_manager(cmd.actor, "change the team's settings")
    if not cmd.trigger_id:
        raise Problem(
            "Slack sent no trigger to open the settings with. `/pacer help` lists the commands "
            "that change them one by one."
        )
    team = cmd.actor.team
    members = people_queries.roster(cmd.session, team.id, cmd.actor.today())
    version = None
    if cmd.actor.process_version_id:
        row = process_queries.latest_process_version(cmd.session, team.id)
        version = row.version if row is not None and row.team_id == team.id else None
    view = build_view(cmd.actor.process, team, members, version, cmd.actor.today())

    open_modal(
        cmd,
        view,
        what="the settings",
        instead="`/pacer help` lists the commands that change them one by one, e.g. "
        "`/pacer timezone Europe/London`.",
    )
    cmd.outcome = "settings"
    return {}


def submit(ix: Interaction) -> dict:
    actor, session = ix.actor, ix.session
    require_manager(actor, "change the team's settings")
    shown = read_metadata(ix.view)
    team = actor.team
    if shown["team"] != team.id:
        raise Problem(
            "This form was opened for another team, so nothing changed. Open yours with `/pacer`."
        )
    form = FormValues(ix.view)
    roster = people_queries.roster(session, team.id, actor.today())
    cur = snapshot(actor.process, team, roster, whole=True, today=actor.today())
    changes = read_changes(ix, form, shown, cur)
    if form.errors:
        ix.outcome = "invalid"
        return {"response_action": "errors", "errors": form.errors}
    version = _save(ix, changes)
    ix.outcome = "saved" if changes.lines else "unchanged"
    _follow_up(ix, changes)
    return {"response_action": "update", "view": saved_view(changes.lines, version)}


def _save(ix: Interaction, changes: Changes) -> int | None:
    """Stage the roster and channel changes and store the process version with them; the
    number of the version stored, if any."""
    session, team = ix.session, ix.actor.team
    if not changes.changes_process:
        if changes.lines:
            changes.stage(session, team.id)
        return None

    def apply_all(current: Process) -> Process:
        changes.stage(session, team.id)
        return changes.apply(current)

    summary = "settings form: " + "; ".join(changes.lines)
    _, row = change_process(
        session, team, apply_all, loaded_by=ix.actor.user_id, change=summary, now=ix.now
    )
    return row.version


def _follow_up(ix: Interaction, changes: Changes) -> None:
    """After the acknowledgement: the Home tab of everyone the roster change touched, and a
    welcome for each new rep (once per person and team: a role change sends none)."""
    actor, session, team = ix.actor, ix.session, ix.actor.team
    touched = [change.user_id for change in changes.roster]
    if touched:
        ix.follow_ups.append(refresh_job(ix.services, ix.slack_team_id, ix.enterprise_id, touched))
    welcomed = [change.user_id for change in changes.roster if change.role]
    current, _ = team_process(session, team.id)
    for member in people_queries.roster(session, team.id, actor.today()):
        if member.user_id in welcomed:
            ix.follow_ups.append(
                welcome_job(ix.services, actor.workspace_id, team, member, current)
            )

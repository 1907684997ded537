"""One request context: every slash command, button, form submission and event Pacer handles
runs inside it. It resolves who is asking (workspace, actor, their team and role, the process in
force), opens one unit of work, and owns its transaction: committed when the handler returns,
rolled back on any refusal or error, so a refused or failed request changes nothing. Handlers
and rituals/ never commit; they add follow-ups (work after Slack's acknowledgement) instead."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot import messages
from bot.parsing import ParseError
from bot.replies import Problem, explain
from bot.services import Services, WorkspaceClients
from rituals.refusals import Refusal
from rituals.teams import Actor, resolve_actor
from storage import people_queries
from storage.errors import DatabaseUnavailable
from storage.unit_of_work import Session

log = logging.getLogger("pacer")

FollowUp = Callable[[], None]


@dataclass
class Request:
    """What a handler sees: the services, the open session, who is asking and when."""

    services: Services
    session: Session
    actor: Actor
    body: dict
    now: datetime
    outcome: str = "ok"  # for the request's log line
    follow_ups: list[FollowUp] = field(default_factory=list)
    # Slack's IDs of the workspace and Grid org the request came from (Bolt's context)
    slack_team_id: str = ""
    enterprise_id: str | None = None
    # Why views.open failed with this request's trigger (bot/modals.py): not tried twice
    modal_failed: str | None = None

    @property
    def user_id(self) -> str:
        return self.actor.user_id

    @property
    def trigger_id(self) -> str | None:
        return self.body.get("trigger_id")

    @property
    def clients(self) -> WorkspaceClients | None:
        """The Web API clients of the request's own workspace (its bot token); None when the
        workspace has no token: nothing is sent (bot/services.py). Asked when a call is made,
        usually after the acknowledgement."""
        return self.services.clients_for(self.slack_team_id, self.enterprise_id)

    def tell_privately_later(self, user_id: str, text: str) -> FollowUp:
        """A follow-up that DMs ``text`` to ``user_id`` with the workspace's own token (nothing
        when it has none), the asker's name in the notification text. Built now, while the
        session is open; sent after the acknowledgement."""
        by = self.user_id
        known = people_queries.get_profile(self.session, self.actor.workspace_id, by)
        note = messages.message(
            messages.plain(text, {by: known.display_name} if known else None),
            messages.section(text),
        )

        def send() -> None:
            clients = self.clients
            if clients is not None:
                clients.client.chat_postMessage(
                    channel=user_id, text=note["text"], blocks=note["blocks"]
                )

        return send


@dataclass
class Command(Request):
    """A slash command: ``name`` ("/log") and the ``text`` typed after it."""

    name: str = ""

    @property
    def text(self) -> str:
        return (self.body.get("text") or "").strip()

    @property
    def channel_id(self) -> str | None:
        return self.body.get("channel_id")


@dataclass
class Interaction(Request):
    """A button press (block_actions) or a form submission (view_submission). ``respond``
    answers privately where the button was (after the acknowledgement)."""

    respond: Callable[..., object] | None = None

    @property
    def action(self) -> dict:
        """The pressed button (block_actions): its action_id, value, block_id."""
        return (self.body.get("actions") or [{}])[0]

    @property
    def view(self) -> dict:
        return self.body.get("view") or {}


@dataclass
class Handled:
    """What came of a request: the reply (or ``problem``, the text of a refusal), the outcome
    for the log line, and the follow-ups to run after the acknowledgement."""

    reply: dict | None
    outcome: str
    follow_ups: list[FollowUp]
    problem: str | None = None


def where(body: dict, context: Mapping | None = None) -> tuple[str, str | None, str]:
    """(Slack team ID, enterprise ID, user ID) of a request: from Bolt's context, which reads
    them wherever Slack put them (on Enterprise Grid, a button's enterprise ID is only in
    ``team.enterprise_id``; an event's IDs are in ``authorizations``), else from the payload:
    slash command bodies carry them flat, interactivity payloads and events nest them."""
    context = context or {}
    user = body.get("user")
    user_id = user.get("id") if isinstance(user, dict) else (body.get("user_id") or user)
    team = body.get("team")
    team_id = (
        context.get("team_id")
        or (team.get("id") if isinstance(team, dict) else None)
        or (user.get("team_id") if isinstance(user, dict) else None)
        or body.get("team_id")
        or ""
    )
    enterprise = body.get("enterprise")
    enterprise_id = (
        context.get("enterprise_id")
        or (enterprise.get("id") if isinstance(enterprise, dict) else enterprise)
        or body.get("enterprise_id")
        or (team.get("enterprise_id") if isinstance(team, dict) else None)
    )
    return team_id, enterprise_id or None, context.get("user_id") or user_id or ""


def handle(
    services: Services,
    body: dict,
    handler: Callable[[Request], dict | None],
    make: Callable[..., Request],
    *,
    command: str | None = None,
    on_refusal: Callable[[Request, str], dict | None] | None = None,
    describe: Callable[[Request, dict | None], dict | None] | None = None,
    context: Mapping | None = None,
) -> Handled:
    """Run ``handler`` in a fresh request context and unit of work. Never raises.

    ``make`` builds the request (Command, Interaction…) from the common fields; ``command``
    names the slash command a refusal's hint points to; ``on_refusal`` lets a surface answer a
    refusal its own way (a Home-tab button opens a notice) after the rollback; ``describe`` runs
    inside the transaction after the handler, to finish the reply with what the session knows
    (people's names for mentions). ``context`` is Bolt's: who and where the request is from."""
    request: Request | None = None
    try:
        with services.unit_of_work() as session:
            now = services.clock()
            team_id, enterprise_id, user_id = where(body, context)
            actor = resolve_actor(
                session, team_id, enterprise_id, user_id, services.settings.admins, now, resume=True
            )
            request = make(
                services=services,
                session=session,
                actor=actor,
                body=body,
                now=now,
                slack_team_id=team_id,
                enterprise_id=enterprise_id,
            )
            reply = handler(request)
            if describe is not None:
                reply = describe(request, reply)
        return Handled(reply, request.outcome, request.follow_ups)
    except (Refusal, ParseError, Problem) as refusal:
        text = explain(refusal, command)
        outcome = f"refused:{type(refusal).__name__}"
        if on_refusal is not None and request is not None:
            request.follow_ups.clear()  # nothing the refused handler planned may happen
            request.outcome = outcome
            reply = on_refusal(request, text)
            return Handled(reply, outcome, request.follow_ups)
        return Handled(None, outcome, [], problem=text)
    except DatabaseUnavailable:
        log.exception("%s: database unavailable", command or "interaction")
        busy = DATABASE_BUSY_COMMAND if command else DATABASE_BUSY
        return Handled(None, "database_unavailable", [], problem=busy)
    except Exception:
        log.exception("%s failed", command or "interaction")
        return Handled(None, "error", [], problem=unexpected(command))


DATABASE_BUSY_COMMAND = (
    "Pacer's database is busy or unreachable right now, so nothing was stored. "
    "Try the same command again in a moment."
)
DATABASE_BUSY = (
    "Pacer's database is busy or unreachable right now, so nothing was changed. "
    "Try again in a moment."
)


def unexpected(command: str | None) -> str:
    if command:
        return (
            "Pacer hit an unexpected error and could not finish this command. "
            f"Check with `/scorecard` before trying again; `{command} help` shows the forms it takes."
        )
    return (
        "Pacer hit an unexpected error and changed nothing. Try again, or "
        "use the slash command (`/contest help`, `/coach help`)."
    )

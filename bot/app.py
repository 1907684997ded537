"""The Bolt app: one wrapper runs every slash command the same way (resolve who is asking,
handle, acknowledge inside Slack's 3 s, log one line), and slow work follows the acknowledgement."""

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bot import messages
from bot.parsing import ParseError
from bot.settings import Settings
from rituals.teams import Actor, Refusal, resolve_actor
from storage.db import session as open_session

log = logging.getLogger("pacer.requests")


@dataclass
class Services:
    """What every handler needs, built once per process."""

    settings: Settings
    engine: Engine
    client: WebClient
    clock: Callable[[], datetime]
    background: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(8, "pacer-after-ack")
    )
    # Posts rituals: retries only what Slack surely did not post (429); an ambiguous failure
    # (5xx, a timeout) ends the attempt, and the next one looks for the post before posting again.
    ritual_client: WebClient | None = None

    def __post_init__(self) -> None:
        if self.ritual_client is None:
            self.ritual_client = make_ritual_client(self.client)

    def session(self) -> Session:
        return open_session(self.engine)

    def after_ack(self, job: Callable[[], None]) -> None:
        self.background.submit(_logged(job))


def _logged(job: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except Exception:  # a failed follow-up must not vanish silently
            logging.getLogger("pacer.background").exception("background job failed")

    return run


@dataclass
class Command:
    """One slash command as a handler sees it."""

    services: Services
    session: Session
    actor: Actor
    name: str
    text: str
    user_id: str
    channel_id: str | None
    trigger_id: str | None
    now: datetime
    outcome: str = "ok"  # for the request log line
    follow_ups: list[Callable[[], None]] = field(default_factory=list)


Handler = Callable[[Command], dict]


@dataclass
class Interaction:
    """One button press (block_actions) or modal submission (view_submission) as a handler sees
    it. ``respond`` answers privately where the button was (after the acknowledgement)."""

    services: Services
    session: Session
    actor: Actor
    body: dict
    user_id: str
    trigger_id: str | None
    now: datetime
    respond: Callable[..., object] | None = None
    outcome: str = "ok"
    follow_ups: list[Callable[[], None]] = field(default_factory=list)

    @property
    def action(self) -> dict:
        """The pressed button (block_actions): its action_id, value, block_id."""
        return (self.body.get("actions") or [{}])[0]

    @property
    def view(self) -> dict:
        return self.body.get("view") or {}


InteractionHandler = Callable[[Interaction], dict | None]


def make_client(settings: Settings) -> WebClient:
    """A Web API client that retries 429s (honouring Retry-After), 5xx and dropped connections."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=10,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def make_ritual_client(client: WebClient) -> WebClient:
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=30,
        # Only 429s: Slack did not act on them. A 5xx or a timeout may have posted, so the attempt
        # ends and the next one looks in the channel before posting again.
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=5)],
    )


def build_app(services: Services) -> App:
    settings = services.settings
    app = App(
        signing_secret=settings.signing_secret,
        client=services.client,
        # Our handlers are fast and store before acknowledging; running them before the response
        # avoids Bolt's 10 ms polling for ack() and guarantees nothing is acknowledged unstored.
        process_before_response=True,
        token_verification_enabled=False,  # no auth.test call at boot: start even if Slack is slow
        raise_error_for_unhandled_request=False,
    )
    from bot.admin import command as admin
    from bot.home import listeners as home
    from bot.leaderboard import command as leaderboard_command
    from bot.log import command as log_command
    from bot.scorecard import command as scorecard_command

    register_command(app, services, "/log", log_command.handle)
    register_command(app, services, "/scorecard", scorecard_command.handle)
    register_command(app, services, "/pacer", admin.handle)
    register_command(app, services, "/leaderboard", leaderboard_command.handle)
    home.register(app, services)
    from bot.coaching import command as coach_command
    from bot.coaching import thread_replies as coaching_events

    register_command(app, services, "/coach", coach_command.handle)
    coaching_events.register(app, services)
    from bot.contests import lag_buttons as lag_actions

    lag_actions.register(app, services)
    from bot.contests import command as contest_command

    contest_command.register(app, services)
    from bot import share
    from bot.admin import settings_form as settings_modal
    from bot.log import form as log_modal

    log_modal.register(app, services)  # the /log form, and "Log activity" on digests
    settings_modal.register(app, services)  # the team settings form (/pacer alone)
    share.register(app, services)  # Share to channel, My scorecard, Add action item
    return app


def register_action(app: App, services: Services, action_id, handler: InteractionHandler) -> None:
    """A button: acknowledged at once with what the handler returns; a refusal (not a manager,
    already launched…) is answered privately where the button was, and changes nothing."""

    def listener(ack, body: dict, respond) -> None:
        started = time.perf_counter()
        reply, outcome, follow_ups = run_interaction(services, handler, body, respond)
        ack()
        if reply is not None and reply.get("problem"):
            text = reply["problem"]
            if body.get("response_url"):
                follow_ups.insert(
                    0,
                    lambda: respond(text=text, response_type="ephemeral", replace_original=False),
                )
            else:  # a Home-tab button has nowhere to answer in: say it privately
                user = (body.get("user") or {}).get("id")
                follow_ups.insert(
                    0,
                    lambda: services.client.chat_postMessage(
                        channel=user, text=messages.plain(text), blocks=messages.section(text)
                    ),
                )
        for job in follow_ups:
            services.after_ack(job)
        _log_interaction(body, (body.get("actions") or [{}])[0].get("action_id"), outcome, started)

    app.action(action_id)(listener)


def register_view(
    app: App, services: Services, callback_id: str, handler: InteractionHandler
) -> None:
    """A modal's submission: the handler's dict is the acknowledgement (``response_action:
    errors`` keeps the modal open with the errors on their fields; nothing is stored then)."""

    def listener(ack, body: dict) -> None:
        started = time.perf_counter()
        reply, outcome, follow_ups = run_interaction(services, handler, body, None)
        if reply is not None and reply.get("problem"):
            reply = {"response_action": "update", "view": messages.notice_view(reply["problem"])}
        ack(**(reply or {}))
        for job in follow_ups:
            services.after_ack(job)
        _log_interaction(body, callback_id, outcome, started)

    app.view(callback_id)(listener)


def _log_interaction(body: dict, name: str | None, outcome: str, started: float) -> None:
    log.info(
        "interaction=%s user=%s team=%s outcome=%s duration_ms=%.1f",
        name,
        (body.get("user") or {}).get("id"),
        (body.get("team") or {}).get("id"),
        outcome,
        (time.perf_counter() - started) * 1000,
    )


def run_interaction(
    services: Services, handler: InteractionHandler, body: dict, respond
) -> tuple[dict | None, str, list]:
    """Handle one interaction payload; returns (ack or {"problem": text}, outcome, follow-ups).
    Never raises; a refusal or an error rolls back, so a failed press changes nothing."""
    user = body.get("user") or {}
    team_id = (body.get("team") or {}).get("id") or user.get("team_id") or ""
    enterprise_id = (body.get("enterprise") or {}).get("id")
    with services.session() as session:
        try:
            now = services.clock()
            actor = resolve_actor(
                session, team_id, enterprise_id, user.get("id") or "", services.settings.admins, now
            )
            interaction = Interaction(
                services=services,
                session=session,
                actor=actor,
                body=body,
                user_id=actor.user_id,
                trigger_id=body.get("trigger_id"),
                now=now,
                respond=respond,
            )
            reply = handler(interaction)
            return reply, interaction.outcome, interaction.follow_ups
        except (Refusal, ParseError) as refusal:
            session.rollback()
            return {"problem": str(refusal)}, f"refused:{type(refusal).__name__}", []
        except OperationalError:
            session.rollback()
            logging.getLogger("pacer").exception("interaction: database unavailable")
            return (
                {
                    "problem": "Pacer's database is busy or unreachable right now, so nothing was "
                    "changed. Try again in a moment."
                },
                "database_unavailable",
                [],
            )
        except Exception:
            session.rollback()
            logging.getLogger("pacer").exception("interaction failed")
            return (
                {
                    "problem": "Pacer hit an unexpected error and changed nothing. Try again, or "
                    "use the slash command (`/contest help`, `/coach help`)."
                },
                "error",
                [],
            )


def register_command(app: App, services: Services, name: str, handler: Handler) -> None:
    def listener(ack, body: dict) -> None:
        started = time.perf_counter()
        reply, outcome, follow_ups = run_command(services, name, handler, body)
        ack(**reply)
        for job in follow_ups:
            services.after_ack(job)
        log.info(
            "command=%s user=%s team=%s outcome=%s duration_ms=%.1f",
            name,
            body.get("user_id"),
            body.get("team_id"),
            outcome,
            (time.perf_counter() - started) * 1000,
        )

    app.command(name)(listener)


def run_command(
    services: Services, name: str, handler: Handler, body: dict
) -> tuple[dict, str, list]:
    """Handle one slash command body; returns (reply, outcome, follow-up jobs). Never raises."""
    with services.session() as session:
        try:
            now = services.clock()
            actor = resolve_actor(
                session,
                body.get("team_id") or "",
                body.get("enterprise_id"),
                body.get("user_id") or "",
                services.settings.admins,
                now,
            )
            command = Command(
                services=services,
                session=session,
                actor=actor,
                name=name,
                text=(body.get("text") or "").strip(),
                user_id=actor.user_id,
                channel_id=body.get("channel_id"),
                trigger_id=body.get("trigger_id"),
                now=now,
            )
            reply = handler(command)
            if "<@" in (reply.get("text") or ""):  # names, where Pacer knows them
                from bot.people import name_mentions

                reply["text"] = name_mentions(session, actor.workspace_id, reply["text"])
            return reply, command.outcome, command.follow_ups
        except (Refusal, ParseError) as refusal:
            session.rollback()
            from bot.help import with_command_hint  # every error reply shows a command to type

            text = with_command_hint(str(refusal), name)
            return messages.problem(text), f"refused:{type(refusal).__name__}", []
        except OperationalError:
            session.rollback()
            logging.getLogger("pacer").exception("command %s: database unavailable", name)
            return (
                messages.problem(
                    "Pacer's database is busy or unreachable right now, so nothing was stored. "
                    "Try the same command again in a moment."
                ),
                "database_unavailable",
                [],
            )
        except Exception:
            session.rollback()
            logging.getLogger("pacer").exception("command %s failed", name)
            return (
                messages.problem(
                    "Pacer hit an unexpected error and could not finish this command. "
                    f"Check with `/scorecard` before trying again; `{name} help` shows the forms it takes."
                ),
                "error",
                [],
            )

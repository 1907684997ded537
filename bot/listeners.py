"""How a listener is registered with Bolt: every slash command, button, form and event goes
through one of these, so each is handled the same way. The handler runs in the request context
(bot.context: who is asking, one transaction), its answer becomes Slack's acknowledgement within
3 s, its follow-ups run after the ack, and each request leaves exactly one log line."""

import logging
import threading
import time
from collections.abc import Callable
from re import Pattern

from slack_bolt import App

from bot import messages
from bot.after_ack import Handoff, run_logged
from bot.context import Command, Handled, Interaction, Request, handle, where
from bot.people import name_mentions
from bot.services import Services

log = logging.getLogger("pacer.requests")

# The CPU time of this thread when its request arrived (bot/server.py), for the log line's
# cpu_ms: what a request costs before its acknowledgement, the signature check included.
_arrived = threading.local()

CommandHandler = Callable[[Command], dict]
InteractionHandler = Callable[[Interaction], dict | None]
RefusalHandler = Callable[[Interaction, str], dict | None]


def request_started() -> None:
    _arrived.cpu = time.thread_time()


def _cpu_ms(listener_started: float) -> float:
    """CPU ms this thread spent on the request so far: since it arrived at the HTTP edge, else
    (Socket Mode, tests) since the listener started."""
    arrived = getattr(_arrived, "cpu", None)
    _arrived.cpu = None  # one request's mark, never the next one's
    return (time.thread_time() - (listener_started if arrived is None else arrived)) * 1000


def register_command(app: App, services: Services, name: str, handler: CommandHandler) -> None:
    def listener(ack, body: dict, context) -> None:
        started, cpu_started = time.perf_counter(), time.thread_time()
        done = handle(
            services,
            body,
            handler,
            lambda **fields: Command(name=name, **fields),
            command=name,
            describe=_names_for_mentions,
            context=context,
        )
        ack(**(done.reply if done.problem is None else messages.problem(done.problem)))
        cpu_ms = _cpu_ms(cpu_started)
        _follow_up(services, done)
        log.info(
            "command=%s user=%s team=%s outcome=%s duration_ms=%.1f cpu_ms=%.2f",
            name,
            body.get("user_id"),
            body.get("team_id"),
            done.outcome,
            _ms(started),
            cpu_ms,
        )

    app.command(name)(listener)


def _names_for_mentions(request: Request, reply: dict | None) -> dict | None:
    """A reply's plain text shows people's names, where Pacer knows them, not their IDs."""
    if reply and "<@" in (reply.get("text") or ""):
        reply["text"] = name_mentions(request.session, request.actor.workspace_id, reply["text"])
    return reply


def register_action(
    app: App,
    services: Services,
    action_id: str | Pattern,
    handler: InteractionHandler,
    on_refusal: RefusalHandler | None = None,
) -> None:
    """A button: acknowledged at once; a refusal (not a manager, already launched…) is answered
    privately where the button was, and changes nothing. A handler that returns
    ``{"problem": text}`` is answered the same way but keeps its follow-ups (a stale copy of a
    message loses its buttons)."""

    def listener(ack, body: dict, respond, context) -> None:
        started = time.perf_counter()
        done = handle(
            services,
            body,
            handler,
            lambda **fields: Interaction(respond=respond, **fields),
            on_refusal=on_refusal,
            context=context,
        )
        ack()
        problem = _problem_of(done)
        if problem is not None:
            done.follow_ups.insert(0, _answer_privately(services, body, respond, problem, context))
        _follow_up(services, done)
        _log_interaction(body, (body.get("actions") or [{}])[0].get("action_id"), done, started)

    app.action(action_id)(listener)


def _answer_privately(
    services: Services, body: dict, respond, text: str, context
) -> Callable[[], None]:
    if body.get("response_url"):
        return lambda: respond(text=text, response_type="ephemeral", replace_original=False)
    # a Home-tab button has nowhere to answer in: say it in a direct message, with the token of
    # the workspace the button was pressed in
    team_id, enterprise_id, user = where(body, context)

    def say() -> None:
        clients = services.clients_for(team_id, enterprise_id)
        if clients is not None:
            clients.client.chat_postMessage(
                channel=user, text=messages.plain(text), blocks=messages.section(text)
            )

    return say


def register_view(
    app: App, services: Services, callback_id: str, handler: InteractionHandler
) -> None:
    """A form's submission: the handler's dict is the acknowledgement (``response_action:
    errors`` keeps the form open with the errors on their fields; nothing is stored then)."""

    def listener(ack, body: dict, context) -> None:
        started = time.perf_counter()
        done = handle(services, body, handler, Interaction, context=context)
        reply, problem = done.reply, _problem_of(done)
        if problem is not None:
            reply = {"response_action": "update", "view": messages.notice_view(problem)}
        ack(**(reply or {}))
        _follow_up(services, done)
        _log_interaction(body, callback_id, done, started)

    app.view(callback_id)(listener)


def _problem_of(done: Handled) -> str | None:
    return done.problem if done.problem is not None else (done.reply or {}).get("problem")


def _follow_up(services: Services, done: Handled) -> None:
    for job in done.follow_ups:
        if isinstance(job, Handoff):
            run_logged(job)  # it only queues work: no pool thread needed
        else:
            services.after_ack(job)


def _log_interaction(body: dict, name: str | None, done: Handled, started: float) -> None:
    log.info(
        "interaction=%s user=%s team=%s outcome=%s duration_ms=%.1f",
        name,
        (body.get("user") or {}).get("id"),
        (body.get("team") or {}).get("id"),
        done.outcome,
        _ms(started),
    )


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000

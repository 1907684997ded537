"""Opening a modal before the acknowledgement, the one way Pacer does it.

A trigger_id lasts 3 seconds, so views.open runs before Pacer answers Slack, and Slack waits
3 seconds for that answer. The call goes through the workspace's ``modal_client``: no retries, 2.5 s
at most. Whatever goes wrong (Slack refuses, rate-limits, is slow or can't be reached), the
person is told what happened and what to type instead, and the request changes nothing: the
refusal rolls back its unit of work (bot/context.py)."""

from __future__ import annotations

import logging

from bot import messages
from bot.context import Request
from bot.replies import Problem
from bot.services import MODAL_TIMEOUT
from bot.slack_failures import describe

log = logging.getLogger("pacer")


def open_modal(request: Request, view: dict, *, what: str, instead: str) -> None:
    """Open ``view`` with the request's trigger, or raise a Problem: "Slack didn't open
    {what} ({why}), so nothing changed. {instead}" (``instead``: the command to type)."""
    why = try_open(request, view)
    if why is not None:
        raise Problem(f"Slack didn't open {what} ({why}), so nothing changed. {instead}")


def try_open(request: Request, view: dict) -> str | None:
    """Open ``view``; None when Slack did, else why not, in words for the person. After one
    failure the trigger is not tried again: a second wait would miss Slack's 3 seconds."""
    if not request.trigger_id:
        return "Slack sent no trigger to open it with"
    if request.modal_failed:
        return request.modal_failed
    clients = request.clients  # the request's own workspace's token
    if clients is None:
        request.modal_failed = "Pacer isn't installed in this workspace any more"
        return request.modal_failed
    try:
        clients.modal_client.views_open(trigger_id=request.trigger_id, view=view)
    except Exception as error:  # any failure gets an answer; none may reach the person raw
        failure = describe(error)
        log.warning("views.open failed (%s: %s)", failure.kind, failure.detail)
        request.modal_failed = _why(failure.kind, failure.detail)
        return request.modal_failed
    return None


def open_notice(request: Request, text: str) -> bool:
    """``text`` (a refused press's reason) in a small modal; False when Slack didn't open it,
    so the caller says it elsewhere (a Home button has no message to answer in)."""
    return try_open(request, messages.notice_view(text)) is None


def _why(kind: str, detail: str) -> str:
    if kind == "ratelimited":
        return "Slack is limiting how often Pacer may call it just now"
    if kind == "timeout":
        return f"Slack didn't answer within {MODAL_TIMEOUT:g} seconds"
    if kind in ("unreachable", "other"):
        return "Pacer couldn't reach Slack"
    if kind == "slack_error":
        return "Slack had an error"
    return messages.escape(detail)  # Slack's own reason, e.g. expired_trigger_id

"""Refusals as replies: one place turns a refusal (typed data from rituals/, a parse error, or a
problem the Slack layer found itself) into what the person reads in Slack: mrkdwn, mentions,
and a command that would work. Every error reply ends with one: when the text names none, the
refused command's own help is appended.

Each refusal type of rituals/refusals.py has one function here, registered with
``@explains(Type)``; ``tests/bot/test_replies.py`` checks that none is missing."""

import re
from collections.abc import Callable

from bot.parsing import ParseError
from rituals.refusals import Refusal

COMMAND = re.compile(r"`/[a-z]")  # a backticked slash command: `/log call 12`

Explainer = Callable[[Refusal], str]
_EXPLAINERS: dict[type[Refusal], Explainer] = {}


class Problem(Exception):
    """A refusal decided in the Slack layer, already worded for Slack (mrkdwn)."""


def explains(kind: type[Refusal]) -> Callable[[Explainer], Explainer]:
    """Register the Slack wording of one refusal type."""

    def register(explainer: Explainer) -> Explainer:
        _EXPLAINERS[kind] = explainer
        return explainer

    return register


def explainer_for(kind: type) -> Explainer | None:
    return next((_EXPLAINERS[k] for k in kind.__mro__ if k in _EXPLAINERS), None)


def explain(refusal: Exception, command: str | None = None) -> str:
    """The reply's text for a refusal; with ``command`` ("/log"), one that shows a command."""
    explainer = explainer_for(type(refusal)) if isinstance(refusal, Refusal) else None
    text = explainer(refusal) if explainer is not None else str(refusal)
    return with_command_hint(text, command) if command else text


def has_command(text: str) -> bool:
    return bool(COMMAND.search(text or ""))


def with_command_hint(text: str, command: str) -> str:
    """``text`` unchanged when it already shows a command to type; else with "`/log help`
    shows every form." appended (``command`` is the slash command that was refused)."""
    if has_command(text):
        return text
    name = command if command.startswith("/") else f"/{command}"
    return f"{text.rstrip()} `{name} help` shows every form."


# -- people and teams ---------------------------------------------------------------------------


# -- logging activity ---------------------------------------------------------------------------


# -- contests and the lag check -----------------------------------------------------------------


# -- coaching -----------------------------------------------------------------------------------


# -- ritual runs --------------------------------------------------------------------------------


__all__ = ["ParseError", "Problem", "Refusal", "explain", "explains", "with_command_hint"]

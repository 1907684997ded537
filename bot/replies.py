"""Refusals as replies: one place turns a refusal (typed data from rituals/, a parse error, or a
problem the Slack layer found itself) into what the person reads: mrkdwn, with a command that
would work. Every error reply ends with one: when the text names none, the refused command's own
help is appended."""

import re

from bot.parsing import ParseError
from rituals.refusals import Refusal

COMMAND = re.compile(r"`/[a-z]")  # a backticked slash command: `/log call 12`


class Problem(Exception):
    """A refusal decided in the Slack layer, already worded for Slack (mrkdwn)."""


def explain(refusal: Exception, command: str | None = None) -> str:
    """The reply's text for a refusal; with ``command`` ("/log"), one that shows a command."""
    text = str(refusal)
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


__all__ = ["ParseError", "Problem", "Refusal", "explain", "has_command", "with_command_hint"]

"""Help: each command's own forms and examples (`/log help` …), and the rule that every error
reply ends with a command that would work.

`/pacer help` is the overview of every command (templates/help.md.j2); `/log help` shows the
forms of /log with the asker's own KPI words (templates/log_help.md.j2); `/scorecard help`,
`/leaderboard help`, `/contest help` and `/coach help` are answered by their handlers.

A refusal or a parse error says what was wrong and what would work, as a backticked command
(`/log call 12`). Most say it themselves; :func:`with_command_hint` is the net under them: a
reply without any backticked command gets the command's own help command appended."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from bot import messages
from bot.examples import article, example_log, log_words

if TYPE_CHECKING:  # bot.app imports this module
    from bot.app import Command

COMMAND = re.compile(r"`/[a-z]")  # a backticked slash command: `/log call 12`


def has_command(text: str) -> bool:
    return bool(COMMAND.search(text or ""))


def with_command_hint(text: str, command: str) -> str:
    """``text`` unchanged when it already shows a command to type; else with "`/log help`
    shows every form." appended (``command`` is the slash command that was refused)."""
    if has_command(text):
        return text
    name = command if command.startswith("/") else f"/{command}"
    return f"{text.rstrip()} `{name} help` shows every form."


def log_help(cmd: Command) -> dict:
    """`/log help`: the forms of /log, with examples in the asker's own KPI words (a manager's
    or a newcomer's: the first role's), and the words of every KPI they can log."""
    process = cmd.actor.process
    role = cmd.actor.role if process.has_role(cmd.actor.role) else process.roles[0].key
    words = log_words(process)[role]
    own = [k for k in process.role(role).scorecard if process.kpi(k).recorded_by in (None, role)]
    example = example_log(process, role)
    second = words[own[1]] if len(own) > 1 else None
    credit, recorder = example, None
    for r in process.roles:
        for key in r.scorecard:
            kpi = process.kpi(key)
            if kpi.recorded_by and kpi.recorded_by != r.key and process.has_role(kpi.recorded_by):
                credit = f"{log_words(process)[r.key][key]} 1"
                name = process.role(kpi.recorded_by).name
                recorder = f"{article(name)} {name}"
                break
        if recorder:
            break
    text = messages.render(
        "log_help.md.j2",
        example=example,
        count_first=" ".join(reversed(example.split(" ", 1))),
        multi=f"{example} {second} 3" if second else example,
        iso_day=(cmd.now - timedelta(days=2)).date().isoformat(),
        backdate_days=process.backdate_days,
        tz=_timezone_of(cmd),
        kpis=[(words[k], process.kpi(k).name) for k in process.role(role).scorecard],
        role_name=process.role(role).name,
        own=role == cmd.actor.role,
        credit=credit,
        recorder=recorder,
        max_count=process.max_count,
    )
    return messages.message(
        f"How to log with /log: e.g. /log {example}, several at once, backdated, for a rep, or "
        "undone.",
        messages.section(text),
    )


def _timezone_of(cmd: Command) -> str:
    from storage import queries

    profile = queries.get_profile(cmd.session, cmd.actor.workspace_id, cmd.user_id)
    return (profile.tz if profile and profile.tz else None) or cmd.actor.process.timezone

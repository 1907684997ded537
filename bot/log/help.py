"""`/log help`: the forms of /log, with examples in the asker's own KPI words."""

from datetime import timedelta

from bot import messages
from bot.context import Command
from bot.examples import article, example_log, log_words
from storage import people_queries


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
    profile = people_queries.get_profile(cmd.session, cmd.actor.workspace_id, cmd.user_id)
    return (profile.tz if profile and profile.tz else None) or cmd.actor.process.timezone

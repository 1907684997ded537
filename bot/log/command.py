"""/log: record activity, take it back, and show where the rep now stands (after the
acknowledgement, which only confirms what was stored: bot/log/reply.py)."""

from bot import messages
from bot.context import Command
from bot.home.listeners import refresh_job_for
from bot.log import reply
from bot.log.form import open_from_command
from bot.log.help import log_help
from bot.parsing import ParseError, parse_log, split_target
from bot.people import known_profiles, resolve_user
from rituals import dates
from rituals.activity import (
    LogItem,
    LogRequest,
    record_activity,
    rep_today,
    target_rep,
    undo_last,
)
from rituals.teams import can_view
from storage import log_queries


def handle(cmd: Command) -> dict:
    word = cmd.text.lower()
    if not word:  # `/log` alone: the form (bot/log/form.py)
        return open_from_command(cmd)
    if word in ("help", "?"):
        cmd.outcome = "help"
        return log_help(cmd)
    if word.split()[0] == "undo":
        if word != "undo":
            raise ParseError("`/log undo` takes back your last log and takes nothing after it.")
        return undo(cmd)
    return log(cmd)


def log(cmd: Command) -> dict:
    actor, process = cmd.actor, cmd.actor.process
    mention, body = split_target(cmd.text)
    rep_id = resolve_user(cmd, mention) if mention else cmd.user_id
    rep = target_rep(cmd.session, actor, rep_id)
    profile = known_profiles(cmd, cmd.user_id, rep_id).get(rep_id)
    tz = profile.tz if profile else None
    parsed = parse_log(body, process, rep.role, rep_today(process, tz, cmd.now))
    recorded = record_activity(
        cmd.session,
        actor,
        LogRequest(
            items=[LogItem(key, count) for key, count in parsed.items],
            rep_id=rep_id,
            occurred_on=parsed.when,
            note=parsed.note,
            source="slash",
            trigger_id=cmd.trigger_id,
        ),
        cmd.now,
        rep_tz=tz,
        rep=rep,
    )
    cmd.outcome = "duplicate" if recorded.duplicate else "logged"
    if recorded.credited and not recorded.duplicate:
        cmd.follow_ups.append(_tell_rep(cmd, recorded))
    if not recorded.duplicate:  # the Home tab of the rep (and of who logged) shows it
        cmd.follow_ups.append(
            refresh_job_for(cmd.services, actor.workspace_id, [recorded.rep.user_id, cmd.user_id])
        )
    fields = dict(
        rows=recorded.rows,
        kpi_names={k.key: k.name for k in process.kpis},
        credited=recorded.credited,
        rep_id=rep_id,
        day_label=dates.relative(recorded.occurred_on, rep_today(process, tz, cmd.now)),
        note=recorded.rows[0].note,
        duplicate=recorded.duplicate,
    )
    if can_view(actor, rep_id):  # crediting a rep doesn't open a private scorecard
        reply.standings_later(cmd, fields, recorded.rep, tz)  # after the ack: bot/log/reply.py
    return reply.confirmation(fields)


def _tell_rep(cmd: Command, recorded):
    """The rep hears, privately, that someone credited them."""
    by = cmd.user_id
    names = {k.key: k.name for k in cmd.actor.process.kpis}
    what = ", ".join(f"{r.count} {messages.escape(names.get(r.kpi, r.kpi))}" for r in recorded.rows)
    text = f"{messages.mention(by)} credited you with *{what}* on {dates.short(recorded.occurred_on)}. See it with `/scorecard`."
    return cmd.tell_privately_later(recorded.rep.user_id, text)


def undo(cmd: Command) -> dict:
    rows = undo_last(cmd.session, cmd.actor, cmd.now, cmd.trigger_id)
    cmd.outcome = "undone"
    cmd.follow_ups.append(
        refresh_job_for(cmd.services, cmd.actor.workspace_id, [rows[0].rep_id, cmd.user_id])
    )
    more = bool(log_queries.last_batch(cmd.session, cmd.actor.workspace_id, cmd.user_id))
    tz = cmd.actor.process.calendar.tz
    return messages.text_message(
        "log_undone.md.j2",
        rows=rows,
        kpi_names={k.key: k.name for k in cmd.actor.process.kpis},
        user_id=cmd.user_id,
        day_label=f"{dates.short(rows[0].occurred_on)}",
        logged_label=f"{dates.short_time(rows[0].created_at.astimezone(tz))}",
        more=more,
    )

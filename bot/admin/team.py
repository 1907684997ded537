"""/pacer team: the roster, `add @rep ROLE [starting DATE]` (a new hire, or someone back) and
`remove @rep [on DATE]` (their last day, inclusive; today by default). The rules of dates are
rituals/tenure.py; a removed rep's row and logs stay, so past numbers keep them."""

import re
from datetime import date, timedelta

from bot import messages
from bot.admin.welcome import welcome_job
from bot.context import Command
from bot.examples import example_log
from bot.parsing import ParseError, parse_mention, quoted
from bot.people import refresh_later, resolve_user
from bot.replies import Problem, explain
from rituals import dates, tenure
from rituals.process import Process
from rituals.process.values import day_index, percent_text
from rituals.teams import require_manager
from storage import people_queries
from storage.models import Member

START_WORDS = ("starting", "starts", "start", "from")
ON_WORDS = ("on", "last", "leaving")
RELATIVE = {"today": 0, "tomorrow": 1, "yesterday": -1}


def team(cmd: Command, args: list[str]) -> dict:
    if not args:
        return roster(cmd)
    action = args[0].lower()
    if action == "add":
        return team_add(cmd, args[1:])
    if action in ("remove", "rm", "delete"):
        return team_remove(cmd, args[1:])
    raise ParseError(
        "Try `/pacer team` (the roster), `/pacer team add @user sdr [starting 2026-11-30]` or "
        "`/pacer team remove @user [on 2026-12-04]`."
    )


def roster(cmd: Command) -> dict:
    today = _today(cmd)
    members = people_queries.roster(cmd.session, cmd.actor.team_id, today)
    process = cmd.actor.process
    refresh_later(cmd, *(m.user_id for m in members))
    return messages.text_message(
        "roster.md.j2",
        team=cmd.actor.team,
        members=members,
        notes={m.user_id: tenure.describe(m, today) for m in members},
        process=process,
        roles={r.key: r.name for r in process.roles},
    )


def one_person(cmd: Command, args: list[str], usage: str) -> tuple[str, list[str]]:
    if not args or (mention := parse_mention(args[0])) is None:
        raise ParseError(f"Name a person with @, e.g. `{usage}`.")
    return resolve_user(cmd, mention), args[1:]


def new_member(cmd: Command, user_id: str) -> Member:
    return Member(
        workspace_id=cmd.actor.workspace_id,
        team_id=cmd.actor.team_id,
        user_id=user_id,
        added_by=cmd.user_id,
        added_at=cmd.now,
    )


def done(text: str) -> dict:
    return messages.message(text.replace("*", ""), messages.section(text))


def _today(cmd: Command) -> date:
    return cmd.actor.process.calendar.local_date(cmd.now)


def role_key(process: Process, word: str) -> str | None:
    word = word.lower()
    for role in process.roles:
        if word in (role.key, role.name.lower(), role.key + "s"):
            return role.key
    return None


def _date(cmd: Command, words: list[str], usage: str) -> date:
    """The date after `starting` or `on`: YYYY-MM-DD, today, tomorrow, yesterday, or a weekday
    (the coming one, today included: `starting monday` is next Monday)."""
    if len(words) != 1:
        what = "nothing" if not words else " ".join(words)
        raise ParseError(
            f"Give one date there, as YYYY-MM-DD (got {quoted(what)}), e.g. `{usage}`."
        )
    word = words[0].lower().rstrip(".,")
    today = _today(cmd)
    if word in RELATIVE:
        return today + timedelta(days=RELATIVE[word])
    weekday = day_index(word) if word.isalpha() else None
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    try:
        if len(word) != 10:
            raise ValueError
        return date.fromisoformat(word)
    except ValueError:
        raise ParseError(
            f"{quoted(words[0])} isn't a date; write it as YYYY-MM-DD (or today, tomorrow, "
            f"monday…), e.g. `{usage}`."
        ) from None


def _refused(refusal: tenure.TenureDateRefused, who: str, command: str) -> Problem:
    """The refusal in replies.py's words, with this person and a command that would work
    (``command`` without its date: `/pacer team add @sam sdr`)."""
    example = command
    if not (refusal.what == "start" and refusal.why == "too_far_back"):
        example += f" {'starting' if refusal.what == 'start' else 'on'} {refusal.bound}"
    text = explain(refusal).replace("@rep", who)
    return Problem(re.sub(r"`/pacer team [^`]*`", f"`{example}`", text, count=1))


def _ramp_note(process: Process, role: str) -> str:
    ramp = process.role(role).ramp
    if not ramp:
        return ""
    months = "month" if len(ramp) == 1 else f"{len(ramp)} months"
    shares = " → ".join(percent_text(r) for r in ramp)
    return f" (ramp {shares} over the first {months})"


def team_add(cmd: Command, args: list[str], *, again: bool = False) -> dict:
    require_manager(cmd.actor, "add people to the team")
    process = cmd.actor.process
    first_role = process.roles[0].key
    roles = ", ".join(f"`{r.key}`" for r in process.roles)
    user_id, rest = one_person(cmd, args, f"/pacer team add @user {first_role}")
    who = messages.mention(user_id)
    if not rest or rest[0].lower() in START_WORDS:
        raise ParseError(
            f"Give one role after the person, e.g. `/pacer team add {who} {first_role}`. "
            f"Roles: {roles}."
        )
    role = role_key(process, rest[0])
    if role is None:
        raise ParseError(
            f"`{messages.escape(rest[0])}` isn't a role in this process. Roles: {roles}, "
            f"e.g. `/pacer team add {who} {first_role}`."
        )
    example = f"/pacer team add {who} {role} starting {_today(cmd) + timedelta(days=7)}"
    start = None
    if len(rest) > 1:
        if rest[1].lower() not in START_WORDS:
            raise ParseError(
                f"After the role comes nothing, or a start date: `{example}` "
                f"(not {quoted(' '.join(rest[1:]))})."
            )
        start = _date(cmd, rest[2:], example)
    today = _today(cmd)
    if start is not None:
        try:
            tenure.check_start(start, today)
        except tenure.TenureDateRefused as refusal:
            raise _refused(refusal, str(who), f"/pacer team add {who} {role}") from None
    member = people_queries.get_member(cmd.session, cmd.actor.workspace_id, user_id)
    role_name = messages.escape(process.role(role).name)
    team_name = messages.escape(cmd.actor.team.name)
    verb = f"Added {who} to *{team_name}* as {role_name}"
    here = member is not None and tenure.on_roster(member, today)
    if member is None:
        member = new_member(cmd, user_id)
    elif here and member.team_id == cmd.actor.team_id and member.role == role:
        if member.last_day is None and (start is None or start == member.started_on):
            return done(f"{who} is already on the team as {role_name}; nothing changed.")
        verb = f"{who} stays on *{team_name}* as {role_name}"
        if member.last_day is not None:
            verb += f" (their last day, {dates.long(member.last_day)}, is cancelled)"
    elif here and member.role:
        before = process.role(member.role).name if process.has_role(member.role) else member.role
        verb = f"Moved {who} from {messages.escape(before)} to {role_name}"
    if not here:
        # Off the team means off it entirely: back, they start afresh (no manager rights) on
        # the day they come back, so the months they were away don't count against them.
        if member.id is not None:
            member.is_manager = False
            start = start or today
        member.started_on = start
    elif start is not None:
        member.started_on = start
    member.team_id, member.role, member.active = cmd.actor.team_id, role, True
    member.removed_at, member.last_day = None, None
    if member.id is None and not people_queries.add_member(cmd.session, member) and not again:
        # Added by a concurrent request a moment ago: answer as the later of the two would.
        return team_add(cmd, args, again=True)
    people_queries.save_member(cmd.session, member)
    refresh_later(cmd, user_id)
    # a private first-run message, once per person and team
    cmd.follow_ups.append(
        welcome_job(cmd.services, cmd.actor.workspace_id, cmd.actor.team, member, process)
    )
    when = ""
    if member.started_on is not None:
        when = (
            f" starting {dates.long(member.started_on)}: goals count from that day"
            f"{_ramp_note(process, role)}"
        )
    return done(
        f"{verb}{when}. "
        f"Their scorecard: {', '.join(messages.escape(process.kpi(k).name) for k in process.role(role).scorecard)}. "
        f"They log with `/log {example_log(process, role)}` and see it with `/scorecard`."
    )


def team_remove(cmd: Command, args: list[str]) -> dict:
    require_manager(cmd.actor, "remove people from the team")
    user_id, rest = one_person(cmd, args, "/pacer team remove @user")
    who = messages.mention(user_id)
    today = _today(cmd)
    example = f"/pacer team remove {who} on {today}"
    last = today
    if rest:
        if rest[0].lower() not in ON_WORDS:
            raise ParseError(
                f"`/pacer team remove @user` takes the person and, if it isn't today, their last "
                f"day: `{example}` (not {quoted(' '.join(rest))})."
            )
        words = rest[2:] if rest[0].lower() == "last" and len(rest) > 1 else rest[1:]
        last = _date(cmd, words, example)
    member = people_queries.get_member(cmd.session, cmd.actor.workspace_id, user_id)
    if (
        member is None
        or not tenure.on_roster(member, today)
        or (not cmd.actor.is_admin and member.team_id != cmd.actor.team_id)
    ):
        left = member is not None and tenure.has_left(member, today) and member.last_day
        raise Problem(
            f"{who} isn't on the team"
            + (f" (their last day was {dates.long(member.last_day)})" if left else "")
            + "; nothing changed. See who is with `/pacer team`."
        )
    role = member.role or cmd.actor.process.roles[0].key
    back = f"`/pacer team add {who} {role}`"
    if not rest and tenure.not_started(member, today):
        # A new hire who won't join after all: their start is called off.
        start = member.started_on
        member.active, member.removed_at, member.is_manager = False, cmd.now, False
        people_queries.save_member(cmd.session, member)
        return done(
            f"{who} won't join the team: their start on {dates.long(start)} is called off. "
            f"Add them again any time with {back}."
        )
    try:
        tenure.check_last_day(last, today, member.started_on)
    except tenure.TenureDateRefused as refusal:
        raise _refused(refusal, str(who), f"/pacer team remove {who}") from None
    member.last_day, member.removed_at = last, cmd.now
    people_queries.save_member(cmd.session, member)
    logs = "their logs stay in past numbers"
    if last < today:
        text = f"{who}'s last day was {dates.long(last)}: they're off the team; {logs}."
    elif last == today:
        text = f"{who}'s last day is today, {dates.long(last)}: today's logs still count; {logs}."
    else:
        text = f"{who}'s last day is {dates.long(last)}: they're on the team until then; {logs}."
    return done(f"{text} Changed your mind? {back} keeps them on.")

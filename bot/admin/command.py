"""/pacer: help, the process, and running the team (roster, managers, channel, goals, settings)."""

from bot import messages
from bot.admin.api import api
from bot.admin.goals import goal
from bot.admin.help_topics import HELP_TOPICS
from bot.admin.holidays import holiday
from bot.admin.settings_form import open_from_command
from bot.admin.team import done, new_member, one_person, team
from bot.admin.tv import tv_command
from bot.context import Command
from bot.examples import article, log_words
from bot.parsing import ParseError, parse_channel
from bot.people import refresh_later
from bot.process_drafts import command as process_drafts
from bot.replies import Problem, explain
from rituals import tenure
from rituals.kinds import KINDS, LEADERBOARD, kind_for
from rituals.process import Process
from rituals.refusals import Refusal
from rituals.teams import admins_of, change_process, require_manager
from storage import people_queries, process_queries
from storage.coaching_queries import set_coaching_channel


def handle(cmd: Command) -> dict:
    words = cmd.text.split()
    if not words and cmd.actor.is_manager:  # `/pacer` alone: the settings form, for managers
        return open_from_command(cmd)
    sub = words[0].lower() if words else "help"
    args = words[1:]
    action = SUBCOMMANDS.get(sub)
    if action is None:
        raise ParseError(
            f"`/pacer {messages.escape(sub)}` isn't a Pacer command. {_commands_hint()}"
        )
    cmd.outcome = sub
    return action(cmd, args)


def _commands_hint() -> str:
    return (
        "Commands: "
        + ", ".join(f"`/pacer {name}`" for name in SUBCOMMANDS if name != "?")
        + ". `/pacer help` explains each."
    )


def help_(cmd: Command, args: list[str]) -> dict:
    process = cmd.actor.process
    if args:
        topic = HELP_TOPICS.get(args[0].lower())
        if topic is None:
            raise ParseError(
                f"There's no help on `{messages.escape(args[0])}`. Topics: "
                + ", ".join(f"`/pacer help {name}`" for name in HELP_TOPICS)
                + "; `/pacer help` lists every command."
            )
        return topic(process)
    return messages.text_message(
        "help.md.j2", backdate_days=process.backdate_days, roles=process.roles
    )


def process(cmd: Command, args: list[str]) -> dict:
    """`/pacer process [show]`: the version in force; anything else is about its draft."""
    if not args or args[0].lower() == "show":
        return show_process(cmd, args[1:])
    return process_drafts.handle(cmd, args)


def show_process(cmd: Command, args: list[str]) -> dict:
    version = None
    if cmd.actor.process_version_id:
        row = process_queries.latest_process_version(cmd.session, cmd.actor.team_id)
        version = row.version if row else None
    return cascade_message(cmd.actor.process, version)


def cascade_message(process: Process, version: int | None) -> dict:
    stages = {}
    for stage, activity, kpis in process.cascade():
        for kpi in kpis:
            stages[kpi.key] = (stage.name, activity.name if activity else "—")
    cal = process.calendar
    days = ", ".join(
        d
        for i, d in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
        if i in cal.working_days
    )
    hours = f"{cal.day_start:%H:%M}–{cal.day_end:%H:%M}"
    return messages.text_message(
        "cascade.md.j2",
        process=process,
        version=version,
        stages=stages,
        days=days,
        hours=hours,
        words=log_words(process),
        recorders={r.key: f"{article(r.name)} {r.name} or a manager" for r in process.roles},
    )


def manager(cmd: Command, args: list[str], *, again: bool = False) -> dict:
    require_manager(cmd.actor, "name managers")
    user_id, rest = one_person(cmd, args, "/pacer manager @user")
    off = bool(rest) and rest[0].lower() in ("off", "remove", "no", "false")
    if rest and not off:
        raise ParseError(
            "Try `/pacer manager @user` to make someone a manager, or `/pacer manager @user off`."
        )
    member = people_queries.get_member(cmd.session, cmd.actor.workspace_id, user_id)
    if off:
        if member is None or not member.is_manager:
            raise Problem(
                f"{messages.mention(user_id)} isn't a manager; nothing changed. "
                "See who manages the team with `/pacer team`."
            )
        member.is_manager = False
        people_queries.save_member(cmd.session, member)
        return done(f"{messages.mention(user_id)} is no longer a manager.")
    if member is None:
        member = new_member(cmd, user_id)
    elif not tenure.on_roster(member, cmd.actor.today()):  # back, as a manager only
        member.active, member.removed_at, member.role = True, None, None
        member.started_on, member.last_day = None, None
    member.team_id, member.is_manager = cmd.actor.team_id, True
    if member.id is None and not people_queries.add_member(cmd.session, member) and not again:
        # Named by a concurrent request a moment ago: answer as the later of the two would.
        return manager(cmd, args, again=True)
    people_queries.save_member(cmd.session, member)
    refresh_later(cmd, user_id)
    return done(
        f"{messages.mention(user_id)} manages *{messages.escape(cmd.actor.team.name)}*: they can add people, set goals and "
        "see every scorecard."
    )


def admin(cmd: Command, args: list[str]) -> dict:
    if not cmd.actor.is_admin:
        raise Problem(
            "Only Pacer admins can make admins. "
            + _admins_line(cmd)
            + " An admin can make you one: `/pacer admin @you`."
        )
    user_id, rest = one_person(cmd, args, "/pacer admin @user")
    if rest:
        raise ParseError("`/pacer admin @user` takes one person and nothing after.")
    if user_id in cmd.services.settings.admins or not people_queries.add_admin(
        cmd.session, cmd.actor.workspace_id, user_id, cmd.user_id, cmd.now
    ):
        return done(f"{messages.mention(user_id)} is already a Pacer admin; nothing changed.")
    return done(f"{messages.mention(user_id)} is now a Pacer admin.")


def _admins_line(cmd: Command) -> str:
    admins = admins_of(cmd.session, cmd.actor.workspace_id, cmd.services.settings.admins)
    if not admins:
        return "No admins are set up yet: the operator sets `PACER_ADMINS`."
    return "Admins: " + ", ".join(messages.mention(a) for a in admins) + "."


def channel(cmd: Command, args: list[str]) -> dict:
    team = cmd.actor.team
    if not args:
        return done(
            f"The *{messages.escape(team.name)}* team's rituals post in {messages.channel(team.channel_id)}. "
            "Change it with `/pacer channel #sales`, or `/pacer channel here`."
        )
    require_manager(cmd.actor, "choose the team's channel")
    if len(args) > 1:
        raise ParseError("Give one channel, e.g. `/pacer channel #sales`.")
    channel_id = cmd.channel_id if args[0].lower() == "here" else parse_channel(args[0])
    if not channel_id or channel_id.startswith("D"):
        raise ParseError(
            f"`{messages.escape(args[0])}` isn't a channel I can post in. Pick it from Slack's list as you type #, "
            "or run `/pacer channel here` in the channel."
        )
    people_queries.set_team_channel(cmd.session, team, channel_id)
    return done(
        f"The *{messages.escape(team.name)}* team's digests, leaderboards and contests will post in {messages.channel(channel_id)}. "
        "Invite Pacer there if it isn't a member (`/invite @Pacer`)."
    )


def coaching(cmd: Command, args: list[str]) -> dict:
    """`/pacer coaching` shows where `/coach` opens its threads; `/pacer coaching #channel`
    (or `here`) sets the team's coaching channel; `/pacer coaching off` clears it (threads then
    open in a private conversation of the manager and the rep)."""
    team = cmd.actor.team
    name = messages.escape(team.name)
    if not args:
        where = (
            f"in {messages.channel(team.coaching_channel_id)}"
            if team.coaching_channel_id
            else "in a private conversation of the manager and the rep (no coaching channel set)"
        )
        return done(
            f"*{name}*'s coaching threads (`/coach @rep`) open {where}. "
            "Change it with `/pacer coaching #coaching`, `/pacer coaching here`, or "
            "`/pacer coaching off`."
        )
    require_manager(cmd.actor, "choose where coaching threads open")
    if len(args) > 1:
        raise ParseError(
            "Give one channel, e.g. `/pacer coaching #coaching`, or `/pacer coaching off`."
        )
    if args[0].lower() in ("off", "none", "private", "dm"):
        if not team.coaching_channel_id:
            return done(
                f"*{name}* has no coaching channel; nothing changed. Coaching threads open in "
                "a private conversation of the manager and the rep; set a channel with "
                "`/pacer coaching #coaching`."
            )
        set_coaching_channel(cmd.session, team, None)
        return done(
            f"*{name}*'s coaching threads now open in a private conversation of the manager "
            "and the rep. Set a channel again with `/pacer coaching #coaching`."
        )
    channel_id = cmd.channel_id if args[0].lower() == "here" else parse_channel(args[0])
    if not channel_id or channel_id.startswith("D"):
        raise ParseError(
            f"`{messages.escape(args[0])}` isn't a channel I can post in. Pick it from Slack's "
            "list as you type #, run `/pacer coaching here` in the channel, or "
            "`/pacer coaching off` for private conversations."
        )
    set_coaching_channel(cmd.session, team, channel_id)
    return done(
        f"*{name}*'s coaching threads (`/coach @rep`) will open in "
        f"{messages.channel(channel_id)}. Invite Pacer there if it isn't a member "
        "(`/invite @Pacer`); everyone in the channel can read the threads, so a private "
        "channel of managers and reps suits best."
    )


def timezone(cmd: Command, args: list[str]) -> dict:
    process = cmd.actor.process
    team_name = messages.escape(cmd.actor.team.name)
    if not args:
        return done(
            f"*{team_name}* runs on {process.timezone} time. "
            "Change it with `/pacer timezone Europe/London`."
        )
    require_manager(cmd.actor, "change the team's timezone")
    if len(args) != 1:
        raise ParseError("Give one IANA timezone name, e.g. `/pacer timezone America/Chicago`.")
    try:
        updated, version = change_process(
            cmd.session,
            cmd.actor.team,
            lambda current: current.with_settings(timezone=args[0]),
            loaded_by=cmd.user_id,
            change=f"timezone {args[0]}",
            now=cmd.now,
        )
    except Refusal as refusal:  # what would work: a real IANA name
        raise Problem(f"{explain(refusal)} e.g. `/pacer timezone America/Chicago`.") from None
    return done(
        f"*{team_name}* now runs on {updated.timezone} time (process version {version.version}). "
        "Days, weeks and months follow it from now on."
    )


def visibility(cmd: Command, args: list[str]) -> dict:
    process = cmd.actor.process
    if not args:
        return done(
            f"Scorecards are visible to {_who_sees(process.visibility)}. "
            "Change with `/pacer visibility public` or `/pacer visibility managers`."
        )
    require_manager(cmd.actor, "change who sees scorecards")
    value = args[0].lower()
    if len(args) != 1 or value not in ("public", "managers"):
        raise ParseError(
            "Use `/pacer visibility public` (everyone sees every scorecard, as the method advises) "
            "or `/pacer visibility managers`."
        )
    change_process(
        cmd.session,
        cmd.actor.team,
        lambda current: current.with_settings(visibility=value),
        loaded_by=cmd.user_id,
        change=f"visibility {value}",
        now=cmd.now,
    )
    return done(f"Scorecards are now visible to {_who_sees(value)}.")


def ritual(cmd: Command, args: list[str]) -> dict:
    """`/pacer ritual` shows the schedule; `/pacer ritual daily 17:00`, `… weekly fri 16:00`,
    `… leaderboards 12:00 calls conversations`, `… nudges off` change it (a new process version;
    the clock picks it up within a minute)."""
    process = cmd.actor.process
    usage = _ritual_usage()
    if not args:
        return done(
            f"*{messages.escape(cmd.actor.team.name)}*'s rituals ({process.timezone}): "
            f"{messages.escape(process.rituals.describe())}. Change one with {usage}."
        )
    require_manager(cmd.actor, "change the ritual schedule")
    if len(args) < 2:
        raise ParseError(f"Say which ritual and when (or `off`): {usage}.")
    kind, value = args[0].lower(), " ".join(args[1:])
    if kind_for(kind) is LEADERBOARD and value.lower() not in ("off", "on"):
        value = [
            part.strip() for part in value.split(";") if part.strip()
        ]  # "12:00 calls; 16:00 calls"
    try:
        updated, version = change_process(
            cmd.session,
            cmd.actor.team,
            lambda current: current.with_ritual(kind, value),
            loaded_by=cmd.user_id,
            change=f"ritual {kind} {args[1:]}",
            now=cmd.now,
        )
    except Refusal as refusal:  # what would work: the forms of /pacer ritual
        raise Problem(f"{explain(refusal)}\nFor example: {usage}.") from None
    return done(
        f"Rituals now: {messages.escape(updated.rituals.describe())} ({updated.timezone}; process version "
        f"{version.version}). The clock follows the new schedule within a minute."
    )


def _ritual_usage() -> str:
    """`/pacer ritual daily 17:30`, … : one example for every kind (rituals/kinds.py)."""
    return ", ".join(f"`/pacer ritual {k.field} {k.example}`" for k in KINDS)


def nudges(cmd: Command, args: list[str]) -> dict:
    """A rep's own reminders: `/pacer nudges off` or `on`."""
    member = cmd.actor.member
    if member is None or not member.role:
        raise Problem(
            "Nudges remind reps who have logged nothing by the afternoon; you're not a rep on a "
            "team. A manager can add you as one: `/pacer team add @you sdr`."
        )
    if len(args) != 1 or args[0].lower() not in ("on", "off"):
        state = "on" if member.nudges else "off"
        return done(
            f"Your reminders are {state}. Change with `/pacer nudges off` or `/pacer nudges on`."
        )
    member.nudges = args[0].lower() == "on"
    people_queries.save_member(cmd.session, member)
    if member.nudges:
        at = cmd.actor.process.rituals.nudges
        when = f"{at:%H:%M} your time" if at else "the nudge time (nudges are off for the team)"
        return done(
            f"Reminders are on: if you've logged nothing by {when} on a working day, Pacer "
            "reminds you privately, within your working hours. `/pacer nudges off` stops them."
        )
    return done("Reminders are off. Turn them back on with `/pacer nudges on`.")


def _who_sees(value: str) -> str:
    return "everyone" if value == "public" else "managers and the rep themselves"


SUBCOMMANDS = {
    "help": help_,
    "?": help_,
    "process": process,
    "team": team,
    "manager": manager,
    "admin": admin,
    "channel": channel,
    "coaching": coaching,
    "goal": goal,
    "goals": goal,
    "timezone": timezone,
    "tz": timezone,
    "visibility": visibility,
    "holiday": holiday,
    "holidays": holiday,
    "ritual": ritual,
    "rituals": ritual,
    "nudges": nudges,
    "api": api,
    "tv": tv_command,
}

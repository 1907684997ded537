"""/pacer holiday: the team's days off. `list` (the coming year; anyone may look), and for
managers `add DATE [name]` (a company day off, or a worked public holiday taken off again),
`remove DATE` (a public holiday worked, or a company day off dropped) and `country US [NY]`
(whose public holidays; `off` for none). Each change is a new process version."""

from datetime import date, timedelta

from bot import messages
from bot.context import Command
from bot.parsing import ParseError, quoted
from bot.replies import Problem, explain
from rituals import dates, team_holidays
from rituals.holiday_rules import PUBLIC, country_names, subdivision_names
from rituals.refusals import InvalidProcessChange
from rituals.teams import change_process, require_manager

SHOWN = 25  # days off listed in one reply; `pacer calendar show` has them all
ADD = "`/pacer holiday add 2026-12-24 Christmas Eve`"
REMOVE = "`/pacer holiday remove 2026-11-11`"
USAGE = (
    f"`/pacer holiday list` (the coming days off), {ADD} (a company day off), {REMOVE} (a public "
    "holiday the team works, or a day off dropped) or `/pacer holiday country US NY` (whose public "
    "holidays)"
)


def holiday(cmd: Command, args: list[str]) -> dict:
    action = args[0].lower() if args else "list"
    if action in ("list", "ls", "show"):
        if len(args) > 1:
            raise ParseError(f"`/pacer holiday list` takes nothing after it. Try {USAGE}.")
        return listing(cmd)
    if action in ("add", "off"):
        return add(cmd, args[1:])
    if action in ("remove", "rm", "delete", "work", "worked"):
        return remove(cmd, args[1:])
    if action == "country":
        return country(cmd, args[1:])
    if _date_word(args[0]):
        raise ParseError(
            f"Say what to do with {quoted(args[0])}: `/pacer holiday add {messages.escape(args[0])} "
            f"Company day off` takes it off, `/pacer holiday remove {messages.escape(args[0])}` "
            "makes it a working day."
        )
    raise ParseError(f"{quoted(args[0])} isn't something `/pacer holiday` does. Try {USAGE}.")


def _date_word(word: str) -> bool:
    return word[:1].isdigit() or word.lower() in ("today", "tomorrow", "yesterday")


def _day(cmd: Command, args: list[str], usage: str) -> date:
    if not args:
        raise ParseError(f"Say which day, as YYYY-MM-DD: {usage}.")
    word = args[0].lower().rstrip(".,")
    today = cmd.actor.process.calendar.local_date(cmd.now)
    relative = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if word in relative:
        return today + timedelta(days=relative[word])
    try:
        if len(word) != 10:
            raise ValueError
        return date.fromisoformat(word)
    except ValueError:
        raise ParseError(
            f"{quoted(args[0])} isn't a date; write it as YYYY-MM-DD: {usage}."
        ) from None


def add(cmd: Command, args: list[str]) -> dict:
    require_manager(cmd.actor, "change the team's days off")
    day = _day(cmd, args, ADD)
    name = messages.unescape(cmd.text.split(maxsplit=3)[3]) if len(args) > 1 else None
    today = cmd.actor.process.calendar.local_date(cmd.now)
    found = {}

    def apply(current):
        updated, found["off"] = team_holidays.add_day_off(current, day, name, today)
        return updated

    _, version = change_process(
        cmd.session,
        cmd.actor.team,
        apply,
        loaded_by=cmd.user_id,
        change=f"holiday add {day} {name or ''}".strip(),
        now=cmd.now,
    )
    off = found["off"]
    what = "a public holiday again" if off.source == PUBLIC else "a company day off"
    return _done(
        f"*{dates.long(day)}* is {what} for *{messages.escape(cmd.actor.team.name)}*: "
        f"{messages.escape(off.name)}. Goals, pace, digests, nudges and contests skip it "
        f"(process version {version.version}). Undo with `/pacer holiday remove {day}`; "
        "see them all with `/pacer holiday list`."
    )


def remove(cmd: Command, args: list[str]) -> dict:
    require_manager(cmd.actor, "change the team's days off")
    day = _day(cmd, args, REMOVE)
    if len(args) > 1:
        raise ParseError(f"`/pacer holiday remove` takes one date and nothing after it: {REMOVE}.")
    today = cmd.actor.process.calendar.local_date(cmd.now)
    found = {}

    def apply(current):
        updated, found["off"] = team_holidays.work_day_off(current, day, today)
        return updated

    _, version = change_process(
        cmd.session,
        cmd.actor.team,
        apply,
        loaded_by=cmd.user_id,
        change=f"holiday remove {day}",
        now=cmd.now,
    )
    off = found["off"]
    what = "a public holiday the team works" if off.source == PUBLIC else "no longer a day off"
    return _done(
        f"*{dates.long(day)}* ({messages.escape(off.name)}) is {what}: a working day for goals, "
        f"pace, digests, nudges and contests (process version {version.version}). Undo with "
        f"`/pacer holiday add {day}`."
    )


def country(cmd: Command, args: list[str]) -> dict:
    require_manager(cmd.actor, "change the team's days off")
    usage = "`/pacer holiday country US`, `/pacer holiday country US NY` (a state's holidays too) or `/pacer holiday country off`"
    if not args or len(args) > 2:
        raise ParseError(f"Give a country code, and a subdivision if you like: {usage}.")
    off = args[0].lower() in ("off", "none")
    if off and len(args) > 1:
        raise ParseError(f"`/pacer holiday country off` takes nothing after it: {usage}.")
    code = None if off else args[0]
    subdivision = args[1] if len(args) > 1 else None
    try:
        updated, version = change_process(
            cmd.session,
            cmd.actor.team,
            lambda current: team_holidays.set_country(current, code, subdivision),
            loaded_by=cmd.user_id,
            change=f"holiday country {' '.join(args)}",
            now=cmd.now,
        )
    except InvalidProcessChange as refusal:  # the checker's own words, with did-you-mean
        raise Problem(f"{explain(refusal)}\nFor example: {usage}.") from None
    team_name = messages.escape(cmd.actor.team.name)
    where = _where(updated.calendar.holidays)
    if not where:
        return _done(
            f"*{team_name}* takes no public holidays now (process version {version.version}); "
            "its company days off stay. Set a country with `/pacer holiday country US`."
        )
    return _done(
        f"*{team_name}* takes the public holidays of {where} off (process version "
        f"{version.version}). See the coming ones with `/pacer holiday list`."
    )


def _where(rules) -> str:
    if not rules.country:
        return ""
    name = country_names().get(rules.country, rules.country)
    if rules.subdivision:
        sub = subdivision_names(rules.country).get(rules.subdivision, rules.subdivision)
        return f"{name} ({sub})"
    return name


def listing(cmd: Command) -> dict:
    process = cmd.actor.process
    cal = process.calendar
    today = cal.local_date(cmd.now)
    coming = team_holidays.coming(process, today)
    rows = [
        {"day": dates.long(off.day), "name": off.name, "public": off.source == PUBLIC}
        for off in coming.days_off
    ]
    worked = [{"day": dates.long(off.day), "name": off.name} for off in coming.worked]
    example_day = _example_day(cal, today)
    remove_day = next((off.day for off in coming.days_off), None)
    days = ", ".join(
        d
        for i, d in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
        if i in cal.working_days
    )
    return messages.text_message(
        "holidays.md.j2",
        team_name=cmd.actor.team.name,
        where=_where(cal.holidays),
        days=days,
        start=dates.long(coming.start),
        end=dates.long(coming.end),
        end_iso=coming.end.isoformat(),
        rows=rows[:SHOWN],
        more=max(0, len(rows) - SHOWN),
        worked=worked,
        add_example=f"/pacer holiday add {example_day} Company offsite",
        remove_example=f"/pacer holiday remove {remove_day}" if remove_day else None,
    )


def _example_day(cal, today: date) -> date:
    """A working day a few weeks ahead, for the example command."""
    day = today + timedelta(days=21)
    for _ in range(60):
        if cal.is_working_day(day):
            return day
        day += timedelta(days=1)
    return day


def _done(text: str) -> dict:
    return messages.message(text.replace("*", ""), messages.section(text))

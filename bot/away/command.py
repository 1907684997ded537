"""/away: days away (time off). `/away DATE [DATE] [note]` for oneself, `/away @rep DATE [DATE]
[note]` for a manager's rep, `/away list [@rep|team]`, `/away cancel [@rep] DATE [DATE]`. The rules
(who, which days, how many) are rituals/time_off.py's; this module reads the words and answers.

Dates read as everywhere in Pacer (bot.parsing.parse_date): 2026-12-24, today, tomorrow,
yesterday, a weekday (the coming one here: `/away fri` is this Friday or the next; `last fri`
the one gone). Between two dates, `to`, `until`, `-` or `–` may stand."""

import re
from datetime import date, timedelta

from bot import messages
from bot.away import replies as wording
from bot.context import Command
from bot.home.listeners import refresh_job_for
from bot.messages import escape, mention
from bot.parsing import DATE_LIKE, ParseError, parse_date, parse_mention, quoted
from bot.people import resolve_user
from rituals import dates
from rituals import time_off as t
from rituals.teams import require_manager
from storage import people_queries

SHOWN = 30  # stretches in one list
JOINERS = ("to", "until", "till", "through", "thru", "-", "–", "—")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAY_NUMBER = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?,?$")
HELP = (
    "*/away* keeps days away (vacation, a sick day): your goals count only the days you're "
    "there, no reminders come on them, and rankings show you as away, not last.\n"
    "• `/away 2026-12-24` · `/away tomorrow` · `/away fri Dentist` — one day, with a note if you like\n"
    "• `/away 2026-12-21 2026-12-31 Ski trip` — a range: weekends and the team's days off are skipped\n"
    "• `/away list` — your coming and recent days away · `/away cancel 2026-12-24` (or a range)\n"
    "• Managers: `/away @rep 2026-11-23 Sick` (also past days back to the 1st of last month) · "
    "`/away list @rep` · `/away list team` · `/away cancel @rep 2026-11-23`\n"
    "Dates: 2026-12-24, `today`, `tomorrow`, a weekday (the coming one; `last mon` for the one gone)."
)
USAGE = "`/away 2026-12-24`, `/away 2026-12-21 2026-12-24 Ski trip` or `/away list`"


def handle(cmd: Command) -> dict:
    words = cmd.text.split()
    head = words[0].lower() if words else "help"
    if head in ("help", "?"):
        cmd.outcome = "help"
        return messages.message(HELP, messages.section(HELP))
    if head in ("list", "ls", "show"):
        return listing(cmd, words[1:])
    if head in ("cancel", "remove", "delete", "undo", "back"):
        return cancel(cmd, words[1:])
    return add(cmd, words)


# -- reading the words --------------------------------------------------------------------------


def _who(cmd: Command, words: list[str]) -> tuple[str, list[str]]:
    found = parse_mention(words[0]) if words else None
    if found is None:
        return cmd.user_id, words
    return resolve_user(cmd, found), words[1:]


def _one_date(words: list[str], i: int, today: date) -> tuple[date | None, int]:
    """The date at ``words[i]`` and the words it took (``last fri`` takes two)."""
    if i >= len(words):
        return None, 0
    word = words[i]
    if word.lower() == "last" and i + 1 < len(words):
        day = parse_date(words[i + 1], today)
        if day is not None and words[i + 1].lower() not in ("today", "tomorrow", "yesterday"):
            return (day - timedelta(days=7) if day == today else day), 2
    return parse_date(word, today, ahead=True), 1


def _not_a_date(word: str, following: str | None, today: date) -> ParseError:
    if DATE_LIKE.match(word):
        return ParseError(
            f"{quoted(word)} looks like a date; Pacer reads dates as 2026-12-24, `today`, "
            f"`tomorrow` or a weekday. Try {USAGE}."
        )
    month = word.lower()[:3]
    number = DAY_NUMBER.match(following or "")
    if month in MONTHS and len(word) >= 3 and number:
        try:
            day = date(today.year, MONTHS.index(month) + 1, int(number.group(1)))
        except ValueError:
            day = None
        if day is not None:
            if day < today - timedelta(days=60):
                day = day.replace(year=day.year + 1)
            return ParseError(
                f"Pacer reads dates as 2026-12-24: did you mean `/away {day.isoformat()}`?"
            )
    return ParseError(f"{quoted(word)} isn't a date or something `/away` does. Try {USAGE}.")


def _range(words: list[str], today: date, usage: str) -> tuple[date, date, list[str]]:
    """First day, last day (the first when only one is given) and the words after them."""
    if not words:
        raise ParseError(f"Say which day, e.g. {usage}.")
    first, used = _one_date(words, 0, today)
    if first is None:
        raise _not_a_date(words[0], words[1] if len(words) > 1 else None, today)
    i = used
    joined = i < len(words) and words[i].lower() in JOINERS
    if joined:
        i += 1
    # The second date's weekday is the one on or after the first day: `/away mon fri`.
    last, used = _one_date(words, i, max(first, today))
    if last is None:
        if joined:
            raise ParseError(f"Give the last day after {quoted(words[i - 1])}, e.g. {usage}.")
        return first, first, words[i:]
    return first, last, words[i + used :]


def _today(cmd: Command) -> date:
    return cmd.actor.process.calendar.local_date(cmd.now)


def _follow(cmd: Command, rep_id: str) -> None:
    """Both Home tabs show the change."""
    cmd.follow_ups.append(
        refresh_job_for(cmd.services, cmd.actor.workspace_id, [cmd.user_id, rep_id])
    )


# -- adding -------------------------------------------------------------------------------------


def add(cmd: Command, words: list[str]) -> dict:
    rep_id, words = _who(cmd, words)
    first, last, rest = _range(words, _today(cmd), USAGE)
    note = messages.unescape(" ".join(rest)).strip()
    added = t.add_time_off(cmd.session, cmd.actor, rep_id, first, last, note, cmd.now)
    cmd.outcome = "away"
    _follow(cmd, rep_id)
    if not added.who.is_self:
        cmd.follow_ups.append(_tell_rep(cmd, rep_id, added_text(added, by=cmd.user_id)))
    text = added_text(added)
    return messages.message(text, messages.section(text))


def summary(split: t.Split, added: tuple[date, ...], already: tuple[date, ...]) -> str:
    """4 working days (Fri 25 Dec is Christmas Day; weekends don't count)"""
    n = len(added)
    notes = [f"{dates.short(o.day)} is {escape(o.name)}" for o in split.days_off]
    if split.weekend:
        notes.append("weekends don't count")
    if already:
        shown = ", ".join(dates.short(d) for d in already[:5]) + (" …" if len(already) > 5 else "")
        notes.append(f"already away: {shown}")
    more = f" ({'; '.join(notes)})" if notes else ""
    return f"{n} working day{'s' if n != 1 else ''}{more}"


def added_text(added: t.Added, by: str | None = None) -> str:
    """The answer to whoever entered the days; with ``by``, the note to the rep they are for."""
    rep_id, first, last = added.who.rep.user_id, added.first, added.last
    when = wording.span(first, last)
    note = f" · _{escape(added.note)}_" if added.note else ""
    days = summary(added.split, added.added, added.already)
    cancel_args = first.isoformat() + ("" if first == last else f" {last.isoformat()}")
    if by is not None:
        return (
            f":palm_tree: {mention(by)} entered days away for you: *{when}*, {days}{note}. Your "
            "goals count only the days you're there, and no reminders come on these. See them "
            "with `/away list`."
        )
    if added.who.is_self:
        return (
            f":palm_tree: Away *{when}*: {days}{note}. Your goals count only the days you're "
            f"there, and no reminders come on these. Undo with `/away cancel {cancel_args}`."
        )
    return (
        f":palm_tree: {mention(rep_id)} is away *{when}*: {days}{note}. Their goals count only "
        f"the days they're there; they've been told. Undo with `/away cancel {mention(rep_id)} "
        f"{cancel_args}`."
    )


def _tell_rep(cmd: Command, rep_id: str, text: str):
    """The rep hears, privately, that their manager changed their days away (as when a log is
    credited to them: bot/log/command.py)."""
    return cmd.tell_privately_later(rep_id, text)


# -- cancelling ---------------------------------------------------------------------------------


def cancel(cmd: Command, words: list[str]) -> dict:
    rep_id, words = _who(cmd, words)
    usage = "`/away cancel 2026-12-24` or `/away cancel 2026-12-21 2026-12-24`"
    first, last, rest = _range(words, _today(cmd), usage)
    if rest:
        raise ParseError(
            f"`/away cancel` takes a day or two and nothing after them ({quoted(rest[0])}): {usage}."
        )
    done = t.cancel_time_off(cmd.session, cmd.actor, rep_id, first, last, cmd.now)
    cmd.outcome = "cancelled"
    _follow(cmd, rep_id)
    n = len(done.days)
    days = f"{n} day{'s' if n != 1 else ''} away"
    it = "them" if n != 1 else "it"
    shown = ", ".join(dates.short(d) for d in done.days[:10]) + (" …" if n > 10 else "")
    if done.who.is_self:
        text = (
            f":white_check_mark: Cancelled {days} ({shown}): your goals count {it} again. "
            "See the rest with `/away list`."
        )
    else:
        text = (
            f":white_check_mark: Cancelled {days} of {mention(rep_id)} ({shown}): their goals "
            f"count {it} again. See the rest with `/away list {mention(rep_id)}`."
        )
        cmd.follow_ups.append(
            _tell_rep(
                cmd,
                rep_id,
                f"{mention(cmd.user_id)} cancelled {days} of yours ({shown}): your goals count "
                f"{it} again. "
                "See the rest with `/away list`.",
            )
        )
    return messages.message(text, messages.section(text))


# -- listing ------------------------------------------------------------------------------------


def stretch_line(s: t.Stretch, who: bool = False) -> str:
    name = f"{mention(s.user_id)} · " if who else ""
    note = f" · _{escape(s.note)}_" if s.note else ""
    n = s.days
    return f"• {name}{wording.span(s.first, s.last)} · {n} working day{'s' if n != 1 else ''}{note}"


def _lines(found: list[t.Stretch], who: bool = False) -> list[str]:
    lines = [stretch_line(s, who) for s in found[:SHOWN]]
    if len(found) > SHOWN:
        lines.append(f"…and {len(found) - SHOWN} more.")
    return lines


def listing(cmd: Command, words: list[str]) -> dict:
    cmd.outcome = "list"
    if words and words[0].lower() in ("team", "everyone", "all"):
        if len(words) > 1:
            raise ParseError("`/away list team` takes nothing after it.")
        return team_listing(cmd)
    rep_id, rest = _who(cmd, words)
    if rest:
        raise ParseError(
            f"I don't understand {quoted(rest[0])} here. Try `/away list`, `/away list @rep` "
            "or `/away list team` (managers)."
        )
    found = t.rep_time_off(cmd.session, cmd.actor, rep_id, cmd.now)
    self_ = found.who.is_self
    whose = "Your days away" if self_ else f"Days away of {mention(rep_id)}"
    lines = [f"*{whose}*"]
    if found.coming:
        lines += ["Coming:"] + _lines(found.coming)
    if found.recent:
        lines += [f"The last {t.RECENT_DAYS} days:"] + _lines(found.recent)
    if not found.coming and not found.recent:
        lines.append(f"None coming, and none in the last {t.RECENT_DAYS} days.")
    target = "" if self_ else f"{mention(rep_id)} "
    lines.append(
        f"Add one with `/away {target}2026-12-24`, a range with `/away {target}2026-12-21 "
        f"2026-12-24 Ski trip`; cancel with `/away cancel {target}DATE`."
    )
    text = "\n".join(lines)
    return messages.message(text, messages.section(text))


def team_listing(cmd: Command) -> dict:
    require_manager(cmd.actor, "see the whole team's days away")
    members = people_queries.active_members(cmd.session, cmd.actor.team_id)
    found = t.team_time_off(cmd.session, cmd.actor, cmd.now, members)
    team = escape(cmd.actor.team.name)
    lines = [f"*Coming days away · {team}*"]
    lines += _lines(found, who=True) or ["Nobody on the team has days away coming."]
    lines.append(
        "Enter one for a rep with `/away @rep 2026-12-24`; `/away list @rep` shows one rep."
    )
    text = "\n".join(lines)
    return messages.message(text, messages.section(text))

"""Refusals as replies: one place turns a refusal (typed data from rituals/, a parse error, or a
problem the Slack layer found itself) into what the person reads in Slack: mrkdwn, mentions,
and a command that would work. Every error reply ends with one: when the text names none, the
refused command's own help is appended.

Each refusal type of rituals/refusals.py has one function here, registered with
``@explains(Type)``; ``tests/bot/test_replies.py`` checks that none is missing."""

import re
from collections.abc import Callable
from datetime import date, datetime

from bot.messages import escape
from bot.parsing import ParseError
from rituals import dates, refusals, tenure
from rituals.contests import problems as contest_problems
from rituals.refusals import (
    ContestNotStarted,
    ContestNotStored,
    Refusal,
    SuggestionDecided,
    SuggestionGone,
    SuggestionOfAnotherTeam,
    SuggestionUnavailable,
)

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


def _whose(user_id: str, is_self: bool, capital: bool = False) -> str:
    if is_self:
        return "Your" if capital else "your"
    return f"<@{user_id}>'s"


@explains(refusals.NotAllowed)
def _not_allowed(r: refusals.NotAllowed) -> str:
    return (
        f"Only the team's managers and Pacer admins can {r.action}. "
        "Ask one of them, or see what you can do with `/pacer help`."
    )


@explains(refusals.InvalidProcessChange)
def _invalid_change(r: refusals.InvalidProcessChange) -> str:
    return "That change would make the process invalid, so nothing changed:\n" + r.problems


@explains(refusals.ProcessChangeRaced)
def _change_raced(r: refusals.ProcessChangeRaced) -> str:
    return "The process was changed several times at this very moment; nothing changed. Try again."


@explains(refusals.NotOnTeam)
def _not_on_team(r: refusals.NotOnTeam) -> str:
    if r.starts is not None:
        who = "You start" if r.is_self else f"<@{r.user_id}> starts"
        return (
            f"{who} on the team on {dates.long(r.starts)}: logs count from that day. Until "
            "then, see the team's numbers with `/leaderboard`."
        )
    if r.left is not None:
        who = "Your" if r.is_self else f"<@{r.user_id}>'s"
        return (
            f"{who} last day on the team was {dates.long(r.left)}, so there's no scorecard to "
            "log to; the logs up to then stay in the team's numbers. A manager can add them "
            f"back: `/pacer team add <@{r.user_id}> sdr`."
        )
    if r.is_self:
        return (
            "You're not on a sales team in Pacer yet, so there is no scorecard to log to. "
            "Ask your manager or a Pacer admin to add you: `/pacer team add @you sdr` "
            f"(roles: {', '.join(r.roles)})."
        )
    return (
        f"<@{r.user_id}> isn't a rep on a Pacer team, so there's no scorecard to log to. "
        f"A manager can add them: `/pacer team add <@{r.user_id}> sdr`."
    )


@explains(tenure.TenureDateRefused)
def _tenure_date(r: tenure.TenureDateRefused) -> str:
    day, bound = dates.long(r.day), dates.long(r.bound)
    if r.why == "before_start":
        return (
            f"A last day of {day} is before their start date, {bound}: pick a day from then on, "
            f"e.g. `/pacer team remove @rep on {r.bound}`."
        )
    if r.what == "start" and r.why == "too_far_ahead":
        return (
            f"A start date of {day} is more than a year ahead (the latest is {bound}): add "
            f"them nearer the time, e.g. `/pacer team add @rep sdr starting {r.bound}`."
        )
    if r.what == "start":
        return (
            f"A start date of {day} is more than a year ago (the earliest is {bound}). Someone "
            "on the team that long is added without a date: `/pacer team add @rep sdr`."
        )
    if r.why == "too_far_back":
        return (
            f"A last day of {day} is too far back: past months' numbers are settled, so a last "
            f"day goes back to {bound} at the earliest, e.g. `/pacer team remove @rep on "
            f"{r.bound}`."
        )
    return (
        f"A last day of {day} is more than a year ahead (the latest is {bound}): set it nearer "
        "the time, e.g. `/pacer team remove @rep on friday`."
    )


@explains(refusals.NoOwnScorecard)
def _no_own_scorecard(r: refusals.NoOwnScorecard) -> str:
    return (
        "You're on the team as a manager without a scorecard of your own. "
        "To log for a rep, name them: `/log @rep call 12`; to give yourself a scorecard: "
        "`/pacer team add @you sdr`."
    )


@explains(refusals.RoleDropped)
def _role_dropped(r: refusals.RoleDropped) -> str:
    return (
        f"{_whose(r.user_id, r.is_self, capital=True)} role `{r.role}` is no longer in the "
        "team's process, so there is no scorecard to use. A manager can give a current role: "
        f"`/pacer team add <@{r.user_id}> ROLE` ({', '.join(r.roles)})."
    )


@explains(refusals.NoLongerRep)
def _no_longer_rep(r: refusals.NoLongerRep) -> str:
    return f"<@{r.rep_id}> is no longer a rep on the team; ask a manager to {r.verb} it."


# -- logging activity ---------------------------------------------------------------------------


def _typed(log: refusals.TypedLog) -> str:
    """The log as a slash command: `/log <@U123> call 12`."""
    who = f"<@{log.rep_id}> " if log.rep_id else ""
    return "/log " + who + " ".join(f"{kpi} {count}" for kpi, count in log.items)


@explains(refusals.NothingToLog)
def _nothing_to_log(r: refusals.NothingToLog) -> str:
    return "Nothing to log: name a KPI and a count, e.g. `/log call 12`."


@explains(refusals.KpiNotOnScorecard)
def _kpi_not_on_scorecard(r: refusals.KpiNotOnScorecard) -> str:
    who = "" if r.is_self else f"<@{r.rep_id}> "
    return (
        f"*{r.kpi_name}* isn't on {_whose(r.rep_id, r.is_self)} scorecard ({r.role_name}: "
        f"{', '.join(r.scorecard)}), e.g. `/log {who}{r.example_kpi} 12`."
    )


@explains(refusals.RecordedByOther)
def _recorded_by_other(r: refusals.RecordedByOther) -> str:
    return (
        f"*{r.kpi_name}* is recorded for you by the {r.recorder} who accepts it "
        f"(`/log <@{r.rep_id}> {r.kpi_key} 1`) or by your manager, not by yourself."
    )


@explains(refusals.NotAllowedToCredit)
def _not_allowed_to_credit(r: refusals.NotAllowedToCredit) -> str:
    who = "Only managers can log for someone else"
    if r.recorder:
        who += f"; *{r.kpi_name}* can also be credited by a {r.recorder}"
    return f"{who}. To log your own activity, leave out the @name: `/log {r.kpi_key} 1`."


@explains(refusals.FutureDate)
def _future_date(r: refusals.FutureDate) -> str:
    return (
        f"{dates.long(r.day)} is in the future; activity is logged on or after it happens. "
        "Leave out the date to log for today" + (f": `{_typed(r.typed)}`." if r.typed else ".")
    )


@explains(refusals.TooFarBack)
def _too_far_back(r: refusals.TooFarBack) -> str:
    return (
        f"{dates.long(r.day)} is more than {r.backdate_days} days ago, outside the "
        f"backdating window (oldest: {dates.short(r.oldest)}"
        + (f": `{_typed(r.typed)} {r.oldest.isoformat()}`" if r.typed else "")
        + "). Ask a manager to change `limits.backdate_days`."
    )


@explains(refusals.CountBelowOne)
def _count_below_one(r: refusals.CountBelowOne) -> str:
    return f"{r.count} isn't a count Pacer can log: counts are whole numbers from 1 up."


@explains(refusals.CountAboveLimit)
def _count_above_limit(r: refusals.CountAboveLimit) -> str:
    return (
        f"{r.count} {r.kpi_name} in one log looks like a typo: the most one log "
        f"can record is {r.limit}. Log it in parts (`/log {r.kpi_key} "
        f"{r.limit}`, then the rest), or ask a manager to raise `limits.max_count`."
    )


@explains(refusals.NothingToUndo)
def _nothing_to_undo(r: refusals.NothingToUndo) -> str:
    return "There's nothing you logged left to undo. See what counts with `/scorecard`."


@explains(refusals.UndoneMeanwhile)
def _undone_meanwhile(r: refusals.UndoneMeanwhile) -> str:
    return "That log was just undone by another request; nothing else changed."


@explains(refusals.LogNotFound)
def _log_not_found(r: refusals.LogNotFound) -> str:
    return (
        "Pacer can't find that log, so nothing changed. `/scorecard calls` lists the logs "
        "behind a number."
    )


@explains(refusals.NotYourLog)
def _not_your_log(r: refusals.NotYourLog) -> str:
    return (
        f"Only the person who entered a log, or a manager, can {r.verb} it; nothing changed. "
        "Your own logs are listed on Pacer's Home tab, and `/log undo` takes back your last one."
    )


@explains(refusals.AlreadyVoided)
def _already_voided(r: refusals.AlreadyVoided) -> str:
    when = r.voided_at
    by = "you" if r.by_you else f"<@{r.voided_by}>"
    stamp = f" on {dates.short(when)} at {when:%H:%M}" if when else ""
    return (
        f"That log ({r.count} {r.kpi_name} on {dates.short(r.occurred_on)}) was "
        f"already voided{stamp} by {by}, so there was nothing left to {r.tried}; nothing changed."
    )


@explains(refusals.KpiDropped)
def _kpi_dropped(r: refusals.KpiDropped) -> str:
    return (
        f"`{r.kpi_key}` is no longer a KPI in the team's process, so this log can't be "
        "corrected; it can still be voided."
    )


@explains(refusals.SameCount)
def _same_count(r: refusals.SameCount) -> str:
    return f"That log already says {r.count}; nothing changed."


# -- contests and the lag check -----------------------------------------------------------------


def _mention(user_id: str) -> str:
    return f"<@{user_id}>"


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _stamp(local: datetime) -> str:
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


def _with_article(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _scorecard_words(kpi_name: str, roles_with: tuple[str, ...]) -> str:
    if roles_with:
        return f"{kpi_name} is on the {' and '.join(roles_with)} scorecard"
    return f"No role has {kpi_name} on its scorecard"


def contest_problem_text(
    problem: contest_problems.SpecProblem, who: Callable[[str], str] | None = None
) -> str:
    """One problem of a contest spec in Slack's words; ``who`` names a person (by default a
    mention; the form uses its cached display names)."""
    p, who = contest_problems, who or _mention
    match problem:
        case p.NoName():
            return 'Give the contest a name, e.g. "Call Blitz".'
        case p.NameTooLong(length=length, limit=limit):
            return f"The name is {length} characters long; {limit} at most, please."
        case p.UnknownKind(kind=kind):
            return f"A contest is a race, a target or teams, not {escape(kind)!r}."
        case p.UnknownKpi(word=word, suggestions=close, kpis=kpis):
            hint = f" Did you mean {' or '.join(f'`{s}`' for s in close)}?" if close else ""
            listed = ", ".join(f"`{k}`" for k in kpis)
            return f"I don't know the KPI `{escape(word)}`.{hint} KPIs: {listed}."
        case p.StartsInThePast(start_day=start, today=today):
            return (
                f"It would start on {_day(start)}, which is past. Start today "
                f"({_day(today)}) or later; logs backdated into the window still count."
            )
        case p.EndsBeforeStart(end_day=end, start_day=start):
            return (
                f"It would end on {_day(end)}, before it starts ({_day(start)}). "
                "Pick an end day on or after the start."
            )
        case p.EndIsPast(end_day=end):
            return f"{_day(end)} is past. Pick an end day from today on."
        case p.OverBeforeItBegins(end_day=end, day_end=day_end):
            return (
                f"Working hours on {_day(end)} end at {day_end:%H:%M}, which is past, so it "
                "would be over before it began. End tomorrow or later."
            )
        case p.TooManyDays(days=days, limit=limit):
            return (
                f"That's {days} days; a contest runs {limit} days at most. Shorter sprints keep "
                "the energy up."
            )
        case p.NoTarget():
            return (
                "A target contest needs the number to reach, e.g. "
                '`/contest start target meetings 1w 5 "Five by Friday"`.'
            )
        case p.TargetOutOfRange(limit=limit):
            return f"The target must be a whole number from 1 to {limit:,}."
        case p.UnknownScoring():
            return "Teams score by `sum` (the group's total) or `average` (per rep)."
        case p.PrizeTooLong(length=length, limit=limit):
            return f"The prize is {length} characters; {limit} at most, please."
        case p.NameTaken(name=name, until=until):
            return (
                f"A contest called “{escape(name)}” is already running (until {_stamp(until)}). "
                f"Pick another name, or end it first with `/contest end {escape(name)}`."
            )
        case p.EntrantNotOnTeam(user_id=user_id):
            return (
                f"{who(user_id)} isn't on the team, so they couldn't take part. Add them with "
                "`/pacer team add @them sdr`, or leave them out."
            )
        case p.EntrantDoesNotTrack(user_id=user_id, role_name=role, kpi_name=kpi, roles_with=w):
            what = _with_article(role) if role else "not a rep"
            return (
                f"{who(user_id)} is {what} without {escape(kpi)} on their scorecard, so they "
                f"couldn't log it. {_scorecard_words(kpi, w)}; leave them out or pick a KPI "
                "they track."
            )
        case p.TooFewGroups():
            return (
                "Teams need two or more groups of reps, e.g. "
                '`/contest start teams calls 1w "East vs West" @a @b vs @c @d`.'
            )
        case p.GroupNameTooLong(limit=limit):
            return f"Group names are {limit} characters at most."
        case p.GroupNamesClash(name=name):
            return f"Two groups are called “{escape(name)}”: name them apart."
        case p.EmptyGroup(name=name):
            return f"The group “{escape(name)}” has nobody in it: add at least one rep."
        case p.InTwoGroups(user_id=user_id, first=first, second=second):
            return (
                f"{who(user_id)} is in two groups (“{escape(first)}” and “{escape(second)}”): "
                "a rep plays for one group."
            )
        case p.NobodyTakesPart():
            return "Nobody would take part."
        case p.NobodyTracks(kpi_name=kpi, roles_with=w):
            return (
                f"Nobody on the team tracks {escape(kpi)}: {_scorecard_words(kpi, w)}, and no "
                "rep with that role is on the team. Pick a KPI your reps log, or add reps with "
                "`/pacer team add @user sdr`."
            )
    raise TypeError(f"no wording for {type(problem).__name__}")


@explains(ContestNotStarted)
def _contest_not_started(refusal: ContestNotStarted) -> str:
    texts = list(dict.fromkeys(contest_problem_text(p) for p in refusal.problems))
    if len(texts) == 1:
        return f"No contest started: {texts[0]}"
    return "No contest started:\n" + "\n".join(f"• {t}" for t in texts)


@explains(SuggestionUnavailable)
def _suggestion_unavailable(refusal: SuggestionUnavailable) -> str:
    match refusal:
        case SuggestionGone():
            return "That suggestion no longer exists, so nothing was started."
        case SuggestionOfAnotherTeam():
            return "That suggestion belongs to another team, so nothing was started."
        case SuggestionDecided(status=status, decided_by=by_id, decided_at=at, contest_name=name):
            when = _stamp(at) if at else "earlier"
            by = _mention(by_id) if by_id else "Pacer"
            if status == "launched":
                what = f" (“{escape(name)}”)" if name else ""
                return (
                    f"This suggestion was already launched by {by} on {when}{what}, so nothing "
                    "new was started. See it with `/contest standings`."
                )
            return (
                f"This suggestion was dismissed by {by} on {when}, so nothing was started. "
                "Start one yourself with `/contest start`."
            )
    return "That suggestion can no longer be launched, so nothing was started."


@explains(ContestNotStored)
def _contest_not_stored(refusal: ContestNotStored) -> str:
    return "That contest could not be stored just now; nothing changed. Try again."


# -- days off (/pacer holiday) ------------------------------------------------------------------

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@explains(refusals.NotAWorkingDay)
def _not_a_working_day(r: refusals.NotAWorkingDay) -> str:
    days = ", ".join(_WEEKDAYS[d] for d in r.working_days)
    return (
        f"{dates.long(r.day)} is a {_FULL_DAYS[r.day.weekday()]}, not a working day (the team works "
        f"{days}), so taking it off would change nothing; nothing changed. Check the date, e.g. "
        f"`/pacer holiday add {_next_working(r.day, r.working_days)} Company day off`."
    )


def _next_working(day: date, working_days: tuple[int, ...]) -> str:
    for ahead in range(1, 8):
        candidate = date.fromordinal(day.toordinal() + ahead)
        if candidate.weekday() in working_days:
            return candidate.isoformat()
    return day.isoformat()


@explains(refusals.AlreadyADayOff)
def _already_a_day_off(r: refusals.AlreadyADayOff) -> str:
    what = "a public holiday" if r.source == "public" else "a company day off"
    return (
        f"{dates.long(r.day)} is already {what}: {escape(r.name)}; nothing changed. "
        "See them all with `/pacer holiday list`."
    )


@explains(refusals.NotADayOff)
def _not_a_day_off(r: refusals.NotADayOff) -> str:
    if r.worked:
        return (
            f"{dates.long(r.day)} ({escape(r.worked)}) is already a working day for the team; "
            f"nothing changed. Take it off again with `/pacer holiday add {r.day.isoformat()}`."
        )
    return (
        f"{dates.long(r.day)} is neither a public holiday nor a company day off, so there is "
        "nothing to remove; nothing changed. See the coming days off with `/pacer holiday list`."
    )


@explains(refusals.DayOffOutOfRange)
def _day_off_out_of_range(r: refusals.DayOffOutOfRange) -> str:
    return (
        f"{dates.long(r.day)} is too far off: days off can be changed from "
        f"{dates.long(r.earliest)} to {dates.long(r.latest)}; nothing changed. Check the year, "
        "e.g. `/pacer holiday list`."
    )


@explains(refusals.DayOffNameRefused)
def _day_off_name_refused(r: refusals.DayOffNameRefused) -> str:
    if "<" in r.name or ">" in r.name:
        what = "can't contain < or > (Slack would read them as markup)"
    else:
        what = f"is {len(r.name)} characters long; keep it to {r.limit}"
    return (
        f"A day off's name {what}; nothing changed. e.g. "
        "`/pacer holiday add 2026-12-24 Christmas Eve`."
    )


# -- coaching -----------------------------------------------------------------------------------


# -- ritual runs --------------------------------------------------------------------------------


__all__ = [
    "ParseError",
    "Problem",
    "Refusal",
    "contest_problem_text",
    "explain",
    "explains",
    "with_command_hint",
]

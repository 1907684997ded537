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


# -- logging activity ---------------------------------------------------------------------------


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

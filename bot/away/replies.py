"""Time off's refusals (rituals/time_off.py) as Slack replies, registered with bot.replies like
every other refusal's wording (kept here so bot/replies.py stays small). Each says what was
wrong, that nothing changed, and a command that would work."""

from datetime import date, timedelta

from bot.home.time_off import span
from bot.replies import explains
from rituals import dates
from rituals import time_off as t

__all__ = ["span"]


def _who(user_id: str, is_self: bool) -> str:
    return "You're" if is_self else f"<@{user_id}> is"


def _example(day: date) -> str:
    return f"`/away {day.isoformat()}`"


@explains(t.NotARep)
def _not_a_rep(r: t.NotARep) -> str:
    if r.is_self:
        return (
            "You're not a rep on a Pacer team, so there are no goals to take days away from; "
            "nothing changed. A manager can add you: `/pacer team add @you sdr`. Managers enter "
            "a rep's days with `/away @rep 2026-12-24`."
        )
    return (
        f"<@{r.user_id}> isn't a rep on a Pacer team, so there are no days away to keep; nothing "
        f"changed. A manager can add them first: `/pacer team add <@{r.user_id}> sdr`."
    )


@explains(t.NotTheirManager)
def _not_their_manager(r: t.NotTheirManager) -> str:
    return (
        f"Only <@{r.user_id}>'s managers and Pacer admins can enter or cancel their days away; "
        "nothing changed. Your own: `/away 2026-12-24`, or ask your manager."
    )


@explains(t.DaysInWrongOrder)
def _wrong_order(r: t.DaysInWrongOrder) -> str:
    return (
        f"The last day ({dates.long(r.last)}) is before the first ({dates.long(r.first)}); "
        f"nothing changed. Give the first day first: `/away {r.last.isoformat()} "
        f"{r.first.isoformat()}`."
    )


@explains(t.RangeTooLong)
def _too_long(r: t.RangeTooLong) -> str:
    days = (r.last - r.first).days + 1
    end = r.first + timedelta(days=r.limit - 1)
    return (
        f"{span(r.first, r.last)} is {days} days; one entry covers at most {r.limit}, so nothing "
        f"changed. Enter it in parts, e.g. `/away {r.first.isoformat()} {end.isoformat()}`."
    )


@explains(t.TooFarAhead)
def _too_far_ahead(r: t.TooFarAhead) -> str:
    return (
        f"{dates.long(r.day)} is more than a year ahead; days away go up to "
        f"{dates.long(r.latest)}, so nothing changed. Check the year, e.g. "
        f"{_example(r.latest - timedelta(days=300))}."
    )


@explains(t.AwayTooFarBack)
def _too_far_back(r: t.AwayTooFarBack) -> str:
    if r.by_manager:
        return (
            f"{dates.long(r.day)} is too far back: a manager can change days away from "
            f"{dates.long(r.earliest)} on (this month and last); nothing changed. e.g. "
            f"`/away @rep {r.earliest.isoformat()}`."
        )
    return (
        f"{dates.long(r.day)} has passed: you can enter days away from today on, and your "
        "manager can enter a past day for you (`/away @you DATE`); nothing changed. Today: "
        "`/away today`."
    )


@explains(t.NoWorkingDays)
def _no_working_days(r: t.NoWorkingDays) -> str:
    off = "; ".join(f"{dates.short(o.day)} is {o.name}" for o in r.days_off)
    if r.first == r.last:
        why = off or f"a {r.first:%A}"
        what = f"{dates.long(r.first)} is not a working day for the team ({why})"
    else:
        what = f"{span(r.first, r.last)} has no working day of the team in it" + (
            f" ({off})" if off else ""
        )
    return (
        f"{what}, so there is nothing to be away from; nothing changed. Check the dates, e.g. "
        f"{_example(_weekday_after(r.last))}."
    )


def _weekday_after(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@explains(t.AlreadyAway)
def _already_away(r: t.AlreadyAway) -> str:
    days = ", ".join(dates.short(d) for d in r.days[:10]) + (" …" if len(r.days) > 10 else "")
    whose = "" if r.is_self else f" <@{r.user_id}>"
    return (
        f"{_who(r.user_id, r.is_self)} already away on every working day of that: {days}; "
        f"nothing changed. See them with `/away list{whose}`."
    )


@explains(t.NotAway)
def _not_away(r: t.NotAway) -> str:
    whose = "" if r.is_self else f" <@{r.user_id}>"
    return (
        f"{_who(r.user_id, r.is_self)} not away on {span(r.first, r.last)}, so there is nothing "
        f"to cancel; nothing changed. See the days away with `/away list{whose}`."
    )


@explains(t.AwayNoteTooLong)
def _note_too_long(r: t.AwayNoteTooLong) -> str:
    return (
        f"A note on days away is at most {r.limit} characters; this one has {r.length}, so "
        "nothing changed. Shorten it, e.g. `/away 2026-12-21 2026-12-24 Family visit`."
    )

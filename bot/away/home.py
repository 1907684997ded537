"""The Home tab's "Time off" buttons and form (the section itself: bot/home/time_off.py).
A refused press opens a small notice and changes nothing; the form shows its mistakes on their
fields and stays open, storing nothing."""

from datetime import date

from bot import messages
from bot.away import replies as wording
from bot.context import Interaction
from bot.home.listeners import refresh_job
from bot.home.time_off import away_modal, span
from bot.home.view import period_of
from bot.ids import INPUT
from bot.modals import open_modal, open_notice
from bot.replies import Problem, explain
from rituals import time_off as t

# Which field of the form a refusal belongs on.
FIELDS = {
    t.DaysInWrongOrder: "last",
    t.RangeTooLong: "last",
    t.TooFarAhead: "last",
    t.AwayTooFarBack: "first",
    t.NoWorkingDays: "first",
    t.AlreadyAway: "first",
    t.AwayNoteTooLong: "note",
}


def _refresh(ix: Interaction, notice: str | None) -> None:
    ix.follow_ups.append(
        refresh_job(
            ix.services,
            ix.slack_team_id,
            ix.enterprise_id,
            [ix.user_id],
            period=period_of(ix.view),
            notice=notice,
        )
    )


def notice(ix: Interaction, text: str) -> None:
    """A refused press: the reason in a small modal (or on the tab, should Slack refuse it)."""
    shown = open_notice(ix, text)
    _refresh(ix, None if shown else text)


def add_pressed(ix: Interaction) -> dict | None:
    who = t.target(ix.session, ix.actor, ix.user_id, ix.now)  # a rep, or the notice says why
    open_modal(
        ix,
        away_modal(who.today, period_of(ix.view)),
        what="the form",
        instead="Type it instead, e.g. `/away tomorrow` or `/away fri Dentist` (`/away help` "
        "shows ranges and every form).",
    )
    ix.outcome = "form"
    return None


def cancel_pressed(ix: Interaction) -> dict | None:
    first, _, last = str(ix.action.get("value") or "").partition(":")
    try:
        first_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise Problem("Pacer can't tell which days those were, so nothing changed.") from None
    done = t.cancel_time_off(ix.session, ix.actor, ix.user_id, first_day, last_day, ix.now)
    ix.outcome = "cancelled"
    n = len(done.days)
    _refresh(
        ix,
        f":white_check_mark: Cancelled {n} day{'s' if n != 1 else ''} away "
        f"({span(first_day, last_day)}): your goals count them again.",
    )
    return None


def _value(view: dict, block_id: str, key: str) -> str:
    values = (view.get("state") or {}).get("values") or {}
    return str((values.get(block_id, {}).get(INPUT) or {}).get(key) or "").strip()


def _plain(text: str) -> str:
    return messages.plain(text).replace("*", "").replace("`", "")[:500]


def away_submitted(ix: Interaction) -> dict | None:
    view = ix.view
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for field in ("first", "last"):
        picked = _value(view, field, "selected_date")
        if picked:
            try:
                days[field] = date.fromisoformat(picked)
            except ValueError:
                errors[field] = "Pick a date from the calendar."
    if "first" not in days and "first" not in errors:
        errors["first"] = "Pick the first day away."
    note = _value(view, "note", "value")
    if errors:
        ix.outcome = "invalid"
        return {"response_action": "errors", "errors": errors}
    first = days["first"]
    last = days.get("last", first)
    try:
        added = t.add_time_off(ix.session, ix.actor, ix.user_id, first, last, note, ix.now)
    except tuple(FIELDS) as refusal:  # nothing was stored: the form stays open, saying why
        ix.outcome = "invalid"
        return {
            "response_action": "errors",
            "errors": {FIELDS[type(refusal)]: _plain(explain(refusal))},
        }
    ix.outcome = "away"
    days_text = wording.span(added.first, added.last)
    _refresh(ix, f":palm_tree: Away *{days_text}*: {_summary(added)}.")
    return None


def _summary(added: t.Added) -> str:
    n = len(added.added)
    already = f"; already away on {len(added.already)}" if added.already else ""
    return f"{n} working day{'s' if n != 1 else ''}{already}"

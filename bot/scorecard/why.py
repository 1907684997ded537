"""How a scorecard's goals were computed: `/scorecard calls why`, `/scorecard why` (every KPI)
and the "How is this computed?" button on a scorecard. The numbers are rituals/goal_basis.py's;
this module words them."""

from __future__ import annotations

import json
from datetime import date

from slack_bolt import App

from bot import messages
from bot.buttons import STALE, answer_privately, json_value, period_of_value, period_value
from bot.context import Interaction
from bot.ids import Action
from bot.listeners import register_action
from bot.replies import Problem
from bot.services import Services
from rituals import dates, rep_days
from rituals.goal_basis import (
    AFTER_LAST_DAY,
    AWAY,
    BEFORE_START,
    HOLIDAY,
    GoalBasis,
    Part,
    explain,
)
from rituals.pacing import Period, WorkCalendar
from rituals.process import Process
from rituals.teams import can_view
from storage import people_queries
from storage.models import Member
from storage.unit_of_work import Session

LISTED_DAYS = 7  # more days than this are summed up as a range


def register(app: App, services: Services) -> None:
    register_action(app, services, Action.SCORECARD_WHY, why_pressed)


def why_button(rep_id: str, period: Period) -> dict:
    value = json.dumps({"rep": rep_id, "period": period_value(period)})
    return messages.button("How is this computed?", Action.SCORECARD_WHY, value)


def _amount(value: float, decimals: int = 2) -> str:
    return messages.figure(value, decimals)


def _days(days: tuple[date, ...] | list[date]) -> str:
    if len(days) <= LISTED_DAYS:
        return ", ".join(dates.weekday_day(d) for d in days) + f" {days[-1]:%b}"
    return f"{dates.short(days[0])} – {dates.short(days[-1])}"


def _part(part: Part, yours: str) -> str:
    goal = part.goal
    count = len(part.days)
    unit = "day" if count == 1 else "days"
    if goal.per == "day":
        rate = f"{_amount(goal.amount)} a day"
    else:
        rate = (
            f"{_amount(goal.amount)} a {goal.per} ÷ the team's {part.unit_days} working days of "
            f"that {goal.per} = {_amount(goal.amount / part.unit_days)} a day"
        )
    ramp = f" × {messages.percent(part.ramp)} (ramp)" if part.ramp != 1 else ""
    return f"{rate}{ramp} × {count} of {yours} {unit} ({_days(part.days)}) = {_amount(part.total)}"


def _left_out(basis: GoalBasis, yours: str) -> str:
    words = []
    for item in basis.left_out:
        day = dates.short(item.day)
        if item.reason == HOLIDAY:
            words.append(f"{day} — {item.name or 'a day off'}")
        elif item.reason == AWAY:
            words.append(f"{day} — away")
        elif item.reason == BEFORE_START:
            words.append(f"{day} — before {yours} start")
        elif item.reason == AFTER_LAST_DAY:
            words.append(f"{day} — after {yours} last day")
        else:
            words.append(f"{day} — no goal that day")
    if len(words) > LISTED_DAYS:
        words = words[:LISTED_DAYS] + [f"and {len(words) - LISTED_DAYS} more"]
    return "; ".join(words)


def basis_text(name: str, basis: GoalBasis, self_view: bool, tz: str) -> str:
    """One KPI's goal, taken apart, as a few lines of mrkdwn."""
    yours = "your" if self_view else "their"
    scope = basis.period.kind
    head = f"*{messages.escape(name)}* · {scope} goal ({basis.period.label()})"
    if basis.total is None:
        lines = [f"{head}: *none* — none of {yours} working days in it has a goal."]
    else:
        lines = [f"{head}: *{_amount(basis.total, basis.decimals)}*"]
        parts = [_part(p, yours) for p in basis.parts]
        lines += [f"• {p}" for p in parts]
        summed = sum(p.total for p in basis.parts)
        if len(parts) > 1:
            lines.append(
                f"• in all: {' + '.join(_amount(p.total) for p in basis.parts)} = {_amount(summed)}"
            )
        if abs(summed - basis.total) > 1e-9:
            lines.append(
                f"• shown as {_amount(basis.total, basis.decimals)}: no more decimals than the "
                "goal as stated"
            )
    if basis.left_out:
        lines.append(f"• not counted: {_left_out(basis, yours)}")
    if basis.due is not None and 0 < basis.elapsed < 1:
        lines.append(
            f"• due by {dates.short_time(basis.at)} {tz}: {_amount(basis.due, basis.decimals)} "
            f"({messages.percent(basis.elapsed)} of it, by {yours} working time so far)"
        )
    return "\n".join(lines)


def why_message(
    session: Session,
    workspace_id: int,
    process: Process,
    rep: Member,
    period: Period,
    now,
    cal: WorkCalendar,
    viewer: str,
    kpi: str | None = None,
) -> dict:
    """Each KPI's goal on the rep's scorecard for ``period`` (or one KPI's), taken apart."""
    role = process.role(rep.role)
    days = rep_days.load(session, workspace_id, [(rep, role)], [period]).get(rep.user_id)
    keys = [kpi] if kpi else list(role.scorecard)
    texts = []
    for key in keys:
        timeline = process.goal_timeline(role.key, key, rep.user_id)
        basis = explain(timeline, period, now, cal, days or rep_days.EVERY_DAY)
        texts.append(basis_text(process.kpi(key).name, basis, rep.user_id == viewer, cal.tz.key))
    who = "your" if rep.user_id == viewer else f"{messages.mention(rep.user_id)}'s"
    top = f"*How {who} goals for {period.label()} are computed*"
    foot = (
        "A goal counts once per working day you're there; a weekly or monthly goal is spread "
        "over the team's working days of its week or month. Holidays, days away and days "
        "outside your time on the team don't count. `/pacer help scoring` has the rest."
    )
    text = "\n\n".join([top, *texts])
    blocks = messages.section(text) + [messages.context(foot)]
    return messages.message(f"How the goals for {period.label()} are computed", blocks)


def why_pressed(ix: Interaction) -> None:
    """ "How is this computed?" on a scorecard: the same as `/scorecard why`, privately."""
    data = json_value(ix)
    rep_id, period = str(data.get("rep") or ""), period_of_value(data.get("period"))
    if not rep_id:
        raise Problem(f"{STALE} Ask again with `/scorecard why`.")
    actor = ix.actor
    rep = people_queries.get_member(ix.session, actor.workspace_id, rep_id)
    if rep is None or not rep.role or rep.team_id != actor.team_id:
        raise Problem(f"{STALE} Ask again with `/scorecard why`.")
    if not can_view(actor, rep_id):
        raise Problem("This team keeps scorecards to managers and the rep. Nothing was shown.")
    process = actor.process
    message = why_message(
        ix.session, actor.workspace_id, process, rep, period, ix.now, process.calendar, ix.user_id
    )
    answer_privately(ix, message, "/scorecard why")
    ix.outcome = "why"

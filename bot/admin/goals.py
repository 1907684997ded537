"""/pacer goal: the goals in force today, their history and coming changes (anyone may look),
and for managers a change from a date on:

    /pacer goal sdr calls 80/day [from 2026-12-01] [confirm]
    /pacer goal @rep calls 50/day [from DATE] [confirm]
    /pacer goal @rep calls reset [from DATE]

A change applies from today (in the team's timezone) unless dated; it may be dated back to the
first day of the previous month and up to a year ahead (rituals.process.goal_history). A goal more
than 10× the role's current one, or over the team's max_count a working day, is not applied
without `confirm`. Each change is a new process version."""

from datetime import date, timedelta

from bot import messages
from bot.admin.team import role_key
from bot.context import Command
from bot.parsing import ParseError, parse_mention, quoted
from bot.people import resolve_user
from bot.replies import Problem
from rituals import dates, tenure
from rituals.process import Process, parse_goal
from rituals.process.goal_history import (
    GoalSize,
    HistoryEntry,
    effective_range,
    goal_size,
    history,
    own_goal,
    with_goal_change,
)
from rituals.process.goals import Goal
from rituals.process_drafts.drafts import draft_process
from rituals.teams import change_process, require_manager
from storage import draft_queries, people_queries

SHOWN = 15  # past changes listed in one reply; `pacer process show` has them all


def goal(cmd: Command, args: list[str]) -> dict:
    if not args:
        return listing(cmd)
    require_manager(cmd.actor, "set goals")
    process = cmd.actor.process
    today = process.calendar.local_date(cmd.now)
    usage = _usage(process)
    words = list(args)
    confirmed = bool(words) and words[-1].lower() == "confirm"
    if confirmed:
        words.pop()
    effective = today
    lowered = [w.lower() for w in words]
    if "from" in lowered[3:]:
        at = lowered.index("from", 3)
        if len(words) != at + 2:
            raise ParseError(
                "Give one date after `from`, as YYYY-MM-DD, e.g. "
                f"`/pacer goal {process.roles[0].key} calls 80/day from {_example_day(today)}`."
            )
        effective = _effective_day(words[at + 1], today, process)
        words = words[:at]
    if len(words) < 3:
        raise ParseError(
            f"A goal needs who, which KPI and how many per day, week or month: {usage}."
        )
    target_word, kpi_word, amount = words[0], words[1], " ".join(words[2:])
    mention = parse_mention(target_word)
    target = resolve_user(cmd, mention) if mention else role_key(process, target_word)
    if target is None:
        raise ParseError(
            f"`{messages.escape(target_word)}` is neither a role "
            f"({', '.join(r.key for r in process.roles)}) nor an @person. {usage}."
        )
    role = target if not mention else _member_role(cmd, target)
    scorecard = process.role(role).scorecard
    found = [k for k in process.resolve_word(kpi_word.lower(), role) if k.key in scorecard]
    if len(found) != 1:
        raise ParseError(
            f"`{messages.escape(kpi_word)}` isn't a KPI on the {messages.escape(process.role(role).name)} "
            f"scorecard. KPIs: {', '.join(scorecard)}. {usage}."
        )
    kpi = found[0]
    new_goal = None
    if amount.lower() != "reset":
        try:
            new_goal = parse_goal(amount)
        except ValueError as error:
            raise ParseError(f"{messages.escape(str(error))} {usage}.") from None
    elif not mention:
        raise ParseError(
            "`reset` puts one rep back on their role's goal; a role's goal is changed, e.g. "
            f"`/pacer goal {role} {kpi.key} 60/day`."
        )
    elif own_goal(process, target, kpi.key, effective) is None:
        raise Problem(
            f"{messages.mention(target)} has no goal of their own for {messages.escape(kpi.name)} "
            f"on {dates.long(effective)}; nothing changed. They follow the role's goal; give them "
            f"their own with `/pacer goal {messages.mention(target)} {kpi.key} 50/day`."
        )
    size = goal_size(process, role, kpi.key, new_goal, today)
    if size is not None and not confirmed:
        again = (
            f"/pacer goal {messages.mention(target) if mention else role} {kpi.key} {new_goal}"
            + (f" from {effective.isoformat()}" if effective != today else "")
        )
        raise Problem(_size_refusal(process, size, new_goal, kpi.name, role, again))
    before = process.goal_for(role, kpi.key, target if mention else None, on=effective)
    updated, version = change_process(
        cmd.session,
        cmd.actor.team,
        lambda current: with_goal_change(
            current, target, kpi.key, new_goal, effective, by=cmd.user_id, at=cmd.now
        ),
        loaded_by=cmd.user_id,
        change=f"goal {target} {kpi.key} {new_goal or 'reset'} from {effective.isoformat()}",
        now=cmd.now,
    )
    who = (
        messages.mention(target) if mention else f"every {messages.escape(process.role(role).name)}"
    )
    role_goal = process.goal_for(role, kpi.key, on=effective)
    what = (
        f"{messages.escape(kpi.name)} {new_goal}"
        if new_goal
        else f"{messages.escape(kpi.name)} back to the role's goal ({role_goal or 'none'})"
    )
    return _done(
        f"Goal set for {who}: *{what}* from {_when(effective, today)} (was {before or 'no goal'}). "
        f"Stored as process version {version.version}; {_what_it_means(effective, today, before)}"
        + _scheduled_note(cmd, updated, role, kpi.key, target if mention else None, effective)
    )


def _scheduled_note(
    cmd: Command, updated: Process, role: str, kpi: str, user: str | None, effective: date
) -> str:
    """A draft scheduled for a later day publishes its own goals from that day: said when it
    would put this one back, so nobody is surprised on the day."""
    waiting = draft_queries.scheduled_draft(cmd.session, cmd.actor.team.id)
    # A change from the draft's own day is replaced too: the draft's change is applied after it.
    if waiting is None or waiting.publish_on < effective:
        return ""
    day, draft = waiting.publish_on, draft_process(waiting)
    if not draft.has_role(role) or kpi not in draft.role(role).scorecard:
        what = updated.kpi(kpi).name if updated.has_kpi(kpi) else kpi
        then = f"takes {what} off the {role} scorecard, so this goal ends that day"
    else:
        # As publishing compares (rituals/process/goal_history.keep_goal_history): a rep's own
        # goal against the draft's own goal for them, a role's goal against its role goal.
        if user is not None:
            planned, now = draft.overrides.get(user, {}).get(kpi), own_goal(updated, user, kpi, day)
        else:
            planned, now = draft.role(role).goals.get(kpi), updated.goal_for(role, kpi, on=day)
        if now == planned:
            return ""
        words = planned or ("the role's goal" if user is not None else "no goal")
        then = f"sets this goal to {words}, so from that day it replaces this change"
    return (
        f"\n\nNote: the process draft scheduled for {dates.long(day)} {then}. To keep this "
        "goal, `/pacer process discard` the scheduled draft and publish a new one."
    )


def _usage(process: Process) -> str:
    return (
        f"`/pacer goal {process.roles[0].key} calls 60/day` or `/pacer goal @rep calls 50/day`, "
        "optionally `from 2026-12-01` (`reset` puts a rep back on the role's goal)"
    )


def _example_day(today: date) -> str:
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1).isoformat()


def _effective_day(word: str, today: date, process: Process) -> date:
    w = word.lower().rstrip(".,")
    relative = {"today": 0, "tomorrow": 1, "yesterday": -1}
    example = f"`/pacer goal {process.roles[0].key} calls 80/day from {_example_day(today)}`"
    if w in relative:
        day = today + timedelta(days=relative[w])
    else:
        try:
            if len(w) != 10:
                raise ValueError
            day = date.fromisoformat(w)
        except ValueError:
            raise ParseError(
                f"{quoted(word)} isn't a date; write the first day the goal applies as "
                f"YYYY-MM-DD, e.g. {example}."
            ) from None
    first, last = effective_range(today)
    if day < first:
        raise Problem(
            f"A goal change can be dated back to {dates.long(first)} (the start of last month), "
            f"not {dates.long(day)}: older periods stay judged on the goals they had. Nothing "
            f"changed. Try `from {first.isoformat()}` or a later day."
        )
    if day > last:
        raise Problem(
            f"A goal change can be dated up to a year ahead ({dates.long(last)}), not "
            f"{dates.long(day)}. Nothing changed. Set it nearer the time, e.g. {example}."
        )
    return day


def _size_refusal(
    process: Process, size: GoalSize, goal: Goal, kpi_name: str, role: str, again: str
) -> str:
    stated = str(goal)
    if goal.per != "day":
        stated += f" (about {messages.number(round(size.per_day))} a working day)"
    if size.reason == "max":
        why = (
            f"{stated} of {messages.escape(kpi_name)} is over the team's limit of "
            f"{size.limit} a working day (`limits.max_count`, the most one log can count)"
        )
    else:
        why = (
            f"{stated} is {messages.number(round(size.factor))}× the {messages.escape(process.role(role).name)} goal for "
            f"{messages.escape(kpi_name)} ({size.current})"
        )
    return (
        f"Not applied: {why}, so it may be a typo. Nothing changed. If you mean it, add `confirm`: "
        f"`{again} confirm`."
    )


def _when(effective: date, today: date) -> str:
    if effective == today:
        return f"today, {dates.long(effective)}"
    return dates.long(effective)


def _what_it_means(effective: date, today: date, before: Goal | None) -> str:
    if effective > today:
        return f"until then the goal stays {before or 'unset'}."
    if effective < today:
        return "the days since then count against it; the days before keep the goal they had."
    return "earlier days keep the goal they had."


def _member_role(cmd: Command, user_id: str) -> str:
    member = people_queries.get_member(cmd.session, cmd.actor.workspace_id, user_id)
    if not tenure.on_roster(member, cmd.actor.today()) or not cmd.actor.process.has_role(
        member.role
    ):
        raise Problem(
            f"{messages.mention(user_id)} isn't a rep on the team, so has no goals. "
            f"Add them first: `/pacer team add {messages.mention(user_id)} sdr`."
        )
    return member.role


def _done(text: str) -> dict:
    return messages.message(text.replace("*", ""), messages.section(text))


# --------------------------------------------------------------------------------------------
# The list: goals in force today, coming changes, history


def listing(cmd: Command) -> dict:
    process = cmd.actor.process
    today = process.calendar.local_date(cmd.now)
    roles = [
        (
            role,
            [
                (process.kpi(k).name, process.goal_for(role.key, k, on=today))
                for k in role.scorecard
            ],
        )
        for role in process.roles
    ]
    reps = []
    for user in sorted(process.reps_with_own_goals):
        own = [
            (kpi.name, found)
            for kpi in process.kpis
            if (found := own_goal(process, user, kpi.key, today)) is not None
        ]
        if own:
            reps.append((user, own))
    entries = history(process)
    coming = [_line(process, e, today) for e in reversed(entries) if e.change.effective > today]
    past = [_line(process, e, today) for e in entries if e.change.effective <= today]
    return messages.text_message(
        "goals.md.j2",
        process=process,
        today=dates.long(today),
        roles=roles,
        reps=reps,
        coming=coming,
        past=past[:SHOWN],
        earlier=len(past) - SHOWN,
        example=_example_day(today),
    )


def _line(process: Process, entry: HistoryEntry, today: date) -> messages.Raw:
    change = entry.change
    kpi = process.kpi(change.kpi).name if process.has_kpi(change.kpi) else change.kpi
    if change.role is not None:
        who = process.role(change.role).name if process.has_role(change.role) else change.role
        goal = str(change.goal) if change.goal else "no goal"
        was = str(entry.before) if entry.before else "no goal"
        text = f"{messages.escape(who)}: {messages.escape(kpi)} {goal}"
    else:
        goal = str(change.goal) if change.goal else "back to the role's goal"
        was = str(entry.before) if entry.before else "the role's goal"
        text = f"{messages.mention(change.target)}: {messages.escape(kpi)} {goal}"
    text += f" from {dates.long(change.effective)} (was {was})"
    if change.by or change.at:
        text += " · set"
        if change.by and change.by[:1] in "UW" and change.by.isalnum():
            text += f" by {messages.mention(change.by)}"
        elif change.by:
            text += f" by {messages.escape(change.by)}"
        if change.at is not None:
            text += f" on {dates.short(process.calendar.local_date(change.at))}"
    return messages.Raw(text)
